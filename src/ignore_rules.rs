//! Ignore files, for convenience and never for hiding: `.cislintignore` (cislint's own, in
//! gitignore syntax) leaves files out of the scan; `.gitignore` leaves out only files git does
//! not track, and only inside a git work tree. Both are read only inside the project root,
//! one matcher per directory; every file or directory left out is recorded with the rule
//! that did it, for `--stats` and JSON.

use std::path::{Path, PathBuf};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// Which setting left a path out.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// `exclude` in `cislint.toml` or `--exclude`.
    Exclude { pattern: String },
    /// A `.cislintignore` rule.
    Cislintignore { rule: String, at: String },
    /// A `.gitignore` rule, for a file git does not track.
    Gitignore { rule: String, at: String },
}

/// A file or directory left out of the scan.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    /// As displayed (a directory is left out whole).
    pub path: PathBuf,
    pub reason: SkipReason,
}

impl SkipReason {
    /// `exclude`, `cislintignore` or `gitignore`.
    pub fn kind(&self) -> &'static str {
        match self {
            SkipReason::Exclude { .. } => "exclude",
            SkipReason::Cislintignore { .. } => "cislintignore",
            SkipReason::Gitignore { .. } => "gitignore",
        }
    }

    /// The pattern that matched.
    pub fn pattern(&self) -> &str {
        match self {
            SkipReason::Exclude { pattern } => pattern,
            SkipReason::Cislintignore { rule, .. } | SkipReason::Gitignore { rule, .. } => rule,
        }
    }

    /// Where the pattern is written (`infra/.gitignore:3`), for ignore files.
    pub fn source(&self) -> Option<&str> {
        match self {
            SkipReason::Exclude { .. } => None,
            SkipReason::Cislintignore { at, .. } | SkipReason::Gitignore { at, .. } => Some(at),
        }
    }

    /// One line for people: ``.gitignore:3 `*.tf` (not tracked by git)``.
    pub fn describe(&self) -> String {
        match self {
            SkipReason::Exclude { pattern } => format!("exclude `{pattern}`"),
            SkipReason::Cislintignore { rule, at } => format!("{at} `{rule}`"),
            SkipReason::Gitignore { rule, at } => format!("{at} `{rule}` (not tracked by git)"),
        }
    }
}

/// The two ignore files cislint reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IgnoreFile {
    Cislintignore,
    Gitignore,
}

impl IgnoreFile {
    /// The file name in a directory.
    pub fn name(self) -> &'static str {
        match self {
            IgnoreFile::Cislintignore => ".cislintignore",
            IgnoreFile::Gitignore => ".gitignore",
        }
    }
}

/// The matchers of the directories from the root down to the one being walked.
#[derive(Clone, Default)]
pub struct Stack {
    layers: Vec<Layer>,
}

#[derive(Clone)]
struct Layer {
    kind: IgnoreFile,
    matcher: std::sync::Arc<Gitignore>,
}

impl Stack {
    /// Adds the matcher of `dir`'s ignore file `path` (already checked to lie inside the
    /// root); returns whether one was added.
    pub fn push(&mut self, kind: IgnoreFile, dir: &Path, path: &Path, shown: &Path) -> bool {
        match load(dir, path, shown) {
            Some(matcher) => {
                self.layers.push(Layer {
                    kind,
                    matcher: std::sync::Arc::new(matcher),
                });
                true
            }
            None => false,
        }
    }

    /// Removes the last `n` matchers added.
    pub fn pop(&mut self, n: usize) {
        self.layers.truncate(self.layers.len().saturating_sub(n));
    }

    /// Whether there is any rule of `kind`.
    pub fn has(&self, kind: IgnoreFile) -> bool {
        self.layers.iter().any(|l| l.kind == kind)
    }

    /// The rule of `kind` deciding `path` (absolute), if it ignores it: the deepest file
    /// with a matching rule decides, and within it the last matching rule, as in git.
    pub fn ignored(&self, kind: IgnoreFile, path: &Path, is_dir: bool) -> Option<SkipReason> {
        for layer in self.layers.iter().rev().filter(|l| l.kind == kind) {
            match layer.matcher.matched(path, is_dir) {
                Match::None => continue,
                Match::Whitelist(_) => return None,
                Match::Ignore(glob) => {
                    let rule = glob.original().to_string();
                    let at = glob
                        .from()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    return Some(match kind {
                        IgnoreFile::Cislintignore => SkipReason::Cislintignore { rule, at },
                        IgnoreFile::Gitignore => SkipReason::Gitignore { rule, at },
                    });
                }
            }
        }
        None
    }
}

/// The largest ignore file read; a larger one is not a list of patterns anybody wrote.
const MAX_IGNORE_FILE: u64 = 1 << 20;

/// Compiles one ignore file; each rule remembers its file and line (`dir/.gitignore:3`).
/// Lines that are not valid patterns are skipped, as git skips them.
fn load(dir: &Path, path: &Path, shown: &Path) -> Option<Gitignore> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_IGNORE_FILE {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let mut builder = GitignoreBuilder::new(dir);
    for (i, line) in text.lines().enumerate() {
        let from = PathBuf::from(format!("{}:{}", shown.display(), i + 1));
        let _ = builder.add_line(Some(from), line);
    }
    builder.build().ok().filter(|g| !g.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deeper_files_and_later_rules_decide() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join(".gitignore"), "# generated\n*.tf\n!keep.tf\n").unwrap();
        std::fs::write(root.join("sub/.gitignore"), "!*.tf\n").unwrap();
        let mut stack = Stack::default();
        assert!(stack.push(
            IgnoreFile::Gitignore,
            root,
            &root.join(".gitignore"),
            Path::new(".gitignore")
        ));
        let reason = stack.ignored(IgnoreFile::Gitignore, &root.join("a.tf"), false);
        assert_eq!(
            reason,
            Some(SkipReason::Gitignore {
                rule: "*.tf".into(),
                at: ".gitignore:2".into()
            })
        );
        assert_eq!(
            stack.ignored(IgnoreFile::Gitignore, &root.join("keep.tf"), false),
            None
        );
        assert_eq!(
            stack.ignored(IgnoreFile::Cislintignore, &root.join("a.tf"), false),
            None,
            "a .gitignore rule is not a .cislintignore rule"
        );
        stack.push(
            IgnoreFile::Gitignore,
            &root.join("sub"),
            &root.join("sub/.gitignore"),
            Path::new("sub/.gitignore"),
        );
        assert_eq!(
            stack.ignored(IgnoreFile::Gitignore, &root.join("sub/a.tf"), false),
            None
        );
        stack.pop(1);
        assert!(
            stack
                .ignored(IgnoreFile::Gitignore, &root.join("sub/a.tf"), false)
                .is_some()
        );
    }
}
