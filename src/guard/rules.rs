//! Loading Guard rules files (`--rules FILE_OR_DIR`): reading, syntax check by Guard's own
//! parser, the names of the rules, and the `# severity:` comment convention.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::catalog::Severity;
use crate::finding::CustomRule;
use crate::graph::InputError;
use crate::source::{FileId, SourceMap, Span};

/// Severity of a Guard rule without a `# severity:` comment.
pub const DEFAULT_SEVERITY: Severity = Severity::Medium;

/// Deepest bracket nesting accepted in a rules file: Guard's parser recurses per level.
const MAX_NESTING: usize = 64;

/// One rule of a rules file, as findings name it.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The name Guard reports (`s3_tagged`; the clauses outside any rule are `default`).
    pub name: String,
    /// Where the rule is declared (its name; the file start for the clauses outside rules).
    pub span: Span,
    pub custom: Arc<CustomRule>,
}

/// A rules file that parsed.
#[derive(Clone, Debug)]
pub struct RuleFile {
    pub path: PathBuf,
    pub file: FileId,
    pub text: Arc<str>,
    /// Named rules in declaration order, then the file's clauses outside any rule.
    pub rules: Vec<Rule>,
}

impl RuleFile {
    /// The rule Guard reports under `name` (the unnamed clauses come as `…/default`).
    pub fn rule(&self, name: &str) -> Option<&Rule> {
        let name = if name.ends_with("/default") {
            "default"
        } else {
            name
        };
        self.rules.iter().find(|r| r.name == name)
    }
}

/// Every loaded rules file.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    pub files: Vec<RuleFile>,
}

impl RuleSet {
    /// Whether no rule is loaded.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Every rule id (`guard:<name>`), in load order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .flat_map(|f| f.rules.iter().map(|r| r.custom.id.as_str()))
    }

    /// Overrides the severity of the rule `id` (configuration wins over the comment).
    /// Returns whether such a rule exists.
    pub fn set_severity(&mut self, id: &str, severity: Severity) -> bool {
        let mut found = false;
        for rule in self.files.iter_mut().flat_map(|f| f.rules.iter_mut()) {
            if rule.custom.id == id {
                Arc::make_mut(&mut rule.custom).severity = severity;
                found = true;
            }
        }
        found
    }
}

/// What loading the rules produced: the files that parsed, errors located in rules files,
/// and paths that could not be read.
#[derive(Debug, Default)]
pub struct Loaded {
    pub rules: RuleSet,
    pub errors: Vec<InputError>,
    pub path_errors: Vec<(PathBuf, String)>,
}

/// Reads every rules file named by `paths` (a file, or a directory searched for `*.guard`
/// and `*.ruleset`), registering each in `sources` so that errors render with a snippet.
pub fn load(paths: &[PathBuf], sources: &SourceMap) -> Loaded {
    let mut out = Loaded::default();
    let mut seen: HashMap<String, Span> = HashMap::new();
    for path in files(paths, &mut out.path_errors) {
        let text = match crate::scan::read(&path) {
            Ok(t) => t,
            Err(e) => {
                out.path_errors.push((path, e));
                continue;
            }
        };
        let text: Arc<str> = text.into();
        let file = sources.add(path.clone(), text.clone());
        match parse(&path, file, &text, sources) {
            Ok(rf) => {
                let mut duplicate = false;
                for r in &rf.rules {
                    if let Some(first) = seen.get(&r.custom.id) {
                        let at = sources.start(*first);
                        out.errors.push(InputError {
                            span: r.span,
                            message: format!(
                                "Guard rule id `{}` is already defined at {}:{}:{} (rule ids must be unique across rules files)",
                                r.custom.id,
                                sources.get(first.file).path.display(),
                                at.line,
                                at.column
                            ),
                        });
                        duplicate = true;
                    }
                }
                if !duplicate {
                    for r in &rf.rules {
                        seen.insert(r.custom.id.clone(), r.span);
                    }
                    out.rules.files.push(rf);
                }
            }
            Err(e) => out.errors.push(e),
        }
    }
    out
}

/// The rules files below `paths`, sorted within each directory.
fn files(paths: &[PathBuf], errors: &mut Vec<(PathBuf, String)>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = out.len();
            walk(p, &mut out, errors, 0);
            if out.len() == before {
                errors.push((
                    p.clone(),
                    "no Guard rules files (*.guard, *.ruleset) in this directory".into(),
                ));
            }
        } else if p.exists() {
            out.push(p.clone());
        } else {
            errors.push((p.clone(), "no such rules file or directory".into()));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>, depth: usize) {
    // Symlink loops cannot make this endless.
    if depth > 32 {
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
        Err(e) => {
            errors.push((dir.to_path_buf(), e.to_string()));
            return;
        }
    };
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out, errors, depth + 1);
        } else if p
            .extension()
            .is_some_and(|x| x == "guard" || x == "ruleset")
        {
            out.push(p);
        }
    }
}

