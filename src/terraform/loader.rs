//! Loading module directories: each directory is parsed once per scan (shared by every root
//! that uses it), module `source`s are resolved (local paths, or `.terraform/modules/modules.json`
//! for registry and git sources), and nothing outside the project root is read.

use foldhash::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::config::{ParsedFile, module_sources};
use super::files::{Denied, Files, normalize};
use crate::graph::InputError;

/// One module directory, parsed.
pub struct ParsedDir {
    /// The directory as displayed in reports.
    pub display: PathBuf,
    pub canonical: PathBuf,
    pub files: Vec<ParsedFile>,
}

/// Parsed directories shared by all roots of a scan, with the errors met while parsing
/// directories that were not scanned themselves (module sources, `.terraform/modules`).
#[derive(Default)]
pub struct DirCache {
    dirs: Mutex<HashMap<PathBuf, Option<Arc<ParsedDir>>>>,
    pub errors: Mutex<Vec<InputError>>,
}

impl DirCache {
    /// Adds a directory parsed by the scan.
    pub fn insert(&self, dir: Arc<ParsedDir>) {
        let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        dirs.insert(dir.canonical.clone(), Some(dir));
    }

    /// The parsed directory, parsing it now when no scan did; `None` when it holds no
    /// Terraform file.
    pub fn get(
        &self,
        canonical: &Path,
        display: &Path,
        files: &Files<'_>,
    ) -> Option<Arc<ParsedDir>> {
        let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = dirs.get(canonical) {
            return d.clone();
        }
        let loaded = self.parse_dir(canonical, display, files);
        dirs.insert(canonical.to_path_buf(), loaded.clone());
        loaded
    }

    fn parse_dir(
        &self,
        canonical: &Path,
        display: &Path,
        files: &Files<'_>,
    ) -> Option<Arc<ParsedDir>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(canonical)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                n.ends_with(".tf") || n.ends_with(".tf.json")
            })
            .collect();
        names.sort();
        let mut parsed = Vec::new();
        for p in names {
            let Some(name) = p.file_name() else { continue };
            let shown = display.join(name);
            let Ok(canon) = std::fs::canonicalize(&p) else {
                continue;
            };
            if !files.inside(&canon) {
                // A module's file symlinked out of the root: not read, reported once.
                files.note_outside_link(&shown);
                continue;
            }
            let Ok((id, text)) = files.read_text(&shown, &canon) else {
                continue;
            };
            match super::parse_any(&shown, id, &text) {
                Ok(f) => parsed.push(f),
                Err(e) => self
                    .errors
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(e),
            }
        }
        if parsed.is_empty() {
            return None;
        }
        Some(Arc::new(ParsedDir {
            display: display.to_path_buf(),
            canonical: canonical.to_path_buf(),
            files: parsed,
        }))
    }
}

/// Whether a module source is a local path (Terraform requires `./` or `../`).
pub fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

/// How the module calls of one root resolve.
#[derive(Default)]
pub struct Resolver {
    /// (calling directory, source) → directory or the reason it is not loaded.
    local: HashMap<(PathBuf, String), Result<PathBuf, String>>,
    /// `modules.json` key (`vpc`, `vpc.subnets`) → directory.
    registry: HashMap<String, PathBuf>,
    manifest: bool,
}

impl Resolver {
    /// The directory a call loads, or why it cannot be loaded.
    pub fn resolve(
        &self,
        caller: &Path,
        _name: &str,
        source: &str,
        key_path: &[String],
    ) -> Result<PathBuf, String> {
        if is_local(source) {
            return self
                .local
                .get(&(caller.to_path_buf(), source.to_string()))
                .cloned()
                .unwrap_or_else(|| Err("directory not loaded".into()));
        }
        match self.registry.get(&key_path.join(".")) {
            Some(d) => Ok(d.clone()),
            None if self.manifest => Err("not listed in .terraform/modules/modules.json".into()),
            None => Err("registry or remote source; run `terraform init` to have .terraform/modules/modules.json".into()),
        }
    }
}

/// Loads every directory a root module may use: its local modules (recursively) and the
/// modules `terraform init` recorded.
pub fn load_tree(
    root: &Arc<ParsedDir>,
    cache: &DirCache,
    files: &Files<'_>,
) -> (Vec<Arc<ParsedDir>>, Resolver) {
    let mut resolver = Resolver::default();
    let mut dirs = vec![root.clone()];
    let mut seen: HashSet<PathBuf> = [root.canonical.clone()].into_iter().collect();
    let mut queue = vec![root.clone()];
    // Modules that `terraform init` installed, by key.
    if let Ok((_, manifest)) = files.resolve(&root.display, ".terraform/modules/modules.json")
        && let Ok(text) = std::fs::read_to_string(&manifest)
        && let Ok(json) = serde_json::from_str::<serde_json::Value>(&text)
    {
        resolver.manifest = true;
        for m in json
            .get("Modules")
            .and_then(|m| m.as_array())
            .into_iter()
            .flatten()
        {
            let (Some(key), Some(dir)) = (
                m.get("Key").and_then(|k| k.as_str()),
                m.get("Dir").and_then(|d| d.as_str()),
            ) else {
                continue;
            };
            if key.is_empty() {
                continue;
            }
            let Ok((display, canonical)) = files.resolve(&root.display, dir) else {
                continue;
            };
            if let Some(d) = cache.get(&canonical, &display, files) {
                resolver.registry.insert(key.to_string(), canonical.clone());
                if seen.insert(canonical) {
                    dirs.push(d.clone());
                    queue.push(d);
                }
            }
        }
    }
    while let Some(dir) = queue.pop() {
        for (_, source, _) in module_sources(&dir.files) {
            if !is_local(&source) {
                continue;
            }
            let key = (dir.canonical.clone(), source.clone());
            if resolver.local.contains_key(&key) {
                continue;
            }
            let result = match files.resolve(&dir.display, &source) {
                Ok((display, canonical)) if canonical.is_dir() => {
                    match cache.get(&canonical, &display, files) {
                        Some(d) => {
                            if seen.insert(canonical.clone()) {
                                dirs.push(d.clone());
                                queue.push(d);
                            }
                            Ok(canonical)
                        }
                        None => Err("the directory holds no Terraform files".to_string()),
                    }
                }
                Ok(_) | Err(Denied::Missing) => Err("directory not found".to_string()),
                Err(Denied::Outside(why)) => Err(why),
            };
            resolver.local.insert(key, result);
        }
    }
    (dirs, resolver)
}

/// `path.module` of a module: its directory relative to the root module's, as Terraform
/// gives it (`.` for the root, `modules/net`, `../../modules/x`).
pub fn relative_dir(root: &Path, dir: &Path) -> String {
    let root = normalize(root);
    let dir = normalize(dir);
    let r: Vec<_> = root.components().collect();
    let d: Vec<_> = dir.components().collect();
    let common = r.iter().zip(&d).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..r.len() {
        out.push("..");
    }
    for c in &d[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        ".".into()
    } else {
        out.to_string_lossy().into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_dirs() {
        assert_eq!(relative_dir(Path::new("a/b"), Path::new("a/b")), ".");
        assert_eq!(
            relative_dir(Path::new("a/b"), Path::new("a/b/modules/x")),
            "modules/x"
        );
        assert_eq!(
            relative_dir(Path::new("a/examples/c"), Path::new("a")),
            "../.."
        );
        assert!(is_local("./x") && is_local("../x") && !is_local("terraform-aws-modules/vpc/aws"));
    }
}
