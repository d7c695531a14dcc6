//! YAML with spans, for CloudFormation templates: short-form intrinsic tags (`!Ref`, `!Sub`, …)
//! become their long form (`{"Ref": …}`, `{"Fn::Sub": …}`), anchors and aliases are expanded
//! within a node budget so that alias bombs stay bounded: each anchored node knows its size,
//! so an alias is charged before it is copied, in constant time.

mod relax;

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use super::limits::{self, MAX_DEPTH};
use crate::graph::InputError;
use crate::source::{FileId, Span};
use crate::value::{Key, Map, MapBuilder, Node, Value};
use relax::Padding;

/// Parses the first document of a YAML stream into a [`Node`] tree.
///
/// Lines of a flow collection or quoted scalar indented less than the block around them,
/// which CloudFormation accepts and saphyr rejects, are re-indented and the text parsed
/// again (see [`relax`]); positions still point into `text`.
pub fn parse(file: FileId, text: &str) -> Result<Node, InputError> {
    let mut padding = Padding::default();
    let mut padded = Cow::Borrowed(text);
    let mut reparsed = 0usize;
    let mut fixed_before = None;
    loop {
        let (error, input, at, block_col) = match parse_text(file, &padded, &padding) {
            Ok(node) => return Ok(node),
            Err(Failure::Input(e)) => return Err(e),
            Err(Failure::Syntax {
                error,
                input,
                at,
                block_col,
            }) => (error, input, at, block_col),
        };
        // A pass never fails before the previous one (the text before that error is as it
        // was); a repair that adds no spaces ends the loop, and so do the budgets.
        let progress = fixed_before.is_none_or(|before| input.span.start >= before);
        if !progress || !relax::repair(&mut padding, &padded, &error, at, block_col) {
            return Err(input);
        }
        if padding.total() > text.len().max(relax::MIN_PADDING_BUDGET) {
            return Err(input);
        }
        let next = padding.apply(text);
        reparsed = reparsed.saturating_add(next.len());
        if reparsed > relax::MAX_REPARSE_BYTES {
            return Err(input);
        }
        fixed_before = Some(input.span.start);
        padded = Cow::Owned(next);
    }
}

/// Why one pass of the parser failed.
enum Failure {
    /// Not a matter of indentation: the error to report.
    Input(InputError),
    /// The parser's error, which re-indenting may fix.
    Syntax {
        error: ScanError,
        /// The error to report if it is not fixed.
        input: InputError,
        /// Byte offset of the error in the text parsed.
        at: usize,
        /// The greatest column of a block collection open at the error.
        block_col: Option<usize>,
    },
}

/// Parses `text`, which is the original text with `padding` applied.
fn parse_text(file: FileId, text: &str, padding: &Padding) -> Result<Node, Failure> {
    let offsets = CharOffsets::new(text);
    let byte = |char_index: usize| padding.original(offsets.byte(char_index));
    let mut builder = Builder {
        file,
        stack: Vec::new(),
        anchors: Default::default(),
        nodes: 0,
        aliased: 0,
        root: None,
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(item) = parser.next_event() {
        let (event, span) = match item {
            Ok(item) => item,
            Err(error) => {
                let at = offsets.byte(error.marker().index());
                let original = padding.original(at);
                let message = if error.info().contains("recursion limit") {
                    format!(
                        "nesting deeper than the YAML parser's limit ({})",
                        error.info()
                    )
                } else {
                    format!("invalid YAML: {}", error.info())
                };
                return Err(Failure::Syntax {
                    input: InputError {
                        span: Span::new(file, original, original),
                        message,
                    },
                    at,
                    block_col: builder.block_col(),
                    error,
                });
            }
        };
        // Block collections start with an empty span (flow ones at their bracket).
        let block_col = (span.start == span.end).then_some(span.start.col());
        let start = byte(span.start.index());
        let end = byte(span.end.index());
        if builder
            .event(event, Span::new(file, start, end), block_col)
            .map_err(Failure::Input)?
        {
            break;
        }
    }
    builder.root.ok_or_else(|| {
        Failure::Input(InputError {
            span: Span::new(file, 0, 0),
            message: "empty YAML document".into(),
        })
    })
}

/// Converts the parser's character indexes to byte offsets.
struct CharOffsets {
    /// Byte offset of each character; empty when the text is ASCII (index == offset).
    table: Vec<u32>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        let table = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i as u32).collect()
        };
        CharOffsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.table.is_empty() {
            char_index.min(self.len)
        } else {
            self.table
                .get(char_index)
                .map(|&b| b as usize)
                .unwrap_or(self.len)
        }
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: Span,
        /// The column of a block collection (see [`relax`]).
        block_col: Option<usize>,
        anchor: usize,
        tag: Option<String>,
        /// Size of the items so far (see [`weight`]).
        weight: usize,
    },
    Map {
        map: MapBuilder,
        pending_key: Option<Key>,
        start: Span,
        block_col: Option<usize>,
        anchor: usize,
        tag: Option<String>,
        weight: usize,
    },
}