/// Checks one rules file with Guard's parser and reads its rules' names and severities.
fn parse(
    path: &Path,
    file: FileId,
    text: &str,
    sources: &SourceMap,
) -> Result<RuleFile, InputError> {
    let at = |offset: usize| Span::new(file, offset, offset);
    if let Some(offset) = nesting(text) {
        return Err(InputError {
            span: Span::new(file, offset, offset + 1),
            message: format!("Guard rules nested deeper than {MAX_NESTING} levels"),
        });
    }
    let tree = super::run::parse_tree(text)
        .map_err(|message| syntax_error(file, text, sources, &message))?;
    let display = path.display().to_string();
    let mut rules = Vec::new();
    let names = tree
        .get("guard_rules")
        .and_then(|r| r.as_array())
        .map(|rules| {
            rules
                .iter()
                .filter_map(|r| r.get("rule_name").and_then(|n| n.as_str()))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let decls = declarations(text);
    for name in names {
        if rules.iter().any(|r: &Rule| r.name == name) {
            continue;
        }
        let (span, severity, id) = if name == "default" {
            // The clauses outside any rule: named after the file, as Guard names them after it.
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_else(|| "default".into());
            (at(0), Ok(DEFAULT_SEVERITY), format!("guard:{stem}"))
        } else {
            match decls.iter().find(|d| d.name == name) {
                Some(d) => (
                    Span::new(file, d.offset, d.offset + name.len()),
                    d.severity.clone(),
                    format!("guard:{name}"),
                ),
                None => (at(0), Ok(DEFAULT_SEVERITY), format!("guard:{name}")),
            }
        };
        let severity = severity.map_err(|(offset, len, value)| InputError {
            span: Span::new(file, offset, offset + len),
            message: format!("unknown severity `{value}` (expected high, medium or low)"),
        })?;
        let line = sources.start(span).line;
        let title = if name == "default" {
            format!("Guard clauses outside any rule ({display})")
        } else {
            format!("Guard rule `{name}` ({display}:{line})")
        };
        rules.push(Rule {
            name,
            span,
            custom: Arc::new(CustomRule {
                id,
                severity,
                title,
            }),
        });
    }
    Ok(RuleFile {
        path: path.to_path_buf(),
        file,
        text: text.into(),
        rules,
    })
}

/// A `rule <name>` declaration found in the text, with the `# severity:` of the comment
/// block right above it (`Err((offset, len, value))` for a value that is no severity).
struct Declaration {
    name: String,
    offset: usize,
    severity: Result<Severity, (usize, usize, String)>,
}

/// Finds rule declarations line by line (Guard's parse tree has no locations for rules).
fn declarations(text: &str) -> Vec<Declaration> {
    let mut out = Vec::new();
    let mut comments: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with('#') {
            comments.push((start + indent, trimmed.trim_end()));
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("rule")
            && rest.starts_with([' ', '\t'])
        {
            let name_start = rest.len() - rest.trim_start().len();
            let name: String = rest[name_start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if !name.is_empty() && !out.iter().any(|d: &Declaration| d.name == name) {
                out.push(Declaration {
                    offset: start + indent + 4 + name_start,
                    severity: severity(&comments),
                    name,
                });
            }
        }
        comments.clear();
    }
    out
}

/// The `# severity: <level>` line of a comment block, if any (the last one wins).
fn severity(comments: &[(usize, &str)]) -> Result<Severity, (usize, usize, String)> {
    let mut result = Ok(DEFAULT_SEVERITY);
    for (offset, line) in comments {
        let body = line.trim_start_matches('#').trim_start();
        let Some(value) = body
            .strip_prefix("severity:")
            .or_else(|| body.strip_prefix("Severity:"))
        else {
            continue;
        };
        let value = value.trim();
        result = match value.to_ascii_lowercase().as_str() {
            "high" | "critical" => Ok(Severity::High),
            "medium" => Ok(Severity::Medium),
            "low" | "info" => Ok(Severity::Low),
            _ => Err((*offset, line.len(), value.to_string())),
        };
    }
    result
}

/// Guard's syntax errors say `at line L at column C`: point there.
fn syntax_error(file: FileId, text: &str, sources: &SourceMap, message: &str) -> InputError {
    let src = sources.get(file);
    let number = |after: &str| -> Option<usize> {
        let i = message.find(after)? + after.len();
        message[i..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .ok()
    };
    let offset = match (number("at line "), number("at column ")) {
        (Some(line), Some(col)) if line >= 1 => src.offset_of(line, col.saturating_sub(1)),
        _ => 0,
    }
    .min(text.len());
    // Guard appends the whole rest of the file as "fragment": keep the part that explains.
    let what = message
        .split(", fragment")
        .next()
        .unwrap_or(message)
        .rsplit("when handling ")
        .next()
        .unwrap_or("")
        .trim();
    let what = if what.contains("Error parsing file") || what.is_empty() {
        "unexpected input".to_string()
    } else {
        what.to_string()
    };
    // One character, or none at a line end (a span over the line break would draw two lines).
    let end = match text[offset..].chars().next() {
        Some(c) if c != '\n' && c != '\r' => offset + c.len_utf8(),
        _ => offset,
    };
    InputError {
        span: Span::new(file, offset, end),
        message: format!("Guard syntax error: {what}"),
    }
}

/// The offset where bracket nesting first exceeds [`MAX_NESTING`], outside strings and
/// comments.
fn nesting(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut comment = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if comment {
            comment = b != b'\n';
            continue;
        }
        if let Some(q) = quote {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                _ if b == q => quote = None,
                _ => {}
            }
            continue;
        }
        match b {
            b'#' => comment = true,
            b'"' | b'\'' => quote = Some(b),
            b'[' | b'{' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b']' | b'}' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_comes_from_the_comment_block_above_the_rule() {
        let d = declarations(
            "# severity: high\n# owner: platform\nrule a {\n}\n\n# severity: nope\nrule b { }\nrule c {}\n",
        );
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].name, "a");
        assert_eq!(d[0].severity, Ok(Severity::High));
        assert!(d[1].severity.is_err());
        assert_eq!(d[2].severity, Ok(DEFAULT_SEVERITY));
        assert_eq!(
            &"# severity: high\n# owner: platform\nrule a {"[d[0].offset..][..1],
            "a"
        );
    }

    #[test]
    fn nesting_ignores_strings_and_comments() {
        assert_eq!(nesting("# ((((((\n'[[[['"), None);
        let deep = "[".repeat(MAX_NESTING + 1);
        assert_eq!(nesting(&deep), Some(MAX_NESTING));
    }
}
