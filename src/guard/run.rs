//! The calls into the `cfn-guard` crate, through its public command API (its evaluator is
//! private): `parse-tree` to check a rules file, `validate --payload --structured` to
//! evaluate it. Guard's own panics and deep recursion must not take cislint down, so every
//! call runs under `catch_unwind` on a thread with a large stack, and a panic becomes an error.

use std::cell::Cell;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use cfn_guard::commands::Executable;
use cfn_guard::commands::validate::{OutputFormatType, ShowSummaryType};
use cfn_guard::utils::reader::{ReadBuffer, Reader};
use cfn_guard::utils::writer::{WriteBuffer, Writer};
use cfn_guard::{CommandBuilder, ParseTreeBuilder, ValidateBuilder};

/// Stack of the threads that run Guard: its parser and evaluator recurse per nesting level,
/// and a debug build's frames are large. Only reserved, not committed, memory.
const STACK_BYTES: usize = 256 * 1024 * 1024;

/// Parses a rules file; returns Guard's parse tree as JSON, or Guard's error message.
pub(crate) fn parse_tree(rules: &str) -> Result<serde_json::Value, String> {
    let rules = rules.to_string();
    guarded(move || {
        let cmd = ParseTreeBuilder::default()
            .print_json(true)
            .try_build()
            .map_err(|e| e.to_string())?;
        let mut reader = Reader::new(ReadBuffer::Cursor(Cursor::new(rules.into_bytes())));
        let mut writer = Writer::new(WriteBuffer::Vec(Vec::new())).map_err(|e| e.to_string())?;
        cmd.execute(&mut writer, &mut reader)
            .map_err(|e| e.to_string())?;
        let out = writer.into_string().map_err(|e| e.to_string())?;
        serde_json::from_str(&out).map_err(|e| e.to_string())
    })
}

/// Evaluates rules files against data documents (JSON texts); returns Guard's structured
/// report (one entry per document, in order, each with the failures of every file), or the
/// error that stopped the evaluation.
pub(crate) fn validate(rules: &[&str], docs: &[&str]) -> Result<Vec<serde_json::Value>, String> {
    let payload = serde_json::json!({ "rules": rules, "data": docs }).to_string();
    guarded(move || {
        let cmd = ValidateBuilder::default()
            .payload(true)
            .structured(true)
            .output_format(OutputFormatType::JSON)
            .show_summary(vec![ShowSummaryType::None])
            .try_build()
            .map_err(|e| e.to_string())?;
        let mut reader = Reader::new(ReadBuffer::Cursor(Cursor::new(payload.into_bytes())));
        // Guard writes rule-file problems to its error stream; syntax was checked before.
        let mut writer =
            Writer::new_with_err(WriteBuffer::Vec(Vec::new()), WriteBuffer::Vec(Vec::new()))
                .map_err(|e| e.to_string())?;
        cmd.execute(&mut writer, &mut reader)
            .map_err(|e| e.to_string())?;
        let out = writer.into_string().map_err(|e| e.to_string())?;
        serde_json::from_str(&out).map_err(|e| e.to_string())
    })
}

thread_local! {
    /// Set while this thread runs Guard: its panics are expected and reported as errors.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` on a fresh thread with a large stack, turning a panic into an error.
fn guarded<T: Send>(f: impl FnOnce() -> Result<T, String> + Send) -> Result<T, String> {
    install_quiet_hook();
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("cislint-guard".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(s, || {
                QUIET.with(|q| q.set(true));
                let result = catch_unwind(AssertUnwindSafe(f));
                QUIET.with(|q| q.set(false));
                result
            });
        match handle {
            Ok(h) => match h.join() {
                Ok(Ok(result)) => result,
                Ok(Err(panic)) | Err(panic) => Err(format!(
                    "cfn-guard failed internally: {}",
                    panic_text(panic.as_ref())
                )),
            },
            Err(e) => Err(format!("cannot start a thread for cfn-guard: {e}")),
        }
    })
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Keeps the default panic message off stderr for panics inside Guard (they are reported as
/// errors of the rules file instead); every other panic goes to the hook that was there.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_guard_is_an_error() {
        let r: Result<(), String> = guarded(|| panic!("boom"));
        assert_eq!(r, Err("cfn-guard failed internally: boom".to_string()));
    }

    #[test]
    fn syntax_errors_come_back_as_messages() {
        let e = parse_tree("rule a {\n  x ==\n}\n").unwrap_err();
        assert!(e.contains("at line 2"), "{e}");
        let t = parse_tree("rule a { x exists }").unwrap();
        assert_eq!(t["guard_rules"][0]["rule_name"], "a");
    }
}
