//! The budget of one evaluation (a Terraform root module with its modules, or a
//! CloudFormation template): steps of work, and the size of any one value it makes.
//!
//! Work is charged in steps: one per expression evaluated, one per element produced or copied,
//! one per [`BYTES_PER_STEP`] bytes of string produced. Sizes are checked before a value is
//! made (its size computed first, or each piece checked before it is appended), so that no
//! input can ask for a huge allocation. Exceeding a budget is reported once, at the
//! expression, and the value is unknown.

use std::cell::{Cell, RefCell};
use std::fmt::Display;

use crate::graph::InputError;
use crate::parse::limits::{self, Limits, bytes_text};
use crate::source::Span;

/// Bytes of string produced per step charged.
pub const BYTES_PER_STEP: usize = 64;

/// Steps, and the limits of one value, for one evaluation.
pub struct Budget {
    left: Cell<u64>,
    limits: Limits,
    /// Places where a budget was exceeded (each is reported once).
    reported: RefCell<foldhash::HashSet<Span>>,
}

/// A budget exceeded: the message for an error at the expression, or `None` when the step
/// budget had already run out (that was reported once, where it happened).
#[derive(Debug)]
pub struct Exceeded(pub Option<String>);

impl Default for Budget {
    fn default() -> Self {
        Budget::new(limits::get())
    }
}

impl Budget {
    /// A full budget under `limits`.
    pub fn new(limits: Limits) -> Budget {
        Budget {
            left: Cell::new(limits.eval_steps),
            limits,
            reported: RefCell::default(),
        }
    }

    /// Whether a check passed; when not, adds its error at `span` to `errors` (once per
    /// place).
    pub fn within(
        &self,
        check: Result<(), Exceeded>,
        span: Span,
        errors: &RefCell<Vec<InputError>>,
    ) -> bool {
        match check {
            Ok(()) => true,
            Err(Exceeded(message)) => {
                if let Some(message) = message
                    && self.reported.borrow_mut().insert(span)
                {
                    errors.borrow_mut().push(InputError { span, message });
                }
                false
            }
        }
    }

    /// The limits this budget enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Spends `n` steps.
    pub fn steps(&self, n: u64) -> Result<(), Exceeded> {
        let left = self.left.get();
        if left == 0 {
            return Err(Exceeded(None));
        }
        if n >= left {
            self.left.set(0);
            return Err(Exceeded(Some(format!(
                "evaluation stopped after {} steps (`eval-steps` in [limits]); the remaining \
                 values are unknown",
                self.limits.eval_steps
            ))));
        }
        self.left.set(left - n);
        Ok(())
    }

    /// Steps spent so far.
    pub fn spent(&self) -> u64 {
        self.limits.eval_steps - self.left.get()
    }

    /// Checks, before it is made, a string of `bytes` bytes that `what` would make (a
    /// `value-bytes` error naming `what` when it is larger), and charges its bytes.
    pub fn string(&self, what: &dyn Display, bytes: usize) -> Result<(), Exceeded> {
        self.check_string(what, bytes)?;
        self.steps((bytes / BYTES_PER_STEP) as u64)
    }

    /// Checks, before it is made, a value of `n` elements that `what` would make (a
    /// `value-size` error naming `what` when there are more), and charges one step for each.
    pub fn elements(&self, what: &dyn Display, n: usize) -> Result<(), Exceeded> {
        self.check_elements(what, n)?;
        self.steps(n as u64)
    }

    /// [`Budget::string`] without the charge (made once the string is).
    pub fn check_string(&self, what: &dyn Display, bytes: usize) -> Result<(), Exceeded> {
        self.check(what, Measure::Bytes, bytes)
    }

    /// [`Budget::elements`] without the charge (made once the value is).
    pub fn check_elements(&self, what: &dyn Display, n: usize) -> Result<(), Exceeded> {
        self.check(what, Measure::Elements, n)
    }

    /// The error for a string longer than `value-bytes` (its length, when known).
    pub fn too_long(&self, what: &dyn Display, bytes: Option<usize>) -> Exceeded {
        self.over(what, Measure::Bytes, bytes)
    }

    /// The error for a value of more than `value-size` elements (their number, when known).
    pub fn too_big(&self, what: &dyn Display, n: Option<usize>) -> Exceeded {
        self.over(what, Measure::Elements, n)
    }

    fn check(&self, what: &dyn Display, measure: Measure, n: usize) -> Result<(), Exceeded> {
        let limit = match measure {
            Measure::Bytes => self.limits.value_bytes,
            Measure::Elements => self.limits.value_size,
        };
        if n as u64 > limit {
            return Err(self.over(what, measure, Some(n)));
        }
        Ok(())
    }

