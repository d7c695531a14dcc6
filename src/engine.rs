//! Running the controls over a scanned graph and ordering what they find.

use rayon::prelude::*;

use crate::checks::{ALL, Context};
use crate::credential_report::CredentialReport;
use crate::finding::{Evaluated, Finding, Findings};
use crate::graph::Graph;
use crate::model::Model;
use crate::scope::Scope;
use crate::source::{SourceMap, Span};
use std::path::Path;

/// What the controls found, sorted by file, line, column and rule.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Violations.
    pub findings: Vec<Finding>,
    /// Possible violations that values unknown until apply decide.
    pub undetermined: Vec<Finding>,
    /// Every resource each control looked at.
    pub evaluated: Vec<Evaluated>,
    /// The controls that ran, in catalog order.
    pub controls: Vec<&'static str>,
    /// Findings silenced by a suppression comment or `Metadata`.
    pub suppressed: Vec<crate::suppress::Suppressed>,
    /// Findings left out because the baseline holds them.
    pub baselined: usize,
    /// Warnings about suppressions and the baseline, and the controls' notes.
    pub notices: Vec<crate::notice::Notice>,
    /// Findings (violations and undetermined ones) in files read only as module context
    /// for a named file: not reported, but counted by the scorecard, so that naming a file
    /// gives the statuses of scanning its directory.
    pub context: Vec<Finding>,
}

impl Outcome {
    /// Sets aside what files read only for module context hold (`reported` rejects their
    /// spans). An absence is about the whole module, not a file: when it points into such
    /// a file, it moves to the first line of the first reported file of that directory.
    pub fn set_aside_context(&mut self, sources: &SourceMap, reported: &dyn Fn(Span) -> bool) {
        let mut files: Vec<(std::path::PathBuf, crate::source::FileId)> = (0..sources.len())
            .map(|i| crate::source::FileId(i as u32))
            .filter(|id| reported(Span::new(*id, 0, 0)))
            .map(|id| (sources.get(id).path.clone(), id))
            .collect();
        files.sort();
        for f in self.findings.iter_mut().chain(self.undetermined.iter_mut()) {
            if !f.absence || reported(f.span) {
                continue;
            }
            let dir = sources
                .get(f.span.file)
                .path
                .parent()
                .map(Path::to_path_buf);
            if let Some((_, id)) = files
                .iter()
                .find(|(p, _)| p.parent().map(Path::to_path_buf) == dir)
            {
                f.span = Span::new(*id, 0, 0);
            }
        }
        for list in [&mut self.findings, &mut self.undetermined] {
            let (shown, context): (Vec<Finding>, Vec<Finding>) = std::mem::take(list)
                .into_iter()
                .partition(|f| reported(f.span));
            *list = shown;
            self.context.extend(context);
        }
        self.suppressed.retain(|s| reported(s.finding.span));
        sort(&mut self.findings, sources);
        sort(&mut self.undetermined, sources);
    }
}

/// What the controls read besides the graph.
#[derive(Debug, Clone, Copy)]
pub struct Extra<'a> {
    pub credential_report: Option<&'a CredentialReport>,
    /// The evaluation day for credential ages (days since 1970-01-01).
    pub as_of: i64,
    /// Resource scope (default) or account baseline.
    pub scope: Scope,
    /// Findings of rules outside the catalog (Guard rules, evaluated before): they go
    /// through provenance, path rules, suppressions and ordering with the controls' own.
    pub custom: &'a [Finding],
    /// Ids of the custom rules that ran (`guard:<name>`), whether or not they found anything.
    pub custom_rules: &'a [String],
    /// `strict-patterns`: a metric filter counts for a 3.x control only when its pattern
    /// matches the same events as the benchmark's.
    pub strict_patterns: bool,
}

impl Default for Extra<'_> {
    fn default() -> Self {
        Extra {
            credential_report: None,
            as_of: crate::credential_report::today(),
            scope: Scope::Resources,
            custom: &[],
            custom_rules: &[],
            strict_patterns: false,
        }
    }
}

/// Runs every control whose id `selected` accepts, then applies suppressions.
pub fn run(
    graph: &Graph,
    sources: &SourceMap,
    selected: &(dyn Fn(&str) -> bool + Sync),
) -> Outcome {
    run_with(graph, sources, Extra::default(), selected)
}

