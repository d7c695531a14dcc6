//! Groups of module directories that local module calls do not cross, found before parsing so
//! that a scan can parse, evaluate and free one group at a time: only the syntax trees of the
//! groups in flight are in memory, however large the repository.
//!
//! The grouping reads the texts, not syntax trees: every string literal that looks like a
//! local module source (`"./…"`, `"../…"`, `"."`, `".."`) links its directory to the one it
//! names. A literal that is no module source (a comment, a file path) only merges two groups,
//! which costs nothing but memory; a source the pass cannot see (written with escapes) is
//! caught after parsing, when the exact calls are known (see `scan`).

/// String literals of `text` that could be local module sources, unescaped.
pub fn local_source_literals(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = memchr::memchr(b'"', &b[from..]).map(|p| from + p) {
        from = p + 1;
        let rest = &text[p + 1..];
        if !(rest.starts_with("./")
            || rest.starts_with("../")
            || rest.starts_with(".\"")
            || rest.starts_with("..\""))
        {
            continue;
        }
        if let Some(s) = literal(rest) {
            out.push(s);
        }
    }
    out
}

/// The string from just after an opening quote to its closing quote, with `\\` and `\"`
/// unescaped; `None` at a line break or any other escape (left to the exact check).
fn literal(rest: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\n' => return None,
            '\\' => match chars.next()? {
                e @ ('\\' | '"') => out.push(e),
                _ => return None,
            },
            c => out.push(c),
        }
    }
    None
}

/// Union-find over `n` items: which items end up in one group.
pub struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    /// `n` items, each alone.
    pub fn new(n: usize) -> Groups {
        Groups {
            parent: (0..n).collect(),
        }
    }

    /// Adds one more item, alone; returns its index.
    pub fn add(&mut self) -> usize {
        self.parent.push(self.parent.len());
        self.parent.len() - 1
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Puts `a` and `b` in one group.
    pub fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }

    /// The groups, each as its items in ascending order, ordered by their first item.
    pub fn into_groups(mut self) -> Vec<Vec<usize>> {
        let mut by_root: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for i in 0..self.parent.len() {
            let r = self.find(i);
            by_root.entry(r).or_default().push(i);
        }
        by_root.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_local_source_literals_and_nothing_else() {
        let text = r#"
# a comment with a "quote
module "a" { source = "./modules/a" }
module "b" { source = "../shared" }
module "c" { source = "terraform-aws-modules/vpc/aws" }
module "d" { source = "." }
x = "a\"b"
y = "./with \"escaped\" quote"
z = "./escaped\u0041" # left to the exact check
"#;
        assert_eq!(
            local_source_literals(text),
            vec!["./modules/a", "../shared", ".", "./with \"escaped\" quote"]
        );
        assert_eq!(
            local_source_literals(r#"{"module": {"m": {"source": "../m"}}}"#),
            vec!["../m"]
        );
    }

    #[test]
    fn groups_are_connected_components() {
        let mut g = Groups::new(5);
        g.join(3, 1);
        g.join(4, 3);
        let extra = g.add();
        g.join(extra, 0);
        assert_eq!(g.into_groups(), vec![vec![0, 5], vec![1, 3, 4], vec![2]]);
    }
}
