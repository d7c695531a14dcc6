//! cislint runs on untrusted pull requests: no network client in the dependency tree and no
//! process spawning in the library (the scan path). Enforced here, by design.

use std::path::Path;

#[test]
fn no_http_client_in_the_dependency_tree() {
    let lock =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    for client in [
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "isahc",
        "attohttpc",
        "surf",
        "h2",
        "native-tls",
        "rustls",
        "openssl",
        "tokio",
    ] {
        assert!(
            !lock.contains(&format!("name = \"{client}\"")),
            "{client} is in Cargo.lock: cislint must not be able to reach the network"
        );
    }
}

#[test]
fn the_library_never_spawns_processes() {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                for (i, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or("");
                    if code.contains("process::Command") || code.contains("Command::new") {
                        out.push(format!("{}:{}", p.display(), i + 1));
                    }
                }
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut hits = Vec::new();
    walk(&root.join("src"), &mut hits);
    walk(&root.join("checks"), &mut hits);
    assert!(
        hits.is_empty(),
        "process spawning in the scan path: {hits:?}"
    );
}
