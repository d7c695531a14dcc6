//! Human-readable output: rustc-style snippets through `annotate-snippets`.
//!
//! Text from the scanned tree is escaped before it is laid out: names, messages and labels
//! with visible escapes ([`escape::line`]), source lines with one-column pictures
//! ([`escape::snippet`]), so the only control sequences written are the colours.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::Report;
use super::escape::{self, line};

/// An annotation to draw: span, label, and whether it is the primary one.
type Ann = (Span, Option<String>, bool);
use crate::catalog::{Lang, Severity};
use crate::finding::Finding;
use crate::notice::{self, Notice};
use crate::source::{FileId, SourceMap, Span};

/// Renders findings, errors and a one-line summary.
pub fn render(report: &Report<'_>, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for e in report.errors {
        let _ = writeln!(
            out,
            "{}\n",
            located(
                report,
                Level::ERROR.primary_title(line(&e.message)),
                e.span,
                &renderer
            )
        );
    }
    for (path, msg) in report.path_errors {
        let _ = writeln!(out, "error: {}: {}\n", escape::path(path), line(msg));
    }
    for f in &report.outcome.findings {
        let _ = writeln!(
            out,
            "{}\n",
            finding(report.sources, f, report.lang, &renderer, false)
        );
    }
    if report.show_undetermined {
        for f in &report.outcome.undetermined {
            let _ = writeln!(
                out,
                "{}\n",
                finding(report.sources, f, report.lang, &renderer, true)
            );
        }
    }
    if report.show_suppressed {
        for s in &report.outcome.suppressed {
            let _ = writeln!(out, "{}", suppressed_line(report, s));
        }
        if !report.outcome.suppressed.is_empty() {
            out.push('\n');
        }
    }
    for n in &report.outcome.notices {
        let _ = writeln!(out, "{}\n", notice(report, n, &renderer));
    }
    for u in report.unresolved {
        let file = report.sources.get(u.span.file);
        let at = file.line_col(u.span.start as usize);
        let (path, module, source, reason) = (
            escape::path(&file.path),
            line(&u.module),
            line(&u.source),
            line(&u.reason),
        );
        let _ = match report.lang {
            Lang::En => writeln!(
                out,
                "info: {path}:{}:{}: module not resolved: {module} (source `{source}`): {reason}",
                at.line, at.column,
            ),
            Lang::Ja => writeln!(
                out,
                "情報: {path}:{}:{}: モジュールを解決できません: {module}（source `{source}`）: {reason}",
                at.line, at.column,
            ),
        };
    }
    if !report.unresolved.is_empty() {
        out.push('\n');
    }
    if report.show_scorecard && !report.scorecard.is_empty() {
        out.push_str(&super::scorecard::table(report, color));
    }
    if !report.quiet {
        out.push_str(&summary_line(report));
        out.push('\n');
    }
    out
}

/// `suppressed[rule CIS x.y]: file:line:col `resource`: message (reason)`.
fn suppressed_line(report: &Report<'_>, s: &crate::suppress::Suppressed) -> String {
    let f = &s.finding;
    let lc = report.sources.start(f.span);
    let path = escape::path(&report.sources.get(f.span.file).path);
    let reason = s.reason.as_deref().unwrap_or(match report.lang {
        Lang::En => "no reason given",
        Lang::Ja => "理由なし",
    });
    let suppressed = match report.lang {
        Lang::En => "suppressed",
        Lang::Ja => "抑制",
    };
    format!(
        "{suppressed}[{} CIS {}]: {path}:{}:{}: {} ({})",
        line(f.rule()),
        f.cis(),
        lc.line,
        lc.column,
        line(&f.message(report.lang)),
        line(reason)
    )
}

