//! The council report as tables: an overview per goal with the totals, the measures, and the
//! traffic lights that changed. XLSX gets one sheet per section, CSV the sections in a row.

use super::{
    labels::{Labelled, Lang},
    table::{Cell, Column, Sheet},
};
use crate::report::{
    model::{CouncilReport, ReportBudget},
    period::Period,
};

/// Which council report an export renders.
#[derive(Debug, Clone, PartialEq)]
pub enum CouncilReportQuery {
    /// The live report of a period, computed now for the caller.
    Live(Period),
    /// A published report, by its id (`?report=ID` carries the global id).
    Published(i32),
}

/// Title of the report: the tenant's own (settings), else the standard one.
pub fn title(report: &CouncilReport, lang: Lang) -> &str {
    report.title.as_deref().unwrap_or_else(|| {
        lang.pick(
            "Bericht an den Rat: Stand der Digitalisierung",
            "Report to the council: state of digitalisation",
        )
    })
}

fn overview_columns() -> Vec<Column> {
    vec![
        Column::new("Ziel", "Goal", 10.0),
        Column::new("Titel", "Title", 40.0),
        Column::new("Strategie", "Strategy", 24.0),
        Column::new("Fortschritt Beginn", "Progress start", 12.0),
        Column::new("Fortschritt Ende", "Progress end", 12.0),
        Column::new("Maßnahmen", "Measures", 11.0),
        Column::new("Maßnahmen abgeschlossen", "Measures completed", 13.0),
        Column::new("Meilensteine erreicht", "Milestones achieved", 13.0),
        Column::new("Meilensteine verfehlt", "Milestones missed", 13.0),
        Column::new("Budget geplant", "Budget planned", 16.0),
        Column::new("Budget genehmigt", "Budget approved", 16.0),
        Column::new("Budget ausgegeben", "Budget spent", 16.0),
    ]
}

fn budget_cells(budget: &ReportBudget) -> [Cell; 3] {
    [
        Cell::Money(budget.planned),
        Cell::Money(budget.approved),
        Cell::Money(budget.spent),
    ]
}

