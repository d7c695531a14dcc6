//! Finding the inputs below the scanned paths, honouring `.gitignore`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    /// The scanned paths as given: code may read files (`file()`, modules) only below them.
    pub roots: Vec<PathBuf>,
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

/// Walks `paths` recursively (files are taken as given), skipping `.git/`, `.terraform/`
/// and whatever `.gitignore` excludes. Symlink loops are reported, not followed forever.
pub fn discover(paths: &[PathBuf], exclude: &globset::GlobSet) -> Inputs {
    let mut inputs = Inputs {
        roots: paths.to_vec(),
        ..Default::default()
    };
    for root in paths {
        if root.is_file() {
            add(&mut inputs, root.clone());
            continue;
        }
        if !root.exists() {
            inputs
                .errors
                .push((root.clone(), "no such file or directory".into()));
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .require_git(false)
            .follow_links(true)
            .filter_entry(|e| {
                let name = e.file_name();
                name != ".git" && name != ".terraform"
            })
            .build();
        for entry in walker {
            match entry {
                Ok(e) => {
                    if e.file_type().is_some_and(|t| t.is_file()) {
                        let p = e.into_path();
                        let rel = p.strip_prefix(root).unwrap_or(&p);
                        if !exclude.is_match(rel) && !exclude.is_match(&p) {
                            add(&mut inputs, p);
                        }
                    }
                }
                Err(err) => {
                    let path = match &err {
                        ignore::Error::WithPath { path, .. } => path.clone(),
                        _ => root.clone(),
                    };
                    inputs.errors.push((path, err.to_string()));
                }
            }
        }
    }
    for files in inputs.terraform.values_mut() {
        files.sort();
        files.dedup();
    }
    inputs.documents.sort();
    inputs.documents.dedup();
    inputs
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
