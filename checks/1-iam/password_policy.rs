//! Shared by 1.5–1.11: one setting of the account password policy
//! (`aws_iam_account_password_policy`), pointing at the attribute or, when it is left out
//! (and IAM's default applies), at the resource.

use super::Context;
use super::account;
use crate::finding::Findings;
use crate::model::Field;
use crate::model::Setting;
use crate::model::account::PasswordPolicy;
use crate::value::format_number;

/// A requirement that must be `true` (`require_uppercase_characters`, …).
pub fn require(
    cx: &Context<'_>,
    out: &mut Findings,
    rule: &'static str,
    field: fn(&PasswordPolicy) -> &Field<bool>,
) {
    let policies = cx.model.account.password_policies.iter().map(|p| &p.origin);
    account::require_any(cx, out, rule, "absent", policies);
    for p in &cx.model.account.password_policies {
        let o = &p.origin;
        out.evaluated(rule, o);
        let f = field(p);
        let key = match &f.value {
            Setting::Set { value: false, .. } => "disabled",
            Setting::Default { value: false } => "not-set",
            Setting::Unknown { .. } => "unknown",
            _ => continue,
        };
        let finding = out
            .report(rule, o, f.value.span_or(o.header), key)
            .arg("key", f.key)
            .arg("fix", o.assign(f.key, "true"));
        if key == "unknown" {
            finding.undetermined();
        }
    }
}

/// A number that `ok` must accept; `fix` is the CIS value.
pub fn number(
    cx: &Context<'_>,
    out: &mut Findings,
    rule: &'static str,
    field: fn(&PasswordPolicy) -> &Field<f64>,
    ok: fn(f64) -> bool,
    fix: &str,
) {
    let policies = cx.model.account.password_policies.iter().map(|p| &p.origin);
    account::require_any(cx, out, rule, "absent", policies);
    for p in &cx.model.account.password_policies {
        let o = &p.origin;
        out.evaluated(rule, o);
        let f = field(p);
        let (key, value) = match &f.value {
            Setting::Set { value, .. } if !ok(*value) => ("weak", *value),
            Setting::Default { value } if !ok(*value) => ("not-set", *value),
            Setting::Unknown { .. } => ("unknown", 0.0),
            _ => continue,
        };
        let finding = out
            .report(rule, o, f.value.span_or(o.header), key)
            .arg("key", f.key)
            .arg("value", format_number(value))
            .arg("fix", o.assign(f.key, fix));
        if key == "unknown" {
            finding.undetermined();
        }
    }
}
