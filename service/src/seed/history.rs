//! A plausible quarterly report history for demo work that the files give no reports for.

use chrono::{Datelike, Months, NaiveDate};
use entity::enums::{Rag, Status};

use super::format::ReportSpec;

/// The state of a piece of work, as the demo file gives it.
pub struct Work {
    pub status: Status,
    pub rag: Rag,
    pub progress: i32,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

/// One report per quarter from the start until today (or the end), rising to the current
/// progress; the last report carries the current traffic light. Drafts and planned work have
/// no history.
pub fn quarterly(work: &Work, today: NaiveDate) -> Vec<ReportSpec> {
    if matches!(work.status, Status::Draft | Status::Planned) {
        return Vec::new();
    }
    let last = match work.status {
        Status::Completed | Status::Cancelled => work.end.unwrap_or(today).min(today),
        _ => today - chrono::Days::new(20),
    };
    let first = work
        .start
        .unwrap_or(last - chrono::Days::new(365))
        .max(last - chrono::Days::new(730));
    let mut dates = Vec::new();
    let mut date = quarter_end(first);
    while date < last {
        dates.push(date);
        date = quarter_end(date + chrono::Days::new(1));
    }
    dates.push(last);
    let steps = dates.len() as i32;
    dates
        .into_iter()
        .enumerate()
        .map(|(index, reported_on)| {
            let step = index as i32 + 1;
            let is_last = step == steps;
            let progress = if is_last {
                work.progress
            } else {
                work.progress * step / steps
            };
            let rag = if is_last { work.rag } else { Rag::Green };
            ReportSpec {
                reported_on,
                progress,
                rag,
                summary: summary(reported_on, rag, progress, is_last, work.status),
                risks: (rag != Rag::Green)
                    .then(|| "Termin- und Ressourcenrisiken, siehe Maßnahmenplan.".to_owned()),
                internal_notes: None,
                dimensions: Vec::new(),
                next_steps: (!matches!(work.status, Status::Completed | Status::Cancelled)).then(
                    || {
                        "Fortsetzung gemäß Projektplan; nächster Bericht zum Quartalsende."
                            .to_owned()
                    },
                ),
                author: Some("Projektleitung".to_owned()),
            }
        })
        .collect()
}

fn quarter_end(date: NaiveDate) -> NaiveDate {
    let quarter_month = ((date.month() - 1) / 3 + 1) * 3;
    let first_of_month = NaiveDate::from_ymd_opt(date.year(), quarter_month, 1).unwrap_or(date);
    first_of_month
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(date)
}

fn summary(date: NaiveDate, rag: Rag, progress: i32, is_last: bool, status: Status) -> String {
    let quarter = (date.month() - 1) / 3 + 1;
    let state = match (is_last, status, rag) {
        (true, Status::Completed, _) => "Vorhaben abgeschlossen.",
        (true, Status::Cancelled, _) => "Vorhaben eingestellt.",
        (true, Status::OnHold, _) => "Vorhaben ruht; Wiederaufnahme wird geprüft.",
        (_, _, Rag::Green) => "Umsetzung im Plan.",
        (_, _, Rag::Amber) => "Verzögerungen, Gegenmaßnahmen eingeleitet.",
        (_, _, Rag::Red) => "Zeitplan gefährdet, Entscheidung der Steuerung erforderlich.",
    };
    format!(
        "Quartalsbericht Q{quarter}/{}: {state} Fortschritt {progress} %.",
        date.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_rises_to_the_current_state() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let work = Work {
            status: Status::InProgress,
            rag: Rag::Amber,
            progress: 60,
            start: NaiveDate::from_ymd_opt(2025, 5, 1),
            end: None,
        };
        let reports = quarterly(&work, today);
        assert!(reports.len() >= 5);
        assert!(
            reports
                .windows(2)
                .all(|w| w[0].reported_on < w[1].reported_on && w[0].progress <= w[1].progress)
        );
        let last = reports.last().unwrap();
        assert_eq!((last.progress, last.rag), (60, Rag::Amber));
        assert!(last.reported_on < today);
        assert!(
            quarterly(
                &Work {
                    status: Status::Planned,
                    ..work
                },
                today
            )
            .is_empty()
        );
    }
}
