//! CIS 2.3: the S3 bucket a trail writes to is not public. The bucket is the one the
//! trail's `s3_bucket_name`/`S3BucketName` references or names literally; a public canned
//! ACL, an ACL grant to `AllUsers`/`AuthenticatedUsers`, or a bucket policy statement that
//! allows anyone (`"*"`, `{"AWS": "*"}`) without a condition restricting the caller is
//! reported where it is written, naming the trail. A public access block that neutralizes
//! it is shown beside the finding, as CIS v1.1.0 still counts the grant.

use super::{Context, Control};
use crate::finding::{Finding, Findings};
use crate::graph::UnitId;
use crate::model::cloudtrail::Trail;
use crate::model::refers::refers_to;
use crate::model::s3::{Bucket, BucketPolicyDoc, CannedAcl, Grant};
use crate::model::{Origin, Setting};
use crate::source::Span;
use crate::value::Node;

pub const CONTROL: Control = Control {
    id: "cloudtrail-bucket-not-public",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let g = cx.graph;
    let s3 = &cx.model.s3;
    for trail in &cx.model.trails {
        let Some(target) = &trail.s3_bucket else {
            continue;
        };
        let unit = g.resource(trail.origin.id).unit;
        for b in &s3.buckets {
            if g.resource(b.origin.id).unit != unit {
                continue;
            }
            // A trail whose bucket is known only at apply time may write to this one: what
            // makes it public is then undetermined, and nothing here passes.
            // So may a trail that may not be created.
            let maybe_trail_bucket = match refers_to(g, unit, target, b.origin.id, &b.names) {
                Some(true) => trail.origin.conditional,
                Some(false) => continue,
                None => true,
            };
            if maybe_trail_bucket {
                out.evaluated_maybe(CONTROL.id, &b.origin);
            } else {
                out.evaluated(CONTROL.id, &b.origin);
            }
            let cx = BucketCx {
                sources: cx.sources,
                trail,
                bucket: b,
                target: target.span,
                blocked: blocked(cx, unit, b),
            };
            if let Some(acl) = &b.acl {
                cx.acl(out, &b.origin, acl, maybe_trail_bucket);
            }
            for grant in &b.grants {
                cx.grant(out, &b.origin, grant, maybe_trail_bucket);
            }
            if let Some(p) = &b.policy {
                cx.policy(out, &b.origin, p, maybe_trail_bucket);
            }
            let link = |bucket: &Node| refers_to(g, unit, bucket, b.origin.id, &b.names);
            for a in &s3.acls {
                if g.resource(a.origin.id).unit != unit {
                    continue;
                }
                // An ACL on a bucket we cannot name may be this one's.
                let uncertain = match link(&a.bucket) {
                    Some(true) => maybe_trail_bucket,
                    Some(false) => continue,
                    None => true,
                };
                if !uncertain {
                    out.evaluated(CONTROL.id, &a.origin);
                }
                if let Some(acl) = &a.acl {
                    cx.acl(out, &a.origin, acl, uncertain);
                }
                for grant in &a.grants {
                    cx.grant(out, &a.origin, grant, uncertain);
                }
            }
            for p in &s3.policies {
                if g.resource(p.origin.id).unit != unit {
                    continue;
                }
                // A policy on a bucket we cannot name may be this one.
                let uncertain = match link(&p.bucket) {
                    Some(true) => maybe_trail_bucket,
                    Some(false) => continue,
                    None => true,
                };
                if !uncertain {
                    out.evaluated(CONTROL.id, &p.origin);
                }
                cx.policy(out, &p.origin, &p.doc, uncertain);
            }
        }
    }
}

/// A public access block on the bucket, resource or inline, with all four settings true.
fn blocked(cx: &Context<'_>, unit: UnitId, b: &Bucket) -> Option<Span> {
    b.blocks_public_access.or_else(|| {
        cx.model
            .s3
            .access_blocks
            .iter()
            .find(|pab| refers_to(cx.graph, unit, &pab.bucket, b.origin.id, &b.names) == Some(true))
            .map(|pab| pab.origin.header)
    })
}

/// What every finding on one trail bucket shares.
struct BucketCx<'a> {
    sources: &'a crate::source::SourceMap,
    trail: &'a Trail,
    bucket: &'a Bucket,
    /// The trail's bucket attribute.
    target: Span,
    blocked: Option<Span>,
}

impl BucketCx<'_> {
    fn expression(&self, span: Span) -> String {
        super::expression(self.sources, span)
    }

    fn finish(&self, f: &mut Finding, uncertain: bool) {
        f.arg("trail", self.trail.origin.address.clone())
            .arg("bucket", self.bucket.origin.address.clone())
            .label(self.target, "trail-bucket");
        if let Some(b) = self.blocked {
            f.label(b, "blocked");
        }
        if uncertain {
            f.undetermined();
        }
    }

    fn acl(&self, out: &mut Findings, o: &Origin, acl: &CannedAcl, uncertain: bool) {
        let Some(public) = acl.is_public() else {
            let f = out.report(CONTROL.id, o, acl.value.span_or(o.header), "acl-unknown");
            f.arg("key", acl.key);
            self.finish(f, true);
            return;
        };
        if public {
            let f = out.report(CONTROL.id, o, acl.value.span_or(o.header), "acl");
            f.arg("acl", acl.value.known().unwrap_or_default());
            self.finish(f, uncertain);
        }
    }

    fn grant(&self, out: &mut Findings, o: &Origin, grant: &Grant, uncertain: bool) {
        let public = grant.is_public();
        if public == Some(false) {
            return;
        }
        let f = match &grant.uri {
            Setting::Unknown { span } => out
                .report(CONTROL.id, o, grant.span, "grant-unknown")
                .arg("expr", self.expression(*span)),
            uri => {
                let uri = uri.known().unwrap_or_default();
                let grantee = uri.rsplit('/').next().unwrap_or_default().to_string();
                out.report(CONTROL.id, o, grant.span, "grant")
                    .arg("grantee", grantee)
            }
        };
        self.finish(f, uncertain || public.is_none());
    }

    fn policy(&self, out: &mut Findings, o: &Origin, doc: &BucketPolicyDoc, uncertain: bool) {
        for d in &doc.documents {
            let mut definite = false;
            for s in &d.policy.statements {
                let verdict = s.allows_public();
                if verdict == Some(false) {
                    continue;
                }
                let f = out.report(CONTROL.id, o, s.span, "policy");
                if let Some(p) = s.principal.as_ref().and_then(|p| p.span()) {
                    f.label(p, "principal");
                }
                let undetermined = uncertain || verdict.is_none() || d.uncertain || s.replaceable;
                self.finish(f, undetermined);
                definite |= !f.undetermined;
            }
            if !definite {
                for span in &d.policy.unknown {
                    let f = out.report(CONTROL.id, o, *span, "policy-unknown");
                    self.finish(f, true);
                }
            }
        }
    }
}
