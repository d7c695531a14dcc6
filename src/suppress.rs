//! Suppressions, applied by the engine after the controls ran (controls never see them).
//!
//! Forms:
//! - a comment `# cislint:ignore[4.1] reason` (or `// …` in Terraform), in any scanned file,
//!   on its own line above a resource header, an attribute, a block or a list item, or at the
//!   end of such a line; several ids are separated by commas (`[4.1,ec2-sg-ingress-rdp]`),
//!   and an id is a rule id, a CIS number or a section;
//! - CloudFormation `Metadata: {cislint: {ignore: [{rule: "4.1", reason: "…"}]}}` on a resource
//!   (on a SAM function or state machine, it covers the role the transform creates for it too).
//!
//! Either may carry `until=YYYY-MM-DD` (a comment as a word after the brackets, the metadata as
//! an `until` key): after that day the suppression no longer applies, and says so. A
//! suppression without a reason still applies but is warned about; one that matches no
//! finding of a selected control is reported as unused.

use std::collections::HashMap;

use crate::finding::Finding;
use crate::graph::{Graph, ResourceId};
use crate::locate;
use crate::notice::Notice;
use crate::source::{FileId, SourceMap, Span};
use crate::value::{Node, Value};

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let leap = date.year % 4 == 0 && (date.year % 100 != 0 || date.year % 400 == 0);
        let days = match date.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&date.day).then_some(date)
    }

    /// Today in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days((secs / 86_400) as i64)
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's algorithm).
    fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// What a suppression covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// Findings whose line, or a line of an enclosing attribute, block or resource header,
    /// is this one (1-based).
    Line(FileId, usize),
    /// Every finding of a resource (CloudFormation `Metadata`).
    Resource(ResourceId),
    /// Nothing: a comment followed by a blank line or the end of the file.
    Nothing,
}

/// One suppression as written.
#[derive(Clone, Debug)]
pub struct Suppression {
    /// The comment or metadata entry.
    pub span: Span,
    /// Rule ids, CIS numbers or sections, as written.
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub until: Option<Date>,
    pub target: Target,
}

/// A finding that a suppression silenced.
#[derive(Clone, Debug)]
pub struct Suppressed {
    pub finding: Finding,
    pub reason: Option<String>,
    /// The suppression's comment or metadata entry.
    pub by: Span,
}

fn matches_rule(pattern: &str, f: &Finding) -> bool {
    crate::selection::selected(f.rule(), &[pattern.to_string()], &[])
}

fn rules_text(rules: &[String]) -> String {
    rules.join(",")
}

/// Finds every suppression in the scanned files and resources; problems with their form
/// (no reason, a bad date, an unknown control) go to `notices`.
pub fn collect(graph: &Graph, sources: &SourceMap, notices: &mut Vec<Notice>) -> Vec<Suppression> {
    let mut out = Vec::new();
    for i in 0..sources.len() {
        comments(sources, FileId(i as u32), &mut out, notices);
    }
    for (i, r) in graph.resources.iter().enumerate() {
        if let Some(meta) = &r.metadata {
            metadata(meta, ResourceId(i), &mut out, notices);
        }
    }
    for s in &out {
        if s.reason.is_none() {
            let rules = rules_text(&s.rules);
            notices.push(Notice {
                code: "suppression-without-reason",
                span: Some(s.span),
                file: None,
                en: format!("suppression of `{rules}` gives no reason; add one after the brackets (`# cislint:ignore[{rules}] why`)"),
                ja: format!("`{rules}` の抑制に理由がありません。括弧の後に理由を書いてください（`# cislint:ignore[{rules}] 理由`）"),
            });
        }
        for r in &s.rules {
            if !crate::selection::is_known(r) {
                notices.push(Notice {
                    code: "invalid-suppression",
                    span: Some(s.span),
                    file: None,
                    en: format!("suppression names `{r}`, which is not a control (try `cislint rules`)"),
                    ja: format!("抑制に指定された `{r}` はコントロールではありません（`cislint rules` を参照）"),
                });
            }
        }
    }
    out
}

