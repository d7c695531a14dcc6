use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use cislint::catalog::{self, Lang};
use cislint::cli::{Cli, Color, Command, Format, LangArg};
use cislint::explain;
use cislint::render::{self, Report};

fn main() -> ExitCode {
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|c| (c, m)));
    let (cli, matches) = match parsed {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match &cli.command {
        Some(Command::Rules { format, lang }) => {
            let lang = resolve_lang(*lang);
            print(&explain::rules(*format == Format::Json, lang));
            return ExitCode::SUCCESS;
        }
        Some(Command::Explain { control, lang }) => {
            let lang = resolve_lang(*lang);
            return match catalog::find(control) {
                Some(e) => {
                    print(&explain::explain(e, lang));
                    ExitCode::SUCCESS
                }
                None => {
                    eprintln!("cislint: no control `{control}` (try `cislint rules`)");
                    ExitCode::from(2)
                }
            };
        }
        None => {}
    }
    let lang = resolve_lang(cli.lang);
    for id in cli.select.iter().chain(&cli.ignore) {
        if !cislint::selection::is_known(id) {
            eprintln!("cislint: unknown control `{id}` in --select/--ignore (try `cislint rules`)");
            return ExitCode::from(2);
        }
    }
    let selected = |id: &str| cislint::selection::selected(id, &cli.select, &cli.ignore);
    let options = cislint::RunOptions {
        credential_report: cli.credential_report.clone(),
        as_of: cli.as_of,
        scope: cli.scope,
        scan: cislint::scan::ScanOptions {
            vars: cli_vars(&cli, &matches),
            env: std::env::vars()
                .filter(|(k, _)| k.starts_with("TF_VAR_"))
                .collect(),
            plan_source: cli.plan_source.clone(),
        },
    };
    let (scanned, outcome) = cislint::run_with_options(&cli.paths, &options, &selected);
    let scorecard = cislint::scorecard::compute(&cislint::scorecard::Inputs {
        outcome: &outcome,
        graph: &scanned.graph,
        scope: cli.scope,
        has_credential_report: cli.credential_report.is_some(),
        selected: &selected,
    });
    let report = Report {
        sources: &scanned.sources,
        outcome: &outcome,
        errors: &scanned.errors,
        path_errors: &scanned.path_errors,
        counts: &scanned.counts,
        lang,
        show_undetermined: cli.show_undetermined,
        unresolved: &scanned.unresolved,
        stats: cli.stats.then_some(&scanned.stats),
        scorecard: &scorecard,
        scope: cli.scope,
        show_scorecard: !cli.no_summary,
    };
    if cli.stats && cli.format == Format::Text {
        eprintln!("{}", render::text::stats_line(&scanned.stats, lang));
    }
    let text = match cli.format {
        Format::Json => render::json::render(&report),
        Format::Html => render::html::render(&report),
        Format::Text => {
            let color = match cli.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            render::text::render(&report, color)
        }
    };
    print(&text);
    if !scanned.errors.is_empty() || !scanned.path_errors.is_empty() {
        ExitCode::from(2)
    } else if !outcome.findings.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--var` and `--var-file` in the order they were given: later ones win, as in Terraform.
fn cli_vars(cli: &Cli, matches: &clap::ArgMatches) -> Vec<cislint::terraform::vars::CliVar> {
    use cislint::terraform::vars::CliVar;
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
    ordered.into_iter().map(|(_, v)| v).collect()
}

fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`cislint | head`) is not an error worth a panic.
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

fn resolve_lang(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::Ja) => Lang::Ja,
        Some(LangArg::En) => Lang::En,
        None => {
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
    }
}
