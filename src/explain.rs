//! `cislint rules` and `cislint explain`.

use std::fmt::Write as _;

use serde_json::json;

use crate::catalog::{self, DecidedBy, Entry, Lang};

fn decided(e: &Entry) -> Vec<&'static str> {
    e.decided_by
        .iter()
        .map(|d| match d {
            DecidedBy::Static => "static",
            DecidedBy::Account => "account",
            DecidedBy::CredentialReport => "credential-report",
            DecidedBy::Manual => "manual",
        })
        .collect()
}

fn implemented(e: &Entry) -> bool {
    crate::checks::ALL.iter().any(|c| c.id == e.id)
}

/// The catalog as a table or as JSON.
pub fn rules(as_json: bool, lang: Lang) -> String {
    let all = catalog::all();
    if as_json {
        let items: Vec<_> = all
            .iter()
            .map(|e| {
                json!({
                    "cis": e.cis, "rule": e.id, "title": e.title.get(lang), "level": e.level,
                    "scored": e.scored, "severity": e.severity.as_str(), "decided_by": decided(e),
                    "implemented": implemented(e),
                    "terraform": e.terraform, "cloudformation": e.cloudformation,
                    "later": {"1.2.0": e.later.v1_2_0, "1.4.0": e.later.v1_4_0, "3.0.0": e.later.v3_0_0},
                })
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&items).unwrap_or_default();
        s.push('\n');
        return s;
    }
    let mut out = String::new();
    for e in all {
        let _ = writeln!(
            out,
            "{:<5} {:<38} L{} {:<6} {:<24} {}",
            e.cis,
            e.id,
            e.level,
            e.severity.as_str(),
            decided(e).join(","),
            e.title.get(lang)
        );
    }
    out
}

/// One entry in full.
pub fn explain(e: &Entry, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "CIS {} — {} ({})", e.cis, e.title.get(lang), e.id);
    let _ = writeln!(
        out,
        "Level {} · {} · severity {} · decided by {}",
        e.level,
        if e.scored { "Scored" } else { "Not Scored" },
        e.severity.as_str(),
        decided(e).join(", ")
    );
    let _ = writeln!(
        out,
        "Later versions: v1.2.0 {} · v1.4.0 {} · v3.0.0 {}",
        e.later.v1_2_0, e.later.v1_4_0, e.later.v3_0_0
    );
    if !e.terraform.is_empty() || !e.cloudformation.is_empty() {
        let _ = writeln!(
            out,
            "Resources: {}",
            e.terraform
                .iter()
                .chain(&e.cloudformation)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let (why, fix) = match lang {
        Lang::En => ("Why it matters", "Remediation"),
        Lang::Ja => ("理由", "対処"),
    };
    let _ = writeln!(out, "\n{why}:\n{}", e.rationale.get(lang).trim());
    let _ = writeln!(
        out,
        "\n{fix}:\n{}",
        (match lang {
            Lang::En => &e.remediation.en,
            Lang::Ja => &e.remediation.ja,
        })
        .trim()
    );
    if let Some(m) = &e.manual {
        let h = match lang {
            Lang::En => "Check by hand",
            Lang::Ja => "手動で確認",
        };
        let _ = writeln!(out, "\n{h}:\n{}", m.get(lang).trim());
    }
    if let Some(tf) = &e.remediation.terraform {
        let _ = writeln!(out, "\nTerraform:\n{}", tf.trim_end());
    }
    if let Some(cfn) = &e.remediation.cloudformation {
        let _ = writeln!(out, "\nCloudFormation:\n{}", cfn.trim_end());
    }
    out
}