const MARKER: &str = "cislint:ignore";

/// Whether a line holds only a comment.
fn comment_only(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') || t.starts_with("//")
}

/// The comment marker (`#` or `//`) right before `at`, if `cislint:ignore` there is in a
/// comment and not in a string: text before it has balanced quotes.
fn comment_start(line: &str, at: usize) -> Option<usize> {
    let before = line[..at].trim_end();
    let start = if before.ends_with('#') {
        before.len() - 1
    } else if before.ends_with("//") {
        before.len() - 2
    } else {
        return None;
    };
    let prefix = &line[..start];
    let unescaped = |q: char| {
        let mut n = 0;
        let mut escaped = false;
        for c in prefix.chars() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                n += 1;
            }
        }
        n
    };
    (unescaped('"') % 2 == 0 && unescaped('\'') % 2 == 0).then_some(start)
}

fn comments(
    sources: &SourceMap,
    file: FileId,
    out: &mut Vec<Suppression>,
    notices: &mut Vec<Notice>,
) {
    let src = sources.get(file);
    if !src.text.contains(MARKER) {
        return;
    }
    let lines: Vec<&str> = src.text.split('\n').collect();
    let mut offset = 0;
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let line_start = offset;
        offset += raw.len() + 1;
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let Some(start) = comment_start(line, at) else {
            continue;
        };
        let span = Span::new(file, line_start + start, line_start + line.len());
        let rest = &line[at + MARKER.len()..];
        let parsed = rest
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .map(|(ids, tail)| {
                let ids: Vec<String> = ids
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                (ids, tail)
            });
        let Some((rules, tail)) = parsed.filter(|(ids, _)| !ids.is_empty()) else {
            notices.push(Notice {
                code: "invalid-suppression",
                span: Some(span),
                file: None,
                en: "malformed suppression: write `cislint:ignore[<rule id or CIS number>] <reason>`".into(),
                ja: "抑制の書式が正しくありません: `cislint:ignore[<ルール ID か CIS 番号>] <理由>` と書いてください".into(),
            });
            continue;
        };
        let mut until = None;
        let mut words = Vec::new();
        let mut bad_date = false;
        for w in tail.split_whitespace() {
            match w.strip_prefix("until=") {
                Some(d) if until.is_none() && !bad_date => match Date::parse(d) {
                    Some(date) => until = Some(date),
                    None => {
                        bad_date = true;
                        notices.push(bad_date_notice(span, d));
                    }
                },
                _ => words.push(w),
            }
        }
        if bad_date {
            // A suppression whose end cannot be read does not apply: fail closed.
            continue;
        }
        let reason = words.join(" ");
        let own_line = line[..start].trim().is_empty();
        let target = if own_line {
            // The first following line that is not itself a comment; a blank line ends it.
            lines[i + 1..]
                .iter()
                .position(|l| !comment_only(l))
                .map(|k| i + 1 + k)
                .filter(|&t| !lines[t].trim().is_empty())
                .map_or(Target::Nothing, |t| Target::Line(file, t + 1))
        } else {
            Target::Line(file, i + 1)
        };
        out.push(Suppression {
            span,
            rules,
            reason: (!reason.is_empty()).then_some(reason),
            until,
            target,
        });
    }
}

fn bad_date_notice(span: Span, d: &str) -> Notice {
    Notice {
        code: "invalid-suppression",
        span: Some(span),
        file: None,
        en: format!("`until={d}` is not a date (YYYY-MM-DD); the suppression does not apply"),
        ja: format!("`until={d}` は日付（YYYY-MM-DD）ではないため、この抑制は適用されません"),
    }
}

