//! Pages laid out top to bottom on A4: a cursor that moves down, a new page when the next
//! block does not fit, and paragraphs wrapped to the content width. What is drawn is kept as
//! [`Op`]s, because the footer's "Seite x von y" needs the page count first.

use super::fonts::text_width;

pub(super) const PAGE_WIDTH: f32 = 595.28;
pub(super) const PAGE_HEIGHT: f32 = 841.89;
pub(super) const MARGIN: f32 = 50.0;
const TOP: f32 = PAGE_HEIGHT - 60.0;
const BOTTOM: f32 = 60.0;
pub(super) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

/// A colour as red, green and blue from 0 to 1.
pub(super) type Rgb = (f32, f32, f32);

pub(super) const BLACK: Rgb = (0.1, 0.1, 0.1);
pub(super) const GREY: Rgb = (0.4, 0.4, 0.4);
pub(super) const RULE: Rgb = (0.7, 0.7, 0.7);

/// What is drawn on a page, before the page count is known.
pub(super) enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        colour: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Rgb,
    },
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
        fill: Rgb,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        colour: Rgb,
    },
}

/// Pages being laid out top to bottom.
pub(super) struct Layout {
    pub(super) pages: Vec<Vec<Op>>,
    /// Where the next block starts on the last page (its top edge).
    pub(super) y: f32,
}

impl Layout {
    pub(super) fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    /// The page being laid out.
    pub(super) fn page(&mut self) -> &mut Vec<Op> {
        // `pages` starts with one page and only grows.
        self.pages.last_mut().expect("a page")
    }

    pub(super) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` still fits on this one.
    pub(super) fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM {
            self.new_page();
            return true;
        }
        false
    }

    /// One line of text at a given place; the cursor stays.
    pub(super) fn text(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        colour: Rgb,
        text: impl Into<String>,
    ) {
        self.page().push(Op::Text {
            x,
            y,
            size,
            bold,
            colour,
            text: text.into(),
        });
    }

    /// A paragraph over the content width; moves down.
    pub(super) fn paragraph(&mut self, text: &str, size: f32, bold: bool, colour: Rgb) {
        let leading = size * 1.3;
        for line in wrap(text, CONTENT_WIDTH, size, bold) {
            self.ensure(leading);
            self.y -= leading;
            let y = self.y;
            self.text(MARGIN, y, size, bold, colour, line);
        }
    }

    /// Moves down by `height`.
    pub(super) fn gap(&mut self, height: f32) {
        self.y -= height;
    }

    /// A thin line over the content width at the cursor.
    pub(super) fn rule(&mut self) {
        let y = self.y;
        self.page().push(Op::Line {
            x1: MARGIN,
            y1: y,
            x2: PAGE_WIDTH - MARGIN,
            y2: y,
            colour: RULE,
        });
    }
}

/// Breaks text into lines no wider than `width` (a word too long for a line is cut).
pub(super) fn wrap(text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size, bold) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        line = cut_to_width(word, width, size, bold, &mut lines);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Pushes the full-width pieces of a word too long for a line to `lines`; returns the rest.
fn cut_to_width(word: &str, width: f32, size: f32, bold: bool, lines: &mut Vec<String>) -> String {
    let mut rest = word.to_owned();
    while text_width(&rest, size, bold) > width {
        let mut cut = String::new();
        for ch in rest.chars() {
            if text_width(&format!("{cut}{ch}"), size, bold) > width {
                break;
            }
            cut.push(ch);
        }
        if cut.is_empty() {
            break;
        }
        rest = rest[cut.len()..].to_owned();
        lines.push(cut);
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_wrap() {
        let lines = wrap(
            "Digitalisierungsmaßnahmenkoordinationsstelle und mehr",
            60.0,
            9.0,
            false,
        );
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 9.0, false) <= 60.0));
    }
}