/// What copying a node costs the alias budget: one per node, and one more per 64 bytes of
/// string (a list of aliases to one long string is as large as the copies it makes).
fn weight(n: &Node) -> usize {
    1 + match &n.value {
        Value::String(s) => s.len() / 64,
        _ => 0,
    }
}

struct Builder {
    file: FileId,
    stack: Vec<Frame>,
    /// Anchored nodes by anchor id (the parser numbers each anchor anew), with their sizes.
    anchors: foldhash::HashMap<usize, (Node, usize)>,
    nodes: usize,
    /// Nodes copied by alias expansion: what an alias bomb multiplies.
    aliased: usize,
    root: Option<Node>,
}

impl Builder {
    /// Handles one event (`block_col`: the column of a block collection it starts); returns
    /// true when the first document is complete.
    fn event(
        &mut self,
        event: Event<'_>,
        span: Span,
        block_col: Option<usize>,
    ) -> Result<bool, InputError> {
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                let node = scalar(&value, style, tag.as_deref(), span);
                self.count(1, span)?;
                let size = weight(&node);
                let node = wrap_tag(node, tag.as_deref());
                self.remember(anchor, &node, size);
                self.push_value(node, size, span)?;
            }
            Event::SequenceStart(anchor, tag) => {
                self.enter(span)?;
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    start: span,
                    block_col,
                    anchor,
                    tag: tag_name(tag.as_deref()),
                    weight: 1,
                });
            }
            Event::MappingStart(anchor, tag) => {
                self.enter(span)?;
                self.stack.push(Frame::Map {
                    map: MapBuilder::default(),
                    pending_key: None,
                    start: span,
                    block_col,
                    anchor,
                    tag: tag_name(tag.as_deref()),
                    weight: 1,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = self.stack.pop().expect("parser balances containers");
                let (node, anchor, tag, size) = match frame {
                    Frame::Seq {
                        items,
                        start,
                        anchor,
                        tag,
                        weight,
                        ..
                    } => (
                        Node::new(
                            Value::List(items.into()),
                            Span::new(
                                self.file,
                                start.range().start,
                                span.range().end.max(start.range().end),
                            ),
                        ),
                        anchor,
                        tag,
                        weight,
                    ),
                    Frame::Map {
                        map,
                        start,
                        anchor,
                        tag,
                        weight,
                        ..
                    } => (
                        Node::new(
                            Value::Map(map.finish()),
                            Span::new(
                                self.file,
                                start.range().start,
                                span.range().end.max(start.range().end),
                            ),
                        ),
                        anchor,
                        tag,
                        weight,
                    ),
                };
                let node = match tag {
                    Some(t) => intrinsic(&t, node),
                    None => node,
                };
                self.count(1, span)?;
                self.remember(anchor, &node, size);
                self.push_value(node, size, span)?;
            }
            Event::Alias(id) => {
                // The alias shares the anchored node (a clone counts a reference); what it adds
                // to the document, as every later walk sees it, is charged before it is added.
                let Some((node, size)) = self.anchors.get(&id).map(|(n, s)| (n.clone(), *s)) else {
                    return Err(InputError {
                        span,
                        message: "alias to an unknown anchor".into(),
                    });
                };
                self.aliased = self.aliased.saturating_add(size);
                if self.aliased > limits::get().yaml_alias_nodes {
                    return Err(InputError {
                        span,
                        message: format!(
                            "aliases expand to more than {} nodes (alias expansion bomb?; \
                             `yaml-alias-nodes` in [limits])",
                            limits::get().yaml_alias_nodes
                        ),
                    });
                }
                self.count(size, span)?;
                self.push_value(node, size, span)?;
            }
            Event::DocumentEnd => return Ok(self.root.is_some()),
            Event::StreamEnd => return Ok(true),
            _ => {}
        }
        Ok(false)
    }

    /// The greatest column of an open block collection.
    fn block_col(&self) -> Option<usize> {
        self.stack
            .iter()
            .filter_map(|f| match f {
                Frame::Seq { block_col, .. } | Frame::Map { block_col, .. } => *block_col,
            })
            .max()
    }

    fn enter(&self, span: Span) -> Result<(), InputError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(InputError {
                span,
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
            });
        }
        Ok(())
    }

    /// Counts expanded nodes so that alias bombs fail instead of exhausting memory.
    fn count(&mut self, n: usize, span: Span) -> Result<(), InputError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > limits::get().yaml_nodes {
            return Err(InputError {
                span,
                message: format!("document has more than {} nodes", limits::get().yaml_nodes),
            });
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node, size: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
    }

    /// Adds a value of `size` (see [`weight`]) to the container being built.
    fn push_value(&mut self, node: Node, size: usize, span: Span) -> Result<(), InputError> {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, weight, .. }) => {
                *weight = weight.saturating_add(size);
                items.push(node);
            }
            Some(Frame::Map {
                map,
                pending_key,
                weight,
                ..
            }) => match pending_key.take() {
                None => {
                    let name = match &node.value {
                        Value::String(s) => s.to_string(),
                        Value::Number(n) => crate::value::format_number(*n),
                        Value::Bool(b) => b.to_string(),
                        Value::Null => String::new(),
                        _ => {
                            return Err(InputError {
                                span,
                                message: "complex mapping keys are not supported".into(),
                            });
                        }
                    };
                    *pending_key = Some(Key {
                        name,
                        span: node.span,
                    });
                }
                Some(key) => {
                    *weight = weight.saturating_add(size);
                    map.insert(key, node);
                }
            },
        }
        Ok(())
    }
}

