//! The 52-control scorecard: every control of CIS v1.1.0 gets one status per run.

use std::collections::HashMap;

use crate::catalog::{self, DecidedBy, Entry};
use crate::checks::ALL;
use crate::engine::Outcome;
use crate::graph::{Graph, InputKind};
use crate::scope::Scope;

/// The verdict on one control.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Pass,
    Fail,
    /// Nothing in the inputs decides it in this scope.
    NotFound,
    /// Values known only at apply time decide it.
    Undetermined,
    /// Neither code nor the credential report can decide it: check by hand.
    Manual,
    /// The inputs' languages cannot express it (e.g. a password policy in CloudFormation).
    NotApplicable,
}

impl Status {
    /// The kebab-case name used in every format.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::NotFound => "not-found",
            Status::Undetermined => "undetermined",
            Status::Manual => "manual",
            Status::NotApplicable => "not-applicable",
        }
    }

    /// The name shown to people in `lang` (machine formats use [`Status::as_str`]).
    pub fn label(self, lang: crate::catalog::Lang) -> &'static str {
        match lang {
            crate::catalog::Lang::En => self.as_str(),
            crate::catalog::Lang::Ja => match self {
                Status::Pass => "合格",
                Status::Fail => "不合格",
                Status::NotFound => "対象なし",
                Status::Undetermined => "未確定",
                Status::Manual => "手動確認",
                Status::NotApplicable => "適用外",
            },
        }
    }

    /// All statuses in display order.
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Fail,
        Status::Undetermined,
        Status::NotFound,
        Status::Manual,
        Status::NotApplicable,
    ];
}

/// One row of the scorecard.
#[derive(Clone, Debug)]
pub struct Row {
    pub entry: &'static Entry,
    pub status: Status,
    pub findings: usize,
    pub undetermined: usize,
}

/// What the scorecard needs to know about the run besides the findings.
pub struct Inputs<'a> {
    pub outcome: &'a Outcome,
    pub graph: &'a Graph,
    pub scope: Scope,
    pub has_credential_report: bool,
    /// Whether a control was selected to run (`--select`/`--ignore`).
    pub selected: &'a dyn Fn(&str) -> bool,
}

/// Computes the status of every selected control of the catalog, in CIS order.
pub fn compute(inputs: &Inputs<'_>) -> Vec<Row> {
    let mut findings: HashMap<&str, usize> = HashMap::new();
    let mut undetermined: HashMap<&str, usize> = HashMap::new();
    // Findings in files read only as context of a named file count as well, and so do
    // suppressed ones: accepting a violation does not make the control pass.
    let context = inputs.outcome.context.iter();
    let suppressed = inputs.outcome.suppressed.iter().map(|s| &s.finding);
    for f in inputs
        .outcome
        .findings
        .iter()
        .chain(context.clone())
        .chain(suppressed)
    {
        if !f.undetermined {
            *findings.entry(f.rule()).or_default() += 1;
        }
    }
    for f in inputs.outcome.undetermined.iter().chain(context) {
        if f.undetermined {
            *undetermined.entry(f.rule()).or_default() += 1;
        }
    }
    // What each control judged: resources that certainly exist, and those that may not.
    let mut evaluated: HashMap<&str, (usize, usize)> = HashMap::new();
    for e in &inputs.outcome.evaluated {
        let (certain, maybe) = evaluated.entry(e.rule).or_default();
        *if e.conditional { maybe } else { certain } += 1;
    }
    let has_tf = inputs
        .graph
        .units
        .iter()
        .any(|u| u.kind != InputKind::CloudFormation);
    let has_cfn = inputs
        .graph
        .units
        .iter()
        .any(|u| u.kind == InputKind::CloudFormation);
    catalog::all()
        .iter()
        .filter(|e| (inputs.selected)(&e.id))
        .map(|e| {
            let id = e.id.as_str();
            let n = findings.get(id).copied().unwrap_or(0);
            let u = undetermined.get(id).copied().unwrap_or(0);
            let (looked, maybe_looked) = evaluated.get(id).copied().unwrap_or((0, 0));
            let implemented = ALL.iter().any(|c| c.id == id);
            let status = if n > 0 {
                Status::Fail
            } else if u > 0 {
                Status::Undetermined
            } else if !implemented {
                Status::Manual
            } else if looked > 0 {
                Status::Pass
            } else if maybe_looked > 0 {
                // Only resources that may not be created meet it.
                Status::Undetermined
            } else if e.decided_by == [DecidedBy::CredentialReport] {
                Status::NotFound
            } else if (has_tf || has_cfn)
                && (!has_tf || e.terraform.is_empty())
                && (!has_cfn || e.cloudformation.is_empty())
                && !(inputs.has_credential_report
                    && e.decided_by.contains(&DecidedBy::CredentialReport))
            {
                Status::NotApplicable
            } else {
                Status::NotFound
            };
            Row {
                entry: e,
                status,
                findings: n,
                undetermined: u,
            }
        })
        .collect()
}

/// Number of controls per status.
pub fn counts(rows: &[Row]) -> Vec<(Status, usize)> {
    Status::ALL
        .iter()
        .map(|s| (*s, rows.iter().filter(|r| r.status == *s).count()))
        .collect()
}

/// The section title of a CIS section number.
pub fn section_title(section: u32, lang: crate::catalog::Lang) -> &'static str {
    use crate::catalog::Lang::*;
    match (section, lang) {
        (1, En) => "Identity and Access Management",
        (2, En) => "Logging",
        (3, En) => "Monitoring",
        (4, En) => "Networking",
        (1, Ja) => "IDおよびアクセス管理",
        (2, Ja) => "ロギング",
        (3, Ja) => "モニタリング",
        (4, Ja) => "ネットワーク",
        _ => "",
    }
}
