//! A small chart per goal indicator: its target path against its measured values, drawn with
//! lines (the path in blue, the values in orange with a dot each), the value range at the left
//! and the first and last date below.

use chrono::NaiveDate;
use rust_decimal::{Decimal, prelude::ToPrimitive};

use super::{
    figures::date,
    layout::{BLACK, GREY, Layout, MARGIN, Op, RULE, Rgb},
};
use crate::{
    export::labels::Lang,
    report::model::{CouncilReportIndicator, IndicatorChartPoint},
};

/// Colour of the target path.
pub(super) const TARGET: Rgb = (0.2, 0.4, 0.75);
/// Colour of the measured values.
pub(super) const ACTUAL: Rgb = (0.85, 0.45, 0.1);

const WIDTH: f32 = 300.0;
const HEIGHT: f32 = 70.0;
/// Room at the left of the plot for the value labels.
const LABELS: f32 = 48.0;

/// The indicator's name, status and chart; moves down past it.
pub(super) fn indicator_chart(layout: &mut Layout, indicator: &CouncilReportIndicator, lang: Lang) {
    layout.ensure(HEIGHT + 52.0);
    let status = indicator.status.as_deref().map(|s| status_label(s, lang));
    let heading = match status {
        Some(status) => format!("{} ({}) – {status}", indicator.name, indicator.unit),
        None => format!("{} ({})", indicator.name, indicator.unit),
    };
    layout.paragraph(&heading, 9.5, true, BLACK);
    let Some(frame) = Frame::of(&indicator.series) else {
        layout.paragraph(
            lang.pick(
                "Keine Zielwerte oder Messwerte.",
                "No targets or measured values.",
            ),
            8.5,
            false,
            GREY,
        );
        return;
    };
    layout.gap(6.0);
    let top = layout.y;
    let left = MARGIN + LABELS;
    let bottom = top - HEIGHT;
    let ops = layout.page();
    for (x1, y1, x2, y2) in [
        (left, bottom, left + WIDTH, bottom),
        (left, bottom, left, top),
        (left, top, left + WIDTH, top),
        (left + WIDTH, bottom, left + WIDTH, top),
    ] {
        ops.push(line(x1, y1, x2, y2, RULE));
    }
    let at = |day: NaiveDate, value: Decimal| {
        (
            left + frame.x(day) * WIDTH,
            bottom + frame.y(value) * HEIGHT,
        )
    };
    let targets: Vec<_> = indicator
        .series
        .iter()
        .filter_map(|p| p.target.map(|v| at(p.date, v)))
        .collect();
    let actuals: Vec<_> = indicator
        .series
        .iter()
        .filter_map(|p| p.actual.map(|v| at(p.date, v)))
        .collect();
    polyline(ops, &targets, TARGET);
    polyline(ops, &actuals, ACTUAL);
    for &(cx, cy) in &actuals {
        ops.push(Op::Circle {
            cx,
            cy,
            r: 1.8,
            fill: ACTUAL,
        });
    }
    let label = |v: Decimal| v.normalize().to_string();
    layout.text(MARGIN, top - 7.0, 7.0, false, GREY, label(frame.high));
    layout.text(MARGIN, bottom, 7.0, false, GREY, label(frame.low));
    layout.text(
        left,
        bottom - 10.0,
        7.0,
        false,
        GREY,
        date(frame.first, lang),
    );
    layout.text(
        left + WIDTH - 44.0,
        bottom - 10.0,
        7.0,
        false,
        GREY,
        date(frame.last, lang),
    );
    legend(layout, left + WIDTH + 12.0, top - 8.0, lang);
    layout.gap(HEIGHT + 18.0);
}

/// What the two lines are.
fn legend(layout: &mut Layout, x: f32, y: f32, lang: Lang) {
    for (n, (colour, text)) in [
        (TARGET, lang.pick("Zielpfad", "Target path")),
        (ACTUAL, lang.pick("Istwerte", "Measured")),
    ]
    .into_iter()
    .enumerate()
    {
        let y = y - 12.0 * n as f32;
        layout
            .page()
            .push(line(x, y + 3.0, x + 14.0, y + 3.0, colour));
        layout.text(x + 18.0, y, 7.5, false, GREY, text);
    }
}

fn line(x1: f32, y1: f32, x2: f32, y2: f32, colour: Rgb) -> Op {
    Op::Line {
        x1,
        y1,
        x2,
        y2,
        colour,
    }
}

fn polyline(ops: &mut Vec<Op>, points: &[(f32, f32)], colour: Rgb) {
    for pair in points.windows(2) {
        ops.push(line(pair[0].0, pair[0].1, pair[1].0, pair[1].1, colour));
    }
}

/// How the status reads in the report.
fn status_label(status: &str, lang: Lang) -> &'static str {
    match status {
        "ON_TRACK" => lang.pick("im Plan", "on track"),
        "BEHIND" => lang.pick("hinter dem Zielpfad", "behind the target path"),
        "REACHED" => lang.pick("Ziel erreicht", "target reached"),
        _ => "",
    }
}

/// The dates and values a chart spans.
struct Frame {
    first: NaiveDate,
    last: NaiveDate,
    low: Decimal,
    high: Decimal,
}

impl Frame {
    /// None when the series has no value at all.
    fn of(series: &[IndicatorChartPoint]) -> Option<Self> {
        let values: Vec<Decimal> = series
            .iter()
            .flat_map(|p| [p.target, p.actual])
            .flatten()
            .collect();
        Some(Self {
            first: series.first()?.date,
            last: series.last()?.date,
            low: *values.iter().min()?,
            high: *values.iter().max()?,
        })
    }

    /// Where `day` lies between the first and the last date, from 0 to 1.
    fn x(&self, day: NaiveDate) -> f32 {
        let span = (self.last - self.first).num_days().max(1) as f32;
        (day - self.first).num_days() as f32 / span
    }

    /// Where `value` lies between the lowest and the highest value, from 0 to 1 (the middle
    /// when they are one).
    fn y(&self, value: Decimal) -> f32 {
        let span = (self.high - self.low).to_f32().unwrap_or(0.0);
        if span <= 0.0 {
            return 0.5;
        }
        (value - self.low).to_f32().unwrap_or(0.0) / span
    }
}
