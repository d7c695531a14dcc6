//! Teams' own policies in the AWS CloudFormation Guard language, evaluated with the
//! `cfn-guard` crate on CloudFormation templates and Terraform alike.
//!
//! `rules` loads `.guard` files (syntax errors are input errors at their line and column);
//! `view` builds the document Guard reads for each scanned unit (a template as written, or
//! the CloudFormation-shaped view of a Terraform module or plan); `run` calls Guard;
//! `report` reads its structured report; `locate` leads each failing clause's property
//! path back to a span. Each failing clause becomes a [`Finding`] of rule `guard:<name>`,
//! so it flows through every output format, selection and suppression like a built-in one.
//!
//! A failure that a value known only at apply time decides (the tested value, a value it
//! was compared with, or where a path stopped, is unknown) is undetermined, never a
//! finding; so is every failure on a resource whose existence is unknown.

mod locate;
mod report;
pub mod rules;
mod run;
pub mod view;

use rayon::prelude::*;

use crate::finding::{Finding, Findings};
use crate::graph::{Dialect, Graph, InputError};
use crate::source::{SourceMap, Span};

use report::{Failure, Tested};
pub use rules::{Loaded, RuleFile, RuleSet, load};
use view::Document;

/// What evaluating the rules produced.
#[derive(Debug, Default)]
pub struct Evaluation {
    /// Findings, undetermined ones included (`Finding::undetermined`).
    pub findings: Vec<Finding>,
    /// Rules that could not be evaluated, located in their rules file.
    pub errors: Vec<InputError>,
}

/// Evaluates every rules file on every scanned unit; `selected` decides which rule ids
/// report (`guard:<name>`).
pub fn evaluate(
    rules: &RuleSet,
    graph: &Graph,
    sources: &SourceMap,
    selected: &(dyn Fn(&str) -> bool + Sync),
) -> Evaluation {
    let docs = view::documents(graph, sources);
    if docs.is_empty() || rules.is_empty() {
        return Evaluation::default();
    }
    let texts: Vec<String> = docs
        .iter()
        .map(|d| serde_json::to_string(&view::to_json(&d.root)).unwrap_or_default())
        .collect();
    let cx = Cx {
        graph,
        docs: &docs,
        texts: &texts,
        selected,
    };
    // All rules files in one call per chunk of documents: Guard reads each document once per
    // call, and reading is most of its work. One chunk per thread.
    let files: Vec<&RuleFile> = rules.files.iter().collect();
    let parts: Vec<Evaluation> = chunks(&texts, rayon::current_num_threads())
        .par_iter()
        .map(|docs| cx.evaluate(&files, docs))
        .collect();
    let mut out = Evaluation::default();
    for p in parts {
        out.findings.extend(p.findings);
        out.errors.extend(p.errors);
    }
    // The same rules error comes from every chunk.
    out.errors.sort();
    out.errors.dedup();
    out
}

/// Document indices in `n` contiguous chunks of about equal text size.
fn chunks(texts: &[String], n: usize) -> Vec<Vec<usize>> {
    let total: usize = texts.iter().map(String::len).sum();
    let per = total / n.max(1) + 1;
    let mut out: Vec<Vec<usize>> = vec![Vec::new()];
    let mut size = 0;
    for (i, t) in texts.iter().enumerate() {
        if size >= per
            && let Some(last) = out.last()
            && !last.is_empty()
        {
            out.push(Vec::new());
            size = 0;
        }
        if let Some(last) = out.last_mut() {
            last.push(i);
        }
        size += t.len();
    }
    out
}

struct Cx<'a> {
    graph: &'a Graph,
    docs: &'a [Document],
    /// The documents as the JSON given to Guard.
    texts: &'a [String],
    selected: &'a (dyn Fn(&str) -> bool + Sync),
}

