//! One project root: nothing outside it is read (symlinks out are reported once, never
//! followed), ignore files never hide files git tracks, and every file left out is listed.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// A KMS key without rotation: one finding (`kms-key-rotation`) at 1:1 of its file.
const KEY: &str = "resource \"aws_kms_key\" \"k\" {}\n";

/// [`KEY`] with its own name, for files of one module.
fn key(name: &str) -> String {
    format!("resource \"aws_kms_key\" \"{name}\" {{}}\n")
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs cislint with JSON output in `cwd`: (exit status, report).
fn json(args: &[&str], cwd: &Path) -> (i32, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let run = common::run(&all, cwd);
    let doc = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run.code, doc)
}

fn row(fields: &[&str]) -> Vec<String> {
    fields.iter().map(|f| f.to_string()).collect()
}

/// (file, line, column, rule) of every finding.
fn findings(doc: &Value) -> Vec<Vec<String>> {
    common::table(doc, "findings", &["file", "line", "column", "rule"])
}

fn finding(file: &str, line: u64, column: u64, rule: &str) -> Vec<String> {
    row(&[file, &line.to_string(), &column.to_string(), rule])
}

/// (code, file, line) of every warning: a warning about a path has no line.
fn warnings(doc: &Value) -> Vec<Vec<String>> {
    common::table(doc, "warnings", &["code", "file", "line"])
}

fn symlink_warning(file: &str) -> Vec<String> {
    row(&["symlink-outside-root", file, "-"])
}

/// (path, reason, pattern, source) of every file or directory left out.
fn skipped(doc: &Value) -> Vec<Vec<String>> {
    common::table(doc, "skipped", &["path", "reason", "pattern", "source"])
}

fn skip(path: &str, reason: &str, pattern: &str, source: &str) -> Vec<String> {
    row(&[path, reason, pattern, source])
}

/// (file, line, column, module, reason) of every module call not loaded.
fn unresolved(doc: &Value) -> Vec<Vec<String>> {
    common::table(
        doc,
        "unresolved_modules",
        &["file", "line", "column", "module", "reason"],
    )
}

/// A run that ended in a usage error saying `message`.
fn assert_usage_error(run: &common::Run, message: &str) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(message), "{}", run.stderr);
}

/// Runs `git` in `dir` for a fixture; `None` (with a notice) when git is not installed.
fn git(dir: &Path, args: &[&str]) -> Option<()> {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdout(std::process::Stdio::null())
        .status();
    match status {
        Ok(s) => {
            assert!(s.success(), "git {args:?} failed");
            Some(())
        }
        Err(_) => {
            eprintln!("NOTICE: git is not installed; the git fixture of this test is skipped");
            None
        }
    }
}

#[cfg(unix)]
#[test]
fn symlinked_directories_out_of_the_root_are_not_walked_and_reported_once() {
    let base = tempfile::tempdir().unwrap();
    // Outside the project: a file that must never be scanned.
    write(&base.path().join("outside/main.tf"), KEY);
    let project = base.path().join("work/project");
    write(&project.join("good/main.tf"), KEY);
    std::os::unix::fs::symlink(base.path().join("outside"), project.join("innocent")).unwrap();
    std::os::unix::fs::symlink("../..", project.join("up")).unwrap();
    // A symlink that stays inside is followed.
    std::os::unix::fs::symlink("good/main.tf", project.join("alias.tf")).unwrap();

    let (code, doc) = json(&["."], &project);
    assert_eq!(
        findings(&doc),
        [
            finding("./alias.tf", 1, 1, "kms-key-rotation"),
            finding("./good/main.tf", 1, 1, "kms-key-rotation"),
        ]
    );
    assert_eq!(
        warnings(&doc),
        [symlink_warning("./innocent"), symlink_warning("./up")]
    );
    assert_eq!(code, 1, "the findings decide the status, not the warnings");
    let message = doc["warnings"][0]["message"].as_str().unwrap();
    let target = base.path().join("outside");
    assert_eq!(
        message,
        format!(
            "symlink to `{}` leads outside the project root `{}`; it is not followed",
            target.display(),
            project.display()
        )
    );
    assert!(doc["errors"].as_array().unwrap().is_empty(), "{doc}");

    // Named directly, as pre-commit names files: still not followed, still one warning.
    let (code, doc) = json(&["innocent", "up/outside/main.tf"], &project);
    assert!(findings(&doc).is_empty(), "{doc}");
    assert_eq!(
        warnings(&doc),
        [symlink_warning("innocent"), symlink_warning("up")]
    );
    assert_eq!(code, 0, "a warning alone never fails the run");

    // Every format that shows warnings shows it, at the link.
    let text = common::run(&["--no-summary", "innocent"], &project);
    assert!(
        text.stdout
            .contains("warning[symlink-outside-root]: innocent: symlink to `"),
        "{}",
        text.stdout
    );
    let gcc = common::run(&["--format", "gcc", "innocent"], &project);
    assert!(
        gcc.stdout
            .lines()
            .any(|l| l.starts_with("innocent: warning: symlink to `")
                && l.ends_with("[symlink-outside-root]")),
        "{}",
        gcc.stdout
    );
}

