//! Reading Guard's structured report: each failing clause of each rule, with the property
//! path of the value it tested (or of where the path stopped, when the value is missing).

use serde_json::Value as J;

/// One failing clause.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Failure {
    /// The rule as Guard names it (a rule that failed because a rule it uses failed is
    /// reported under its own name: that is the rule a user looks at).
    pub rule: String,
    pub tested: Tested,
    /// Paths of document values the tested value was compared with.
    pub compared: Vec<String>,
    /// The literal it was compared with, as JSON (empty when none).
    pub expected: Vec<J>,
    /// The clause as written, whitespace collapsed (`Properties.acl EQUALS "private"`).
    pub clause: String,
    /// The `<< >>` message of the clause, if it has one.
    pub custom: Option<String>,
    /// For clauses joined by `or`: each alternative's failures (all of them failed).
    pub alternatives: Vec<Failure>,
    /// For a clause that names another rule (`rule_b` inside `rule_a`): that rule.
    pub requires: Option<String>,
}

/// What a failing clause tested.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tested {
    /// A value at this path, with the value Guard saw.
    Value { path: String, value: J },
    /// A value that is missing: the path reached, and the rest of the query.
    Missing { reached: String, rest: String },
    /// Nothing in the document (a variable without values).
    Nothing,
}

/// The failures of one document's report (`not_compliant`), in report order.
pub(crate) fn failures(report: &J) -> Vec<Failure> {
    let mut out = Vec::new();
    for c in report
        .get("not_compliant")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        clause_report(c, None, &mut out);
    }
    out
}

fn clause_report(c: &J, rule: Option<&str>, out: &mut Vec<Failure>) {
    if let Some(r) = c.get("Rule") {
        let name = r.get("name").and_then(J::as_str).unwrap_or("default");
        let rule = rule.unwrap_or(name);
        for check in r.get("checks").and_then(J::as_array).into_iter().flatten() {
            clause_report(check, Some(rule), out);
        }
        return;
    }
    let rule = rule.unwrap_or("default").to_string();
    if let Some(d) = c.get("Disjunctions") {
        // Every alternative failed: one failure, at the first alternative's value.
        let mut alternatives = Vec::new();
        for check in d.get("checks").and_then(J::as_array).into_iter().flatten() {
            clause_report(check, Some(&rule), &mut alternatives);
        }
        if let Some(first) = alternatives.first().cloned() {
            out.push(Failure {
                alternatives,
                ..first
            });
        }
        return;
    }
    if let Some(b) = c.get("Block") {
        let tested = b
            .get("unresolved")
            .filter(|u| !u.is_null())
            .map_or(Tested::Nothing, unresolved);
        out.push(Failure {
            rule,
            tested,
            compared: Vec::new(),
            expected: Vec::new(),
            clause: collapse(b.get("context").and_then(J::as_str).unwrap_or("")),
            custom: custom(b),
            alternatives: Vec::new(),
            requires: None,
        });
        return;
    }
    let Some(clause) = c.get("Clause") else {
        return;
    };
    let Some(body) = clause.get("Unary").or_else(|| clause.get("Binary")) else {
        return;
    };
    let check = body.get("check").unwrap_or(&J::Null);
    let mut f = Failure {
        rule,
        tested: Tested::Nothing,
        compared: Vec::new(),
        expected: Vec::new(),
        clause: collapse(body.get("context").and_then(J::as_str).unwrap_or("")),
        custom: custom(body),
        alternatives: Vec::new(),
        requires: None,
    };
    // A clause naming another rule reads `Rule(name@Location[…])`.
    let raw = body.get("context").and_then(J::as_str).unwrap_or("").trim();
    if let Some(rest) = raw.strip_prefix("Rule(") {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if !name.is_empty() {
            f.clause = format!("rule {name}");
            f.requires = Some(name);
        }
    }
    if let Some(r) = check.get("Resolved") {
        // Unary: `value`; binary: `from` compared with `to`.
        if let Some(v) = r.get("value").or_else(|| r.get("from")) {
            f.tested = path_value(v);
        }
        if let Some(to) = r.get("to") {
            compared(to, &mut f);
        }
    } else if let Some(r) = check.get("InResolved") {
        if let Some(v) = r.get("from") {
            f.tested = path_value(v);
        }
        for to in r.get("to").and_then(J::as_array).into_iter().flatten() {
            compared(to, &mut f);
        }
    } else if let Some(v) = check.get("UnResolved").and_then(|u| u.get("value")) {
        f.tested = unresolved(v);
    }
    out.push(f);
}

fn path_value(v: &J) -> Tested {
    Tested::Value {
        path: v.get("path").and_then(J::as_str).unwrap_or("").to_string(),
        value: v.get("value").cloned().unwrap_or(J::Null),
    }
}

fn unresolved(u: &J) -> Tested {
    Tested::Missing {
        reached: u
            .get("traversed_to")
            .and_then(|t| t.get("path"))
            .and_then(J::as_str)
            .unwrap_or("")
            .to_string(),
        rest: u
            .get("remaining_query")
            .and_then(J::as_str)
            .unwrap_or("")
            .to_string(),
    }
}

/// A value compared with: a document path, or (empty path) a literal of the rule.
fn compared(to: &J, f: &mut Failure) {
    match to.get("path").and_then(J::as_str) {
        Some(p) if !p.is_empty() => f.compared.push(p.to_string()),
        _ => f.expected.push(to.get("value").cloned().unwrap_or(J::Null)),
    }
}

fn custom(body: &J) -> Option<String> {
    body.get("messages")
        .and_then(|m| m.get("custom_message"))
        .and_then(J::as_str)
        .map(collapse)
        .filter(|m| !m.is_empty())
}

/// One line: Guard keeps the clause's and message's line breaks and padding, and names
/// some clauses by internal labels (`GuardBlockAccessClause#Location[file:…, line:12, column:5]`).
fn collapse(s: &str) -> String {
    let s = s.trim_start();
    let s = s.strip_prefix("GuardAccessClause#block").unwrap_or(s);
    let s = match s.strip_prefix("GuardBlockAccessClause#") {
        Some(rest) => match rest.find("line:") {
            Some(i) => {
                let line: String = rest[i + 5..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                format!("the block at line {line} of the rules file")
            }
            None => "a block".to_string(),
        },
        None => s.to_string(),
    };
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
