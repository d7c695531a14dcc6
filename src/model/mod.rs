//! Dialect-neutral AWS nouns (a trail, a key, an ingress rule) built from the graph by small
//! adapters, so that each control is written once for Terraform, plans and CloudFormation.

pub mod cloudtrail;
pub mod kms;
pub mod security_group;
pub mod setting;

use crate::graph::{Dialect, Graph, ResourceId};
use crate::source::Span;

pub use setting::{Field, Setting};

/// What every model entity knows about the resource it came from.
#[derive(Clone, Debug)]
pub struct Origin {
    pub id: ResourceId,
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
}

impl Model {
    /// Adapts every resource of the graph that a control reads.
    pub fn build(graph: &Graph) -> Model {
        let mut m = Model::default();
        for (i, r) in graph.resources.iter().enumerate() {
            if r.is_data {
                continue;
            }
            let id = ResourceId(i);
            cloudtrail::adapt(graph, id, &mut m.trails);
            kms::adapt(graph, id, &mut m.kms_keys);
            security_group::adapt(graph, id, &mut m.ingress_rules);
        }
        m
    }
}
