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

/// Inline policies whose block is known only at apply time (a `dynamic` block over an
/// unknown collection, a `Policies` parameter): no document to read, any statement.
const INLINE: &[(&str, &str)] = &[
    ("aws_iam_role", "inline_policy"),
    ("AWS::IAM::Role", "Policies"),
    ("AWS::IAM::User", "Policies"),
    ("AWS::IAM::Group", "Policies"),
];

fn unknown_inline(cx: &Context<'_>, out: &mut Findings) {
    // The model already reads some unknown entries as policies it cannot see (a SAM policy
    // template it does not know); one finding per place.
    let read: std::collections::HashSet<_> = (cx.model.iam.policies.iter())
        .flat_map(|p| &p.documents)
        .flat_map(|d| d.policy.unknown.iter().copied())
        .collect();
    for &(rtype, key) in INLINE {
        for id in cx.graph.of_type(&[rtype]) {
            let r = cx.graph.resource(id);
            // A plan shows the computed list so when nobody wrote it.
            let Some(list) = r.attrs.get(key).filter(|_| !cx.graph.is_plan(r.unit)) else {
                continue;
            };
            for item in (list.items().iter()).filter(|i| i.is_unknown() && !read.contains(&i.span))
            {
                let o = crate::model::Origin::of(cx.graph, id);
                cx.unknown(out, CONTROL.id, &o, key, item.span);
            }
        }
    }
}

fn check(cx: &Context<'_>, out: &mut Findings) {
    unknown_inline(cx, out);
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
