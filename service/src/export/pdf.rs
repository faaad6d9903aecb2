//! The council report as a printable PDF (A4) that a council office can attach to a
//! Ratsvorlage: a title page with tenant, period and the overview of all goals, then a table
//! per goal with traffic lights drawn as coloured circles, the traffic lights that changed,
//! and "Seite x von y" on every page.
//!
//! Written with `pdf-writer` and the standard fonts Helvetica and Helvetica-Bold in
//! WinAnsiEncoding: every PDF reader has them, nothing is embedded, German umlauts, `ß` and
//! `€` are in the encoding. Characters outside it are replaced by `?`. Text is measured with
//! the fonts' metrics (Adobe's AFM widths) to wrap long titles and right-align figures.

use chrono::NaiveDate;
use entity::enums::Rag;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use rust_decimal::Decimal;

use super::{
    council::{self, kind_label},
    labels::{Labelled, Lang},
};
use crate::report::model::{CouncilReport, CouncilReportGoal, ReportBudget};

/// The content type of PDF files.
pub const CONTENT_TYPE: &str = "application/pdf";

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 50.0;
const TOP: f32 = PAGE_HEIGHT - 60.0;
const BOTTOM: f32 = 60.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

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

fn encode(text: &str) -> Vec<u8> {
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

fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    text.chars()
        .map(|ch| f32::from(char_width(ch, bold)))
        .sum::<f32>()
        * size
        / 1000.0
}

