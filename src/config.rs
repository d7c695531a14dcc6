//! `cislint.toml`: project settings, found upward from the scanned path (or given with
//! `--config`), merged with command-line flags into the effective [`Settings`].
//!
//! Relative globs and paths in the file are relative to the file's directory. Unknown keys,
//! wrong types, unknown controls and invalid globs are errors that name their line.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use clap::ValueEnum;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::catalog::{Lang, Severity};
use crate::parse::limits::Limits;
use crate::root::ProjectRoot;

/// The file name looked for.
pub const FILE_NAME: &str = "cislint.toml";

/// The lowest severity that makes the exit status 1 (`none`: findings never fail).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, ValueEnum, Deserialize, Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    // Variants carry no doc comments: clap would turn them into a long, multi-screen `--help`.
    #[default]
    Low,
    Medium,
    High,
    None,
}

impl FailOn {
    /// Whether a finding of `severity` makes the run fail.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Low => true,
            FailOn::Medium => severity >= Severity::Medium,
            FailOn::High => severity >= Severity::High,
            FailOn::None => false,
        }
    }
}

pub use crate::scope::Scope;

/// Language names accepted in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum LangName {
    En,
    Ja,
}

/// The file as written; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileSettings {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    scope: Option<Scope>,
    fail_on: Option<FailOn>,
    strict_patterns: Option<bool>,
    exclude: Option<Vec<Spanned<String>>>,
    per_path_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    var_files: Option<Vec<PathBuf>>,
    lang: Option<LangName>,
    rules: Option<Vec<PathBuf>>,
    severity: Option<BTreeMap<Spanned<String>, Severity>>,
    limits: Option<Spanned<Limits>>,
}

/// Settings given on the command line; `None`/empty means "not given".
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    /// Replaces the file's `select` when not empty.
    pub select: Vec<String>,
    /// Replaces the file's `ignore` when not empty.
    pub ignore: Vec<String>,
    pub scope: Option<Scope>,
    pub fail_on: Option<FailOn>,
    /// `--strict-patterns`: sets `strict-patterns` when true.
    pub strict_patterns: bool,
    pub lang: Option<Lang>,
    /// Added to the file's `exclude`.
    pub exclude: Vec<String>,
}

/// The effective settings of a run.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The configuration file read, if any.
    pub file: Option<PathBuf>,
    /// The directory relative globs and paths are resolved against (absolute).
    pub base: PathBuf,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub scope: Scope,
    pub fail_on: FailOn,
    /// `strict-patterns`: a metric filter passes a 3.x control only with a pattern that
    /// matches the same events as the benchmark's, not more.
    pub strict_patterns: bool,
    pub exclude: Vec<String>,
    /// Glob → controls not reported in the files it matches.
    pub per_path_ignores: Vec<(String, Vec<String>)>,
    pub var_files: Vec<PathBuf>,
    pub lang: Option<Lang>,
    /// Guard rule files (read by the custom-rules feature).
    pub rules: Vec<PathBuf>,
    /// `[severity]`: Guard rule id → severity, overriding the rule's `# severity:` comment.
    pub severity: Vec<SeverityOverride>,
    /// `[limits]`: the time and memory budgets of the scan.
    pub limits: Limits,
    /// Warnings met while looking for the file (a `cislint.toml` symlinked out of the root).
    pub notices: Vec<crate::notice::Notice>,
}

/// One entry of the `[severity]` table.
#[derive(Clone, Debug)]
pub struct SeverityOverride {
    /// The Guard rule id, `guard:<name>`.
    pub id: String,
    pub severity: Severity,
    /// Byte range of the key in the configuration file, for errors about it.
    pub key: std::ops::Range<usize>,
}

/// The `cislint.toml` nearest above `start` (a file's directory when it is a file), looked
/// for up to the project root and no further. A file that is a symlink leading outside the
/// root is not read: `Err` names it.
pub fn find(start: &Path, root: &ProjectRoot) -> Result<Option<PathBuf>, PathBuf> {
    let mut abs = absolute(start);
    let mut top = root.absolute.clone();
    if !abs.starts_with(&top) {
        // Named through a symlink into the root (`--root`): look from where it resolves.
        abs = std::fs::canonicalize(&abs).unwrap_or(abs);
        top = root.canonical.clone();
    }
    let dir = if abs.is_file() {
        abs.parent().map(Path::to_path_buf).unwrap_or(abs)
    } else {
        abs
    };
    for d in dir.ancestors().take_while(|d| d.starts_with(&top)) {
        let p = d.join(FILE_NAME);
        if !p.is_file() {
            continue;
        }
        if !root.resolves_inside(&p) {
            return Err(p);
        }
        return Ok(Some(p));
    }
    Ok(None)
}