/// The sections of the report as tables.
pub fn sheets(report: &CouncilReport, lang: Lang) -> Vec<Sheet> {
    let mut overview: Vec<Vec<Cell>> = report
        .goals
        .iter()
        .map(|goal| {
            let mut row = vec![
                Cell::Text(goal.code.clone()),
                Cell::Text(goal.title.clone()),
                Cell::Text(goal.strategy.clone()),
                Cell::percent(goal.progress_start),
                Cell::percent(goal.progress_end),
                Cell::Int(goal.measures_total.into()),
                Cell::Int(goal.measures_completed.into()),
                Cell::Int(goal.milestones_achieved.into()),
                Cell::Int(goal.milestones_missed.into()),
            ];
            row.extend(budget_cells(&goal.budget));
            row
        })
        .collect();
    let totals = &report.totals;
    let mut total = vec![
        Cell::Text(lang.pick("Gesamt", "Total").into()),
        Cell::Text(format!("{} {}", totals.goals, lang.pick("Ziele", "goals"))),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Int(totals.measures.into()),
        Cell::Int(totals.measures_completed.into()),
        Cell::Int(totals.milestones_achieved.into()),
        Cell::Int(totals.milestones_missed.into()),
    ];
    total.extend(budget_cells(&totals.budget));
    overview.push(total);

    let measures = report
        .goals
        .iter()
        .flat_map(|goal| {
            goal.measures.iter().map(move |m| {
                vec![
                    Cell::Text(goal.code.clone()),
                    Cell::Text(m.number.clone()),
                    Cell::Text(m.title.clone()),
                    Cell::Text(m.status.label(lang).into()),
                    Cell::percent(m.progress_start),
                    Cell::percent(m.progress_end),
                    Cell::text(m.rag_start.map(|r| r.label(lang))),
                    Cell::text(m.rag_end.map(|r| r.label(lang))),
                    Cell::date(m.completed_on),
                    Cell::date(m.reported_on),
                    Cell::text(m.summary.clone()),
                ]
            })
        })
        .collect();
    let changes = report
        .goals
        .iter()
        .flat_map(|goal| {
            goal.rag_changes.iter().map(move |c| {
                vec![
                    Cell::Text(goal.code.clone()),
                    Cell::Text(kind_label(&c.kind, lang).into()),
                    Cell::text(c.code.clone()),
                    Cell::Text(c.title.clone()),
                    Cell::text(c.from_rag.map(|r| r.label(lang))),
                    Cell::Text(c.to_rag.label(lang).into()),
                    Cell::Date(c.reported_on),
                    Cell::Text(c.summary.clone()),
                ]
            })
        })
        .collect();
    vec![
        Sheet {
            name: lang.pick("Übersicht", "Overview"),
            columns: overview_columns(),
            rows: overview,
        },
        Sheet {
            name: lang.pick("Maßnahmen", "Measures"),
            columns: vec![
                Column::new("Ziel", "Goal", 10.0),
                Column::new("Nr.", "No.", 10.0),
                Column::new("Maßnahme", "Measure", 40.0),
                Column::new("Status", "Status", 15.0),
                Column::new("Fortschritt Beginn", "Progress start", 12.0),
                Column::new("Fortschritt Ende", "Progress end", 12.0),
                Column::new("Ampel Beginn", "Traffic light start", 10.0),
                Column::new("Ampel Ende", "Traffic light end", 10.0),
                Column::new("Abgeschlossen am", "Completed on", 12.0),
                Column::new("Berichtet am", "Reported on", 12.0),
                Column::new("Zusammenfassung", "Summary", 60.0),
            ],
            rows: measures,
        },
        Sheet {
            name: lang.pick("Ampelwechsel", "Traffic light changes"),
            columns: vec![
                Column::new("Ziel", "Goal", 10.0),
                Column::new("Art", "Kind", 12.0),
                Column::new("Nr.", "No.", 10.0),
                Column::new("Titel", "Title", 40.0),
                Column::new("Ampel vorher", "Traffic light before", 10.0),
                Column::new("Ampel nachher", "Traffic light after", 10.0),
                Column::new("Berichtet am", "Reported on", 12.0),
                Column::new("Zusammenfassung", "Summary", 60.0),
            ],
            rows: changes,
        },
    ]
}

/// `Measure`, `Project`, `SubProject` in words.
pub fn kind_label(kind: &str, lang: Lang) -> &str {
    match kind {
        "Measure" => lang.pick("Maßnahme", "Measure"),
        "Project" => lang.pick("Projekt", "Project"),
        "SubProject" => lang.pick("Teilprojekt", "Sub-project"),
        other => other,
    }
}

/// The period part of a file name: `2026-Q3`, or `2026-07-01_2026-09-30` for a range.
pub fn file_period(report: &CouncilReport) -> String {
    report.period.replace("..", "_")
}

#[cfg(test)]
pub(crate) mod sample {
    //! A hand-made report for the renderers' tests.

    use chrono::{NaiveDate, TimeZone, Utc};
    use rust_decimal::Decimal;

    use entity::enums::{Rag, Status};

    use crate::report::model::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn goal(code: &str, title: &str, measures: usize) -> CouncilReportGoal {
        CouncilReportGoal {
            goal_id: None,
            code: code.into(),
            title: title.into(),
            strategy: "Digitalstrategie 2024".into(),
            progress_start: Some(30),
            progress_end: Some(45),
            measures_total: i32::try_from(measures).unwrap(),
            measures_completed: 1,
            milestones_achieved: 2,
            milestones_missed: 1,
            budget: ReportBudget {
                planned: Decimal::new(15_000_000, 2),
                approved: Decimal::new(12_000_000, 2),
                spent: Decimal::new(8_050_050, 2),
            },
            measures: (0..measures)
                .map(|i| CouncilReportMeasure {
                    measure_id: None,
                    number: format!("{code}/{i:02}"),
                    title: format!(
                        "Einführung der E-Akte in Fachbereich {i} mit Übergabe an die Bürgerdienste"
                    ),
                    status: if i == 0 {
                        Status::Completed
                    } else {
                        Status::InProgress
                    },
                    progress_start: Some(20),
                    progress_end: Some(if i == 0 { 100 } else { 55 }),
                    rag_start: Some(Rag::Green),
                    rag_end: Some(match i % 3 {
                        0 => Rag::Green,
                        1 => Rag::Amber,
                        _ => Rag::Red,
                    }),
                    completed_on: (i == 0).then(|| day(8, 14)),
                    summary: Some("Pilot in zwei Ämtern läuft; Schulungen geplant.".into()),
                    reported_on: Some(day(9, 20)),
                })
                .collect(),
            indicators: Vec::new(),
            rag_changes: vec![RagChange {
                subject_id: None,
                kind: "Measure".into(),
                code: Some(format!("{code}/01")),
                title: "Schnittstelle zum DMS".into(),
                from_rag: Some(Rag::Green),
                to_rag: Rag::Amber,
                reported_on: day(9, 1),
                summary: "Lieferverzug beim Dienstleister.".into(),
            }],
        }
    }