    fn over(&self, what: &dyn Display, measure: Measure, n: Option<usize>) -> Exceeded {
        let (size, limit, key) = match measure {
            Measure::Bytes => (
                n.map_or("a string longer than".into(), |n| {
                    format!("a string of {n} bytes, more than")
                }),
                bytes_text(self.limits.value_bytes),
                "value-bytes",
            ),
            Measure::Elements => (
                n.map_or("a value of more elements than".into(), |n| {
                    format!("a value of {n} elements, more than")
                }),
                self.limits.value_size.to_string(),
                "value-size",
            ),
        };
        Exceeded(Some(format!(
            "{what} would make {size} the limit of {limit} (`{key}` in [limits]); its value is \
             unknown"
        )))
    }

    /// The error for a value whose strings together are longer than `value-bytes`.
    pub fn too_much_text(&self, what: &dyn Display) -> Exceeded {
        Exceeded(Some(format!(
            "{what} would make a value of more than {} of strings (`value-bytes` in [limits]); \
             its value is unknown",
            bytes_text(self.limits.value_bytes)
        )))
    }

    /// A string builder that refuses to grow past `value-bytes`.
    pub fn string_builder(&self) -> BoundedString {
        BoundedString {
            text: String::new(),
            limit: usize::try_from(self.limits.value_bytes).unwrap_or(usize::MAX),
        }
    }
}

/// What a size is counted in.
#[derive(Clone, Copy)]
enum Measure {
    Bytes,
    Elements,
}

/// A string built piece by piece, each piece checked before it is appended, so that it never
/// grows past its limit (and nothing larger is ever allocated for it).
#[derive(Debug)]
pub struct BoundedString {
    text: String,
    limit: usize,
}

/// A string that would grow past its limit.
#[derive(Debug, PartialEq, Eq)]
pub struct TooLong;

impl BoundedString {
    /// An empty string that may grow to `limit` bytes.
    pub fn with_limit(limit: usize) -> BoundedString {
        BoundedString {
            text: String::new(),
            limit,
        }
    }

    /// Appends `s`, unless the string would then be longer than its limit.
    pub fn push_str(&mut self, s: &str) -> Result<(), TooLong> {
        if s.len() > self.limit - self.text.len() {
            return Err(TooLong);
        }
        self.text.push_str(s);
        Ok(())
    }

    /// Appends `c`, unless the string would then be longer than its limit.
    pub fn push(&mut self, c: char) -> Result<(), TooLong> {
        if c.len_utf8() > self.limit - self.text.len() {
            return Err(TooLong);
        }
        self.text.push(c);
        Ok(())
    }

    /// Appends `n` copies of `c`, unless the string would then be longer than its limit.
    pub fn pad(&mut self, c: char, n: usize) -> Result<(), TooLong> {
        if n.saturating_mul(c.len_utf8()) > self.limit - self.text.len() {
            return Err(TooLong);
        }
        self.text.extend(std::iter::repeat_n(c, n));
        Ok(())
    }

    /// Bytes the string may still grow by.
    pub fn room(&self) -> usize {
        self.limit - self.text.len()
    }

    /// Length so far, in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether nothing was appended yet.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The text so far.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The finished string.
    pub fn into_string(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Budget {
        Budget::new(Limits {
            eval_steps: 10,
            value_bytes: 8,
            value_size: 3,
            ..Limits::default()
        })
    }

    #[test]
    fn steps_run_out_once_with_the_key_named() {
        let b = small();
        assert!(b.steps(9).is_ok());
        let e = b.steps(1).unwrap_err();
        assert!(
            e.0.unwrap()
                .contains("after 10 steps (`eval-steps` in [limits])")
        );
        // Reported once: later charges fail silently.
        assert!(b.steps(1).unwrap_err().0.is_none());
        assert_eq!(b.spent(), 10);
    }

    #[test]
    fn sizes_are_checked_before_anything_is_made() {
        let b = small();
        assert!(b.string(&"`f()`", 8).is_ok());
        let e = b.string(&"`replace()`", 9).unwrap_err().0.unwrap();
        assert_eq!(
            e,
            "`replace()` would make a string of 9 bytes, more than the limit of 8 bytes \
             (`value-bytes` in [limits]); its value is unknown"
        );
        let e = b.elements(&"`range()`", 4).unwrap_err().0.unwrap();
        assert!(
            e.contains("4 elements, more than the limit of 3 (`value-size`"),
            "{e}"
        );
        assert!(b.elements(&"`range()`", 3).is_ok());
    }

    #[test]
    fn a_bounded_string_refuses_the_piece_that_would_overflow() {
        let mut s = BoundedString::with_limit(5);
        assert!(s.push_str("abc").is_ok());
        assert_eq!(s.push_str("def"), Err(TooLong));
        assert_eq!(s.pad(' ', usize::MAX), Err(TooLong));
        assert!(s.pad('x', 2).is_ok());
        assert_eq!(s.push('y'), Err(TooLong));
        assert_eq!(s.into_string(), "abcxx");
    }
}
