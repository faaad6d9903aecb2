//! The laid-out pages as a PDF file: the page tree, the two fonts, the document's title, and
//! a content stream per page with the footer and "Seite x von y".

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::{
    fonts::{self, encode, text_width},
    layout::{GREY, MARGIN, Op, PAGE_HEIGHT, PAGE_WIDTH, RULE, Rgb},
};
use crate::export::labels::Lang;

const CATALOG: Ref = Ref::new(1);
const PAGE_TREE: Ref = Ref::new(2);
const REGULAR: Ref = Ref::new(3);
const BOLD: Ref = Ref::new(4);
const INFO: Ref = Ref::new(5);
/// The first page's id; each page is followed by its content stream.
const FIRST_PAGE: i32 = 6;

/// Writes `pages` with `footer` and the page number at the foot of each, titled `title`.
pub(super) fn write(pages: Vec<Vec<Op>>, footer: &str, lang: Lang, title: &str) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(FIRST_PAGE + 2 * i32::try_from(i).unwrap_or(i32::MAX / 4)))
        .collect();
    pdf.catalog(CATALOG).pages(PAGE_TREE);
    pdf.pages(PAGE_TREE)
        .kids(page_ids.iter().copied())
        .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));
    for (id, name) in [(REGULAR, fonts::REGULAR_NAME), (BOLD, fonts::BOLD_NAME)] {
        pdf.type1_font(id)
            .base_font(Name(name))
            .encoding_predefined(Name(fonts::ENCODING));
    }
    pdf.document_info(INFO)
        .title(TextStr(title))
        .creator(TextStr("digidash"));
    let total = pages.len();
    for (index, (ops, id)) in pages.into_iter().zip(&page_ids).enumerate() {
        let content_id = Ref::new(id.get() + 1);
        page(&mut pdf, *id, content_id);
        let number = match lang {
            Lang::De => format!("Seite {} von {total}", index + 1),
            Lang::En => format!("Page {} of {total}", index + 1),
        };
        let mut content = Content::new();
        for op in ops.iter().chain(&page_foot(footer, number)) {
            draw(&mut content, op);
        }
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

/// The page object: A4, both fonts, its content stream.
fn page(pdf: &mut Pdf, id: Ref, content_id: Ref) {
    let mut page = pdf.page(id);
    page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
    page.parent(PAGE_TREE);
    page.contents(content_id);
    let mut resources = page.resources();
    let mut fonts = resources.fonts();
    fonts.pair(Name(b"F1"), REGULAR);
    fonts.pair(Name(b"F2"), BOLD);
    fonts.finish();
    resources.finish();
    page.finish();
}

/// A rule above the footer on the left and the page number on the right.
fn page_foot(footer: &str, number: String) -> [Op; 3] {
    let width = text_width(&number, 8.0, false);
    [
        Op::Line {
            x1: MARGIN,
            y1: 42.0,
            x2: PAGE_WIDTH - MARGIN,
            y2: 42.0,
            colour: RULE,
        },
        Op::Text {
            x: MARGIN,
            y: 30.0,
            size: 8.0,
            bold: false,
            colour: GREY,
            text: footer.to_owned(),
        },
        Op::Text {
            x: PAGE_WIDTH - MARGIN - width,
            y: 30.0,
            size: 8.0,
            bold: false,
            colour: GREY,
            text: number,
        },
    ]
}

fn draw(content: &mut Content, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            size,
            bold,
            colour,
            text,
        } => {
            content.set_fill_rgb(colour.0, colour.1, colour.2);
            content.begin_text();
            let font = if *bold { Name(b"F2") } else { Name(b"F1") };
            content.set_font(font, *size);
            content.next_line(*x, *y);
            content.show(Str(&encode(text)));
            content.end_text();
        }
        Op::Rect { x, y, w, h, fill } => {
            content.set_fill_rgb(fill.0, fill.1, fill.2);
            content.rect(*x, *y, *w, *h);
            content.fill_nonzero();
        }
        Op::Circle { cx, cy, r, fill } => circle(content, *cx, *cy, *r, *fill),
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            colour,
        } => {
            content.set_stroke_rgb(colour.0, colour.1, colour.2);
            content.set_line_width(0.5);
            content.move_to(*x1, *y1);
            content.line_to(*x2, *y2);
            content.stroke();
        }
    }
}

/// A filled circle with a dark outline.
fn circle(content: &mut Content, cx: f32, cy: f32, r: f32, fill: Rgb) {
    // Four Bézier arcs; 0.5523 is the usual control-point factor for a circle.
    let k = 0.5523 * r;
    content.set_fill_rgb(fill.0, fill.1, fill.2);
    content.set_stroke_rgb(0.3, 0.3, 0.3);
    content.set_line_width(0.4);
    content.move_to(cx + r, cy);
    content.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    content.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    content.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    content.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    content.close_path();
    content.fill_nonzero_and_stroke();
}
