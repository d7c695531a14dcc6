//! Finding the inputs below the scanned paths, all inside the project root.
//!
//! The walk skips `.git/` and `.terraform/`, follows symlinks whose target resolves inside
//! the root (a link back to an ancestor is an error, not an endless walk) and reports each
//! one that leads outside (`symlink-outside-root`) without following it. `.cislintignore`
//! leaves files out; inside a git work tree, `.gitignore` leaves out only files git does not
//! track (read from the index); nothing else is consulted (no `.ignore`, no git
//! configuration, no ignore file above the root). Every file or directory left out is listed
//! in [`Inputs::skipped`].

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::git_index::Tracked;
use crate::ignore_rules::{IgnoreFile, SkipReason, Skipped, Stack};
use crate::notice::{self, Notice};
use crate::root::ProjectRoot;

/// What a file may be, judged by its name; the content decides the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Candidate {
    /// `.tf` or `.tf.json`: part of its directory's Terraform module.
    Terraform,
    /// `.json`: a CloudFormation template, a plan, or nothing of ours.
    Json,
    /// `.yaml`, `.yml`, `.template`: a CloudFormation template or nothing of ours.
    Yaml,
}

/// The files found, grouped: Terraform by module directory, the rest one by one.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Module directory → its `.tf`/`.tf.json` files, sorted.
    pub terraform: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// Other candidate files, sorted.
    pub documents: Vec<(PathBuf, Candidate)>,
    /// Paths that could not be walked, with the reason.
    pub errors: Vec<(PathBuf, String)>,
    /// Text that replaces a file's content on disk (stdin read for `--stdin-filename`).
    pub overlay: BTreeMap<PathBuf, std::sync::Arc<str>>,
    /// The project root, canonical: code may read files (`file()`, modules) only below it.
    /// Empty: the directories of the inputs (an `Inputs` built by hand).
    pub root: PathBuf,
    /// Files and directories left out by ignore files or `exclude`, sorted.
    pub skipped: Vec<Skipped>,
    /// Symlinks not followed (outside the root) and other warnings of the walk.
    pub notices: Vec<Notice>,
}

/// The directory `dir` names on disk: `.` for the empty path, which is the parent of a
/// bare file name (`Path::new("plan.json").parent()` is `""`, which the file system does
/// not open).
pub fn on_disk(dir: &Path) -> &Path {
    if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }
}

/// Classifies a file name.
pub fn candidate(path: &Path) -> Option<Candidate> {
    let name = path.file_name()?.to_str()?;
    if name.ends_with(".tf") || name.ends_with(".tf.json") {
        return Some(Candidate::Terraform);
    }
    match path.extension()?.to_str()? {
        "json" => Some(Candidate::Json),
        "yaml" | "yml" | "template" => Some(Candidate::Yaml),
        _ => None,
    }
}

/// Walks `paths` recursively (files are taken as given) within `root`.
pub fn discover(paths: &[PathBuf], root: &ProjectRoot) -> Inputs {
    let mut walk = Walk::new(root, |p| candidate(p).is_some());
    for path in paths {
        walk.start(path);
    }
    let mut inputs = Inputs {
        root: root.canonical.clone(),
        ..Default::default()
    };
    for path in walk.finish(&mut inputs) {
        add(&mut inputs, path);
    }
    for files in inputs.terraform.values_mut() {
        files.sort();
        files.dedup();
    }
    inputs.documents.sort();
    inputs.documents.dedup();
    inputs.skipped.sort();
    inputs.skipped.dedup();
    inputs
}

/// The files below `paths` whose name `wanted` accepts, within `root` and without ignore
/// files (Guard rules directories named in `cislint.toml`). Returns the files, the paths
/// that could not be walked and the symlinks not followed.
pub fn files_within(
    paths: &[PathBuf],
    root: &ProjectRoot,
    wanted: fn(&Path) -> bool,
) -> (Vec<PathBuf>, Vec<(PathBuf, String)>, Vec<Notice>) {
    let mut walk = Walk::new(root, wanted);
    walk.ignore_files = false;
    for path in paths {
        walk.start(path);
    }
    let mut out = Inputs::default();
    let found = walk.finish(&mut out);
    (found, out.errors, out.notices)
}

