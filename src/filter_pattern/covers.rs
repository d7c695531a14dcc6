//! The "candidate matches at least every event required matches" decision.
//!
//! Both patterns are brought into disjunctive normal form (an OR of terms,
//! each term an AND of atoms). `candidate` covers `required` when every
//! satisfiable term `T` of `required` implies `candidate`, and `T` is taken
//! to imply `candidate` when some term `C` of `candidate` has each of its
//! atoms implied by a single atom of `T` (same selector, see
//! [`atom_implies`]). This is a *sufficient* condition: whenever it answers
//! "covers", every event matched by `required` is matched by `candidate`. It
//! can answer "does not cover" for patterns that do cover when only a
//! combination of several candidate terms (or of several atoms of one required
//! term) proves it, e.g. `x = a || x != a` against `x = *`, or where the
//! CloudWatch semantics are unclear (a quoted `"5"` against an unquoted `5`).
//! For OR-lists of conditions, their restrictions and wildcard widenings (all
//! CIS 3.x patterns and their usual rewrites) it is exact.

use super::ast::{Atom, Expr, Num, Test, Value};

/// Maximum number of DNF terms per pattern.
pub(crate) const MAX_TERMS: usize = 4096;
/// Maximum number of (required term, candidate term) pairs examined.
const MAX_PAIRS: usize = 1 << 22;

/// A conjunction of atoms (sorted, deduplicated).
pub(crate) type Term = Vec<Atom>;

pub(crate) fn too_complex() -> Vec<String> {
    vec![format!(
        "pattern too complex to compare (more than {MAX_TERMS} alternatives once expanded)"
    )]
}

/// Disjunctive normal form, or `None` past [`MAX_TERMS`] terms.
pub(crate) fn dnf(e: &Expr) -> Option<Vec<Term>> {
    let mut terms = match e {
        Expr::True => vec![Vec::new()],
        Expr::Atom(a) => vec![vec![a.clone()]],
        Expr::Or(children) => {
            let mut out = Vec::new();
            for c in children {
                out.extend(dnf(c)?);
                if out.len() > MAX_TERMS {
                    return None;
                }
            }
            out
        }
        Expr::And(children) => {
            let mut acc: Vec<Term> = vec![Vec::new()];
            for c in children {
                let d = dnf(c)?;
                if acc.len().checked_mul(d.len())? > MAX_TERMS {
                    return None;
                }
                let mut next = Vec::with_capacity(acc.len() * d.len());
                for a in &acc {
                    for b in &d {
                        let mut t = a.clone();
                        t.extend(b.iter().cloned());
                        next.push(t);
                    }
                }
                acc = next;
            }
            acc
        }
    };
    for t in &mut terms {
        t.sort();
        t.dedup();
    }
    terms.sort();
    terms.dedup();
    Some(terms)
}

/// `*`-wildcard match of `pat` against the literal `s`.
pub(crate) fn glob_match(pat: &str, s: &str) -> bool {
    if !pat.contains('*') {
        return pat == s;
    }
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<Option<char>> = s.chars().map(Some).collect();
    glob_tokens(&p, &t)
}

/// Sufficient check that every string matched by glob `q` is matched by glob
/// `p`: `q`'s stars are treated as opaque tokens that only a star of `p` may
/// absorb.
pub(crate) fn glob_covers(p: &str, q: &str) -> bool {
    // Without a star, `p` matches only itself (and no star of `q`).
    if !p.contains('*') {
        return p == q;
    }
    let p: Vec<char> = p.chars().collect();
    let t: Vec<Option<char>> = q.chars().map(|c| (c != '*').then_some(c)).collect();
    glob_tokens(&p, &t)
}

/// Matches pattern chars against tokens (`None` = an opaque star token).
fn glob_tokens(p: &[char], t: &[Option<char>]) -> bool {
    // reach[j]: p[..i] can match t[..j].
    let mut reach = vec![false; t.len() + 1];
    reach[0] = true;
    for &pc in p {
        if pc == '*' {
            for j in 1..=t.len() {
                reach[j] = reach[j] || reach[j - 1];
            }
        } else {
            for j in (1..=t.len()).rev() {
                reach[j] = reach[j - 1] && t[j - 1] == Some(pc);
            }
            reach[0] = false;
        }
    }
    reach[t.len()]
}

fn has_wildcard(s: &str) -> bool {
    s.contains('*')
}

/// One end of a numeric interval: (value, inclusive); `None` = unbounded.
type Bound = Option<(Num, bool)>;