/// Reads `Metadata.cislint.ignore` of a CloudFormation resource.
fn metadata(meta: &Node, id: ResourceId, out: &mut Vec<Suppression>, notices: &mut Vec<Notice>) {
    let Some(list) = meta.get("cislint").and_then(|c| c.get("ignore")) else {
        return;
    };
    for item in list.items() {
        let invalid = |notices: &mut Vec<Notice>| {
            notices.push(Notice {
                code: "invalid-suppression",
                span: Some(item.span),
                file: None,
                en: "malformed suppression: write `{rule: \"4.1\", reason: \"…\"}` (optionally `until: YYYY-MM-DD`)".into(),
                ja: "抑制の書式が正しくありません: `{rule: \"4.1\", reason: \"…\"}`（任意で `until: YYYY-MM-DD`）と書いてください".into(),
            });
        };
        let text = |n: Option<&Node>| -> Option<String> {
            n.and_then(|n| match &n.value {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Number(x) => Some(crate::value::format_number(*x)),
                _ => None,
            })
            .filter(|s| !s.is_empty())
        };
        let (rule, reason, until) = match &item.value {
            // A bare id: allowed, but it gives no reason.
            Value::String(_) | Value::Number(_) => (text(Some(item)), None, None),
            Value::Map(_) => (
                text(item.get("rule")),
                text(item.get("reason")),
                text(item.get("until")),
            ),
            _ => (None, None, None),
        };
        let Some(rule) = rule else {
            invalid(notices);
            continue;
        };
        let until = match until {
            None => None,
            Some(d) => match Date::parse(&d) {
                Some(date) => Some(date),
                None => {
                    notices.push(bad_date_notice(item.span, &d));
                    continue;
                }
            },
        };
        out.push(Suppression {
            span: item.span,
            rules: rule.split(',').map(|s| s.trim().to_string()).collect(),
            reason,
            until,
            target: Target::Resource(id),
        });
    }
}

/// The targets a finding can be suppressed through: its own line, the lines of the
/// attributes, blocks and items that enclose it, its resource's header line, and its resource.
fn targets(f: &Finding, graph: &Graph, sources: &SourceMap) -> Vec<Target> {
    let line = |s: Span| Target::Line(s.file, sources.start(s).line);
    let mut out = vec![line(f.span)];
    if let Some(id) = f.resource_id.filter(|id| id.0 < graph.resources.len()) {
        let r = graph.resource(id);
        out.push(Target::Resource(id));
        // A resource a transform created is suppressed through the one written.
        if let Some(from) = r.generated_from.as_deref()
            && let Some(written) = graph.by_address(r.unit, from)
        {
            out.push(Target::Resource(written));
        }
        out.push(line(r.span));
        for s in locate::locate(r, f.span).enclosing {
            out.push(line(s));
        }
    }
    out
}