/// The `.tf`/`.tf.json` files beside `file` (not below), sorted, within the root and its
/// ignore files: the module context of a named file. What the walk met (errors, files left
/// out, symlinks not followed) goes to `inputs`.
pub fn module_files(file: &Path, root: &ProjectRoot, inputs: &mut Inputs) -> Vec<PathBuf> {
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut walk = Walk::new(root, |p| candidate(p) == Some(Candidate::Terraform));
    walk.max_depth = 1;
    walk.start(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &dir
    });
    let mut out: Vec<PathBuf> = walk
        .finish(inputs)
        .into_iter()
        // `./main.tf` is `main.tf` when the file was named without a directory.
        .map(|p| match dir.as_os_str().is_empty() {
            true => p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p),
            false => p,
        })
        .collect();
    out.sort();
    out
}

fn add(inputs: &mut Inputs, path: PathBuf) {
    match candidate(&path) {
        Some(Candidate::Terraform) => {
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            inputs.terraform.entry(dir).or_default().push(path);
        }
        Some(kind) => inputs.documents.push((path, kind)),
        None => {}
    }
}

/// Deeper than this, a directory tree is not walked further (an error says so).
const MAX_DEPTH: usize = 512;

/// One walk's state and results.
struct Walk<'r> {
    root: &'r ProjectRoot,
    wanted: fn(&Path) -> bool,
    /// Whether `.cislintignore` and `.gitignore` apply (not to Guard rules directories).
    ignore_files: bool,
    /// `.gitignore` applies only inside a git work tree whose index can be read.
    git: bool,
    /// The index, read the first time a `.gitignore` rule matches (or why it could not be).
    tracked: OnceCell<std::sync::Arc<Result<Tracked, String>>>,
    max_depth: usize,
    found: Vec<PathBuf>,
    errors: Vec<(PathBuf, String)>,
    skipped: Vec<Skipped>,
    notices: Vec<Notice>,
}

/// What an entry of a directory is, symlinks resolved.
enum Kind {
    File,
    Dir(PathBuf),
    Other,
}

