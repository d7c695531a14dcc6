//! Reading and parsing every input in parallel into one graph.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::discover::{Candidate, Inputs};
use crate::graph::{Graph, InputError, InputKind, Unit, UnitId};
use crate::parse::{cloudformation, json, limits, plan, yaml};
use crate::source::{SourceMap, Span};
use crate::terraform;

/// Counts of what a scan read, per input kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileCounts {
    pub terraform_files: usize,
    pub terraform_modules: usize,
    pub cloudformation: usize,
    pub plans: usize,
    pub skipped: usize,
}

/// The result of reading and parsing the inputs.
#[derive(Debug, Default)]
pub struct Scanned {
    pub sources: SourceMap,
    pub graph: Graph,
    pub errors: Vec<InputError>,
    /// Errors about paths that have no source text (unreadable, walk errors).
    pub path_errors: Vec<(PathBuf, String)>,
    pub counts: FileCounts,
}

/// One parallel job's output, merged in a fixed order afterwards.
#[derive(Default)]
struct Part {
    graph: Graph,
    errors: Vec<InputError>,
    path_errors: Vec<(PathBuf, String)>,
    counts: FileCounts,
}

/// Reads and parses all inputs.
pub fn scan(inputs: Inputs) -> Scanned {
    let sources = SourceMap::default();
    let tf_jobs: Vec<(&PathBuf, &Vec<PathBuf>)> = inputs.terraform.iter().collect();
    let tf_parts: Vec<Part> = tf_jobs
        .par_iter()
        .map(|(dir, files)| terraform_module(&sources, dir, files, &inputs.overlay))
        .collect();
    let doc_parts: Vec<Part> = inputs
        .documents
        .par_iter()
        .map(|(path, kind)| document(&sources, path, *kind, &inputs.overlay))
        .collect();
    let mut out = Scanned {
        path_errors: inputs.errors,
        ..Default::default()
    };
    for part in tf_parts.into_iter().chain(doc_parts) {
        out.graph.merge(part.graph);
        out.errors.extend(part.errors);
        out.path_errors.extend(part.path_errors);
        let c = &mut out.counts;
        c.terraform_files += part.counts.terraform_files;
        c.terraform_modules += part.counts.terraform_modules;
        c.cloudformation += part.counts.cloudformation;
        c.plans += part.counts.plans;
        c.skipped += part.counts.skipped;
    }
    // Embedded languages the controls read: an unparseable one is an input error.
    out.errors.extend(crate::model::cloudwatch::pattern_errors(
        &out.graph, &sources,
    ));
    out.sources = sources;
    out
}

