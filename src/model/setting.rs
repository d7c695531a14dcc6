//! A setting read from a resource: written, defaulted, absent, or unknown.

use crate::source::Span;
use crate::value::{Map, Node};

/// One attribute of a resource as a control needs it: the value and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Setting<T> {
    /// Written in the source (or planned); `span` is the value's span.
    Set { value: T, span: Span },
    /// Absent, so the provider or service default applies.
    Default { value: T },
    /// Absent and without a default (for example, no KMS key).
    Absent,
    /// Known only at apply time: never reported on.
    Unknown { span: Span },
}

impl<T: Clone> Setting<T> {
    /// The value when it is known, written or defaulted.
    pub fn known(&self) -> Option<T> {
        match self {
            Setting::Set { value, .. } | Setting::Default { value } => Some(value.clone()),
            _ => None,
        }
    }

    /// Whether the value is unknown.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Setting::Unknown { .. })
    }

    /// Whether the attribute is written (known or not).
    pub fn is_present(&self) -> bool {
        matches!(self, Setting::Set { .. } | Setting::Unknown { .. })
    }

    /// The value's span, or `fallback` (the resource header) when it is not written.
    pub fn span_or(&self, fallback: Span) -> Span {
        match self {
            Setting::Set { span, .. } | Setting::Unknown { span } => *span,
            _ => fallback,
        }
    }

    /// Applies a default when the attribute is absent.
    pub fn or_default(self, value: T) -> Setting<T> {
        match self {
            Setting::Absent => Setting::Default { value },
            s => s,
        }
    }
}

/// Reads an attribute with a conversion; `null` counts as absent, as in Terraform.
pub fn read<T>(attrs: &Map, key: &str, convert: impl Fn(&Node) -> Option<T>) -> Setting<T> {
    match attrs.get(key) {
        None => Setting::Absent,
        Some(n) if n.is_null() => Setting::Absent,
        Some(n) if n.contains_unknown() => Setting::Unknown { span: n.span },
        Some(n) => match convert(n) {
            Some(value) => Setting::Set {
                value,
                span: n.span,
            },
            None => Setting::Unknown { span: n.span },
        },
    }
}

/// Reads a boolean attribute (`"true"`/`"false"` strings accepted).
pub fn bool_attr(attrs: &Map, key: &str) -> Setting<bool> {
    read(attrs, key, Node::as_bool)
}

/// Reads a string attribute (numbers are shown as Terraform prints them).
pub fn str_attr(attrs: &Map, key: &str) -> Setting<String> {
    read(attrs, key, |n| match &n.value {
        crate::value::Value::String(s) => Some(s.to_string()),
        crate::value::Value::Number(x) => Some(crate::value::format_number(*x)),
        crate::value::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

/// Reads a numeric attribute (numeric strings accepted).
pub fn num_attr(attrs: &Map, key: &str) -> Setting<f64> {
    read(attrs, key, Node::as_f64)
}

/// Reads an attribute whose presence is what matters (`kms_key_id`): an empty string is
/// absent, any other value is present. An unknown value is present when it is an attribute
/// of a resource (an ARN or id is never empty); a variable or parameter without a value
/// may still be empty or null, so it is unknown.
pub fn presence(attrs: &Map, key: &str) -> Setting<()> {
    match attrs.get(key) {
        None => Setting::Absent,
        Some(n) if n.is_null() || n.as_str() == Some("") => Setting::Absent,
        Some(n) if n.is_unknown() && super::refers::may_be_absent(n, false) => {
            Setting::Unknown { span: n.span }
        }
        Some(n) => Setting::Set {
            value: (),
            span: n.span,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};
    use crate::value::{Key, Value};

    #[test]
    fn reads_and_defaults() {
        let mut m = Map::default();
        let sp = Span::new(FileId(0), 1, 2);
        m.insert(
            Key {
                name: "a".into(),
                span: sp,
            },
            Node::new(Value::String("true".into()), sp),
        );
        m.insert(
            Key {
                name: "u".into(),
                span: sp,
            },
            Node::unknown(sp),
        );
        m.insert(
            Key {
                name: "n".into(),
                span: sp,
            },
            Node::new(Value::Null, sp),
        );
        assert_eq!(
            bool_attr(&m, "a"),
            Setting::Set {
                value: true,
                span: sp
            }
        );
        assert!(bool_attr(&m, "u").is_unknown());
        assert_eq!(
            bool_attr(&m, "n").or_default(false),
            Setting::Default { value: false }
        );
        assert_eq!(bool_attr(&m, "x").known(), None);
    }
}

/// A setting with the attribute name as the user's dialect spells it.
#[derive(Clone, Debug, PartialEq)]
pub struct Field<T> {
    pub key: &'static str,
    pub value: Setting<T>,
}

impl<T: Clone> Field<T> {
    /// Reads `key` from `attrs` with `reader`.
    pub fn read(attrs: &Map, key: &'static str, reader: fn(&Map, &str) -> Setting<T>) -> Field<T> {
        Field {
            key,
            value: reader(attrs, key),
        }
    }

    /// Applies a default when the attribute is absent.
    pub fn or_default(self, value: T) -> Field<T> {
        Field {
            key: self.key,
            value: self.value.or_default(value),
        }
    }

    /// Unknown at `span` when the block holding the attribute is known only at apply time
    /// (then the attribute read from an empty stand-in says nothing).
    pub fn or_unknown(self, block: Option<Span>) -> Field<T> {
        match block {
            Some(span) => Field {
                key: self.key,
                value: Setting::Unknown { span },
            },
            None => self,
        }
    }
}
