//! `--select`/`--ignore`: rule ids, CIS numbers (`4.1`) or whole sections (`3`).

use crate::catalog;

/// Whether `pattern` names a control or section of the catalog.
pub fn is_known(pattern: &str) -> bool {
    catalog::all().iter().any(|e| matches(e, pattern))
}

fn matches(e: &catalog::Entry, pattern: &str) -> bool {
    e.id == pattern || e.cis == pattern || e.cis.split('.').next() == Some(pattern)
}

/// Whether the control `id` runs under the given selections.
pub fn selected(id: &str, select: &[String], ignore: &[String]) -> bool {
    let Some(e) = catalog::find(id) else {
        return false;
    };
    (select.is_empty() || select.iter().any(|p| matches(e, p)))
        && !ignore.iter().any(|p| matches(e, p))
}