/// Reads a file as UTF-8 within the size limit.
pub fn read(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > limits::MAX_FILE_BYTES {
        return Err(format!(
            "file is larger than the {} MiB limit",
            limits::MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Reads `path`, or takes its text from `overlay` (stdin given `--stdin-filename`).
fn read_input(overlay: &Overlay, path: &Path) -> Result<String, String> {
    match overlay.get(path) {
        Some(text) => Ok(text.to_string()),
        None => read(path),
    }
}

type Overlay = std::collections::BTreeMap<PathBuf, Arc<str>>;

fn terraform_module(sources: &SourceMap, dir: &Path, files: &[PathBuf], overlay: &Overlay) -> Part {
    let mut part = Part::default();
    let mut parsed = Vec::new();
    let mut texts = Vec::new();
    for path in files {
        let text = match read_input(overlay, path) {
            Ok(t) => t,
            Err(e) => {
                part.path_errors.push((path.clone(), e));
                continue;
            }
        };
        let text: Arc<str> = text.into();
        let id = sources.add(path.clone(), text.clone());
        part.counts.terraform_files += 1;
        let is_json = path.to_string_lossy().ends_with(".tf.json");
        let result = if is_json {
            terraform::tfjson::parse_file(id, &text)
        } else {
            terraform::parse_file(id, &text)
        };
        match result {
            Ok(p) => parsed.push(p),
            Err(e) => part.errors.push(e),
        }
        texts.push((id, text));
    }
    if parsed.is_empty() {
        return part;
    }
    part.counts.terraform_modules += 1;
    let anchor = Span::new(parsed[0].file, 0, 0);
    let unit = part.graph.add_unit(Unit {
        kind: InputKind::TerraformModule,
        anchor,
        name: dir.display().to_string(),
    });
    terraform::load_module(&parsed, &mut part.graph, unit, &texts);
    part
}

fn document(sources: &SourceMap, path: &Path, kind: Candidate, overlay: &Overlay) -> Part {
    let mut part = Part::default();
    let text = match read_input(overlay, path) {
        Ok(t) => t,
        Err(_) if !looks_like_iac(path) => {
            part.counts.skipped += 1;
            return part;
        }
        Err(e) => {
            part.path_errors.push((path.to_path_buf(), e));
            return part;
        }
    };
    // Cheap sniff before parsing: most JSON/YAML in a repository is not ours.
    let maybe_cfn = text.contains("Resources");
    let maybe_plan = kind == Candidate::Json && text.contains("format_version");
    if !maybe_cfn && !maybe_plan {
        part.counts.skipped += 1;
        return part;
    }
    let text: Arc<str> = text.into();
    let id = sources.add(path.to_path_buf(), text.clone());
    let parsed = match kind {
        Candidate::Json => json::parse(id, &text),
        _ if text.trim_start().starts_with('{') => json::parse(id, &text),
        _ => yaml::parse(id, &text),
    };
    let root = match parsed {
        Ok(root) => root,
        Err(e) => {
            if declares_iac(&text) {
                part.errors.push(e);
            } else {
                part.counts.skipped += 1;
            }
            return part;
        }
    };
    let anchor = Span::new(id, 0, 0);
    let name = path.display().to_string();
    if plan::is_plan(&root) {
        part.counts.plans += 1;
        let unit = part.graph.add_unit(Unit {
            kind: InputKind::TerraformPlan,
            anchor,
            name,
        });
        plan::load(&root, &mut part.graph, unit);
    } else if cloudformation::is_template(&root) {
        part.counts.cloudformation += 1;
        let unit: UnitId = part.graph.add_unit(Unit {
            kind: InputKind::CloudFormation,
            anchor,
            name,
        });
        part.errors
            .extend(cloudformation::load(&root, &mut part.graph, unit));
    } else {
        part.counts.skipped += 1;
    }
    part
}

/// Whether a file that failed to parse was meant to be a template or plan, so that its
/// error is worth reporting (a broken `docker-compose.yml` is none of our business).
fn declares_iac(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || text.lines().any(|l| l.starts_with("Resources:"))
        || (text.contains("\"format_version\"") && text.contains("\"planned_values\""))
        || text.contains("\"Resources\"")
}

fn looks_like_iac(path: &Path) -> bool {
    path.to_string_lossy().contains(".template")
}

/// Reads and parses every input without evaluating anything: the floor a full scan is
/// measured against (`examples/bench.rs`). Returns (files parsed, bytes read).
pub fn parse_only(inputs: &Inputs) -> (usize, u64) {
    let sources = SourceMap::default();
    let mut files: Vec<(&PathBuf, Option<Candidate>)> = inputs
        .terraform
        .values()
        .flatten()
        .map(|p| (p, None))
        .collect();
    files.extend(inputs.documents.iter().map(|(p, k)| (p, Some(*k))));
    files
        .par_iter()
        .map(|(path, kind)| {
            let Ok(text) = read(path) else {
                return (0, 0);
            };
            let len = text.len() as u64;
            let text: Arc<str> = text.into();
            let id = sources.add((*path).clone(), text.clone());
            let ok = match kind {
                None if path.to_string_lossy().ends_with(".json") => json::parse(id, &text).is_ok(),
                None => terraform::parse_file(id, &text).is_ok(),
                Some(Candidate::Json) => json::parse(id, &text).is_ok(),
                Some(_) if text.trim_start().starts_with('{') => json::parse(id, &text).is_ok(),
                Some(_) => yaml::parse(id, &text).is_ok(),
            };
            (usize::from(ok), len)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
}