#[cfg(unix)]
#[test]
fn file_calls_module_sources_and_tfvars_through_a_symlink_out_are_refused() {
    let base = tempfile::tempdir().unwrap();
    write(&base.path().join("outside/secret.txt"), "0.0.0.0/0");
    write(
        &base.path().join("outside/mods/sg/main.tf"),
        "resource \"aws_security_group\" \"x\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
    );
    write(
        &base.path().join("outside/terraform.tfvars"),
        "cidr = \"0.0.0.0/0\"\n",
    );
    let project = base.path().join("project");
    write(
        &project.join("main.tf"),
        "locals {\n  cidr = file(\"data/secret.txt\")\n}\n\nresource \"aws_security_group\" \"web\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [local.cidr]\n  }\n}\n\nmodule \"sg\" {\n  source = \"./mods/sg\"\n}\n",
    );
    std::os::unix::fs::symlink(base.path().join("outside"), project.join("data")).unwrap();
    std::os::unix::fs::symlink(base.path().join("outside/mods"), project.join("mods")).unwrap();
    std::os::unix::fs::symlink(
        base.path().join("outside/terraform.tfvars"),
        project.join("terraform.tfvars"),
    )
    .unwrap();

    let (code, doc) = json(&["."], &project);
    assert!(
        findings(&doc).is_empty(),
        "nothing outside is scanned: {doc}"
    );
    assert_eq!(
        common::table(&doc, "errors", &["file", "line", "column", "message"]),
        [row(&[
            "./main.tf",
            "2",
            "10",
            "file(): `data/secret.txt` leads outside the project root through the symlink \
             `data`; it is not read"
        ])]
    );
    // The value is unknown: the rule it decides is undetermined, never a finding.
    assert_eq!(doc["undetermined"][0]["line"], 10);
    assert_eq!(
        code, 2,
        "a read the code asks for and cannot get is an input error"
    );
    // One warning per symlink, although the walk and the evaluation both met them.
    assert_eq!(
        warnings(&doc),
        [
            symlink_warning("./data"),
            symlink_warning("./mods"),
            symlink_warning("./terraform.tfvars"),
        ]
    );
    assert_eq!(
        unresolved(&doc),
        [row(&[
            "./main.tf",
            "14",
            "1",
            "module.sg",
            "`./mods/sg` leads outside the project root through the symlink `mods`; it is not read"
        ])]
    );
}

#[test]
fn a_module_called_with_dotdot_inside_the_root_is_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("envs/prod/main.tf"),
        "module \"kms\" {\n  source = \"../../modules/kms\"\n}\n",
    );
    write(&dir.path().join("modules/kms/main.tf"), KEY);
    // The root is the current directory; only `envs/prod` is scanned.
    let (code, doc) = json(&["envs/prod"], dir.path());
    assert_eq!(
        findings(&doc),
        [finding("modules/kms/main.tf", 1, 1, "kms-key-rotation")]
    );
    assert_eq!(doc["findings"][0]["resource"], "module.kms.aws_kms_key.k");
    assert!(unresolved(&doc).is_empty());
    assert_eq!(code, 1);

    // With the root at the scanned directory, the module lies outside and is not read.
    let (code, doc) = json(&["--root", "envs/prod", "envs/prod"], dir.path());
    assert!(findings(&doc).is_empty(), "{doc}");
    assert_eq!(
        unresolved(&doc),
        [row(&[
            "envs/prod/main.tf",
            "1",
            "1",
            "module.kms",
            "`../../modules/kms` is outside the project root; it is not read (scan from the top of the repository, or widen the root with `--root`)"
        ])]
    );
    assert_eq!(code, 0);
}

