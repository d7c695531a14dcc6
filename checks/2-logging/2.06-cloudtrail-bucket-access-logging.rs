//! CIS 2.6: the S3 bucket a trail writes to has server access logging: an inline `logging`
//! block, an `aws_s3_bucket_logging` for it, or `LoggingConfiguration`. The bucket is found
//! by reference or by its literal name; a bucket outside the scanned code is not judged.

use super::{Context, Control};
use crate::finding::Findings;
use crate::model::link::{self, Reach, S3_BUCKET, Target};
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

fn check(cx: &Context<'_>, out: &mut Findings) {
    // bucket index → trails writing to it
    let mut trails_of: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    for t in &cx.model.trails {
        let Some(node) = &t.s3_bucket else { continue };
        if let Target::Found(ids) =
            link::resolve(cx.graph, t.origin.unit, node, &S3_BUCKET, Reach::Unit)
        {
            for id in ids {
                if let Some(b) = cx.model.buckets.iter().position(|b| b.origin.id == id) {
                    trails_of
                        .entry(b)
                        .or_default()
                        .push(format!("`{}`", t.origin.address));
                }
            }
        }
    }
    for (b, trails) in trails_of {
        let bucket = &cx.model.buckets[b];
        out.evaluated(CONTROL.id, &bucket.origin);
        let verdict = logs_access(cx, b);
        if verdict == Some(true) {
            continue;
        }
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
