//! Sets of values with Terraform's equality, in linear time: `toset`, `distinct`, the set
//! functions and `for_each` would otherwise compare every element with every other (a list
//! of a hundred thousand elements is ten billion comparisons).

use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::HashMap;

use super::eval::values_equal;
use crate::value::{Node, Value};

/// Values with Terraform's equality ([`values_equal`]): each is found by a hash of its
/// structure, and only values with the same hash are compared.
#[derive(Default)]
pub struct ValueSet<'a> {
    items: Vec<&'a Node>,
    /// The latest item of each hash.
    latest: HashMap<u64, usize>,
    /// For each item, the previous item of the same hash (`NONE` for the first).
    previous: Vec<usize>,
}

const NONE: usize = usize::MAX;

impl<'a> ValueSet<'a> {
    /// The set of `items`' values.
    pub fn of(items: impl IntoIterator<Item = &'a Node>) -> ValueSet<'a> {
        let mut set = ValueSet::default();
        for i in items {
            set.insert(i);
        }
        set
    }

    /// Adds `n`; whether it was not in the set yet.
    pub fn insert(&mut self, n: &'a Node) -> bool {
        let h = hash(n);
        if self.find(h, n) {
            return false;
        }
        let previous = self.latest.insert(h, self.items.len()).unwrap_or(NONE);
        self.items.push(n);
        self.previous.push(previous);
        true
    }

    /// Whether a value equal to `n` is in the set.
    pub fn contains(&self, n: &Node) -> bool {
        self.find(hash(n), n)
    }

    fn find(&self, h: u64, n: &Node) -> bool {
        let mut at = self.latest.get(&h).copied().unwrap_or(NONE);
        while at != NONE {
            if values_equal(self.items[at], n) {
                return true;
            }
            at = self.previous[at];
        }
        false
    }
}

/// The elements of `items` without later duplicates, in their order.
pub fn distinct(items: &[Node]) -> Vec<Node> {
    let mut seen = ValueSet::default();
    items.iter().filter(|i| seen.insert(i)).cloned().collect()
}

/// A set as cislint represents it: a list without duplicates, in Terraform's order for
/// primitive elements (strings lexically, numbers numerically).
pub fn set_of(items: &[Node]) -> Vec<Node> {
    let mut out = distinct(items);
    if out.iter().all(|n| matches!(n.value, Value::String(_))) {
        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else if out.iter().all(|n| matches!(n.value, Value::Number(_))) {
        out.sort_by(|a, b| {
            a.as_f64()
                .partial_cmp(&b.as_f64())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
    out
}

/// A hash that equal values share: lists by their elements in order, maps by their entries
/// in any order (as [`values_equal`] compares them), numbers by value (`0` and `-0` alike).
fn hash(n: &Node) -> u64 {
    let mut h = foldhash::fast::FixedState::default().build_hasher();
    hash_into(n, &mut h, 0);
    h.finish()
}

fn hash_into(n: &Node, h: &mut impl Hasher, depth: usize) {
    std::mem::discriminant(&n.value).hash(h);
    // Deeper parts only refine the hash: equality decides.
    if depth > crate::parse::limits::MAX_DEPTH {
        return;
    }
    match &n.value {
        Value::Null | Value::Unknown => {}
        Value::Bool(b) => b.hash(h),
        Value::Number(x) => (if *x == 0.0 { 0.0f64 } else { *x }).to_bits().hash(h),
        Value::String(s) => s.hash(h),
        Value::List(items) => {
            items.len().hash(h);
            for i in items.iter() {
                hash_into(i, h, depth + 1);
            }
        }
        Value::Map(m) => {
            // Order-independent: the sum of each entry's own hash.
            let mut sum = 0u64;
            for (k, v) in m.iter() {
                let mut e = foldhash::fast::FixedState::default().build_hasher();
                k.name.hash(&mut e);
                hash_into(v, &mut e, depth + 1);
                sum = sum.wrapping_add(e.finish());
            }
            m.len().hash(h);
            sum.hash(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;
    use crate::value::{Key, Map};

    fn n(v: Value) -> Node {
        Node::new(v, Span::default())
    }

    fn map(entries: &[(&str, f64)]) -> Node {
        let m: Map = entries
            .iter()
            .map(|(k, x)| {
                (
                    Key {
                        name: k.to_string(),
                        span: Span::default(),
                    },
                    n(Value::Number(*x)),
                )
            })
            .collect();
        n(Value::Map(m))
    }

    #[test]
    fn equal_values_are_one_element_whatever_their_map_order() {
        let items = vec![
            map(&[("a", 1.0), ("b", 2.0)]),
            map(&[("b", 2.0), ("a", 1.0)]),
            map(&[("a", 1.0), ("b", 3.0)]),
            n(Value::Number(0.0)),
            n(Value::Number(-0.0)),
            n(Value::String("0".into())),
            n(Value::list(vec![n(Value::Number(1.0))])),
            n(Value::list(vec![n(Value::Number(1.0))])),
        ];
        let d = distinct(&items);
        assert_eq!(d.len(), 5);
        assert_eq!(d[2], items[3]);
        // A number and a string never equal each other.
        assert_eq!(d[3], items[5]);
        let set = ValueSet::of(&items);
        assert!(set.contains(&map(&[("b", 2.0), ("a", 1.0)])));
        assert!(!set.contains(&map(&[("b", 2.0)])));
    }

    #[test]
    fn sets_of_primitives_are_sorted() {
        let s = |x: &str| n(Value::String(x.into()));
        let out = set_of(&[s("b"), s("a"), s("b")]);
        assert_eq!(
            out.iter().filter_map(Node::as_str).collect::<Vec<_>>(),
            ["a", "b"]
        );
        let ten_thousand: Vec<Node> = (0..10_000)
            .map(|i| n(Value::Number(f64::from(i % 5_000))))
            .collect();
        assert_eq!(set_of(&ten_thousand).len(), 5_000);
    }
}
