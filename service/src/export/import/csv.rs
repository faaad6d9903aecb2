//! Reading a CSV upload: its encoding, its separator, and the line of each record.

use std::borrow::Cow;

use ::csv::{ReaderBuilder, StringRecord};

use super::{
    MAX_IMPORT_ROWS,
    grid::{Grid, Raw, bad_file, too_many_rows},
};
use crate::{error::ApiResult, export::csv::BOM};

/// Reads a CSV file: the first record is the header, every later one a row.
pub(super) fn read(bytes: &[u8]) -> ApiResult<Grid> {
    let text = decode(bytes);
    let mut reader = ReaderBuilder::new()
        .delimiter(separator(&text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text.as_bytes());
    let mut records = reader
        .records()
        .map(|record| record.map_err(|err| bad_file(format!("unreadable CSV: {err}"))));
    let mut grid = Grid {
        headers: Vec::new(),
        header_line: 1,
        rows: Vec::new(),
    };
    if let Some(record) = records.next() {
        let record = record?;
        grid.header_line = lines.line_of(&record);
        grid.headers = record.iter().map(|h| h.trim().to_owned()).collect();
    }
    for record in records {
        let record = record?;
        grid.rows.push((lines.line_of(&record), cells(&record)));
        if grid.rows.len() > MAX_IMPORT_ROWS {
            return Err(too_many_rows(MAX_IMPORT_ROWS));
        }
    }
    Ok(grid)
}

/// The file's text. Excel's "CSV UTF-8" starts with a byte order mark, which is dropped; its
/// plain "CSV" is Windows-1252 (on German Windows), so a file that is not UTF-8 is read as
/// that. Windows-1252 gives every byte a character, so nothing is ever replaced.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// The separator the first line uses: semicolon (German Excel), tab or comma.
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    [b';', b'\t', b',']
        .into_iter()
        .find(|d| first.contains(char::from(*d)))
        .unwrap_or(b';')
}

/// A record's cells; blank ones are empty.
fn cells(record: &StringRecord) -> Vec<Raw> {
    record
        .iter()
        .map(|c| {
            if c.trim().is_empty() {
                Raw::Empty
            } else {
                Raw::Text(c.to_owned())
            }
        })
        .collect()
}

/// The line each record starts on. The reader's own line count lags behind after CRLF line
/// ends, so this counts from its byte offsets instead, past the line ends before the record.
struct LineCounter<'a> {
    text: &'a [u8],
    /// How far the text is counted.
    counted_to: usize,
    /// The line at `counted_to`.
    line: u32,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        Self {
            text,
            counted_to: 0,
            line: 1,
        }
    }

    /// The line of a record; records come in the order of the file.
    fn line_of(&mut self, record: &StringRecord) -> u32 {
        let text = self.text;
        let mut start = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
            .min(text.len());
        while start < text.len() && matches!(text[start], b'\r' | b'\n') {
            start += 1;
        }
        let start = start.max(self.counted_to);
        let more = text[self.counted_to..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.counted_to = start;
        self.line = self
            .line
            .saturating_add(u32::try_from(more).unwrap_or(u32::MAX));
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_either_separator_and_a_bom_reads_with_lines() {
        let text = "\u{feff}Nr.;Maßnahme;Ampel\r\n2024/01;\"E-Akte; Pilot\";grün\r\n\r\n2024/02;Portal;rot\r\n";
        let grid = read(text.as_bytes()).unwrap();
        assert_eq!(grid.headers, ["Nr.", "Maßnahme", "Ampel"]);
        assert_eq!(grid.rows.len(), 2);
        assert_eq!(grid.rows[0].0, 2);
        assert_eq!(grid.rows[1].0, 4);
        assert_eq!(grid.rows[0].1[1], Raw::Text("E-Akte; Pilot".into()));
        let grid = read(b"No.,Measure\n7,Portal\n").unwrap();
        assert_eq!(grid.rows[0].1[0].text().as_deref(), Some("7"));
        let grid = read(b"Nr.;Ma\xDFnahme\n1;Gr\xF6\xDFe \x80\n").unwrap();
        assert_eq!(grid.headers[1], "Maßnahme");
        assert_eq!(grid.rows[0].1[1], Raw::Text("Größe €".into()));
    }

    #[test]
    fn text_that_is_not_utf8_is_windows_1252_byte_for_byte() {
        assert!(matches!(
            decode("Größe €".as_bytes()),
            Cow::Borrowed("Größe €")
        ));
        // After the byte order mark, bytes that are not UTF-8 are still Windows-1252.
        assert_eq!(decode(b"\xEF\xBB\xBFMa\xDFnahme \x80"), "Maßnahme €");
        // The five bytes Windows-1252 leaves undefined stay the C1 controls of their value.
        let high: Vec<u8> = (0x80..=0xFF).collect();
        let expected = concat!(
            "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ",
            "\u{A0}¡¢£¤¥¦§¨©ª«¬\u{AD}®¯°±²³´µ¶·¸¹º»¼½¾¿",
            "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ",
        );
        assert_eq!(decode(&high), expected);
        // A byte order mark of UTF-16 is not read as one.
        assert_eq!(decode(b"\xFF\xFEN\x00r\x00"), "ÿþN\u{0}r\u{0}");
    }
}
