//! Baselines: `--write-baseline FILE` records the current findings, `--baseline FILE` reports
//! only findings that are not recorded, and lists recorded entries that match nothing.
//!
//! A finding is recorded by a fingerprint of its rule, message kind, unit (module directory or
//! template, relative to the baseline file), resource address and attribute path — no line
//! numbers, so it survives line moves and reformatting.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::absolute;
use crate::engine::Outcome;
use crate::finding::Finding;
use crate::notice::Notice;
use crate::source::SourceMap;

/// Version of the file format.
const VERSION: u32 = 1;

/// One recorded finding; everything but `fingerprint` is there for people reading the file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub cis: String,
    pub unit: String,
    pub resource: String,
    pub path: String,
}

/// The baseline file.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// 64-bit FNV-1a: stable across platforms and Rust releases, unlike `DefaultHasher`.
fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The finding's unit (its module directory or template; its file when it has no resource),
/// relative to `base` with `/` separators when it lies below it.
pub fn unit_of(f: &Finding, sources: &SourceMap, base: &Path) -> String {
    let unit = if f.unit.is_empty() {
        sources.get(f.span.file).path.clone()
    } else {
        PathBuf::from(&f.unit)
    };
    let abs = absolute(&unit);
    let rel = abs.strip_prefix(base).map(Path::to_path_buf).unwrap_or(abs);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// The fingerprint of a finding, with paths relative to `base` (an absolute directory).
pub fn fingerprint(f: &Finding, sources: &SourceMap, base: &Path) -> String {
    let unit = unit_of(f, sources, base);
    let key = [
        "v1",
        f.rule(),
        f.key,
        unit.as_str(),
        f.resource.as_str(),
        f.path.as_str(),
    ]
    .join("\0");
    format!("{:016x}", fnv1a(key.as_bytes()))
}

/// The directory a baseline file's paths are relative to.
pub fn base_dir(file: &Path) -> PathBuf {
    absolute(file.parent().unwrap_or(Path::new(".")))
}

/// The baseline of `findings`, sorted, for writing to `file`.
pub fn record(findings: &[Finding], sources: &SourceMap, file: &Path) -> Baseline {
    let base = base_dir(file);
    let mut entries: Vec<Entry> = findings
        .iter()
        .map(|f| Entry {
            fingerprint: fingerprint(f, sources, &base),
            rule: f.rule().to_string(),
            cis: f.cis().to_string(),
            unit: unit_of(f, sources, &base),
            resource: f.resource.clone(),
            path: f.path.clone(),
        })
        .collect();
    entries.sort();
    Baseline {
        version: VERSION,
        findings: entries,
    }
}

/// Writes the baseline of `findings` to `file`.
pub fn write(findings: &[Finding], sources: &SourceMap, file: &Path) -> Result<(), String> {
    let b = record(findings, sources, file);
    let mut text = serde_json::to_string_pretty(&b).map_err(|e| e.to_string())?;
    text.push('\n');
    std::fs::write(file, text).map_err(|e| format!("{}: {e}", file.display()))
}

/// Reads a baseline file.
pub fn load(file: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let b: Baseline = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not a cislint baseline: {e}",
            file.display(),
            e.line(),
            e.column()
        )
    })?;
    if b.version != VERSION {
        return Err(format!(
            "{}: baseline version {} is not supported (expected {VERSION})",
            file.display(),
            b.version
        ));
    }
    Ok(b)
}

/// Removes the findings the baseline records (each entry absorbs one finding), counts them
/// in `outcome.baselined`, and adds a notice for each entry that matched nothing and whose
/// unit `in_scope` accepts (a scan of other files cannot tell whether an entry is stale).
pub fn apply(
    outcome: &mut Outcome,
    baseline: &Baseline,
    sources: &SourceMap,
    file: &Path,
    in_scope: &dyn Fn(&str) -> bool,
) {
    let base = base_dir(file);
    let mut remaining: HashMap<&str, usize> = HashMap::new();
    for e in &baseline.findings {
        *remaining.entry(e.fingerprint.as_str()).or_default() += 1;
    }
    let before = outcome.findings.len();
    outcome.findings.retain(|f| {
        let fp = fingerprint(f, sources, &base);
        match remaining.get_mut(fp.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        }
    });
    outcome.baselined += before - outcome.findings.len();
    for e in baseline.findings.iter().filter(|e| in_scope(&e.unit)) {
        // Equal fingerprints are equal entries: which of them count as unmatched is moot.
        match remaining.get_mut(e.fingerprint.as_str()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => continue,
        }
        let at = if e.path.is_empty() {
            String::new()
        } else {
            format!(" at `{}`", e.path)
        };
        outcome.notices.push(Notice {
            code: "stale-baseline-entry",
            span: None,
            file: Some(file.to_path_buf()),
            en: format!(
                "baseline entry {} `{}` on `{}`{at} in {} matches no finding any more; rewrite the baseline with --write-baseline",
                e.cis, e.rule, e.resource, e.unit
            ),
            ja: format!(
                "ベースラインの項目 {} `{}`（{} の `{}`{at}）に該当する違反はもうありません。--write-baseline で作り直してください",
                e.cis, e.rule, e.unit, e.resource
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_the_published_function() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
