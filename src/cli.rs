//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub use crate::config::FailOn;
pub use crate::scope::Scope;

/// Output formats of a scan; `render::render` has one match arm per format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Gcc,
    Github,
    Junit,
    Markdown,
    Html,
}

/// Output formats of `cislint rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

/// Shells `cislint completions` writes a script for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// When to colour text output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// Output language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Ja,
}

#[derive(Debug, Parser)]
#[command(
    name = "cislint",
    version,
    about = "Check Terraform, Terraform plans and CloudFormation against the CIS AWS Foundations Benchmark v1.1.0",
    args_conflicts_with_subcommands = true,
    disable_help_subcommand = true,
    max_term_width = 100,
    // One screen: the example that scans the current directory is `[default: .]` above.
    after_help = "Examples:
  cislint --format sarif -o cislint.sarif .    SARIF for code scanning
  cislint --fail-on high --select 2,4.1 infra/ section 2 and 4.1; fail on high only
  cislint --write-baseline base.json; cislint --baseline base.json   adopt on old code
Settings come from the nearest cislint.toml (see `cislint config`); flags override it.
Exit status: 0 nothing at or above --fail-on, 1 findings, 2 usage, config or input error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Files and directories to scan; `-` reads stdin [default: .]
    #[arg(default_value = ".", hide_default_value = true)]
    pub paths: Vec<PathBuf>,
    /// text|json|sarif|gcc|github|junit|markdown|html [default: text]
    #[arg(short, long, value_enum, default_value_t = Format::Text, hide_possible_values = true, hide_default_value = true)]
    pub format: Format,
    /// Write the report to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// auto|always|never: colour text output (auto honours NO_COLOR)
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN", hide_possible_values = true, hide_default_value = true)]
    pub color: Color,
    /// Also show violations decided by values known only at apply time
    #[arg(long)]
    pub show_undetermined: bool,
    /// Also list findings silenced by suppressions
    #[arg(long)]
    pub show_suppressed: bool,
    /// Also report findings in module files that were not named
    #[arg(long)]
    pub all_findings: bool,
    /// en|ja: language of messages [default: from LANG]
    #[arg(long, value_enum, global = true, hide_possible_values = true)]
    pub lang: Option<LangArg>,
    /// Run only these controls: rule ids, CIS numbers, sections (a,b,…)
    #[arg(long, value_delimiter = ',', value_name = "IDS", global = true)]
    pub select: Vec<String>,
    /// Skip these controls
    #[arg(long, value_delimiter = ',', value_name = "IDS", global = true)]
    pub ignore: Vec<String>,
    /// low|medium|high|none: lowest severity that fails [default: low]
    #[arg(
        long,
        value_enum,
        global = true,
        value_name = "SEVERITY",
        hide_possible_values = true
    )]
    pub fail_on: Option<FailOn>,
    /// Pass 3.x metric filters only with the benchmark's exact events
    // Hidden from --help (one screen): auditors set `strict-patterns` in cislint.toml;
    // the README documents both, and `cislint config` shows the effective value.
    #[arg(long, global = true, hide = true)]
    pub strict_patterns: bool,
    /// resources|account: what the scan covers [default: resources]
    #[arg(long, value_enum, global = true, hide_possible_values = true)]
    pub scope: Option<Scope>,
    /// Skip files matching GLOB, relative to cislint.toml (repeatable)
    #[arg(long, value_name = "GLOB", global = true)]
    pub exclude: Vec<String>,
    /// Settings file [default: nearest cislint.toml upwards]
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Nothing outside DIR is read [default: git work tree, else .]
    #[arg(long, value_name = "DIR", global = true)]
    pub root: Option<PathBuf>,
    /// Report only findings not recorded in FILE
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in FILE
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Path of the file read from `-` (its directory is its module)
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Print diagnostics only, no summary
    #[arg(short, long)]
    pub quiet: bool,
    /// Print counts per control instead of findings
    #[arg(long)]
    pub statistics: bool,
    /// Set a Terraform root-module variable (as `terraform plan -var`)
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub var: Vec<String>,
    /// Read Terraform variables from a .tfvars(.json) file
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_file: Vec<PathBuf>,
    /// Configuration of scanned plans [default: the plan's directory]
    #[arg(long, value_name = "DIR")]
    pub plan_source: Option<PathBuf>,
    /// Print how much Terraform could be evaluated
    // Hidden from --help, as d39bef2 meant, to keep it on one screen with --rules; the README
    // documents it.
    #[arg(long, hide = true)]
    pub stats: bool,
    /// IAM credential report CSV, for 1.1–1.4, 1.12, 1.13, 1.23
    #[arg(long, value_name = "FILE")]
    pub credential_report: Option<PathBuf>,
    /// Hide the scorecard at the end of text output
    #[arg(long)]
    pub no_summary: bool,
    /// Guard rules file or directory (repeatable; view: `guard-view`)
    #[arg(long, value_name = "FILE_OR_DIR")]
    pub rules: Vec<PathBuf>,
    /// Judge credential ages as of YYYY-MM-DD [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<i64>,
}

fn parse_date(s: &str) -> Result<i64, String> {
    if s.len() != 10 {
        return Err("expected YYYY-MM-DD".into());
    }
    crate::credential_report::parse_day(s).ok_or_else(|| "expected YYYY-MM-DD".into())
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the control catalog.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Explain one control (by CIS number or rule id).
    Explain { control: String },
    /// Print the effective settings (cislint.toml with flags applied) as TOML.
    Config {
        /// The path whose cislint.toml is used (default: .).
        #[arg(default_value = ".")]
        path: PathBuf,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the documents Guard rules see (JSON, keyed by template, module or plan).
    // Hidden from --help (one screen); the README documents it with --rules.
    #[command(hide = true)]
    GuardView {
        /// Files and directories to scan.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
    },
}
