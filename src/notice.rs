//! Notices: warnings about how cislint was used rather than about the infrastructure
//! (a suppression without a reason, one that expired or matches nothing, a stale baseline
//! entry, a symlink out of the project root, a reference to an undeclared name). They never
//! change the exit status.

use std::path::PathBuf;

use crate::catalog::Lang;
use crate::source::{SourceMap, Span};

/// The code of the note on a metric filter whose pattern passes a 3.x control while
/// matching more events than the benchmark's.
pub const BROADER_PATTERN: &str = "broader-pattern";

/// How a notice is shown: every kind is a warning, except the notes, which only inform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Warning,
    Note,
}

impl Level {
    /// `warning` or `note`, as JSON, SARIF and `--statistics` write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

/// One warning or note, in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Kebab-case kind: `unused-suppression`, `expired-suppression`, `suppression-without-reason`,
    /// `invalid-suppression`, `stale-baseline-entry`, `symlink-outside-root`,
    /// `git-index-unreadable`, `undeclared-reference`; `broader-pattern` (a note).
    pub code: &'static str,
    /// Where it is, when it is in a scanned file.
    pub span: Option<Span>,
    /// The file it is about when there is no span (a baseline file).
    pub file: Option<PathBuf>,
    pub en: String,
    pub ja: String,
}

impl Notice {
    /// Warning or note: a property of the kind (`code`).
    pub fn level(&self) -> Level {
        if self.code == BROADER_PATTERN {
            Level::Note
        } else {
            Level::Warning
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ja => &self.ja,
        }
    }

    /// The file path shown for the notice, if any.
    pub fn path(&self, sources: &SourceMap) -> Option<PathBuf> {
        match self.span {
            Some(s) => Some(sources.get(s.file).path.clone()),
            None => self.file.clone(),
        }
    }
}

/// How many of `notices` are at `level`.
pub fn count(notices: &[Notice], level: Level) -> usize {
    notices.iter().filter(|n| n.level() == level).count()
}

/// Sorts notices by file, position and code for a stable output.
pub fn sort(notices: &mut [Notice], sources: &SourceMap) {
    notices.sort_by_cached_key(|n| {
        (
            n.path(sources),
            n.span.map(|s| (s.start, s.end)),
            n.code,
            n.en.clone(),
        )
    });
}

/// Adds `notice` unless one of its kind is there for the same path (however the path is
/// written): a symlink met by the walk and by the evaluation is reported once.
pub fn push_once(notices: &mut Vec<Notice>, notice: Notice) {
    let place = |n: &Notice| n.file.as_deref().map(crate::config::absolute);
    let here = place(&notice);
    let known = notices
        .iter()
        .any(|n| n.code == notice.code && n.span == notice.span && place(n) == here);
    if !known {
        notices.push(notice);
    }
}

/// A symlink that leads outside the project root: not followed, and reported once.
pub fn symlink_outside_root(link: &std::path::Path, root: &std::path::Path) -> Notice {
    let target = std::fs::read_link(link)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    Notice {
        code: "symlink-outside-root",
        span: None,
        file: Some(link.to_path_buf()),
        en: format!(
            "symlink to `{target}` leads outside the project root `{}`; it is not followed",
            root.display()
        ),
        ja: format!(
            "シンボリックリンク（`{target}`）はプロジェクトルート `{}` の外を指すため、たどりません",
            root.display()
        ),
    }
}

/// The git index could not be read: ignore files are then not consulted at all, so that
/// nothing is left out on a guess.
pub fn git_index_unreadable(top: &std::path::Path, reason: &str) -> Notice {
    let cwd = crate::config::absolute(std::path::Path::new("."));
    let dot_git = crate::terraform::loader::relative_dir(&cwd, &top.join(".git"));
    Notice {
        code: "git-index-unreadable",
        span: None,
        file: Some(dot_git.into()),
        en: format!(
            "the git index could not be read ({reason}); `.gitignore` files are not consulted"
        ),
        ja: format!(
            "git のインデックスを読めませんでした（{reason}）。`.gitignore` は参照しません"
        ),
    }
}