impl Cx<'_> {
    /// Rules files on documents in one call; when Guard stops with an error, file by file
    /// and then document by document, so that everything else is still evaluated and the
    /// error is reported on its own file.
    fn evaluate(&self, files: &[&RuleFile], docs: &[usize]) -> Evaluation {
        let mut out = Evaluation::default();
        let rules: Vec<&str> = files.iter().map(|f| &*f.text).collect();
        let data: Vec<&str> = docs.iter().map(|&i| self.texts[i].as_str()).collect();
        match run::validate(&rules, &data) {
            Ok(reports) => {
                let mut sink = Findings::default();
                for (&i, report) in docs.iter().zip(&reports) {
                    self.report(files, &self.docs[i], report, &mut sink);
                }
                out.findings = sink.findings;
            }
            Err(message) => {
                let parts: Vec<Evaluation> = if files.len() > 1 {
                    files.iter().map(|f| self.evaluate(&[f], docs)).collect()
                } else if docs.len() > 1 {
                    docs.iter().map(|&d| self.evaluate(files, &[d])).collect()
                } else {
                    vec![Evaluation {
                        findings: Vec::new(),
                        errors: files.iter().map(|f| eval_error(f, &message)).collect(),
                    }]
                };
                for p in parts {
                    out.findings.extend(p.findings);
                    out.errors.extend(p.errors);
                }
            }
        }
        out
    }

    fn report(
        &self,
        files: &[&RuleFile],
        doc: &Document,
        report: &serde_json::Value,
        out: &mut Findings,
    ) {
        let failures = report::failures(report);
        for failure in &failures {
            let Some(rule) = lookup(files, &failure.rule) else {
                continue;
            };
            if !(self.selected)(&rule.custom.id) {
                continue;
            }
            match &failure.requires {
                // A rule that fails because a rule it names fails: where that one fails.
                Some(required) => {
                    let theirs: Vec<&Failure> = failures
                        .iter()
                        .filter(|g| &g.rule == required && g.requires.is_none())
                        .collect();
                    if theirs.is_empty() {
                        // It did not fail here: it did not apply, and Guard counts that as failing.
                        let mut f = failure.clone();
                        f.clause = format!("rule {required} (which does not apply here)");
                        self.finding(rule, doc, &f, out);
                    }
                    for g in theirs {
                        let mut copy = g.clone();
                        copy.rule = failure.rule.clone();
                        copy.clause = format!("rule {required}: {}", g.clause);
                        for a in &mut copy.alternatives {
                            a.clause = format!("rule {required}: {}", a.clause);
                        }
                        self.expand(rule, doc, &copy, out);
                    }
                }
                None => self.expand(rule, doc, failure, out),
            }
        }
    }

    /// A failure of clauses joined by `or` is one finding per resource, at the first
    /// alternative's value, naming every alternative.
    fn expand(&self, rule: &rules::Rule, doc: &Document, failure: &Failure, out: &mut Findings) {
        if failure.alternatives.is_empty() {
            self.finding(rule, doc, failure, out);
            return;
        }
        let mut groups: Vec<(Option<String>, Vec<&Failure>)> = Vec::new();
        for a in &failure.alternatives {
            let path = match &a.tested {
                Tested::Value { path, .. } => path.as_str(),
                Tested::Missing { reached, .. } => reached.as_str(),
                Tested::Nothing => "",
            };
            let entry = locate::walk(&doc.root, path).entry.map(|e| e.1);
            match groups.iter_mut().find(|(e, _)| *e == entry) {
                Some((_, g)) => g.push(a),
                None => groups.push((entry, vec![a])),
            }
        }
        for (_, group) in groups {
            let mut clauses: Vec<&str> = Vec::new();
            for a in &group {
                if !clauses.contains(&a.clause.as_str()) {
                    clauses.push(&a.clause);
                }
            }
            let first = group[0];
            let joined = Failure {
                clause: clauses.join(" or "),
                custom: group.iter().find_map(|a| a.custom.clone()),
                ..first.clone()
            };
            self.finding(rule, doc, &joined, out);
        }
    }

    /// The finding of one failing clause: at the tested value, or at the resource header
    /// when the value is missing.
    fn finding(&self, rule: &rules::Rule, doc: &Document, failure: &Failure, out: &mut Findings) {
        let unit = &self.graph.units[doc.unit.0];
        let (path, missing_rest) = match &failure.tested {
            Tested::Value { path, .. } => (path.as_str(), None),
            Tested::Missing { reached, rest } => (reached.as_str(), Some(rest.as_str())),
            Tested::Nothing => ("", None),
        };
        let walk = locate::walk(&doc.root, path);
        let resource = walk.entry.as_ref().map(|(_, name, _)| name.clone());
        let span = match (&walk.entry, missing_rest) {
            (Some((_, _, header)), Some(_)) => *header,
            _ => match walk.node() {
                Some(n) if walk.trail.len() > 1 => n.span,
                _ => unit.anchor,
            },
        };
        let shown = resource.clone().unwrap_or_else(|| unit.name.clone());
        let message = describe(failure, &walk, missing_rest, resource.as_deref());
        let (text, help) = match &failure.custom {
            Some(custom) => (custom.clone(), Some(message)),
            None => (message, None),
        };
        let undetermined = self.undetermined(doc, failure, &walk, missing_rest.is_some());
        let id = resource
            .as_deref()
            .and_then(|name| self.graph.by_address(doc.unit, name));
        let finding = out.report_custom(&rule.custom, &shown, id, span, text);
        if let Some(h) = help {
            finding.arg("help", h);
        }
        if undetermined {
            finding.undetermined();
        }
    }

    /// Whether a value known only at deployment decides the failure, or the resource may
    /// not exist. In the Terraform view, an unknown is the value tested, a value it was
    /// compared with, or where the path stopped (the graph's attributes tell). In a
    /// template, Guard sees intrinsic functions as written: a clause failing on one (or on
    /// a value holding one) judged the function, not the value deployed.
    fn undetermined(
        &self,
        doc: &Document,
        failure: &Failure,
        walk: &locate::Walk<'_>,
        missing: bool,
    ) -> bool {
        // A rule that compares with the marker itself tests unknowns on purpose.
        if failure
            .expected
            .iter()
            .any(|e| e.to_string().contains(view::UNKNOWN))
        {
            return false;
        }
        let compared: Vec<locate::Walk<'_>> = failure
            .compared
            .iter()
            .map(|p| locate::walk(&doc.root, p))
            .collect();
        std::iter::once((walk, missing))
            .chain(compared.iter().map(|w| (w, false)))
            .any(|(w, missing)| self.unknown_at(doc, w, missing))
    }

    fn unknown_at(&self, doc: &Document, walk: &locate::Walk<'_>, missing: bool) -> bool {
        if doc.dialect == Dialect::CloudFormation
            && walk.node().is_some_and(|n| {
                if missing {
                    view::is_intrinsic(n)
                } else {
                    view::has_intrinsic(n)
                }
            })
        {
            return true;
        }
        let Some((_, name, _)) = &walk.entry else {
            return false;
        };
        let Some(id) = self.graph.by_address(doc.unit, name) else {
            return false;
        };
        let r = self.graph.resource(id);
        if r.conditional {
            return true;
        }
        if doc.dialect == Dialect::CloudFormation {
            return false;
        }
        let trail = locate::follow(&r.attrs, &walk.property);
        let reached_all = trail.len() == walk.property.len();
        trail.iter().any(|n| n.is_unknown())
            || (!missing && reached_all && trail.last().is_some_and(|n| n.contains_unknown()))
    }
}

