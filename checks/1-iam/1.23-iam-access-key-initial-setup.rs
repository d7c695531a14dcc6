//! CIS 1.23: no access key is created together with a console user. In one code set, an
//! access key for a user defined in the same code who also gets a console password
//! (`aws_iam_user_login_profile`, CloudFormation `LoginProfile`) is exactly a key set up
//! during initial user setup. Keys for users without a console password (service users)
//! are not this control. With a credential report, an active key of a console user that
//! was never used is reported too: it was issued without being needed.

use super::{Context, Control};
use crate::finding::Findings;
use crate::model::Setting;
use crate::model::refers::refers_to;

pub const CONTROL: Control = Control {
    id: "iam-access-key-initial-setup",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    super::credential_report::unused_keys_of_console_users(cx, out, CONTROL.id);
    let g = cx.graph;
    let iam = &cx.model.iam;
    for key in &iam.access_keys {
        let o = &key.origin;
        out.evaluated(CONTROL.id, o);
        let Some(user_ref) = &key.user else { continue };
        let unit = g.resource(o.id).unit;
        for user in &iam.users {
            if g.resource(user.origin.id).unit != unit {
                continue;
            }
            // A key whose user is known only at apply time may be this console user's.
            let same_user = refers_to(g, unit, user_ref, user.origin.id, &user.names);
            if same_user == Some(false) {
                continue;
            }
            // The console password: inline (CloudFormation) or a login profile resource.
            let mut password: Option<(crate::source::Span, bool)> = match &user.login_profile {
                Setting::Set { span, .. } => Some((*span, true)),
                Setting::Unknown { span } => Some((*span, false)),
                _ => None,
            };
            for lp in &iam.login_profiles {
                if password.is_some_and(|(_, certain)| certain) {
                    break;
                }
                if g.resource(lp.origin.id).unit != unit {
                    continue;
                }
                match refers_to(g, unit, &lp.user, user.origin.id, &user.names) {
                    Some(true) => password = Some((lp.origin.header, !lp.origin.conditional)),
                    None if password.is_none() => password = Some((lp.origin.header, false)),
                    _ => {}
                }
            }
            let Some((at, certain)) = password else {
                continue;
            };
            let f = match same_user {
                Some(_) => out
                    .report(CONTROL.id, o, o.header, "with-password")
                    .arg("user", cx.describe(user_ref)),
                None => out
                    .report(CONTROL.id, o, user_ref.span, "maybe-with-password")
                    .arg("user", user.origin.address.clone())
                    .arg("expr", cx.expression(user_ref.span))
                    .undetermined(),
            };
            f.label(at, "password");
            if !certain {
                f.undetermined();
            }
        }
    }
}
