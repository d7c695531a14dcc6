//! The project root: the one directory everything a scan reads lies under.
//!
//! It is `--root DIR`, else the top of the git work tree that holds the scanned paths (found
//! by looking for `.git` upward, without opening anything), else the current directory, or,
//! when a scanned path lies outside the current directory and no work tree holds it, the
//! directory the scanned paths have in common. A path that resolves (through a symlink)
//! outside the root is never read.

use std::path::{Component, Path, PathBuf};

use crate::config::absolute;

/// How the root was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `--root DIR`.
    Flag,
    /// The top of the git work tree holding the scanned paths.
    GitWorkTree,
    /// The current directory.
    CurrentDir,
    /// The directory the scanned paths have in common (they lie outside the current
    /// directory and outside any git work tree).
    CommonDir,
}

/// The project root of a run.
#[derive(Clone, Debug)]
pub struct ProjectRoot {
    /// Absolute, with `.` and `..` folded but symlinks kept: what given paths are compared with.
    pub absolute: PathBuf,
    /// With symlinks resolved: what every path that is read must resolve below.
    pub canonical: PathBuf,
    pub origin: Origin,
    /// The top of the git work tree holding the root (absolute), if any; it may lie above
    /// the root when `--root` names a directory inside a work tree.
    pub git_top: Option<PathBuf>,
}

impl ProjectRoot {
    /// The root for scanning `paths` (lexically; `-` is left out by the caller), with
    /// `--root` when given. A given path must lie below a `--root`, before or after its
    /// symlinks are resolved.
    pub fn find(flag: Option<&Path>, paths: &[PathBuf]) -> Result<ProjectRoot, String> {
        let given: Vec<PathBuf> = paths.iter().map(|p| absolute(p)).collect();
        if let Some(dir) = flag {
            let abs = absolute(dir);
            let canonical = std::fs::canonicalize(&abs)
                .ok()
                .filter(|c| c.is_dir())
                .ok_or_else(|| format!("--root {}: no such directory", dir.display()))?;
            let root = ProjectRoot {
                git_top: git_top(&abs),
                absolute: abs,
                canonical,
                origin: Origin::Flag,
            };
            for (p, a) in paths.iter().zip(&given) {
                let inside = a.starts_with(&root.absolute)
                    || std::fs::canonicalize(a).is_ok_and(|c| root.contains(&c));
                if !inside {
                    return Err(format!(
                        "{} lies outside the project root {} (--root)",
                        p.display(),
                        root.absolute.display()
                    ));
                }
            }
            return Ok(root);
        }
        let cwd = absolute(Path::new("."));
        let common = common_dir(&given).unwrap_or_else(|| cwd.clone());
        let (absolute, origin) = match git_top(&common) {
            Some(top) => (top, Origin::GitWorkTree),
            None if common.starts_with(&cwd) => (cwd, Origin::CurrentDir),
            None => (common, Origin::CommonDir),
        };
        let canonical = std::fs::canonicalize(&absolute).unwrap_or_else(|_| absolute.clone());
        let git_top = (origin == Origin::GitWorkTree).then(|| absolute.clone());
        Ok(ProjectRoot {
            absolute,
            canonical,
            origin,
            git_top,
        })
    }

    /// The root of a scan of `paths` without `--root` (library use, benchmarks).
    pub fn for_paths(paths: &[PathBuf]) -> ProjectRoot {
        // Without a flag, `find` has nothing to refuse.
        ProjectRoot::find(None, paths).unwrap_or_else(|_| ProjectRoot::at(Path::new(".")))
    }

    /// A root at `dir` itself, outside any work tree (tests and tools).
    pub fn at(dir: &Path) -> ProjectRoot {
        let absolute = absolute(dir);
        ProjectRoot {
            canonical: std::fs::canonicalize(&absolute).unwrap_or_else(|_| absolute.clone()),
            absolute,
            origin: Origin::Flag,
            git_top: None,
        }
    }

    /// Whether a canonical path lies below the root (or is the root).
    pub fn contains(&self, canonical: &Path) -> bool {
        canonical.starts_with(&self.canonical)
    }

    /// Whether `path` (as given or walked) resolves below the root. A path that does not
    /// exist is judged by where it lies lexically.
    pub fn resolves_inside(&self, path: &Path) -> bool {
        match std::fs::canonicalize(path) {
            Ok(c) => self.contains(&c),
            Err(_) => absolute(path).starts_with(&self.absolute),
        }
    }

    /// The first symlink along `path` (a component of it, or the path itself) whose target
    /// resolves outside the root: the reason a path that looks inside leads out. Only
    /// `lstat` and `readlink` are used; nothing is opened.
    pub fn escaping_symlink(&self, path: &Path) -> Option<PathBuf> {
        first_symlink(path, |link| {
            std::fs::canonicalize(link).is_ok_and(|target| !self.contains(&target))
        })
    }
}

/// The first symlink along `path` (a component of it, or the path itself) for which
/// `leads_out` holds. Only `lstat` is used here.
pub fn first_symlink(path: &Path, leads_out: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let mut prefix = PathBuf::new();
    for c in path.components() {
        prefix.push(c);
        if matches!(c, Component::Normal(_))
            && std::fs::symlink_metadata(&prefix).is_ok_and(|m| m.is_symlink())
            && leads_out(&prefix)
        {
            return Some(prefix);
        }
    }
    None
}

/// The top of the git work tree holding `dir`: the nearest ancestor with a `.git` directory
/// or `.git` file (worktrees, submodules). Only `lstat` is used.
pub fn git_top(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| {
            std::fs::symlink_metadata(d.join(".git"))
                .is_ok_and(|m| m.file_type().is_dir() || m.file_type().is_file())
        })
        .map(Path::to_path_buf)
}

/// The deepest directory holding every path (a file counts by its directory).
fn common_dir(paths: &[PathBuf]) -> Option<PathBuf> {
    let dirs = paths.iter().map(|p| {
        if p.is_dir() {
            p.clone()
        } else {
            p.parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| p.clone())
        }
    });
    dirs.reduce(|a, b| {
        a.components()
            .zip(b.components())
            .take_while(|(x, y)| x == y)
            .map(|(x, _)| x)
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_directory_of_files_and_directories() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::create_dir_all(a.join("b")).unwrap();
        std::fs::write(a.join("b/main.tf"), "").unwrap();
        assert_eq!(common_dir(&[a.join("b/main.tf")]), Some(a.join("b")));
        assert_eq!(common_dir(&[a.join("b/main.tf"), a.clone()]), Some(a));
        assert_eq!(common_dir(&[]), None);
    }

    #[cfg(unix)]
    #[test]
    fn finds_the_symlink_that_leads_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("in")).unwrap();
        std::fs::create_dir_all(dir.path().join("out")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("out"), root.join("away")).unwrap();
        std::os::unix::fs::symlink("in", root.join("near")).unwrap();
        let r = ProjectRoot::at(&root);
        assert_eq!(
            r.escaping_symlink(&root.join("away/x.tf")),
            Some(root.join("away"))
        );
        assert_eq!(r.escaping_symlink(&root.join("near/x.tf")), None);
        assert!(!r.resolves_inside(&root.join("away")));
        assert!(r.resolves_inside(&root.join("near")));
    }
}
