//! CIS 1.24: no policy that grants permissions to identities (a managed policy, an inline
//! policy of a user, group or role, or a policy document data source feeding one) has a
//! statement that allows every action (`*` or `*:*`) on every resource (`*`). `iam:*`,
//! `NotAction` and narrower resources are not this control; trust policies are out of scope.

use super::{Context, Control};
use crate::finding::Findings;
use crate::policy::is_all_actions;

pub const CONTROL: Control = Control {
    id: "iam-policy-full-admin",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    for p in &cx.model.iam.policies {
        let o = &p.origin;
        out.evaluated(CONTROL.id, o);
        for doc in &p.documents {
            let mut definite = false;
            for s in &doc.policy.statements {
                let verdict = s.grants_full_admin();
                if verdict == Some(false) {
                    continue;
                }
                let maybe = verdict.is_none() || doc.uncertain || s.replaceable;
                let key = match (doc.via.is_some(), maybe) {
                    (false, false) => "admin",
                    (true, false) => "admin-in-document",
                    (false, true) => "maybe-admin",
                    (true, true) => "maybe-admin-in-document",
                };
                let f = out.report(CONTROL.id, o, s.span, key);
                if let Some(id) = doc.via {
                    f.arg("document", cx.graph.resource(id).address.clone());
                }
                if let Some(action) = s.action.as_ref().and_then(|a| a.find(is_all_actions)) {
                    f.label(action.span, "action");
                }
                if maybe {
                    f.undetermined();
                } else {
                    definite |= !f.undetermined;
                }
            }
            // Statements only known at apply time may grant everything; say so unless a
            // known statement already does.
            if !definite {
                for span in &doc.policy.unknown {
                    out.report(CONTROL.id, o, *span, "unknown")
                        .arg("key", p.key)
                        .undetermined();
                }
            }
        }
    }
}
