//! Source files and byte spans; line and column are computed only when rendering.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Index of a file in the [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// A span over `start..end` of `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// The byte range as `usize`.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A 1-based line and column (columns count characters, as editors do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// One file read from disk (or stdin), with its line index.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as reached from the command-line argument; used in every report.
    pub path: PathBuf,
    pub text: Arc<str>,
    /// `u32`, like [`Span`] offsets: the index grows with every scanned line.
    line_starts: Vec<u32>,
}

impl SourceFile {
    /// Indexes `text` for line/column lookups.
    pub fn new(path: PathBuf, text: Arc<str>) -> SourceFile {
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        let mut line_starts = Vec::with_capacity(lines + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// Line and column (1-based) of a byte offset; offsets inside a UTF-8 sequence are rounded down.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        LineCol {
            line: line + 1,
            column: self.text[start..end].chars().count() + 1,
        }
    }

    /// Byte offset of a 1-based line and 0-based character column (as YAML markers give them).
    pub fn offset_of(&self, line: usize, char_col: usize) -> usize {
        let Some(start) = self
            .line_starts
            .get(line.saturating_sub(1))
            .map(|&s| s as usize)
        else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(char_col)
            .map(|(i, _)| start + i)
            .unwrap_or(self.text.len())
    }

    /// Byte range of the 1-based line `line`, without its line break.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .map(|&s| s as usize)
            .unwrap_or(0);
        let end = self
            .line_starts
            .get(line)
            .map(|&e| (e as usize).saturating_sub(1))
            .unwrap_or(self.text.len());
        start..end.max(start)
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Every file of one scan. Files may be added while scanning in parallel (modules, `file()`).
#[derive(Debug, Default)]
pub struct SourceMap {
    files: RwLock<Files>,
}

/// The registered files and, so that [`SourceMap::find`] stays constant-time on scans of
/// thousands of files, the first id of each path.
#[derive(Debug, Default)]
struct Files {
    list: Vec<Arc<SourceFile>>,
    by_path: std::collections::HashMap<PathBuf, FileId>,
}

impl SourceMap {
    /// Registers a file and returns its id.
    pub fn add(&self, path: PathBuf, text: Arc<str>) -> FileId {
        let file = Arc::new(SourceFile::new(path.clone(), text));
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        let id = FileId(files.list.len() as u32);
        files.list.push(file);
        files.by_path.entry(path).or_insert(id);
        id
    }

    /// Registers a file under `path` unless a file is registered there already; returns
    /// the id of the one registered. The line index is built outside the lock, so that
    /// threads registering files do not wait on each other.
    pub fn add_once(&self, path: PathBuf, text: Arc<str>) -> FileId {
        if let Some(id) = self.find(&path) {
            return id;
        }
        let file = Arc::new(SourceFile::new(path.clone(), text));
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = files.by_path.get(&path) {
            return id;
        }
        let id = FileId(files.list.len() as u32);
        files.list.push(file);
        files.by_path.insert(path, id);
        id
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> Arc<SourceFile> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.list[id.0 as usize].clone()
    }

    /// The id of an already registered path, if any.
    pub fn find(&self, path: &Path) -> Option<FileId> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.by_path.get(path).copied()
    }

    /// Number of files registered.
    pub fn len(&self) -> usize {
        self.files
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .list
            .len()
    }

    /// Whether no file is registered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Total size of all registered texts, in bytes.
    pub fn total_bytes(&self) -> u64 {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.list.iter().map(|f| f.text.len() as u64).sum()
    }

    /// Start line/column of a span.
    pub fn start(&self, span: Span) -> LineCol {
        self.get(span.file).line_col(span.start as usize)
    }

    /// End line/column of a span (exclusive column, as LSP and SARIF expect).
    pub fn end(&self, span: Span) -> LineCol {
        self.get(span.file).line_col(span.end as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("a".into(), "ab\nçd x\n".into());
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // 'ç' is two bytes: "x" is the 4th character of line 2.
        assert_eq!(f.line_col(7), LineCol { line: 2, column: 4 });
        assert_eq!(f.offset_of(2, 3), 7);
        assert_eq!(f.line_range(2), 3..8);
    }
}
