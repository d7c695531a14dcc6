//! What a run scans and which files it reports on.
//!
//! A Terraform file named on the command line (as pre-commit and editors do) is evaluated
//! within its whole module directory, since variables, locals and other resources of the
//! module decide its findings; only findings in the named files are reported. Text read
//! from stdin stands in for the file `--stdin-filename` names, in that file's module.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::PathRules;
use crate::discover::{self, Candidate, Inputs};

/// The inputs of a run and the files scanned only for context.
#[derive(Debug, Default)]
pub struct Targets {
    pub inputs: Inputs,
    /// Module files read only to evaluate a named file; their findings are not reported.
    pub context_only: BTreeSet<PathBuf>,
}

/// Directory a file belongs to, as `discover` keys Terraform modules.
fn dir_of(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The `.tf`/`.tf.json` files beside `file` (not below), sorted.
fn module_files(file: &Path) -> Vec<PathBuf> {
    let dir = dir_of(file);
    let Ok(entries) = std::fs::read_dir(discover::on_disk(&dir)) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| dir.join(e.file_name()))
        .filter(|p| discover::candidate(p) == Some(Candidate::Terraform))
        .collect();
    out.sort();
    out
}

/// Resolves the command-line paths (`-` meaning `stdin`, read for the file it names) into
/// inputs, adding module context for named Terraform files and leaving out excluded files.
pub fn resolve(
    paths: &[PathBuf],
    stdin: Option<(PathBuf, Arc<str>)>,
    rules: &PathRules,
) -> Targets {
    let dash = Path::new("-");
    let stdin_name = stdin.as_ref().map(|(name, _)| name.clone());
    // A stdin file need not exist on disk; it is added by hand below.
    let on_disk: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.as_path() != dash && Some(*p) != stdin_name.as_ref())
        .cloned()
        .collect();
    let mut inputs = if on_disk.is_empty() && stdin.is_some() {
        Inputs::default()
    } else {
        discover::discover(&on_disk, &globset::GlobSet::empty())
    };
    let named: Vec<PathBuf> = on_disk
        .iter()
        .filter(|p| p.is_file())
        .cloned()
        .chain(stdin_name.iter().cloned())
        .collect();
    let dirs: Vec<PathBuf> = on_disk.iter().filter(|p| p.is_dir()).cloned().collect();
    let mut context_only = BTreeSet::new();
    for file in &named {
        if discover::candidate(file) != Some(Candidate::Terraform) {
            continue;
        }
        let module = inputs.terraform.entry(dir_of(file)).or_default();
        for sibling in module_files(file) {
            let covered = named.contains(&sibling) || dirs.iter().any(|d| under(&sibling, d));
            if !covered {
                context_only.insert(sibling.clone());
            }
            module.push(sibling);
        }
    }
    if let Some((name, text)) = stdin {
        match discover::candidate(&name) {
            Some(Candidate::Terraform) => {
                inputs
                    .terraform
                    .entry(dir_of(&name))
                    .or_default()
                    .push(name.clone());
            }
            Some(kind) => inputs.documents.push((name.clone(), kind)),
            None => {}
        }
        inputs.overlay.insert(name, text);
    }
    // Exclusions apply to named files too, so a pre-commit hook honours them.
    for files in inputs.terraform.values_mut() {
        files.retain(|f| !rules.excluded(f));
        files.sort();
        files.dedup();
    }
    inputs.terraform.retain(|_, files| !files.is_empty());
    inputs.documents.retain(|(f, _)| !rules.excluded(f));
    inputs.documents.sort();
    inputs.documents.dedup();
    Targets {
        inputs,
        context_only,
    }
}

/// Whether `path` lies below directory `dir` (compared as absolute paths).
fn under(path: &Path, dir: &Path) -> bool {
    crate::config::absolute(path).starts_with(crate::config::absolute(dir))
}
