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
    /// The address names nothing declared (`aws_vpc.typo` in a module without it, or an
    /// undeclared `var.x`): Terraform rejects such a reference, and it points at no resource.
    pub undeclared: bool,
}

impl Ref {
    /// A reference to `attr` of the resource at `address`.
    pub fn new(address: impl Into<String>, attr: impl Into<String>) -> Ref {
        Ref {
            address: address.into(),
            attr: attr.into(),
            undeclared: false,
        }
    }

    /// The reference written as `address` that names nothing declared.
    pub fn undeclared(address: impl Into<String>) -> Ref {
        Ref {
            undeclared: true,
            ..Ref::new(address, "")
        }
    }

    /// The same reference reading `name` from the attribute read so far (`.id` after
    /// `aws_vpc.main`, `.arn` after `….bucket`).
    pub fn then_attr(&self, name: &str) -> Ref {
        Ref {
            address: self.address.clone(),
            attr: if self.attr.is_empty() {
                name.to_string()
            } else {
                format!("{}.{name}", self.attr)
            },
            undeclared: self.undeclared,
        }
    }
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

/// An evaluated value. Strings, lists and maps are shared behind a reference count:
/// evaluation hands the same value to every expression that reads it, and a clone must not
/// copy it (a list of a thousand references to one large string holds that string once).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(Str),
    List(SharedVec<Node>),
    Map(Map),
    /// Known only at apply time (or not knowable from the code at all).
    Unknown,
}

/// A string value: shared, never copied by a clone.
pub type Str = Arc<str>;

/// An ordered map whose keys keep their spans (shared like a list: see [`Value`]).
#[derive(Clone, Default)]
pub struct Map {
    pub entries: SharedVec<(Key, Node)>,
    /// Positions by key of a large map, so that a lookup does not search (built with the
    /// map by [`MapBuilder`], dropped when the entries change).
    index: Option<Arc<KeyIndex>>,
}

type KeyIndex = foldhash::HashMap<String, usize>;

/// Maps with fewer entries are searched: an index would cost more (in memory: every
/// resource's attributes are a map kept for the whole scan) than it saves.
const INDEXED_FROM: usize = 64;

impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.entries == other.entries
    }
}

impl std::fmt::Debug for Map {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Map")
            .field("entries", &self.entries)
            .finish()
    }
}

