//! Tables that run over pages: a shaded header repeated on every page, striped rows with
//! wrapped text, right-aligned figures and traffic lights drawn as coloured circles.

use entity::enums::Rag;

use super::{
    fonts::text_width,
    layout::{BLACK, CONTENT_WIDTH, GREY, Layout, MARGIN, Op, Rgb, wrap},
};

const HEADER_FILL: Rgb = (0.87, 0.9, 0.94);
const STRIPE_FILL: Rgb = (0.96, 0.96, 0.96);
/// An unknown traffic light.
const UNKNOWN_LIGHT: Rgb = (0.8, 0.8, 0.8);

const TABLE_SIZE: f32 = 8.5;
const TABLE_LEADING: f32 = 10.5;
const PADDING: f32 = 3.0;

/// What a table cell shows.
pub(super) enum Value {
    Text(String),
    /// Right-aligned figure.
    Figure(String),
    /// Traffic lights before and after (either may be unknown).
    Lights(Option<Rag>, Option<Rag>),
}

/// A column: its header and its width in points.
pub(super) struct TableColumn {
    header: &'static str,
    width: f32,
}

impl TableColumn {
    pub(super) fn new(header: &'static str, width: f32) -> Self {
        Self { header, width }
    }
}

/// The fill of a traffic light.
fn rag_colour(rag: Rag) -> Rgb {
    match rag {
        Rag::Green => (0.18, 0.62, 0.27),
        Rag::Amber => (0.96, 0.71, 0.0),
        Rag::Red => (0.82, 0.15, 0.15),
    }
}

/// A table that repeats its header on every page it runs over.
pub(super) fn table(layout: &mut Layout, columns: &[TableColumn], rows: &[Vec<Value>]) {
    header(layout, columns);
    for (index, values) in rows.iter().enumerate() {
        row(layout, columns, values, index % 2 == 1);
    }
}

/// Height of a row of `lines` lines.
fn row_height(lines: usize) -> f32 {
    lines as f32 * TABLE_LEADING + 2.0 * PADDING
}

/// The shaded header; starts a new page unless it fits with one line of a row below.
fn header(layout: &mut Layout, columns: &[TableColumn]) {
    let lines: Vec<Vec<String>> = columns
        .iter()
        .map(|c| wrap(c.header, c.width - 2.0 * PADDING, TABLE_SIZE, true))
        .collect();
    let height = row_height(lines.iter().map(Vec::len).max().unwrap_or(1));
    layout.ensure(height + TABLE_LEADING + 2.0 * PADDING);
    let top = layout.y;
    layout.page().push(Op::Rect {
        x: MARGIN,
        y: top - height,
        w: CONTENT_WIDTH,
        h: height,
        fill: HEADER_FILL,
    });
    let mut x = MARGIN;
    for (column, lines) in columns.iter().zip(lines) {
        for (i, line) in lines.into_iter().enumerate() {
            let y = top - PADDING - (i as f32 + 1.0) * TABLE_LEADING + 2.5;
            layout.text(x + PADDING, y, TABLE_SIZE, true, BLACK, line);
        }
        x += column.width;
    }
    layout.y = top - height;
}

/// One row, on a new page below a repeated header if it does not fit; ruled below.
fn row(layout: &mut Layout, columns: &[TableColumn], row: &[Value], striped: bool) {
    let cells: Vec<Vec<String>> = columns
        .iter()
        .zip(row)
        .map(|(column, value)| match value {
            Value::Text(text) => wrap(text, column.width - 2.0 * PADDING, TABLE_SIZE, false),
            Value::Figure(text) => vec![text.clone()],
            Value::Lights(..) => vec![String::new()],
        })
        .collect();
    let height = row_height(cells.iter().map(Vec::len).max().unwrap_or(1));
    if layout.ensure(height) {
        header(layout, columns);
    }
    let top = layout.y;
    if striped {
        layout.page().push(Op::Rect {
            x: MARGIN,
            y: top - height,
            w: CONTENT_WIDTH,
            h: height,
            fill: STRIPE_FILL,
        });
    }
    let mut x = MARGIN;
    for ((column, value), lines) in columns.iter().zip(row).zip(cells) {
        cell(layout, x, top, column.width, value, lines);
        x += column.width;
    }
    layout.y = top - height;
    layout.rule();
}

/// A cell whose left edge is `x` in a row whose top is `top`; `lines` is its wrapped text.
fn cell(layout: &mut Layout, x: f32, top: f32, width: f32, value: &Value, lines: Vec<String>) {
    let first = top - PADDING - TABLE_LEADING + 2.5;
    match value {
        Value::Text(_) => {
            for (i, line) in lines.into_iter().enumerate() {
                let y = first - i as f32 * TABLE_LEADING;
                layout.text(x + PADDING, y, TABLE_SIZE, false, BLACK, line);
            }
        }
        Value::Figure(text) => {
            let right = x + width - PADDING - text_width(text, TABLE_SIZE, false);
            layout.text(right, first, TABLE_SIZE, false, BLACK, text.clone());
        }
        Value::Lights(before, after) => {
            let cy = top - PADDING - TABLE_LEADING / 2.0;
            lights(layout, x + PADDING + 4.0, cy, *before, *after);
        }
    }
}

/// Two traffic lights: before (small) and after; an unknown one is a grey ring.
fn lights(layout: &mut Layout, x: f32, cy: f32, before: Option<Rag>, after: Option<Rag>) {
    layout.page().push(Op::Circle {
        cx: x,
        cy,
        r: 3.5,
        fill: before.map_or(UNKNOWN_LIGHT, rag_colour),
    });
    layout.text(x + 6.0, cy - 3.0, TABLE_SIZE, false, GREY, "»");
    layout.page().push(Op::Circle {
        cx: x + 17.0,
        cy,
        r: 4.5,
        fill: after.map_or(UNKNOWN_LIGHT, rag_colour),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{council::sample, labels::Lang, pdf::render};

    #[test]
    fn traffic_lights_are_coloured_circles() {
        let bytes = render(&sample::report(1, 3), Lang::De);
        let text = String::from_utf8_lossy(&bytes);
        for rag in [Rag::Green, Rag::Amber, Rag::Red] {
            let (r, g, b) = rag_colour(rag);
            let fill = format!("{r} {g} {b} rg");
            assert!(text.contains(&fill), "no {rag:?} fill ({fill})");
        }
        // Circles are drawn as four Bézier curves, filled and outlined.
        assert!(text.matches(" c\n").count() >= 4 * 6);
        assert!(text.contains("\nB\n"));
    }
}