/// The numeric interval (lower, upper) an atom restricts its field to; `None`
/// when the atom is not a numeric test.
fn bounds(t: &Test) -> Option<(Bound, Bound)> {
    match t {
        Test::Eq(Value::Num(n)) => Some((Some((*n, true)), Some((*n, true)))),
        Test::Lt(n) => Some((None, Some((*n, false)))),
        Test::Le(n) => Some((None, Some((*n, true)))),
        Test::Gt(n) => Some((Some((*n, false)), None)),
        Test::Ge(n) => Some((Some((*n, true)), None)),
        _ => None,
    }
}

/// Lower bound `a` is at least as tight as lower bound `b`.
fn lower_within(a: Bound, b: Bound) -> bool {
    match (a, b) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some((av, ai)), Some((bv, bi))) => av > bv || (av == bv && (bi || !ai)),
    }
}

/// Upper bound `a` is at least as tight as upper bound `b`.
fn upper_within(a: Bound, b: Bound) -> bool {
    match (a, b) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some((av, ai)), Some((bv, bi))) => av < bv || (av == bv && (bi || !ai)),
    }
}

/// Whether the numeric set of bounds `(lo, hi)` excludes `n`.
fn excludes(lo: Bound, hi: Bound, n: Num) -> bool {
    let below = lo.is_some_and(|(v, inc)| n < v || (n == v && !inc));
    let above = hi.is_some_and(|(v, inc)| n > v || (n == v && !inc));
    below || above
}

/// Does atom `t` (of a required term) imply atom `c` (of a candidate term)?
/// Every event matched by `t` is matched by `c`. Both must use the same
/// selector.
///
/// Rules: identical atoms; `c: x = p` by `t: x = q` when wildcard `p` covers
/// `q`; `c: x != p` by `t: x = w` (literal `w` not matched by `p`) or by
/// `t: x != q` when `q` covers `p`; numeric tests by interval containment
/// (an unquoted number in `=` / `!=` is a numeric comparison); `IS TRUE` /
/// `IS FALSE` by `= true` / `= false`; `NOT EXISTS` / `IS NULL` only by
/// themselves.
pub(crate) fn atom_implies(t: &Atom, c: &Atom) -> bool {
    if t.sel != c.sel {
        return false;
    }
    if t.test == c.test {
        return true;
    }
    match (&t.test, &c.test) {
        (Test::Eq(Value::Str(q)), Test::Eq(Value::Str(p))) => glob_covers(p, q),
        (Test::Eq(Value::Str(w)), Test::Ne(Value::Str(p))) => !has_wildcard(w) && !glob_match(p, w),
        (Test::Ne(Value::Str(q)), Test::Ne(Value::Str(p))) => glob_covers(q, p),
        (Test::Eq(Value::Bool(a)), Test::Ne(Value::Bool(b))) => a != b,
        (Test::Eq(Value::Bool(true)), Test::IsTrue) => true,
        (Test::Eq(Value::Bool(false)), Test::IsFalse) => true,
        (tt, Test::Ne(Value::Num(n))) => match bounds(tt) {
            Some((lo, hi)) => excludes(lo, hi, *n),
            None => false,
        },
        (tt, ct) => match (bounds(tt), bounds(ct)) {
            (Some((tlo, thi)), Some((clo, chi))) => {
                lower_within(tlo, clo) && upper_within(thi, chi)
            }
            _ => false,
        },
    }
}

/// Tests that can only hold when the field is present.
fn needs_presence(t: &Test) -> bool {
    !matches!(t, Test::Ne(_) | Test::NotExists | Test::IsNull)
}