/// Loads the settings for a scan of `start`: `--config`, else the nearest `cislint.toml`
/// within the project root, else defaults; then applies the command-line overrides.
pub fn load(start: &Path, overrides: &Overrides, root: &ProjectRoot) -> Result<Settings, String> {
    let mut notices = Vec::new();
    let file = match &overrides.config {
        Some(p) => Some(p.clone()),
        None => find(start, root).unwrap_or_else(|link| {
            // Named as the walk names it: relative to the current directory.
            let cwd = absolute(Path::new("."));
            let shown = crate::terraform::loader::relative_dir(&cwd, &link);
            notices.push(crate::notice::symlink_outside_root(
                Path::new(&shown),
                &root.absolute,
            ));
            None
        }),
    };
    let mut settings = match &file {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            parse(path, &text)?
        }
        None => Settings {
            base: absolute(Path::new(".")),
            ..Settings::default()
        },
    };
    settings.notices = notices;
    if !overrides.select.is_empty() {
        settings.select = overrides.select.clone();
    }
    if !overrides.ignore.is_empty() {
        settings.ignore = overrides.ignore.clone();
    }
    if let Some(s) = overrides.scope {
        settings.scope = s;
    }
    if let Some(f) = overrides.fail_on {
        settings.fail_on = f;
    }
    settings.strict_patterns |= overrides.strict_patterns;
    if overrides.lang.is_some() {
        settings.lang = overrides.lang;
    }
    settings.exclude.extend(overrides.exclude.iter().cloned());
    Ok(settings)
}

/// Parses the text of a configuration file at `path`.
pub fn parse(path: &Path, text: &str) -> Result<Settings, String> {
    let at = |span: Option<std::ops::Range<usize>>| -> String {
        let (line, col) = span.map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        format!("{}:{line}:{col}", path.display())
    };
    let raw: FileSettings =
        toml::from_str(text).map_err(|e| format!("{}: {}", at(e.span()), e.message().trim()))?;
    let controls = |list: Option<Vec<Spanned<String>>>| -> Result<Vec<String>, String> {
        list.unwrap_or_default()
            .into_iter()
            .map(|s| {
                if crate::selection::is_known(s.get_ref()) {
                    Ok(s.into_inner())
                } else {
                    Err(format!(
                        "{}: unknown control `{}` (try `cislint rules`)",
                        at(Some(s.span())),
                        s.get_ref()
                    ))
                }
            })
            .collect()
    };
    let globs = |list: Vec<Spanned<String>>| -> Result<Vec<String>, String> {
        list.into_iter()
            .map(|g| match glob_set(std::slice::from_ref(g.get_ref())) {
                Ok(_) => Ok(g.into_inner()),
                Err(e) => Err(format!("{}: {e}", at(Some(g.span())))),
            })
            .collect()
    };
    let mut per_path = Vec::new();
    for (glob, ids) in raw.per_path_ignores.unwrap_or_default() {
        let g = globs(vec![glob])?.remove(0);
        per_path.push((g, controls(Some(ids))?));
    }
    let base = absolute(path.parent().unwrap_or(Path::new(".")));
    Ok(Settings {
        file: Some(path.to_path_buf()),
        base,
        select: controls(raw.select)?,
        ignore: controls(raw.ignore)?,
        scope: raw.scope.unwrap_or_default(),
        fail_on: raw.fail_on.unwrap_or_default(),
        strict_patterns: raw.strict_patterns.unwrap_or_default(),
        exclude: globs(raw.exclude.unwrap_or_default())?,
        per_path_ignores: per_path,
        var_files: raw.var_files.unwrap_or_default(),
        lang: raw.lang.map(|l| match l {
            LangName::En => Lang::En,
            LangName::Ja => Lang::Ja,
        }),
        rules: raw.rules.unwrap_or_default(),
        severity: guard_severities(raw.severity.unwrap_or_default(), &at)?,
        limits: match raw.limits {
            Some(l) => positive_limits(l, &at)?,
            None => Limits::default(),
        },
        notices: Vec::new(),
    })
}