fn tag_name(tag: Option<&Tag>) -> Option<String> {
    let tag = tag?;
    if tag.handle == "!" {
        Some(tag.suffix.clone())
    } else {
        None
    }
}

/// Resolves a scalar by the YAML 1.2 core schema (quoted scalars are always strings).
fn scalar(value: &str, style: ScalarStyle, tag: Option<&Tag>, span: Span) -> Node {
    let text = value;
    if let Some(t) = tag
        && t.is_yaml_core_schema()
    {
        let v = match t.suffix.as_str() {
            "bool" => text
                .parse()
                .map(Value::Bool)
                .unwrap_or(Value::String(text.into())),
            "int" | "float" => text
                .parse()
                .map(Value::Number)
                .unwrap_or(Value::String(text.into())),
            "null" => Value::Null,
            _ => Value::String(text.into()),
        };
        return Node::new(v, span);
    }
    if style != ScalarStyle::Plain || tag.is_some() {
        return Node::new(Value::String(text.into()), span);
    }
    let v = match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => match parse_yaml_number(text) {
            Some(n) => Value::Number(n),
            None => Value::String(text.into()),
        },
    };
    Node::new(v, span)
}

fn parse_yaml_number(text: &str) -> Option<f64> {
    let t = text.strip_prefix('+').unwrap_or(text);
    let first = t.bytes().next()?;
    if !(first.is_ascii_digit() || first == b'-' || first == b'.') {
        return None;
    }
    if let Some(hex) = t.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(|n| n as f64);
    }
    if let Some(oct) = t.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(|n| n as f64);
    }
    // Leading zeros ("0123") stay strings, as account ids and octal-looking values should.
    if t.len() > 1 && t.starts_with('0') && !t.starts_with("0.") {
        return None;
    }
    if t.bytes()
        .all(|b| b.is_ascii_digit() || b"-+.eE".contains(&b))
    {
        t.parse().ok()
    } else {
        None
    }
}

