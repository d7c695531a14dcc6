//! The command-line program: settings, scan, suppressions, baseline, rendering, exit status.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::CommandFactory;

use crate::catalog::{self, Lang};
use crate::cli::{Cli, Color, Command, Format, LangArg, RulesFormat, Shell};
use crate::config::{self, Overrides, PathRules};
use crate::render::{self, Report};
use crate::root::ProjectRoot;
use crate::{baseline, engine, explain, scan, targets};

/// Exit status: nothing at or above `--fail-on`.
pub const EXIT_CLEAN: u8 = 0;
/// Exit status: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage, configuration or input error.
pub const EXIT_ERROR: u8 = 2;

/// Runs a parsed command line.
pub fn run(cli: Cli, matches: &clap::ArgMatches) -> ExitCode {
    match run_inner(cli, matches) {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            // The message may quote a path or a setting from the scanned tree.
            eprintln!("cislint: {}", render::escape::line(&msg));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn overrides(cli: &Cli) -> Overrides {
    Overrides {
        config: cli.config.clone(),
        select: cli.select.clone(),
        ignore: cli.ignore.clone(),
        scope: cli.scope,
        fail_on: cli.fail_on,
        strict_patterns: cli.strict_patterns,
        lang: cli.lang.map(|l| match l {
            LangArg::En => Lang::En,
            LangArg::Ja => Lang::Ja,
        }),
        exclude: cli.exclude.clone(),
    }
}

fn run_inner(cli: Cli, matches: &clap::ArgMatches) -> Result<u8, String> {
    for id in cli.select.iter().chain(&cli.ignore) {
        if !crate::selection::is_known(id) {
            return Err(format!(
                "unknown control `{id}` in --select/--ignore (try `cislint rules`)"
            ));
        }
    }
    match &cli.command {
        Some(Command::Rules { format }) => {
            let lang = resolve_lang(overrides(&cli).lang);
            print(&explain::rules(*format == RulesFormat::Json, lang));
            return Ok(EXIT_CLEAN);
        }
        Some(Command::Explain { control }) => {
            let lang = resolve_lang(overrides(&cli).lang);
            let e = catalog::find(control)
                .ok_or_else(|| format!("no control `{control}` (try `cislint rules`)"))?;
            print(&explain::explain(e, lang));
            return Ok(EXIT_CLEAN);
        }
        Some(Command::Config { path }) => {
            let root = ProjectRoot::find(cli.root.as_deref(), std::slice::from_ref(path))?;
            let settings = config::load(path, &overrides(&cli), &root)?;
            print(&config::render(&settings));
            return Ok(EXIT_CLEAN);
        }
        Some(Command::GuardView { paths }) => {
            let root = ProjectRoot::find(cli.root.as_deref(), paths)?;
            let (text, problems, code) = crate::guard::view::command(paths, &root);
            for p in problems {
                eprintln!("{}", render::escape::line(&p));
            }
            print(&text);
            return Ok(code);
        }
        Some(Command::Completions { shell }) => {
            let shell = match shell {
                Shell::Bash => clap_complete::Shell::Bash,
                Shell::Zsh => clap_complete::Shell::Zsh,
                Shell::Fish => clap_complete::Shell::Fish,
            };
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "cislint", &mut out);
            print(&String::from_utf8_lossy(&out));
            return Ok(EXIT_CLEAN);
        }
        None => {}
    }
    scan_command(&cli, matches)
}

/// Reads stdin for `-`, which needs `--stdin-filename`.
fn stdin_input(cli: &Cli) -> Result<Option<(PathBuf, Arc<str>)>, String> {
    let dash = cli.paths.iter().any(|p| p.as_os_str() == "-");
    match (&cli.stdin_filename, dash) {
        (None, false) => Ok(None),
        (None, true) => Err("reading stdin (`-`) needs --stdin-filename NAME".into()),
        (Some(_), false) => Err("--stdin-filename needs `-` among the paths".into()),
        (Some(name), true) => {
            let limit = crate::parse::limits::get().file_size;
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("stdin: {e}"))?;
            if bytes.len() as u64 > limit {
                return Err(format!(
                    "stdin is larger than the limit of {} (`file-size` in [limits])",
                    crate::parse::limits::bytes_text(limit)
                ));
            }
            let text =
                String::from_utf8(bytes).map_err(|_| "stdin is not UTF-8 text".to_string())?;
            Ok(Some((name.clone(), text.into())))
        }
    }
}

