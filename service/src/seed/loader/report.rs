//! Status reports: those of the file, or a generated quarterly history.

use chrono::{DateTime, NaiveDate, Utc};
use entity::status_report;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use super::{Loader, SEED_AUTHOR};
use crate::seed::{
    format::ReportSpec,
    history::{self, Work},
    subject::Subject,
};
use crate::status_report::dimension::{self, DimensionLight};

impl<C: ConnectionTrait> Loader<'_, C> {
    /// The reports of the file, or a generated quarterly history for running work without any.
    pub(super) async fn reports(
        &self,
        subject: Subject,
        specs: &[ReportSpec],
        work: &Work,
    ) -> anyhow::Result<()> {
        let generated;
        let reports = if specs.is_empty() {
            generated = history::quarterly(work, self.now.date_naive());
            &generated
        } else {
            specs
        };
        let (measure_id, project_id, sub_project_id) = subject.columns();
        for r in reports {
            let mut row = status_report::ActiveModel {
                tenant_id: Set(self.tenant),
                measure_id: Set(measure_id),
                project_id: Set(project_id),
                sub_project_id: Set(sub_project_id),
                reported_on: Set(r.reported_on),
                progress: Set(r.progress.clamp(0, 100)),
                rag: Set(r.rag),
                summary: Set(r.summary.clone()),
                risks: Set(r.risks.clone()),
                internal_notes: Set(r.internal_notes.clone()),
                next_steps: Set(r.next_steps.clone()),
                author_sub: Set(SEED_AUTHOR.into()),
                author_name: Set(r.author.clone()),
                created_at: Set(report_time(r.reported_on, self.now)),
                ..Default::default()
            };
            let lights = r.dimensions.iter().map(|d| DimensionLight {
                dimension: d.dimension,
                rag: d.rag,
                comment: d.comment.clone(),
            });
            dimension::set(&mut row, lights.collect())?;
            row.insert(self.db).await?;
        }
        Ok(())
    }
}

/// Demo reports are stamped at noon of their reporting date (never in the future).
fn report_time(date: NaiveDate, now: DateTime<Utc>) -> DateTime<Utc> {
    date.and_hms_opt(12, 0, 0)
        .map(|t| t.and_utc())
        .filter(|t| *t < now)
        .unwrap_or(now)
}
