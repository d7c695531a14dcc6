//! What a CloudFormation parameter without a default may be: its `AllowedValues` and
//! `AllowedPattern`. The value is known only at deploy time, but CloudFormation rejects a
//! value outside them, so a control can still tell that it is never (or always) a world
//! CIDR.
//!
//! `AllowedPattern` is a Java regular expression that the *whole* value must match.
//! It is compiled with the `regex` crate, anchored at both ends, within a size limit; a
//! pattern it cannot compile (look-around, back-references) or one too large constrains
//! nothing. Matching with `regex` takes linear time, so a hostile pattern costs no more
//! than its size.

use foldhash::HashMap;
use regex::{Regex, RegexBuilder};

use crate::source::Span;
use crate::value::{Node, Value, format_number};

/// Patterns longer than this are not compiled (they constrain nothing).
const MAX_PATTERN: usize = 4096;
/// Compiled size limit of one pattern, in bytes.
const MAX_COMPILED: usize = 1 << 20;

/// The values a parameter may take.
#[derive(Clone, Debug, Default)]
pub struct Domain {
    /// `AllowedValues`, as strings.
    pub values: Option<Vec<String>>,
    /// `AllowedPattern`, anchored.
    pub pattern: Option<Regex>,
}

/// Whether every, no, or only some allowed value has a property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Every value the parameter may take has it; one of them, for messages.
    Always(String),
    /// No value the parameter may take has it.
    Never,
    /// Some may, some may not (or nothing constrains the value).
    Maybe,
}

impl Domain {
    /// Decides `property` over the values the parameter may take. `candidates` are all the
    /// strings that have the property (a pattern alone is tested against them: when it
    /// matches none, no value has it).
    pub fn decide(&self, property: impl Fn(&str) -> bool, candidates: &[&str]) -> Decision {
        let matches = |v: &str| self.pattern.as_ref().is_none_or(|p| p.is_match(v));
        match &self.values {
            Some(values) => {
                let allowed: Vec<&String> = values.iter().filter(|v| matches(v)).collect();
                match allowed.iter().filter(|v| property(v)).count() {
                    // Nothing can be deployed at all: not this control's business.
                    _ if allowed.is_empty() => Decision::Maybe,
                    0 => Decision::Never,
                    n if n == allowed.len() => Decision::Always(allowed[0].clone()),
                    _ => Decision::Maybe,
                }
            }
            None if self.pattern.is_some() && !candidates.iter().any(|c| matches(c)) => {
                Decision::Never
            }
            None => Decision::Maybe,
        }
    }
}

/// The domains of a template's parameters that have no `Default` (those with one take
/// their default), keyed by the parameter's declaration: the `origin` of every use.
pub fn domains(root: &Node) -> HashMap<Span, Domain> {
    let mut out = HashMap::default();
    let Some(params) = root.get("Parameters").and_then(Node::as_map) else {
        return out;
    };
    for (_, p) in params.iter() {
        if p.get("Default").is_some() {
            continue;
        }
        let values = p
            .get("AllowedValues")
            .and_then(Node::as_list)
            .map(|items| items.iter().filter_map(text).collect::<Vec<_>>());
        let pattern = p
            .get("AllowedPattern")
            .and_then(Node::as_str)
            .filter(|s| s.len() <= MAX_PATTERN)
            .and_then(|s| {
                RegexBuilder::new(&format!("^(?:{s})$"))
                    .size_limit(MAX_COMPILED)
                    .dfa_size_limit(MAX_COMPILED)
                    .build()
                    .ok()
            });
        if values.is_some() || pattern.is_some() {
            out.insert(p.span, Domain { values, pattern });
        }
    }
    out
}

/// A scalar as CloudFormation passes it: a string.
fn text(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.to_string()),
        Value::Number(x) => Some(format_number(*x)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain(yaml: &str) -> Domain {
        let root = crate::parse::yaml::parse(crate::source::FileId(0), yaml).expect("valid YAML");
        domains(&root).into_values().next().unwrap_or_default()
    }

    const WORLD: &[&str] = &["0.0.0.0/0", "::/0"];
    fn world(s: &str) -> bool {
        WORLD.contains(&s)
    }

    #[test]
    fn allowed_values_decide() {
        let d = domain(
            "Parameters:\n  C:\n    Type: String\n    AllowedValues: [10.0.0.0/8, 192.168.0.0/16]\n",
        );
        assert_eq!(d.decide(world, WORLD), Decision::Never);
        let d = domain(
            "Parameters:\n  C:\n    Type: String\n    AllowedValues: [10.0.0.0/8, 0.0.0.0/0]\n",
        );
        assert_eq!(d.decide(world, WORLD), Decision::Maybe);
        let d =
            domain("Parameters:\n  C:\n    Type: String\n    AllowedValues: [0.0.0.0/0, '::/0']\n");
        assert_eq!(d.decide(world, WORLD), Decision::Always("0.0.0.0/0".into()));
    }

    #[test]
    fn patterns_are_anchored_and_tested_on_the_candidates() {
        // Matches only 10.x.x.x/8–32: no world CIDR.
        let d = domain(
            "Parameters:\n  C:\n    Type: String\n    AllowedPattern: '10\\.(\\d{1,3}\\.){2}\\d{1,3}/([89]|[12]\\d|3[0-2])'\n",
        );
        assert_eq!(d.decide(world, WORLD), Decision::Never);
        // The usual CIDR pattern admits 0.0.0.0/0.
        let d = domain(
            "Parameters:\n  C:\n    Type: String\n    AllowedPattern: '(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})'\n",
        );
        assert_eq!(d.decide(world, WORLD), Decision::Maybe);
        // Anchored as CloudFormation does: `/8` somewhere in the value is not enough.
        let d = domain("Parameters:\n  C:\n    Type: String\n    AllowedPattern: '.*/8'\n");
        assert_eq!(d.decide(world, WORLD), Decision::Never);
        // The pattern also filters the allowed values.
        let d = domain(
            "Parameters:\n  C:\n    Type: String\n    AllowedValues: [0.0.0.0/0, 10.0.0.0/8]\n    AllowedPattern: '10\\..*'\n",
        );
        assert_eq!(d.decide(world, WORLD), Decision::Never);
    }

    #[test]
    fn what_cannot_be_compiled_constrains_nothing() {
        // Look-ahead is Java, not `regex`.
        let d = domain("Parameters:\n  C:\n    Type: String\n    AllowedPattern: '(?!0\\.0).*'\n");
        assert!(d.pattern.is_none());
        assert_eq!(d.decide(world, WORLD), Decision::Maybe);
        // A parameter with a default is its default, not a domain.
        let d = domain(
            "Parameters:\n  C:\n    Type: String\n    Default: 10.0.0.0/8\n    AllowedValues: [10.0.0.0/8]\n",
        );
        assert!(d.values.is_none());
        // A short pattern that would compile to a huge program is refused by the size
        // limit, not compiled for long.
        let big =
            "Parameters:\n  C:\n    Type: String\n    AllowedPattern: '((a{100}){100}){100}'\n";
        assert!(domain(big).pattern.is_none());
    }
}
