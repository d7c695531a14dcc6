//! Account scope (`--scope account`): the scanned code is the account's baseline, so a
//! missing piece (no trail, no password policy, no support role) is a finding. Absences have
//! no span of their own: they point at the first line of the first root module or template
//! and carry the catalog's snippets that add what is missing.

use super::{Context, Scope};
use crate::catalog;
use crate::finding::{Finding, Findings};
use crate::graph::InputKind;
use crate::model::Origin;
use crate::source::Span;

/// Whether the baseline could contain what `rule` needs: some scanned unit is written in a
/// language that can express it (a password policy has no CloudFormation type).
pub fn expressible(cx: &Context<'_>, rule: &str) -> bool {
    let Some(e) = catalog::find(rule) else {
        return false;
    };
    cx.graph.units.iter().any(|u| match u.kind {
        InputKind::CloudFormation => !e.cloudformation.is_empty(),
        InputKind::TerraformModule | InputKind::TerraformPlan => !e.terraform.is_empty(),
    })
}

/// In account scope, reports that the baseline lacks what `rule` needs (message `key`,
/// default `absent`). Returns the finding to add arguments to.
pub fn absent<'a>(
    cx: &Context<'_>,
    out: &'a mut Findings,
    rule: &'static str,
    key: &'static str,
) -> Option<&'a mut Finding> {
    if cx.scope != Scope::Account || !expressible(cx, rule) {
        return None;
    }
    let anchor = cx.absence_anchor()?;
    let f = out.report_at(rule, "account", anchor, key);
    f.absence = true;
    Some(f)
}

/// A resource that may show that what a presence control requires exists.
pub struct Witness<'a> {
    pub origin: &'a Origin,
    /// The setting known only at apply time that decides whether it shows it (key and
    /// value span); `None` when it does.
    pub unknown: Option<(&'a str, Span)>,
}

/// For a control decided by presence: a witness that certainly exists (a known value, a
/// resource created unconditionally) is the one thing the control judges, and lets it
/// pass in any scope. Otherwise, in account scope, the unknowns that decide it are
/// reported as undetermined (each value, or each resource that may not be created), and
/// without any witness the absence (message `key`).
pub fn require(
    cx: &Context<'_>,
    out: &mut Findings,
    rule: &'static str,
    key: &'static str,
    witnesses: &[Witness<'_>],
) {
    if let Some(w) = witnesses
        .iter()
        .find(|w| w.unknown.is_none() && !w.origin.conditional)
    {
        out.evaluated(rule, w.origin);
        return;
    }
    if cx.scope != Scope::Account || !expressible(cx, rule) {
        return;
    }
    if witnesses.is_empty() {
        absent(cx, out, rule, key);
    }
    for w in witnesses {
        match w.unknown {
            Some((k, span)) => {
                cx.unknown(out, rule, w.origin, k, span);
            }
            // Undetermined: the resource may not exist.
            None => {
                out.report(rule, w.origin, w.origin.header, "maybe-absent");
            }
        }
    }
}

/// [`require`] for resources whose mere existence is what the account scope needs (a trail,
/// a recorder): they are judged on their own by the control, so none is recorded here.
pub fn require_any<'a>(
    cx: &Context<'_>,
    out: &mut Findings,
    rule: &'static str,
    key: &'static str,
    origins: impl IntoIterator<Item = &'a Origin>,
) {
    let origins: Vec<&Origin> = origins.into_iter().collect();
    if origins.iter().any(|o| !o.conditional) {
        return;
    }
    let witnesses: Vec<Witness<'_>> = origins
        .into_iter()
        .map(|origin| Witness {
            origin,
            unknown: None,
        })
        .collect();
    require(cx, out, rule, key, &witnesses);
}
