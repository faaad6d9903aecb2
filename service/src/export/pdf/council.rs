//! The council report's pages: the title page with the overview of all goals, then a section
//! per goal with its measures and the traffic lights that changed in the period.

use std::fmt::Display;

use super::{
    figures::{date, money, progress},
    layout::{BLACK, CONTENT_WIDTH, GREY, Layout},
    table::{TableColumn, Value, table},
};
use crate::{
    export::{
        council::{self, kind_label},
        labels::{Labelled, Lang},
    },
    report::model::{CouncilReport, CouncilReportGoal, ReportBudget},
};

/// Tenant, title, period and when the report was made, then the overview of all goals.
pub(super) fn title_page(layout: &mut Layout, report: &CouncilReport, lang: Lang) {
    layout.gap(60.0);
    layout.paragraph(&report.tenant_name, 14.0, false, GREY);
    if let Some(issuer) = &report.issuer {
        layout.paragraph(issuer, 11.0, false, GREY);
    }
    layout.gap(8.0);
    layout.paragraph(council::title(report, lang), 22.0, true, BLACK);
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
    layout.paragraph(&made(report, lang), 10.0, false, GREY);
    layout.gap(24.0);
    layout.paragraph(lang.pick("Überblick", "Overview"), 14.0, true, BLACK);
    layout.gap(6.0);
    overview(layout, report, lang);
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

/// When the report was generated and, if so, published.
fn made(report: &CouncilReport, lang: Lang) -> String {
    let generated = report.generated_at.format("%Y-%m-%d %H:%M UTC");
    let mut made = format!("{} {generated}", lang.pick("Erstellt:", "Generated:"));
    if let Some(published) = report.published_at {
        made.push_str(&format!(
            " · {} {}",
            lang.pick("veröffentlicht:", "published:"),
            published.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    made
}

/// A row per goal and the totals.
fn overview(layout: &mut Layout, report: &CouncilReport, lang: Lang) {
    let totals = &report.totals;
    let mut rows: Vec<Vec<Value>> = report
        .goals
        .iter()
        .map(|goal| {
            vec![
                Value::Text(goal.code.clone()),
                Value::Text(goal.title.clone()),
                Value::Figure(progress(goal.progress_start, goal.progress_end)),
                pair(goal.measures_completed, goal.measures_total),
                pair(goal.milestones_achieved, goal.milestones_missed),
                Value::Figure(money(goal.budget.approved, lang)),
            ]
        })
        .collect();
    rows.push(vec![
        Value::Text(lang.pick("Gesamt", "Total").into()),
        Value::Text(format!("{} {}", totals.goals, lang.pick("Ziele", "goals"))),
        Value::Figure(String::new()),
        pair(totals.measures_completed, totals.measures),
        pair(totals.milestones_achieved, totals.milestones_missed),
        Value::Figure(money(totals.budget.approved, lang)),
    ]);
    table(
        layout,
        &[
            TableColumn::new(lang.pick("Ziel", "Goal"), 55.0),
            TableColumn::new(lang.pick("Titel", "Title"), 170.0),
            TableColumn::new(lang.pick("Fortschritt", "Progress"), 70.0),
            TableColumn::new(
                lang.pick("Maßnahmen abgeschl. / gesamt", "Measures completed / total"),
                65.0,
            ),
            TableColumn::new(
                lang.pick(
                    "Meilensteine erreicht / verfehlt",
                    "Milestones achieved / missed",
                ),
                60.0,
            ),
            TableColumn::new(
                lang.pick("Budget genehmigt", "Budget approved"),
                CONTENT_WIDTH - 420.0,
            ),
        ],
        &rows,
    );
}

/// Two counts side by side: `3 / 7`.
fn pair(left: impl Display, right: impl Display) -> Value {
    Value::Figure(format!("{left} / {right}"))
}

/// A goal: its heading and figures, its measures, and the traffic lights that changed.
pub(super) fn goal_section(layout: &mut Layout, goal: &CouncilReportGoal, lang: Lang) {
    // A goal starts on a new page unless its heading and a few rows fit.
    layout.ensure(160.0);
    goal_heading(layout, goal, lang);
    if goal.measures.is_empty() {
        layout.paragraph(
            lang.pick("Keine Maßnahmen im Bericht.", "No measures in the report."),
            9.0,
            false,
            GREY,
        );
    } else {
        measures(layout, goal, lang);
    }
    if !goal.rag_changes.is_empty() {
        rag_changes(layout, goal, lang);
    }
    if !goal.indicators.is_empty() {
        layout.gap(10.0);
        layout.paragraph(lang.pick("Indikatoren", "Indicators"), 11.0, true, BLACK);
        layout.gap(4.0);
        for indicator in &goal.indicators {
            super::chart::indicator_chart(layout, indicator, lang);
        }
    }
    layout.gap(18.0);
}

fn goal_heading(layout: &mut Layout, goal: &CouncilReportGoal, lang: Lang) {
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

fn measures(layout: &mut Layout, goal: &CouncilReportGoal, lang: Lang) {
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
            TableColumn::new(lang.pick("Nr.", "No."), 55.0),
            TableColumn::new(lang.pick("Maßnahme", "Measure"), 185.0),
            TableColumn::new("Status", 72.0),
            TableColumn::new(lang.pick("Fortschritt", "Progress"), 70.0),
            TableColumn::new(lang.pick("Ampel", "Traffic light"), 52.0),
            TableColumn::new(lang.pick("Erledigt", "Completed"), CONTENT_WIDTH - 434.0),
        ],
        &rows,
    );
}

fn rag_changes(layout: &mut Layout, goal: &CouncilReportGoal, lang: Lang) {
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
            TableColumn::new(lang.pick("Art / Nr.", "Kind / no."), 80.0),
            TableColumn::new(lang.pick("Titel", "Title"), 135.0),
            TableColumn::new(lang.pick("Ampel", "Traffic light"), 52.0),
            TableColumn::new(lang.pick("Berichtet", "Reported"), 58.0),
            TableColumn::new(
                lang.pick("Zusammenfassung", "Summary"),
                CONTENT_WIDTH - 325.0,
            ),
        ],
        &rows,
    );
}
