//! The SAM transform (`Transform: AWS::Serverless-2016-10-31`), as far as the controls see
//! it: the resources SAM creates that the template does not declare, added to the graph as
//! the ordinary CloudFormation resources the transform makes, with the spans of the SAM
//! properties they come from. The SAM resources themselves stay in the graph as written.
//!
//! Modelled:
//! - the execution role `<Id>Role` of an `AWS::Serverless::Function` without `Role`
//!   (`AWSLambdaBasicExecutionRole` and its `Policies`) and of an
//!   `AWS::Serverless::StateMachine` without `Role` (its `Policies`), with the resource's
//!   `Condition`, and `PermissionsBoundary` (also from `Globals.Function`): CIS 1.18, 1.22
//!   and 1.24 read roles and their policies;
//! - the `AWS::SNS::Subscription` `<Id><Event>` of a function's `SNS` event: it subscribes
//!   to a topic that alarms may notify (CIS 3.15).
//!
//! Not modelled, because no control judges what they create: the Lambda function, version,
//! alias and permissions; the managed policies the transform adds for `VpcConfig`,
//! `Tracing` and event sources (SQS, Kinesis, DynamoDB, MSK, MQ: service-role policies, none
//! of them `AWSSupportAccess`) and the statements for `DeadLetterQueue` and
//! `EventInvokeConfig` destinations (single actions on one target); the roles of
//! `DeploymentPreference` (CodeDeploy), of state machine events and of `GraphQLApi`, and
//! the policies of `Connectors` (fixed permission sets, never `*`); the APIs of `Api`,
//! `HttpApi` and `Api` events; `SimpleTable` (a DynamoDB table), `LayerVersion`, the
//! `CloudWatchLogs` event's subscription filter (not a metric filter), the SQS queue of an
//! `SNS` event, the topics `EventInvokeConfig` may create, and `Application` (a nested stack
//! whose template is elsewhere).

mod policies;
mod templates;

use std::collections::{HashMap, HashSet};

use super::cloudformation::{Context, is_no_value, may_be_no_value};
use crate::graph::{Dialect, Graph, InputError, Resource, UnitId};
use crate::value::{Key, Map, Node, Value};

/// The transform's name in `Transform`.
pub(super) const TRANSFORM: &str = "AWS::Serverless-2016-10-31";

const FUNCTION: &str = "AWS::Serverless::Function";
const STATE_MACHINE: &str = "AWS::Serverless::StateMachine";

/// The policy every function's execution role gets.
const BASIC_EXECUTION_ROLE: &str =
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/// A SAM template: what the transform reads besides each resource.
pub(super) struct Sam<'a> {
    /// `Globals.Function`.
    function_globals: Option<&'a Map>,
    /// The logical ids the template declares.
    declared: HashMap<&'a str, &'a Key>,
    /// The logical ids the transform may create that the template does not declare.
    implicit: HashSet<String>,
}

/// A resource as the template writes it, with what `load` decided about it.
pub(super) struct Written<'a> {
    pub(super) key: &'a Key,
    pub(super) body: &'a Node,
    pub(super) rtype: &'a str,
    /// Whether it exists depends on an unknown condition.
    pub(super) conditional: bool,
    pub(super) unit: UnitId,
}

/// Whether the template declares the SAM transform (`Transform` as a string or a list).
pub(super) fn is_sam(root: &Node) -> bool {
    root.get("Transform")
        .is_some_and(|t| t.items().iter().any(|t| t.as_str() == Some(TRANSFORM)))
}

