//! Differential test against Terraform itself: every Terraform evaluation fixture under
//! `testdata/terraform/` is planned by real Terraform (offline, dummy credentials,
//! `-refresh=false`), and every attribute value cislint calls known must equal Terraform's
//! planned value; the instances must be the same. Attributes Terraform does not have, and
//! `null` (left to the provider), are skipped; sets are compared without order.
//!
//! Needs `terraform` on PATH and the AWS provider in a plugin directory (`TF_PLUGIN_DIR`,
//! default `/opt/tf-plugins`); without them the test prints a notice and passes. Fixtures that
//! Terraform cannot plan offline say `# differential: skip (reason)` in `expected.txt`.

use std::path::{Path, PathBuf};
use std::process::Command;

use cislint::value::{Node, Value};
use serde_json::Value as J;

const PROVIDER: &str = r#"
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
"#;

fn plugin_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("TF_PLUGIN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/tf-plugins"));
    let ok = Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    (ok && dir.join("registry.terraform.io/hashicorp/aws").is_dir()).then_some(dir)
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/terraform");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let expected = std::fs::read_to_string(p.join("expected.txt")).unwrap_or_default();
            p.is_dir() && !expected.contains("# differential: skip")
        })
        .collect();
    out.sort();
    out
}

/// Copies the Terraform sources of a case (not plans, not `.terraform`).
fn copy_sources(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if p.is_dir() {
            if name != ".terraform" {
                copy_sources(&p, &to.join(&name));
            }
        } else if name != "tfplan.json" && name != "expected.txt" {
            std::fs::copy(&p, to.join(&name)).unwrap();
        }
    }
}

fn terraform(dir: &Path, plugins: &Path) -> Result<J, String> {
    let tf = |args: &[&str]| {
        let out = Command::new("terraform")
            .args(args)
            .current_dir(dir)
            .env("TF_CLI_CONFIG_FILE", "/dev/null")
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(format!(
                "terraform {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    };
    let plugin_arg = format!("-plugin-dir={}", plugins.display());
    tf(&["init", "-input=false", "-backend=false", &plugin_arg])?;
    tf(&[
        "plan",
        "-refresh=false",
        "-input=false",
        "-lock=false",
        "-out=plan.bin",
    ])?;
    let json = tf(&["show", "-json", "plan.bin"])?;
    serde_json::from_slice(&json).map_err(|e| e.to_string())
}

/// Planned resources by address, with their `after_unknown`.
fn planned(plan: &J) -> Vec<(String, bool, J, J)> {
    fn walk(m: &J, unknown: &J, out: &mut Vec<(String, bool, J, J)>) {
        for r in m["resources"].as_array().into_iter().flatten() {
            let addr = r["address"].as_str().unwrap_or_default().to_string();
            let is_data = r["mode"] == "data";
            let u = unknown
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["address"] == addr.as_str())
                .map(|c| c["change"]["after_unknown"].clone())
                .unwrap_or(J::Null);
            out.push((addr, is_data, r["values"].clone(), u));
        }
        for c in m["child_modules"].as_array().into_iter().flatten() {
            walk(c, unknown, out);
        }
    }
    let mut out = Vec::new();
    walk(
        &plan["planned_values"]["root_module"],
        &plan["resource_changes"],
        &mut out,
    );
    out
}

fn scalar(j: &J) -> Option<String> {
    match j {
        J::String(s) => Some(s.clone()),
        J::Bool(b) => Some(b.to_string()),
        J::Number(n) => n.as_f64().map(cislint::value::format_number),
        _ => None,
    }
}

/// Compares what cislint knows of a value with Terraform's planned value.
fn compare(path: &str, c: &Node, t: &J, unknown: &J) -> Result<(), String> {
    if c.is_unknown() || c.is_null() {
        return Ok(());
    }
    if unknown == &J::Bool(true) {
        return Err(format!(
            "{path}: cislint knows {:?}, terraform says known after apply",
            c.to_json()
        ));
    }
    match (&c.value, t) {
        (Value::Map(m), J::Object(o)) => {
            for (k, v) in m.iter() {
                if let Some(tv) = o.get(&k.name) {
                    compare(&format!("{path}.{}", k.name), v, tv, &unknown[&k.name])?;
                }
            }
            Ok(())
        }
        // A single nested block written as a JSON object.
        (Value::Map(_), J::Array(a)) if a.len() == 1 => compare(path, c, &a[0], &unknown[0]),
        (Value::List(items), J::Array(a)) => {
            if items.len() != a.len() {
                return Err(format!(
                    "{path}: {} elements, terraform has {}",
                    items.len(),
                    a.len()
                ));
            }
            let ordered = items
                .iter()
                .enumerate()
                .try_for_each(|(i, v)| compare(&format!("{path}[{i}]"), v, &a[i], &unknown[i]));
            if ordered.is_ok() {
                return ordered;
            }
            // Sets: Terraform orders them its own way.
            let mut used = vec![false; a.len()];
            for (i, v) in items.iter().enumerate() {
                let hit = (0..a.len())
                    .find(|j| !used[*j] && compare("", v, &a[*j], &unknown[*j]).is_ok());
                match hit {
                    Some(j) => used[j] = true,
                    None => {
                        return Err(format!(
                            "{path}[{i}]: {:?} matches no planned element of {t}",
                            v.to_json()
                        ));
                    }
                }
            }
            Ok(())
        }
        _ => match (cislint::terraform::eval::scalar_string(c), scalar(t)) {
            (Some(a), Some(b)) if a == b => Ok(()),
            _ => Err(format!("{path}: cislint {:?}, terraform {t}", c.to_json())),
        },
    }
}

#[test]
fn known_values_equal_terraforms_plan() {
    let Some(plugins) = plugin_dir() else {
        eprintln!(
            "notice: terraform or the AWS provider plugin directory is absent; differential test skipped"
        );
        return;
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(&name);
        copy_sources(&case, &dir);
        let (scanned, _) = cislint::run(std::slice::from_ref(&dir), &|_| true);
        std::fs::write(dir.join("zz_provider_override.tf"), PROVIDER).unwrap();
        let plan = match terraform(&dir, &plugins) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let planned = planned(&plan);
        let root_unit = scanned
            .graph
            .units
            .iter()
            .position(|u| Path::new(&u.name) == dir);
        let ours: Vec<_> = scanned
            .graph
            .resources
            .iter()
            .filter(|r| !r.is_data && Some(r.unit.0) == root_unit)
            .collect();
        for r in &ours {
            let Some((_, _, values, unknown)) =
                planned.iter().find(|(a, d, _, _)| *a == r.address && !d)
            else {
                failures.push(format!(
                    "{name}: cislint has {}, terraform does not",
                    r.address
                ));
                continue;
            };
            for (k, v) in r.attrs.iter() {
                if let Some(tv) = values.get(&k.name) {
                    checked += 1;
                    if let Err(e) = compare(
                        &format!("{}.{}", r.address, k.name),
                        v,
                        tv,
                        &unknown[&k.name],
                    ) {
                        failures.push(format!("{name}: {e}"));
                    }
                }
            }
        }
        for (a, is_data, _, _) in &planned {
            if !is_data && !ours.iter().any(|r| &r.address == a) {
                failures.push(format!("{name}: terraform plans {a}, cislint does not"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 50, "only {checked} attributes compared");
    eprintln!("differential: {checked} attributes agree with terraform");
}
