//! CIS 2.6: the S3 bucket a trail writes to has server access logging: an inline `logging`
//! block, an `aws_s3_bucket_logging` for it, or `LoggingConfiguration`. The bucket is found
//! by reference or by its literal name; a bucket outside the scanned code is not judged.

use super::{Context, Control};
use crate::finding::Findings;
use crate::model::link::{self, Reach, S3_BUCKET, Target};
use crate::model::refers::name_unknown;
use crate::value::Value;

pub const CONTROL: Control = Control {
    id: "cloudtrail-bucket-access-logging",
    check,
};

/// Whether a bucket logs its access: `Some(true)`, `Some(false)`, or unknown.
fn logs_access(cx: &Context<'_>, b: usize) -> Option<bool> {
    let bucket = &cx.model.buckets[b];
    let mut maybe = false;
    if let Some(l) = &bucket.logging {
        match &l.value {
            Value::List(items) if items.is_empty() => {}
            Value::Map(_) | Value::List(_) => return Some(true),
            _ => maybe = true,
        }
    }
    for l in &cx.model.bucket_loggings {
        let Some(node) = &l.bucket else { continue };
        match link::resolve(cx.graph, l.origin.unit, node, &S3_BUCKET, Reach::All) {
            Target::Found(ids) if ids.contains(&bucket.origin.id) => {
                if l.origin.conditional {
                    maybe = true;
                } else {
                    return Some(true);
                }
            }
            Target::Unknown if l.origin.unit == bucket.origin.unit => maybe = true,
            // A literal naming no bucket in the code may name this one, whose name is unknown.
            Target::External(_)
                if l.origin.unit == bucket.origin.unit
                    && link::name_of(cx.graph.resource(bucket.origin.id), &S3_BUCKET).is_none() =>
            {
                maybe = true
            }
            _ => {}
        }
    }
    if maybe { None } else { Some(false) }
}

/// The name attribute of a bucket and its span (the header when it is not written).
fn bucket_name(cx: &Context<'_>, o: &crate::model::Origin) -> (&'static str, crate::source::Span) {
    let key = match o.dialect {
        crate::graph::Dialect::Terraform => "bucket",
        crate::graph::Dialect::CloudFormation => "BucketName",
    };
    let span = cx
        .graph
        .resource(o.id)
        .attrs
        .get(key)
        .map_or(o.header, |n| n.span);
    (key, span)
}

fn check(cx: &Context<'_>, out: &mut Findings) {
    // bucket index → trails writing to it
    // bucket index → trails writing to it, and whether each may not be created
    let mut trails_of: std::collections::BTreeMap<usize, Vec<(String, bool)>> = Default::default();
    for t in &cx.model.trails {
        let Some(node) = &t.s3_bucket else { continue };
        let ids = match link::resolve(cx.graph, t.origin.unit, node, &S3_BUCKET, Reach::Unit) {
            Target::Found(ids) => ids,
            // The bucket is known only at apply time: undetermined if it may be one of the
            // unit's buckets that does not log (a bucket outside the code is not judged).
            Target::Unknown => {
                let may_fail = (0..cx.model.buckets.len()).any(|b| {
                    cx.model.buckets[b].origin.unit == t.origin.unit
                        && logs_access(cx, b) != Some(true)
                });
                if may_fail {
                    cx.unknown(out, CONTROL.id, &t.origin, t.s3_bucket_key(), node.span);
                }
                continue;
            }
            // A name matching no bucket in the code may be that of a bucket whose name is
            // known only at apply time.
            Target::External(_) => {
                for (b, bucket) in cx.model.buckets.iter().enumerate() {
                    let o = &bucket.origin;
                    if o.unit == t.origin.unit
                        && name_unknown(cx.graph, o.id)
                        && logs_access(cx, b) != Some(true)
                    {
                        let (key, name) = bucket_name(cx, o);
                        cx.unknown(out, CONTROL.id, o, key, name);
                    }
                }
                continue;
            }
            _ => continue,
        };
        for id in ids {
            if let Some(b) = cx.model.buckets.iter().position(|b| b.origin.id == id) {
                trails_of
                    .entry(b)
                    .or_default()
                    .push((format!("`{}`", t.origin.address), t.origin.conditional));
            }
        }
    }
    for (b, trails) in trails_of {
        let bucket = &cx.model.buckets[b];
        // A bucket only trails that may not be created write to may not be a trail bucket.
        let maybe_trail_bucket = trails.iter().all(|(_, maybe)| *maybe);
        if maybe_trail_bucket {
            out.evaluated_maybe(CONTROL.id, &bucket.origin);
        } else {
            out.evaluated(CONTROL.id, &bucket.origin);
        }
        let mut verdict = logs_access(cx, b);
        if verdict == Some(true) {
            continue;
        }
        if maybe_trail_bucket {
            verdict = None;
        }
        let trails: Vec<String> = trails.into_iter().map(|(t, _)| t).collect();
        let f = out
            .report(
                CONTROL.id,
                &bucket.origin,
                bucket.origin.header,
                "no-logging",
            )
            .arg("trails", trails.join(", "));
        if verdict.is_none() {
            f.undetermined();
        }
    }
}