/// The rule Guard reports as `name` in a call with `files`: the clauses outside any rule of
/// the i-th file come as `RULES_STDIN[i]/default`; names are unique across files.
fn lookup<'a>(files: &[&'a RuleFile], name: &str) -> Option<&'a rules::Rule> {
    if let Some(rest) = name.strip_prefix("RULES_STDIN[")
        && let Some((i, "/default")) = rest.split_once(']')
    {
        let i: usize = i.parse().ok()?;
        return files.get(i.checked_sub(1)?)?.rule("default");
    }
    files.iter().find_map(|f| f.rule(name))
}

/// The message of a failure without a `<< >>` message: what the value is, and the clause.
fn describe(
    failure: &Failure,
    walk: &locate::Walk<'_>,
    missing_rest: Option<&str>,
    resource: Option<&str>,
) -> String {
    let mut what = if walk.property.is_empty() {
        String::new()
    } else {
        walk.property.join(".")
    };
    if let Some(rest) = missing_rest.filter(|r| !r.is_empty()) {
        if !what.is_empty() {
            what.push('.');
        }
        what.push_str(rest);
    }
    let of = resource.map(|r| format!(" of `{r}`")).unwrap_or_default();
    let on = resource.map(|r| format!(" on `{r}`")).unwrap_or_default();
    let state = match (&failure.tested, missing_rest) {
        (_, Some(_)) => "is not set".to_string(),
        (Tested::Value { value, .. }, None) => format!("is {}", shorten(value)),
        _ => String::new(),
    };
    if what.is_empty() || state.is_empty() {
        match &failure.requires {
            Some(_) => format!("required {} does not pass{on}", failure.clause),
            None => format!("clause `{}` fails{on}", failure.clause),
        }
    } else {
        format!("`{what}`{of} {state}, expected `{}`", failure.clause)
    }
}

/// A value for a message: compact JSON, cut after 60 characters.
fn shorten(v: &serde_json::Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// A rules file Guard could not evaluate: at the rule or variable it names, or the file start.
fn eval_error(f: &RuleFile, message: &str) -> InputError {
    let named = [("Rule ", " by that name"), ("variable by name ", " ")]
        .iter()
        .find_map(|(before, after)| {
            let i = message.find(before)? + before.len();
            let rest = &message[i..];
            let end = rest.find(after).unwrap_or(rest.len());
            Some(
                rest[..end]
                    .trim_matches(|c: char| !c.is_alphanumeric() && c != '_')
                    .to_string(),
            )
        })
        .filter(|n| !n.is_empty());
    let span = named
        .and_then(|n| {
            let text = &f.text;
            // The use, not a declaration: `%name` for a variable, the bare word for a rule.
            let at = text.find(&format!("%{n}")).or_else(|| word(text, &n))?;
            Some(Span::new(
                f.file,
                at,
                at + n.len() + usize::from(text[at..].starts_with('%')),
            ))
        })
        .unwrap_or_else(|| Span::new(f.file, 0, 0));
    // Guard lists the file's rule names from a hash map, in no fixed order: leave them out.
    let message = match message.find(", Rule Names = [") {
        Some(i) => {
            let rest = &message[i..];
            let end = rest.find(']').map_or(rest.len(), |j| j + 1);
            format!("{}{}", &message[..i], &rest[end..])
        }
        None => message.to_string(),
    };
    InputError {
        span,
        message: format!("Guard rules could not be evaluated: {}", message.trim()),
    }
}

/// The offset of `w` as a whole word in `text`, not in a `rule w` declaration.
fn word(text: &str, w: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(w).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + w.len()..].chars().next();
        !before.is_some_and(is_ident)
            && !after.is_some_and(is_ident)
            && !text[..i].trim_end().ends_with("rule")
    })
}
