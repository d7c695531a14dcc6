//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Html,
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
    after_help = "Examples:\n  cislint                      scan the current directory\n  cislint infra/ stack.yaml    scan a directory and a template\n  cislint --format json .      machine-readable findings\n  cislint explain 2.1          one control, by CIS number or rule id\n\nExit status: 0 no findings, 1 findings, 2 usage error or unreadable input."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Files and directories to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Colour in text output (`NO_COLOR` is honoured with `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Also show possible violations that depend on values known only at apply time.
    #[arg(long)]
    pub show_undetermined: bool,
    /// Language of messages (default from `LANG`).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Only these controls (rule ids or CIS numbers, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these controls (rule ids or CIS numbers, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Set a Terraform root-module variable, as `terraform plan -var NAME=VALUE` does.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub var: Vec<String>,
    /// Read Terraform root-module variables from a `.tfvars` or `.tfvars.json` file.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_file: Vec<PathBuf>,
    /// Configuration directory of scanned plans (default: the plan's directory when it holds .tf files).
    #[arg(long, value_name = "DIR")]
    pub plan_source: Option<PathBuf>,
    /// Print how much of the Terraform code could be evaluated (stderr in text mode, `stats` in JSON).
    #[arg(long)]
    pub stats: bool,
    /// IAM credential report CSV (`aws iam get-credential-report`, decoded) for 1.1–1.4, 1.12, 1.13, 1.23.
    #[arg(long, value_name = "FILE")]
    pub credential_report: Option<PathBuf>,
    /// `resources`: report what resources violate; `account`: the code is the account's baseline, missing pieces are findings.
    #[arg(long, value_enum, default_value_t = crate::scope::Scope::Resources)]
    pub scope: crate::scope::Scope,
    /// Hide the scorecard at the end of text output.
    #[arg(long)]
    pub no_summary: bool,
    /// Evaluate credential ages as of this day (YYYY-MM-DD; default today).
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Explain one control (by CIS number or rule id).
    Explain {
        control: String,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
}
