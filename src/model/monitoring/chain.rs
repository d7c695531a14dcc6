//! Following each metric filter's links: back to the trail that feeds its log group, and
//! forward to the alarms on its metric, their SNS actions and the topics' subscribers.
//!
//! Evidence that completes a link is looked for in every scanned unit (a subscription in
//! another project still delivers the alarm); evidence that could only *break* a link comes
//! from the filter's own unit (an unrelated template's trail says nothing about this one).
//! A resource that may not exist (unknown `count`, `Condition`) counts as maybe-evidence:
//! it can keep a link open but never close it.
//!
//! What is reported for a control X (`breaks`): every broken link of every filter that is
//! a member of X, unless a chain for X is complete in the same unit (then a second, broken
//! chain is redundant, not a gap); and every near miss of X, unless the unit has a member
//! of X or a complete chain for X, or the near miss reads a log group that the unit's
//! trails do not deliver to (it filters other logs).
//!
//! A filter that X relies on (a member, or an incidental filter whose chain holds where X
//! has no member) with a pattern broader than the benchmark's is a note of X (`notes`);
//! under `strict-patterns` it does not count for X and is reported like a near miss, as a
//! break at its pattern.

use rayon::prelude::*;
use std::collections::BTreeSet;

use super::classify::{self, Broader, Relation};
use super::{Break, Monitoring};
use crate::filter_pattern;
use crate::graph::{Graph, ResourceId, UnitId};
use crate::model::cloudwatch::{Alarm, MetricFilter, is_json_pattern};
use crate::model::link::{self, LOG_GROUP, Reach, SNS_TOPIC, Target};
use crate::model::{Model, Setting};
use crate::source::Span;
use crate::value::{Node, Value, format_number};

/// How the filter's log group is fed by CloudTrail.
#[derive(Clone, Debug, PartialEq)]
pub enum TrailLink {
    /// Trails (indices into `Model::trails`) that deliver to the group and are
    /// multi-region, logging and record management events.
    Ok(Vec<usize>),
    /// Trails deliver to the group but none qualifies: the first, with the message key
    /// saying why and the span of the offending setting.
    Disqualified {
        trail: usize,
        key: &'static str,
        span: Span,
    },
    /// The trails of the filter's unit deliver to other log groups (named here).
    NoTrail { delivered: Vec<String> },
    /// Unknown values decide.
    Unknown,
    /// The log group or its trail is outside the scanned code.
    Outside,
}

/// The alarm's notification link.
#[derive(Clone, Debug, PartialEq)]
pub enum ActionLink {
    /// Notifies SNS: topics in the code (indices into `Model::topics`), and whether it also
    /// notifies a topic outside the code.
    Ok { topics: Vec<usize>, external: bool },
    /// `actions_enabled = false`.
    Disabled(Span),
    /// No alarm actions; `from_variable` when the empty list comes from a variable or local
    /// (a module's caller may fill it).
    NoActions { span: Span, from_variable: bool },
    /// Actions, none of them SNS.
    NoSns(Span),
    /// Unknown values decide.
    Unknown,
}

/// The alarms on the filter's metric.
#[derive(Clone, Debug, PartialEq)]
pub enum AlarmLink {
    /// Alarms (indices into `Model::alarms`) known to watch the metric, with their actions.
    Alarms(Vec<(usize, ActionLink)>),
    /// No alarm in the code watches the metric.
    NoAlarm,
    /// An alarm of the filter's unit may watch it, depending on unknown values.
    Unknown,
}

/// Whether a topic has a subscriber.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopicLink {
    Ok,
    /// No subscription in the code, and the topic is not exported.
    Broken,
    Unknown,
    /// No subscription in the code, but the topic leaves the code through an output.
    Outside,
}

/// The links of one metric filter.
#[derive(Clone, Debug)]
pub struct FilterChain {
    /// Index into `Model::metric_filters`.
    pub filter: usize,
    /// The log group, for messages (its name, or the address of its resource).
    pub group: String,
    pub trail: TrailLink,
    pub alarms: AlarmLink,
    /// Some resource of the chain may not exist.
    pub maybe: bool,
    /// The alarms that notify SNS may all not exist (unknown `count`, `Condition`).
    pub alarms_maybe: bool,
    /// Alarms of the filter's unit that may watch its metric (their metric is known only
    /// at apply time) besides those that do, with their actions: one of them may complete
    /// the chain, or break it.
    pub maybe_alarms: Vec<(usize, ActionLink)>,
}

/// Whether an alarm's actions may notify SNS (so that it may complete a chain).
fn may_notify(a: &ActionLink) -> bool {
    matches!(
        a,
        ActionLink::Ok { .. }
            | ActionLink::Unknown
            | ActionLink::NoActions {
                from_variable: true,
                ..
            }
    )
}

/// A chain's overall state.
pub(super) enum State {
    Ok,
    Open,
    Broken,
}