/// Breaks text into lines no wider than `width` (a word too long for a line is cut).
fn wrap(text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
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
        line = rest;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

type Rgb = (f32, f32, f32);

const BLACK: Rgb = (0.1, 0.1, 0.1);
const GREY: Rgb = (0.4, 0.4, 0.4);
const HEADER_FILL: Rgb = (0.87, 0.9, 0.94);
const STRIPE_FILL: Rgb = (0.96, 0.96, 0.96);
const RULE: Rgb = (0.7, 0.7, 0.7);

fn rag_colour(rag: Rag) -> Rgb {
    match rag {
        Rag::Green => (0.18, 0.62, 0.27),
        Rag::Amber => (0.96, 0.71, 0.0),
        Rag::Red => (0.82, 0.15, 0.15),
    }
}

/// What is drawn on a page, before the page count is known.
enum Op {
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
struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn page(&mut self) -> &mut Vec<Op> {
        // `pages` starts with one page and only grows.
        self.pages.last_mut().expect("a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` still fits on this one.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM {
            self.new_page();
            return true;
        }
        false
    }

    fn text(
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
    fn paragraph(&mut self, text: &str, size: f32, bold: bool, colour: Rgb) {
        let leading = size * 1.3;
        for line in wrap(text, CONTENT_WIDTH, size, bold) {
            self.ensure(leading);
            self.y -= leading;
            let y = self.y;
            self.text(MARGIN, y, size, bold, colour, line);
        }
    }

    fn gap(&mut self, height: f32) {
        self.y -= height;
    }

    fn rule(&mut self) {
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

/// What a table cell shows.
enum Value {
    Text(String),
    /// Right-aligned figure.
    Figure(String),
    /// Traffic lights before and after (either may be unknown).
    Lights(Option<Rag>, Option<Rag>),
}

struct TableColumn {
    header: &'static str,
    width: f32,
}

const TABLE_SIZE: f32 = 8.5;
const TABLE_LEADING: f32 = 10.5;
const PADDING: f32 = 3.0;

/// A table that repeats its header on every page it runs over.
fn table(layout: &mut Layout, columns: &[TableColumn], rows: &[Vec<Value>]) {
    let header = |layout: &mut Layout| {
        let lines: Vec<Vec<String>> = columns
            .iter()
            .map(|c| wrap(c.header, c.width - 2.0 * PADDING, TABLE_SIZE, true))
            .collect();
        let count = lines.iter().map(Vec::len).max().unwrap_or(1);
        let height = count as f32 * TABLE_LEADING + 2.0 * PADDING;
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
    };
    header(layout);
    for (index, row) in rows.iter().enumerate() {
        let cells: Vec<Vec<String>> = columns
            .iter()
            .zip(row)
            .map(|(column, value)| match value {
                Value::Text(text) => wrap(text, column.width - 2.0 * PADDING, TABLE_SIZE, false),
                Value::Figure(text) => vec![text.clone()],
                Value::Lights(..) => vec![String::new()],
            })
            .collect();
        let count = cells.iter().map(Vec::len).max().unwrap_or(1);
        let height = count as f32 * TABLE_LEADING + 2.0 * PADDING;
        if layout.ensure(height) {
            header(layout);
        }
        let top = layout.y;
        if index % 2 == 1 {
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
            let first = top - PADDING - TABLE_LEADING + 2.5;
            match value {
                Value::Text(_) => {
                    for (i, line) in lines.into_iter().enumerate() {
                        let y = first - i as f32 * TABLE_LEADING;
                        layout.text(x + PADDING, y, TABLE_SIZE, false, BLACK, line);
                    }
                }
                Value::Figure(text) => {
                    let width = text_width(text, TABLE_SIZE, false);
                    let right = x + column.width - PADDING - width;
                    layout.text(right, first, TABLE_SIZE, false, BLACK, text.clone());
                }
                Value::Lights(before, after) => {
                    let cy = top - PADDING - TABLE_LEADING / 2.0;
                    lights(layout, x + PADDING + 4.0, cy, *before, *after);
                }
            }
            x += column.width;
        }
        layout.y = top - height;
        layout.rule();
    }
}

/// Two traffic lights: before (small) and after; an unknown one is a grey ring.
fn lights(layout: &mut Layout, x: f32, cy: f32, before: Option<Rag>, after: Option<Rag>) {
    let grey = (0.8, 0.8, 0.8);
    layout.page().push(Op::Circle {
        cx: x,
        cy,
        r: 3.5,
        fill: before.map_or(grey, rag_colour),
    });
    layout.text(x + 6.0, cy - 3.0, TABLE_SIZE, false, GREY, "»");
    layout.page().push(Op::Circle {
        cx: x + 17.0,
        cy,
        r: 4.5,
        fill: after.map_or(grey, rag_colour),
    });
}

fn date(day: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::De => day.format("%d.%m.%Y").to_string(),
        Lang::En => day.format("%Y-%m-%d").to_string(),
    }
}

/// An amount in euros: `150.000,00 €` in German, `€150,000.00` in English.
fn money(amount: Decimal, lang: Lang) -> String {
    let text = amount.round_dp(2).abs().to_string();
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "0"));
    let cents = format!("{cents:0<2}");
    let (group, point) = match lang {
        Lang::De => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    match lang {
        Lang::De => format!("{sign}{grouped}{point}{cents} €"),
        Lang::En => format!("{sign}€{grouped}{point}{cents}"),
    }
}

fn percent(value: Option<i32>) -> String {
    value.map_or_else(|| "–".into(), |v| format!("{v} %"))
}

fn progress(start: Option<i32>, end: Option<i32>) -> String {
    format!("{} » {}", percent(start), percent(end))
}

fn budget_line(budget: &ReportBudget, lang: Lang) -> String {
    format!(
        "{}: {} {} · {} {} · {} {}",
        lang.pick("Budget", "Budget"),
        lang.pick("geplant", "planned"),
        money(budget.planned, lang),
        lang.pick("genehmigt", "approved"),
        money(budget.approved, lang),
        lang.pick("ausgegeben", "spent"),
        money(budget.spent, lang),
    )
}

fn title_page(layout: &mut Layout, report: &CouncilReport, lang: Lang) {
    layout.gap(60.0);
    layout.paragraph(&report.tenant_name, 14.0, false, GREY);
    layout.gap(8.0);
    layout.paragraph(council::title(lang), 22.0, true, BLACK);
    layout.gap(14.0);
    layout.paragraph(
        &format!(
            "{} {} ({} – {})",
            lang.pick("Berichtszeitraum", "Period"),
            report.period,
            date(report.from, lang),
            date(report.to, lang)
        ),
        12.0,
        false,
        BLACK,
    );
    layout.paragraph(
        &format!(
            "{} {}",
            lang.pick("Stand:", "As of:"),
            date(report.as_of, lang)
        ),
        12.0,
        false,
        BLACK,
    );
    let generated = report.generated_at.format("%Y-%m-%d %H:%M UTC");
    let mut made = format!("{} {generated}", lang.pick("Erstellt:", "Generated:"));
    if let Some(published) = report.published_at {
        made.push_str(&format!(
            " · {} {}",
            lang.pick("veröffentlicht:", "published:"),
            published.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    layout.paragraph(&made, 10.0, false, GREY);
    layout.gap(24.0);
    layout.paragraph(lang.pick("Überblick", "Overview"), 14.0, true, BLACK);
    layout.gap(6.0);
    let totals = &report.totals;
    let mut rows: Vec<Vec<Value>> = report
        .goals
        .iter()
        .map(|goal| {
            vec![
                Value::Text(goal.code.clone()),
                Value::Text(goal.title.clone()),
                Value::Figure(progress(goal.progress_start, goal.progress_end)),
                Value::Figure(format!(
                    "{} / {}",
                    goal.measures_completed, goal.measures_total
                )),
                Value::Figure(format!(
                    "{} / {}",
                    goal.milestones_achieved, goal.milestones_missed
                )),
                Value::Figure(money(goal.budget.approved, lang)),
            ]
        })
        .collect();
    rows.push(vec![
        Value::Text(lang.pick("Gesamt", "Total").into()),
        Value::Text(format!("{} {}", totals.goals, lang.pick("Ziele", "goals"))),
        Value::Figure(String::new()),
        Value::Figure(format!(
            "{} / {}",
            totals.measures_completed, totals.measures
        )),
        Value::Figure(format!(
            "{} / {}",
            totals.milestones_achieved, totals.milestones_missed
        )),
        Value::Figure(money(totals.budget.approved, lang)),
    ]);
    table(
        layout,
        &[
            TableColumn {
                header: lang.pick("Ziel", "Goal"),
                width: 55.0,
            },
            TableColumn {
                header: lang.pick("Titel", "Title"),
                width: 170.0,
            },
            TableColumn {
                header: lang.pick("Fortschritt", "Progress"),
                width: 70.0,
            },
            TableColumn {
                header: lang.pick("Maßnahmen abgeschl. / gesamt", "Measures completed / total"),
                width: 65.0,
            },
            TableColumn {
                header: lang.pick(
                    "Meilensteine erreicht / verfehlt",
                    "Milestones achieved / missed",
                ),
                width: 60.0,
            },
            TableColumn {
                header: lang.pick("Budget genehmigt", "Budget approved"),
                width: CONTENT_WIDTH - 420.0,
            },
        ],
        &rows,
    );
    layout.gap(16.0);
    layout.paragraph(
        lang.pick(
            "Ampel: grün = im Plan, gelb = gefährdet, rot = nicht im Plan; kleiner Kreis: zu Beginn, großer Kreis: am Ende des Zeitraums.",
            "Traffic light: green = on track, amber = at risk, red = off track; small circle: at the start, large circle: at the end of the period.",
        ),
        8.5,
        false,
        GREY,
    );
}

fn goal_section(layout: &mut Layout, goal: &CouncilReportGoal, lang: Lang) {
    // A goal starts on a new page unless its heading and a few rows fit.
    layout.ensure(160.0);
    layout.paragraph(&format!("{} {}", goal.code, goal.title), 14.0, true, BLACK);
    layout.paragraph(
        &format!("{} {}", lang.pick("Strategie:", "Strategy:"), goal.strategy),
        9.0,
        false,
        GREY,
    );
    layout.gap(4.0);
    layout.paragraph(
        &format!(
            "{}: {} · {}: {} ({} {}) · {}: {} {}, {} {}",
            lang.pick("Fortschritt", "Progress"),
            progress(goal.progress_start, goal.progress_end),
            lang.pick("Maßnahmen", "Measures"),
            goal.measures_total,
            goal.measures_completed,
            lang.pick("abgeschlossen", "completed"),
            lang.pick("Meilensteine", "Milestones"),
            goal.milestones_achieved,
            lang.pick("erreicht", "achieved"),
            goal.milestones_missed,
            lang.pick("verfehlt", "missed"),
        ),
        9.5,
        false,
        BLACK,
    );
    layout.paragraph(&budget_line(&goal.budget, lang), 9.5, false, BLACK);
    layout.gap(6.0);
    if goal.measures.is_empty() {
        layout.paragraph(
            lang.pick("Keine Maßnahmen im Bericht.", "No measures in the report."),
            9.0,
            false,
            GREY,
        );
    } else {
        let rows: Vec<Vec<Value>> = goal
            .measures
            .iter()
            .map(|m| {
                vec![
                    Value::Text(m.number.clone()),
                    Value::Text(m.title.clone()),
                    Value::Text(m.status.label(lang).into()),
                    Value::Figure(progress(m.progress_start, m.progress_end)),
                    Value::Lights(m.rag_start, m.rag_end),
                    Value::Text(m.completed_on.map(|d| date(d, lang)).unwrap_or_default()),
                ]
            })
            .collect();
        table(
            layout,
            &[
                TableColumn {
                    header: lang.pick("Nr.", "No."),
                    width: 55.0,
                },
                TableColumn {
                    header: lang.pick("Maßnahme", "Measure"),
                    width: 185.0,
                },
                TableColumn {
                    header: "Status",
                    width: 72.0,
                },
                TableColumn {
                    header: lang.pick("Fortschritt", "Progress"),
                    width: 70.0,
                },
                TableColumn {
                    header: lang.pick("Ampel", "Traffic light"),
                    width: 52.0,
                },
                TableColumn {
                    header: lang.pick("Erledigt", "Completed"),
                    width: CONTENT_WIDTH - 434.0,
                },
            ],
            &rows,
        );
    }
    if !goal.rag_changes.is_empty() {
        layout.gap(10.0);
        layout.ensure(60.0);
        layout.paragraph(
            lang.pick(
                "Ampelwechsel im Berichtszeitraum",
                "Traffic lights changed in the period",
            ),
            10.5,
            true,
            BLACK,
        );
        layout.gap(4.0);
        let rows: Vec<Vec<Value>> = goal
            .rag_changes
            .iter()
            .map(|c| {
                vec![
                    Value::Text(format!(
                        "{} {}",
                        kind_label(&c.kind, lang),
                        c.code.clone().unwrap_or_default()
                    )),
                    Value::Text(c.title.clone()),
                    Value::Lights(c.from_rag, Some(c.to_rag)),
                    Value::Text(date(c.reported_on, lang)),
                    Value::Text(c.summary.clone()),
                ]
            })
            .collect();
        table(
            layout,
            &[
                TableColumn {
                    header: lang.pick("Art / Nr.", "Kind / no."),
                    width: 80.0,
                },
                TableColumn {
                    header: lang.pick("Titel", "Title"),
                    width: 135.0,
                },
                TableColumn {
                    header: lang.pick("Ampel", "Traffic light"),
                    width: 52.0,
                },
                TableColumn {
                    header: lang.pick("Berichtet", "Reported"),
                    width: 58.0,
                },
                TableColumn {
                    header: lang.pick("Zusammenfassung", "Summary"),
                    width: CONTENT_WIDTH - 325.0,
                },
            ],
            &rows,
        );
    }
    layout.gap(18.0);
}

/// Renders the council report as a PDF.
pub fn render(report: &CouncilReport, lang: Lang) -> Vec<u8> {
    let mut layout = Layout::new();
    title_page(&mut layout, report, lang);
    if !report.goals.is_empty() {
        layout.new_page();
    }
    for goal in &report.goals {
        goal_section(&mut layout, goal, lang);
    }
    let footer = format!(
        "digidash · {} · {} {}",
        report.tenant_name,
        lang.pick("Ratsbericht", "Council report"),
        report.period
    );
    write(layout.pages, &footer, lang, &pdf_title(report, lang))
}

fn pdf_title(report: &CouncilReport, lang: Lang) -> String {
    format!(
        "{} – {} {}",
        council::title(lang),
        report.tenant_name,
        report.period
    )
}

fn write(pages: Vec<Vec<Op>>, footer: &str, lang: Lang, title: &str) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(first_page + 2 * i32::try_from(i).unwrap_or(i32::MAX / 4)))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(title))
        .creator(TextStr("digidash"));
    let total = pages.len();
    for (index, (ops, id)) in pages.into_iter().zip(&page_ids).enumerate() {
        let content_id = Ref::new(id.get() + 1);
        let mut page = pdf.page(*id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree);
        page.contents(content_id);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(Name(b"F1"), regular);
        fonts.pair(Name(b"F2"), bold);
        fonts.finish();
        resources.finish();
        page.finish();

        let mut content = Content::new();
        for op in &ops {
            draw(&mut content, op);
        }
        let number = match lang {
            Lang::De => format!("Seite {} von {total}", index + 1),
            Lang::En => format!("Page {} of {total}", index + 1),
        };
        draw(
            &mut content,
            &Op::Line {
                x1: MARGIN,
                y1: 42.0,
                x2: PAGE_WIDTH - MARGIN,
                y2: 42.0,
                colour: RULE,
            },
        );
        draw(
            &mut content,
            &Op::Text {
                x: MARGIN,
                y: 30.0,
                size: 8.0,
                bold: false,
                colour: GREY,
                text: footer.to_owned(),
            },
        );
        let width = text_width(&number, 8.0, false);
        draw(
            &mut content,
            &Op::Text {
                x: PAGE_WIDTH - MARGIN - width,
                y: 30.0,
                size: 8.0,
                bold: false,
                colour: GREY,
                text: number,
            },
        );
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
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
        Op::Circle { cx, cy, r, fill } => {
            // Four Bézier arcs; 0.5523 is the usual control-point factor for a circle.
            let k = 0.5523 * r;
            content.set_fill_rgb(fill.0, fill.1, fill.2);
            content.set_stroke_rgb(0.3, 0.3, 0.3);
            content.set_line_width(0.4);
            content.move_to(cx + r, *cy);
            content.cubic_to(cx + r, cy + k, cx + k, cy + r, *cx, cy + r);
            content.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, *cy);
            content.cubic_to(cx - r, cy - k, cx - k, cy - r, *cx, cy - r);
            content.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, *cy);
            content.close_path();
            content.fill_nonzero_and_stroke();
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::council::sample;

    /// The text of every page, as a PDF reader extracts it.
    fn pages_text(bytes: &[u8]) -> Vec<String> {
        let document = lopdf::Document::load_mem(bytes).unwrap();
        let count = document.get_pages().len();
        (1..=u32::try_from(count).unwrap())
            .map(|page| document.extract_text(&[page]).unwrap())
            .collect()
    }

    #[test]
    fn title_page_goal_tables_and_page_numbers_read_back() {
        let report = sample::report(3, 25);
        let bytes = render(&report, Lang::De);
        assert!(bytes.starts_with(b"%PDF-"));
        let pages = pages_text(&bytes);
        assert!(pages.len() >= 4, "{} pages", pages.len());
        let total = pages.len();
        for (i, text) in pages.iter().enumerate() {
            assert!(
                text.contains(&format!("Seite {} von {total}", i + 1)),
                "{text}"
            );
        }
        assert!(pages[0].contains("Stadt Aachen"), "{}", pages[0]);
        assert!(
            pages[0].contains("Berichtszeitraum 2026-Q3"),
            "{}",
            pages[0]
        );
        assert!(pages[0].contains("Überblick"), "{}", pages[0]);
        let all = pages.join("\n");
        for goal in &report.goals {
            assert!(
                all.contains(&format!("{} {}", goal.code, goal.title)),
                "{}",
                goal.code
            );
            for measure in &goal.measures {
                assert!(all.contains(&measure.number), "{}", measure.number);
            }
        }
        assert!(all.contains("150.000,00 €"), "{all}");
        assert!(all.contains("Maßnahme"));
        assert!(all.contains("Lieferverzug beim Dienstleister."));
    }

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

    #[test]
    fn english_report_speaks_english() {
        let bytes = render(&sample::report(1, 2), Lang::En);
        let text = pages_text(&bytes).join("\n");
        assert!(text.contains("Page 1 of"), "{text}");
        assert!(text.contains("Report to the council"), "{text}");
        assert!(text.contains("€150,000.00"), "{text}");
    }

    #[test]
    fn long_words_wrap_and_money_groups_digits() {
        let lines = wrap(
            "Digitalisierungsmaßnahmenkoordinationsstelle und mehr",
            60.0,
            9.0,
            false,
        );
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 9.0, false) <= 60.0));
        assert_eq!(
            money(Decimal::new(123_456_789, 2), Lang::De),
            "1.234.567,89 €"
        );
        assert_eq!(money(Decimal::new(-5, 1), Lang::En), "-€0.50");
        assert_eq!(encode("Größe €"), b"Gr\xF6\xDFe \x80");
    }
}
