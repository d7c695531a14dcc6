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
pub mod discover;
pub mod engine;
pub mod explain;
pub mod filter_pattern;
pub mod finding;
pub mod graph;
pub mod locate;
pub mod model;
pub mod notice;
pub mod parse;
pub mod render;
pub mod scan;
pub mod selection;
pub mod source;
pub mod suppress;
pub mod targets;
pub mod terraform;
pub mod value;

/// Scans `paths` and runs every selected control: the whole pipeline without rendering.
pub fn run(
    paths: &[std::path::PathBuf],
    selected: &(dyn Fn(&str) -> bool + Sync),
) -> (scan::Scanned, engine::Outcome) {
    let inputs = discover::discover(paths, &globset::GlobSet::empty());
    let scanned = scan::scan(inputs);
    let outcome = engine::run(&scanned.graph, &scanned.sources, selected);
    (scanned, outcome)
}
