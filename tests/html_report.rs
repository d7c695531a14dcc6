//! The HTML report in a real browser: headless Chromium loads it without console errors,
//! its script runs, and the scorecard shows the same counts as the JSON output. A screenshot
//! is kept in `target/test-artifacts/`. Skips with a notice where Chromium is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let out = Command::new("which").arg(name).output().ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
}

/// Loads `page` headless; returns (DOM after scripts ran, console lines logged).
fn load(browser: &Path, page: &Path, screenshot: Option<&Path>) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=1280,1600",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()));
    match screenshot {
        Some(p) => cmd.arg(format!("--screenshot={}", p.display())),
        None => cmd.arg("--dump-dom"),
    };
    let out = cmd
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .map(str::to_string)
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), console)
}

#[test]
fn html_report_renders_in_a_browser() {
    let Some(browser) = chromium() else {
        eprintln!("NOTICE: chromium not installed; skipping the browser test of the HTML report");
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let run = |format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_cislint"))
            .args(["--format", format, "testdata/examples"])
            .current_dir(&root)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, run("html")).unwrap();

    // The detector itself works: a page with a script error is caught.
    let broken = dir.path().join("broken.html");
    std::fs::write(
        &broken,
        "<html><body><script>console.error('boom'); undefinedCall();</script></body></html>",
    )
    .unwrap();
    let (_, console) = load(&browser, &broken, None);
    assert!(!console.is_empty(), "console errors are not detected");

    let (dom, console) = load(&browser, &page, None);
    assert!(console.is_empty(), "console output: {console:?}");
    assert!(
        dom.contains("data-ready=\"true\""),
        "the page's script did not run"
    );
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    for status in [
        "pass",
        "fail",
        "not-found",
        "manual",
        "undetermined",
        "not-applicable",
    ] {
        let expected = json["controls"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == status)
            .count();
        let needle = format!("<b class=\"count\" data-status=\"{status}\">{expected}</b>");
        assert!(dom.contains(&needle), "{needle} not in the rendered page");
        let tiles = dom.matches("class=\"tile\" href=\"#cis-").count();
        assert_eq!(tiles, 52);
    }
    assert!(
        dom.contains("<mark>\"0.0.0.0/0\"</mark>"),
        "the snippet highlights the span"
    );

    let artifacts = root.join("target/test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let shot = artifacts.join("html-report.png");
    let _ = std::fs::remove_file(&shot);
    load(&browser, &page, Some(&shot));
    assert!(
        std::fs::metadata(&shot)
            .map(|m| m.len() > 10_000)
            .unwrap_or(false)
    );
}
