//! Which CIS 3.x control a metric filter's pattern is for.
//!
//! A filter *satisfies* control X when its pattern covers one of X's accepted patterns
//! ([`filter_pattern::covers`]): every event the CIS pattern matches, it matches too.
//!
//! Whether a filter is *meant* for X is scored on the comparisons the patterns share:
//! for each accepted pattern V of X, a comparison of V found verbatim in the filter counts
//! 1; a comparison on a field that V tests only once (`errorMessage`, `MFAUsed`) counts ½
//! when the filter tests that field otherwise (a typo in the value, `= "No"` for
//! `!= "Yes"`); the sum is divided by the number of V's comparisons. Fields that V lists
//! many values of (`eventName`) earn nothing for other values, so an Organizations filter
//! that shares two event names with 3.4 is not taken for a 3.4 filter. The score of X is
//! the best over its accepted patterns.
//!
//! - **member** of X: satisfies X and scores at least ½ for X. Its broken links are
//!   findings of X.
//! - **incidental** to X: satisfies X but scores below ½ (a pattern that matches every
//!   event, or `$.eventName = *`): it completes X's chain, but it was not written for X,
//!   so its broken links are not reported under X.
//! - **near miss** of X: does not satisfy X, scores at least ½ for X, scores no less for X
//!   than for any control it is a member of, and X is among its best-scoring unsatisfied
//!   controls. A near miss is a pattern finding of X naming exactly what is missing.
//!
//! - **broader** than the benchmark for X: satisfies X but matches more than X's
//!   pattern ([`broader`]): a note, or under `strict-patterns` a [`Relation::Broader`] that
//!   does not count.
//!
//! The ½ threshold makes a filter with one of 3.1's two error codes a near miss of 3.1,
//! while the 3.2 filter (`ConsoleLogin` and `MFAUsed`) is not a near miss of 3.6
//! (`ConsoleLogin` and `errorMessage`): it scores 1 for 3.2, which it satisfies.
//!
//! Coverage is decided against each accepted pattern conjoined with facts about CloudTrail
//! events: every event that 3.2/3.6 (`ConsoleLogin`), 3.4 (IAM), 3.5 (CloudTrail) and
//! 3.10–3.14 (EC2) name has the same `eventSource`, so a filter that adds
//! `$.eventSource = "iam.amazonaws.com"` to the 3.4 pattern still covers it; and an IAM
//! user's console sign-in (3.2's later form, `userIdentity.type = "IAMUser"`) carries no
//! `additionalEventData.SamlProviderArn`, which only federated sign-ins have. The missing
//! events a message names come from the pattern as written.

use std::sync::OnceLock;

use crate::filter_pattern::{self, Comparison, Excess, Normal, Pattern};

/// The CIS v1.1.0 numbers of the metric-filter controls.
pub const CONTROLS: [&str; 14] = [
    "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13",
    "3.14",
];

/// How one filter pattern relates to one control.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Relation {
    /// Covers the control and was written for it.
    Member,
    /// Covers the control without having been written for it.
    Incidental,
    /// Written for the control but misses events: what is missing, and the accepted
    /// pattern it was compared with (verbatim).
    NearMiss {
        missing: Vec<String>,
        pattern: &'static str,
    },
    /// With `strict-patterns`: written for the control and covers it, but matches more
    /// than the benchmark's pattern, so it does not count.
    Broader(Broader),
}

impl Relation {
    /// The filter counts for the control: it completes the control's chain.
    pub fn counts(&self) -> bool {
        matches!(self, Relation::Member | Relation::Incidental)
    }
}

/// How a filter that covers a control matches more than the benchmark's pattern: what it
/// matches beyond, and the accepted pattern it was compared with (verbatim).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broader {
    pub excess: Excess,
    pub pattern: &'static str,
}

/// One accepted pattern of a control.
struct Accepted {
    text: &'static str,
    /// As written, for scoring.
    written: Pattern,
    /// `written`'s comparisons, for scoring.
    comparisons: Vec<Comparison>,
    /// With the `eventSource` fact conjoined, in normal form: what coverage is decided on.
    normal: Normal,
    /// `written` as a candidate: what a filter must stay within to match no more.
    bound: Normal,
}