impl<'a> Sam<'a> {
    /// The SAM side of a template, `None` when it does not declare the transform. What the
    /// transform rejects and cislint would otherwise have to guess at goes to `errors`.
    pub(super) fn read(
        root: &'a Node,
        resources: &'a Map,
        errors: &mut Vec<InputError>,
    ) -> Option<Sam<'a>> {
        if !is_sam(root) {
            return None;
        }
        let function_globals = root
            .get("Globals")
            .and_then(|g| g.get("Function"))
            .and_then(Node::as_map);
        for (key, _) in function_globals.iter().flat_map(|g| g.iter()) {
            if matches!(key.name.as_str(), "Role" | "Policies") {
                errors.push(InputError {
                    span: key.span,
                    message: format!(
                        "`{}` is not allowed in `Globals.Function` (the SAM transform rejects the template); set it on each function",
                        key.name
                    ),
                });
            }
        }
        // Sets: a template may declare many thousands of functions.
        let declared: HashMap<&str, &Key> = resources
            .iter()
            .map(|(k, _)| (k.name.as_str(), k))
            .collect();
        let mut implicit = HashSet::new();
        for (key, body) in resources.iter() {
            let rtype = body.get("Type").and_then(Node::as_str);
            if matches!(rtype, Some(FUNCTION | STATE_MACHINE)) {
                implicit.insert(role_id(&key.name));
            }
            if rtype == Some(FUNCTION) {
                implicit.extend(sns_events(body).map(|(event, _)| event_id(&key.name, event)));
            }
        }
        implicit.retain(|id| !declared.contains_key(id.as_str()));
        Some(Sam {
            function_globals,
            declared,
            implicit,
        })
    }

    /// The logical ids the transform may create (references to them are edges).
    pub(super) fn implicit_ids(&self) -> impl Iterator<Item = &str> {
        self.implicit.iter().map(String::as_str)
    }

    /// Adds what the transform creates for the resource `w` (nothing unless it is a SAM
    /// function or state machine).
    pub(super) fn expand(
        &self,
        ctx: &Context<'_>,
        w: &Written<'_>,
        graph: &mut Graph,
        errors: &mut Vec<InputError>,
    ) {
        if !matches!(w.rtype, FUNCTION | STATE_MACHINE) {
            return;
        }
        let props = w.body.get("Properties").and_then(Node::as_map);
        let prop = |name: &str| props.and_then(|p| p.entry(name));
        if let Some(role) = self.execution_role(ctx, w, props, errors) {
            graph.add_resource(role);
        }
        if w.rtype == FUNCTION
            && let Some((_, events)) = prop("Events")
        {
            for (event, topic) in sns_events_of(events) {
                let id = event_id(&w.key.name, &event.name);
                if self.collides(w, &id, errors) {
                    continue;
                }
                let mut attrs = Map::default();
                attrs.insert(
                    Key {
                        name: "TopicArn".into(),
                        span: event.span,
                    },
                    ctx.resolve(topic, 0),
                );
                graph.add_resource(implicit(w, id, "AWS::SNS::Subscription", event, attrs));
            }
        }
    }

    /// The execution role SAM creates when the resource gives no `Role`.
    fn execution_role(
        &self,
        ctx: &Context<'_>,
        w: &Written<'_>,
        props: Option<&Map>,
        errors: &mut Vec<InputError>,
    ) -> Option<Resource> {
        let prop = |name: &str| props.and_then(|p| p.entry(name));
        let id = role_id(&w.key.name);
        let policies = prop("Policies");
        // A `Role` that `Fn::If` may remove gives a role under the opposite condition.
        let mut conditional = w.conditional;
        if let Some((_, role)) = prop("Role") {
            let role = ctx.resolve(role, 0);
            if may_be_no_value(&role) {
                conditional = true;
            } else if !is_no_value(&role) {
                if let (STATE_MACHINE, Some((key, _))) = (w.rtype, policies) {
                    errors.push(InputError {
                        span: key.span,
                        message: "a SAM state machine takes `Role` or `Policies`, not both (the transform rejects the template)".into(),
                    });
                }
                return None;
            }
        }
        if self.collides(w, &id, errors) {
            return None;
        }
        let mut attrs = Map::default();
        // The role's lists sit where `Policies` is written (suppression comments on it
        // cover them), or at the resource's header.
        let (at, list_at) = policies.map_or((w.key.span, w.key.span), |(k, v)| (k.span, v.span));
        let key = |name: &str| Key {
            name: name.into(),
            span: at,
        };
        let read = policies.map(|(_, p)| policies::read(ctx, &id, p));
        let (inline, mut managed) = read.map(|r| (r.inline, r.managed)).unwrap_or_default();
        if !inline.is_empty() {
            attrs.insert(key("Policies"), Node::new(Value::list(inline), list_at));
        }
        if w.rtype == FUNCTION {
            managed.insert(
                0,
                Node::new(Value::String(BASIC_EXECUTION_ROLE.into()), w.key.span),
            );
        }
        if !managed.is_empty() {
            attrs.insert(
                key("ManagedPolicyArns"),
                Node::new(Value::list(managed), list_at),
            );
        }
        let boundary = prop("PermissionsBoundary").or_else(|| {
            (w.rtype == FUNCTION)
                .then(|| self.function_globals?.entry("PermissionsBoundary"))
                .flatten()
        });
        if let Some((k, v)) = boundary {
            let v = ctx.resolve(v, 0);
            if !is_no_value(&v) {
                attrs.insert(k.clone(), v);
            }
        }
        let mut role = implicit(w, id, "AWS::IAM::Role", w.key, attrs);
        role.conditional = conditional;
        Some(role)
    }

    /// Whether the template declares `id`, which the transform would create for `w`: it
    /// refuses to, and so does cislint, with an error.
    fn collides(&self, w: &Written<'_>, id: &str, errors: &mut Vec<InputError>) -> bool {
        let Some(declared) = self.declared.get(id) else {
            return false;
        };
        errors.push(InputError {
            span: declared.span,
            message: format!(
                "the SAM transform creates a resource `{id}` for `{}`, and the template declares one (the transform rejects the template)",
                w.key.name
            ),
        });
        true
    }
}

/// A resource the transform creates for `w`, its header at `header`.
fn implicit(w: &Written<'_>, address: String, rtype: &str, header: &Key, attrs: Map) -> Resource {
    Resource {
        unit: w.unit,
        address,
        rtype: rtype.into(),
        dialect: Dialect::CloudFormation,
        is_data: false,
        span: header.span,
        attrs,
        call_sites: Vec::new(),
        metadata: None,
        conditional: w.conditional,
        generated_from: Some(w.key.name.clone()),
    }
}

