//! The standard fonts Helvetica and Helvetica-Bold in WinAnsiEncoding: every PDF reader has
//! them, so nothing is embedded. German umlauts, `ß` and `€` are in the encoding; a character
//! outside it becomes `?`. Text is measured with Adobe's AFM widths to wrap long titles and
//! right-align figures.

/// Helvetica advance widths (1/1000 em) for ASCII 32..=126, from Adobe's AFM file.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Helvetica-Bold advance widths for ASCII 32..=126.
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The PostScript names of the regular and the bold font.
pub(super) const REGULAR_NAME: &[u8] = b"Helvetica";
pub(super) const BOLD_NAME: &[u8] = b"Helvetica-Bold";

/// The encoding both fonts are used in.
pub(super) const ENCODING: &[u8] = b"WinAnsiEncoding";

/// The WinAnsiEncoding byte of a character (`?` for one the encoding lacks).
fn win_ansi(ch: char) -> u8 {
    match ch {
        ' '..='~' | '\u{A0}'..='\u{FF}' => u8::try_from(u32::from(ch)).unwrap_or(b'?'),
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '\t' | '\n' | '\r' => b' ',
        _ => b'?',
    }
}

/// Text as the bytes of a PDF string in WinAnsiEncoding.
pub(super) fn encode(text: &str) -> Vec<u8> {
    text.chars().map(win_ansi).collect()
}

/// Width of a character in 1/1000 em: accented letters as their base letter.
fn char_width(ch: char, bold: bool) -> u16 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    let ascii = |c: char| table[(u32::from(c) - 32) as usize];
    match ch {
        ' '..='~' => ascii(ch),
        'À'..='Å' => ascii('A'),
        'Æ' => 1000,
        'Ç' => ascii('C'),
        'È'..='Ë' => ascii('E'),
        'Ì'..='Ï' => ascii('I'),
        'Ñ' => ascii('N'),
        'Ò'..='Ö' | 'Ø' => ascii('O'),
        'Ù'..='Ü' => ascii('U'),
        'Ý' => ascii('Y'),
        'ß' => 611,
        'à'..='å' => ascii('a'),
        'ç' => ascii('c'),
        'è'..='ë' => ascii('e'),
        'ì'..='ï' => ascii('i'),
        'ñ' => ascii('n'),
        'ò'..='ö' | 'ø' => ascii('o'),
        'ù'..='ü' => ascii('u'),
        'ý' | 'ÿ' => ascii('y'),
        '‚' | '‘' | '’' => ascii('\''),
        '„' | '“' | '”' => ascii('"'),
        '…' | '—' => 1000,
        '•' => 350,
        '°' => 400,
        _ => 556,
    }
}

/// Width of `text` in points at font size `size`.
pub(super) fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    text.chars()
        .map(|ch| f32::from(char_width(ch, bold)))
        .sum::<f32>()
        * size
        / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umlauts_sharp_s_and_euro_are_in_the_encoding() {
        assert_eq!(encode("Größe €"), b"Gr\xF6\xDFe \x80");
    }
}