impl FilterChain {
    pub(super) fn state(&self) -> State {
        let trail = match self.trail {
            TrailLink::Ok(_) => State::Ok,
            TrailLink::Unknown | TrailLink::Outside => State::Open,
            _ => State::Broken,
        };
        let alarms = match &self.alarms {
            AlarmLink::Alarms(list) => {
                if list.iter().any(|(_, a)| matches!(a, ActionLink::Ok { .. })) {
                    State::Ok
                } else if list
                    .iter()
                    .chain(&self.maybe_alarms)
                    .any(|(_, a)| may_notify(a))
                {
                    State::Open
                } else {
                    State::Broken
                }
            }
            AlarmLink::Unknown => State::Open,
            AlarmLink::NoAlarm => State::Broken,
        };
        match (trail, alarms) {
            (State::Broken, _) | (_, State::Broken) => State::Broken,
            (State::Ok, State::Ok) if !self.maybe && !self.alarms_maybe => State::Ok,
            _ => State::Open,
        }
    }
}

/// Analyses every filter of the model; with `strict`, a filter whose pattern is broader
/// than the benchmark's does not count for the control ([`Relation::Broader`]).
pub fn analyze(graph: &Graph, model: &Model, strict: bool) -> Monitoring {
    let cx = Cx::new(graph, model);
    // Module instances repeat the same few patterns many times over, and classifying one
    // is costly (coverage against every accepted pattern of 14 controls): classify each
    // distinct text once, in parallel.
    let texts: Vec<Option<String>> = model
        .metric_filters
        .iter()
        .map(|f| match f.pattern.as_ref().map(pattern_text) {
            Some(Some(text)) if is_json_pattern(&text) || text.trim().is_empty() => Some(text),
            _ => None,
        })
        .collect();
    let distinct: std::collections::BTreeSet<&str> =
        texts.iter().flatten().map(String::as_str).collect();
    type Classified = (Vec<(&'static str, Relation)>, Vec<(&'static str, Broader)>);
    let classified: std::collections::HashMap<&str, Classified> = distinct
        .into_par_iter()
        .map(|text| {
            let found = match filter_pattern::parse(text) {
                Ok(p) => {
                    let rels = classify::classify(&p);
                    let broader = classify::broader(&p, &rels);
                    (rels, broader)
                }
                Err(_) => Default::default(),
            };
            (text, found)
        })
        .collect();
    let (mut relations, broader): (Vec<_>, Vec<_>) = texts
        .iter()
        .map(|t| {
            t.as_deref()
                .and_then(|t| classified.get(t))
                .cloned()
                .unwrap_or_default()
        })
        .unzip();
    // A pattern known only at apply time may be any control's.
    let unknown_patterns: Vec<usize> = model
        .metric_filters
        .iter()
        .enumerate()
        .filter(|(_, f)| f.pattern.as_ref().is_some_and(Node::contains_unknown))
        .map(|(i, _)| i)
        .collect();
    let chains: Vec<Option<FilterChain>> = relations
        .iter()
        .enumerate()
        .map(|(i, rels)| {
            (rels.iter().any(|(_, r)| r.counts()) || unknown_patterns.contains(&i))
                .then(|| cx.chain(i))
        })
        .collect();
    let relied = cx.relied_on_broader(&relations, &chains, broader);
    if strict {
        for (rels, relied) in relations.iter_mut().zip(&relied) {
            strict_relations(rels, relied);
        }
    }
    let mut m = Monitoring {
        relations,
        chains,
        breaks: Vec::new(),
        topic_breaks: Vec::new(),
        subscribed_topics: Vec::new(),
        unknown_patterns,
        notes: Vec::new(),
    };
    for cis in classify::CONTROLS {
        let b = cx.breaks(&m, cis);
        m.breaks.push((cis, b));
        if !strict {
            let notes = relied
                .iter()
                .enumerate()
                .flat_map(|(i, found)| {
                    let f = &model.metric_filters[i];
                    found
                        .iter()
                        .filter(|(c, _)| *c == cis)
                        .map(move |(_, b)| broader_break(f, cis, b))
                })
                .collect();
            m.notes.push((cis, notes));
        }
    }
    (m.topic_breaks, m.subscribed_topics) = cx.topic_breaks(&m);
    m
}

/// Under `strict-patterns`, a filter's relations with its broader patterns that the
/// controls rely on (see [`Cx::relied_on_broader`]) made [`Relation::Broader`], and the
/// other relations of a broader pattern (incidental ones) dropped: neither counts.
fn strict_relations(rels: &mut Vec<(&'static str, Relation)>, relied: &[(&'static str, Broader)]) {
    let mut kept = Vec::with_capacity(rels.len());
    for (cis, rel) in rels.drain(..) {
        match relied.iter().find(|(c, _)| *c == cis) {
            Some((_, b)) => kept.push((cis, Relation::Broader(b.clone()))),
            None if rel == Relation::Incidental => {}
            None => kept.push((cis, rel)),
        }
    }
    *rels = kept;
}

