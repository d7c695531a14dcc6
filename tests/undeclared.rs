//! `undeclared-reference`: a warning at each reference to a name the module does not
//! declare, which never decides the exit status by itself; a file named alone is read with
//! its directory, so names declared beside it are not undeclared. (The positions of the
//! warnings and what the references point at are covered by the fixtures
//! `terraform/undeclared-*` and `4.03-vpc-flow-logs/fail-undeclared-tf`.)

mod common;

use std::path::Path;

/// A rotated key whose description reads an undeclared variable: nothing to report but the
/// warning, so the run succeeds.
const ROTATED: &str = "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = true\n  \
                       description = var.purpose\n}\n";

/// (exit status, (code, file, line, column) of every warning) of a JSON run in `cwd`.
fn warnings(args: &[&str], cwd: &Path) -> (i32, Vec<Vec<String>>) {
    let mut all = vec!["--format", "json", "--select", "kms-key-rotation"];
    all.extend_from_slice(args);
    let run = common::run(&all, cwd);
    let doc = common::json(&run.stdout);
    assert_eq!(doc["findings"], serde_json::json!([]), "{doc}");
    let rows = common::table(&doc, "warnings", &["code", "file", "line", "column"]);
    (run.code, rows)
}

fn warning(file: &str, line: u64, column: u64) -> Vec<String> {
    let place = [file.to_string(), line.to_string(), column.to_string()];
    std::iter::once("undeclared-reference".to_string())
        .chain(place)
        .collect()
}

#[test]
fn a_warning_alone_leaves_the_exit_status_clean() {
    let dir = common::scratch(&[("main.tf", ROTATED)]);
    assert_eq!(
        warnings(&["."], dir.path()),
        (0, vec![warning("./main.tf", 3, 17)])
    );
    // The text format shows it too, and still exits 0.
    let run = common::run(&["--select", "kms-key-rotation", "."], dir.path());
    let said = "warning[undeclared-reference]: reference to an undeclared variable `var.purpose`";
    assert!(run.stdout.contains(said), "{}", run.stdout);
    assert!(run.stdout.contains(" --> ./main.tf:3:17"), "{}", run.stdout);
    assert_eq!(run.code, 0);
}

#[test]
fn a_file_named_alone_sees_the_declarations_beside_it() {
    let declared = "variable \"purpose\" {\n  default = \"app\"\n}\n";
    let dir = common::scratch(&[("main.tf", ROTATED), ("variables.tf", declared)]);
    assert_eq!(warnings(&["main.tf"], dir.path()), (0, vec![]));
    // Without the declaration, the named file's reference is undeclared.
    std::fs::remove_file(dir.path().join("variables.tf")).unwrap();
    assert_eq!(
        warnings(&["main.tf"], dir.path()),
        (0, vec![warning("main.tf", 3, 17)])
    );
}
