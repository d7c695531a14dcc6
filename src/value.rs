//! Evaluated attribute values: every value knows where it was written and which
//! resources it was computed from, and a value only known at apply time is `Unknown`.

use std::sync::Arc;

use crate::source::Span;

/// A reference from a value to another resource (an edge of the graph).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ref {
    /// The referenced resource's address in the referring unit
    /// (`aws_s3_bucket.logs`, `module.net.aws_vpc.this[0]`, or a CloudFormation logical id).
    pub address: String,
    /// The attribute read from it (`id`, `arn`, `Arn`); empty for a plain `Ref`.
    pub attr: String,
}

/// A value with its source span.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Where the value is written (for a variable, where it is used).
    pub span: Span,
    /// Where the value came from when that is elsewhere (a variable default, a tfvars entry).
    pub origin: Option<Span>,
    /// Resources the value was computed from.
    pub refs: Vec<Ref>,
    /// For a string made by `jsonencode(x)`: the value `x` with its own spans, so that a
    /// policy statement inside it can be pointed at.
    pub encoded: Option<Arc<Node>>,
}

/// An evaluated value. Lists and maps are shared behind a reference count: evaluation
/// hands the same value to every expression that reads it, and a clone must not copy it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(SharedVec<Node>),
    Map(Map),
    /// Known only at apply time (or not knowable from the code at all).
    Unknown,
}

/// An ordered map whose keys keep their spans (shared like a list: see [`Value`]).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Map {
    pub entries: SharedVec<(Key, Node)>,
}

impl From<Vec<(Key, Node)>> for Map {
    fn from(entries: Vec<(Key, Node)>) -> Map {
        Map {
            entries: entries.into(),
        }
    }
}

impl Value {
    /// A list value.
    pub fn list(items: Vec<Node>) -> Value {
        Value::List(items.into())
    }
}

/// A vector shared behind a reference count: a clone copies a pointer, and changing it
/// copies the elements first only while someone else holds them (copy on write).
#[derive(Debug, PartialEq)]
pub struct SharedVec<T>(Arc<Vec<T>>);

impl<T> Clone for SharedVec<T> {
    fn clone(&self) -> Self {
        SharedVec(Arc::clone(&self.0))
    }
}

impl<T> Default for SharedVec<T> {
    fn default() -> Self {
        SharedVec(Arc::new(Vec::new()))
    }
}

impl<T> std::ops::Deref for SharedVec<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T: Clone> SharedVec<T> {
    /// The elements, for changing them (copied first when shared).
    pub fn to_mut(&mut self) -> &mut Vec<T> {
        Arc::make_mut(&mut self.0)
    }

    /// The elements, changed in place when no one else holds them.
    pub fn get_mut(&mut self) -> Option<&mut Vec<T>> {
        Arc::get_mut(&mut self.0)
    }

    /// The elements, taken out (copied when shared).
    pub fn into_vec(self) -> Vec<T> {
        Arc::unwrap_or_clone(self.0)
    }
}

impl<T> From<Vec<T>> for SharedVec<T> {
    fn from(v: Vec<T>) -> Self {
        SharedVec(Arc::new(v))
    }
}

impl<T> FromIterator<T> for SharedVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        SharedVec(Arc::new(iter.into_iter().collect()))
    }
}

impl<'a, T> IntoIterator for &'a SharedVec<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: Clone> IntoIterator for SharedVec<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

/// A map key with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

/// Builds a [`Map`] from many entries in linear time (parsers use it: a template's
/// `Resources` can have hundreds of thousands of keys; later duplicates win).
#[derive(Debug, Default)]
pub struct MapBuilder {
    entries: Vec<(Key, Node)>,
    index: foldhash::HashMap<String, usize>,
}

impl MapBuilder {
    /// Adds an entry, replacing an earlier one with the same key.
    pub fn insert(&mut self, key: Key, node: Node) {
        match self.index.get(&key.name) {
            Some(&i) => self.entries[i] = (key, node),
            None => {
                self.index.insert(key.name.clone(), self.entries.len());
                self.entries.push((key, node));
            }
        }
    }

    /// The finished map.
    pub fn finish(self) -> Map {
        self.entries.into()
    }
}