/// The `[limits]` table, each limit at least 1 (a zero budget would silently skip all work).
fn positive_limits(
    limits: Spanned<Limits>,
    at: &dyn Fn(Option<std::ops::Range<usize>>) -> String,
) -> Result<Limits, String> {
    let span = limits.span();
    let l = limits.into_inner();
    let values = [
        ("file-size", l.file_size as i128),
        ("yaml-alias-nodes", l.yaml_alias_nodes as i128),
        ("yaml-nodes", l.yaml_nodes as i128),
        ("instances", l.instances as i128),
        ("module-depth", l.module_depth as i128),
        ("module-instances", l.module_instances as i128),
        ("eval-steps", l.eval_steps as i128),
        ("value-size", l.value_size as i128),
        ("value-bytes", l.value_bytes as i128),
    ];
    match values.iter().find(|(_, v)| *v < 1) {
        Some((name, _)) => Err(format!(
            "{}: limit `{name}` must be at least 1",
            at(Some(span))
        )),
        None => Ok(l),
    }
}

/// The `[severity]` table: only Guard rules take a severity from configuration, because a
/// built-in control's severity is part of the catalog that reviewers rely on.
fn guard_severities(
    table: BTreeMap<Spanned<String>, Severity>,
    at: &dyn Fn(Option<std::ops::Range<usize>>) -> String,
) -> Result<Vec<SeverityOverride>, String> {
    table
        .into_iter()
        .map(|(id, severity)| {
            if crate::selection::is_guard(id.get_ref()) {
                Ok(SeverityOverride {
                    key: id.span(),
                    id: id.into_inner(),
                    severity,
                })
            } else {
                Err(format!(
                    "{}: `{}` is not a Guard rule id (`guard:<name>`); built-in controls keep \
                     the catalog's severity",
                    at(Some(id.span())),
                    id.get_ref()
                ))
            }
        })
        .collect()
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

/// What `cislint config` prints: the effective settings as TOML that `--config` accepts.
pub fn render(settings: &Settings) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "kebab-case")]
    struct Out<'a> {
        select: &'a [String],
        ignore: &'a [String],
        scope: &'a str,
        fail_on: FailOn,
        strict_patterns: bool,
        lang: &'a str,
        exclude: &'a [String],
        var_files: &'a [PathBuf],
        rules: &'a [PathBuf],
        severity: BTreeMap<&'a str, &'a str>,
        per_path_ignores: BTreeMap<&'a str, &'a [String]>,
        limits: Limits,
    }
    let out = Out {
        select: &settings.select,
        ignore: &settings.ignore,
        scope: settings.scope.as_str(),
        fail_on: settings.fail_on,
        strict_patterns: settings.strict_patterns,
        lang: match settings.lang {
            Some(Lang::Ja) => "ja",
            Some(Lang::En) => "en",
            None => "auto",
        },
        exclude: &settings.exclude,
        var_files: &settings.var_files,
        rules: &settings.rules,
        severity: settings
            .severity
            .iter()
            .map(|o| (o.id.as_str(), o.severity.as_str()))
            .collect(),
        per_path_ignores: settings
            .per_path_ignores
            .iter()
            .map(|(g, ids)| (g.as_str(), ids.as_slice()))
            .collect(),
        limits: settings.limits,
    };
    let source = match &settings.file {
        Some(f) => format!(
            "# from {}, with command-line flags applied\n",
            crate::render::escape::path(f)
        ),
        None => "# no cislint.toml found: defaults, with command-line flags applied\n".into(),
    };
    let body = toml::to_string(&out).unwrap_or_default();
    // `lang = "auto"` is not valid in a file: leave the key out so the output can be reused.
    let body: String = body
        .lines()
        .filter(|l| *l != "lang = \"auto\"")
        .map(|l| format!("{l}\n"))
        .collect();
    format!("{source}{body}")
}

/// Compiles gitignore-like globs: `*` stays within a directory, `**` crosses directories,
/// a pattern without `/` matches at any depth, and a directory's pattern covers its contents.
pub fn glob_set(patterns: &[String]) -> Result<GlobSet, String> {
    Ok(indexed_glob_set(patterns)?.0)
}