impl From<Vec<(Key, Node)>> for Map {
    /// A map of entries whose keys are distinct (not checked).
    fn from(entries: Vec<(Key, Node)>) -> Map {
        Map {
            entries: entries.into(),
            index: None,
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

/// Builds a [`Map`] from many entries in linear time (parsers and the evaluator use it: a
/// template's `Resources` or a `for` expression can have hundreds of thousands of keys;
/// later duplicates win).
#[derive(Debug, Default)]
pub struct MapBuilder {
    entries: Vec<(Key, Node)>,
    index: KeyIndex,
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

    /// The value of `key` so far, for changing it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        let i = *self.index.get(key)?;
        Some(&mut self.entries[i].1)
    }

    /// Number of entries so far.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries yet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The finished map (keeping the index when the map is large).
    pub fn finish(self) -> Map {
        let index = (self.entries.len() >= INDEXED_FROM).then(|| Arc::new(self.index));
        Map {
            entries: self.entries.into(),
            index,
        }
    }
}

impl FromIterator<(Key, Node)> for Map {
    /// A map of the entries, later duplicates replacing earlier ones.
    fn from_iter<I: IntoIterator<Item = (Key, Node)>>(iter: I) -> Map {
        let mut b = MapBuilder::default();
        for (k, v) in iter {
            b.insert(k, v);
        }
        b.finish()
    }
}

impl Map {
    /// The position of `key`, if present.
    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k.name == key),
        }
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.position(key).map(|i| &self.entries[i].1)
    }

    /// The key and value of `key`, if present.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        self.position(key).map(|i| {
            let (k, v) = &self.entries[i];
            (k, v)
        })
    }

    /// The value of `key`, for changing it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        // Same keys, same positions: the index stays true.
        let i = self.position(key)?;
        Some(&mut self.entries.to_mut()[i].1)
    }

    /// Inserts or replaces `key` (in constant time once the map is large enough for an
    /// index).
    pub fn insert(&mut self, key: Key, node: Node) {
        match self.position(&key.name) {
            Some(i) => self.entries.to_mut()[i] = (key, node),
            None => {
                let at = self.entries.len();
                if let Some(index) = &mut self.index {
                    Arc::make_mut(index).insert(key.name.clone(), at);
                }
                self.entries.to_mut().push((key, node));
                if self.index.is_none() && self.entries.len() >= INDEXED_FROM {
                    let index = self
                        .entries
                        .iter()
                        .enumerate()
                        .map(|(i, (k, _))| (k.name.clone(), i))
                        .collect();
                    self.index = Some(Arc::new(index));
                }
            }
        }
    }

    /// The map with each entry changed by `f`, which keeps the key's name (so that the
    /// index stays true).
    pub fn map_entries(self, f: impl FnMut((Key, Node)) -> (Key, Node)) -> Map {
        Map {
            entries: self.entries.into_iter().map(f).collect(),
            index: self.index,
        }
    }

    /// A new map with an entry made by `f` from each of this one, keeping each key's name.
    pub fn map_entries_ref(&self, mut f: impl FnMut(&Key, &Node) -> (Key, Node)) -> Map {
        Map {
            entries: self.entries.iter().map(|(k, v)| f(k, v)).collect(),
            index: self.index.clone(),
        }
    }

    /// See [`Node::compact`].
    pub fn compact(&mut self) {
        if let Some(entries) = self.entries.get_mut() {
            entries.shrink_to_fit();
            entries.iter_mut().for_each(|(_, v)| v.compact());
        }
    }

    /// The entries, for changing them (copied first when shared; the index is dropped, as
    /// keys may change).
    pub fn entries_mut(&mut self) -> &mut Vec<(Key, Node)> {
        self.index = None;
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
            Value::String(s) => serde_json::Value::String(s.to_string()),
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

    fn key(name: &str) -> Key {
        Key {
            name: name.into(),
            span: Span::default(),
        }
    }

    #[test]
    fn a_large_map_finds_keys_through_its_index_while_it_changes() {
        let mut m = Map::default();
        for i in 0..200 {
            m.insert(key(&format!("k{i}")), text(&i.to_string()));
        }
        assert!(m.index.is_some(), "indexed once large");
        // Replacing keeps the position; inserting extends the index.
        m.insert(key("k7"), text("seven"));
        m.insert(key("new"), text("x"));
        assert_eq!(m.len(), 201);
        assert_eq!(m.get("k7").and_then(Node::as_str), Some("seven"));
        assert_eq!(m.get("new").and_then(Node::as_str), Some("x"));
        assert_eq!(m.entries[7].0.name, "k7");
        // A copy changed on its own leaves the original's index true.
        let mut copy = m.clone();
        copy.insert(key("only-in-copy"), text("y"));
        assert!(m.get("only-in-copy").is_none());
        assert!(copy.get("only-in-copy").is_some());
        // Changing values keeps the index; changing entries drops it.
        if let Some(v) = m.get_mut("k9") {
            *v = text("nine");
        }
        assert!(m.index.is_some());
        m.entries_mut().swap(0, 1);
        assert!(m.index.is_none());
        assert_eq!(m.get("k0").and_then(Node::as_str), Some("0"));
        assert_eq!(m.get("k9").and_then(Node::as_str), Some("nine"));
        let relabelled = m.map_entries(|(k, v)| (k, text(&format!("{}!", v.as_str().unwrap()))));
        assert_eq!(relabelled.get("k1").and_then(Node::as_str), Some("1!"));
    }

    #[test]
    fn a_built_map_keeps_the_last_value_of_a_key() {
        let m: Map = (0..100)
            .map(|i| (key(&format!("k{}", i % 70)), text(&i.to_string())))
            .collect();
        assert_eq!(m.len(), 70);
        assert_eq!(m.get("k5").and_then(Node::as_str), Some("75"));
        assert_eq!(m.entries[5].0.name, "k5");
        assert!(m.get("k70").is_none());
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
