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
use crate::ignore_rules::{SkipReason, Skipped};
use crate::root::ProjectRoot;

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

/// Resolves the command-line paths (`-` meaning `stdin`, read for the file it names) into
/// inputs, adding module context for named Terraform files and leaving out excluded files.
pub fn resolve(
    paths: &[PathBuf],
    stdin: Option<(PathBuf, Arc<str>)>,
    rules: &PathRules,
    root: &ProjectRoot,
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
        Inputs {
            root: root.canonical.clone(),
            ..Inputs::default()
        }
    } else {
        discover::discover(&on_disk, root)
    };
    let named: Vec<PathBuf> = on_disk
        .iter()
        .filter(|p| p.is_file())
        .cloned()
        .chain(stdin_name.iter().cloned())
        .collect();
    let dirs: Vec<PathBuf> = on_disk.iter().filter(|p| p.is_dir()).cloned().collect();
    let mut context_only = BTreeSet::new();
    // Named files the walk left out (`.cislintignore`, a symlink out) get no module context.
    let found: BTreeSet<PathBuf> = inputs.terraform.values().flatten().cloned().collect();
    for file in &named {
        let from_stdin = Some(file) == stdin_name.as_ref();
        if discover::candidate(file) != Some(Candidate::Terraform)
            || !(from_stdin || found.contains(file))
        {
            continue;
        }
        let siblings = discover::module_files(file, root, &mut inputs);
        let module = inputs.terraform.entry(dir_of(file)).or_default();
        for sibling in siblings {
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
    // Exclusions apply to named files too, so a pre-commit hook honours them; each file left
    // out is listed with the pattern.
    let mut skipped = Vec::new();
    let mut keep = |f: &Path| match rules.exclusion(f) {
        Some(pattern) => {
            skipped.push(Skipped {
                path: f.to_path_buf(),
                reason: SkipReason::Exclude {
                    pattern: pattern.to_string(),
                },
            });
            false
        }
        None => true,
    };
    for files in inputs.terraform.values_mut() {
        files.sort();
        files.dedup();
        files.retain(|f| keep(f));
    }
    inputs.terraform.retain(|_, files| !files.is_empty());
    inputs.documents.sort();
    inputs.documents.dedup();
    inputs.documents.retain(|(f, _)| keep(f));
    inputs.skipped.extend(skipped);
    inputs.skipped.sort();
    inputs.skipped.dedup();
    Targets {
        inputs,
        context_only,
    }
}

/// Whether `path` lies below directory `dir` (compared as absolute paths).
fn under(path: &Path, dir: &Path) -> bool {
    crate::config::absolute(path).starts_with(crate::config::absolute(dir))
}