/// The message of a broader pattern (a note, or a finding under `strict-patterns`):
/// message key and arguments, by the shape of what it matches beyond.
fn broader_message(cis: &str, b: &Broader) -> (&'static str, Vec<(&'static str, String)>) {
    let mut args = vec![("cis", cis.to_string()), ("pattern", b.pattern.to_string())];
    let e = &b.excess;
    let key = if e.matches.iter().any(String::is_empty) && !e.lacking.is_empty() {
        args.push(("lacking", format!("`{}`", e.lacking)));
        "broader-pattern-all"
    } else {
        args.push(("matches", format!("`{}`", e.matches.join(" || "))));
        if e.lacking.is_empty() {
            "broader-pattern-extra"
        } else {
            args.push(("lacking", format!("`{}`", e.lacking)));
            "broader-pattern"
        }
    };
    (key, args)
}

/// The pattern text when it is known (a JSON pattern or an empty one).
pub fn pattern_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.to_string()),
        _ => None,
    }
}

struct Cx<'a> {
    graph: &'a Graph,
    model: &'a Model,
    /// Per trail: the log groups its `cloud_watch_logs_group_arn` points at, and their names.
    /// Every filter is compared with every trail, alarm and subscription: what does not
    /// depend on the filter is resolved once here, so that the comparisons stay cheap.
    trail_groups: Vec<Option<(Target, Vec<String>)>>,
    /// Per alarm, per metric: the effective name and namespace.
    alarm_metrics: Vec<Vec<(Option<Val>, Option<Val>)>>,
    /// Per subscription: the topic it subscribes to.
    subscription_topics: Vec<Option<Target>>,
}

impl<'a> Cx<'a> {
    fn new(graph: &'a Graph, model: &'a Model) -> Cx<'a> {
        let mut cx = Cx {
            graph,
            model,
            trail_groups: Vec::new(),
            alarm_metrics: Vec::new(),
            subscription_topics: Vec::new(),
        };
        cx.trail_groups = model
            .trails
            .iter()
            .map(|t| {
                let arn = t.log_group_arn.as_ref()?;
                let target = link::resolve(graph, t.origin.unit, arn, &LOG_GROUP, Reach::Unit);
                let names = match &target {
                    Target::Found(tids) => tids
                        .iter()
                        .filter_map(|&id| link::name_of(graph.resource(id), &LOG_GROUP))
                        .collect(),
                    _ => Vec::new(),
                };
                Some((target, names))
            })
            .collect();
        cx.alarm_metrics = model
            .alarms
            .iter()
            .map(|a| {
                a.metrics
                    .iter()
                    .map(|m| {
                        (
                            m.name.as_ref().map(|n| cx.effective(a.origin.id, n, 0)),
                            m.namespace
                                .as_ref()
                                .map(|n| cx.effective(a.origin.id, n, 0)),
                        )
                    })
                    .collect()
            })
            .collect();
        cx.subscription_topics = model
            .subscriptions
            .iter()
            .map(|s| {
                let topic = s.topic.as_ref()?;
                Some(link::resolve(
                    graph,
                    s.origin.unit,
                    topic,
                    &SNS_TOPIC,
                    Reach::All,
                ))
            })
            .collect();
        cx
    }
}

/// A value prepared for comparison.
enum Val {
    /// A known scalar.
    Str(String),
    /// An unknown, identified by the resource and span it is written at, and where it
    /// came from (a variable or local): two uses of the same unbound variable are equal.
    Opaque {
        owner: ResourceId,
        span: Span,
        origin: Option<Span>,
    },
}

/// Three-valued equality: `Some(true)`, `Some(false)` or undecidable.
type Same = Option<bool>;

