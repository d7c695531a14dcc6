//! `--select`/`--ignore`: rule ids, CIS numbers (`4.1`) or whole sections (`3`).

use crate::catalog;

/// Prefix of the ids of Guard rules (`guard:s3_tagged`); `guard` alone selects them all.
pub const GUARD: &str = "guard";

/// Whether `pattern` names a control or section of the catalog, or Guard rules (which
/// rules exist is known only once the rules files are read).
pub fn is_known(pattern: &str) -> bool {
    pattern == GUARD || is_guard(pattern) || catalog::all().iter().any(|e| matches(e, pattern))
}

/// Whether `id` is a Guard rule's id.
pub fn is_guard(id: &str) -> bool {
    id.strip_prefix(GUARD)
        .and_then(|r| r.strip_prefix(':'))
        .is_some_and(|name| !name.is_empty())
}

fn matches(e: &catalog::Entry, pattern: &str) -> bool {
    e.id == pattern || e.cis == pattern || e.cis.split('.').next() == Some(pattern)
}

/// Whether the control `id` runs under the given selections.
pub fn selected(id: &str, select: &[String], ignore: &[String]) -> bool {
    if is_guard(id) {
        let m = |p: &String| p == id || p == GUARD;
        return (select.is_empty() || select.iter().any(m)) && !ignore.iter().any(m);
    }
    let Some(e) = catalog::find(id) else {
        return false;
    };
    (select.is_empty() || select.iter().any(|p| matches(e, p)))
        && !ignore.iter().any(|p| matches(e, p))
}
