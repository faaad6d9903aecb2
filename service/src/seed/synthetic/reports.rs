//! A status report every two months or so for running and finished work, over the last two
//! years at most.

use chrono::{Days, NaiveDate};
use entity::{
    enums::{ReviewState, Status},
    status_report,
};
use rand::Rng;

use super::{drawing::Drawing, random::rag};
use crate::seed::subject::Subject;

impl Drawing<'_> {
    /// The reports on `subject` since `start`; none for drafts and planned work.
    pub(super) fn reports(&mut self, subject: Subject, status: Status, start: NaiveDate) {
        if matches!(status, Status::Draft | Status::Planned) {
            return;
        }
        let today = self.today;
        let (measure_id, project_id, sub_project_id) = subject.columns();
        let mut on = start.max(today - Days::new(730));
        let mut value = 0;
        while on < today {
            value = (value + self.rng.random_range(0..15)).min(100);
            self.rows.reports.push(status_report::Model {
                id: self.ids.take("status_report"),
                tenant_id: self.tenant_id,
                measure_id,
                project_id,
                sub_project_id,
                reported_on: on,
                progress: value,
                rag: rag(self.rng),
                summary: format!("Quartalsbericht {on}: Arbeiten planmäßig fortgeführt."),
                risks: None,
                internal_notes: None,
                next_steps: None,
                author_sub: "synthetic".into(),
                author_name: None,
                created_at: self.now,
                review_state: ReviewState::Approved,
                review_comment: None,
                reviewed_by: None,
                reviewed_at: None,
                version: 1,
                schedule_rag: None,
                schedule_comment: None,
                budget_rag: None,
                budget_comment: None,
                scope_rag: None,
                scope_comment: None,
                resources_rag: None,
                resources_comment: None,
                // Flagged once the tenant is written (`draw_and_insert`).
                latest: false,
            });
            on = on + Days::new(self.rng.random_range(55..75));
        }
    }
}