/// `<Id>Role`: the transform's name for an execution role.
fn role_id(resource: &str) -> String {
    format!("{resource}Role")
}

/// `<Id><Event>`: the transform's name for what an event creates.
fn event_id(resource: &str, event: &str) -> String {
    format!("{resource}{event}")
}

/// The `SNS` events of a function body: event name and topic.
fn sns_events(body: &Node) -> impl Iterator<Item = (&str, &Node)> {
    body.get("Properties")
        .and_then(|p| p.get("Events"))
        .into_iter()
        .flat_map(sns_events_of)
        .map(|(k, topic)| (k.name.as_str(), topic))
}

fn sns_events_of(events: &Node) -> impl Iterator<Item = (&Key, &Node)> {
    events
        .as_map()
        .into_iter()
        .flat_map(|m| m.iter())
        .filter(|(_, e)| e.get("Type").and_then(Node::as_str) == Some("SNS"))
        .filter_map(|(k, e)| Some((k, e.get("Properties")?.get("Topic")?)))
}

#[cfg(test)]
mod tests {
    use crate::graph::{Graph, Resource, UnitId};
    use crate::policy::tests::Scanned;

    fn load(text: &str) -> Graph {
        Scanned::cfn(text).graph
    }

    fn get<'g>(g: &'g Graph, address: &str) -> Option<&'g Resource> {
        g.by_address(UnitId(0), address).map(|id| g.resource(id))
    }

    fn strings(r: &Resource, key: &str) -> Vec<String> {
        let list = r
            .attrs
            .get(key)
            .map(|n| n.items().to_vec())
            .unwrap_or_default();
        list.iter()
            .map(|n| n.as_str().unwrap_or("?").to_string())
            .collect()
    }

    const TEMPLATE: &str = r#"Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    PermissionsBoundary: arn:aws:iam::123456789012:policy/boundary
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - AdministratorAccess
        - S3ReadPolicy: {BucketName: b}
        - Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]
        - !Sub arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess
      Events:
        Alarm:
          Type: SNS
          Properties: {Topic: !Ref Topic}
        Tick:
          Type: Schedule
          Properties: {Schedule: rate(1 hour)}
  Topic:
    Type: AWS::SNS::Topic
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref FnRole]
      PolicyDocument: {Statement: []}
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      PermissionsBoundary: arn:aws:iam::123456789012:policy/machine
      Policies: [LambdaInvokePolicy: {FunctionName: f}]
  Given:
    Type: AWS::Serverless::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/given
"#;

    #[test]
    fn the_transform_adds_execution_roles_and_sns_subscriptions() {
        let g = load(TEMPLATE);
        let role = get(&g, "FnRole").unwrap();
        assert_eq!(role.rtype, "AWS::IAM::Role");
        assert_eq!(role.generated_from.as_deref(), Some("Fn"));
        assert_eq!(role.span, get(&g, "Fn").unwrap().span);
        assert_eq!(
            strings(role, "ManagedPolicyArns"),
            [
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                "arn:aws:iam::aws:policy/AdministratorAccess",
                "?", // `!Sub` with the partition: read from the source text by the adapters
            ]
        );
        let inline = role.attrs.get("Policies").unwrap().items();
        assert_eq!(inline.len(), 1);
        assert_eq!(
            inline[0].get("PolicyName").unwrap().as_str(),
            Some("FnRolePolicy2")
        );
        assert!(
            inline[0]
                .get("PolicyDocument")
                .unwrap()
                .get("Statement")
                .is_some()
        );
        assert_eq!(
            role.attrs.get("PermissionsBoundary").unwrap().as_str(),
            Some("arn:aws:iam::123456789012:policy/boundary")
        );
        // `!Ref FnRole` is an edge to the role.
        let extra = get(&g, "Extra").unwrap();
        let roles = g.targets(UnitId(0), extra.attrs.get("Roles").unwrap());
        assert_eq!(roles.len(), 1);
        assert_eq!(g.resource(roles[0].0).address, "FnRole");

        let sub = get(&g, "FnAlarm").unwrap();
        assert_eq!(sub.rtype, "AWS::SNS::Subscription");
        let topic = g.targets(UnitId(0), sub.attrs.get("TopicArn").unwrap());
        assert_eq!(g.resource(topic[0].0).address, "Topic");
        assert!(get(&g, "FnTick").is_none());

        // A state machine's role has no basic execution policy; globals are the function's.
        let machine = get(&g, "MachineRole").unwrap();
        assert!(machine.attrs.get("ManagedPolicyArns").is_none());
        assert!(machine.attrs.get("Policies").is_none());
        assert_eq!(
            machine.attrs.get("PermissionsBoundary").unwrap().as_str(),
            Some("arn:aws:iam::123456789012:policy/machine")
        );
        assert!(get(&g, "GivenRole").is_none());
    }

    #[test]
    fn without_the_transform_nothing_is_added() {
        let g = load(&TEMPLATE.replacen("Transform: AWS::Serverless-2016-10-31\n", "", 1));
        assert!(get(&g, "FnRole").is_none());
        assert!(get(&g, "FnAlarm").is_none());
        assert!(get(&g, "MachineRole").is_none());
    }
}
