//! The control catalog: one TOML file per CIS control under `checks/`, embedded at build time.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// The embedded catalog files: (path below `checks/`, contents).
const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/catalog_files.rs"));

/// The file of messages every control may use (not a control of its own).
const COMMON: &str = "common.toml";

/// Messages shared by every entry, such as `unknown-setting`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Common {
    messages: BTreeMap<String, MessageText>,
}

fn common() -> &'static BTreeMap<String, MessageText> {
    static COMMON_MESSAGES: OnceLock<Common> = OnceLock::new();
    &COMMON_MESSAGES
        .get_or_init(|| {
            FILES
                .iter()
                .find(|(path, _)| *path == COMMON)
                .and_then(|(_, text)| toml::from_str(text).ok())
                .unwrap_or_default()
        })
        .messages
}

/// Language of titles, messages and remediation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

/// How severe a violation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// What can decide a control.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecidedBy {
    Static,
    Account,
    CredentialReport,
    Manual,
}

/// Text in both languages.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub ja: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ja => &self.ja,
        }
    }
}

/// Numbers of the same control in later CIS versions (`"removed"` when gone).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Later {
    pub v1_2_0: String,
    pub v1_4_0: String,
    pub v3_0_0: String,
}

/// How to fix a violation.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remediation {
    pub en: String,
    pub ja: String,
    pub terraform: Option<String>,
    pub cloudformation: Option<String>,
}

/// A finding message, with `{name}` placeholders filled from the finding's arguments.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageText {
    pub en: String,
    pub ja: String,
    pub help_en: Option<String>,
    pub help_ja: Option<String>,
}

/// One catalog entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub cis: String,
    pub id: String,
    pub level: u8,
    pub scored: bool,
    pub severity: Severity,
    pub decided_by: Vec<DecidedBy>,
    pub terraform: Vec<String>,
    pub cloudformation: Vec<String>,
    pub title: Text,
    pub later: Later,
    pub rationale: Text,
    pub remediation: Remediation,
    pub manual: Option<Text>,
    #[serde(default)]
    pub messages: BTreeMap<String, MessageText>,
    /// Path below `checks/` (set by the loader).
    #[serde(skip)]
    pub path: String,
}

impl Entry {
    /// Whether code (in some scope) or the credential report can decide this control,
    /// so that cislint must implement it.
    pub fn is_decidable(&self) -> bool {
        self.decided_by.iter().any(|d| {
            matches!(
                d,
                DecidedBy::Static | DecidedBy::Account | DecidedBy::CredentialReport
            )
        })
    }

    /// The CIS number as a sortable pair (`1.10` after `1.9`).
    pub fn cis_key(&self) -> (u32, u32) {
        cis_key(&self.cis)
    }

    /// The message text of `key`: the entry's own, else a message every control shares.
    pub fn message_text(&self, key: &str) -> Option<&MessageText> {
        self.messages.get(key).or_else(|| common().get(key))
    }

    /// The message `key` in `lang` with `{name}` placeholders filled.
    pub fn message(&self, key: &str, args: &[(&str, String)], lang: Lang) -> String {
        match self.message_text(key) {
            Some(m) => fill(m_text(m, lang), args),
            None => format!("{} ({key})", self.title.get(lang)),
        }
    }

    /// The help line of message `key` in `lang`, if it has one.
    pub fn help(&self, key: &str, args: &[(&str, String)], lang: Lang) -> Option<String> {
        let m = self.message_text(key)?;
        let h = match lang {
            Lang::En => m.help_en.as_ref(),
            Lang::Ja => m.help_ja.as_ref().or(m.help_en.as_ref()),
        }?;
        Some(fill(h, args))
    }
}

fn m_text(m: &MessageText, lang: Lang) -> &str {
    match lang {
        Lang::En => &m.en,
        Lang::Ja => &m.ja,
    }
}

fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// `"3.10"` → `(3, 10)`.
pub fn cis_key(cis: &str) -> (u32, u32) {
    let (a, b) = cis.split_once('.').unwrap_or((cis, "0"));
    (a.parse().unwrap_or(0), b.parse().unwrap_or(0))
}

/// The catalog, sorted by CIS number. Invalid entries are a build defect caught by tests.
pub fn all() -> &'static [Entry] {
    static CATALOG: OnceLock<Vec<Entry>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut entries: Vec<Entry> = FILES
            .iter()
            .filter(|(path, _)| *path != COMMON)
            .filter_map(|(path, text)| match toml::from_str::<Entry>(text) {
                Ok(mut e) => {
                    e.path = path.to_string();
                    Some(e)
                }
                Err(err) => {
                    eprintln!("cislint: catalog entry checks/{path} is invalid: {err}");
                    None
                }
            })
            .collect();
        entries.sort_by_key(Entry::cis_key);
        entries
    })
}

/// The entry with a rule id or CIS number.
pub fn find(id_or_cis: &str) -> Option<&'static Entry> {
    all()
        .iter()
        .find(|e| e.id == id_or_cis || e.cis == id_or_cis)
}

/// Parses every embedded file, returning the errors (for tests).
pub fn validate() -> Vec<String> {
    FILES
        .iter()
        .filter_map(|(path, text)| {
            let err = if *path == COMMON {
                toml::from_str::<Common>(text).err()
            } else {
                toml::from_str::<Entry>(text).err()
            };
            err.map(|e| format!("checks/{path}: {e}"))
        })
        .collect()
}
