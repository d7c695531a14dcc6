//! Dialect-neutral AWS nouns (a trail, a key, an ingress rule) built from the graph by small
//! adapters, so that each control is written once for Terraform, plans and CloudFormation.

pub mod account;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod config_recorder;
pub mod ec2;
pub mod iam;
pub mod kms;
pub mod link;
pub mod monitoring;
pub mod refers;
pub mod s3;
pub mod s3_logging;
pub mod security_group;
pub mod setting;
pub mod sns;
pub mod vpc;

use crate::graph::{Dialect, Graph, ResourceId, UnitId};
use crate::policy::Resolver;
use crate::source::{SourceMap, Span};

pub use setting::{Field, Setting};

/// What every model entity knows about the resource it came from.
#[derive(Clone, Debug)]
pub struct Origin {
    pub id: ResourceId,
    /// The template, module or plan the resource is in.
    pub unit: UnitId,
    pub address: String,
    pub header: Span,
    pub dialect: Dialect,
    /// The resource may not exist (unknown `count`/`Condition`): findings are undetermined.
    pub conditional: bool,
}

impl Origin {
    /// The origin of a graph resource.
    pub fn of(graph: &Graph, id: ResourceId) -> Origin {
        let r = graph.resource(id);
        Origin {
            id,
            unit: r.unit,
            address: r.address.clone(),
            header: r.span,
            dialect: r.dialect,
            conditional: r.conditional,
        }
    }

    /// `key = value` in Terraform, `Key: value` in CloudFormation: for help texts.
    pub fn assign(&self, key: &str, value: &str) -> String {
        match self.dialect {
            Dialect::Terraform => format!("{key} = {value}"),
            Dialect::CloudFormation => format!("{key}: {value}"),
        }
    }
}

/// Everything the controls read, adapted from one graph.
#[derive(Debug, Default)]
pub struct Model {
    pub trails: Vec<cloudtrail::Trail>,
    pub kms_keys: Vec<kms::KmsKey>,
    pub ingress_rules: Vec<security_group::IngressRule>,
    pub iam: iam::Iam,
    pub account: account::Account,
    pub instances: Vec<ec2::Instance>,
    pub network: vpc::Network,
    pub s3: s3::S3,
    pub metric_filters: Vec<cloudwatch::MetricFilter>,
    pub alarms: Vec<cloudwatch::Alarm>,
    pub topics: Vec<sns::Topic>,
    pub subscriptions: Vec<sns::Subscription>,
    /// The 3.x chains, analysed once from the entities above.
    pub monitoring: monitoring::Monitoring,
    pub recorders: Vec<config_recorder::Recorder>,
    pub recorder_statuses: Vec<config_recorder::RecorderStatus>,
    pub delivery_channels: Vec<config_recorder::DeliveryChannel>,
    pub buckets: Vec<s3_logging::Bucket>,
    pub bucket_loggings: Vec<s3_logging::BucketLogging>,
}

/// Choices that change what the model concludes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// `strict-patterns`: a metric filter counts for a 3.x control only when its pattern
    /// matches the same events as the benchmark's.
    pub strict_patterns: bool,
}

impl Model {
    /// Adapts every resource of the graph that a control reads; `sources` locate policies
    /// and user data written as strings.
    pub fn build(graph: &Graph, sources: &SourceMap) -> Model {
        Model::build_with(graph, sources, Options::default())
    }

    /// [`Model::build`] with `options`.
    pub fn build_with(graph: &Graph, sources: &SourceMap, options: Options) -> Model {
        let mut m = Model::default();
        // Two halves of the adapters, each over every resource, on both cores: each half
        // fills its own fields, in resource order.
        let Model {
            trails,
            kms_keys,
            ingress_rules,
            iam,
            account,
            instances,
            network,
            s3,
            metric_filters,
            alarms,
            topics,
            subscriptions,
            recorders,
            recorder_statuses,
            delivery_channels,
            buckets,
            bucket_loggings,
            monitoring: _,
        } = &mut m;
        rayon::join(
            || {
                let resolver = Resolver::new(graph, sources);
                each_resource(graph, |id| {
                    iam::adapt(&resolver, id, iam);
                    account::adapt(graph, sources, id, account);
                    ec2::adapt(graph, sources, id, instances);
                    s3::adapt(&resolver, id, s3);
                })
            },
            || {
                each_resource(graph, |id| {
                    cloudtrail::adapt(graph, id, trails);
                    kms::adapt(graph, id, kms_keys);
                    security_group::adapt(graph, id, ingress_rules);
                    vpc::adapt(graph, id, network);
                    cloudwatch::adapt_filter(graph, id, metric_filters);
                    cloudwatch::adapt_alarm(graph, id, alarms);
                    sns::adapt(graph, id, topics, subscriptions);
                    config_recorder::adapt(
                        graph,
                        id,
                        recorders,
                        recorder_statuses,
                        delivery_channels,
                    );
                    s3_logging::adapt(graph, id, buckets, bucket_loggings);
                })
            },
        );
        m.monitoring = monitoring::analyze(graph, &m, options.strict_patterns);
        m
    }
}

/// Calls `adapt` with every managed resource (not data sources), in graph order.
fn each_resource(graph: &Graph, mut adapt: impl FnMut(ResourceId)) {
    for (i, r) in graph.resources.iter().enumerate() {
        if !r.is_data {
            adapt(ResourceId(i));
        }
    }
}
