//! Where a finding sits inside its resource: a stable attribute path such as
//! `ingress[0].cidr_blocks[1]`, and the spans of the keys and items that lead to it.
//!
//! The path names attributes, not lines, so a baseline keyed on it survives line moves and
//! reformatting; the spans tell a suppression comment on an enclosing attribute or block
//! that it covers the finding.

use crate::graph::Resource;
use crate::source::Span;
use crate::value::{Map, Node, Value};

/// The attribute path of a span and the enclosing keys' and items' spans, outermost first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub enclosing: Vec<Span>,
}

/// Deepest nesting followed; evaluated values are already depth-limited by the parsers.
const MAX_DEPTH: usize = 64;

/// Locates `span` among the attributes of `resource`. A span outside them (the resource
/// header, a unit anchor) has an empty path.
pub fn locate(resource: &Resource, span: Span) -> Location {
    let mut loc = Location::default();
    map(&resource.attrs, span, &mut loc, 0);
    loc
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

fn map(m: &Map, target: Span, loc: &mut Location, depth: usize) -> bool {
    for (k, v) in m.iter() {
        if contains(k.span, target) || contains(v.span, target) {
            if !loc.path.is_empty() {
                loc.path.push('.');
            }
            loc.path.push_str(&k.name);
            loc.enclosing.push(k.span);
            if !contains(k.span, target) {
                node(v, target, loc, depth + 1);
            }
            return true;
        }
    }
    false
}

fn node(n: &Node, target: Span, loc: &mut Location, depth: usize) {
    if depth > MAX_DEPTH || n.span == target {
        return;
    }
    match &n.value {
        Value::Map(m) => {
            map(m, target, loc, depth);
        }
        Value::List(items) => {
            if let Some((i, item)) = items
                .iter()
                .enumerate()
                .find(|(_, item)| contains(item.span, target))
            {
                loc.path.push_str(&format!("[{i}]"));
                loc.enclosing.push(item.span);
                node(item, target, loc, depth + 1);
            }
        }
        _ => {
            // A policy document inside `jsonencode(…)` keeps its own structure.
            if let Some(inner) = &n.encoded {
                node(inner, target, loc, depth + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn resource_of(text: &str) -> crate::graph::Graph {
        let file = FileId(0);
        let parsed = crate::terraform::parse_file(file, text).unwrap();
        let mut g = crate::graph::Graph::default();
        let unit = g.add_unit(crate::graph::Unit {
            kind: crate::graph::InputKind::TerraformModule,
            anchor: Span::new(file, 0, 0),
            name: "m".into(),
        });
        crate::terraform::load_module(&[parsed], &mut g, unit, &[]);
        g
    }

    #[test]
    fn paths_name_nested_blocks_and_list_items() {
        let text = "resource \"aws_security_group\" \"sg\" {\n  ingress {\n    from_port = 22\n    cidr_blocks = [\"10.0.0.0/8\", \"0.0.0.0/0\"]\n  }\n}\n";
        let g = resource_of(text);
        let r = &g.resources[0];
        let at = text.find("\"0.0.0.0/0\"").unwrap();
        let loc = locate(r, Span::new(FileId(0), at, at + 11));
        assert_eq!(loc.path, "ingress[0].cidr_blocks[1]");
        // The `ingress` key, the block, the `cidr_blocks` key and the list item.
        let lines: Vec<usize> = loc
            .enclosing
            .iter()
            .map(|s| text[..s.start as usize].matches('\n').count() + 1)
            .collect();
        assert_eq!(lines, vec![2, 2, 4, 4]);
        let header = locate(r, r.span);
        assert_eq!(header.path, "");
    }

    #[test]
    fn reformatting_keeps_the_path() {
        let a = "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = false\n}\n";
        let b = "\n\n# moved\nresource \"aws_kms_key\" \"k\" {\n  description         = \"x\"\n  enable_key_rotation = false\n}\n";
        let path = |text: &str| {
            let g = resource_of(text);
            let at = text.find("false").unwrap();
            locate(&g.resources[0], Span::new(FileId(0), at, at + 5)).path
        };
        assert_eq!(path(a), "enable_key_rotation");
        assert_eq!(path(a), path(b));
    }
}
