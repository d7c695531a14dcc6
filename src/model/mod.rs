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

impl Model {
    /// Adapts every resource of the graph that a control reads; `sources` locate policies
    /// and user data written as strings.
    pub fn build(graph: &Graph, sources: &SourceMap) -> Model {
        let mut m = Model::default();
        let resolver = Resolver::new(graph, sources);
        for (i, r) in graph.resources.iter().enumerate() {
            if r.is_data {
                continue;
            }
            let id = ResourceId(i);
            cloudtrail::adapt(graph, id, &mut m.trails);
            kms::adapt(graph, id, &mut m.kms_keys);
            security_group::adapt(graph, id, &mut m.ingress_rules);
            iam::adapt(&resolver, id, &mut m.iam);
            account::adapt(graph, sources, id, &mut m.account);
            ec2::adapt(graph, sources, id, &mut m.instances);
            vpc::adapt(graph, id, &mut m.network);
            s3::adapt(&resolver, id, &mut m.s3);
            cloudwatch::adapt_filter(graph, id, &mut m.metric_filters);
            cloudwatch::adapt_alarm(graph, id, &mut m.alarms);
            sns::adapt(graph, id, &mut m.topics, &mut m.subscriptions);
            config_recorder::adapt(
                graph,
                id,
                &mut m.recorders,
                &mut m.recorder_statuses,
                &mut m.delivery_channels,
            );
            s3_logging::adapt(graph, id, &mut m.buckets, &mut m.bucket_loggings);
        }
        m.monitoring = monitoring::analyze(graph, &m);
        m
    }
}
