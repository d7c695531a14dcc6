//! cislint: checks Terraform, Terraform plans and CloudFormation against the CIS Amazon Web
//! Services Foundations Benchmark v1.1.0 before deployment.
//!
//! Inputs are parsed into one [`graph::Graph`]; [`model`] adapts its resources into
//! dialect-neutral AWS nouns; each control in `checks/` is written once against the model.

pub mod app;
pub mod baseline;
pub mod catalog;
#[path = "../checks/mod.rs"]
pub mod checks;
pub mod cli;
pub mod config;
pub mod credential_report;
pub mod discover;
pub mod engine;
pub mod explain;
pub mod filter_pattern;
pub mod finding;
pub mod git_index;
pub mod graph;
pub mod guard;
pub mod ignore_rules;
pub mod locate;
pub mod model;
pub mod notice;
pub mod parse;
pub mod policy;
pub mod render;
pub mod root;
pub mod scan;
pub mod scope;
pub mod scorecard;
pub mod selection;
pub mod source;
pub mod suppress;
pub mod targets;
pub mod terraform;
pub mod value;

/// Inputs besides the scanned paths.
#[derive(Debug, Default, Clone)]
pub struct RunOptions {
    /// An IAM credential report CSV (`--credential-report`).
    pub credential_report: Option<std::path::PathBuf>,
    /// The evaluation day (`--as-of`), days since 1970-01-01; default today.
    pub as_of: Option<i64>,
    /// Resource scope (default) or account baseline (`--scope account`).
    pub scope: scope::Scope,
    /// Guard rules files or directories (`--rules`, `rules = [...]`).
    pub rules: Vec<std::path::PathBuf>,
    /// Terraform variables, plan source.
    pub scan: scan::ScanOptions,
    /// `strict-patterns`: 3.x metric filters pass only with the benchmark's exact events.
    pub strict_patterns: bool,
}

/// Scans `paths` and runs every selected control: the whole pipeline without rendering.
pub fn run(
    paths: &[std::path::PathBuf],
    selected: &(dyn Fn(&str) -> bool + Sync),
) -> (scan::Scanned, engine::Outcome) {
    run_with_options(paths, &RunOptions::default(), selected)
}

/// [`run`] with a credential report and an evaluation day.
pub fn run_with_options(
    paths: &[std::path::PathBuf],
    options: &RunOptions,
    selected: &(dyn Fn(&str) -> bool + Sync),
) -> (scan::Scanned, engine::Outcome) {
    let root = root::ProjectRoot::for_paths(paths);
    let inputs = discover::discover(paths, &root);
    let mut scanned = scan::scan_with(inputs, &options.scan);
    let report = options
        .credential_report
        .as_ref()
        .and_then(|p| load_credential_report(&mut scanned, p));
    let custom = guard_findings(&mut scanned, &options.rules, &[], None, selected);
    let extra = engine::Extra {
        credential_report: report.as_ref(),
        as_of: options.as_of.unwrap_or_else(credential_report::today),
        scope: options.scope,
        custom: &custom.findings,
        custom_rules: &custom.rule_ids,
        strict_patterns: options.strict_patterns,
    };
    let mut outcome = engine::run_with(&scanned.graph, &scanned.sources, extra, selected);
    outcome.notices.extend(scanned.notices.iter().cloned());
    notice::sort(&mut outcome.notices, &scanned.sources);
    (scanned, outcome)
}

/// What the Guard rules produced: their findings, and the id of every rule loaded (so that
/// a suppression naming one of them can be reported as unused).
#[derive(Debug, Default)]
pub struct GuardOutcome {
    pub findings: Vec<finding::Finding>,
    pub rule_ids: Vec<String>,
}

/// Loads and evaluates Guard rules files (`--rules`, `rules = [...]`) on the scanned inputs,
/// with the `[severity]` overrides of `config`, recording errors in `scanned`; the findings
/// go to the engine with the controls' own.
pub fn guard_findings(
    scanned: &mut scan::Scanned,
    rules: &[std::path::PathBuf],
    severity: &[config::SeverityOverride],
    config: Option<&std::path::Path>,
    selected: &(dyn Fn(&str) -> bool + Sync),
) -> GuardOutcome {
    if rules.is_empty() {
        return GuardOutcome::default();
    }
    let mut loaded = guard::load(rules, &scanned.sources);
    scanned.errors.extend(loaded.errors);
    scanned.path_errors.extend(loaded.path_errors);
    for o in severity {
        if loaded.rules.set_severity(&o.id, o.severity) || loaded.rules.is_empty() {
            continue;
        }
        let message = format!("[severity] names `{}`, but no rules file declares it", o.id);
        // Registered as a source so that the error points at the key, with its snippet.
        let fallback = std::path::Path::new(config::FILE_NAME);
        match config.map(|p| (p, scan::read(p))) {
            Some((path, Ok(text))) => {
                let file = scanned.sources.add(path.to_path_buf(), text.into());
                let span = source::Span::new(file, o.key.start, o.key.end);
                scanned.errors.push(graph::InputError { span, message });
            }
            _ => scanned
                .path_errors
                .push((config.unwrap_or(fallback).to_path_buf(), message)),
        }
    }
    let evaluation = guard::evaluate(&loaded.rules, &scanned.graph, &scanned.sources, selected);
    scanned.errors.extend(evaluation.errors);
    GuardOutcome {
        findings: evaluation.findings,
        rule_ids: loaded.rules.ids().map(str::to_string).collect(),
    }
}

/// Reads and parses a credential report, recording any error in `scanned`.
pub fn load_credential_report(
    scanned: &mut scan::Scanned,
    path: &std::path::Path,
) -> Option<credential_report::CredentialReport> {
    let text = match scan::read(path) {
        Ok(t) => t,
        Err(e) => {
            scanned.path_errors.push((path.to_path_buf(), e));
            return None;
        }
    };
    let id = scanned.sources.add(path.to_path_buf(), text.clone().into());
    match credential_report::parse(id, &text) {
        Ok(r) => Some(r),
        Err(e) => {
            scanned.errors.push(e);
            None
        }
    }
}