#[test]
fn a_path_outside_the_root_flag_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a/main.tf"), KEY);
    write(&dir.path().join("b/main.tf"), KEY);
    let run = common::run(&["--root", "a", "b"], dir.path());
    assert_usage_error(&run, "b lies outside the project root");
    let run = common::run(&["--root", "missing", "a"], dir.path());
    assert_usage_error(&run, "--root missing: no such directory");
}

#[test]
fn ignore_files_outside_a_work_tree_or_above_the_root_are_not_consulted() {
    let base = tempfile::tempdir().unwrap();
    // Above the root, no repository anywhere: nothing here is read.
    write(&base.path().join(".gitignore"), "project/\n*.tf\n");
    write(&base.path().join(".ignore"), "*.tf\n");
    write(
        &base.path().join("cislint.toml"),
        "ignore = [\"kms-key-rotation\"]\n",
    );
    let project = base.path().join("project");
    write(&project.join("main.tf"), KEY);
    // In the project, outside any work tree: `.gitignore` means nothing to git, `.ignore`
    // nothing to cislint.
    write(&project.join(".gitignore"), "*.tf\n");
    write(&project.join(".ignore"), "*.tf\n");
    write(&project.join("sub/.ignore"), "*\n");
    write(&project.join("sub/main.tf"), KEY);

    let (code, doc) = json(&["."], &project);
    assert_eq!(
        findings(&doc),
        [
            finding("./main.tf", 1, 1, "kms-key-rotation"),
            finding("./sub/main.tf", 1, 1, "kms-key-rotation"),
        ]
    );
    assert!(skipped(&doc).is_empty(), "{doc}");
    assert_eq!(code, 1);

    // `--root` below the settings file: the search for cislint.toml stops at the root.
    let (_, doc) = json(&["--root", "project", "project"], base.path());
    assert_eq!(
        findings(&doc),
        [
            finding("project/main.tf", 1, 1, "kms-key-rotation"),
            finding("project/sub/main.tf", 1, 1, "kms-key-rotation"),
        ]
    );
    // Without it, the current directory is the root and its cislint.toml applies.
    let (code, doc) = json(&["project"], base.path());
    assert!(findings(&doc).is_empty(), "{doc}");
    assert_eq!(code, 0);
}

#[cfg(unix)]
#[test]
fn files_that_cislint_toml_names_lie_under_the_root() {
    let base = tempfile::tempdir().unwrap();
    let b = base.path();
    write(&b.join("outside.toml"), "ignore = [\"2\"]\n");
    write(&b.join("vars.tfvars"), "x = 1\n");
    // Not Guard: an error would show that it was read.
    write(&b.join("evil.guard"), "this is not Guard {{{\n");
    // A settings file symlinked out of the root is not read (its `ignore` would hide 2.8).
    write(&b.join("p1/main.tf"), KEY);
    std::os::unix::fs::symlink("../outside.toml", b.join("p1/cislint.toml")).unwrap();
    let (code, doc) = json(&["."], &b.join("p1"));
    assert_eq!(
        findings(&doc),
        [finding("./main.tf", 1, 1, "kms-key-rotation")]
    );
    assert_eq!(warnings(&doc), [symlink_warning("./cislint.toml")]);
    assert_eq!(code, 1);

    // Entries outside the root are errors naming them; a rules directory inside is read
    // without following its links out.
    let p2 = b.join("p2");
    write(&p2.join("main.tf"), KEY);
    write(
        &p2.join("cislint.toml"),
        "var-files = [\"../vars.tfvars\"]\nrules = [\"../\", \"guard/\"]\n",
    );
    write(
        &p2.join("guard/ok.guard"),
        "rule always_fine {\n    Resources exists\n}\n",
    );
    std::os::unix::fs::symlink(b.join("evil.guard"), p2.join("guard/evil.guard")).unwrap();
    let (code, doc) = json(&["."], &p2);
    let settings = p2.join("cislint.toml").display().to_string();
    let outside = |entry: &str| {
        format!(
            "`{entry}` lies outside the project root {}; it is not read",
            p2.display()
        )
    };
    assert_eq!(
        common::table(&doc, "errors", &["file", "line", "message"]),
        [
            row(&[&settings, "1", &outside("var-files` entry `../vars.tfvars")]),
            row(&[&settings, "1", &outside("rules` entry `../")]),
        ]
    );
    assert_eq!(warnings(&doc), [symlink_warning("./guard/evil.guard")]);
    assert_eq!(code, 2);
}

