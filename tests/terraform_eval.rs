//! Terraform evaluation seen from outside: instance addresses, graph edges across the module
//! tree, provenance labels and module call sites in the JSON output, unresolved modules,
//! statistics.

use std::path::{Path, PathBuf};

use cislint::render::{self, Report};

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/terraform")
        .join(name)
}

fn addresses(name: &str) -> Vec<String> {
    let (scanned, _) = cislint::run(&[case(name)], &|_| true);
    let mut a: Vec<String> = scanned
        .graph
        .resources
        .iter()
        .map(|r| r.address.clone())
        .collect();
    a.sort();
    a
}

#[test]
fn instances_are_addressed_as_terraform_addresses_them() {
    assert_eq!(
        addresses("count"),
        [
            "aws_security_group.scaled[0]",
            "aws_security_group.web[0]",
            "aws_security_group.web[1]",
            "aws_security_group.web[2]",
        ]
    );
    assert_eq!(
        addresses("for-each"),
        [
            "aws_security_group.main",
            "aws_security_group_rule.rdp[\"0.0.0.0/0\"]",
            "aws_security_group_rule.rdp[\"192.168.0.0/16\"]",
            "aws_security_group_rule.ssh[\"office\"]",
            "aws_security_group_rule.ssh[\"vpn\"]",
        ]
    );
    let m = addresses("modules-local");
    for a in [
        "module.web[\"a\"].aws_security_group.this[0]",
        "module.web[\"b\"].aws_security_group.this[0]",
        "module.web[\"c\"].aws_security_group.this[0]",
        "module.net.aws_vpc.this[0]",
        "module.later.aws_security_group.this[0]",
        "aws_flow_log.vpc",
    ] {
        assert!(m.iter().any(|x| x == a), "{a} missing from {m:?}");
    }
}

#[test]
fn an_unknown_count_makes_existence_unknown() {
    let (scanned, _) = cislint::run(&[case("count")], &|_| true);
    for r in &scanned.graph.resources {
        assert_eq!(
            r.conditional,
            r.address.starts_with("aws_security_group.scaled"),
            "{}",
            r.address
        );
    }
}

#[test]
fn references_across_the_module_tree_are_graph_edges() {
    let (scanned, _) = cislint::run(&[case("modules-local")], &|_| true);
    let g = &scanned.graph;
    let flow = g
        .resources
        .iter()
        .position(|r| r.address == "aws_flow_log.vpc")
        .unwrap();
    let flow = &g.resources[flow];
    let vpc_id = flow.attrs.get("vpc_id").unwrap();
    let targets: Vec<&str> = g
        .targets(flow.unit, vpc_id)
        .into_iter()
        .map(|(id, attr)| {
            assert_eq!(attr, "id");
            g.resource(id).address.as_str()
        })
        .collect();
    assert_eq!(targets, ["module.net.aws_vpc.this[0]"]);
    // A known value read through a module output keeps its edge too.
    let rule = g
        .resources
        .iter()
        .find(|r| r.address == "aws_security_group_rule.from_output")
        .unwrap();
    let cidrs = rule.attrs.get("cidr_blocks").unwrap();
    assert_eq!(cidrs.as_list().unwrap()[0].as_str(), Some("0.0.0.0/0"));
    let t: Vec<&str> = g
        .targets(rule.unit, cidrs)
        .into_iter()
        .map(|(id, _)| g.resource(id).address.as_str())
        .collect();
    assert!(t.contains(&"module.net.aws_route.default"), "{t:?}");
    let sg = rule.attrs.get("security_group_id").unwrap();
    let t: Vec<&str> = g
        .targets(rule.unit, sg)
        .into_iter()
        .map(|(id, _)| g.resource(id).address.as_str())
        .collect();
    assert_eq!(t, ["module.web[\"a\"].aws_security_group.this[0]"]);
}

fn json(paths: &[PathBuf], stats: bool) -> serde_json::Value {
    let (scanned, outcome) = cislint::run(paths, &|_| true);
    let report = Report {
        sources: &scanned.sources,
        outcome: &outcome,
        errors: &scanned.errors,
        path_errors: &scanned.path_errors,
        counts: &scanned.counts,
        lang: cislint::catalog::Lang::En,
        show_undetermined: false,
        unresolved: &scanned.unresolved,
        stats: stats.then_some(&scanned.stats),
        skipped: &scanned.skipped,
        scorecard: &[],
        scope: Default::default(),
        show_scorecard: false,
        show_suppressed: false,
        quiet: false,
        color: false,
        link_base: None,
    };
    serde_json::from_str(&render::json::render(&report)).unwrap()
}

