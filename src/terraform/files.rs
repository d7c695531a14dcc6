//! File access on behalf of the scanned code (`file()`, `templatefile()`, tfvars, modules):
//! only below the project root, never through `..`, absolute paths or symlinks that lead out
//! of it (such a symlink is remembered, to be reported once). Every file read is registered
//! in the [`SourceMap`] so that findings can point into it.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::source::{FileId, SourceMap};

/// Why a path may not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum Denied {
    /// The path leads outside the project root (or is absolute): an input error.
    Outside(String),
    /// Inside, but there is no such file (Terraform would fail; `try` can catch it).
    Missing,
}

/// The project root and the source map files are registered in.
pub struct Files<'s> {
    pub sources: &'s SourceMap,
    /// Canonical directories reads are confined to: the project root.
    roots: Vec<PathBuf>,
    /// Symlinks met that lead outside the roots (not followed), in the order met.
    outside_links: Mutex<Vec<PathBuf>>,
    /// Paths canonicalized so far: the same module sources are resolved by grouping, root
    /// detection and every root that loads them, and each resolution costs system calls.
    canonical: Mutex<foldhash::HashMap<PathBuf, Option<PathBuf>>>,
}

impl<'s> Files<'s> {
    /// Confines reads to `roots` (directories; canonicalized here).
    pub fn new(sources: &'s SourceMap, roots: &[PathBuf]) -> Files<'s> {
        let mut canonical: Vec<PathBuf> = roots
            .iter()
            .filter_map(|r| std::fs::canonicalize(crate::discover::on_disk(r)).ok())
            .map(|r| {
                if r.is_file() {
                    r.parent().map(Path::to_path_buf).unwrap_or(r)
                } else {
                    r
                }
            })
            .collect();
        canonical.sort();
        canonical.dedup();
        Files {
            sources,
            roots: canonical,
            outside_links: Mutex::default(),
            canonical: Mutex::default(),
        }
    }

    /// The symlinks met that lead outside the roots, each once, sorted.
    pub fn outside_links(&self) -> Vec<PathBuf> {
        let mut links = self
            .outside_links
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        links.sort();
        links.dedup();
        links
    }

    /// Remembers a symlink that leads outside the roots, found by a caller.
    pub fn note_outside_link(&self, link: &Path) {
        self.outside_links
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(link.to_path_buf());
    }

    /// The symlink along `display` that leads outside the roots, remembered; `None` when the
    /// path itself climbs out.
    fn escaping_symlink(&self, display: &Path) -> Option<PathBuf> {
        let link = crate::root::first_symlink(display, |link| {
            self.canonicalize(link).is_some_and(|t| !self.inside(&t))
        })?;
        self.note_outside_link(&link);
        Some(link)
    }

    /// Why `path` (as written) resolved to `display` is refused: through a symlink, or
    /// because it climbs out.
    fn outside(&self, path: &str, display: &Path) -> Denied {
        Denied::Outside(match self.escaping_symlink(display) {
            Some(link) => format!(
                "`{path}` leads outside the project root through the symlink `{}`; it is not read",
                link.display()
            ),
            None => format!(
                "`{path}` is outside the project root; it is not read (scan from the top of the \
                 repository, or widen the root with `--root`)"
            ),
        })
    }

    /// Whether a canonical path lies below the root.
    pub fn inside(&self, canonical: &Path) -> bool {
        self.roots.iter().any(|r| canonical.starts_with(r))
    }

    /// Resolves `path` (as written in the code) against `base` (a displayed directory):
    /// the displayed path and the canonical one.
    pub fn resolve(&self, base: &Path, path: &str) -> Result<(PathBuf, PathBuf), Denied> {
        if path.is_empty() {
            return Err(Denied::Missing);
        }
        let p = Path::new(path);
        if p.is_absolute() || path.starts_with('~') {
            return Err(Denied::Outside(format!(
                "`{path}` is an absolute path; cislint reads only files below the project root"
            )));
        }
        let display = normalize(&base.join(p));
        let canonical = match self.canonicalize(&display) {
            Some(c) => c,
            None => {
                // Not there; still refuse a path that climbs out, so that nothing outside is probed.
                let base_canon = std::fs::canonicalize(base).map_err(|_| Denied::Missing)?;
                let guess = normalize(&base_canon.join(p));
                return if self.inside(&guess) {
                    Err(Denied::Missing)
                } else {
                    Err(self.outside(path, &display))
                };
            }
        };
        if !self.inside(&canonical) {
            return Err(self.outside(path, &display));
        }
        Ok((display, canonical))
    }

    /// `std::fs::canonicalize`, once per path.
    fn canonicalize(&self, path: &Path) -> Option<PathBuf> {
        let cached = self
            .canonical
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
            .cloned();
        if let Some(c) = cached {
            return c;
        }
        let c = std::fs::canonicalize(path).ok();
        self.canonical
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_path_buf(), c.clone());
        c
    }

    /// Reads a resolved file as text and registers it (once) under its displayed path.
    pub fn read_text(
        &self,
        display: &Path,
        canonical: &Path,
    ) -> Result<(FileId, Arc<str>), String> {
        if !canonical.is_file() {
            return Err("not a file".into());
        }
        if let Some(id) = self.sources.find(display) {
            return Ok((id, self.sources.get(id).text.clone()));
        }
        // Two threads may read the same file at once; the first registered wins.
        let text: Arc<str> = crate::scan::read(canonical)?.into();
        let id = self.sources.add_once(display.to_path_buf(), text);
        Ok((id, self.sources.get(id).text.clone()))
    }

    /// Reads a resolved file's bytes (for `filebase64`, `filesha256`).
    pub fn read_bytes(&self, canonical: &Path) -> Result<Vec<u8>, String> {
        let meta = std::fs::metadata(canonical).map_err(|e| e.to_string())?;
        if !meta.is_file() || meta.len() > crate::parse::limits::get().file_size {
            return Err("not a readable file".into());
        }
        std::fs::read(canonical).map_err(|e| e.to_string())
    }

    /// Registers a file that was read elsewhere (a module's `.tf`), once per displayed path.
    pub fn register(&self, display: &Path, text: Arc<str>) -> FileId {
        self.sources.add_once(display.to_path_buf(), text)
    }
}

/// Removes `.` and folds `..` lexically (`a/b/../c` → `a/c`), keeping leading `..`.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            c => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../x/..")), PathBuf::from(".."));
        assert_eq!(normalize(Path::new("a/..")), PathBuf::from("."));
    }

    #[test]
    fn refuses_paths_out_of_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("ok.json"), "{}").unwrap();
        std::fs::write(dir.path().join("secret"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret"), root.join("link")).unwrap();
        let sources = SourceMap::default();
        let files = Files::new(&sources, std::slice::from_ref(&root));
        assert!(files.resolve(&root, "ok.json").is_ok());
        assert!(matches!(
            files.resolve(&root, "../secret"),
            Err(Denied::Outside(_))
        ));
        assert!(matches!(
            files.resolve(&root, "/etc/passwd"),
            Err(Denied::Outside(_))
        ));
        assert!(matches!(
            files.resolve(&root, "../../../../etc/passwd"),
            Err(Denied::Outside(_))
        ));
        assert_eq!(files.resolve(&root, "nope.json"), Err(Denied::Missing));
        #[cfg(unix)]
        {
            let Err(Denied::Outside(why)) = files.resolve(&root, "link") else {
                panic!("a symlink out is refused");
            };
            assert!(why.contains("through the symlink"), "{why}");
            assert_eq!(files.outside_links(), vec![root.join("link")]);
        }
    }
}