#[test]
fn cislintignore_and_exclude_leave_files_out_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("main.tf"), KEY);
    write(&dir.path().join("legacy/main.tf"), KEY);
    write(&dir.path().join("gen/a.gen.tf"), KEY);
    write(&dir.path().join("gen/b.tf"), KEY);
    write(&dir.path().join("old/main.tf"), KEY);
    write(&dir.path().join(".cislintignore"), "# not ours\nlegacy/\n");
    write(&dir.path().join("gen/.cislintignore"), "*.gen.tf\n");
    write(&dir.path().join("cislint.toml"), "exclude = [\"old\"]\n");

    let (code, doc) = json(&["."], dir.path());
    assert_eq!(
        findings(&doc),
        [
            finding("./gen/b.tf", 1, 1, "kms-key-rotation"),
            finding("./main.tf", 1, 1, "kms-key-rotation"),
        ]
    );
    assert_eq!(
        skipped(&doc),
        [
            skip(
                "./gen/a.gen.tf",
                "cislintignore",
                "*.gen.tf",
                "./gen/.cislintignore:1"
            ),
            skip("./legacy", "cislintignore", "legacy/", "./.cislintignore:2"),
            skip("./old/main.tf", "exclude", "old", "-"),
        ]
    );
    assert_eq!(code, 1);

    // `--stats` lists them in text mode too (on stderr, with the stats line).
    let run = common::run(&["--stats", "--no-summary", "."], dir.path());
    let listed: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("skipped: "))
        .collect();
    assert_eq!(
        listed,
        [
            "skipped: ./gen/a.gen.tf (./gen/.cislintignore:1 `*.gen.tf`)",
            "skipped: ./legacy (./.cislintignore:2 `legacy/`)",
            "skipped: ./old/main.tf (exclude `old`)",
        ]
    );

    // A named file is left out by `.cislintignore` as by `exclude`.
    let (code, doc) = json(&["legacy/main.tf"], dir.path());
    assert!(findings(&doc).is_empty(), "{doc}");
    assert_eq!(
        skipped(&doc),
        [skip(
            "legacy/main.tf",
            "cislintignore",
            "legacy/",
            ".cislintignore:2"
        )]
    );
    assert_eq!(code, 0);
}

/// A work tree: `.gitignore` hides `*.tf` and two directories, `.ignore` hides everything;
/// some ignored files are tracked all the same (`git add -f`).
fn git_fixture(dir: &Path) -> Option<()> {
    write(
        &dir.join(".gitignore"),
        "/*.tf\nscratch/\nvendor/\n!keep.tf\n",
    );
    write(&dir.join(".ignore"), "*\n");
    write(&dir.join("tracked.tf"), &key("tracked"));
    write(&dir.join("untracked.tf"), &key("untracked"));
    write(&dir.join("keep.tf"), &key("keep"));
    write(&dir.join("scratch/main.tf"), KEY);
    write(&dir.join("vendor/kept.tf"), &key("kept"));
    write(&dir.join("vendor/new.tf"), &key("new"));
    write(&dir.join("infra/main.tf"), KEY);
    git(dir, &["init", "-q"])?;
    git(
        dir,
        &["add", "-f", "tracked.tf", "vendor/kept.tf", ".gitignore"],
    )?;
    Some(())
}