/// [`glob_set`], with the pattern each glob of the set comes from.
fn indexed_glob_set(patterns: &[String]) -> Result<(GlobSet, Vec<usize>), String> {
    let mut b = GlobSetBuilder::new();
    let mut owners = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        let p = p.trim_end_matches('/');
        let p = p.strip_prefix("./").unwrap_or(p);
        let mut variants = vec![p.to_string(), format!("{p}/**")];
        if !p.contains('/') {
            variants.push(format!("**/{p}"));
            variants.push(format!("**/{p}/**"));
        }
        for v in variants {
            let g = GlobBuilder::new(&v)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("invalid glob `{p}`: {e}"))?;
            b.add(g);
            owners.push(i);
        }
    }
    Ok((b.build().map_err(|e| e.to_string())?, owners))
}

/// Which files and findings the settings leave out, compiled once.
pub struct PathRules {
    base: PathBuf,
    exclude: GlobSet,
    /// The `exclude` patterns, and for each glob of the set the pattern it comes from.
    exclude_patterns: Vec<String>,
    exclude_owner: Vec<usize>,
    per_path: Vec<(GlobSet, Vec<String>)>,
}

impl PathRules {
    /// Compiles the globs of `settings` (they were validated when loaded).
    pub fn new(settings: &Settings) -> Result<PathRules, String> {
        let mut per_path = Vec::new();
        for (g, ids) in &settings.per_path_ignores {
            per_path.push((glob_set(std::slice::from_ref(g))?, ids.clone()));
        }
        let (exclude, exclude_owner) = indexed_glob_set(&settings.exclude)?;
        Ok(PathRules {
            base: settings.base.clone(),
            exclude,
            exclude_patterns: settings.exclude.clone(),
            exclude_owner,
            per_path,
        })
    }

    /// `path` relative to the settings' directory (as given when it lies outside).
    fn relative(&self, path: &Path) -> PathBuf {
        let abs = absolute(path);
        match abs.strip_prefix(&self.base) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => path.to_path_buf(),
        }
    }

    /// Whether `path` is excluded from the scan.
    pub fn excluded(&self, path: &Path) -> bool {
        self.exclusion(path).is_some()
    }

    /// The first `exclude` pattern that leaves `path` out of the scan, if any.
    pub fn exclusion(&self, path: &Path) -> Option<&str> {
        if self.exclude.is_empty() {
            return None;
        }
        let first = self
            .exclude
            .matches(self.relative(path))
            .into_iter()
            .min()?;
        let owner = *self.exclude_owner.get(first)?;
        self.exclude_patterns.get(owner).map(String::as_str)
    }

    /// Whether findings of control `rule` in `path` are ignored by `per-path-ignores`.
    pub fn ignored(&self, path: &Path, rule: &str) -> bool {
        if self.per_path.is_empty() {
            return false;
        }
        let rel = self.relative(path);
        self.per_path
            .iter()
            .any(|(set, ids)| set.is_match(&rel) && crate::selection::selected(rule, ids, &[]))
    }
}