/// A warning (about a suppression or the baseline) or a note, with its snippet when it
/// has a place.
fn notice(report: &Report<'_>, n: &Notice, renderer: &Renderer) -> String {
    let message = line(n.message(report.lang));
    let Some(span) = n.span else {
        let path = n
            .file
            .as_ref()
            .map(|p| format!("{}: ", escape::path(p)))
            .unwrap_or_default();
        return format!(
            "{}[{}]: {path}{message}",
            level_name(n.level(), report.lang),
            n.code
        );
    };
    let level = match n.level() {
        notice::Level::Warning => Level::WARNING,
        notice::Level::Note => Level::NOTE,
    };
    let title = named(level, report.lang).primary_title(message).id(n.code);
    located(report, title, span, renderer)
}

/// A diagnostic with one primary annotation and no label: an input error or a warning.
fn located(
    report: &Report<'_>,
    title: annotate_snippets::Title<'_>,
    span: Span,
    renderer: &Renderer,
) -> String {
    let path = escape::path(&report.sources.get(span.file).path);
    let excerpt = Excerpt::new(report.sources, span.file, &[span]);
    let group = title.element(
        Snippet::source(excerpt.source.text.as_str())
            .path(path.as_str())
            .line_start(excerpt.line)
            .annotation(AnnotationKind::Primary.span(excerpt.range(span))),
    );
    renderer.render(&[group])
}

/// The `--stats` line (printed on stderr in text mode).
pub fn stats_line(s: &crate::scan::Stats, lang: Lang) -> String {
    let pct = |n: usize| {
        if s.attributes == 0 {
            0.0
        } else {
            n as f64 * 100.0 / s.attributes as f64
        }
    };
    match lang {
        Lang::En => format!(
            "stats: {} module instances ({} directories), {} resources, {} data sources, {} attributes: {:.1}% known, {:.1}% unknown, {:.1}% partly known",
            s.module_instances,
            s.module_dirs,
            s.resources,
            s.data_sources,
            s.attributes,
            pct(s.known),
            pct(s.unknown),
            pct(s.partial)
        ),
        Lang::Ja => format!(
            "統計: モジュールインスタンス {} 個（ディレクトリ {} 個）、リソース {} 個、データソース {} 個、属性 {} 個: 既知 {:.1}%、未知 {:.1}%、一部未知 {:.1}%",
            s.module_instances,
            s.module_dirs,
            s.resources,
            s.data_sources,
            s.attributes,
            pct(s.known),
            pct(s.unknown),
            pct(s.partial)
        ),
    }
}

fn level(sev: Severity, undetermined: bool, lang: Lang) -> Level<'static> {
    if undetermined {
        return named(Level::NOTE, lang);
    }
    match sev {
        Severity::High | Severity::Medium => named(Level::ERROR, lang),
        Severity::Low => named(Level::WARNING, lang),
    }
}

