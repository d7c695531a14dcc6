use super::ast::{Atom, Expr, Num, Selector, Test, Value};
use super::parser::looks_numeric;
use super::*;
use proptest::prelude::*;

const CIS_NUMBERS: [&str; 14] = [
    "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13",
    "3.14",
];

fn p(text: &str) -> Pattern {
    match parse(text) {
        Ok(pat) => pat,
        Err(e) => panic!("failed to parse {text:?}: {e}"),
    }
}

/// Every (CIS number, variant index, text).
fn all_cis() -> Vec<(&'static str, usize, &'static str)> {
    CIS_NUMBERS
        .iter()
        .flat_map(|n| {
            cis_patterns(n)
                .iter()
                .enumerate()
                .map(move |(i, t)| (*n, i, *t))
        })
        .collect()
}

fn v110(n: &str) -> Pattern {
    p(cis_patterns(n)[0])
}

fn errs(list: &[&str]) -> Result<(), Vec<String>> {
    Err(list.iter().map(|s| s.to_string()).collect())
}

// ---------------------------------------------------------------- CIS set

#[test]
fn cis_table_is_complete() {
    for n in CIS_NUMBERS {
        assert!(!cis_patterns(n).is_empty(), "{n}");
    }
    assert!(cis_patterns("3.15").is_empty());
    assert!(cis_patterns("4.1").is_empty());
    assert_eq!(all_cis().len(), 20);
}

#[test]
fn every_cis_pattern_parses_covers_itself_and_round_trips() {
    for (n, i, text) in all_cis() {
        let pat = p(text);
        assert_eq!(covers(&pat, &pat), Ok(()), "{n}[{i}]");
        let shown = pat.to_string();
        let again = p(&shown);
        assert_eq!(again, pat, "{n}[{i}] display does not re-parse: {shown}");
        assert_eq!(again.to_string(), shown, "{n}[{i}]");
    }
}

#[test]
fn cis_variants_against_v110() {
    // Variants equal to v1.1.0 up to spacing.
    for (n, i) in [("3.7", 1), ("3.9", 1)] {
        let a = v110(n);
        let b = p(cis_patterns(n)[i]);
        assert_eq!(a, b, "{n}[{i}]");
        assert_eq!(covers(&a, &b), Ok(()));
        assert_eq!(covers(&b, &a), Ok(()));
    }
    // 3.1 v1.4.0 verbatim joins the exclusions with `||`: broader than v1.1.0.
    let v14 = p(cis_patterns("3.1")[1]);
    assert_eq!(covers(&v14, &v110("3.1")), Ok(()));
    assert_eq!(
        covers(&v110("3.1"), &v14),
        errs(&[
            "eventName != HeadBucket",
            "sourceIPAddress != delivery.logs.amazonaws.com"
        ])
    );
    // 3.1 implementation variant (S11) is narrower than v1.1.0.
    let s11 = p(cis_patterns("3.1")[2]);
    assert_eq!(covers(&v110("3.1"), &s11), Ok(()));
    assert_eq!(covers(&v14, &s11), Ok(()));
    assert_eq!(
        covers(&s11, &v110("3.1")),
        errs(&[
            "all required events (candidate additionally requires eventName != HeadBucket && sourceIPAddress != delivery.logs.amazonaws.com)"
        ])
    );
    // 3.2 SSO variant is narrower.
    let sso = p(cis_patterns("3.2")[1]);
    assert_eq!(covers(&v110("3.2"), &sso), Ok(()));
    assert_eq!(
        covers(&sso, &v110("3.2")),
        errs(&[
            "all required events (candidate additionally requires responseElements.ConsoleLogin = Success && userIdentity.type = IAMUser)"
        ])
    );
    // 3.13 v3.0.0 audit form: eventSource binds only to CreateRoute.
    let v3 = p(cis_patterns("3.13")[1]);
    assert_eq!(covers(&v110("3.13"), &v3), Ok(()));
    assert_eq!(
        covers(&v3, &v110("3.13")),
        errs(&["eventName = CreateRoute"])
    );
}

#[test]
fn normalized_display() {
    assert_eq!(
        v110("3.5").to_string(),
        "{ $.eventName = CreateTrail || $.eventName = DeleteTrail || $.eventName = StartLogging || $.eventName = StopLogging || $.eventName = UpdateTrail }"
    );
    assert_eq!(
        v110("3.1").to_string(),
        r#"{ $.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*" }"#
    );
    assert_eq!(
        v110("3.7").to_string(),
        "{ $.eventSource = kms.amazonaws.com && ($.eventName = DisableKey || $.eventName = ScheduleKeyDeletion) }"
    );
    assert_eq!(
        v110("3.3").to_string(),
        "{ $.eventType != AwsServiceEvent && $.userIdentity.invokedBy NOT EXISTS && $.userIdentity.type = Root }"
    );
    assert_eq!(
        p(r#"{ ($.a[0].b = "x y") && ($.n >= -1.50) && ($.c IS TRUE || $.d = "5" || $.d = 5) }"#)
            .to_string(),
        r#"{ $.a[0].b = "x y" && $.n >= -1.5 && ($.c IS TRUE || $.d = "5" || $.d = 5) }"#
    );
    assert_eq!(p("").to_string(), "");
    assert!(p("  ").matches_everything());
}

#[test]
fn cis_text_quirks() {
    // v1.1.0 3.6 remediation: doubled quotes.
    assert_eq!(
        p(r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = ""Failed authentication"") }"#),
        v110("3.6")
    );
    // Copied out of a JSON / HCL string.
    assert_eq!(
        p(r#"{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"#),
        v110("3.1")
    );
    assert_eq!(
        p(
            r#"{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"#
        ),
        v110("3.3")
    );
    // v1.1.0 3.7 audit text: stray `}` is an error, at that `}`.
    let audit = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))} }";
    let e = parse(audit).unwrap_err();
    assert_eq!(e.offset, audit.len() - 1, "{e}");
    // 3.1 v1.4.0 audit form (unquoted) equals the remediation form.
    assert_eq!(
        p(
            "{ ($.errorCode = *UnauthorizedOperation) || ($.errorCode = AccessDenied*) || ($.sourceIPAddress!=delivery.logs.amazonaws.com) || ($.eventName!=HeadBucket) }"
        ),
        p(cis_patterns("3.1")[1])
    );
    // Escapes inside ordinary quotes.
    assert_eq!(
        p(r#"{ $.a = "say \"hi\" \\ now" }"#).to_string(),
        r#"{ $.a = "say \"hi\" \\ now" }"#
    );
}

