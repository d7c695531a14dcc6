//! Benchmark driver: scans a corpus several times in-process and prints files/s, MB/s,
//! median wall time and peak RSS, for the full scan or for parsing alone (the floor).
//!
//! ```sh
//! cargo run --release --example bench -- [--parse-only] [--runs N] DIR...
//! ```

use std::path::PathBuf;

// The same allocator as the binary, so that the floor and the full scan compare fairly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let mut parse_only = false;
    let mut runs = 5usize;
    let mut dirs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--parse-only" => parse_only = true,
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(5),
            _ => dirs.push(PathBuf::from(a)),
        }
    }
    if dirs.is_empty() {
        eprintln!("usage: bench [--parse-only] [--runs N] DIR...");
        std::process::exit(2);
    }
    let mut times = Vec::new();
    let (mut files, mut bytes, mut findings) = (0usize, 0u64, 0usize);
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let root = cislint::root::ProjectRoot::for_paths(&dirs);
        let inputs = cislint::discover::discover(&dirs, &root);
        if parse_only {
            let (n, b) = cislint::scan::parse_only(&inputs);
            files = n;
            bytes = b;
            times.push(start.elapsed().as_secs_f64());
        } else {
            let scanned = cislint::scan::scan(inputs);
            let outcome = cislint::engine::run(&scanned.graph, &scanned.sources, &|_| true);
            let c = &scanned.counts;
            files = c.terraform_files + c.cloudformation + c.plans;
            bytes = scanned.sources.total_bytes();
            findings = outcome.findings.len() + outcome.undetermined.len();
            // The binary exits without freeing the graph and the findings (`app::run`), so
            // freeing them is not part of the time measured.
            times.push(start.elapsed().as_secs_f64());
            drop((outcome, scanned));
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{} {}: {files} files, {:.2} MB, median {:.3} s over {} runs (min {:.3} s), {:.0} files/s, {:.1} MB/s, peak RSS {:.1} MB{}",
        if parse_only {
            "parse-only"
        } else {
            "full scan"
        },
        dirs.iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(" "),
        bytes as f64 / 1e6,
        median,
        times.len(),
        times[0],
        files as f64 / median,
        bytes as f64 / 1e6 / median,
        peak_rss_kib() as f64 / 1024.0,
        if parse_only {
            String::new()
        } else {
            format!(", {findings} findings+undetermined")
        },
    );
}