    /// A report of `goals` goals with `measures` measures each.
    pub fn report(goals: usize, measures: usize) -> CouncilReport {
        let goals: Vec<_> = (1..=goals)
            .map(|i| {
                goal(
                    &format!("Z{i}"),
                    &format!("Ziel {i}: Verwaltung digital für Bürgerinnen und Bürger"),
                    measures,
                )
            })
            .collect();
        let n = i32::try_from(goals.len()).unwrap();
        CouncilReport {
            id: None,
            published_at: None,
            published_by: None,
            tenant_key: "aachen".into(),
            tenant_name: "Stadt Aachen".into(),
            title: None,
            issuer: None,
            period: "2026-Q3".into(),
            from: day(7, 1),
            to: day(9, 30),
            as_of: day(9, 30),
            generated_at: Utc.with_ymd_and_hms(2026, 10, 2, 8, 30, 0).unwrap(),
            totals: CouncilReportTotals {
                goals: n,
                measures: n * i32::try_from(measures).unwrap(),
                measures_completed: n,
                milestones_achieved: 2 * n,
                milestones_missed: n,
                budget: ReportBudget {
                    planned: Decimal::new(15_000_000, 2) * Decimal::from(n),
                    approved: Decimal::new(12_000_000, 2) * Decimal::from(n),
                    spent: Decimal::new(8_050_050, 2) * Decimal::from(n),
                },
            },
            goals,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{csv, xlsx};

    #[test]
    fn csv_sections_carry_the_figures_of_the_report() {
        let report = sample::report(2, 3);
        let bytes = csv::render(&sheets(&report, Lang::De), Lang::De).unwrap();
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(csv::SEPARATOR)
            .has_headers(false)
            .flexible(true)
            .from_reader(&bytes[csv::BOM.len()..]);
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows[0], ["Übersicht"]);
        assert_eq!(rows[1][0], "Ziel");
        assert_eq!(rows[2][0], "Z1");
        assert_eq!(rows[2][4], "45");
        assert_eq!(rows[2][9], "150000,00");
        assert_eq!(rows[4][0], "Gesamt");
        assert_eq!(rows[4][5], "6");
        assert!(
            rows.iter()
                .any(|r| r.first().map(String::as_str) == Some("Ampelwechsel"))
        );
        assert!(
            rows.iter()
                .any(|r| r.get(7).map(String::as_str) == Some("gelb"))
        );
    }

    #[test]
    fn xlsx_has_a_sheet_per_section_with_numbers() {
        use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
        let report = sample::report(2, 3);
        let bytes = xlsx::render(&sheets(&report, Lang::En), Lang::En).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(
            book.sheet_names(),
            ["Overview", "Measures", "Traffic light changes"]
        );
        let overview = book.worksheet_range("Overview").unwrap();
        assert_eq!(overview.get((1, 4)), Some(&Data::Float(0.45)));
        assert_eq!(overview.get((3, 0)), Some(&Data::String("Total".into())));
        assert_eq!(overview.get((3, 11)), Some(&Data::Float(161_001.0)));
        let measures = book.worksheet_range("Measures").unwrap();
        assert_eq!(measures.height(), 7);
    }
}
