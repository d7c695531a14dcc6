//! The catalog entries of the monitoring controls: the fourteen chain controls share one
//! message table, and every message the code reports exists, in both languages, with the
//! same placeholders.

use std::collections::BTreeSet;

use cislint::catalog;

/// Message keys the chain analysis reports (model::monitoring::chain).
const CHAIN_KEYS: &[&str] = &[
    "pattern-mismatch",
    "broader-pattern",
    "broader-pattern-extra",
    "broader-pattern-all",
    "no-trail",
    "trail-single-region",
    "trail-not-logging",
    "trail-no-management-events",
    "trail-unknown",
    "no-alarm",
    "actions-disabled",
    "no-actions",
    "no-sns-action",
    "filter-label",
    "trail-label",
];

const OTHER_KEYS: &[(&str, &[&str])] = &[
    ("3.15", &["no-subscriber", "alarm-label"]),
    (
        "2.5",
        &[
            "not-all-supported",
            "all-supported-unset",
            "limited-strategy",
            "listed-types",
            "no-global",
            "disabled",
            "not-started",
            "no-channel",
        ],
    ),
    ("2.6", &["no-logging"]),
];

fn placeholders(s: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j)
                if after[..j]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_') =>
            {
                out.insert(after[..j].to_string());
                rest = &after[j + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

fn check_entry(cis: &str, keys: &[&str]) {
    let e = catalog::find(cis).unwrap_or_else(|| panic!("no entry {cis}"));
    for k in keys {
        let m = e
            .messages
            .get(*k)
            .unwrap_or_else(|| panic!("{cis} lacks message `{k}`"));
        assert_eq!(
            placeholders(&m.en),
            placeholders(&m.ja),
            "{cis} `{k}`: placeholders differ between en and ja"
        );
        if let (Some(h), Some(j)) = (&m.help_en, &m.help_ja) {
            assert_eq!(placeholders(h), placeholders(j), "{cis} `{k}` help");
        }
        // Lowercase first word (acronyms such as `SNS` and `S3` aside), no final period.
        let first = m.en.split_whitespace().next().unwrap_or_default();
        let acronym = first.len() > 1 && first.chars().all(|c| !c.is_lowercase());
        assert!(
            (acronym || first.chars().next().is_some_and(|c| !c.is_uppercase()))
                && !m.en.ends_with('.'),
            "{cis} `{k}`: messages start lowercase and have no final period"
        );
    }
}

#[test]
fn chain_controls_share_one_message_table() {
    let first = &catalog::find("3.1").unwrap().messages;
    for n in 1..=14 {
        let cis = format!("3.{n}");
        check_entry(&cis, CHAIN_KEYS);
        let e = catalog::find(&cis).unwrap();
        let a: Vec<_> = e.messages.iter().map(|(k, m)| (k, &m.en, &m.ja)).collect();
        let b: Vec<_> = first.iter().map(|(k, m)| (k, &m.en, &m.ja)).collect();
        assert_eq!(a, b, "{cis}: messages differ from 3.1's");
    }
}

#[test]
fn other_monitoring_messages_exist() {
    for (cis, keys) in OTHER_KEYS {
        check_entry(cis, keys);
    }
}
