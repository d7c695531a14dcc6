//! Findings: what a control reports, before rendering in one language or another.

use std::sync::Arc;

use crate::catalog::{self, Entry, Lang, Severity};
use crate::graph::ResourceId;
use crate::model::Origin;
use crate::source::Span;

/// A secondary location with its explanation (a catalog message key).
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub key: &'static str,
}

/// The rule a finding belongs to: a control of the CIS catalog, or a team's own rule.
#[derive(Clone, Debug)]
pub enum RuleSource {
    /// A built-in control; its id, CIS number, severity and messages come from the catalog.
    Catalog(&'static Entry),
    /// A rule from outside the catalog (a Guard rule): it carries its own id and severity,
    /// and each finding its own message (the `message` argument) and fix (`help`).
    Custom(Arc<CustomRule>),
}

/// A rule that is not a CIS control: no CIS number, text in one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomRule {
    /// The rule id as users select and suppress it (`guard:s3_tagged`).
    pub id: String,
    pub severity: Severity,
    /// One line saying where the rule comes from (`Guard rule `s3_tagged` (rules/s3.guard:3)`).
    pub title: String,
}

/// One violation (or, when `undetermined`, a possible one that unknown values decide).
#[derive(Clone, Debug)]
pub struct Finding {
    pub source: RuleSource,
    /// Key of the message in the catalog entry (`message` for a custom rule).
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub span: Span,
    /// Terraform address or CloudFormation logical id.
    pub resource: String,
    pub labels: Vec<Label>,
    pub undetermined: bool,
    /// About something missing from an account baseline (`--scope account`): no span of
    /// its own, so reporters show the catalog's snippets that add it.
    pub absence: bool,
    /// The graph resource reported on, for suppressions and fingerprints.
    pub resource_id: Option<ResourceId>,
    /// Where the finding sits in its resource (`ingress[0].cidr_blocks[1]`; empty at the
    /// header): set by the engine from the span, so it survives line moves and reformatting.
    pub path: String,
    /// The unit (template file or module directory) the resource belongs to; set by the engine.
    pub unit: String,
    /// Where the offending value was written when that is elsewhere (a variable default, a
    /// tfvars entry); filled in by the engine from the graph.
    pub origin: Option<Span>,
    /// Module call sites from the root down, for a resource inside a module.
    pub call_sites: Vec<Span>,
}

impl Finding {
    /// The rule id.
    pub fn rule(&self) -> &str {
        match &self.source {
            RuleSource::Catalog(e) => &e.id,
            RuleSource::Custom(c) => &c.id,
        }
    }

    /// The CIS number; empty for a rule outside the catalog.
    pub fn cis(&self) -> &str {
        match &self.source {
            RuleSource::Catalog(e) => &e.cis,
            RuleSource::Custom(_) => "",
        }
    }

    /// The catalog entry, for a built-in control.
    pub fn entry(&self) -> Option<&'static Entry> {
        match &self.source {
            RuleSource::Catalog(e) => Some(e),
            RuleSource::Custom(_) => None,
        }
    }

    /// The severity: from the catalog, or the custom rule's own.
    pub fn severity(&self) -> Severity {
        match &self.source {
            RuleSource::Catalog(e) => e.severity,
            RuleSource::Custom(c) => c.severity,
        }
    }

    /// The title of the rule in `lang` (a custom rule has one language).
    pub fn title(&self, lang: Lang) -> &str {
        match &self.source {
            RuleSource::Catalog(e) => e.title.get(lang),
            RuleSource::Custom(c) => &c.title,
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match &self.source {
            RuleSource::Catalog(e) => e.message(self.key, &self.args, lang),
            RuleSource::Custom(_) => self.custom_arg("message").unwrap_or_default(),
        }
    }

    /// The one-line fix, in `lang`.
    pub fn help(&self, lang: Lang) -> Option<String> {
        match &self.source {
            RuleSource::Catalog(e) => e.help(self.key, &self.args, lang),
            RuleSource::Custom(_) => self.custom_arg("help"),
        }
    }

    /// A label's text in `lang`.
    pub fn label_text(&self, label: &Label, lang: Lang) -> String {
        match &self.source {
            RuleSource::Catalog(e) => e.message(label.key, &self.args, lang),
            RuleSource::Custom(_) => self.custom_arg(label.key).unwrap_or_default(),
        }
    }

    /// A custom rule's texts are arguments of the finding (they differ from finding to finding).
    fn custom_arg(&self, name: &str) -> Option<String> {
        self.args
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    }

    /// Adds a message argument.
    pub fn arg(&mut self, name: &'static str, value: impl Into<String>) -> &mut Finding {
        self.args.push((name, value.into()));
        self
    }

    /// Adds a secondary location.
    pub fn label(&mut self, span: Span, key: &'static str) -> &mut Finding {
        self.labels.push(Label { span, key });
        self
    }

    /// Marks the finding as decided by unknown values.
    pub fn undetermined(&mut self) -> &mut Finding {
        self.undetermined = true;
        self
    }
}