// ---------------------------------------------------------------- covers

#[test]
fn dropping_stoplogging_from_3_5() {
    let cand = p(
        "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) }",
    );
    assert_eq!(
        covers(&cand, &v110("3.5")),
        errs(&["eventName = StopLogging"])
    );
}

/// Every way of dropping one operand of one `||` node: (pattern, dropped).
fn drops(e: &Expr) -> Vec<(Expr, Expr)> {
    let mut out = Vec::new();
    match e {
        Expr::Or(ch) => {
            for i in 0..ch.len() {
                let mut rest = ch.clone();
                let d = rest.remove(i);
                out.push((Expr::Or(rest).normalize(), d));
            }
            for (i, c) in ch.iter().enumerate() {
                for (sub, d) in drops(c) {
                    let mut n = ch.clone();
                    n[i] = sub;
                    out.push((Expr::Or(n).normalize(), d));
                }
            }
        }
        Expr::And(ch) => {
            for (i, c) in ch.iter().enumerate() {
                for (sub, d) in drops(c) {
                    let mut n = ch.clone();
                    n[i] = sub;
                    out.push((Expr::And(n).normalize(), d));
                }
            }
        }
        _ => {}
    }
    out
}

/// Every way of dropping one operand of one `&&` node.
fn and_drops(e: &Expr) -> Vec<Expr> {
    let mut out = Vec::new();
    match e {
        Expr::And(ch) | Expr::Or(ch) => {
            let is_and = matches!(e, Expr::And(_));
            let wrap = |v: Vec<Expr>| {
                if is_and {
                    Expr::And(v).normalize()
                } else {
                    Expr::Or(v).normalize()
                }
            };
            if is_and {
                for i in 0..ch.len() {
                    let mut rest = ch.clone();
                    rest.remove(i);
                    out.push(wrap(rest));
                }
            }
            for (i, c) in ch.iter().enumerate() {
                for sub in and_drops(c) {
                    let mut n = ch.clone();
                    n[i] = sub;
                    out.push(wrap(n));
                }
            }
        }
        _ => {}
    }
    out
}

/// How `covers` names a dropped operand.
fn message_of(e: &Expr) -> String {
    match e {
        Expr::Atom(a) => a.render(false),
        Expr::And(ch) => ch.iter().map(message_of).collect::<Vec<_>>().join(" && "),
        other => panic!("unexpected dropped operand {other}"),
    }
}

#[test]
fn dropping_any_or_operand_names_exactly_it() {
    let mut checked = 0;
    for (n, i, text) in all_cis() {
        let req = p(text);
        for (cand, dropped) in drops(&req.expr) {
            let cand = p(&Pattern { expr: cand }.to_string());
            assert_eq!(
                covers(&cand, &req),
                Err(vec![message_of(&dropped)]),
                "{n}[{i}] without {dropped}"
            );
            checked += 1;
        }
    }
    // 3.1: 2+4+2, 3.4: 16, 3.5: 5, 3.7: 2+2, 3.8: 9, 3.9: 4+4, 3.10: 6,
    // 3.11: 6, 3.12: 6, 3.13: 7+7, 3.14: 11.
    assert_eq!(checked, 93);
}