/// Runs the selected controls with a credential report and evaluation day.
pub fn run_with(
    graph: &Graph,
    sources: &SourceMap,
    extra: Extra<'_>,
    selected: &(dyn Fn(&str) -> bool + Sync),
) -> Outcome {
    run_keeping(graph, sources, extra, selected, &|_| true)
}

/// Like [`run_with`], first dropping the findings `keep` rejects (per-path ignores, files
/// read only for module context), so that a suppression of a dropped finding is not taken
/// for used.
pub fn run_keeping(
    graph: &Graph,
    sources: &SourceMap,
    extra: Extra<'_>,
    selected: &(dyn Fn(&str) -> bool + Sync),
    keep: &dyn Fn(&Finding) -> bool,
) -> Outcome {
    let parts: Vec<Findings> = crate::scan::in_pool(|| {
        let options = crate::model::Options {
            strict_patterns: extra.strict_patterns,
        };
        let model = Model::build_with(graph, sources, options);
        let cx = Context {
            graph,
            model: &model,
            sources,
            credential_report: extra.credential_report,
            as_of: extra.as_of,
            scope: extra.scope,
        };
        ALL.par_iter()
            .filter(|c| selected(c.id))
            .map(|c| {
                let mut out = Findings::default();
                (c.check)(&cx, &mut out);
                out
            })
            .collect()
    });
    let mut outcome = Outcome::default();
    let mut notes = Vec::new();
    for part in parts {
        notes.extend(part.notes);
        for f in part.findings {
            if f.undetermined {
                outcome.undetermined.push(f);
            } else {
                outcome.findings.push(f);
            }
        }
        outcome.evaluated.extend(part.evaluated);
    }
    for f in extra.custom.iter().filter(|f| selected(f.rule())) {
        if f.undetermined {
            outcome.undetermined.push(f.clone());
        } else {
            outcome.findings.push(f.clone());
        }
    }
    crate::terraform::provenance::annotate(
        outcome
            .findings
            .iter_mut()
            .chain(outcome.undetermined.iter_mut()),
        graph,
    );
    sort(&mut outcome.findings, sources);
    sort(&mut outcome.undetermined, sources);
    dedup(&mut outcome.findings);
    dedup(&mut outcome.undetermined);
    outcome.evaluated.sort();
    outcome.evaluated.dedup();
    outcome.findings.retain(|f| keep(f));
    outcome.undetermined.retain(|f| keep(f));
    notes.retain(|(_, f)| keep(f));
    outcome
        .notices
        .extend(notes.into_iter().map(|(code, f)| crate::notice::Notice {
            code,
            span: Some(f.span),
            file: None,
            en: f.message(crate::catalog::Lang::En),
            ja: f.message(crate::catalog::Lang::Ja),
        }));
    for f in outcome
        .findings
        .iter_mut()
        .chain(outcome.undetermined.iter_mut())
    {
        if let Some(r) = f.resource_id.and_then(|id| graph.resources.get(id.0)) {
            f.path = crate::locate::locate(r, f.span).path;
            f.unit = graph
                .units
                .get(r.unit.0)
                .map(|u| u.name.clone())
                .unwrap_or_default();
        }
    }
    outcome.controls = ALL
        .iter()
        .filter(|c| selected(c.id))
        .map(|c| c.id)
        .collect();
    // A suppression can name a control that ran or a custom rule that ran.
    let ran = |id: &str| {
        selected(id)
            && (extra.custom_rules.iter().any(|r| r == id) || !crate::selection::is_guard(id))
    };
    crate::suppress::apply(
        &mut outcome,
        graph,
        sources,
        &ran,
        extra.custom_rules,
        crate::suppress::Date::today(),
    );
    outcome
}

/// Sorts findings by file path, line, column, rule, then message for a total order.
pub fn sort(findings: &mut [Finding], sources: &SourceMap) {
    findings.sort_by_cached_key(|f| {
        let file = sources.get(f.span.file);
        (
            file.path.clone(),
            f.span.start,
            f.span.end,
            f.rule().to_string(),
            f.resource.clone(),
            f.message(crate::catalog::Lang::En),
        )
    });
}

/// Drops exact repeats (the same rule, place, resource and message).
fn dedup(findings: &mut Vec<Finding>) {
    findings.dedup_by(|a, b| {
        a.rule() == b.rule()
            && a.span == b.span
            && a.resource == b.resource
            && a.key == b.key
            && a.args == b.args
    });
}