/// True when two atoms can never hold together (a sufficient check).
fn conflict(a: &Atom, b: &Atom) -> bool {
    if a.sel != b.sel {
        // `$.a NOT EXISTS` and a presence-requiring test under `$.a`.
        return (a.test == Test::NotExists
            && b.sel.has_strict_prefix(&a.sel)
            && needs_presence(&b.test))
            || (b.test == Test::NotExists
                && a.sel.has_strict_prefix(&b.sel)
                && needs_presence(&a.test));
    }
    let one_way = |x: &Test, y: &Test| -> bool {
        match (x, y) {
            (Test::NotExists, y) => needs_presence(y),
            (Test::Eq(Value::Str(p)), Test::Eq(Value::Str(q))) => {
                (!has_wildcard(q) && !glob_match(p, q)) || (!has_wildcard(p) && !glob_match(q, p))
            }
            (Test::Eq(Value::Str(w)), Test::Ne(Value::Str(p))) => {
                !has_wildcard(w) && glob_match(p, w)
            }
            (Test::Eq(Value::Bool(a)), Test::Eq(Value::Bool(b))) => a != b,
            (Test::Eq(Value::Bool(a)), Test::Ne(Value::Bool(b))) => a == b,
            (Test::Eq(Value::Bool(true)), Test::IsFalse | Test::IsNull) => true,
            (Test::Eq(Value::Bool(false)), Test::IsTrue | Test::IsNull) => true,
            (Test::IsTrue, Test::IsFalse | Test::IsNull) => true,
            (Test::IsFalse, Test::IsNull) => true,
            (x, Test::Ne(Value::Num(n))) => matches!(x, Test::Eq(Value::Num(m)) if m == n),
            (x, y) => match (bounds(x), bounds(y)) {
                (Some((alo, ahi)), Some((blo, bhi))) => {
                    // Empty intersection of the two intervals.
                    let lo = if lower_within(alo, blo) { alo } else { blo };
                    let hi = if upper_within(ahi, bhi) { ahi } else { bhi };
                    match (lo, hi) {
                        (Some((l, li)), Some((h, hi))) => l > h || (l == h && !(li && hi)),
                        _ => false,
                    }
                }
                _ => false,
            },
        }
    };
    one_way(&a.test, &b.test) || one_way(&b.test, &a.test)
}

/// A term that no event can satisfy (sufficient check).
pub(crate) fn unsatisfiable(t: &Term) -> bool {
    t.iter()
        .enumerate()
        .any(|(i, a)| t[i + 1..].iter().any(|b| conflict(a, b)))
}

/// Every atom of candidate term `c` is implied by some atom of required term `t`.
fn term_implies(t: &Term, c: &Term) -> bool {
    c.iter().all(|ca| t.iter().any(|ta| atom_implies(ta, ca)))
}

/// Atoms of `c` not implied by `t`.
fn extras<'a>(t: &Term, c: &'a Term) -> Vec<&'a Atom> {
    c.iter()
        .filter(|ca| !t.iter().any(|ta| atom_implies(ta, ca)))
        .collect()
}

fn join(atoms: &[&Atom]) -> String {
    atoms
        .iter()
        .map(|a| a.render(false))
        .collect::<Vec<_>>()
        .join(" && ")
}

/// The satisfiable terms of a required pattern's DNF (`None`: too complex).
pub(crate) fn required_terms(required: &Expr) -> Option<Vec<Term>> {
    Some(
        dnf(required)?
            .into_iter()
            .filter(|t| !unsatisfiable(t))
            .collect(),
    )
}

/// The required terms no candidate term implies, or `None` when there are too many pairs
/// to examine.
fn missing_terms<'r>(cands: &[Term], reqs: &'r [Term]) -> Option<Vec<&'r Term>> {
    if cands.len().saturating_mul(reqs.len()) > MAX_PAIRS {
        return None;
    }
    Some(
        reqs.iter()
            .filter(|t| !cands.iter().any(|c| term_implies(t, c)))
            .collect(),
    )
}

/// The decision alone, on normal forms computed once (see [`super::Normal`]).
pub(crate) fn terms_cover(cands: Option<&[Term]>, reqs: Option<&[Term]>) -> bool {
    match (cands, reqs) {
        (Some(c), Some(r)) => missing_terms(c, r).is_some_and(|m| m.is_empty()),
        _ => false,
    }
}

