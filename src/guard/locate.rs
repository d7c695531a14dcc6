//! From a property path as Guard reports it (`/Resources/aws_s3_bucket.logs/Properties/tags/Name`)
//! back to the value in our tree. Guard joins keys with `/` without escaping, and keys may
//! contain `/` themselves (`kubernetes.io/cluster/x`), so each step takes the longest key
//! that the rest of the path starts with.

use crate::source::Span;
use crate::value::{Map, Node, Value};

/// Where a path leads in a document.
#[derive(Debug)]
pub(crate) struct Walk<'a> {
    /// The nodes passed, from the root to the deepest one reached.
    pub trail: Vec<&'a Node>,
    /// Whether the whole path was followed.
    pub complete: bool,
    /// The top-level section and entry the path goes through (`Resources`, logical id or
    /// address) with the span of the entry's key: a resource's header.
    pub entry: Option<(String, String, Span)>,
    /// The path below the entry's `Properties` (`["tags", "Name"]`), when it goes there.
    pub property: Vec<String>,
}

impl<'a> Walk<'a> {
    /// The deepest node reached.
    pub fn node(&self) -> Option<&'a Node> {
        self.trail.last().copied()
    }
}

/// Follows `path` from `root` as far as it leads.
pub(crate) fn walk<'a>(root: &'a Node, path: &str) -> Walk<'a> {
    let mut out = Walk {
        trail: vec![root],
        complete: true,
        entry: None,
        property: Vec::new(),
    };
    let mut rest = path.strip_prefix('/').unwrap_or(path);
    let mut node = root;
    let mut keys: Vec<String> = Vec::new();
    while !rest.is_empty() {
        let step = match &node.value {
            Value::Map(m) => m
                .iter()
                .filter(|(k, _)| {
                    rest == k.name
                        || (rest.starts_with(k.name.as_str())
                            && rest.as_bytes().get(k.name.len()) == Some(&b'/'))
                })
                .max_by_key(|(k, _)| k.name.len())
                .map(|(k, v)| (k.name.clone(), Some(k.span), v)),
            Value::List(items) => {
                let seg = rest.split('/').next().unwrap_or("");
                seg.parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .map(|v| (seg.to_string(), None, v))
            }
            _ => None,
        };
        let Some((name, key_span, next)) = step else {
            out.complete = false;
            break;
        };
        rest = rest[name.len()..].strip_prefix('/').unwrap_or("");
        if keys.len() == 1
            && let Some(span) = key_span
        {
            out.entry = Some((keys[0].clone(), name.clone(), span));
        }
        if keys.len() >= 3 && keys[2] == "Properties" {
            out.property.push(name.clone());
        }
        keys.push(name);
        out.trail.push(next);
        node = next;
    }
    out
}

/// Follows property names through a resource's evaluated attributes; the nodes passed.
pub(crate) fn follow<'a>(attrs: &'a Map, names: &[String]) -> Vec<&'a Node> {
    let mut out: Vec<&Node> = Vec::new();
    for name in names {
        let next = match out.last() {
            None => attrs.get(name),
            Some(node) => match &node.value {
                Value::Map(m) => m.get(name),
                Value::List(items) => name.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            },
        };
        match next {
            Some(n) => out.push(n),
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn keys_with_slashes_take_the_longest_match() {
        let root = crate::parse::json::parse(
            FileId(0),
            r#"{"Resources": {"B": {"Properties": {"Tags": {"a": 1, "a/b": {"c": [5, 6]}}}}}}"#,
        )
        .unwrap();
        let w = walk(&root, "/Resources/B/Properties/Tags/a/b/c/1");
        assert!(w.complete);
        assert_eq!(w.node().and_then(Node::as_f64), Some(6.0));
        assert_eq!(w.entry.as_ref().map(|e| e.1.as_str()), Some("B"));
        assert_eq!(w.property, ["Tags", "a/b", "c", "1"]);
        let w = walk(&root, "/Resources/B/Properties/Missing");
        assert!(!w.complete);
        assert_eq!(w.trail.len(), 4);
    }
}