/// The accepted patterns of each control, in [`CONTROLS`] order.
fn accepted() -> &'static [Vec<Accepted>] {
    static ACCEPTED: OnceLock<Vec<Vec<Accepted>>> = OnceLock::new();
    ACCEPTED.get_or_init(|| {
        CONTROLS
            .iter()
            .map(|cis| {
                filter_pattern::cis_patterns(cis)
                    .iter()
                    .filter_map(|text| {
                        // The catalogue patterns parse (tested in filter_pattern); skip, not
                        // panic, should one ever not.
                        let written = filter_pattern::parse(text).ok()?;
                        let required = facts(cis, text)
                            .iter()
                            .filter_map(|f| filter_pattern::parse(f).ok())
                            .fold(written.clone(), |p, f| p.and(&f));
                        Some(Accepted {
                            text,
                            comparisons: written.comparisons(),
                            normal: Normal::required(&required),
                            bound: Normal::candidate(&written),
                            written,
                        })
                    })
                    .collect()
            })
            .collect()
    })
}

/// Facts about every event an accepted pattern matches (see the module docs), as patterns.
fn facts(cis: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let source = match cis {
        "3.2" | "3.6" => Some("signin.amazonaws.com"),
        "3.4" => Some("iam.amazonaws.com"),
        "3.5" => Some("cloudtrail.amazonaws.com"),
        "3.10" | "3.11" | "3.12" | "3.13" | "3.14" => Some("ec2.amazonaws.com"),
        _ => None,
    };
    if let Some(s) = source {
        out.push(format!("{{ $.eventSource = {s} }}"));
    }
    if cis == "3.2" && text.contains(r#"$.userIdentity.type = "IAMUser""#) {
        out.push("{ $.additionalEventData.SamlProviderArn NOT EXISTS }".to_string());
    }
    out
}

/// The share of `required`'s comparisons that `candidate` has (see the module docs).
fn score(candidate: &[Comparison], required: &[Comparison]) -> f64 {
    if required.is_empty() {
        return 0.0;
    }
    let mut used = vec![false; candidate.len()];
    let mut points = 0.0;
    let mut left = Vec::new();
    for r in required {
        match candidate.iter().position(|c| c.text == r.text) {
            Some(i) => {
                used[i] = true;
                points += 1.0;
            }
            None => left.push(r),
        }
    }
    for r in left {
        let single = required.iter().filter(|x| x.selector == r.selector).count() == 1;
        if !single {
            continue;
        }
        if let Some(i) =
            (0..candidate.len()).find(|&i| !used[i] && candidate[i].selector == r.selector)
        {
            used[i] = true;
            points += 0.5;
        }
    }
    points / required.len() as f64
}

/// The controls a pattern relates to, in [`CONTROLS`] order. A pattern with a
/// `%regex%` value relates to none: its meaning is not modelled.
pub fn classify(p: &Pattern) -> Vec<(&'static str, Relation)> {
    if p.has_regex() {
        return Vec::new();
    }
    let mine = p.comparisons();
    let normal = Normal::candidate(p);
    struct Row {
        cis: &'static str,
        covers: bool,
        score: f64,
        best: usize,
    }
    let rows: Vec<Row> = CONTROLS
        .iter()
        .zip(accepted())
        .map(|(cis, variants)| {
            let covers = variants
                .iter()
                .any(|v| filter_pattern::covers_normal(&normal, &v.normal));
            let mut best = 0;
            let mut best_score = -1.0;
            for (i, v) in variants.iter().enumerate() {
                let s = score(&mine, &v.comparisons);
                if s > best_score {
                    best_score = s;
                    best = i;
                }
            }
            Row {
                cis,
                covers,
                score: best_score.max(0.0),
                best,
            }
        })
        .collect();
    let member_best = rows
        .iter()
        .filter(|r| r.covers && r.score >= 0.5)
        .map(|r| r.score)
        .fold(f64::NEG_INFINITY, f64::max);
    let miss_best = rows
        .iter()
        .filter(|r| !r.covers && r.score >= 0.5)
        .map(|r| r.score)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut out = Vec::new();
    for (r, variants) in rows.iter().zip(accepted()) {
        if r.covers {
            let rel = if r.score >= 0.5 {
                Relation::Member
            } else {
                Relation::Incidental
            };
            out.push((r.cis, rel));
        } else if r.score >= 0.5 && r.score > member_best && r.score >= miss_best {
            let Some(v) = variants.get(r.best) else {
                continue;
            };
            if filter_pattern::covers_normal(&normal, &v.normal) {
                continue;
            }
            // Named against the pattern as written: the facts are no news to the reader.
            let missing = match filter_pattern::covers(p, &v.written) {
                Ok(()) => continue,
                Err(m) => m,
            };
            out.push((
                r.cis,
                Relation::NearMiss {
                    missing,
                    pattern: v.text,
                },
            ));
        }
    }
    out
}

