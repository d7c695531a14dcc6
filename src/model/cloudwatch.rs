//! CloudWatch Logs metric filters and CloudWatch alarms: the middle links of the 3.x chains.

use super::Origin;
use super::setting::{Field, bool_attr};
use crate::filter_pattern;
use crate::graph::{Graph, InputError, ResourceId};
use crate::source::{SourceMap, Span};
use crate::value::{Map, Node};

/// A metric: name and namespace values (known, references, or unknown).
#[derive(Clone, Debug, Default)]
pub struct Metric {
    pub name: Option<Node>,
    pub namespace: Option<Node>,
}

/// A metric filter (`aws_cloudwatch_log_metric_filter`, `AWS::Logs::MetricFilter`).
#[derive(Clone, Debug)]
pub struct MetricFilter {
    pub origin: Origin,
    /// The filter's own name (`name`, `FilterName`): what its Terraform `id` returns.
    pub name: Option<Node>,
    /// The filter pattern text.
    pub pattern: Option<Node>,
    /// The log group it reads (`log_group_name`, `LogGroupName`).
    pub log_group: Option<Node>,
    /// The metrics it emits (`metric_transformation`, `MetricTransformations`).
    pub metrics: Vec<Metric>,
}

/// A metric alarm (`aws_cloudwatch_metric_alarm`, `AWS::CloudWatch::Alarm`).
#[derive(Clone, Debug)]
pub struct Alarm {
    pub origin: Origin,
    /// The alarm's metric (`metric_name`/`namespace`) and the metrics of its metric-math
    /// queries (`metric_query[].metric`, `Metrics[].MetricStat.Metric`).
    pub metrics: Vec<Metric>,
    /// `alarm_actions` / `AlarmActions`, as written.
    pub actions: Option<Node>,
    /// The attribute name of the actions, as the dialect spells it.
    pub actions_key: &'static str,
    /// `actions_enabled` / `ActionsEnabled` (default true).
    pub actions_enabled: Field<bool>,
}

/// Adds the metric filter a resource declares, if it is one.
pub fn adapt_filter(graph: &Graph, id: ResourceId, out: &mut Vec<MetricFilter>) {
    let r = graph.resource(id);
    let a = &r.attrs;
    let (name, pattern, group, list, mname, mns) = match r.rtype.as_str() {
        "aws_cloudwatch_log_metric_filter" => (
            "name",
            "pattern",
            "log_group_name",
            "metric_transformation",
            "name",
            "namespace",
        ),
        "AWS::Logs::MetricFilter" => (
            "FilterName",
            "FilterPattern",
            "LogGroupName",
            "MetricTransformations",
            "MetricName",
            "MetricNamespace",
        ),
        _ => return,
    };
    let metrics = a
        .get(list)
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|m| Metric {
            name: m.get(mname).cloned(),
            namespace: m.get(mns).cloned(),
        })
        .collect();
    out.push(MetricFilter {
        origin: Origin::of(graph, id),
        name: present(a, name),
        pattern: present(a, pattern),
        log_group: present(a, group),
        metrics,
    });
}

/// Adds the alarm a resource declares, if it is one.
pub fn adapt_alarm(graph: &Graph, id: ResourceId, out: &mut Vec<Alarm>) {
    let r = graph.resource(id);
    let a = &r.attrs;
    let alarm = match r.rtype.as_str() {
        "aws_cloudwatch_metric_alarm" => {
            let mut metrics = vec![Metric {
                name: present(a, "metric_name"),
                namespace: present(a, "namespace"),
            }];
            for q in a.get("metric_query").map(Node::items).unwrap_or_default() {
                for m in q.get("metric").map(Node::items).unwrap_or_default() {
                    metrics.push(Metric {
                        name: m.get("metric_name").cloned(),
                        namespace: m.get("namespace").cloned(),
                    });
                }
            }
            Alarm {
                origin: Origin::of(graph, id),
                metrics,
                actions: present(a, "alarm_actions"),
                actions_key: "alarm_actions",
                actions_enabled: Field::read(a, "actions_enabled", bool_attr).or_default(true),
            }
        }
        "AWS::CloudWatch::Alarm" => {
            let mut metrics = vec![Metric {
                name: present(a, "MetricName"),
                namespace: present(a, "Namespace"),
            }];
            for q in a.get("Metrics").map(Node::items).unwrap_or_default() {
                if let Some(m) = q.get("MetricStat").and_then(|s| s.get("Metric")) {
                    metrics.push(Metric {
                        name: m.get("MetricName").cloned(),
                        namespace: m.get("Namespace").cloned(),
                    });
                }
            }
            Alarm {
                origin: Origin::of(graph, id),
                metrics,
                actions: present(a, "AlarmActions"),
                actions_key: "AlarmActions",
                actions_enabled: Field::read(a, "ActionsEnabled", bool_attr).or_default(true),
            }
        }
        _ => return,
    };
    out.push(alarm);
}

/// The attribute's value unless it is absent or `null`.
fn present(a: &Map, key: &str) -> Option<Node> {
    a.get(key).filter(|n| !n.is_null()).cloned()
}

/// Metric filter patterns that cannot be parsed, as input errors: CloudWatch rejects such a
/// filter when it is created, so it is broken input rather than a CIS finding, and it must
/// not pass silently. Only JSON patterns (`{ … }`) are checked: text, space-delimited and
/// `%regex%` patterns are another syntax, and a JSON pattern holding a `%regex%` value uses
/// syntax this parser does not model. The error points at the offending character when the
/// pattern is written without escapes, else at the start of the value.
pub fn pattern_errors(graph: &Graph, sources: &SourceMap) -> Vec<InputError> {
    let mut out = Vec::new();
    let types = [
        "aws_cloudwatch_log_metric_filter",
        "AWS::Logs::MetricFilter",
    ];
    for id in graph.of_type(&types) {
        let r = graph.resource(id);
        let key = if r.rtype == types[0] {
            "pattern"
        } else {
            "FilterPattern"
        };
        let Some(node) = r.attrs.get(key) else {
            continue;
        };
        let Some(text) = node.as_str() else { continue };
        if !is_json_pattern(text) || text.contains('%') {
            continue;
        }
        if let Err(e) = filter_pattern::parse(text) {
            out.push(InputError {
                span: error_span(sources, node.span, text, e.offset),
                message: format!(
                    "invalid metric filter pattern in `{}`: {} (at offset {} of the pattern)",
                    r.address, e.message, e.offset
                ),
            });
        }
    }
    out
}

/// Whether a pattern text is a JSON pattern, the only kind CIS uses.
pub fn is_json_pattern(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// The source position of byte `offset` of a string value written at `span`.
fn error_span(sources: &SourceMap, span: Span, text: &str, offset: usize) -> Span {
    let file = sources.get(span.file);
    let raw = file.text.get(span.range()).unwrap_or_default();
    let quoted = ['"', '\''].iter().find_map(|q| {
        raw.strip_prefix(*q)
            .and_then(|r| r.strip_suffix(*q))
            .map(|inner| (1, inner))
    });
    let inner = quoted.unwrap_or((0, raw));
    let at = if inner.1 == text && offset <= text.len() {
        span.start as usize + inner.0 + offset
    } else {
        span.start as usize
    };
    Span::new(span.file, at, at)
}
