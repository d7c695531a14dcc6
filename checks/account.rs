//! Account scope (`--scope account`): the scanned code is the account's baseline, so a
//! missing piece (no trail, no password policy, no support role) is a finding. Absences have
//! no span of their own: they point at the first line of the first root module or template
//! and carry the catalog's snippets that add what is missing.

use super::{Context, Scope};
use crate::catalog;
use crate::finding::{Finding, Findings};
use crate::graph::InputKind;

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
