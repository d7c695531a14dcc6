//! The CIS 3.x monitoring chains: trail → log group → metric filter → alarm → SNS topic →
//! subscription, analysed once per scan for all fifteen controls.
//!
//! [`analyze`] classifies every metric filter ([`classify`]), follows each filter's links
//! ([`chain`]) and keeps the result per control. Controls read [`Monitoring::breaks`] (the
//! broken links, reported where they break) and [`Monitoring::topic_breaks`] (3.15); the
//! account scope asks [`Monitoring::status`] whether a complete chain exists.
//!
//! Each link is one of: **ok**; **broken** (a finding at the broken link); **unknown**
//! (values known only at apply time decide: an undetermined finding); **outside** (the
//! chain leaves the scanned code — a log group named by an unbound module variable, no
//! trail in this code at all, a topic exported to other projects: no finding in the
//! default scope).

pub mod chain;
pub mod classify;

use crate::graph::Graph;
use crate::source::Span;

use super::{Model, Origin};
pub use chain::{ActionLink, AlarmLink, FilterChain, TopicLink, TrailLink};
pub use classify::{Broader, CONTROLS, Relation};

/// A broken (or undecidable) link, ready to be reported by a control.
#[derive(Clone, Debug)]
pub struct Break {
    /// The resource the finding is on.
    pub origin: Origin,
    pub span: Span,
    /// Message key in the control's catalog entry.
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// Secondary locations: (span, message key).
    pub labels: Vec<(Span, &'static str)>,
    /// Decided by unknown values, or on a chain through resources that may not exist.
    pub undetermined: bool,
}

/// Whether the code holds a complete chain for a control (for the account scope).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainStatus {
    /// A chain whose every link is known to hold.
    Complete,
    /// No complete chain, but one whose links are only unknown or leave the code.
    Undetermined,
    /// Every chain for the control has a broken link (or its filter misses events).
    Broken,
    /// No metric filter in the code relates to the control.
    Absent,
}

/// Everything the 3.x controls need, computed once.
#[derive(Debug, Default)]
pub struct Monitoring {
    /// Per metric filter (index into `Model::metric_filters`): its relations to the controls.
    pub relations: Vec<Vec<(&'static str, Relation)>>,
    /// Per metric filter that relates to a control as member or incidental: its links.
    pub chains: Vec<Option<FilterChain>>,
    /// Broken links per control (3.1–3.14), in filter order.
    breaks: Vec<(&'static str, Vec<Break>)>,
    /// Broken links for 3.15 (topics without subscribers).
    topic_breaks: Vec<Break>,
    /// Topics of 3.x chains that certainly exist and have a subscriber (indices into
    /// `Model::topics`): what 3.15 may pass on.
    subscribed_topics: Vec<usize>,
    /// Metric filters whose pattern is known only at apply time (indices into
    /// `Model::metric_filters`): each may be for any control.
    unknown_patterns: Vec<usize>,
    /// Per control (3.1–3.14): filters that cover it with a pattern broader than the
    /// benchmark's, as notes (empty under `strict-patterns`, where they are breaks).
    notes: Vec<(&'static str, Vec<Break>)>,
}

impl Monitoring {
    /// The broken links of a 3.1–3.14 control (`cis` as `"3.1"`).
    pub fn breaks(&self, cis: &str) -> &[Break] {
        self.breaks
            .iter()
            .find(|(c, _)| *c == cis)
            .map(|(_, b)| b.as_slice())
            .unwrap_or_default()
    }

    /// The notes of a 3.1–3.14 control: filters that pass it with a pattern broader than
    /// the benchmark's (message keys `broader-pattern…`, at the pattern).
    pub fn notes(&self, cis: &str) -> &[Break] {
        self.notes
            .iter()
            .find(|(c, _)| *c == cis)
            .map(|(_, b)| b.as_slice())
            .unwrap_or_default()
    }

    /// Topics of 3.x chains that nobody subscribes to (3.15).
    pub fn topic_breaks(&self) -> &[Break] {
        &self.topic_breaks
    }

    /// Metric filters (indices into `Model::metric_filters`) whose pattern is known only
    /// at apply time and whose chain is broken: each may be a broken chain of any control.
    pub fn broken_unknown_patterns(&self) -> impl Iterator<Item = usize> + '_ {
        self.unknown_patterns.iter().copied().filter(|&i| {
            matches!(self.chains.get(i), Some(Some(ch)) if matches!(ch.state(), chain::State::Broken))
        })
    }

    /// Topics of 3.x chains that have a subscriber, and certainly exist (3.15).
    pub fn subscribed_topics(&self) -> &[usize] {
        &self.subscribed_topics
    }

    /// Whether a complete chain exists for a 3.1–3.14 control anywhere in the scan.
    pub fn status(&self, cis: &str) -> ChainStatus {
        self.status_where(cis, |_| true)
    }

    /// Whether a complete chain exists for a 3.1–3.14 control among the metric filters
    /// (indices into `Model::metric_filters`) that `keep` accepts: for a per-unit scorecard,
    /// `|i| model.metric_filters[i].origin.unit == unit`.
    pub fn status_where(&self, cis: &str, keep: impl Fn(usize) -> bool) -> ChainStatus {
        let mut any = false;
        let mut open = false;
        for (i, rels) in self.relations.iter().enumerate() {
            if !keep(i) || !rels.iter().any(|(c, _)| *c == cis) {
                continue;
            }
            any = true;
            // A near miss, or a broader pattern under `strict-patterns`, whose filter has a
            // chain for another control: that chain is not one for this control.
            if !rels.iter().any(|(c, r)| *c == cis && r.counts()) {
                continue;
            }
            let Some(Some(ch)) = self.chains.get(i) else {
                continue;
            };
            match ch.state() {
                chain::State::Ok => return ChainStatus::Complete,
                chain::State::Open => open = true,
                chain::State::Broken => {}
            }
        }
        // A filter whose pattern is unknown may complete any control's chain.
        if self.unknown_patterns.iter().any(|&i| keep(i)) {
            return ChainStatus::Undetermined;
        }
        match (any, open) {
            (false, _) => ChainStatus::Absent,
            (true, true) => ChainStatus::Undetermined,
            (true, false) => ChainStatus::Broken,
        }
    }
}

/// Analyses every chain of the model; with `strict_patterns`, only a filter whose pattern
/// matches the same events as the benchmark's counts for a control.
pub fn analyze(graph: &Graph, model: &Model, strict_patterns: bool) -> Monitoring {
    chain::analyze(graph, model, strict_patterns)
}