fn labels(f: &serde_json::Value) -> Vec<(String, u64, u64, String)> {
    f["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let file = l["file"].as_str().unwrap();
            let file = file.rsplit('/').next().unwrap().to_string();
            (
                file,
                l["line"].as_u64().unwrap(),
                l["column"].as_u64().unwrap(),
                l["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn findings_name_where_the_value_came_from() {
    let d = json(&[case("tfvars-precedence")], false);
    let f = &d["findings"][0];
    assert_eq!(f["line"], 20);
    let l = labels(f);
    assert!(
        l.contains(&(
            "terraform.tfvars".into(),
            2,
            13,
            "value comes from here".into()
        )),
        "{l:?}"
    );

    let d = json(&[case("dynamic-blocks")], false);
    let l = labels(&d["findings"][0]);
    // The element of the second rule in terraform.tfvars, not the first rule's.
    assert!(
        l.contains(&(
            "terraform.tfvars".into(),
            3,
            39,
            "value comes from here".into()
        )),
        "{l:?}"
    );

    let d = json(&[case("file-functions")], false);
    let ssh = d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ec2-sg-ingress-ssh")
        .unwrap();
    let l = labels(ssh);
    assert!(
        l.contains(&("rules.json".into(), 5, 5, "value comes from here".into())),
        "{l:?}"
    );
}

#[test]
fn findings_in_modules_name_the_call_site() {
    let d = json(&[case("modules-local")], false);
    let f = d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource"] == "module.web[\"a\"].aws_security_group.this[0]")
        .unwrap();
    assert!(f["file"].as_str().unwrap().ends_with("modules/sg/main.tf"));
    let l = labels(f);
    assert!(
        l.contains(&("main.tf".into(), 3, 1, "module called here".into())),
        "{l:?}"
    );
    assert!(
        l.contains(&("main.tf".into(), 8, 15, "value comes from here".into())),
        "{l:?}"
    );
}

#[test]
fn unresolved_modules_are_listed_once_per_call() {
    let d = json(&[case("modules-unresolved")], false);
    assert_eq!(d["errors"].as_array().unwrap().len(), 0);
    let u = d["unresolved_modules"].as_array().unwrap();
    let names: Vec<&str> = u.iter().map(|m| m["module"].as_str().unwrap()).collect();
    assert_eq!(names, ["module.vpc", "module.git"]);
    assert_eq!(u[0]["source"], "terraform-aws-modules/vpc/aws");
    assert_eq!(u[0]["line"], 3);

    // A module called three times whose own call is unresolved: still one entry.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("m")).unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "module \"m\" {\n  source = \"./m\"\n  count  = 3\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("m/main.tf"),
        "module \"r\" {\n  source = \"hashicorp/x/aws\"\n}\n",
    )
    .unwrap();
    let d = json(&[dir.path().to_path_buf()], false);
    let u = d["unresolved_modules"].as_array().unwrap();
    assert_eq!(u.len(), 1, "{u:?}");
    assert_eq!(u[0]["module"], "module.m.module.r");
}

#[test]
fn stats_count_modules_resources_and_known_attributes() {
    let d = json(&[case("modules-local")], true);
    let s = &d["stats"];
    // root + web a/b/c + net + later
    assert_eq!(s["module_instances"], 6);
    assert_eq!(s["module_dirs"], 3);
    assert_eq!(s["resources"], 9);
    let (a, k, u, p) = (
        s["attributes"].as_u64().unwrap(),
        s["known"].as_u64().unwrap(),
        s["unknown"].as_u64().unwrap(),
        s["partially_known"].as_u64().unwrap(),
    );
    assert_eq!(a, k + u + p);
    assert!(u >= 2, "security_group_id and vpc_id are unknown: {s}");
    assert!(p >= 1, "module.later's cidr list is partly unknown: {s}");
    assert!(json(&[case("count")], false).get("stats").is_none());
}

#[test]
fn a_plan_with_its_configuration_is_not_scanned_twice() {
    let d = json(&[case("plan-mapped")], false);
    assert_eq!(d["summary"]["files"]["plans"], 1);
    for f in d["findings"].as_array().unwrap() {
        assert!(f["file"].as_str().unwrap().ends_with("main.tf"), "{f}");
    }
    assert_eq!(d["findings"].as_array().unwrap().len(), 3);
}
