//! Which files git tracks, read from the work tree's index in process (never by running
//! `git`): a tracked file is always scanned, whatever `.gitignore` says.
//!
//! The index is found through the work tree's `.git`: a directory, or a file
//! `gitdir: PATH` (linked worktrees, submodules), whose git directory then holds the index.
//! Git never tracks a path named `.git`, so a pull request cannot add or change it; only the
//! index file (and, for a split index, its shared part beside it) is read there.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The tracked paths of a work tree.
pub struct Tracked {
    /// The work tree's top (absolute): index paths are relative to it.
    top: PathBuf,
    state: gix_index::State,
}

/// The largest index read (a corrupt or hostile one is refused, not allocated).
const MAX_INDEX_BYTES: u64 = 1 << 30;

/// The index of the work tree at `top`, read once per process: each file named on the command
/// line walks its own directory, and they all share it.
pub fn tracked(top: &Path) -> Arc<Result<Tracked, String>> {
    type Cache = Mutex<HashMap<PathBuf, Arc<Result<Tracked, String>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(top.to_path_buf())
        .or_insert_with(|| Arc::new(Tracked::read(top)))
        .clone()
}

impl Tracked {
    /// Reads the index of the work tree at `top`; the error says why it could not be read.
    pub fn read(top: &Path) -> Result<Tracked, String> {
        let index = index_path(top)?;
        let meta =
            std::fs::symlink_metadata(&index).map_err(|e| format!("{}: {e}", index.display()))?;
        if !meta.file_type().is_file() {
            return Err(format!("{}: not a regular file", index.display()));
        }
        if meta.len() > MAX_INDEX_BYTES {
            return Err(format!("{}: larger than 1 GiB", index.display()));
        }
        let options = gix_index::decode::Options {
            alloc_limit_bytes: Some(MAX_INDEX_BYTES as usize),
            ..Default::default()
        };
        // The checksum is not verified: a corrupt index can only make more files count as
        // tracked, which scans more, never less.
        // A work tree unpacked from an archive may hold any bytes there: a decoder panic
        // is one more reason the index cannot be read, never the end of the scan.
        let decoded = std::panic::catch_unwind(|| {
            gix_index::File::at(&index, gix_index::hash::Kind::Sha1, true, options)
        });
        let file = match decoded {
            Ok(Ok(file)) => file,
            Ok(Err(e)) => return Err(format!("{}: {e}", index.display())),
            Err(_) => return Err(format!("{}: cannot be decoded", index.display())),
        };
        Ok(Tracked {
            top: top.to_path_buf(),
            state: file.into(),
        })
    }

    /// Whether git tracks `path` (absolute, lexical) or, for a directory, something below
    /// it. Paths inside a submodule or a sparse directory entry count as tracked.
    pub fn covers(&self, path: &Path, is_dir: bool) -> bool {
        let Ok(rel) = path.strip_prefix(&self.top) else {
            return false;
        };
        let Some(rel) = rel.to_str() else {
            return self.covers_bytes(&os_bytes(rel), is_dir);
        };
        self.covers_bytes(rel.as_bytes(), is_dir)
    }

    fn covers_bytes(&self, rel: &[u8], is_dir: bool) -> bool {
        if rel.is_empty() {
            return !self.state.entries().is_empty();
        }
        if self.state.entry_index_by_path(rel.into()).is_ok() {
            return true;
        }
        if is_dir {
            let mut prefix = rel.to_vec();
            prefix.push(b'/');
            if self
                .state
                .prefixed_entries_range(prefix[..].into())
                .is_some()
            {
                return true;
            }
        }
        // A submodule (gitlink) or sparse directory entry stands for everything below it.
        rel.iter()
            .enumerate()
            .filter(|(_, b)| **b == b'/')
            .any(|(i, _)| {
                let dir = &rel[..i];
                let with_slash = &rel[..=i];
                self.state
                    .entry_by_path(dir.into())
                    .or_else(|| self.state.entry_by_path(with_slash.into()))
                    .is_some_and(|e| e.mode.is_submodule() || e.mode.is_sparse())
            })
    }
}

/// The index file of the work tree at `top`.
fn index_path(top: &Path) -> Result<PathBuf, String> {
    let dot_git = top.join(".git");
    let meta =
        std::fs::symlink_metadata(&dot_git).map_err(|e| format!("{}: {e}", dot_git.display()))?;
    if meta.file_type().is_dir() {
        return Ok(dot_git.join("index"));
    }
    // `gitdir: PATH`, relative to the work tree: a few hundred bytes at most.
    if !meta.file_type().is_file() || meta.len() > 4096 {
        return Err(format!(
            "{}: not a git directory or gitdir file",
            dot_git.display()
        ));
    }
    let text =
        std::fs::read_to_string(&dot_git).map_err(|e| format!("{}: {e}", dot_git.display()))?;
    let dir = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("gitdir:"))
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .ok_or_else(|| format!("{}: no `gitdir:` line", dot_git.display()))?;
    let dir = top.join(dir);
    if !std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
        return Err(format!("{}: not a directory", dir.display()));
    }
    Ok(dir.join("index"))
}

#[cfg(unix)]
fn os_bytes(p: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn os_bytes(p: &Path) -> Vec<u8> {
    p.to_string_lossy().replace('\\', "/").into_bytes()
}