fn and3(a: Same, b: Same) -> Same {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn scalar(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.to_string()),
        Value::Number(x) => Some(format_number(*x)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Where in a Terraform address the module path ends (`module.a[0].` of `module.a[0].x.y`).
fn module_path(address: &str) -> &str {
    let last = address
        .match_indices("module.")
        .filter(|(i, _)| *i == 0 || address.as_bytes()[i - 1] == b'.')
        .map(|(i, _)| i)
        .last();
    match last {
        None => "",
        Some(i) => {
            let rest = &address[i + 7..];
            let mut depth = 0;
            for (j, c) in rest.char_indices() {
                match c {
                    '[' => depth += 1,
                    ']' => depth -= 1,
                    '.' if depth == 0 => return &address[..i + 7 + j + 1],
                    _ => {}
                }
            }
            ""
        }
    }
}

impl Cx<'_> {
    /// The value `node` (written on resource `owner`) stands for: itself when known; the
    /// referenced attribute when it is exactly one reference to a configured attribute
    /// (`aws_cloudwatch_log_metric_filter.x.id` is the filter's name).
    fn effective(&self, owner: ResourceId, node: &Node, depth: usize) -> Val {
        if let Some(s) = scalar(node) {
            return Val::Str(s);
        }
        if node.is_unknown() && depth < 4 {
            // One resource referenced (a plan lists `x.id` and `x` for one use): follow
            // the most specific attribute read from it.
            let unit = self.graph.resource(owner).unit;
            let targets = self.graph.targets(unit, node);
            if let Some(&(id, _)) = targets.first()
                && targets.iter().all(|(t, _)| *t == id)
                && node.all_refs().iter().filter(|r| !r.undeclared).count() == targets.len()
            {
                let attr = targets
                    .iter()
                    .map(|(_, a)| *a)
                    .max_by_key(|a| a.len())
                    .unwrap_or_default();
                if let Some(v) = link::attribute(self.graph.resource(id), attr) {
                    return self.effective(id, v, depth + 1);
                }
            }
        }
        Val::Opaque {
            owner,
            span: node.span,
            origin: node.origin,
        }
    }

    fn same(&self, a: &Val, b: &Val) -> Same {
        match (a, b) {
            (Val::Str(x), Val::Str(y)) => Some(x == y),
            (
                Val::Opaque {
                    owner: oa,
                    span: sa,
                    origin: ga,
                },
                Val::Opaque {
                    owner: ob,
                    span: sb,
                    origin: gb,
                },
            ) => {
                if oa == ob && sa == sb {
                    return Some(true);
                }
                let (ra, rb) = (self.graph.resource(*oa), self.graph.resource(*ob));
                (ga.is_some()
                    && ga == gb
                    && ra.unit == rb.unit
                    && module_path(&ra.address) == module_path(&rb.address))
                .then_some(true)
            }
            _ => None,
        }
    }

    fn display(&self, n: Option<&Node>) -> String {
        n.and_then(scalar)
            .unwrap_or_else(|| "(unknown)".to_string())
    }

    fn chain(&self, i: usize) -> FilterChain {
        let f = &self.model.metric_filters[i];
        let (trail, group) = self.trail_link(f);
        let (alarms, maybe_alarms) = self.alarm_link(f);
        let alarms_maybe = match &alarms {
            AlarmLink::Alarms(list) => !list.iter().any(|(ai, a)| {
                matches!(a, ActionLink::Ok { .. }) && !self.model.alarms[*ai].origin.conditional
            }),
            _ => false,
        };
        FilterChain {
            filter: i,
            group,
            trail,
            alarms,
            maybe: f.origin.conditional,
            alarms_maybe,
            maybe_alarms,
        }
    }

    /// The trail link, and the log group's display name.
    fn trail_link(&self, f: &MetricFilter) -> (TrailLink, String) {
        let Some(node) = &f.log_group else {
            return (TrailLink::Outside, "(none)".into());
        };
        let unit = f.origin.unit;
        let (ids, names): (Vec<ResourceId>, BTreeSet<String>) =
            match link::resolve(self.graph, unit, node, &LOG_GROUP, Reach::Unit) {
                Target::Found(ids) => {
                    let names = ids
                        .iter()
                        .filter_map(|&id| link::name_of(self.graph.resource(id), &LOG_GROUP))
                        .collect();
                    (ids, names)
                }
                Target::External(name) => (Vec::new(), BTreeSet::from([name])),
                // A group known only at apply time may be one the unit's trails do not
                // deliver to; in a unit without such trails it leaves the code.
                Target::Unknown
                    if self.model.trails.iter().enumerate().any(|(ti, t)| {
                        t.origin.unit == unit && self.trail_groups[ti].is_some()
                    }) =>
                {
                    return (TrailLink::Unknown, self.display(Some(node)));
                }
                Target::Foreign | Target::Unknown => {
                    return (TrailLink::Outside, self.display(Some(node)));
                }
            };
        let group = names
            .iter()
            .next()
            .cloned()
            .or_else(|| {
                ids.first()
                    .map(|&id| self.graph.resource(id).address.clone())
            })
            .unwrap_or_else(|| "(unknown)".into());
        let maybe_group =
            ids.iter().all(|&id| self.graph.resource(id).conditional) && !ids.is_empty();
        // A group resource whose name is unknown may be the one a literal ARN names.
        let unnamed = |ids: &[ResourceId]| {
            ids.iter()
                .any(|&id| link::name_of(self.graph.resource(id), &LOG_GROUP).is_none())
        };
        let f_unnamed = unnamed(&ids);

        let mut writers = Vec::new();
        let mut unknown = false;
        let mut delivered = BTreeSet::new();
        let mut unit_has_delivering_trail = false;
        for (ti, t) in self.model.trails.iter().enumerate() {
            let Some((target, tnames)) = &self.trail_groups[ti] else {
                continue;
            };
            let same_unit = t.origin.unit == unit;
            unit_has_delivering_trail |= same_unit;
            match target {
                Target::Found(tids) => {
                    if tids.iter().any(|id| ids.contains(id))
                        || tnames.iter().any(|n| names.contains(n))
                    {
                        writers.push(ti);
                    } else if ids.is_empty() && unnamed(tids) {
                        unknown |= same_unit;
                    } else if same_unit {
                        match tnames.first() {
                            Some(n) => delivered.insert(n.clone()),
                            None => delivered.insert(self.graph.resource(tids[0]).address.clone()),
                        };
                    }
                }
                Target::External(n) => {
                    if names.contains(n) {
                        writers.push(ti);
                    } else if f_unnamed {
                        unknown |= same_unit;
                    } else if same_unit {
                        delivered.insert(n.clone());
                    }
                }
                Target::Unknown | Target::Foreign => unknown |= same_unit,
            }
        }
        let link = if !writers.is_empty() {
            let mut ok = Vec::new();
            let mut open = false;
            let mut first_bad = None;
            for &ti in &writers {
                let t = &self.model.trails[ti];
                match qualifies(t) {
                    Some(Ok(())) if !t.origin.conditional && !maybe_group => ok.push(ti),
                    Some(Ok(())) | None => open = true,
                    Some(Err((key, span))) => {
                        if first_bad.is_none() {
                            first_bad = Some((ti, key, span));
                        }
                    }
                }
            }
            if !ok.is_empty() {
                TrailLink::Ok(ok)
            } else if open {
                TrailLink::Unknown
            } else {
                match first_bad {
                    Some((trail, key, span)) => TrailLink::Disqualified { trail, key, span },
                    None => TrailLink::Unknown,
                }
            }
        } else if unknown {
            TrailLink::Unknown
        } else if unit_has_delivering_trail && !delivered.is_empty() {
            TrailLink::NoTrail {
                delivered: delivered.into_iter().collect(),
            }
        } else {
            TrailLink::Outside
        };
        (link, group)
    }

    /// The alarms watching the filter's metric, and those of its unit that may.
    fn alarm_link(&self, f: &MetricFilter) -> (AlarmLink, Vec<(usize, ActionLink)>) {
        let fid = f.origin.id;
        let mut found = Vec::new();
        let mut maybe_alarms = Vec::new();
        let filter_metrics: Vec<(Option<Val>, Option<Val>)> = f
            .metrics
            .iter()
            .map(|m| {
                (
                    m.name.as_ref().map(|n| self.effective(fid, n, 0)),
                    m.namespace.as_ref().map(|n| self.effective(fid, n, 0)),
                )
            })
            .collect();
        for (ai, a) in self.model.alarms.iter().enumerate() {
            let mut verdict: Same = Some(false);
            for (fname, fns) in &filter_metrics {
                for (an, ans) in &self.alarm_metrics[ai] {
                    let (Some(an), Some(fname)) = (an, fname) else {
                        continue;
                    };
                    let name = self.same(an, fname);
                    let ns = match (ans, fns) {
                        (Some(x), Some(y)) => self.same(x, y),
                        _ => None,
                    };
                    verdict = match (verdict, and3(name, ns)) {
                        (Some(true), _) | (_, Some(true)) => Some(true),
                        (None, _) | (_, None) => None,
                        _ => Some(false),
                    };
                }
            }
            match verdict {
                Some(true) => found.push((ai, self.action_link(a))),
                None if a.origin.unit == f.origin.unit => {
                    maybe_alarms.push((ai, self.action_link(a)))
                }
                _ => {}
            }
        }
        let link = if !found.is_empty() {
            AlarmLink::Alarms(found)
        } else if !maybe_alarms.is_empty() || f.metrics.iter().all(|m| m.name.is_none()) {
            AlarmLink::Unknown
        } else {
            AlarmLink::NoAlarm
        };
        (link, maybe_alarms)
    }

    /// Whether an alarm notifies an SNS topic.
    fn action_link(&self, a: &Alarm) -> ActionLink {
        match &a.actions_enabled.value {
            Setting::Set { value: false, span } => return ActionLink::Disabled(*span),
            Setting::Unknown { .. } => return ActionLink::Unknown,
            _ => {}
        }
        let unit = a.origin.unit;
        let Some(actions) = &a.actions else {
            return ActionLink::NoActions {
                span: a.origin.header,
                from_variable: false,
            };
        };
        let mut topics = Vec::new();
        let mut external = false;
        let mut unknown = false;
        let mut record = |t: Target, topics: &mut Vec<usize>| match t {
            Target::Found(ids) => {
                for id in ids {
                    if let Some(ti) = self.model.topics.iter().position(|t| t.origin.id == id) {
                        topics.push(ti);
                    }
                }
            }
            Target::External(_) => external = true,
            Target::Unknown => unknown = true,
            Target::Foreign => {}
        };
        match &actions.value {
            Value::List(items) => {
                for item in items {
                    record(
                        link::resolve(self.graph, unit, item, &SNS_TOPIC, Reach::Unit),
                        &mut topics,
                    );
                }
                if items.is_empty() {
                    return ActionLink::NoActions {
                        span: actions.span,
                        from_variable: actions.origin.is_some(),
                    };
                }
            }
            _ => record(
                link::resolve(self.graph, unit, actions, &SNS_TOPIC, Reach::Unit),
                &mut topics,
            ),
        }
        topics.sort();
        topics.dedup();
        if !topics.is_empty() || external {
            ActionLink::Ok { topics, external }
        } else if unknown {
            ActionLink::Unknown
        } else {
            ActionLink::NoSns(actions.span)
        }
    }

    /// Whether topic `ti` has a subscriber.
    fn topic_link(&self, ti: usize) -> TopicLink {
        let t = &self.model.topics[ti];
        let mut maybe = false;
        if let Some(inline) = &t.inline_subscriptions {
            match &inline.value {
                Value::List(items) if !items.is_empty() => return TopicLink::Ok,
                Value::List(_) => {}
                _ => maybe = true,
            }
        }
        for (si, s) in self.model.subscriptions.iter().enumerate() {
            let Some(target) = &self.subscription_topics[si] else {
                continue;
            };
            match target {
                Target::Found(ids) if ids.contains(&t.origin.id) => {
                    if s.origin.conditional {
                        maybe = true;
                    } else {
                        return TopicLink::Ok;
                    }
                }
                Target::Unknown if s.origin.unit == t.origin.unit => maybe = true,
                // A literal ARN naming nothing in the code may name this topic, whose name
                // is unknown.
                Target::External(_)
                    if s.origin.unit == t.origin.unit
                        && link::name_of(self.graph.resource(t.origin.id), &SNS_TOPIC)
                            .is_none() =>
                {
                    maybe = true
                }
                _ => {}
            }
        }
        if maybe {
            TopicLink::Unknown
        } else if self.graph.is_exported(t.origin.unit, t.origin.id) {
            TopicLink::Outside
        } else {
            TopicLink::Broken
        }
    }

    /// The broken links of one 3.1–3.14 control.
    fn breaks(&self, m: &Monitoring, cis: &'static str) -> Vec<Break> {
        let mut out = Vec::new();
        let covered_units: BTreeSet<UnitId> = m
            .relations
            .iter()
            .enumerate()
            .filter(|(_, rels)| {
                rels.iter()
                    .any(|(c, r)| *c == cis && *r == Relation::Member)
            })
            .map(|(i, _)| self.model.metric_filters[i].origin.unit)
            .collect();
        // Units where some chain for the control is complete: another filter's broken
        // chain there is redundant, not a gap.
        let complete_units: BTreeSet<UnitId> = m
            .relations
            .iter()
            .enumerate()
            .filter(|(i, rels)| {
                rels.iter().any(|(c, r)| *c == cis && r.counts())
                    && matches!(m.chains.get(*i), Some(Some(ch)) if matches!(ch.state(), State::Ok))
            })
            .map(|(i, _)| self.model.metric_filters[i].origin.unit)
            .collect();
        for (i, rels) in m.relations.iter().enumerate() {
            let f = &self.model.metric_filters[i];
            for (c, rel) in rels {
                if *c != cis {
                    continue;
                }
                match rel {
                    Relation::Member => {
                        if complete_units.contains(&f.origin.unit) {
                            continue;
                        }
                        if let Some(Some(ch)) = m.chains.get(i) {
                            self.chain_breaks(f, ch, cis, &mut out);
                        }
                    }
                    Relation::Broader(b) => {
                        // Another filter of this code matches exactly what the benchmark
                        // asks, or completes the chain: this one is not what it relies on.
                        if covered_units.contains(&f.origin.unit)
                            || complete_units.contains(&f.origin.unit)
                        {
                            continue;
                        }
                        out.push(broader_break(f, cis, b));
                    }
                    Relation::NearMiss { missing, pattern } => {
                        // Another filter of this code covers the control: this one is
                        // something else that merely resembles it.
                        if covered_units.contains(&f.origin.unit)
                            || complete_units.contains(&f.origin.unit)
                        {
                            continue;
                        }
                        // A filter on a log group that the code's trails do not deliver to
                        // reads other logs (an application's JSON with an `errorCode`).
                        if matches!(self.trail_link(f).0, TrailLink::NoTrail { .. }) {
                            continue;
                        }
                        let span = f.pattern.as_ref().map_or(f.origin.header, |p| p.span);
                        out.push(Break {
                            origin: f.origin.clone(),
                            span,
                            key: "pattern-mismatch",
                            args: vec![
                                ("cis", cis.to_string()),
                                ("missing", render_missing(missing)),
                                ("pattern", pattern.to_string()),
                            ],
                            labels: Vec::new(),
                            undetermined: false,
                        });
                    }
                    Relation::Incidental => {}
                }
            }
        }
        out
    }

    /// Per filter: the controls it covers with a pattern broader than the benchmark's that
    /// rely on it. A member always; an incidental filter only where a control has nothing
    /// else: its chain is not broken and no member of the control is in its unit (a
    /// match-all filter beside the fourteen CIS filters is not what they rely on).
    fn relied_on_broader(
        &self,
        relations: &[Vec<(&'static str, Relation)>],
        chains: &[Option<FilterChain>],
        broader: Vec<Vec<(&'static str, Broader)>>,
    ) -> Vec<Vec<(&'static str, Broader)>> {
        let member_units: BTreeSet<(&str, UnitId)> = relations
            .iter()
            .enumerate()
            .flat_map(|(i, rels)| {
                let unit = self.model.metric_filters[i].origin.unit;
                rels.iter()
                    .filter(|(_, r)| *r == Relation::Member)
                    .map(move |(c, _)| (*c, unit))
            })
            .collect();
        broader
            .into_iter()
            .enumerate()
            .map(|(i, found)| {
                let unit = self.model.metric_filters[i].origin.unit;
                let chain_holds = chains[i]
                    .as_ref()
                    .is_some_and(|ch| !matches!(ch.state(), State::Broken));
                found
                    .into_iter()
                    .filter(
                        |(cis, _)| match relations[i].iter().find(|(c, _)| c == cis) {
                            Some((_, Relation::Member)) => true,
                            Some((_, Relation::Incidental)) => {
                                chain_holds && !member_units.contains(&(*cis, unit))
                            }
                            _ => false,
                        },
                    )
                    .collect()
            })
            .collect()
    }

    fn metric_text(&self, f: &MetricFilter) -> (String, String, Span) {
        let m = f.metrics.first();
        let name = m.and_then(|m| m.name.as_ref());
        let ns = m.and_then(|m| m.namespace.as_ref());
        (
            self.display(name),
            self.display(ns),
            name.map_or(f.origin.header, |n| n.span),
        )
    }

    fn chain_breaks(
        &self,
        f: &MetricFilter,
        ch: &FilterChain,
        cis: &'static str,
        out: &mut Vec<Break>,
    ) {
        let group_span = f.log_group.as_ref().map_or(f.origin.header, |n| n.span);
        let base = |key: &'static str, span: Span| Break {
            origin: f.origin.clone(),
            span,
            key,
            args: vec![("cis", cis.to_string()), ("group", ch.group.clone())],
            labels: Vec::new(),
            undetermined: ch.maybe,
        };
        match &ch.trail {
            TrailLink::Ok(_) | TrailLink::Outside => {}
            TrailLink::Unknown => {
                let mut b = base("trail-unknown", group_span);
                b.undetermined = true;
                out.push(b);
            }
            TrailLink::NoTrail { delivered } => {
                let mut b = base("no-trail", group_span);
                b.args.push((
                    "delivered",
                    delivered
                        .iter()
                        .map(|d| format!("`{d}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                ));
                out.push(b);
            }
            TrailLink::Disqualified { trail, key, span } => {
                let t = &self.model.trails[*trail];
                let mut b = base(key, group_span);
                b.args.push(("trail", t.origin.address.clone()));
                b.labels.push((*span, "trail-label"));
                b.undetermined |= t.origin.conditional;
                out.push(b);
            }
        }
        let (metric, namespace, metric_span) = self.metric_text(f);
        match &ch.alarms {
            AlarmLink::NoAlarm | AlarmLink::Unknown => {
                let mut b = base("no-alarm", metric_span);
                b.args.push(("metric", metric));
                b.args.push(("namespace", namespace));
                b.undetermined |= ch.alarms == AlarmLink::Unknown;
                out.push(b);
            }
            AlarmLink::Alarms(list) => {
                if list.iter().any(|(_, a)| matches!(a, ActionLink::Ok { .. })) {
                    // Every alarm that notifies SNS may not be created.
                    if ch.alarms_maybe {
                        let mut b = base("no-alarm", metric_span);
                        b.args.push(("metric", metric));
                        b.args.push(("namespace", namespace));
                        b.undetermined = true;
                        out.push(b);
                    }
                    return;
                }
                // Every alarm that watches the metric may not be created: maybe none does.
                if list
                    .iter()
                    .all(|(ai, _)| self.model.alarms[*ai].origin.conditional)
                {
                    let mut b = base("no-alarm", metric_span);
                    b.args.push(("metric", metric.clone()));
                    b.args.push(("namespace", namespace.clone()));
                    b.undetermined = true;
                    out.push(b);
                }
                // An alarm that may watch the metric may complete the chain; one that may
                // and is broken may be this chain's break too.
                let completes = ch.maybe_alarms.iter().any(|(_, a)| may_notify(a));
                let maybe_broken = ch.maybe_alarms.iter().filter(|(_, a)| !may_notify(a));
                let certain = list.iter().map(|(ai, a)| (ai, a, completes));
                for (ai, action, uncertain) in
                    certain.chain(maybe_broken.map(|(ai, a)| (ai, a, true)))
                {
                    let a = &self.model.alarms[*ai];
                    let (key, span, undetermined) = match action {
                        ActionLink::Ok { .. } => continue,
                        ActionLink::Disabled(span) => ("actions-disabled", *span, false),
                        ActionLink::NoActions {
                            span,
                            from_variable,
                        } => ("no-actions", *span, *from_variable),
                        ActionLink::NoSns(span) => ("no-sns-action", *span, false),
                        ActionLink::Unknown => (
                            "no-sns-action",
                            a.actions.as_ref().map_or(a.origin.header, |n| n.span),
                            true,
                        ),
                    };
                    out.push(Break {
                        origin: a.origin.clone(),
                        span,
                        key,
                        args: vec![
                            ("cis", cis.to_string()),
                            ("filter", f.origin.address.clone()),
                            ("metric", metric.clone()),
                            ("key", a.actions_key.to_string()),
                        ],
                        labels: vec![(metric_span, "filter-label")],
                        undetermined: undetermined || uncertain || ch.maybe,
                    });
                }
            }
        }
    }

    /// Topics that alarms of member chains notify, without a subscriber (3.15); and the
    /// topics they notify that certainly exist and have one.
    fn topic_breaks(&self, m: &Monitoring) -> (Vec<Break>, Vec<usize>) {
        let mut reached: std::collections::BTreeMap<usize, Reached> = Default::default();
        for (i, rels) in m.relations.iter().enumerate() {
            let Some(Some(ch)) = m.chains.get(i) else {
                continue;
            };
            let certain = match &ch.alarms {
                AlarmLink::Alarms(list) => list.as_slice(),
                _ => &[],
            };
            // Alarms that may watch the filter's metric reach their topics only maybe.
            let alarms = certain
                .iter()
                .map(|(ai, a)| (ai, a, false))
                .chain(ch.maybe_alarms.iter().map(|(ai, a)| (ai, a, true)));
            for (ai, action, maybe_alarm) in alarms {
                let a = &self.model.alarms[*ai];
                let (topics, maybe_topic) = match action {
                    ActionLink::Ok { topics, .. } => (topics.clone(), false),
                    // An action known only at apply time may be any topic of the unit.
                    ActionLink::Unknown => (
                        (0..self.model.topics.len())
                            .filter(|&ti| self.model.topics[ti].origin.unit == a.origin.unit)
                            .collect(),
                        true,
                    ),
                    _ => continue,
                };
                for (c, _) in rels.iter().filter(|(_, r)| *r == Relation::Member) {
                    for &ti in &topics {
                        let e = reached.entry(ti).or_insert_with(|| Reached {
                            maybe: true,
                            ..Reached::default()
                        });
                        e.controls.insert(c);
                        e.alarms.insert(a.origin.address.clone());
                        if let Some(n) = &a.actions {
                            e.spans.insert((n.span.file, n.span.start, n.span.end));
                        }
                        e.maybe &= ch.maybe || a.origin.conditional || maybe_alarm || maybe_topic;
                    }
                }
            }
        }
        let mut out = Vec::new();
        let mut subscribed = Vec::new();
        for (ti, r) in reached {
            let undetermined = match self.topic_link(ti) {
                TopicLink::Ok => {
                    if !r.maybe {
                        subscribed.push(ti);
                    }
                    continue;
                }
                TopicLink::Outside => continue,
                TopicLink::Unknown => true,
                TopicLink::Broken => r.maybe,
            };
            let t = &self.model.topics[ti];
            let mut controls: Vec<&str> = r.controls.into_iter().collect();
            controls.sort_by_key(|c| crate::catalog::cis_key(c));
            out.push(Break {
                origin: t.origin.clone(),
                span: t.origin.header,
                key: "no-subscriber",
                args: vec![
                    ("controls", controls.join(", ")),
                    ("alarms", list_some(&r.alarms)),
                ],
                labels: r
                    .spans
                    .into_iter()
                    .map(|(file, start, end)| {
                        (Span::new(file, start as usize, end as usize), "alarm-label")
                    })
                    .collect(),
                undetermined,
            });
        }
        (out, subscribed)
    }
}

/// What reaches a topic: the controls, the alarms (addresses) and their action lists
/// (spans as sortable triples), and whether every path runs through a maybe-resource.
#[derive(Default)]
struct Reached {
    controls: BTreeSet<&'static str>,
    alarms: BTreeSet<String>,
    spans: BTreeSet<(crate::source::FileId, u32, u32)>,
    maybe: bool,
}

/// Whether a trail can start a chain: `Some(Ok)`, `Some(Err((message key, span)))`, or
/// `None` when unknown values decide.
fn qualifies(t: &crate::model::cloudtrail::Trail) -> Option<Result<(), (&'static str, Span)>> {
    let checks: [(&Setting<bool>, &'static str); 3] = [
        (&t.multi_region.value, "trail-single-region"),
        (&t.logging.value, "trail-not-logging"),
        (&t.management_events, "trail-no-management-events"),
    ];
    let mut unknown = false;
    for (s, key) in checks {
        match s.known() {
            Some(true) => {}
            Some(false) => return Some(Err((key, s.span_or(t.origin.header)))),
            None => unknown = true,
        }
    }
    (!unknown).then_some(Ok(()))
}

/// A broader pattern, reported at the filter's pattern.
fn broader_break(f: &MetricFilter, cis: &'static str, b: &Broader) -> Break {
    let (key, args) = broader_message(cis, b);
    Break {
        origin: f.origin.clone(),
        span: f.pattern.as_ref().map_or(f.origin.header, |p| p.span),
        key,
        args,
        labels: Vec::new(),
        undetermined: false,
    }
}

/// Up to three names in backticks, then how many more.
fn list_some(names: &BTreeSet<String>) -> String {
    let mut out: Vec<String> = names.iter().take(3).map(|a| format!("`{a}`")).collect();
    if names.len() > 3 {
        out.push(format!("+{}", names.len() - 3));
    }
    out.join(", ")
}

/// What a pattern misses, for a message: each missing term in backticks.
fn render_missing(missing: &[String]) -> String {
    missing
        .iter()
        .map(|m| {
            if m.starts_with("all required events") || m.starts_with("pattern too complex") {
                m.clone()
            } else {
                format!("`{m}`")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