/// `path` made absolute against the current directory, with `.` and `..` resolved lexically
/// (symlinks are not followed: the same path text always gives the same answer).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Settings, String> {
        parse(Path::new("/repo/cislint.toml"), text)
    }

    #[test]
    fn every_key_is_read() {
        let s = parse_str(
            "select = [\"2\", \"4.1\"]\nignore = [\"kms-key-rotation\"]\nscope = \"account\"\n\
             fail-on = \"high\"\nexclude = [\"legacy/**\"]\nvar-files = [\"prod.tfvars\"]\n\
             lang = \"ja\"\nrules = [\"guard/s3.guard\"]\n\n[per-path-ignores]\n\"sandbox/**\" = [\"4.1\"]\n",
        )
        .unwrap();
        assert_eq!(s.select, vec!["2", "4.1"]);
        assert_eq!(s.ignore, vec!["kms-key-rotation"]);
        assert_eq!(s.scope, Scope::Account);
        assert_eq!(s.fail_on, FailOn::High);
        assert_eq!(s.exclude, vec!["legacy/**"]);
        assert_eq!(s.var_files, vec![PathBuf::from("prod.tfvars")]);
        assert_eq!(s.lang, Some(Lang::Ja));
        assert_eq!(s.rules, vec![PathBuf::from("guard/s3.guard")]);
        assert_eq!(
            s.per_path_ignores,
            vec![("sandbox/**".to_string(), vec!["4.1".to_string()])]
        );
        assert_eq!(s.base, PathBuf::from("/repo"));
    }

    #[test]
    fn unknown_keys_are_errors_with_their_line() {
        let e = parse_str("select = [\"2\"]\n\nfail_on = \"high\"\n").unwrap_err();
        assert!(
            e.starts_with("/repo/cislint.toml:3:1: unknown field `fail_on`"),
            "{e}"
        );
        let e = parse_str("[per-path-ignores]\n\"a/**\" = [\"4.1\"]\n[extra]\n").unwrap_err();
        assert!(
            e.starts_with("/repo/cislint.toml:3:2: unknown field `extra`"),
            "{e}"
        );
    }

    #[test]
    fn wrong_values_are_errors_with_their_line() {
        let e = parse_str("fail-on = \"critical\"\n").unwrap_err();
        assert!(e.starts_with("/repo/cislint.toml:1:11:"), "{e}");
        let e = parse_str("select = [\n  \"2.1\",\n  \"9.9\",\n]\n").unwrap_err();
        assert_eq!(
            e,
            "/repo/cislint.toml:3:3: unknown control `9.9` (try `cislint rules`)"
        );
        let e = parse_str("exclude = [\"a/[b\"]\n").unwrap_err();
        assert!(
            e.starts_with("/repo/cislint.toml:1:12: invalid glob `a/[b`"),
            "{e}"
        );
        let e = parse_str("scope = \"everything\"\n").unwrap_err();
        assert!(e.starts_with("/repo/cislint.toml:1:9:"), "{e}");
    }

    #[test]
    fn command_line_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            "select = [\"2\"]\nignore = [\"2.7\"]\nfail-on = \"high\"\nexclude = [\"a\"]\n",
        )
        .unwrap();
        let sub = dir.path().join("infra/prod");
        std::fs::create_dir_all(&sub).unwrap();
        let root = ProjectRoot::at(dir.path());
        let from_file = load(&sub, &Overrides::default(), &root).unwrap();
        assert_eq!(from_file.file, Some(dir.path().join(FILE_NAME)));
        assert_eq!(from_file.select, vec!["2"]);
        assert_eq!(from_file.fail_on, FailOn::High);
        let o = Overrides {
            select: vec!["4.1".into()],
            fail_on: Some(FailOn::Low),
            exclude: vec!["b".into()],
            ..Overrides::default()
        };
        let s = load(&sub, &o, &root).unwrap();
        assert_eq!(s.select, vec!["4.1"]);
        assert_eq!(s.ignore, vec!["2.7"], "not given on the command line: kept");
        assert_eq!(s.fail_on, FailOn::Low);
        assert_eq!(s.exclude, vec!["a", "b"]);
    }

    #[test]
    fn globs_are_relative_to_the_file_and_gitignore_like() {
        let settings = Settings {
            base: PathBuf::from("/repo"),
            exclude: vec!["legacy".into(), "envs/*/scratch.tf".into()],
            per_path_ignores: vec![("sandbox/**".into(), vec!["4".into()])],
            ..Settings::default()
        };
        let r = PathRules::new(&settings).unwrap();
        assert!(r.excluded(Path::new("/repo/legacy/main.tf")));
        assert!(r.excluded(Path::new("/repo/a/legacy/main.tf")));
        assert!(r.excluded(Path::new("/repo/envs/dev/scratch.tf")));
        assert!(!r.excluded(Path::new("/repo/envs/dev/sub/scratch.tf")));
        assert!(!r.excluded(Path::new("/repo/main.tf")));
        assert!(r.ignored(Path::new("/repo/sandbox/x/main.tf"), "ec2-sg-ingress-ssh"));
        assert!(!r.ignored(Path::new("/repo/sandbox/main.tf"), "kms-key-rotation"));
        assert!(!r.ignored(Path::new("/repo/prod/main.tf"), "ec2-sg-ingress-ssh"));
    }

    #[test]
    fn rendered_settings_parse_back() {
        let s = parse_str(
            "select = [\"2\"]\nfail-on = \"medium\"\n[per-path-ignores]\n\"x/**\" = [\"4.1\"]\n",
        )
        .unwrap();
        let text = render(&s);
        let back = parse_str(&text).unwrap();
        assert_eq!(back.select, s.select);
        assert_eq!(back.fail_on, FailOn::Medium);
        assert_eq!(back.per_path_ignores, s.per_path_ignores);
    }

    #[test]
    fn fail_on_thresholds() {
        assert!(FailOn::Low.fails(Severity::Low));
        assert!(!FailOn::Medium.fails(Severity::Low));
        assert!(FailOn::Medium.fails(Severity::High));
        assert!(!FailOn::High.fails(Severity::Medium));
        assert!(!FailOn::None.fails(Severity::High));
    }
}
