//! CIS 2.8: customer-managed symmetric keys rotate automatically. Keys that cannot rotate
//! (asymmetric, HMAC, imported material, custom key stores) are not applicable.

use super::{Context, Control};
use crate::finding::Findings;
use crate::model::Setting;

pub const CONTROL: Control = Control {
    id: "kms-key-rotation",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    for key in &cx.model.kms_keys {
        let o = &key.origin;
        let applicable = match &key.rotation_impossible {
            Setting::Default { value: Some(_) } | Setting::Set { value: Some(_), .. } => continue,
            Setting::Unknown { .. } => false,
            _ => true,
        };
        out.evaluated(CONTROL.id, o);
        let f = &key.rotation;
        if cx.known(out, CONTROL.id, o, f) == Some(false) {
            let msg = if f.value.is_present() {
                "disabled"
            } else {
                "not-set"
            };
            let finding = out
                .report(CONTROL.id, o, f.value.span_or(o.header), msg)
                .arg("key", f.key)
                .arg("fix", o.assign(f.key, "true"));
            if !applicable {
                finding.undetermined();
            }
        }
    }
}