fn assert_git_semantics(doc: &Value) {
    assert_eq!(
        findings(doc),
        [
            finding("./infra/main.tf", 1, 1, "kms-key-rotation"),
            finding("./keep.tf", 1, 1, "kms-key-rotation"),
            finding("./tracked.tf", 1, 1, "kms-key-rotation"),
            finding("./vendor/kept.tf", 1, 1, "kms-key-rotation"),
        ],
        "tracked files and files no rule ignores are scanned"
    );
    assert_eq!(
        skipped(doc),
        [
            skip("./scratch", "gitignore", "scratch/", "./.gitignore:2"),
            skip("./untracked.tf", "gitignore", "/*.tf", "./.gitignore:1"),
            skip("./vendor/new.tf", "gitignore", "vendor/", "./.gitignore:3"),
        ]
    );
}

#[test]
fn gitignore_applies_only_to_files_git_does_not_track() {
    let dir = tempfile::tempdir().unwrap();
    if git_fixture(dir.path()).is_none() {
        return;
    }
    let (code, doc) = json(&["."], dir.path());
    assert_git_semantics(&doc);
    assert!(warnings(&doc).is_empty(), "{doc}");
    assert_eq!(code, 1);

    // Scanned from a subdirectory, the root is still the top of the work tree and its
    // `.gitignore` applies below it.
    let (_, doc) = json(&["."], &dir.path().join("vendor"));
    assert_eq!(
        findings(&doc),
        [finding("./kept.tf", 1, 1, "kms-key-rotation")]
    );
    assert_eq!(
        skipped(&doc),
        [skip("./new.tf", "gitignore", "vendor/", "../.gitignore:3")]
    );

    // Index versions 3 (an intent-to-add entry) and 4, and a split index, read the same.
    git(dir.path(), &["add", "-N", "keep.tf"]);
    let (_, doc) = json(&["."], dir.path());
    assert_git_semantics(&doc);
    git(dir.path(), &["update-index", "--index-version", "4"]);
    let (_, doc) = json(&["."], dir.path());
    assert_git_semantics(&doc);
    git(dir.path(), &["update-index", "--split-index"]);
    let (_, doc) = json(&["."], dir.path());
    assert_git_semantics(&doc);

    // An index that cannot be read: nothing is left out on a guess, and a warning says so.
    std::fs::write(dir.path().join(".git/index"), "not an index").unwrap();
    let (_, doc) = json(&["."], dir.path());
    assert_eq!(findings(&doc).len(), 7, "{doc}");
    assert!(skipped(&doc).is_empty());
    assert_eq!(
        warnings(&doc),
        [row(&["git-index-unreadable", ".git", "-"])]
    );
}

/// A sparse index stands for whole directories with one entry: what lies below is tracked.
#[test]
fn a_sparse_index_counts_its_directories_as_tracked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("a/main.tf"), KEY);
    write(&d.join("b/main.tf"), KEY);
    write(&d.join(".gitignore"), "b/\n");
    let identity = ["-c", "user.name=t", "-c", "user.email=t@example.com"];
    if git(d, &["init", "-q"]).is_none() {
        return;
    }
    git(d, &["add", "-f", "a", "b", ".gitignore"]);
    git(
        d,
        &[&identity[..], &["commit", "-q", "-m", "fixture"]].concat(),
    );
    git(d, &["sparse-checkout", "init", "--cone", "--sparse-index"]);
    git(d, &["sparse-checkout", "set", "a"]);
    // `b/` is now one sparse directory entry; a file there is tracked all the same.
    write(&d.join("b/main.tf"), KEY);
    write(&d.join("b/new/main.tf"), KEY);
    let (_, doc) = json(&["."], d);
    assert_eq!(
        findings(&doc),
        [
            finding("./a/main.tf", 1, 1, "kms-key-rotation"),
            finding("./b/main.tf", 1, 1, "kms-key-rotation"),
            finding("./b/new/main.tf", 1, 1, "kms-key-rotation"),
        ]
    );
    assert!(skipped(&doc).is_empty(), "{doc}");
}

