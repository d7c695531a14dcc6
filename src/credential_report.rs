//! The IAM credential report (`aws iam get-credential-report`, decoded): a CSV with one row
//! per user and a `<root_account>` row. Every cell keeps its span so that findings point
//! at the offending cell.

use std::collections::HashMap;

use crate::graph::InputError;
use crate::source::{FileId, Span};

/// One cell of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub text: String,
    pub span: Span,
}

/// One row: a user (or `<root_account>`).
#[derive(Clone, Debug)]
pub struct Row {
    /// The `user` column.
    pub user: String,
    /// The whole line, for findings about the row itself.
    pub span: Span,
    cells: HashMap<String, Cell>,
}

impl Row {
    /// The cell of `column`, if the report has that column.
    pub fn cell(&self, column: &str) -> Option<&Cell> {
        self.cells.get(column)
    }

    /// Whether this is the root user's row.
    pub fn is_root(&self) -> bool {
        self.user == "<root_account>"
    }

    /// A boolean cell: `Some(true)`/`Some(false)`, `None` for `N/A`, `not_supported`, absent.
    pub fn flag(&self, column: &str) -> Option<bool> {
        match self.cell(column)?.text.as_str() {
            "true" | "TRUE" | "True" => Some(true),
            "false" | "FALSE" | "False" => Some(false),
            _ => None,
        }
    }

    /// A timestamp cell as a day number; `None` for `N/A`, `no_information`, `not_supported`.
    pub fn day(&self, column: &str) -> Option<i64> {
        parse_day(&self.cell(column)?.text)
    }
}

/// A parsed credential report.
#[derive(Clone, Debug)]
pub struct CredentialReport {
    pub file: FileId,
    pub rows: Vec<Row>,
}

/// Columns a report must have for the controls to read it.
const REQUIRED: &[&str] = &[
    "user",
    "password_enabled",
    "mfa_active",
    "access_key_1_active",
];

/// Parses the CSV text of a report.
pub fn parse(file: FileId, text: &str) -> Result<CredentialReport, InputError> {
    let mut lines = split_lines(text);
    let Some((header_start, header)) = lines.next() else {
        return Err(InputError {
            span: Span::new(file, 0, 0),
            message: "empty credential report".into(),
        });
    };
    let columns: Vec<String> = split_fields(header, header_start)
        .map_err(|at| err(file, at, "unterminated quoted field"))?
        .into_iter()
        .map(|(s, _)| s.trim().to_string())
        .collect();
    for c in REQUIRED {
        if !columns.iter().any(|h| h == c) {
            return Err(err(
                file,
                header_start,
                &format!("not a credential report: the header has no `{c}` column"),
            ));
        }
    }
    let mut rows = Vec::new();
    for (start, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let fields =
            split_fields(line, start).map_err(|at| err(file, at, "unterminated quoted field"))?;
        if fields.len() != columns.len() {
            return Err(err(
                file,
                start,
                &format!(
                    "row has {} fields, the header has {}",
                    fields.len(),
                    columns.len()
                ),
            ));
        }
        let mut cells = HashMap::new();
        for (name, (text, (s, e))) in columns.iter().zip(fields) {
            cells.insert(
                name.clone(),
                Cell {
                    text,
                    span: Span::new(file, s, e),
                },
            );
        }
        let user = cells
            .get("user")
            .map(|c| c.text.clone())
            .unwrap_or_default();
        rows.push(Row {
            user,
            span: Span::new(file, start, start + line.len()),
            cells,
        });
    }
    Ok(CredentialReport { file, rows })
}

fn err(file: FileId, at: usize, message: &str) -> InputError {
    InputError {
        span: Span::new(file, at, at),
        message: format!("invalid credential report: {message}"),
    }
}

/// Lines with their byte offsets, without line breaks (`\r\n` or `\n`).
fn split_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        (start, raw.trim_end_matches(['\n', '\r']))
    })
}

/// Splits one CSV line into fields with their byte ranges (of the value, without quotes).
/// `Err(offset)` for an unterminated quote.
#[allow(clippy::type_complexity)]
fn split_fields(line: &str, base: usize) -> Result<Vec<(String, (usize, usize))>, usize> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    loop {
        if i < bytes.len() && bytes[i] == b'"' {
            let start = i + 1;
            let mut value = String::new();
            let mut j = start;
            loop {
                match line[j..].find('"') {
                    None => return Err(base + i),
                    Some(k) => {
                        value.push_str(&line[j..j + k]);
                        j += k + 1;
                        if line[j..].starts_with('"') {
                            value.push('"');
                            j += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            out.push((value, (base + start, base + j - 1)));
            i = j;
            if i < bytes.len() && bytes[i] == b',' {
                i += 1;
                continue;
            }
            break;
        }
        let end = line[i..].find(',').map(|k| i + k).unwrap_or(line.len());
        out.push((line[i..end].to_string(), (base + i, base + end)));
        if end >= line.len() {
            break;
        }
        i = end + 1;
    }
    Ok(out)
}

/// Days since 1970-01-01 of an ISO 8601 timestamp or date (`2016-11-23T16:05:53+00:00`).
pub fn parse_day(text: &str) -> Option<i64> {
    let date = text.get(..10)?;
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || parts.next().is_some() {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Howard Hinnant's days-from-civil: the proleptic Gregorian calendar without a crate.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Today as a day number (UTC).
pub fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    secs.div_euclid(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    #[test]
    fn cells_keep_their_spans() {
        let text = format!(
            "{HEADER}\r\nalice,\"arn:aws:iam::1:user/alice\",2020-01-01T00:00:00+00:00,true,N/A,2020-01-01T00:00:00+00:00,N/A,false,true,2020-01-02T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\r\n"
        );
        let r = parse(FileId(0), &text).unwrap();
        assert_eq!(r.rows.len(), 1);
        let row = &r.rows[0];
        assert_eq!(row.user, "alice");
        assert_eq!(row.flag("mfa_active"), Some(false));
        let arn = row.cell("arn").unwrap();
        assert_eq!(&text[arn.span.range()], "arn:aws:iam::1:user/alice");
        let mfa = row.cell("mfa_active").unwrap();
        assert_eq!(&text[mfa.span.range()], "false");
        assert_eq!(
            row.day("access_key_1_last_rotated"),
            parse_day("2020-01-02")
        );
        assert_eq!(row.day("password_last_used"), None);
    }

    #[test]
    fn malformed_reports_are_errors_at_their_line() {
        let e = parse(FileId(0), "a,b\n1,2\n").unwrap_err();
        assert!(e.message.contains("not a credential report"));
        let bad = format!("{HEADER}\nbob,x\n");
        let e = parse(FileId(0), &bad).unwrap_err();
        assert_eq!(e.span.start as usize, HEADER.len() + 1);
        let quote = format!("{HEADER}\nbob,\"open\n");
        assert!(parse(FileId(0), &quote).is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("2000-03-01T00:00:00+00:00"), Some(11_017));
        assert_eq!(parse_day("N/A"), None);
        assert_eq!(parse_day("no_information"), None);
    }
}