/// A resource a control looked at, whatever the outcome (for JUnit and the scorecard).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Evaluated {
    pub rule: &'static str,
    pub resource: String,
    pub span: Span,
    /// The graph resource, to tell apart equal addresses in different units.
    pub resource_id: Option<ResourceId>,
    /// The resource may not be created (unknown `count`, `Condition`): what it shows is not
    /// certain, so it cannot make a control pass.
    pub conditional: bool,
}

/// Where controls put what they find.
#[derive(Debug, Default)]
pub struct Findings {
    pub findings: Vec<Finding>,
    pub evaluated: Vec<Evaluated>,
    /// Remarks that are not findings (never counted, never failing): each a notice code and
    /// a finding that carries the remark's place and message, shown as a note.
    pub notes: Vec<(&'static str, Finding)>,
}

impl Findings {
    /// Reports a finding of a custom rule at `span` on `resource` (the graph resource `id`,
    /// when it is one, for suppressions and fingerprints), with its message.
    pub fn report_custom(
        &mut self,
        rule: &Arc<CustomRule>,
        resource: &str,
        id: Option<ResourceId>,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.findings.push(Finding {
            source: RuleSource::Custom(rule.clone()),
            key: "message",
            args: vec![
                ("resource", resource.to_string()),
                ("message", message.into()),
            ],
            span,
            resource: resource.to_string(),
            labels: Vec::new(),
            undetermined: false,
            absence: false,
            resource_id: id,
            path: String::new(),
            unit: String::new(),
            origin: None,
            call_sites: Vec::new(),
        });
        self.findings.last_mut().expect("just pushed")
    }

    /// Reports a finding of control `rule` on `origin` at `span`, with message `key`.
    /// A finding on a resource that may not exist is undetermined.
    pub fn report(
        &mut self,
        rule: &'static str,
        origin: &Origin,
        span: Span,
        key: &'static str,
    ) -> &mut Finding {
        let entry = catalog::find(rule).unwrap_or_else(|| panic!("no catalog entry for {rule}"));
        self.findings.push(Finding {
            source: RuleSource::Catalog(entry),
            key,
            args: vec![("resource", origin.address.clone())],
            span,
            resource: origin.address.clone(),
            labels: Vec::new(),
            undetermined: origin.conditional,
            absence: false,
            resource_id: Some(origin.id),
            path: String::new(),
            unit: String::new(),
            origin: None,
            call_sites: Vec::new(),
        });
        self.findings.last_mut().expect("just pushed")
    }

    /// Adds a note with notice `code` from control `rule` on `origin` at `span`, with message
    /// `key` (see [`Findings::notes`]).
    pub fn note(
        &mut self,
        code: &'static str,
        rule: &'static str,
        origin: &Origin,
        span: Span,
        key: &'static str,
    ) -> &mut Finding {
        self.report(rule, origin, span, key);
        let f = self.findings.pop().expect("just reported");
        self.notes.push((code, f));
        &mut self.notes.last_mut().expect("just pushed").1
    }

    /// Reports a finding that is not about a graph resource (a credential-report row, an
    /// absent resource): `resource` names what it is about.
    pub fn report_at(
        &mut self,
        rule: &'static str,
        resource: &str,
        span: Span,
        key: &'static str,
    ) -> &mut Finding {
        let entry = catalog::find(rule).unwrap_or_else(|| panic!("no catalog entry for {rule}"));
        self.findings.push(Finding {
            source: RuleSource::Catalog(entry),
            key,
            args: vec![("resource", resource.to_string())],
            span,
            resource: resource.to_string(),
            labels: Vec::new(),
            undetermined: false,
            absence: false,
            resource_id: None,
            path: String::new(),
            unit: String::new(),
            origin: None,
            call_sites: Vec::new(),
        });
        self.findings.last_mut().expect("just pushed")
    }

    /// Records that `rule` looked at something that is not a graph resource.
    pub fn evaluated_at(&mut self, rule: &'static str, resource: &str, span: Span) {
        self.evaluated.push(Evaluated {
            rule,
            resource: resource.to_string(),
            span,
            resource_id: None,
            conditional: false,
        });
    }

    /// Records that `rule` looked at `origin`, which is relevant to it only maybe (the
    /// bucket of a trail that may not be created): it cannot make the control pass.
    pub fn evaluated_maybe(&mut self, rule: &'static str, origin: &Origin) {
        self.evaluated(rule, origin);
        if let Some(e) = self.evaluated.last_mut() {
            e.conditional = true;
        }
    }

    /// Records that `rule` looked at `origin`.
    pub fn evaluated(&mut self, rule: &'static str, origin: &Origin) {
        self.evaluated.push(Evaluated {
            rule,
            resource: origin.address.clone(),
            span: origin.header,
            resource_id: Some(origin.id),
            conditional: origin.conditional,
        });
    }
}