/// The decision; see the module documentation.
pub(crate) fn covers_expr(candidate: &Expr, required: &Expr) -> Result<(), Vec<String>> {
    let (Some(cands), Some(reqs)) = (dnf(candidate), required_terms(required)) else {
        return Err(too_complex());
    };
    let Some(missing) = missing_terms(&cands, &reqs) else {
        return Err(too_complex());
    };
    if missing.is_empty() {
        return Ok(());
    }

    // Everything is missing because the candidate adds conditions on fields the
    // required terms do not mention (e.g. `&& $.awsRegion = "us-east-1"`)?
    if missing.len() == reqs.len() {
        let mut restriction: Option<Vec<&Atom>> = None;
        let uniform = missing.iter().all(|t| {
            // A candidate term that keeps part of `t` (or `t` is empty) and
            // adds only conditions on fields `t` does not mention.
            let best = cands
                .iter()
                .map(|c| (c.len(), extras(t, c)))
                .filter(|(len, ex)| {
                    !ex.is_empty()
                        && (ex.len() < *len || t.is_empty())
                        && ex.iter().all(|a| t.iter().all(|ta| ta.sel != a.sel))
                })
                .map(|(_, ex)| ex)
                .min_by_key(Vec::len);
            match (best, &restriction) {
                (None, _) => false,
                (Some(ex), None) => {
                    restriction = Some(ex);
                    true
                }
                (Some(ex), Some(prev)) => &ex == prev,
            }
        });
        if let (true, Some(atoms)) = (uniform, restriction) {
            return Err(vec![format!(
                "all required events (candidate additionally requires {})",
                join(&atoms)
            )]);
        }
    }

    // Otherwise, name each missing term by the atoms that set it apart from
    // the other required terms.
    let common: Vec<&Atom> = match reqs.split_first() {
        Some((first, rest)) => first
            .iter()
            .filter(|a| rest.iter().all(|t| t.contains(a)))
            .collect(),
        None => Vec::new(),
    };
    let mut out: Vec<String> = Vec::new();
    for t in missing {
        let distinct: Vec<&Atom> = t.iter().filter(|a| !common.contains(a)).collect();
        let msg = if distinct.is_empty() {
            join(&t.iter().collect::<Vec<_>>())
        } else {
            join(&distinct)
        };
        if !out.contains(&msg) {
            out.push(msg);
        }
    }
    Err(out)
}

/// What `candidate` matches beyond `bound` (see [`super::excess`]): the candidate terms
/// outside every term of `bound`, and what the terms of `required` that fall inside them
/// ask for besides (their atoms no atom of the candidate term implies), keeping only atoms
/// `shown` holds. `None` when every satisfiable candidate term lies within a bound term.
pub(crate) fn excess(
    cands: &[Term],
    bound: &[Term],
    reqs: &[Term],
    shown: &[Atom],
) -> Option<(Vec<String>, String)> {
    let outside: Vec<&Term> = cands
        .iter()
        .filter(|c| !unsatisfiable(c) && !bound.iter().any(|b| term_implies(c, b)))
        .collect();
    if outside.is_empty() {
        return None;
    }
    let mut lacking: Vec<Vec<&Atom>> = Vec::new();
    for c in &outside {
        for r in reqs.iter().filter(|r| term_implies(r, c)) {
            let left: Vec<&Atom> = r
                .iter()
                .filter(|a| shown.contains(a) && !c.iter().any(|ca| atom_implies(ca, a)))
                .collect();
            if !left.is_empty() && !lacking.contains(&left) {
                lacking.push(left);
            }
        }
    }
    let terms = outside
        .iter()
        .map(|t| join(&t.iter().collect::<Vec<_>>()))
        .collect();
    Some((terms, render_alternatives(&lacking)))
}

/// Renders an OR of conjunctions compactly: the atoms every conjunction shares, and the
/// varying ones as `field = a | b | c` when each conjunction varies in one `=` on the same
/// field (the event names of a CIS pattern); otherwise each conjunction, joined by ` || `.
fn render_alternatives(alts: &[Vec<&Atom>]) -> String {
    let Some(first) = alts.first() else {
        return String::new();
    };
    let common: Vec<&Atom> = first
        .iter()
        .filter(|a| alts.iter().all(|alt| alt.contains(a)))
        .copied()
        .collect();
    let varying: Vec<&Atom> = alts
        .iter()
        .flat_map(|alt| alt.iter().filter(|a| !common.contains(a)).copied())
        .collect();
    let Some(field) = varying.first().map(|a| &a.sel) else {
        return join(&common);
    };
    let one_field = alts.iter().all(|alt| alt.len() == common.len() + 1)
        && varying
            .iter()
            .all(|a| a.sel == *field && matches!(a.test, Test::Eq(_)));
    if !one_field {
        return alts
            .iter()
            .map(|alt| join(alt))
            .collect::<Vec<_>>()
            .join(" || ");
    }
    let values: Vec<String> = varying
        .iter()
        .filter_map(|a| match &a.test {
            Test::Eq(v) => Some(v.to_string()),
            _ => None,
        })
        .collect();
    let mut parts: Vec<String> = common.iter().map(|a| a.render(false)).collect();
    parts.push(format!("{field} = {}", values.join(" | ")));
    parts.sort();
    parts.join(" && ")
}
