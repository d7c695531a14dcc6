//! `cislint.toml` through the binary: found upward from the scanned path or given with
//! `--config`, errors with their line, command-line flags over the file, `cislint config`.

mod common;

use common::{json, run, scratch};

const TWO_FINDINGS: &str = "resource \"aws_kms_key\" \"k\" {}\n\
resource \"aws_security_group\" \"sg\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n";

fn rules(stdout: &str) -> Vec<String> {
    json(stdout)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                f["file"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn the_nearest_file_upward_applies_and_flags_override_it() {
    let dir = scratch(&[
        ("cislint.toml", "ignore = [\"4\"]\nfail-on = \"high\"\n"),
        ("infra/prod/main.tf", TWO_FINDINGS),
    ]);
    // From the project root and from deep below it (with the root named, as there is no git
    // work tree to find it by): the same file applies.
    for (cwd, root, path, shown) in [
        (
            dir.path().to_path_buf(),
            ".",
            "infra/prod",
            "infra/prod/main.tf",
        ),
        (dir.path().join("infra/prod"), "../..", ".", "./main.tf"),
    ] {
        let r = run(&["--format", "json", "--root", root, path], &cwd);
        assert_eq!(rules(&r.stdout), vec![format!("kms-key-rotation {shown}")]);
        // The only finding is medium, below `fail-on = "high"`.
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    // Flags override the file.
    let r = run(
        &[
            "--format",
            "json",
            "--ignore",
            "2",
            "--fail-on",
            "medium",
            "infra",
        ],
        dir.path(),
    );
    assert_eq!(
        rules(&r.stdout),
        vec!["ec2-sg-ingress-ssh infra/prod/main.tf"]
    );
    assert_eq!(r.code, 1);
    let r = run(
        &["--format", "json", "--select", "4.1", "infra"],
        dir.path(),
    );
    // `--select 4.1` replaces nothing in the file's `ignore = ["4"]`: 4.1 stays ignored.
    assert_eq!(rules(&r.stdout), Vec::<String>::new());
}

#[test]
fn an_explicit_config_file_replaces_the_nearest_one() {
    let dir = scratch(&[
        ("cislint.toml", "select = [\"4.1\"]\n"),
        ("ci/strict.toml", "select = [\"2.8\"]\n"),
        ("main.tf", TWO_FINDINGS),
    ]);
    let r = run(&["--format", "json", "."], dir.path());
    assert_eq!(rules(&r.stdout), vec!["ec2-sg-ingress-ssh ./main.tf"]);
    let r = run(
        &["--format", "json", "--config", "ci/strict.toml", "."],
        dir.path(),
    );
    assert_eq!(rules(&r.stdout), vec!["kms-key-rotation ./main.tf"]);
}

#[test]
fn errors_in_the_file_name_their_line_and_exit_two() {
    let dir = scratch(&[
        (
            "cislint.toml",
            "select = [\"2\"]\n\n[per-path-ignores]\n\"a/**\" = [\"4.1\"]\n\"b/**\" = 1\n",
        ),
        ("main.tf", TWO_FINDINGS),
    ]);
    let r = run(&["."], dir.path());
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    let cfg = dir.path().join("cislint.toml");
    assert_eq!(
        r.stderr,
        format!(
            "cislint: {}:5:10: invalid type: integer `1`, expected a sequence\n",
            cfg.display()
        )
    );
    let dir = scratch(&[
        ("cislint.toml", "selec = [\"2\"]\n"),
        ("main.tf", TWO_FINDINGS),
    ]);
    let r = run(&["."], dir.path());
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(":1:1: unknown field `selec`"),
        "{}",
        r.stderr
    );
    let dir = scratch(&[("cislint.toml", "ignore = [\"2.9\"]\n")]);
    let r = run(&["config"], dir.path());
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(":1:11: unknown control `2.9`"),
        "{}",
        r.stderr
    );
}

#[test]
fn exclude_and_per_path_ignores() {
    let dir = scratch(&[
        (
            "cislint.toml",
            "exclude = [\"legacy\"]\n[per-path-ignores]\n\"sandbox/**\" = [\"2.8\"]\n",
        ),
        ("legacy/main.tf", TWO_FINDINGS),
        ("sandbox/main.tf", TWO_FINDINGS),
        ("prod/main.tf", TWO_FINDINGS),
    ]);
    let r = run(&["--format", "json", "."], dir.path());
    assert_eq!(
        rules(&r.stdout),
        vec![
            "kms-key-rotation ./prod/main.tf",
            "ec2-sg-ingress-ssh ./prod/main.tf",
            "ec2-sg-ingress-ssh ./sandbox/main.tf",
        ]
    );
    // Excluded files stay excluded when named, as a pre-commit hook names them.
    let r = run(&["--format", "json", "legacy/main.tf"], dir.path());
    assert_eq!(rules(&r.stdout), Vec::<String>::new());
    // `--exclude` adds to the file's list.
    let r = run(
        &["--format", "json", "--exclude", "prod/*.tf", "."],
        dir.path(),
    );
    assert_eq!(
        rules(&r.stdout),
        vec!["ec2-sg-ingress-ssh ./sandbox/main.tf"]
    );
}

#[test]
fn config_prints_the_effective_settings() {
    let dir = scratch(&[(
        "cislint.toml",
        "select = [\"2\", \"4\"]\nscope = \"account\"\nlang = \"ja\"\nvar-files = [\"prod.tfvars\"]\nrules = [\"guard/extra.guard\"]\n",
    )]);
    let r = run(
        &["config", "--fail-on", "high", "--ignore", "2.7"],
        dir.path(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let cfg = dir.path().join("cislint.toml");
    let expected = format!(
        "# from {}, with command-line flags applied\n\
         select = [\"2\", \"4\"]\n\
         ignore = [\"2.7\"]\n\
         scope = \"account\"\n\
         fail-on = \"high\"\n\
         strict-patterns = false\n\
         lang = \"ja\"\n\
         exclude = []\n\
         var-files = [\"prod.tfvars\"]\n\
         rules = [\"guard/extra.guard\"]\n\
         \n\
         [severity]\n\
         \n\
         [per-path-ignores]\n\
         \n\
         [limits]\n\
         file-size = 67108864\n\
         yaml-alias-nodes = 1000000\n\
         yaml-nodes = 20000000\n\
         instances = 10000\n\
         module-depth = 32\n\
         module-instances = 5000\n\
         eval-steps = 5000000\n\
         value-size = 1000000\n\
         value-bytes = 16777216\n",
        cfg.display()
    );
    assert_eq!(r.stdout, expected);
    // Its output is itself a valid configuration.
    let dir2 = scratch(&[("cislint.toml", &r.stdout)]);
    let again = run(&["config"], dir2.path());
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("fail-on = \"high\""));
    // `lang` from the file applies to messages; `--lang` overrides it.
    let dir3 = scratch(&[
        ("cislint.toml", "lang = \"ja\"\n"),
        ("main.tf", TWO_FINDINGS),
    ]);
    let r = run(&["--select", "2.8", "."], dir3.path());
    assert!(r.stdout.contains("ファイル中 1 件の違反"), "{}", r.stdout);
    let r = run(&["--select", "2.8", "--lang", "en", "."], dir3.path());
    assert!(r.stdout.contains("1 finding in 1 file"), "{}", r.stdout);
}
