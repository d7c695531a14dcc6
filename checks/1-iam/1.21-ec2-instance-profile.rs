//! CIS 1.21: instances reach AWS through an IAM role (an instance profile), not through
//! keys. An instance, launch template or launch configuration without an instance profile
//! is reported (a warning: code cannot know which instances call AWS at all), unless the
//! profile comes from elsewhere (the launch template an instance is launched from, the EKS
//! node group or Batch environment that uses the template). Access keys written into user
//! data are reported wherever they are.

use super::{Context, Control};
use crate::finding::Findings;
use crate::model::Setting;

pub const CONTROL: Control = Control {
    id: "ec2-instance-profile",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    for i in &cx.model.instances {
        let o = &i.origin;
        out.evaluated(CONTROL.id, o);
        if i.profile_elsewhere != Some(true) {
            match &i.profile {
                Setting::Absent => {
                    let f = out
                        .report(CONTROL.id, o, o.header, "no-profile")
                        .arg("key", i.profile_key);
                    // A launch template known only at apply time may supply one.
                    if i.profile_elsewhere.is_none() {
                        f.undetermined();
                    }
                }
                Setting::Unknown { span } => {
                    out.report(CONTROL.id, o, *span, "unknown-profile")
                        .arg("key", i.profile_key)
                        .undetermined();
                }
                _ => {}
            }
        }
        for k in &i.embedded_keys {
            out.report(CONTROL.id, o, k.span, "embedded-key")
                .arg("secret", k.shown.clone());
        }
        // User data known only at apply time may hold keys.
        for (key, span) in &i.unknown_user_data {
            cx.unknown(out, CONTROL.id, o, key, *span);
        }
    }
}