impl<'r> Walk<'r> {
    fn new(root: &'r ProjectRoot, wanted: fn(&Path) -> bool) -> Walk<'r> {
        Walk {
            root,
            wanted,
            ignore_files: true,
            git: root.git_top.is_some(),
            tracked: OnceCell::new(),
            max_depth: MAX_DEPTH,
            found: Vec::new(),
            errors: Vec::new(),
            skipped: Vec::new(),
            notices: Vec::new(),
        }
    }

    /// A path named on the command line: a file is taken as given (`.cislintignore` and the
    /// root still apply), a directory is walked.
    fn start(&mut self, path: &Path) {
        if std::fs::symlink_metadata(path).is_err() {
            self.errors
                .push((path.to_path_buf(), "no such file or directory".into()));
            return;
        }
        let canonical = match std::fs::canonicalize(path) {
            Ok(c) => c,
            Err(e) => {
                self.errors.push((path.to_path_buf(), unreadable(path, &e)));
                return;
            }
        };
        if !self.root.contains(&canonical) {
            match self.root.escaping_symlink(path) {
                Some(link) => self.outside(&link),
                None => self.errors.push((
                    path.to_path_buf(),
                    format!(
                        "outside the project root `{}`; not read",
                        self.root.absolute.display()
                    ),
                )),
            }
            return;
        }
        let abs = crate::config::absolute(path);
        let is_dir = canonical.is_dir();
        let (mut stack, above) = self.ancestor_rules(&abs, is_dir);
        if let Some(reason) = above.cislintignore {
            self.skip(path, reason);
        } else if is_dir {
            let mut ancestors = vec![canonical.clone()];
            let ignored = above.gitignore.as_ref();
            self.walk_dir(path, &abs, &canonical, &mut stack, ignored, &mut ancestors);
        } else if canonical.is_file() {
            // A named file: `.gitignore` does not apply (git would not pass an ignored file
            // to a hook), `.cislintignore` does, as `exclude` does.
            self.found.push(path.to_path_buf());
        }
    }

    /// The ignore files of the directories between the root and `path` (both inside), and
    /// what they say about `path` and the directories above it: a named path inside an
    /// ignored directory is ignored, as in git.
    fn ancestor_rules(&mut self, path: &Path, is_dir: bool) -> (Stack, Above) {
        let mut stack = Stack::default();
        let mut above = Above::default();
        if !self.ignore_files {
            return (stack, above);
        }
        let Ok(rel) = path.strip_prefix(&self.root.absolute) else {
            return (stack, above);
        };
        let cwd = crate::config::absolute(Path::new("."));
        let mut dir = self.root.absolute.clone();
        let components: Vec<_> = rel.components().collect();
        for (i, c) in components.iter().enumerate() {
            for kind in [IgnoreFile::Cislintignore, IgnoreFile::Gitignore] {
                let file = dir.join(kind.name());
                let shown = PathBuf::from(crate::terraform::loader::relative_dir(&cwd, &file));
                self.push_rules(&mut stack, kind, &dir, &file, &shown);
            }
            dir.push(c);
            // Every directory down to `path`, and `path` itself.
            let entry_is_dir = i + 1 < components.len() || is_dir;
            if above.cislintignore.is_none() {
                above.cislintignore = stack.ignored(IgnoreFile::Cislintignore, &dir, entry_is_dir);
            }
            if above.gitignore.is_none() && entry_is_dir && self.git {
                above.gitignore = stack.ignored(IgnoreFile::Gitignore, &dir, true);
            }
        }
        (stack, above)
    }

    /// Adds `dir`'s ignore file of `kind` when it applies and resolves inside the root.
    fn push_rules(
        &mut self,
        stack: &mut Stack,
        kind: IgnoreFile,
        dir: &Path,
        file: &Path,
        shown: &Path,
    ) -> bool {
        if kind == IgnoreFile::Gitignore && !self.git {
            return false;
        }
        let Ok(meta) = std::fs::symlink_metadata(file) else {
            return false;
        };
        if meta.is_symlink() && !self.root.resolves_inside(file) {
            self.outside(shown);
            return false;
        }
        stack.push(kind, dir, file, shown)
    }

    fn walk_dir(
        &mut self,
        dir: &Path,
        abs: &Path,
        canonical: &Path,
        stack: &mut Stack,
        ignored_parent: Option<&SkipReason>,
        ancestors: &mut Vec<PathBuf>,
    ) {
        if ancestors.len() > self.max_depth {
            if self.max_depth == MAX_DEPTH {
                self.errors.push((
                    dir.to_path_buf(),
                    format!("directories nested deeper than {MAX_DEPTH} levels; not walked"),
                ));
            }
            return;
        }
        let mut entries: Vec<(std::ffi::OsString, std::fs::FileType)> = match std::fs::read_dir(dir)
        {
            Ok(rd) => rd
                .flatten()
                .filter_map(|e| Some((e.file_name(), e.file_type().ok()?)))
                .collect(),
            Err(e) => {
                self.errors.push((dir.to_path_buf(), unreadable(dir, &e)));
                return;
            }
        };
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut pushed = 0;
        if self.ignore_files {
            for kind in [IgnoreFile::Cislintignore, IgnoreFile::Gitignore] {
                if entries.iter().any(|(n, _)| n == kind.name()) {
                    let (file, shown) = (abs.join(kind.name()), dir.join(kind.name()));
                    pushed += usize::from(self.push_rules(stack, kind, abs, &file, &shown));
                }
            }
        }
        for (name, file_type) in entries {
            if name == ".git" || name == ".terraform" {
                continue;
            }
            // Most files of a tree are no input: judged by name before any path is built.
            if file_type.is_file() && !(self.wanted)(Path::new(&name)) {
                continue;
            }
            let path = dir.join(&name);
            let kind = if file_type.is_symlink() {
                match self.follow(&path) {
                    Some(k) => k,
                    None => continue,
                }
            } else if file_type.is_dir() {
                Kind::Dir(canonical.join(&name))
            } else if file_type.is_file() {
                Kind::File
            } else {
                Kind::Other
            };
            let entry_abs = abs.join(&name);
            match kind {
                Kind::File => {
                    if !(self.wanted)(&path) {
                        continue;
                    }
                    match self.ignored(stack, &entry_abs, false, ignored_parent) {
                        Decision::Skip(reason) => self.skip(&path, reason),
                        _ => self.found.push(path),
                    }
                }
                Kind::Dir(target) => {
                    if let Some(at) = ancestors.iter().position(|a| *a == target) {
                        let shown = dir_shown(dir, ancestors.len() - at);
                        self.errors.push((
                            path,
                            format!(
                                "symlink loop: it points to its ancestor directory `{}`",
                                shown.display()
                            ),
                        ));
                        continue;
                    }
                    let inherited = match self.ignored(stack, &entry_abs, true, ignored_parent) {
                        Decision::Skip(reason) => {
                            self.skip(&path, reason);
                            continue;
                        }
                        Decision::TrackedBelow(reason) => Some(reason),
                        Decision::Scan => None,
                    };
                    ancestors.push(target.clone());
                    let parent = inherited.as_ref().or(ignored_parent);
                    self.walk_dir(&path, &entry_abs, &target, stack, parent, ancestors);
                    ancestors.pop();
                }
                Kind::Other => {}
            }
        }
        stack.pop(pushed);
    }

    /// What a symlink in the walk leads to; `None` when it is not followed (outside the
    /// root: reported once; dangling: an error when its name is one cislint would read).
    fn follow(&mut self, link: &Path) -> Option<Kind> {
        match std::fs::canonicalize(link) {
            Ok(target) if !self.root.contains(&target) => {
                self.outside(link);
                None
            }
            Ok(target) => match std::fs::metadata(&target) {
                Ok(m) if m.is_dir() => Some(Kind::Dir(target)),
                Ok(m) if m.is_file() => Some(Kind::File),
                _ => Some(Kind::Other),
            },
            Err(e) => {
                if (self.wanted)(link) {
                    self.errors.push((link.to_path_buf(), unreadable(link, &e)));
                }
                None
            }
        }
    }

    /// Whether the ignore files leave `path` (absolute) out: `.cislintignore` always,
    /// `.gitignore` (or an ignored parent) only when git does not track it.
    fn ignored(
        &self,
        stack: &Stack,
        path: &Path,
        is_dir: bool,
        ignored_parent: Option<&SkipReason>,
    ) -> Decision {
        if !self.ignore_files {
            return Decision::Scan;
        }
        if let Some(reason) = stack.ignored(IgnoreFile::Cislintignore, path, is_dir) {
            return Decision::Skip(reason);
        }
        if !self.git {
            return Decision::Scan;
        }
        let reason = match ignored_parent {
            Some(r) => r.clone(),
            None => match stack.ignored(IgnoreFile::Gitignore, path, is_dir) {
                Some(r) => r,
                None => return Decision::Scan,
            },
        };
        match self.tracked() {
            None => Decision::Scan,
            Some(t) if t.covers(path, is_dir) => {
                if is_dir {
                    Decision::TrackedBelow(reason)
                } else {
                    Decision::Scan
                }
            }
            Some(_) => Decision::Skip(reason),
        }
    }

    /// The index, read once; `None` when it cannot be read (`finish` reports why).
    fn tracked(&self) -> Option<&Tracked> {
        let top = self.root.git_top.as_ref()?;
        self.tracked
            .get_or_init(|| crate::git_index::tracked(top))
            .as_ref()
            .as_ref()
            .ok()
    }

    /// Moves what the walk met into `inputs` (merged with what is there, notices once per
    /// path) and returns the files found.
    fn finish(self, inputs: &mut Inputs) -> Vec<PathBuf> {
        inputs.errors.extend(self.errors);
        inputs.skipped.extend(self.skipped);
        let index_notice = match (self.tracked.into_inner(), &self.root.git_top) {
            (Some(read), Some(top)) => match read.as_ref() {
                Err(reason) => Some(notice::git_index_unreadable(top, reason)),
                Ok(_) => None,
            },
            _ => None,
        };
        for n in self.notices.into_iter().chain(index_notice) {
            notice::push_once(&mut inputs.notices, n);
        }
        self.found
    }

    fn skip(&mut self, path: &Path, reason: SkipReason) {
        self.skipped.push(Skipped {
            path: path.to_path_buf(),
            reason,
        });
    }

    /// A symlink out of the root: reported once, however it was named.
    fn outside(&mut self, link: &Path) {
        let n = notice::symlink_outside_root(link, &self.root.absolute);
        notice::push_once(&mut self.notices, n);
    }
}
/// What the ignore files of the directories above a named path say about it.
#[derive(Default)]
struct Above {
    /// `.cislintignore` leaves it out.
    cislintignore: Option<SkipReason>,
    /// `.gitignore` ignores it or a directory above it (files git tracks are kept).
    gitignore: Option<SkipReason>,
}

/// What the ignore files decide for one entry.
enum Decision {
    Scan,
    Skip(SkipReason),
    /// An ignored directory holding tracked files: walked, its untracked files left out.
    TrackedBelow(SkipReason),
}

/// The ancestor `up` levels above the displayed directory `dir` (`.` when it climbs past
/// what is displayed).
fn dir_shown(dir: &Path, up: usize) -> PathBuf {
    let mut d = dir.to_path_buf();
    for _ in 1..up {
        if !d.pop() {
            break;
        }
    }
    if d.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        d
    }
}

/// The message for a path that could not be read.
fn unreadable(path: &Path, e: &std::io::Error) -> String {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) {
        match e.kind() {
            std::io::ErrorKind::NotFound => "dangling symlink: its target does not exist".into(),
            _ => format!("symlink cannot be followed: {e}"),
        }
    } else {
        e.to_string()
    }
}
