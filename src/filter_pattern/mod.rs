//! CloudWatch Logs JSON filter patterns (CIS controls 3.1–3.14).
//!
//! [`parse`] reads a JSON filter pattern such as
//! `{ ($.eventName = CreateTrail) || ($.eventName = StopLogging) }` into a
//! normalized [`Pattern`]: `&&` / `||` flattened, operands sorted and
//! deduplicated, redundant parentheses and quotes dropped. Two patterns that
//! differ only in whitespace, quoting, operand order or parentheses compare
//! equal (`==`) and display identically.
//!
//! [`covers`] decides whether a pattern found in code matches at least every
//! event that a prescribed pattern matches, and names what is missing when it
//! does not. [`cis_patterns`] gives the prescribed patterns.
//!
//! Syntax accepted: `{ expr }` with `&&` binding tighter than `||`,
//! parentheses (at most 256 deep), selectors `$.a.b[0].c`, comparisons
//! `=` / `!=` on quoted or unquoted values (`*` is a wildcard; an unquoted value
//! is any run of non-space characters other than `)` `}` `&` `|`; an unquoted
//! number is numeric, unquoted `true` / `false` boolean), `<` `<=` `>` `>=` on
//! numbers, and `NOT EXISTS`, `IS TRUE`, `IS FALSE`, `IS NULL`. Keywords are
//! case-insensitive. Tolerated quirks: values quoted as `\"x\"` (copied out of
//! a JSON/HCL string) and `""x""` (CIS v1.1.0 3.6 remediation). Empty text is
//! CloudWatch's match-everything pattern. Anything after the closing `}` (e.g.
//! the stray `}` of the CIS v1.1.0 3.7 audit text) is an error.

mod ast;
mod covers;
mod parser;
#[cfg(test)]
mod tests;

use std::fmt;

use ast::Expr;

/// A parsed, normalized JSON filter pattern.
///
/// `Display` (and so `to_string()`) gives the normalized form, e.g.
/// `{ $.eventName = CreateTrail || $.eventName = StopLogging }`; the empty
/// pattern displays as the empty string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pattern {
    expr: Expr,
}

impl Pattern {
    /// True for the empty pattern, which matches every event.
    pub fn matches_everything(&self) -> bool {
        self.expr == Expr::True
    }

    /// The distinct comparisons of the pattern, sorted: what two patterns share when one
    /// is meant to be the other (see [`Comparison`]).
    pub fn comparisons(&self) -> Vec<Comparison> {
        let mut out = Vec::new();
        collect_atoms(&self.expr, &mut out);
        out.sort();
        out.dedup();
        out
    }

    /// The pattern that matches what both `self` and `other` match.
    pub fn and(&self, other: &Pattern) -> Pattern {
        Pattern {
            expr: Expr::And(vec![self.expr.clone(), other.expr.clone()]).normalize(),
        }
    }

    /// Whether a value is a `%regular expression%`. CloudWatch accepts those inside JSON
    /// patterns; this module reads them as plain strings, so [`covers`] cannot be trusted
    /// for such a pattern.
    pub fn has_regex(&self) -> bool {
        let mut atoms = Vec::new();
        collect_atoms(&self.expr, &mut atoms);
        atoms.iter().any(|c| c.regex)
    }
}

/// One comparison of a pattern, rendered (`eventName = CreateTrail`), with its selector
/// and operator apart so that near misses (same field, another value) can be scored.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Comparison {
    /// The whole comparison, normalized, without `$.`.
    pub text: String,
    /// The selector without `$.` (`userIdentity.type`).
    pub selector: String,
    /// The operator or test (`=`, `!=`, `<`, `NOT EXISTS`, …).
    pub op: &'static str,
    regex: bool,
}