/// A level named in `lang`: annotate-snippets' own names in English, Japanese ones
/// otherwise, so that no line mixes the two languages.
fn named(level: Level<'static>, lang: Lang) -> Level<'static> {
    let names = [
        (Level::ERROR, "エラー"),
        (Level::WARNING, "警告"),
        (Level::HELP, "対処"),
        (Level::NOTE, "注記"),
    ];
    match names.into_iter().find(|(l, _)| *l == level) {
        Some((_, ja)) if lang == Lang::Ja => level.with_name(ja),
        _ => level,
    }
}

/// Renders one finding as a snippet with its labels, fix hint and CIS reference.
pub fn finding(
    sources: &SourceMap,
    f: &Finding,
    lang: Lang,
    renderer: &Renderer,
    undetermined: bool,
) -> String {
    let mut title = line(&f.message(lang)).into_owned();
    if undetermined {
        title = match lang {
            Lang::En => {
                format!("undetermined: {title} (decided by values known only at apply time)")
            }
            Lang::Ja => format!("未確定: {title}（apply 時にしか分からない値に依存します）"),
        };
    }
    let id = if f.cis().is_empty() {
        line(f.rule()).into_owned()
    } else {
        format!("{} CIS {}", f.rule(), f.cis())
    };
    // Annotations grouped by file: the primary file first.
    let mut by_file: BTreeMap<(bool, FileId), Vec<Ann>> = BTreeMap::new();
    by_file
        .entry((false, f.span.file))
        .or_default()
        .push((f.span, None, true));
    let mut secondary: Vec<(Span, String)> = f
        .labels
        .iter()
        .map(|l| (l.span, line(&f.label_text(l, lang)).into_owned()))
        .collect();
    if let Some(o) = f.origin {
        secondary.push((o, super::origin_label(lang).to_string()));
    }
    for c in &f.call_sites {
        secondary.push((*c, super::call_site_label(lang).to_string()));
    }
    for (span, text) in secondary {
        let primary_file = span.file == f.span.file;
        by_file
            .entry((!primary_file, span.file))
            .or_default()
            .push((span, Some(text), false));
    }
    let texts: Vec<(String, Excerpt, Vec<Ann>)> = by_file
        .into_iter()
        .map(|((_, file), anns)| {
            let spans: Vec<Span> = anns.iter().map(|a| a.0).collect();
            let path = escape::path(&sources.get(file).path);
            (path, Excerpt::new(sources, file, &spans), anns)
        })
        .collect();
    let mut group = Group::with_title(
        level(f.severity(), undetermined, lang)
            .primary_title(title.as_str())
            .id(id.as_str()),
    );
    for (path, excerpt, anns) in &texts {
        let mut snippet = Snippet::source(excerpt.source.text.as_str())
            .path(path.as_str())
            .line_start(excerpt.line)
            .fold(true);
        for (span, label, primary) in anns {
            let range = excerpt.range(*span);
            let kind = if *primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            let mut a = kind.span(range);
            if let Some(l) = label {
                a = a.label(l.as_str());
            }
            snippet = snippet.annotation(a);
        }
        group = group.element(snippet);
    }
    let help = f.help(lang).map(|h| line(&h).into_owned());
    // A rule outside the catalog has no CIS section: its title says where it comes from.
    let note = if f.cis().is_empty() {
        line(f.title(lang)).into_owned()
    } else {
        format!("CIS AWS Foundations v1.1.0 §{}: {}", f.cis(), f.title(lang))
    };
    if let Some(h) = &help {
        group = group.element(named(Level::HELP, lang).message(h.as_str()));
    }
    group = group.element(named(Level::NOTE, lang).message(note.as_str()));
    let groups: Vec<Group<'_>> = vec![group];
    let mut text = renderer.render(&groups);
    if f.absence {
        text.push_str(&absence_snippets(f, lang));
    }
    text
}

/// The catalog's ready-to-paste snippets that add what an absence finding misses.
fn absence_snippets(f: &Finding, lang: Lang) -> String {
    let mut out = String::new();
    let Some(e) = f.entry() else {
        return out;
    };
    let r = &e.remediation;
    for (name, snippet) in [
        ("Terraform", &r.terraform),
        ("CloudFormation", &r.cloudformation),
    ] {
        if let Some(code) = snippet {
            let title = match lang {
                Lang::En => format!("{name} that adds it:"),
                Lang::Ja => format!("追加する {name} の例:"),
            };
            let _ = write!(out, "\n  = {title}\n");
            for line in code.trim_matches('\n').lines() {
                let _ = writeln!(out, "  |   {line}");
            }
        }
    }
    out
}

/// The lines of a file that cover some spans, as a snippet shows them.
struct Excerpt {
    /// The lines, with unsafe characters pictured.
    source: escape::Pictured,
    /// Byte offset of the first line in the file.
    base: usize,
    /// Byte length of the lines in the file.
    len: usize,
    /// Number of the first line.
    line: usize,
}

impl Excerpt {
    fn new(sources: &SourceMap, file: FileId, spans: &[Span]) -> Excerpt {
        let src = sources.get(file);
        let first = spans
            .iter()
            .map(|s| src.line_col(s.start as usize).line)
            .min()
            .unwrap_or(1);
        let last = spans
            .iter()
            .map(|s| src.line_col(s.end as usize).line)
            .max()
            .unwrap_or(first);
        let start = src.line_range(first).start;
        let end = src.line_range(last).end;
        Excerpt {
            source: escape::snippet(&src.text[start..end]),
            base: start,
            len: end - start,
            line: first,
        }
    }

    /// Where `span` is in the pictured lines (clamped to them).
    fn range(&self, span: Span) -> std::ops::Range<usize> {
        let s = span.range().start.saturating_sub(self.base).min(self.len);
        let e = span
            .range()
            .end
            .saturating_sub(self.base)
            .clamp(s, self.len);
        self.source.offset(s)..self.source.offset(e)
    }
}

/// The one-line summary: findings, files, undetermined, suppressed, errors.
pub fn summary_line(report: &Report<'_>) -> String {
    let n = report.outcome.findings.len();
    let u = report.outcome.undetermined.len();
    let e = report.errors.len() + report.path_errors.len();
    let c = report.counts;
    let files = c.terraform_files + c.cloudformation + c.plans;
    match report.lang {
        Lang::En => {
            let mut s = format!(
                "{n} finding{} in {files} file{}",
                if n == 1 { "" } else { "s" },
                if files == 1 { "" } else { "s" }
            );
            if u > 0 {
                let _ = write!(
                    s,
                    ", {u} undetermined{}",
                    if report.show_undetermined {
                        ""
                    } else {
                        " (--show-undetermined)"
                    }
                );
            }
            let sup = report.outcome.suppressed.len();
            if sup > 0 {
                let _ = write!(
                    s,
                    ", {sup} suppressed{}",
                    if report.show_suppressed {
                        ""
                    } else {
                        " (--show-suppressed)"
                    }
                );
            }
            if report.outcome.baselined > 0 {
                let _ = write!(s, ", {} in the baseline", report.outcome.baselined);
            }
            let w = notice::count(&report.outcome.notices, notice::Level::Warning);
            if w > 0 {
                let _ = write!(s, ", {w} warning{}", if w == 1 { "" } else { "s" });
            }
            let notes = notice::count(&report.outcome.notices, notice::Level::Note);
            if notes > 0 {
                let _ = write!(s, ", {notes} note{}", if notes == 1 { "" } else { "s" });
            }
            if e > 0 {
                let _ = write!(s, ", {e} error{}", if e == 1 { "" } else { "s" });
            }
            s
        }
        Lang::Ja => {
            let mut s = format!("{files} ファイル中 {n} 件の違反");
            if u > 0 {
                let _ = write!(s, "、未確定 {u} 件");
            }
            if !report.outcome.suppressed.is_empty() {
                let _ = write!(s, "、抑制 {} 件", report.outcome.suppressed.len());
            }
            if report.outcome.baselined > 0 {
                let _ = write!(s, "、ベースライン済み {} 件", report.outcome.baselined);
            }
            let w = notice::count(&report.outcome.notices, notice::Level::Warning);
            if w > 0 {
                let _ = write!(s, "、警告 {w} 件");
            }
            let notes = notice::count(&report.outcome.notices, notice::Level::Note);
            if notes > 0 {
                let _ = write!(s, "、注記 {notes} 件");
            }
            if e > 0 {
                let _ = write!(s, "、エラー {e} 件");
            }
            s
        }
    }
}

/// The name of a notice's level in the report's language.
fn level_name(level: notice::Level, lang: Lang) -> &'static str {
    match (level, lang) {
        (_, Lang::En) => level.as_str(),
        (notice::Level::Warning, Lang::Ja) => "警告",
        (notice::Level::Note, Lang::Ja) => "注記",
    }
}
