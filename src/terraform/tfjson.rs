//! Terraform's JSON syntax (`.tf.json`).
//!
//! TODO(issue 3): evaluate `.tf.json` like `.tf`; for now the file is checked for valid JSON
//! and contributes no declarations.

use hcl_edit::structure::Body;

use super::config::ParsedFile;
use crate::graph::InputError;
use crate::source::FileId;

/// Parses a `.tf.json` file.
pub fn parse_file(file: FileId, text: &str) -> Result<ParsedFile, InputError> {
    crate::parse::json::parse(file, text)?;
    Ok(ParsedFile {
        file,
        body: Body::new(),
    })
}