fn collect_atoms(e: &Expr, out: &mut Vec<Comparison>) {
    match e {
        Expr::True => {}
        Expr::Atom(a) => {
            use ast::{Test, Value};
            let (op, regex) = match &a.test {
                Test::Eq(v) | Test::Ne(v) => (
                    if matches!(a.test, Test::Eq(_)) {
                        "="
                    } else {
                        "!="
                    },
                    matches!(v, Value::Str(s) if s.len() >= 2 && s.starts_with('%') && s.ends_with('%')),
                ),
                Test::Lt(_) => ("<", false),
                Test::Le(_) => ("<=", false),
                Test::Gt(_) => (">", false),
                Test::Ge(_) => (">=", false),
                Test::NotExists => ("NOT EXISTS", false),
                Test::IsTrue => ("IS TRUE", false),
                Test::IsFalse => ("IS FALSE", false),
                Test::IsNull => ("IS NULL", false),
            };
            out.push(Comparison {
                text: a.render(false),
                selector: a.sel.to_string(),
                op,
                regex,
            });
        }
        Expr::And(children) | Expr::Or(children) => {
            children.iter().for_each(|c| collect_atoms(c, out))
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.expr {
            Expr::True => Ok(()),
            e => write!(f, "{{ {e} }}"),
        }
    }
}

impl std::str::FromStr for Pattern {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Pattern, ParseError> {
        parse(s)
    }
}

/// Why a pattern text could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset into the pattern text where the problem was found.
    pub offset: usize,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at offset {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses a CloudWatch Logs JSON filter pattern.
pub fn parse(text: &str) -> Result<Pattern, ParseError> {
    Ok(Pattern {
        expr: parser::parse_expr(text)?.normalize(),
    })
}

/// Every event that `required` matches is also matched by `candidate`?
/// `Ok(())`, or the list of what is missing, each rendered like
/// `eventName = StopLogging` or `additionalEventData.MFAUsed != Yes` (no `$.`,
/// values quoted only when needed).
///
/// Both patterns are expanded to an OR of AND-terms. Each satisfiable term of
/// `required` must be implied by a single term of `candidate`, atom by atom:
/// equal tests; a wildcard value covering a literal or narrower wildcard
/// (`AccessDenied*` covers `AccessDeniedException`, `*` covers any string);
/// `x != v` implied by `x = w` for a literal `w` that `v` does not match;
/// numeric interval containment; `IS TRUE`/`IS FALSE` implied by `= true`/
/// `= false`; `NOT EXISTS` and `IS NULL` only by themselves. This is a
/// sufficient condition: an `Ok` is always right, while an `Err` can be
/// pessimistic for patterns whose coverage needs several candidate terms
/// together (e.g. `x = a || x != a`); CIS-style patterns are decided exactly.
///
/// Missing terms are named by the atoms that distinguish them from the other
/// required terms (for an OR of event names, exactly the missing names). When
/// nothing is covered because the candidate adds conditions on other fields,
/// the single entry reads
/// `all required events (candidate additionally requires awsRegion = us-east-1)`.
/// A pattern that expands to more than 4096 terms gives
/// `Err(["pattern too complex to compare ..."])`.
pub fn covers(candidate: &Pattern, required: &Pattern) -> Result<(), Vec<String>> {
    covers::covers_expr(&candidate.expr, &required.expr)
}

/// A pattern expanded once into the normal form [`covers`] compares, for deciding
/// coverage against many patterns without expanding it again each time.
#[derive(Debug, Clone)]
pub struct Normal {
    /// The terms of the disjunctive normal form (`None`: too complex to expand).
    terms: Option<Vec<covers::Term>>,
}

impl Normal {
    /// `p` as a candidate (the pattern found in code).
    pub fn candidate(p: &Pattern) -> Normal {
        Normal {
            terms: covers::dnf(&p.expr),
        }
    }

    /// `p` as a required pattern: terms no event can satisfy are left out.
    pub fn required(p: &Pattern) -> Normal {
        Normal {
            terms: covers::required_terms(&p.expr),
        }
    }
}

/// Whether `candidate` covers `required`: the decision of [`covers`] without naming what
/// is missing (`candidate` made by [`Normal::candidate`], `required` by
/// [`Normal::required`]).
pub fn covers_normal(candidate: &Normal, required: &Normal) -> bool {
    covers::terms_cover(candidate.terms.as_deref(), required.terms.as_deref())
}

/// What a pattern matches beyond a narrower one (see [`excess`]), rendered without `$.`
/// and with values quoted only when needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excess {
    /// The pattern's alternatives (terms of its normal form) that reach beyond the narrower
    /// pattern, each an `&&` of comparisons (`eventSource = s3.amazonaws.com`); one empty
    /// string when the pattern matches every event.
    pub matches: Vec<String>,
    /// What the narrower pattern asks, of the events it shares with those alternatives,
    /// that they do not: `eventName = PutBucketAcl | PutBucketPolicy` (one of these
    /// values), comparisons joined by ` && `, alternatives by ` || `. Empty when the
    /// alternatives share no event with it (an event name it does not list).
    pub lacking: String,
}

/// What `candidate` matches beyond `narrower`, or `None` when it matches nothing more
/// (as far as the sufficient check of [`covers`] tells, so `None` also for a pattern too
/// complex to expand): `bound` is `narrower` made by [`Normal::candidate`]; `required` is
/// `narrower` as [`covers`] decided coverage on (by [`Normal::required`], possibly with
/// facts conjoined), used to find the events the two share; only comparisons written in
/// `narrower` are named in [`Excess::lacking`].
///
/// `candidate` covers `required` and this gives `None`: the two match the same events.
pub fn excess(
    candidate: &Normal,
    bound: &Normal,
    required: &Normal,
    narrower: &Pattern,
) -> Option<Excess> {
    let (Some(cands), Some(bound), Some(reqs)) = (&candidate.terms, &bound.terms, &required.terms)
    else {
        return None;
    };
    let mut shown = Vec::new();
    collect_raw_atoms(&narrower.expr, &mut shown);
    let (matches, lacking) = covers::excess(cands, bound, reqs, &shown)?;
    Some(Excess { matches, lacking })
}

fn collect_raw_atoms(e: &Expr, out: &mut Vec<ast::Atom>) {
    match e {
        Expr::True => {}
        Expr::Atom(a) => out.push(a.clone()),
        Expr::And(children) | Expr::Or(children) => {
            children.iter().for_each(|c| collect_raw_atoms(c, out))
        }
    }
}

const CIS_3_1: &[&str] = &[
    r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#,
    r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }"#,
    r#"{(($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && (($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket"))}"#,
];
const CIS_3_2: &[&str] = &[
    r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#,
    r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }"#,
];
const CIS_3_3: &[&str] = &[
    r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
];
const CIS_3_4: &[&str] = &[
    r#"{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"#,
];
const CIS_3_5: &[&str] = &[
    r#"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"#,
];
const CIS_3_6: &[&str] =
    &[r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#];
const CIS_3_7: &[&str] = &[
    r#"{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}"#,
    r#"{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"#,
];
const CIS_3_8: &[&str] = &[
    r#"{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"#,
];
const CIS_3_9: &[&str] = &[
    r#"{($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder))}"#,
    r#"{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }"#,
];
const CIS_3_10: &[&str] = &[
    r#"{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup)}"#,
];
const CIS_3_11: &[&str] = &[
    r#"{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"#,
];
const CIS_3_12: &[&str] = &[
    r#"{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }"#,
];
const CIS_3_13: &[&str] = &[
    r#"{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }"#,
    r#"{($.eventSource = ec2.amazonaws.com) && ($.eventName =CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName =ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName= DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName =DisassociateRouteTable) }"#,
];
const CIS_3_14: &[&str] = &[
    r#"{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }"#,
];

/// The CIS reference patterns for a CIS v1.1.0 number (`"3.1"` … `"3.14"`),
/// verbatim: the v1.1.0 (remediation) form first, then the later-version
/// variants and accepted implementation variants from the spec. Empty for any
/// other number.
pub fn cis_patterns(cis: &str) -> &'static [&'static str] {
    match cis {
        "3.1" => CIS_3_1,
        "3.2" => CIS_3_2,
        "3.3" => CIS_3_3,
        "3.4" => CIS_3_4,
        "3.5" => CIS_3_5,
        "3.6" => CIS_3_6,
        "3.7" => CIS_3_7,
        "3.8" => CIS_3_8,
        "3.9" => CIS_3_9,
        "3.10" => CIS_3_10,
        "3.11" => CIS_3_11,
        "3.12" => CIS_3_12,
        "3.13" => CIS_3_13,
        "3.14" => CIS_3_14,
        _ => &[],
    }
}