fn wrap_tag(node: Node, tag: Option<&Tag>) -> Node {
    match tag_name(tag) {
        Some(t) => intrinsic(&t, node),
        None => node,
    }
}

/// Turns a short-form intrinsic (`!Sub x`) into its long form (`{"Fn::Sub": x}`).
fn intrinsic(tag: &str, node: Node) -> Node {
    let name = match tag {
        "Ref" | "Condition" => tag.to_string(),
        "GetAtt" => {
            // `!GetAtt A.B` is the string form of `Fn::GetAtt: [A, B]`.
            let node = match &node.value {
                Value::String(s) => match s.split_once('.') {
                    Some((a, b)) => Node::new(
                        Value::list(vec![
                            Node::new(Value::String(a.into()), node.span),
                            Node::new(Value::String(b.into()), node.span),
                        ]),
                        node.span,
                    ),
                    None => node,
                },
                _ => node,
            };
            return long_form("Fn::GetAtt", node);
        }
        other => format!("Fn::{other}"),
    };
    long_form(&name, node)
}

fn long_form(name: &str, node: Node) -> Node {
    let span = node.span;
    let mut map = Map::default();
    map.insert(
        Key {
            name: name.to_string(),
            span,
        },
        node,
    );
    Node::new(Value::Map(map), span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Node {
        parse(FileId(0), text).unwrap()
    }

    #[test]
    fn short_tags_become_long_form() {
        let text = "A: !Ref Foo\nB: !GetAtt Log.Arn\nC: !Sub 'x-${AWS::Region}'\n";
        let n = p(text);
        assert_eq!(
            n.get("A").unwrap().get("Ref").unwrap().as_str(),
            Some("Foo")
        );
        let ga = n.get("B").unwrap().get("Fn::GetAtt").unwrap();
        assert_eq!(ga.as_list().unwrap()[1].as_str(), Some("Arn"));
        assert!(n.get("C").unwrap().get("Fn::Sub").is_some());
        let a = n.get("A").unwrap().get("Ref").unwrap();
        assert_eq!(&text[a.span.range()], "!Ref Foo");
    }

    #[test]
    fn scalars_follow_core_schema() {
        let n = p("a: true\nb: '22'\nc: 22\nd: 0123\ne: ~\n");
        assert_eq!(n.get("a").unwrap().value, Value::Bool(true));
        assert_eq!(n.get("b").unwrap().value, Value::String("22".into()));
        assert_eq!(n.get("c").unwrap().value, Value::Number(22.0));
        assert_eq!(n.get("d").unwrap().value, Value::String("0123".into()));
        assert_eq!(n.get("e").unwrap().value, Value::Null);
    }

    #[test]
    fn aliases_expand_and_bombs_stop() {
        let n = p("a: &x {k: 1}\nb: *x\n");
        assert_eq!(
            n.get("b").unwrap().get("k").unwrap().value,
            Value::Number(1.0)
        );
        let mut bomb = String::from("a: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let e = parse(FileId(0), &bomb).unwrap_err();
        assert!(e.message.contains("alias"), "{}", e.message);
    }

    #[test]
    fn aliases_of_long_strings_count_their_bytes_before_the_copy() {
        // 1 + 100,000 / 64 = 1,563 nodes per alias: the 640th goes over 1,000,000.
        let text = format!(
            "a: &s {}\nb: [{}]\n",
            "x".repeat(100_000),
            vec!["*s"; 700].join(", ")
        );
        let e = parse(FileId(0), &text).unwrap_err();
        assert!(e.message.contains("`yaml-alias-nodes`"), "{}", e.message);
        let b = text.find("b: [").unwrap() + 4;
        assert_eq!(e.span.start as usize, b + 639 * 4);
        // Short strings are one node each.
        let short = format!("a: &s x\nb: [{}]\n", vec!["*s"; 700].join(", "));
        assert_eq!(p(&short).get("b").unwrap().items().len(), 700);
    }

    #[test]
    fn unicode_spans_are_bytes() {
        let text = "é: x\nb: !Ref Zé\n";
        let n = p(text);
        let r = n.get("b").unwrap().get("Ref").unwrap();
        assert_eq!(&text[r.span.range()], "!Ref Zé");
    }

    /// The text of `node`'s span.
    fn at<'t>(text: &'t str, node: &Node) -> &'t str {
        &text[node.span.range()]
    }

    #[test]
    fn flow_collections_left_of_their_block_keep_exact_spans() {
        let text = "R:\n  P:\n    In: [\n    {Cidr: 0.0.0.0/0,\n  Port: 22}\n]\n    \
                    Tags: {\nKey: é, Value: b\n  }\n    After: [\n    ]\n  Q: !Ref X\n";
        let n = p(text);
        let props = n.get("R").unwrap().get("P").unwrap();
        let rule = &props.get("In").unwrap().items()[0];
        assert_eq!(at(text, rule.get("Cidr").unwrap()), "0.0.0.0/0");
        assert_eq!(at(text, rule.get("Port").unwrap()), "22");
        assert_eq!(at(text, rule), "{Cidr: 0.0.0.0/0,\n  Port: 22}");
        let tags = props.get("Tags").unwrap();
        assert_eq!(at(text, tags.get("Value").unwrap()), "b");
        assert_eq!(tags.get("Key").unwrap().as_str(), Some("é"));
        assert!(props.get("After").unwrap().items().is_empty());
        let q = n.get("R").unwrap().get("Q").unwrap().get("Ref").unwrap();
        assert_eq!(at(text, q), "!Ref X");
    }

    #[test]
    fn quoted_scalars_continued_left_of_their_key_keep_exact_spans() {
        let text = "R:\n  D: \"a long\n  one\"\n  S: 'it''s\n      x\n\n y'\n  \
                    L: [\"in\n flow\", z]\n  E: 1\n";
        let n = p(text);
        let r = n.get("R").unwrap();
        assert_eq!(r.get("D").unwrap().as_str(), Some("a long one"));
        assert_eq!(at(text, r.get("D").unwrap()), "\"a long\n  one\"");
        assert_eq!(r.get("S").unwrap().as_str(), Some("it's x\ny"));
        let l = r.get("L").unwrap().items();
        assert_eq!(l[0].as_str(), Some("in flow"));
        assert_eq!(at(text, &l[1]), "z");
        assert_eq!(at(text, r.get("E").unwrap()), "1");
        // A tab in the indentation of a continuation line.
        let text = "R:\n  T: \"a\n \tb\"\n  E: 1\n";
        let r = p(text).get("R").unwrap().clone();
        assert_eq!(r.get("T").unwrap().as_str(), Some("a b"));
        assert_eq!(at(text, r.get("E").unwrap()), "1");
    }

    #[test]
    fn invalid_yaml_around_relaxed_lines_still_errors_in_place() {
        // PyYAML rejects these too: a plain scalar continued at its key's indentation, and a
        // real error after lines that had to be re-indented.
        let text = "a:\n  b: plain\n  more\n  c: 1\n";
        let e = parse(FileId(0), text).unwrap_err();
        assert_eq!(e.span.start as usize, text.find("c: 1").unwrap());
        let text = "a:\n  b: [\nx]\n  c: \"y\nz\"\n  d: e: f\n";
        let e = parse(FileId(0), text).unwrap_err();
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
        assert_eq!(e.span.start as usize, text.find("e: f").unwrap() + 1);
        // An unterminated quote is reported where it opens.
        let text = "a:\n  b: 'x\ny\n";
        let e = parse(FileId(0), text).unwrap_err();
        assert_eq!(e.span.start as usize, text.find('\'').unwrap());
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let deep = "[".repeat(5000);
        assert!(parse(FileId(0), &deep).is_err());
    }
}