impl Map {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// The key and value of `key`, if present.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, v)| (k, v))
    }

    /// Inserts or replaces `key`.
    pub fn insert(&mut self, key: Key, node: Node) {
        let entries = self.entries_mut();
        if let Some(slot) = entries.iter_mut().find(|(k, _)| k.name == key.name) {
            *slot = (key, node);
        } else {
            entries.push((key, node));
        }
    }

    /// See [`Node::compact`].
    pub fn compact(&mut self) {
        if let Some(entries) = self.entries.get_mut() {
            entries.shrink_to_fit();
            entries.iter_mut().for_each(|(_, v)| v.compact());
        }
    }

    /// The entries, for changing them (copied first when shared).
    pub fn entries_mut(&mut self) -> &mut Vec<(Key, Node)> {
        self.entries.to_mut()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Iterates over keys and values in source order.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &Node)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl Node {
    /// A node without references.
    pub fn new(value: Value, span: Span) -> Node {
        Node {
            value,
            span,
            origin: None,
            refs: Vec::new(),
            encoded: None,
        }
    }

    /// An unknown value at `span`.
    pub fn unknown(span: Span) -> Node {
        Node::new(Value::Unknown, span)
    }

    /// Whether the value is `Unknown` (not whether something inside it is).
    pub fn is_unknown(&self) -> bool {
        matches!(self.value, Value::Unknown)
    }

    /// Whether the value is `Null`.
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// Gives back the spare capacity of every list and map held by this value alone (values
    /// kept for the whole scan, such as a resource's attributes, were built by pushing).
    pub fn compact(&mut self) {
        match &mut self.value {
            Value::List(items) => {
                if let Some(items) = items.get_mut() {
                    items.shrink_to_fit();
                    items.iter_mut().for_each(Node::compact);
                }
            }
            Value::Map(m) => m.compact(),
            _ => {}
        }
    }

    /// Whether this value or anything inside it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match &self.value {
            Value::Unknown => true,
            Value::List(items) => items.iter().any(Node::contains_unknown),
            Value::Map(m) => m.entries.iter().any(|(_, v)| v.contains_unknown()),
            _ => false,
        }
    }

    /// The string, if the value is a known string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, accepting the strings `"true"`/`"false"` as Terraform and CloudFormation do.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// The number, accepting numeric strings as Terraform and CloudFormation do.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The map, if the value is a map.
    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The list, if the value is a list.
    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.value {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The value of a map entry.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.get(key)
    }

    /// The items of a list, or the value itself when it is a single non-list value
    /// (IAM and CloudFormation accept a string where a list is expected).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::List(l) => l,
            Value::Null => &[],
            _ => std::slice::from_ref(self),
        }
    }

    /// Every reference in this value and its children.
    pub fn all_refs(&self) -> Vec<&Ref> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out
    }

    fn collect_refs<'a>(&'a self, out: &mut Vec<&'a Ref>) {
        out.extend(self.refs.iter());
        match &self.value {
            Value::List(items) => items.iter().for_each(|n| n.collect_refs(out)),
            Value::Map(m) => m.entries.iter().for_each(|(_, v)| v.collect_refs(out)),
            _ => {}
        }
    }

    /// Converts to JSON (unknowns become `null`); used for `guard-view` and policy parsing.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null | Value::Unknown => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Number::from_f64(*n)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(l) => serde_json::Value::Array(l.iter().map(Node::to_json).collect()),
            Value::Map(m) => serde_json::Value::Object(
                m.entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Formats a number as Terraform and CloudFormation print it: integers without a fraction.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Node {
        Node::new(Value::String(s.into()), Span::default())
    }

    #[test]
    fn a_changed_copy_leaves_the_shared_original_alone() {
        let original: SharedVec<Node> = vec![text("a")].into();
        let mut copy = original.clone();
        copy.to_mut().push(text("b"));
        assert_eq!(original.len(), 1);
        assert_eq!(copy.len(), 2);
        // A vector held once is changed in place, not copied.
        copy.to_mut().push(text("c"));
        assert!(copy.get_mut().is_some());
        assert_eq!(
            copy.iter().filter_map(Node::as_str).collect::<String>(),
            "abc"
        );
    }

    #[test]
    fn compacting_keeps_values_and_skips_shared_parts() {
        let mut inner: Vec<Node> = Vec::with_capacity(16);
        inner.push(text("x"));
        let shared: SharedVec<Node> = inner.into();
        let kept = shared.clone();
        let mut m = Map::default();
        m.insert(
            Key {
                name: "l".into(),
                span: Span::default(),
            },
            Node::new(Value::List(shared), Span::default()),
        );
        m.compact();
        assert_eq!(m.entries.capacity(), 1);
        // Shared with `kept`: left as it was.
        assert_eq!(kept.capacity(), 16);
        assert_eq!(
            m.get("l").and_then(|n| n.items().first()?.as_str()),
            Some("x")
        );
    }
}