fn scan_command(cli: &Cli, matches: &clap::ArgMatches) -> Result<u8, String> {
    let start: PathBuf = match (&cli.stdin_filename, cli.paths.first()) {
        (Some(name), _) => name.clone(),
        (None, Some(p)) => p.clone(),
        (None, None) => PathBuf::from("."),
    };
    // Everything the scan reads lies below the project root.
    let named: Vec<PathBuf> = cli
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .chain(&cli.stdin_filename)
        .cloned()
        .collect();
    let root = ProjectRoot::find(cli.root.as_deref(), &named)?;
    if let Some(dir) = &cli.plan_source
        && !root.resolves_inside(dir)
    {
        return Err(format!(
            "--plan-source {} lies outside the project root {} (see --root)",
            dir.display(),
            root.absolute.display()
        ));
    }
    let settings = config::load(&start, &overrides(cli), &root)?;
    crate::parse::limits::set(settings.limits);
    let stdin = stdin_input(cli)?;
    let lang = resolve_lang(settings.lang);
    let rules = PathRules::new(&settings)?;
    let targets = targets::resolve(&cli.paths, stdin, &rules, &root);
    let context_only = targets.context_only;
    // Files that cislint.toml names must lie below the root too; command-line ones may not.
    let from_file = ConfinedSettings::new(&settings, &root);
    let scan_options = scan::ScanOptions {
        vars: cli_vars(cli, matches, &from_file.var_files),
        env: std::env::vars()
            .filter(|(k, _)| k.starts_with("TF_VAR_"))
            .collect(),
        plan_source: cli.plan_source.clone(),
    };
    let mut scanned = scan::scan_with(targets.inputs, &scan_options);
    scanned.path_errors.extend(from_file.errors);
    for n in settings.notices.iter().cloned().chain(from_file.notices) {
        crate::notice::push_once(&mut scanned.notices, n);
    }
    if cli.stats && cli.format == Format::Text {
        eprintln!("{}", render::text::stats_line(&scanned.stats, lang));
        for s in &scanned.skipped {
            eprintln!("skipped: {} ({})", s.path.display(), s.reason.describe());
        }
    }
    let credentials = cli
        .credential_report
        .as_ref()
        .and_then(|p| crate::load_credential_report(&mut scanned, p));
    // Guard rules: `rules = [...]` of cislint.toml (relative to it), then `--rules`.
    let rule_paths: Vec<PathBuf> = from_file
        .rules
        .into_iter()
        .chain(cli.rules.iter().cloned())
        .collect();
    let custom = crate::guard_findings(
        &mut scanned,
        &rule_paths,
        &settings.severity,
        settings.file.as_deref(),
        &|id: &str| crate::selection::selected(id, &settings.select, &settings.ignore),
    );
    let extra = engine::Extra {
        credential_report: credentials.as_ref(),
        as_of: cli.as_of.unwrap_or_else(crate::credential_report::today),
        scope: settings.scope,
        custom: &custom.findings,
        custom_rules: &custom.rule_ids,
        strict_patterns: settings.strict_patterns,
    };
    let sources = &scanned.sources;
    let reported = |span: crate::source::Span| {
        cli.all_findings || !context_only.contains(&sources.get(span.file).path)
    };
    let selected = |id: &str| crate::selection::selected(id, &settings.select, &settings.ignore);
    let keep =
        |f: &crate::finding::Finding| !rules.ignored(&sources.get(f.span.file).path, f.rule());
    let mut outcome = engine::run_keeping(&scanned.graph, sources, extra, &selected, &keep);
    outcome.set_aside_context(sources, &reported);
    outcome.notices.extend(scanned.notices.iter().cloned());
    crate::notice::sort(&mut outcome.notices, sources);
    outcome.notices.retain(|n| n.span.is_none_or(&reported));
    let input_error = !scanned.errors.is_empty() || !scanned.path_errors.is_empty();
    if let Some(file) = &cli.write_baseline {
        baseline::write(&outcome.findings, sources, file)?;
        if !cli.quiet {
            eprintln!(
                "cislint: recorded {} finding{} in {}",
                outcome.findings.len(),
                if outcome.findings.len() == 1 { "" } else { "s" },
                file.display()
            );
        }
        return Ok(if input_error { EXIT_ERROR } else { EXIT_CLEAN });
    }
    // Before the baseline takes out what it records: a violation recorded there is still
    // one, and the scorecard says so.
    let scorecard = crate::scorecard::compute(&crate::scorecard::Inputs {
        outcome: &outcome,
        graph: &scanned.graph,
        scope: settings.scope,
        has_credential_report: cli.credential_report.is_some(),
        selected: &selected,
    });
    if let Some(file) = &cli.baseline {
        let b = baseline::load(file)?;
        let scanned_roots: Vec<PathBuf> = cli
            .paths
            .iter()
            .filter(|p| p.is_dir())
            .map(|p| config::absolute(p))
            .collect();
        let base = baseline::base_dir(file);
        let in_scope = |unit: &str| {
            let abs = config::absolute(&base.join(unit));
            scanned_roots.iter().any(|r| abs.starts_with(r))
        };
        baseline::apply(&mut outcome, &b, sources, file, &in_scope);
    }
    let report = Report {
        sources,
        outcome: &outcome,
        errors: &scanned.errors,
        path_errors: &scanned.path_errors,
        counts: &scanned.counts,
        lang,
        show_undetermined: cli.show_undetermined,
        scorecard: &scorecard,
        scope: settings.scope,
        show_scorecard: !cli.no_summary && !cli.quiet,
        show_suppressed: cli.show_suppressed,
        quiet: cli.quiet,
        color: color(cli),
        link_base: link_base(),
        unresolved: &scanned.unresolved,
        stats: cli.stats.then_some(&scanned.stats),
        skipped: &scanned.skipped,
    };
    let text = if cli.statistics {
        match cli.format {
            Format::Json => render::statistics::render_json(&report),
            _ => render::statistics::render(&report),
        }
    } else {
        render::render(cli.format, &report)
    };
    match &cli.output {
        Some(path) => write_file(path, &text)?,
        None => print(&text),
    }
    let fails = outcome
        .findings
        .iter()
        .any(|f| settings.fail_on.fails(f.severity()));
    // The process ends right after this: freeing the graph of a large scan one node at a
    // time would only delay the exit.
    std::mem::forget(outcome);
    std::mem::forget(scanned);
    Ok(if input_error {
        EXIT_ERROR
    } else if fails {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Colours only a terminal (unless forced), honouring `NO_COLOR`; never when writing a file.
fn color(cli: &Cli) -> bool {
    match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            cli.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

/// Links in Markdown point at the commit being checked when run in GitHub Actions.
fn link_base() -> Option<String> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    Some(format!(
        "{}/{}/blob/{}/",
        var("GITHUB_SERVER_URL")?,
        var("GITHUB_REPOSITORY")?,
        var("GITHUB_SHA")?
    ))
}

fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`cislint | head`) is not an error worth a panic.
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

/// The language: the flag or file, else `LC_ALL`/`LANG`.
fn resolve_lang(chosen: Option<Lang>) -> Lang {
    if let Some(l) = chosen {
        return l;
    }
    let lang = std::env::var("LC_ALL")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var("LANG").ok())
        .unwrap_or_default();
    if lang.starts_with("ja") {
        Lang::Ja
    } else {
        Lang::En
    }
}

/// The files `cislint.toml` names (`var-files`, `rules`), relative to it, kept when they lie
/// below the project root: a pull request may change the file, so what it names is read
/// under the same rule as the code. Guard rules directories are listed here, within the root.
struct ConfinedSettings {
    var_files: Vec<PathBuf>,
    rules: Vec<PathBuf>,
    errors: Vec<(PathBuf, String)>,
    notices: Vec<crate::notice::Notice>,
}

impl ConfinedSettings {
    fn new(settings: &config::Settings, root: &ProjectRoot) -> ConfinedSettings {
        let mut out = ConfinedSettings {
            var_files: Vec::new(),
            rules: Vec::new(),
            errors: Vec::new(),
            notices: Vec::new(),
        };
        let file = settings
            .file
            .clone()
            .unwrap_or_else(|| PathBuf::from(config::FILE_NAME));
        let admit = |key: &str, p: &Path, out: &mut ConfinedSettings| -> Option<PathBuf> {
            let path = settings.base.join(p);
            if root.resolves_inside(&path) {
                return Some(path);
            }
            if let Some(link) = root.escaping_symlink(&path) {
                out.notices
                    .push(crate::notice::symlink_outside_root(&link, &root.absolute));
            }
            out.errors.push((
                file.clone(),
                format!(
                    "`{key}` entry `{}` lies outside the project root {}; it is not read",
                    p.display(),
                    root.absolute.display()
                ),
            ));
            None
        };
        for p in &settings.var_files {
            if let Some(path) = admit("var-files", p, &mut out) {
                out.var_files.push(path);
            }
        }
        for p in &settings.rules {
            let Some(path) = admit("rules", p, &mut out) else {
                continue;
            };
            if !path.is_dir() {
                out.rules.push(path);
                continue;
            }
            let is_rules = |p: &Path| {
                p.extension()
                    .is_some_and(|x| x == "guard" || x == "ruleset")
            };
            let (files, errors, notices) =
                crate::discover::files_within(std::slice::from_ref(&path), root, is_rules);
            if files.is_empty() && errors.is_empty() {
                // Named as a directory, so that Guard's own "no rules files" error is given.
                out.rules.push(path);
            }
            out.rules.extend(files);
            out.errors.extend(errors);
            out.notices.extend(notices);
        }
        out
    }
}

/// Terraform variables from `var-files` in `cislint.toml`, then `--var`/`--var-file` in
/// command-line order (later wins, as in Terraform).
fn cli_vars(
    cli: &Cli,
    matches: &clap::ArgMatches,
    var_files: &[PathBuf],
) -> Vec<crate::terraform::vars::CliVar> {
    use crate::terraform::vars::CliVar;
    let mut out: Vec<CliVar> = var_files.iter().cloned().map(CliVar::File).collect();
    let mut ordered: Vec<(usize, CliVar)> = Vec::new();
    if let Some(idx) = matches.indices_of("var") {
        ordered.extend(idx.zip(&cli.var).map(|(i, v)| (i, CliVar::Pair(v.clone()))));
    }
    if let Some(idx) = matches.indices_of("var_file") {
        ordered.extend(
            idx.zip(&cli.var_file)
                .map(|(i, f)| (i, CliVar::File(f.clone()))),
        );
    }
    ordered.sort_by_key(|(i, _)| *i);
    out.extend(ordered.into_iter().map(|(_, v)| v));
    out
}