/// The controls that `p` covers (as member or incidental in `relations`, its
/// [`classify`]) with a pattern broader than the benchmark's, in `relations` order.
///
/// A pattern that matches every event of the v1.1.0 pattern (the first accepted one) is
/// broader when it matches more than that pattern; the v1.4.0 form of 3.1, whose `||`
/// makes it match nearly every event, is so too. A pattern that covers only a later,
/// narrower form (3.2's sign-ins of IAM users) is broader unless it matches the same
/// events as one such form it covers. "The same events" is decided on the normal forms, so
/// order, quoting and grouping do not matter, and with the facts about CloudTrail events of
/// the module docs (`$.eventSource = "iam.amazonaws.com"` added to 3.4 matches no more).
pub fn broader(
    p: &Pattern,
    relations: &[(&'static str, Relation)],
) -> Vec<(&'static str, Broader)> {
    let normal = Normal::candidate(p);
    let mut out = Vec::new();
    for (cis, rel) in relations {
        if !rel.counts() {
            continue;
        }
        let Some(variants) = CONTROLS
            .iter()
            .position(|c| c == cis)
            .and_then(|i| accepted().get(i))
        else {
            continue;
        };
        let beyond = |v: &Accepted| {
            filter_pattern::excess(&normal, &v.bound, &v.normal, &v.written).map(|excess| Broader {
                excess,
                pattern: v.text,
            })
        };
        let covered: Vec<(usize, &Accepted)> = variants
            .iter()
            .enumerate()
            .filter(|(_, v)| filter_pattern::covers_normal(&normal, &v.normal))
            .collect();
        let found = match covered.first() {
            Some((0, v110)) => beyond(v110),
            Some(_) => covered
                .iter()
                .map(|(_, v)| beyond(v))
                .collect::<Option<Vec<Broader>>>()
                .and_then(|all| all.into_iter().next()),
            None => None,
        };
        if let Some(b) = found {
            out.push((*cis, b));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(text: &str) -> Vec<(&'static str, Relation)> {
        classify(&filter_pattern::parse(text).unwrap())
    }

    #[test]
    fn every_accepted_pattern_is_a_member_of_its_control() {
        for cis in CONTROLS {
            for text in filter_pattern::cis_patterns(cis) {
                let r = rel(text);
                assert!(
                    r.iter().any(|(c, x)| *c == cis && *x == Relation::Member),
                    "{cis}: {text} → {r:?}"
                );
                assert!(
                    !r.iter()
                        .any(|(_, x)| matches!(x, Relation::NearMiss { .. })),
                    "{cis}: {text} → {r:?}"
                );
            }
        }
    }

    #[test]
    fn console_login_filters_do_not_claim_each_other() {
        let r = rel(
            r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#,
        );
        assert_eq!(r, vec![("3.2", Relation::Member)]);
        let r = rel(
            r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
        );
        assert_eq!(r, vec![("3.6", Relation::Member)]);
        // Broader than both: all console logins.
        let r = rel(r#"{ $.eventName = ConsoleLogin }"#);
        assert_eq!(
            r,
            vec![("3.2", Relation::Member), ("3.6", Relation::Member)]
        );
    }

    #[test]
    fn near_misses_name_what_is_missing() {
        let r = rel(
            "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) }",
        );
        assert_eq!(
            r,
            vec![(
                "3.5",
                Relation::NearMiss {
                    missing: vec!["eventName = StopLogging".into()],
                    pattern: filter_pattern::cis_patterns("3.5")[0],
                }
            )]
        );
        let r = rel(r#"{ $.errorCode = "AccessDenied*" }"#);
        assert!(
            matches!(&r[..], [("3.1", Relation::NearMiss { missing, .. })] if missing == &[r#"errorCode = "*UnauthorizedOperation""#])
        );
        // A typo in the 3.6 message is a 3.6 near miss, not a 3.2 one.
        let r = rel(
            r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication.") }"#,
        );
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].0, "3.6");
    }

    #[test]
    fn match_all_patterns_are_incidental() {
        let r = rel("");
        assert_eq!(r.len(), 14);
        assert!(r.iter().all(|(_, x)| *x == Relation::Incidental));
        assert!(rel(r#"{ $.eventName = "GetObject" }"#).is_empty());
    }

    #[test]
    fn event_source_restrictions_implied_by_the_events_still_cover() {
        let r = rel(
            "{ $.eventSource = cloudtrail.amazonaws.com && ($.eventName = CreateTrail || $.eventName = UpdateTrail || $.eventName = DeleteTrail || $.eventName = StartLogging || $.eventName = StopLogging) }",
        );
        assert_eq!(r, vec![("3.5", Relation::Member)]);
    }

    #[test]
    fn a_different_test_of_a_single_field_is_a_near_miss() {
        // `MFAUsed = "No"` is not `MFAUsed != "Yes"`: a 3.2 near miss, not a 3.6 one.
        let r =
            rel(r#"{ ($.additionalEventData.MFAUsed = "No") && ($.eventName = "ConsoleLogin") }"#);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].0, "3.2");
        // An Organizations filter shares event names with 3.4 but is not a 3.4 filter.
        assert!(rel(r#"{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreatePolicy") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "UpdatePolicy")) }"#).is_empty());
    }

    #[test]
    fn iam_user_sign_ins_are_not_saml_sign_ins() {
        let r = rel(
            r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.responseElements.ConsoleLogin != "Failure") && ($.additionalEventData.SamlProviderArn NOT EXISTS) }"#,
        );
        assert_eq!(r, vec![("3.2", Relation::Member)]);
    }

    /// The controls a pattern covers with a broader pattern, and what it matches beyond.
    fn beyond(text: &str) -> Vec<(&'static str, Excess)> {
        let p = filter_pattern::parse(text).unwrap();
        broader(&p, &classify(&p))
            .into_iter()
            .map(|(c, b)| (c, b.excess))
            .collect()
    }

    fn excess(matches: &[&str], lacking: &str) -> Excess {
        Excess {
            matches: matches.iter().map(|m| m.to_string()).collect(),
            lacking: lacking.to_string(),
        }
    }

    #[test]
    fn accepted_patterns_are_not_broader_than_their_control() {
        for cis in CONTROLS {
            for (i, text) in filter_pattern::cis_patterns(cis).iter().enumerate() {
                let own: Vec<_> = beyond(text)
                    .into_iter()
                    .filter(|(c, _)| *c == cis)
                    .collect();
                if (cis, i) == ("3.1", 1) {
                    // v1.4.0's `||` makes it match nearly every event (spec §3.2 item 5).
                    assert_eq!(
                        own,
                        vec![(
                            "3.1",
                            excess(
                                &[
                                    "eventName != HeadBucket",
                                    "sourceIPAddress != delivery.logs.amazonaws.com",
                                ],
                                ""
                            )
                        )]
                    );
                } else {
                    assert!(own.is_empty(), "{cis}[{i}]: {own:?}");
                }
            }
        }
    }

    #[test]
    fn equivalent_rewrites_are_not_broader() {
        for text in [
            // Operands reordered, quotes added, parentheses regrouped.
            r#"{ ($.eventName = "StopLogging") || (($.eventName = StartLogging) || $.eventName = "DeleteTrail") || $.eventName = UpdateTrail || $.eventName = CreateTrail }"#,
            // `&&` distributed over `||`.
            "{ ($.eventSource = kms.amazonaws.com && $.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion && $.eventSource = kms.amazonaws.com) }",
            // An `eventSource` every listed IAM event has.
            "{ $.eventSource = iam.amazonaws.com && ($.eventName=DeleteGroupPolicy||$.eventName=DeleteRolePolicy||$.eventName=DeleteUserPolicy||$.eventName=PutGroupPolicy||$.eventName=PutRolePolicy||$.eventName=PutUserPolicy||$.eventName=CreatePolicy||$.eventName=DeletePolicy||$.eventName=CreatePolicyVersion||$.eventName=DeletePolicyVersion||$.eventName=AttachRolePolicy||$.eventName=DetachRolePolicy||$.eventName=AttachUserPolicy||$.eventName=DetachUserPolicy||$.eventName=AttachGroupPolicy||$.eventName=DetachGroupPolicy) }",
            // 3.1 as real implementations write it.
            r#"{ $.eventName != "HeadBucket" && $.sourceIPAddress != "delivery.logs.amazonaws.com" && ($.errorCode = "AccessDenied*" || $.errorCode = "*UnauthorizedOperation") }"#,
        ] {
            let r = rel(text);
            assert!(
                r.iter().any(|(_, x)| *x == Relation::Member),
                "{text}: {r:?}"
            );
            assert_eq!(beyond(text), vec![], "{text}");
        }
    }

    #[test]
    fn broader_patterns_name_what_they_match_beyond() {
        assert_eq!(
            beyond(r#"{ $.eventSource = "s3.amazonaws.com" }"#),
            vec![(
                "3.8",
                excess(
                    &["eventSource = s3.amazonaws.com"],
                    "eventName = DeleteBucketCors | DeleteBucketLifecycle | DeleteBucketPolicy | DeleteBucketReplication | PutBucketAcl | PutBucketCors | PutBucketLifecycle | PutBucketPolicy | PutBucketReplication"
                )
            )]
        );
        // Wildcards: each alternative, and the events CIS names that it stands for.
        assert_eq!(
            beyond(
                r#"{ $.eventSource = s3.amazonaws.com && ($.eventName = "PutBucket*" || $.eventName = "DeleteBucket*") }"#
            ),
            vec![(
                "3.8",
                excess(
                    &[
                        r#"eventName = "DeleteBucket*" && eventSource = s3.amazonaws.com"#,
                        r#"eventName = "PutBucket*" && eventSource = s3.amazonaws.com"#
                    ],
                    "eventName = DeleteBucketCors | DeleteBucketLifecycle | DeleteBucketPolicy | DeleteBucketReplication | PutBucketAcl | PutBucketCors | PutBucketLifecycle | PutBucketPolicy | PutBucketReplication"
                )
            )]
        );
        // A condition left out: every console sign-in, for both sign-in controls.
        assert_eq!(
            beyond("{ $.eventName = ConsoleLogin }"),
            vec![
                (
                    "3.2",
                    excess(
                        &["eventName = ConsoleLogin"],
                        "additionalEventData.MFAUsed != Yes"
                    )
                ),
                (
                    "3.6",
                    excess(
                        &["eventName = ConsoleLogin"],
                        r#"errorMessage = "Failed authentication""#
                    )
                ),
            ]
        );
        assert_eq!(
            beyond(r#"{ $.userIdentity.type = "Root" }"#),
            vec![(
                "3.3",
                excess(
                    &["userIdentity.type = Root"],
                    "eventType != AwsServiceEvent && userIdentity.invokedBy NOT EXISTS"
                )
            )]
        );
        // An event CIS does not name, beside the ones it does.
        assert_eq!(
            beyond(
                "{ $.eventName = CreateTrail || $.eventName = UpdateTrail || $.eventName = DeleteTrail || $.eventName = StartLogging || $.eventName = StopLogging || $.eventName = GetTrailStatus }"
            ),
            vec![("3.5", excess(&["eventName = GetTrailStatus"], ""))]
        );
        // The facts are not named: `eventSource` is not in the 3.4 pattern as written.
        let r = beyond("{ $.eventSource = iam.amazonaws.com }");
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].1.matches, ["eventSource = iam.amazonaws.com"]);
        assert!(
            r[0].1
                .lacking
                .starts_with("eventName = AttachGroupPolicy | "),
            "{r:?}"
        );
        assert!(!r[0].1.lacking.contains("eventSource"), "{r:?}");
        // A later, narrower form covered but not matched exactly.
        assert_eq!(
            beyond(
                r#"{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed != "Yes" && $.userIdentity.type = "IAMUser" }"#
            ),
            vec![(
                "3.2",
                excess(
                    &[
                        "additionalEventData.MFAUsed != Yes && eventName = ConsoleLogin && userIdentity.type = IAMUser"
                    ],
                    "responseElements.ConsoleLogin = Success"
                )
            )]
        );
    }

    #[test]
    fn a_match_all_pattern_is_broader_than_every_control() {
        let r = beyond("");
        assert_eq!(r.len(), 14, "{r:?}");
        assert!(r.iter().all(|(_, e)| e.matches == [""]), "{r:?}");
        assert_eq!(
            r[0],
            (
                "3.1",
                excess(
                    &[""],
                    r#"errorCode = "*UnauthorizedOperation" | "AccessDenied*""#
                )
            )
        );
    }

    #[test]
    fn regex_values_are_not_judged() {
        assert!(rel("{ $.eventName = %Trail% }").is_empty());
    }
}