#[test]
fn dropping_an_and_operand_broadens() {
    let mut checked = 0;
    for (n, i, text) in all_cis() {
        let req = p(text);
        for cand in and_drops(&req.expr) {
            let cand = Pattern { expr: cand };
            assert_eq!(covers(&cand, &req), Ok(()), "{n}[{i}]: {cand}");
            assert!(covers(&req, &cand).is_err(), "{n}[{i}]: {cand}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn extra_restriction_fails_compactly() {
    let region = atom_of(r#"{ $.awsRegion = "us-east-1" }"#);
    for (n, i, text) in all_cis() {
        let req = p(text);
        let cand = Pattern {
            expr: Expr::And(vec![req.expr.clone(), region.clone()]).normalize(),
        };
        let cand = p(&cand.to_string());
        assert_eq!(
            covers(&cand, &req),
            errs(&["all required events (candidate additionally requires awsRegion = us-east-1)"]),
            "{n}[{i}]"
        );
        assert_eq!(covers(&req, &cand), Ok(()), "{n}[{i}]");
    }
    // Written by hand, inside the OR-list.
    let cand = p(
        r#"{ (($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging)) && $.awsRegion = "us-east-1" }"#,
    );
    assert_eq!(
        covers(&cand, &v110("3.5")),
        errs(&["all required events (candidate additionally requires awsRegion = us-east-1)"])
    );
}

fn atom_of(text: &str) -> Expr {
    let e = p(text).expr;
    assert!(matches!(e, Expr::Atom(_)), "{text}");
    e
}

#[test]
fn partial_restriction_names_the_restricted_event() {
    let cand = p(
        r#"{ ($.eventName = CreateTrail && $.awsRegion = "us-east-1") || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"#,
    );
    assert_eq!(
        covers(&cand, &v110("3.5")),
        errs(&["eventName = CreateTrail"])
    );
}

#[test]
fn different_restrictions_per_term_are_listed_per_term() {
    let cand = p(
        "{ ($.eventName = CreateTrail && $.awsRegion = a) || ($.eventName = UpdateTrail && $.awsRegion = b) }",
    );
    let req = p("{ $.eventName = CreateTrail || $.eventName = UpdateTrail }");
    assert_eq!(
        covers(&cand, &req),
        errs(&["eventName = CreateTrail", "eventName = UpdateTrail"])
    );
    // An unrelated candidate is not described as a restriction.
    assert_eq!(
        covers(&p("{ $.awsRegion = a }"), &req),
        errs(&["eventName = CreateTrail", "eventName = UpdateTrail"])
    );
}

#[test]
fn unrelated_pattern_lists_every_missing_event() {
    let r = covers(&v110("3.5"), &v110("3.4")).unwrap_err();
    assert_eq!(r.len(), 16);
    assert!(r.contains(&"eventName = DeleteGroupPolicy".to_string()));
    assert!(r.iter().all(|m| m.starts_with("eventName = ")));
    // Single-term required patterns are named in full.
    let cand = p(r#"{ $.eventName = ConsoleLogin && $.additionalEventData.MFAUsed = "No" }"#);
    assert_eq!(
        covers(&cand, &v110("3.2")),
        errs(&["additionalEventData.MFAUsed != Yes && eventName = ConsoleLogin"])
    );
    assert_eq!(
        covers(&p("{ $.eventName = ConsoleLogin }"), &v110("3.6")),
        Ok(())
    );
    assert_eq!(
        covers(
            &p(r#"{ $.errorMessage = "Failed authentication" }"#),
            &v110("3.6")
        ),
        Ok(())
    );
    assert_eq!(
        covers(&p(r#"{ $.errorMessage = "Failed" }"#), &v110("3.6")),
        errs(&[r#"errorMessage = "Failed authentication" && eventName = ConsoleLogin"#])
    );
}

#[test]
fn broader_patterns_cover() {
    let any_event = p("{ $.eventName = * }");
    for (n, i, text) in all_cis() {
        let req = p(text);
        let expect_ok = !matches!((n, i), ("3.1", _) | ("3.3", _));
        assert_eq!(covers(&any_event, &req).is_ok(), expect_ok, "{n}[{i}]");
    }
    assert_eq!(
        covers(&any_event, &v110("3.1")),
        errs(&[
            r#"errorCode = "*UnauthorizedOperation""#,
            r#"errorCode = "AccessDenied*""#
        ])
    );
    assert_eq!(covers(&p(r#"{ $.errorCode = "*" }"#), &v110("3.1")), Ok(()));
    assert_eq!(
        covers(&p("{ $.eventSource = kms.amazonaws.com }"), &v110("3.7")),
        Ok(())
    );
    assert_eq!(
        covers(
            &p("{ $.eventName = *Trail || $.eventName = St*Logging }"),
            &v110("3.5")
        ),
        Ok(())
    );
    assert_eq!(
        covers(
            &p("{ $.eventName = *Trail || $.eventName = Start* }"),
            &v110("3.5")
        ),
        errs(&["eventName = StopLogging"])
    );
    // Wildcards against literals and narrower wildcards.
    let ad = p(r#"{ $.errorCode = "AccessDenied*" }"#);
    assert_eq!(covers(&ad, &p("{ $.errorCode = AccessDenied }")), Ok(()));
    assert_eq!(
        covers(&ad, &p("{ $.errorCode = AccessDeniedException }")),
        Ok(())
    );
    assert_eq!(
        covers(&ad, &p(r#"{ $.errorCode = "AccessDeniedEx*" }"#)),
        Ok(())
    );
    assert!(covers(&p("{ $.errorCode = AccessDenied }"), &ad).is_err());
    assert!(covers(&ad, &p(r#"{ $.errorCode = "*AccessDenied" }"#)).is_err());
    assert!(covers(&ad, &p(r#"{ $.errorCode = "Access*" }"#)).is_err());
    // The over-broad 3.1 v1.4.0 form matches nearly everything.
    let v14 = p(cis_patterns("3.1")[1]);
    assert_eq!(covers(&v14, &v110("3.5")), Ok(()));
    assert!(covers(&v14, &p("{ $.eventName = HeadBucket }")).is_err());
    // The empty pattern matches every event.
    for (_, _, text) in all_cis() {
        assert_eq!(covers(&p(""), &p(text)), Ok(()));
    }
}

#[test]
fn not_equal_rules() {
    let ne = p(r#"{ $.additionalEventData.MFAUsed != "Yes" }"#);
    assert_eq!(
        covers(&ne, &p("{ $.additionalEventData.MFAUsed = No }")),
        Ok(())
    );
    assert_eq!(
        covers(&ne, &p("{ $.additionalEventData.MFAUsed = Yes }")),
        errs(&["additionalEventData.MFAUsed = Yes"])
    );
    // A wildcard `=` does not imply `!=`: it may match the excluded value.
    assert!(covers(&ne, &p("{ $.additionalEventData.MFAUsed = Y* }")).is_err());
    // `!=` says nothing about other fields, and is not implied by absence.
    assert!(covers(&ne, &p("{ $.eventName = ConsoleLogin }")).is_err());
    assert!(covers(&ne, &p("{ $.additionalEventData.MFAUsed NOT EXISTS }")).is_err());
    // `!= Y*` excludes more than `!= Yes`.
    assert_eq!(
        covers(&ne, &p("{ $.additionalEventData.MFAUsed != Y* }")),
        Ok(())
    );
    assert!(covers(&p("{ $.additionalEventData.MFAUsed != Y* }"), &ne).is_err());
    // `!=` does not cover `=` of a different type.
    assert!(covers(&p(r#"{ $.x != "a" }"#), &p("{ $.x = 5 }")).is_err());
}

#[test]
fn numeric_rules() {
    let gt100 = p("{ $.latency > 100 }");
    assert_eq!(covers(&gt100, &p("{ $.latency > 200 }")), Ok(()));
    assert_eq!(
        covers(&gt100, &p("{ $.latency >= 150 && $.latency < 300 }")),
        Ok(())
    );
    assert_eq!(covers(&gt100, &p("{ $.latency = 101 }")), Ok(()));
    assert!(covers(&gt100, &p("{ $.latency > 50 }")).is_err());
    assert!(covers(&gt100, &p("{ $.latency >= 100 }")).is_err());
    assert_eq!(covers(&p("{ $.latency >= 100 }"), &gt100), Ok(()));
    assert!(covers(&gt100, &p("{ $.latency = 100 }")).is_err());
    assert_eq!(covers(&p("{ $.x >= 5 }"), &p("{ $.x = 5.0 }")), Ok(()));
    assert_eq!(covers(&p("{ $.x <= 5 }"), &p("{ $.x < 5 }")), Ok(()));
    assert_eq!(covers(&p("{ $.x != 5 }"), &p("{ $.x > 5 }")), Ok(()));
    assert!(covers(&p("{ $.x != 5 }"), &p("{ $.x >= 5 }")).is_err());
    assert_eq!(covers(&p("{ $.x != 5 }"), &p("{ $.x = 6 }")), Ok(()));
    assert_eq!(p("{ $.x = 5 }"), p("{ $.x = 5.00 }"));
    assert_eq!(p("{ $.x = -0 }"), p("{ $.x = 0 }"));
    // A quoted number is a string, not a number.
    assert_ne!(p(r#"{ $.x = "5" }"#), p("{ $.x = 5 }"));
    assert!(covers(&p(r#"{ $.x = "5" }"#), &p("{ $.x = 5 }")).is_err());
    assert!(covers(&p("{ $.x = 5 }"), &p(r#"{ $.x = "5" }"#)).is_err());
}

#[test]
fn existence_and_boolean_rules() {
    let ne = p("{ $.userIdentity.invokedBy NOT EXISTS }");
    assert_eq!(covers(&ne, &ne), Ok(()));
    assert!(covers(&ne, &p("{ $.userIdentity.invokedBy IS NULL }")).is_err());
    assert!(covers(&p("{ $.userIdentity.invokedBy IS NULL }"), &ne).is_err());
    assert_eq!(
        covers(&p("{ $.error IS TRUE }"), &p("{ $.error = true }")),
        Ok(())
    );
    assert_eq!(
        covers(&p("{ $.error IS FALSE }"), &p("{ $.error = false }")),
        Ok(())
    );
    assert!(covers(&p("{ $.error = true }"), &p("{ $.error IS TRUE }")).is_err());
    assert!(covers(&p("{ $.error IS TRUE }"), &p(r#"{ $.error = "true" }"#)).is_err());
    assert!(covers(&p("{ $.error IS TRUE }"), &p("{ $.error IS FALSE }")).is_err());
    assert_eq!(p("{ $.a is true }"), p("{ $.a IS TRUE }"));
}

#[test]
fn unsatisfiable_required_terms_are_ignored() {
    let req = p("{ ($.eventName = A && $.eventName = B) || $.eventName = C }");
    assert_eq!(covers(&p("{ $.eventName = C }"), &req), Ok(()));
    for unsat in [
        "{ $.a = x && $.a != x }",
        "{ $.a = x && $.a NOT EXISTS }",
        "{ $.a.b = x && $.a NOT EXISTS }",
        "{ $.a > 5 && $.a < 5 }",
        "{ $.a >= 5 && $.a < 5 }",
        "{ $.a = 5 && $.a != 5 }",
        "{ $.a IS TRUE && $.a IS FALSE }",
        "{ $.a = Foo && $.a = Bar* }",
    ] {
        assert_eq!(covers(&p("{ $.z = never }"), &p(unsat)), Ok(()), "{unsat}");
    }
    for sat in [
        "{ $.a = x && $.a != y }",
        "{ $.a >= 5 && $.a <= 5 }",
        "{ $.a = Foo* && $.a = *Bar }",
        "{ $.a != x && $.a NOT EXISTS }",
        "{ $.a NOT EXISTS && $.a IS NULL }",
    ] {
        assert!(covers(&p("{ $.z = never }"), &p(sat)).is_err(), "{sat}");
    }
}

#[test]
fn glob_helpers() {
    use super::covers::{glob_covers, glob_match};
    assert!(glob_match(
        "*UnauthorizedOperation",
        "Client.UnauthorizedOperation"
    ));
    assert!(glob_match("*", ""));
    assert!(glob_match("a*b*c", "aXbYc"));
    assert!(!glob_match("a*b*c", "aXbY"));
    assert!(glob_covers("*", "a*b"));
    assert!(glob_covers("a*", "ab*"));
    assert!(glob_covers("*a*", "x*a*y"));
    assert!(!glob_covers("ab*", "a*"));
    assert!(!glob_covers("a*b", "a*"));
}

// ---------------------------------------------------------------- errors, limits

#[test]
fn parse_error_offsets() {
    let cases: &[(&str, usize)] = &[
        ("{ $.eventName = }", 16),
        ("{ $.eventName = CreateTrail", 27),
        ("$.eventName = x", 0),
        ("ERROR", 0),
        ("{ }", 2),
        ("{ ($.a = b }", 11),
        (r#"{ $.a = "abc }"#, 8),
        ("{ $.a > abc }", 8),
        ("{ $.a > }", 8),
        ("{ $.a IS NOT NULL }", 9),
        ("{ $.a IS MAYBE }", 6),
        ("{ $.a EXISTS }", 6),
        ("{ $.a NOT THERE }", 6),
        ("{ $.a = b & $.c = d }", 10),
        ("{ $.a = b | $.c = d }", 10),
        ("{ $.a = b $.c = d }", 10),
        ("{ $.a = b && }", 13),
        ("{ $.a = b || || $.c = d }", 13),
        ("{ eventName = x }", 2),
        ("{ $eventName = x }", 3),
        ("{ $.a[x] = 1 }", 6),
        ("{ $.a[1 = 1 }", 7),
        ("{ $. = 1 }", 4),
        ("{ $.a }", 6),
        ("{ $.a ~ 1 }", 6),
        ("{ $.a = 1 }}", 11),
        ("{ $.a = 1 ) }", 10),
        ("{ $.a = 1 } x", 12),
        ("{ $.a NOT EXISTSX }", 6),
        ("{ $.a NOT EXISTS( }", 16),
        (r#"{ $.a = \"abc }"#, 8),
    ];
    for &(text, offset) in cases {
        match parse(text) {
            Ok(pat) => panic!("{text:?} parsed as {pat}"),
            Err(e) => {
                assert_eq!(e.offset, offset, "{text:?}: {e}");
                assert!(!e.message.is_empty());
            }
        }
    }
}

#[test]
fn deep_nesting_is_limited() {
    let deep = format!("{{{}$.a = b{}}}", "(".repeat(10_000), ")".repeat(10_000));
    let e = parse(&deep).unwrap_err();
    assert_eq!(e.offset, 1 + 256, "{e}");
    assert!(e.message.contains("256"), "{e}");
    let ok = format!("{{{}$.a = b{}}}", "(".repeat(256), ")".repeat(256));
    assert_eq!(p(&ok), p("{ $.a = b }"));
    // Alternating operators at the limit still normalize and compare.
    let mut s = String::from("$.a = b");
    for i in 0..255 {
        let op = if i % 2 == 0 { "&&" } else { "||" };
        s = format!("($.x{i} = y {op} {s})");
    }
    let alt = p(&format!("{{ {s} }}"));
    assert_eq!(covers(&alt, &alt), Ok(()));
}

#[test]
fn dnf_blow_up_is_refused() {
    let groups: Vec<String> = (0..13)
        .map(|i| format!("($.a{i} = x || $.b{i} = y)"))
        .collect();
    let big = p(&format!("{{ {} }}", groups.join(" && ")));
    let small = v110("3.5");
    let too_complex = |r: Result<(), Vec<String>>| matches!(r, Err(v) if v.len() == 1 && v[0].starts_with("pattern too complex to compare"));
    assert!(too_complex(covers(&big, &small)));
    assert!(too_complex(covers(&small, &big)));
    // 12 groups = 4096 terms is still compared.
    let groups12 = &groups[..12];
    let ok = p(&format!("{{ {} }}", groups12.join(" && ")));
    assert_eq!(covers(&p(""), &ok), Ok(()));
    // Long flat lists are fine.
    let long: Vec<String> = (0..3000).map(|i| format!("$.eventName = E{i}")).collect();
    let long = p(&format!("{{ {} }}", long.join(" || ")));
    assert_eq!(covers(&long, &p("{ $.eventName = E2999 }")), Ok(()));
}

// ---------------------------------------------------------------- proptest

/// A stream of random choices driven by proptest.
struct Choices {
    v: Vec<u32>,
    i: usize,
}

impl Choices {
    fn pick(&mut self, n: usize) -> usize {
        let raw = self.v[self.i % self.v.len()] ^ (self.i as u32).wrapping_mul(0x9E37_79B9);
        self.i += 1;
        (raw.rotate_left(7) as usize) % n
    }
    fn ws(&mut self) -> &'static str {
        ["", " ", "  ", "\t", "\n "][self.pick(5)]
    }
    fn ws1(&mut self) -> &'static str {
        [" ", "  ", "\t", "\n"][self.pick(4)]
    }
}

fn bare_ok(s: &str) -> bool {
    !s.is_empty()
        && !s
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, ')' | '}' | '&' | '|' | '"' | '\\'))
        && !looks_numeric(s)
        && s != "true"
        && s != "false"
}

fn render_value(v: &Value, ch: &mut Choices) -> String {
    match v {
        Value::Num(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Str(s) => {
            let escaped: String = s
                .chars()
                .flat_map(|c| match c {
                    '"' | '\\' => vec!['\\', c],
                    c => vec![c],
                })
                .collect();
            let mut forms = vec![format!("\"{escaped}\"")];
            if bare_ok(s) {
                forms.push(s.clone());
            }
            if !s.contains(['"', '\\']) {
                // Copied out of a JSON string, and the CIS doubled quotes.
                forms.push(format!("\\\"{s}\\\""));
                if s.chars()
                    .next()
                    .is_some_and(|c| !c.is_whitespace() && !")}&|".contains(c))
                {
                    forms.push(format!("\"\"{s}\"\""));
                }
            }
            let i = ch.pick(forms.len());
            forms.swap_remove(i)
        }
    }
}

fn random_case(kw: &str, ch: &mut Choices) -> String {
    match ch.pick(3) {
        0 => kw.to_string(),
        1 => kw.to_ascii_lowercase(),
        _ => kw
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect(),
    }
}

fn render_atom(a: &Atom, ch: &mut Choices) -> String {
    let sel = a.render(true);
    let sel = sel.split([' ']).next().expect("selector").to_string();
    let cmp = |op: &str, v: String, ch: &mut Choices| format!("{sel}{}{op}{}{v}", ch.ws(), ch.ws());
    match &a.test {
        Test::Eq(v) => {
            let v = render_value(v, ch);
            cmp("=", v, ch)
        }
        Test::Ne(v) => {
            let v = render_value(v, ch);
            cmp("!=", v, ch)
        }
        Test::Lt(n) => cmp("<", n.to_string(), ch),
        Test::Le(n) => cmp("<=", n.to_string(), ch),
        Test::Gt(n) => cmp(">", n.to_string(), ch),
        Test::Ge(n) => cmp(">=", n.to_string(), ch),
        Test::NotExists => format!(
            "{sel}{}{}{}{}",
            ch.ws1(),
            random_case("NOT", ch),
            ch.ws1(),
            random_case("EXISTS", ch)
        ),
        Test::IsTrue | Test::IsFalse | Test::IsNull => {
            let word = match a.test {
                Test::IsTrue => "TRUE",
                Test::IsFalse => "FALSE",
                _ => "NULL",
            };
            format!(
                "{sel}{}{}{}{}",
                ch.ws1(),
                random_case("IS", ch),
                ch.ws1(),
                random_case(word, ch)
            )
        }
    }
}

fn wrap_parens(s: String, ch: &mut Choices, forced: bool) -> String {
    let layers = ch.pick(3) + usize::from(forced);
    let mut s = s;
    for _ in 0..layers {
        s = format!("({}{s}{})", ch.ws(), ch.ws());
    }
    s
}

/// A random rendering of `e`: shuffled operands, random quoting, extra
/// parentheses and whitespace.
fn render_random(e: &Expr, ch: &mut Choices) -> String {
    match e {
        Expr::True => String::new(),
        Expr::Atom(a) => render_atom(a, ch),
        Expr::And(children) | Expr::Or(children) => {
            let is_and = matches!(e, Expr::And(_));
            let mut order: Vec<&Expr> = children.iter().collect();
            for i in (1..order.len()).rev() {
                let j = ch.pick(i + 1);
                order.swap(i, j);
            }
            let op = if is_and { "&&" } else { "||" };
            let mut out = String::new();
            for (k, c) in order.into_iter().enumerate() {
                if k > 0 {
                    out.push_str(ch.ws());
                    out.push_str(op);
                    out.push_str(ch.ws());
                }
                let forced = is_and && matches!(c, Expr::Or(_));
                let inner = render_random(c, ch);
                out.push_str(&wrap_parens(inner, ch, forced));
            }
            out
        }
    }
}

fn render_pattern(e: &Expr, ch: &mut Choices) -> String {
    let body = render_random(e, ch);
    let body = wrap_parens(body, ch, false);
    format!("{}{{{}{body}{}}}{}", ch.ws(), ch.ws(), ch.ws(), ch.ws())
}

fn selector(path: &str) -> Selector {
    match p(&format!("{{ {path} = x }}")).expr {
        Expr::Atom(a) => a.sel,
        other => panic!("{other}"),
    }
}

const STRS: &[&str] = &[
    "x",
    "x y",
    "AccessDenied*",
    "*",
    "",
    "5",
    "true",
    "a\"b",
    "back\\slash",
    "kms.amazonaws.com",
    "é",
    "(",
    "-",
];

fn atom_strategy() -> impl Strategy<Value = Atom> {
    let sel = prop::sample::select(&["$.a", "$.b.c", "$.d[0]", "$.userIdentity.type"][..]);
    let num = prop::sample::select(&[-1.5, 0.0, 5.0, 1e3, 0.25][..]).prop_map(Num::new);
    let test = prop_oneof![
        prop::sample::select(STRS).prop_map(|s| Test::Eq(Value::Str(s.into()))),
        prop::sample::select(STRS).prop_map(|s| Test::Ne(Value::Str(s.into()))),
        num.clone().prop_map(|n| Test::Eq(Value::Num(n))),
        num.clone().prop_map(|n| Test::Ne(Value::Num(n))),
        any::<bool>().prop_map(|b| Test::Eq(Value::Bool(b))),
        num.clone().prop_map(Test::Lt),
        num.clone().prop_map(Test::Le),
        num.clone().prop_map(Test::Gt),
        num.prop_map(Test::Ge),
        prop::sample::select(&[Test::NotExists, Test::IsTrue, Test::IsFalse, Test::IsNull][..]),
    ];
    (sel, test).prop_map(|(s, test)| Atom {
        sel: selector(s),
        test,
    })
}

fn expr_strategy() -> impl Strategy<Value = Expr> {
    atom_strategy()
        .prop_map(Expr::Atom)
        .prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::And),
                prop::collection::vec(inner, 2..4).prop_map(Expr::Or),
            ]
        })
}

/// Fragments inserted by the parser fuzz test: mostly valid tokens, some junk.
const TOKENS: &[&str] = &[
    "{",
    "{ ",
    "}",
    " }",
    "(",
    ")",
    " ",
    "$.a",
    "$.b.c",
    "$.d[0]",
    "$.",
    "[1]",
    " = ",
    "=",
    " != ",
    " < ",
    " >= ",
    " <=",
    ">",
    " && ",
    " || ",
    "&",
    "|",
    "x",
    "AccessDenied*",
    "*",
    "\"x y\"",
    "\"\"",
    "\"5\"",
    "5",
    "-1.5",
    "1e3",
    "true",
    " NOT EXISTS",
    " IS TRUE",
    " IS NULL",
    " IS FALSE",
    " is not",
    "\\\"q\\\"",
    "\"\"dd\"\"",
    "\"a\\\"b\"",
    "é",
    "\t",
];

// ---------------------------------------------------------------- soundness model

/// A field value in a model event.
#[derive(Debug, Clone)]
enum Val {
    Null,
    Bool(bool),
    Num(f64),
    Str(&'static str),
}

const UNIVERSE: &[Option<Val>] = &[
    None,
    Some(Val::Null),
    Some(Val::Bool(true)),
    Some(Val::Bool(false)),
    Some(Val::Num(-1.0)),
    Some(Val::Num(0.0)),
    Some(Val::Num(5.0)),
    Some(Val::Num(7.5)),
    Some(Val::Num(10.0)),
    Some(Val::Num(11.0)),
    Some(Val::Str("")),
    Some(Val::Str("a")),
    Some(Val::Str("b")),
    Some(Val::Str("ab")),
    Some(Val::Str("ba")),
    Some(Val::Str("aab")),
    Some(Val::Str("abb")),
    Some(Val::Str("x")),
    Some(Val::Str("5")),
    Some(Val::Str("true")),
];

/// Evaluates an atom on one field value. `ne_absent`: whether `!=` also
/// matches an absent field (CloudWatch's behaviour is not documented, so the
/// check must be sound either way).
fn eval_test(t: &Test, v: &Option<Val>, ne_absent: bool) -> bool {
    use super::covers::glob_match;
    let num = |f: &dyn Fn(f64) -> bool| matches!(v, Some(Val::Num(m)) if f(*m));
    match t {
        Test::Eq(Value::Str(p)) => matches!(v, Some(Val::Str(s)) if glob_match(p, s)),
        Test::Eq(Value::Num(n)) => num(&|m| m == n.0),
        Test::Eq(Value::Bool(b)) => matches!(v, Some(Val::Bool(x)) if x == b),
        Test::Ne(val) => match v {
            None => ne_absent,
            Some(_) => !eval_test(&Test::Eq(val.clone()), v, ne_absent),
        },
        Test::Lt(n) => num(&|m| m < n.0),
        Test::Le(n) => num(&|m| m <= n.0),
        Test::Gt(n) => num(&|m| m > n.0),
        Test::Ge(n) => num(&|m| m >= n.0),
        Test::NotExists => v.is_none(),
        Test::IsTrue => matches!(v, Some(Val::Bool(true))),
        Test::IsFalse => matches!(v, Some(Val::Bool(false))),
        Test::IsNull => matches!(v, Some(Val::Null)),
    }
}

fn eval(e: &Expr, event: &[Option<Val>; 2], ne_absent: bool) -> bool {
    match e {
        Expr::True => true,
        Expr::Atom(a) => {
            let slot = usize::from(a.sel != selector("$.a"));
            eval_test(&a.test, &event[slot], ne_absent)
        }
        Expr::And(ch) => ch.iter().all(|c| eval(c, event, ne_absent)),
        Expr::Or(ch) => ch.iter().any(|c| eval(c, event, ne_absent)),
    }
}

fn small_expr_strategy() -> impl Strategy<Value = Expr> {
    let sel = prop::sample::select(&["$.a", "$.b"][..]);
    let strs = &["a", "b", "ab", "a*", "*b", "*", "a*b", "x", "5", "true", ""][..];
    let num = prop::sample::select(&[0.0, 5.0, 10.0][..]).prop_map(Num::new);
    let test = prop_oneof![
        3 => prop::sample::select(strs).prop_map(|s| Test::Eq(Value::Str(s.into()))),
        2 => prop::sample::select(strs).prop_map(|s| Test::Ne(Value::Str(s.into()))),
        1 => num.clone().prop_map(|n| Test::Eq(Value::Num(n))),
        1 => num.clone().prop_map(|n| Test::Ne(Value::Num(n))),
        1 => any::<bool>().prop_map(|b| Test::Eq(Value::Bool(b))),
        1 => any::<bool>().prop_map(|b| Test::Ne(Value::Bool(b))),
        1 => num.clone().prop_map(Test::Lt),
        1 => num.clone().prop_map(Test::Le),
        1 => num.clone().prop_map(Test::Gt),
        1 => num.prop_map(Test::Ge),
        2 => prop::sample::select(
            &[Test::NotExists, Test::IsTrue, Test::IsFalse, Test::IsNull][..]
        ),
    ];
    let atom = (sel, test).prop_map(|(s, test)| {
        Expr::Atom(Atom {
            sel: selector(s),
            test,
        })
    });
    atom.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::And),
            prop::collection::vec(inner, 2..4).prop_map(Expr::Or),
        ]
    })
}

/// (candidate, required) pairs, often related so that `covers` says yes.
fn pair_strategy() -> impl Strategy<Value = (Expr, Expr)> {
    (
        small_expr_strategy(),
        small_expr_strategy(),
        0usize..5,
        any::<usize>(),
    )
        .prop_map(|(r, x, kind, pick)| {
            let r = r.normalize();
            let c = match kind {
                0 => x,
                1 => Expr::Or(vec![r.clone(), x]),
                2 => Expr::And(vec![r.clone(), x]),
                3 => {
                    let all = drops(&r);
                    if all.is_empty() {
                        x
                    } else {
                        all[pick % all.len()].0.clone()
                    }
                }
                _ => {
                    let all = and_drops(&r);
                    if all.is_empty() {
                        x
                    } else {
                        all[pick % all.len()].clone()
                    }
                }
            };
            (c.normalize(), r)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_renderings_are_equivalent(
        idx in 0usize..20,
        choices in prop::collection::vec(any::<u32>(), 1..48),
    ) {
        let (n, i, text) = all_cis()[idx];
        let orig = p(text);
        let mut ch = Choices { v: choices, i: 0 };
        let variant = render_pattern(&orig.expr, &mut ch);
        let parsed = parse(&variant);
        prop_assert!(parsed.is_ok(), "{} [{}] {:?}: {:?}", n, i, variant, parsed);
        let parsed = parsed.unwrap();
        prop_assert_eq!(&parsed, &orig, "{} [{}] {:?}", n, i, variant);
        prop_assert_eq!(covers(&parsed, &orig), Ok(()));
        prop_assert_eq!(covers(&orig, &parsed), Ok(()));
    }

    #[test]
    fn random_renderings_of_a_dropped_operand_name_it(
        idx in 0usize..20,
        pick in any::<usize>(),
        choices in prop::collection::vec(any::<u32>(), 1..48),
    ) {
        let with_drops: Vec<_> = all_cis()
            .into_iter()
            .filter(|(_, _, t)| !drops(&p(t).expr).is_empty())
            .collect();
        let (n, i, text) = with_drops[idx % with_drops.len()];
        let orig = p(text);
        let all = drops(&orig.expr);
        let (cand, dropped) = &all[pick % all.len()];
        let mut ch = Choices { v: choices, i: 0 };
        let variant = render_pattern(cand, &mut ch);
        let parsed = parse(&variant);
        prop_assert!(parsed.is_ok(), "{} [{}] {:?}: {:?}", n, i, variant, parsed);
        prop_assert_eq!(
            covers(&parsed.unwrap(), &orig),
            Err(vec![message_of(dropped)]),
            "{} [{}] {:?}", n, i, variant
        );
    }

    #[test]
    fn random_patterns_round_trip(
        expr in expr_strategy(),
        choices in prop::collection::vec(any::<u32>(), 1..48),
    ) {
        let norm = Pattern { expr: expr.normalize() };
        let mut ch = Choices { v: choices, i: 0 };
        let text = render_pattern(&norm.expr, &mut ch);
        let parsed = parse(&text);
        prop_assert_eq!(parsed.as_ref(), Ok(&norm), "{:?}", text);
        let shown = norm.to_string();
        let reparsed = parse(&shown);
        prop_assert_eq!(reparsed.as_ref(), Ok(&norm), "{:?}", shown);
        let r = covers(&norm, &norm);
        prop_assert!(
            r.is_ok() || matches!(&r, Err(v) if v[0].starts_with("pattern too complex")),
            "{}: {:?}", shown, r
        );
    }

    #[test]
    fn mangled_patterns_never_panic(
        expr in expr_strategy(),
        cut in any::<usize>(),
        cut_len in 0usize..4,
        insert in prop::sample::select(TOKENS),
    ) {
        let text = Pattern { expr: expr.normalize() }.to_string();
        let chars: Vec<char> = text.chars().collect();
        let at = cut % (chars.len() + 1);
        let end = (at + cut_len).min(chars.len());
        let mangled: String = chars[..at]
            .iter()
            .chain(insert.chars().collect::<Vec<_>>().iter())
            .chain(chars[end..].iter())
            .collect();
        match parse(&mangled) {
            Ok(pat) => {
                let again = parse(&pat.to_string());
                prop_assert_eq!(again.as_ref(), Ok(&pat), "{:?} -> {}", mangled, pat);
            }
            Err(e) => prop_assert!(e.offset <= mangled.len() && mangled.is_char_boundary(e.offset)),
        }
    }

    #[test]
    fn covers_is_sound_on_a_brute_force_model((cand, req) in pair_strategy()) {
        let c = Pattern { expr: cand };
        let r = Pattern { expr: req };
        if covers(&c, &r).is_ok() {
            for ne_absent in [false, true] {
                for x in UNIVERSE {
                    for y in UNIVERSE {
                        let event = [x.clone(), y.clone()];
                        prop_assert!(
                            !eval(&r.expr, &event, ne_absent) || eval(&c.expr, &event, ne_absent),
                            "covers({}, {}) but event {:?} (ne_absent={}) breaks it",
                            c, r, event, ne_absent
                        );
                    }
                }
            }
        }
    }
}

/// The decision on normal forms computed once is the decision of `covers`, on every pair of
/// catalogue patterns and on patterns with wildcards, negations and numbers.
#[test]
fn covers_normal_decides_as_covers() {
    let mut texts: Vec<&str> = all_cis().iter().map(|(_, _, t)| *t).collect();
    texts.extend([
        r#"{ $.errorCode = "*" }"#,
        r#"{ $.errorCode = "AccessDenied" }"#,
        r#"{ $.errorCode = "Access*" && $.eventName != "HeadBucket" }"#,
        r#"{ $.eventName = CreateTrail || $.eventName = "Stop*" }"#,
        r#"{ $.eventName = ConsoleLogin && $.x NOT EXISTS }"#,
        r#"{ $.n > 5 || $.n <= 1 }"#,
        r#"{ $.n = 6 }"#,
        "",
    ]);
    let patterns: Vec<Pattern> = texts.iter().map(|t| p(t)).collect();
    let mut agreed_covering = 0;
    for c in &patterns {
        let cn = Normal::candidate(c);
        for r in &patterns {
            let expected = covers(c, r).is_ok();
            assert_eq!(
                covers_normal(&cn, &Normal::required(r)),
                expected,
                "{c} against {r}"
            );
            agreed_covering += usize::from(expected);
        }
    }
    // Both answers occur: the comparison is not between two constant functions.
    assert!(agreed_covering > patterns.len() && agreed_covering < patterns.len().pow(2));
}

#[test]
fn globs_without_a_star_match_only_themselves() {
    use super::covers::{glob_covers, glob_match};
    assert!(glob_match("AccessDenied", "AccessDenied"));
    assert!(!glob_match("AccessDenied", "AccessDeniedException"));
    assert!(glob_match("AccessDenied*", "AccessDeniedException"));
    assert!(glob_covers("Stop*", "StopLogging"));
    assert!(glob_covers("*", "Stop*"));
    assert!(!glob_covers("StopLogging", "Stop*"));
    assert!(glob_covers("StopLogging", "StopLogging"));
    assert!(!glob_covers("Stop", "StopLogging"));
}
