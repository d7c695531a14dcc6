//! CIS 2.5: every AWS Config recorder records all supported resource types, global ones
//! included somewhere, and is started: by an `aws_config_configuration_recorder_status`
//! with `is_enabled = true` in Terraform, by a delivery channel in CloudFormation.
//!
//! Global resource types need recording in one region only: a recorder without them is
//! reported only when no recorder in the scanned code records them.

use super::{Context, Control};
use crate::finding::Findings;
use crate::graph::Dialect;
use crate::model::link::{self, CONFIG_RECORDER, Reach, Target};
use crate::model::{Origin, Setting};

pub const CONTROL: Control = Control {
    id: "config-recorder-all-resources",
    check,
};

/// Whether some recorder records global resource types: yes, no, or unknown.
fn global_somewhere(cx: &Context<'_>) -> Option<bool> {
    let mut unknown = false;
    for r in &cx.model.recorders {
        match r.include_global.value.known() {
            Some(true) if !r.origin.conditional => return Some(true),
            Some(true) | None => unknown = true,
            Some(false) => {}
        }
    }
    if unknown { None } else { Some(false) }
}

/// How a Terraform recorder is started.
enum Started {
    Yes,
    /// A status names it with `is_enabled = false`, at this span.
    Disabled(crate::source::Span, Origin),
    No,
    Unknown,
}

/// The recorders each status names (resolved once, not once per recorder).
fn status_targets(cx: &Context<'_>) -> Vec<Option<Target>> {
    cx.model
        .recorder_statuses
        .iter()
        .map(|s| {
            let name = s.name.as_ref()?;
            Some(link::resolve(
                cx.graph,
                s.origin.unit,
                name,
                &CONFIG_RECORDER,
                Reach::All,
            ))
        })
        .collect()
}

fn tf_started(cx: &Context<'_>, rec: &Origin, targets: &[Option<Target>]) -> Started {
    let mut unknown = false;
    let mut disabled = None;
    for (s, target) in cx.model.recorder_statuses.iter().zip(targets) {
        let Some(target) = target else { continue };
        match target {
            Target::Found(ids) if ids.contains(&rec.id) => match &s.enabled.value {
                Setting::Set { value: true, .. } if !s.origin.conditional => return Started::Yes,
                Setting::Set { value: false, span } => {
                    disabled.get_or_insert((*span, s.origin.clone()));
                }
                _ => unknown = true,
            },
            Target::Unknown if s.origin.unit == rec.unit => unknown = true,
            // A literal naming no recorder in the code may name this one, whose name is
            // unknown.
            Target::External(_)
                if s.origin.unit == rec.unit
                    && link::name_of(cx.graph.resource(rec.id), &CONFIG_RECORDER).is_none() =>
            {
                unknown = true
            }
            _ => {}
        }
    }
    match (unknown, disabled) {
        (true, _) => Started::Unknown,
        (false, Some((span, o))) => Started::Disabled(span, o),
        (false, None) => Started::No,
    }
}

fn check(cx: &Context<'_>, out: &mut Findings) {
    let recorders = cx.model.recorders.iter().map(|r| &r.origin);
    super::account::require_any(cx, out, CONTROL.id, "absent", recorders);
    let global = global_somewhere(cx);
    let targets = status_targets(cx);
    for r in &cx.model.recorders {
        let o = &r.origin;
        out.evaluated(CONTROL.id, o);
        // What it records. An undocumented default is reported below, not as an unknown.
        let all_supported = match r.all_supported_undocumented {
            Some(_) => None,
            None => cx.known(out, CONTROL.id, o, &r.all_supported),
        };
        if let (Some(false), Setting::Set { span, .. }) = (all_supported, &r.all_supported.value) {
            out.report(CONTROL.id, o, *span, "not-all-supported")
                .arg("key", r.all_supported.key)
                .arg("fix", o.assign(r.all_supported.key, "true"));
        }
        if let Some(types) = &r.resource_types
            && r.all_supported.value.known() != Some(true)
        {
            if types.is_unknown() {
                cx.unknown(out, CONTROL.id, o, r.resource_types_key, types.span);
            } else {
                out.report(CONTROL.id, o, types.span, "listed-types")
                    .arg("key", r.resource_types_key);
            }
        }
        if let Some(span) = r.all_supported_undocumented {
            // An undocumented service default rather than an unknown value: undecidable all
            // the same.
            out.report(CONTROL.id, o, span, "all-supported-unset")
                .arg("key", r.all_supported.key)
                .arg("fix", o.assign(r.all_supported.key, "true"))
                .undetermined();
        }
        if let Setting::Unknown { span } = r.strategy {
            cx.unknown(out, CONTROL.id, o, r.strategy_key, span);
        }
        if let Some((strategy, span)) = r.limiting_strategy() {
            out.report(CONTROL.id, o, span, "limited-strategy")
                .arg("key", r.strategy_key)
                .arg("strategy", strategy);
        }
        if let Setting::Unknown { span } = r.include_global.value
            && global != Some(true)
        {
            cx.unknown(out, CONTROL.id, o, r.include_global.key, span);
        }
        if r.include_global.value.known() == Some(false) && global != Some(true) {
            let f = out
                .report(
                    CONTROL.id,
                    o,
                    r.include_global.value.span_or(o.header),
                    "no-global",
                )
                .arg("key", r.include_global.key)
                .arg("fix", o.assign(r.include_global.key, "true"));
            if global.is_none() {
                f.undetermined();
            }
        }
        // Whether it runs.
        match o.dialect {
            Dialect::Terraform => match tf_started(cx, o, &targets) {
                Started::Yes => {}
                Started::Disabled(span, status) => {
                    out.report(CONTROL.id, &status, span, "disabled")
                        .arg("recorder", o.address.clone());
                }
                Started::No => {
                    out.report(CONTROL.id, o, o.header, "not-started");
                }
                Started::Unknown => {
                    out.report(CONTROL.id, o, o.header, "not-started")
                        .undetermined();
                }
            },
            Dialect::CloudFormation => {
                let channel = cx
                    .model
                    .delivery_channels
                    .iter()
                    .any(|c| !c.origin.conditional);
                if !channel {
                    // CloudFormation starts the recorder once a delivery channel exists;
                    // one may exist in another stack.
                    out.report(CONTROL.id, o, o.header, "no-channel")
                        .undetermined();
                }
            }
        }
    }
}
