//! AWS Config: recorders, what they record, and whether anything starts them (2.5).

use super::Origin;
use super::setting::{Field, Setting, bool_attr, str_attr};
use crate::graph::{Graph, ResourceId};
use crate::source::Span;
use crate::value::{Map, Node};

/// A configuration recorder (`aws_config_configuration_recorder`,
/// `AWS::Config::ConfigurationRecorder`).
#[derive(Clone, Debug)]
pub struct Recorder {
    pub origin: Origin,
    /// Records every supported regional resource type (Terraform default true; CloudFormation
    /// without a `RecordingGroup` records everything).
    pub all_supported: Field<bool>,
    /// Records global resource types such as IAM (absent: false).
    pub include_global: Field<bool>,
    /// `recording_strategy.use_only` / `RecordingStrategy.UseOnly`, when written.
    pub strategy: Setting<String>,
    /// The attribute name of the strategy, as the dialect spells it.
    pub strategy_key: &'static str,
    /// `resource_types` / `ResourceTypes`: the only types recorded when listed.
    pub resource_types: Option<Node>,
    /// The attribute name of the resource types, as the dialect spells it.
    pub resource_types_key: &'static str,
    /// A CloudFormation `RecordingGroup` without `AllSupported` (nor an all-types
    /// strategy): the service default for that case is not documented.
    pub all_supported_undocumented: Option<Span>,
}

/// `aws_config_configuration_recorder_status`: what starts a Terraform recorder.
#[derive(Clone, Debug)]
pub struct RecorderStatus {
    pub origin: Origin,
    /// The recorder it names (`name`), as written.
    pub name: Option<Node>,
    pub enabled: Field<bool>,
}

/// A delivery channel (`aws_config_delivery_channel`, `AWS::Config::DeliveryChannel`).
#[derive(Clone, Debug)]
pub struct DeliveryChannel {
    pub origin: Origin,
}

/// Adds the recorder, status or channel a resource declares, if it is one.
pub fn adapt(
    graph: &Graph,
    id: ResourceId,
    recorders: &mut Vec<Recorder>,
    statuses: &mut Vec<RecorderStatus>,
    channels: &mut Vec<DeliveryChannel>,
) {
    let r = graph.resource(id);
    let a = &r.attrs;
    match r.rtype.as_str() {
        "aws_config_configuration_recorder" => {
            // A plan shows blocks nobody wrote as unknown (computed).
            let unknown_block =
                |a: &Map, key: &str| unknown_block(a, key).filter(|_| !graph.is_plan(r.unit));
            let group = first_block(a, "recording_group");
            let g = group.unwrap_or(&EMPTY);
            let strategy = match unknown_block(g, "recording_strategy") {
                Some(span) => Setting::Unknown { span },
                None => str_attr(
                    first_block(g, "recording_strategy").unwrap_or(&EMPTY),
                    "use_only",
                ),
            };
            let unknown = unknown_block(a, "recording_group");
            recorders.push(Recorder {
                origin: Origin::of(graph, id),
                all_supported: Field::read(g, "all_supported", bool_attr)
                    .or_default(true)
                    .or_unknown(unknown),
                include_global: Field::read(g, "include_global_resource_types", bool_attr)
                    .or_default(false)
                    .or_unknown(unknown),
                strategy,
                strategy_key: "recording_strategy.use_only",
                resource_types: listed(g, "resource_types"),
                resource_types_key: "resource_types",
                all_supported_undocumented: None,
            });
        }
        "AWS::Config::ConfigurationRecorder" => {
            let group = a.get("RecordingGroup").and_then(Node::as_map);
            let g = group.unwrap_or(&EMPTY);
            let strategy = match unknown_block(g, "RecordingStrategy") {
                Some(span) => Setting::Unknown { span },
                None => str_attr(
                    g.get("RecordingStrategy")
                        .and_then(Node::as_map)
                        .unwrap_or(&EMPTY),
                    "UseOnly",
                ),
            };
            let resource_types = listed(g, "ResourceTypes");
            let unknown = unknown_block(a, "RecordingGroup");
            let mut all_supported = Field::read(g, "AllSupported", bool_attr).or_unknown(unknown);
            let mut all_supported_undocumented = None;
            if matches!(all_supported.value, Setting::Absent) {
                all_supported.value = match (group, &strategy) {
                    // Without a recording group AWS Config records every supported type.
                    (None, _) => Setting::Default { value: true },
                    (Some(_), Setting::Set { value, .. })
                        if value == "ALL_SUPPORTED_RESOURCE_TYPES" =>
                    {
                        Setting::Default { value: true }
                    }
                    // Listed types are recorded instead of all (reported as such).
                    (Some(_), _) if resource_types.is_some() => Setting::Default { value: false },
                    (Some(_), _) => {
                        let span = a.get("RecordingGroup").map_or(r.span, |n| n.span);
                        all_supported_undocumented = Some(span);
                        Setting::Unknown { span }
                    }
                };
            }
            recorders.push(Recorder {
                origin: Origin::of(graph, id),
                all_supported,
                include_global: Field::read(g, "IncludeGlobalResourceTypes", bool_attr)
                    .or_default(false)
                    .or_unknown(unknown),
                strategy,
                strategy_key: "RecordingStrategy.UseOnly",
                resource_types,
                resource_types_key: "ResourceTypes",
                all_supported_undocumented,
            });
        }
        "aws_config_configuration_recorder_status" => statuses.push(RecorderStatus {
            origin: Origin::of(graph, id),
            name: a.get("name").cloned(),
            enabled: Field::read(a, "is_enabled", bool_attr),
        }),
        "aws_config_delivery_channel" | "AWS::Config::DeliveryChannel" => {
            channels.push(DeliveryChannel {
                origin: Origin::of(graph, id),
            })
        }
        _ => {}
    }
}

static EMPTY: std::sync::LazyLock<Map> = std::sync::LazyLock::new(Map::default);

/// A list attribute that is written and not known to be empty.
fn listed(a: &Map, key: &str) -> Option<Node> {
    a.get(key)
        .filter(|n| {
            !n.is_null() && !matches!(&n.value, crate::value::Value::List(l) if l.is_empty())
        })
        .cloned()
}

/// The span of a block known only at apply time (the block, its list, or its first item),
/// so that every setting inside it is unknown too.
fn unknown_block(a: &Map, key: &str) -> Option<Span> {
    let n = a.get(key)?;
    let first = n.items().first().unwrap_or(n);
    [n, first]
        .into_iter()
        .find(|b| b.is_unknown())
        .map(|b| b.span)
}

/// The first block of a nested-block attribute (Terraform lists them).
fn first_block<'a>(a: &'a Map, key: &str) -> Option<&'a Map> {
    a.get(key)?.items().first()?.as_map()
}

impl Recorder {
    /// The span of the recording strategy when it limits what is recorded.
    pub fn limiting_strategy(&self) -> Option<(String, Span)> {
        match &self.strategy {
            Setting::Set { value, span } if value != "ALL_SUPPORTED_RESOURCE_TYPES" => {
                Some((value.clone(), *span))
            }
            _ => None,
        }
    }
}