/// Applies `suppressions` to the findings and undetermined findings of `outcome`, moving the
/// silenced ones to `outcome.suppressed`, and reports expired and unused suppressions.
/// `selected` tells which controls ran and `custom_rules` which custom (Guard) rules were
/// loaded: a suppression of a rule that did not run is not unused, only unverified.
pub fn apply(
    outcome: &mut crate::engine::Outcome,
    graph: &Graph,
    sources: &SourceMap,
    selected: &dyn Fn(&str) -> bool,
    custom_rules: &[String],
    today: Date,
) {
    let mut notices = Vec::new();
    let sups = collect(graph, sources, &mut notices);
    let mut by_target: HashMap<Target, Vec<usize>> = HashMap::new();
    for (i, s) in sups.iter().enumerate() {
        by_target.entry(s.target).or_default().push(i);
    }
    // Per suppression, which of its rule patterns matched something.
    let mut used: Vec<Vec<bool>> = sups.iter().map(|s| vec![false; s.rules.len()]).collect();
    let mut expired_hit = vec![false; sups.len()];
    let mut silence = |f: &Finding| -> Option<usize> {
        let mut hit = None;
        for t in targets(f, graph, sources) {
            for &i in by_target.get(&t).map(Vec::as_slice).unwrap_or(&[]) {
                let s = &sups[i];
                for (k, pattern) in s.rules.iter().enumerate() {
                    if !matches_rule(pattern, f) {
                        continue;
                    }
                    used[i][k] = true;
                    if s.until.is_some_and(|u| today > u) {
                        expired_hit[i] = true;
                    } else if hit.is_none() {
                        hit = Some(i);
                    }
                }
            }
        }
        hit
    };
    let mut suppressed = Vec::new();
    for list in [&mut outcome.findings, &mut outcome.undetermined] {
        let mut kept = Vec::new();
        for f in std::mem::take(list) {
            match silence(&f) {
                Some(i) => suppressed.push(Suppressed {
                    finding: f,
                    reason: sups[i].reason.clone(),
                    by: sups[i].span,
                }),
                None => kept.push(f),
            }
        }
        *list = kept;
    }
    for (i, s) in sups.iter().enumerate() {
        let rules = rules_text(&s.rules);
        if let Some(until) = s.until.filter(|u| today > *u) {
            let (en, ja) = if expired_hit[i] {
                (
                    format!("suppression of `{rules}` expired on {until} and no longer applies"),
                    format!("`{rules}` の抑制は {until} に期限切れとなり、適用されていません"),
                )
            } else {
                (
                    format!("suppression of `{rules}` expired on {until}; remove it"),
                    format!("`{rules}` の抑制は {until} に期限切れです。削除してください"),
                )
            };
            notices.push(Notice {
                code: "expired-suppression",
                span: Some(s.span),
                file: None,
                en,
                ja,
            });
            continue;
        }
        let unused: Vec<&str> = s
            .rules
            .iter()
            .zip(&used[i])
            .filter(|(r, u)| {
                !**u && crate::selection::is_known(r) && pattern_selected(r, selected, custom_rules)
            })
            .map(|(r, _)| r.as_str())
            .collect();
        if !unused.is_empty() {
            let ids = unused.join(",");
            notices.push(Notice {
                code: "unused-suppression",
                span: Some(s.span),
                file: None,
                en: format!("suppression of `{ids}` matches no finding; remove it"),
                ja: format!("`{ids}` の抑制に該当する違反がありません。削除してください"),
            });
        }
    }
    suppressed.sort_by_cached_key(|s| {
        (
            sources.get(s.finding.span.file).path.clone(),
            s.finding.span.start,
            s.finding.rule().to_string(),
        )
    });
    outcome.suppressed.extend(suppressed);
    outcome.notices.extend(notices);
    crate::notice::sort(&mut outcome.notices, sources);
}

/// Whether some control or custom rule that `pattern` names ran.
fn pattern_selected(
    pattern: &str,
    selected: &dyn Fn(&str) -> bool,
    custom_rules: &[String],
) -> bool {
    let names =
        |id: &str| selected(id) && crate::selection::selected(id, &[pattern.to_string()], &[]);
    crate::checks::ALL.iter().any(|c| names(c.id)) || custom_rules.iter().any(|id| names(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse("2024-02-29"),
            Some(Date {
                year: 2024,
                month: 2,
                day: 29
            })
        );
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2024-13-01"), None);
        assert_eq!(Date::parse("24-01-01"), None);
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(19_782).to_string(), "2024-02-29");
        assert!(Date::today() > Date::parse("2020-01-01").unwrap());
    }

    #[test]
    fn comments_in_strings_are_not_suppressions() {
        assert_eq!(comment_start("  # cislint:ignore[4.1] x", 4), Some(2));
        assert_eq!(comment_start("a = 1 // cislint:ignore[4.1] x", 9), Some(6));
        assert_eq!(comment_start("d = \"# cislint:ignore[4.1]\"", 7), None);
        assert_eq!(comment_start("cislint:ignore[4.1]", 0), None);
    }
}