/// Runs the binary under `strace` on a project with every kind of input (a git work tree,
/// symlinks out, a local module, a `file()` call, a `cislint.toml`) and checks that every
/// file it opened lies inside the project, or is one of the system's own files.
#[cfg(target_os = "linux")]
#[test]
fn nothing_outside_the_root_is_opened() {
    let probe = Command::new("strace").arg("-V").output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("NOTICE: strace is not installed; the test of opened files is skipped");
        return;
    }
    let base = tempfile::tempdir().unwrap();
    write(&base.path().join("outside/main.tf"), KEY);
    write(&base.path().join("outside/secret.txt"), "secret");
    write(&base.path().join(".gitignore"), "*\n");
    write(&base.path().join("cislint.toml"), "ignore = [\"2\"]\n");
    let project = base.path().join("project");
    write(
        &project.join("envs/prod/main.tf"),
        "locals {\n  a = file(\"${path.module}/policy.json\")\n  b = file(\"${path.module}/out/secret.txt\")\n}\n\nmodule \"kms\" {\n  source = \"../../modules/kms\"\n}\n",
    );
    write(&project.join("envs/prod/policy.json"), "{}");
    write(&project.join("modules/kms/main.tf"), KEY);
    write(&project.join("cislint.toml"), "fail-on = \"high\"\n");
    write(&project.join(".gitignore"), "scratch/\n");
    write(&project.join("scratch/main.tf"), KEY);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(base.path().join("outside"), project.join("innocent")).unwrap();
        std::os::unix::fs::symlink(base.path().join("outside"), project.join("envs/prod/out"))
            .unwrap();
    }
    let with_git = git(&project, &["init", "-q"]).is_some();
    if with_git {
        git(&project, &["add", "-f", "envs", "modules"]);
    }
    let trace = base.path().join("trace.txt");
    let out = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=open,openat,openat2,creat,execve"])
        .arg("-o")
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_cislint"))
        .args(["--format", "json", "envs/prod", "."])
        .current_dir(&project)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&trace).unwrap_or_default();
    if !text.contains("execve(") {
        // A container may forbid ptrace: strace runs, but traces nothing.
        eprintln!(
            "NOTICE: strace could not trace here ({}); the test of opened files is skipped",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return;
    }
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let root = std::fs::canonicalize(&project).unwrap();
    let system = [
        "/etc/ld.so.cache",
        "/lib/",
        "/lib64/",
        "/usr/lib/",
        "/usr/lib64/",
        "/proc/self/",
        // The allocator's view of the kernel's memory settings.
        "/proc/sys/vm/",
        "/sys/kernel/mm/transparent_hugepage/",
        "/sys/devices/system/cpu/",
        "/sys/fs/cgroup/",
        "/usr/share/locale/",
        "/usr/lib/locale/",
        "/dev/null",
        "/dev/urandom",
    ];
    let mut opened = Vec::new();
    let mut seen_root = false;
    for line in text.lines() {
        if !(line.contains("open") || line.contains("creat")) || line.contains("= -1 ") {
            continue;
        }
        if line.contains("execve(") {
            continue;
        }
        // `openat(AT_FDCWD, "path", …) = 3`: the path is the first quoted string; relative
        // paths are relative to the current directory, the project. Symlinks are resolved:
        // a file opened through a link out is outside.
        let Some(path) = line.split('"').nth(1) else {
            continue;
        };
        if system.iter().any(|s| path.starts_with(s)) {
            continue;
        }
        let joined = root.join(path);
        let resolved = std::fs::canonicalize(&joined).unwrap_or(joined);
        if resolved.starts_with(&root) {
            seen_root = true;
            continue;
        }
        opened.push(resolved.display().to_string());
    }
    assert!(seen_root, "the trace shows no file of the project: {text}");
    assert!(opened.is_empty(), "opened outside the root: {opened:#?}");
    // The scan did happen: the module through `../..` and both symlinks were met.
    assert_eq!(
        findings(&doc),
        [finding("./modules/kms/main.tf", 1, 1, "kms-key-rotation")],
        "{doc}"
    );
    assert_eq!(
        warnings(&doc),
        [
            symlink_warning("./innocent"),
            symlink_warning("envs/prod/out"),
        ]
    );
}
