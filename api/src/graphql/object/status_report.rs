//! Status reports.

use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::Result;
use chrono::{DateTime, Utc};
use entity::status_report;

use super::{WorkItem, work_item};
use crate::graphql::{
    context::scope,
    enums::{Rag, ReviewState, StatusDimension},
    id,
    scalar::Date,
};
use service::{policy, status_report::dimension};

#[derive(Clone)]
pub struct StatusReport(pub status_report::Model);

impl StatusReport {
    async fn load_subject(&self, ctx: &Context<'_>) -> Result<Option<WorkItem>> {
        let r = &self.0;
        let (kind, id) = match (r.measure_id, r.project_id, r.sub_project_id) {
            (Some(id), _, _) => ("Measure", id),
            (_, Some(id), _) => ("Project", id),
            (_, _, Some(id)) => ("SubProject", id),
            _ => return Ok(None),
        };
        work_item::load(scope(ctx)?, kind, id).await
    }

    /// Risks and internal notes only for viewers who may see them on the subject.
    async fn restricted<'a>(
        &'a self,
        ctx: &Context<'_>,
        text: &'a Option<String>,
    ) -> Result<Option<&'a str>> {
        let Some(text) = text.as_deref() else {
            return Ok(None);
        };
        let viewer = &scope(ctx)?.viewer;
        let subject = self.load_subject(ctx).await?;
        Ok(subject
            .filter(|subject| policy::can_see_internal_notes(viewer, subject.held()))
            .map(|_| text))
    }
}

/// A report on a measure, project or sub-project. The newest approved report sets the
/// subject's progress and traffic light; the history is its progress curve. Where the tenant
/// reviews reports (`TenantSettings.reportReview`), a department's report counts once central
/// IT approved it.
#[Object]
impl StatusReport {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("StatusReport", self.0.id)
    }
    /// The reporting date.
    async fn reported_on(&self) -> Date {
        self.0.reported_on.into()
    }
    /// Progress in percent (0-100) at the reporting date.
    async fn progress(&self) -> i32 {
        self.0.progress
    }
    /// Traffic light at the reporting date.
    async fn rag(&self) -> Rag {
        self.0.rag.into()
    }
    /// What happened.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// Risks; null unless the viewer may see the subject's internals.
    async fn risks(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        self.restricted(ctx, &self.0.risks).await
    }
    /// Internal notes; null unless the viewer may see the subject's internals.
    async fn internal_notes(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        self.restricted(ctx, &self.0.internal_notes).await
    }
    /// Next steps.
    async fn next_steps(&self) -> Option<&str> {
        self.0.next_steps.as_deref()
    }
    /// Name of the person who reported.
    async fn author_name(&self) -> Option<&str> {
        self.0.author_name.as_deref()
    }
    /// When the report was submitted.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The measure, project or sub-project reported on.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<WorkItem>> {
        self.load_subject(ctx).await
    }
    /// Where the report stands in central IT's review: only APPROVED reports count.
    async fn review_state(&self) -> ReviewState {
        self.0.review_state.into()
    }
    /// Central IT's comment: why it returned the report, or a note on its approval; null
    /// unless the viewer may see the subject's internals.
    async fn review_comment(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        self.restricted(ctx, &self.0.review_comment).await
    }
    /// Who reviewed the report; null unless the viewer may see the subject's internals.
    async fn reviewed_by(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        self.restricted(ctx, &self.0.reviewed_by).await
    }
    /// When central IT approved or returned the report.
    async fn reviewed_at(&self) -> Option<DateTime<Utc>> {
        self.0.reviewed_at
    }
    /// Moves on with each review: `approveStatusReport` and `returnStatusReport` compare it.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The lights of schedule, budget, scope and resources, in that order, each with its
    /// comment: those the report gives (none for reports written before dimensions
    /// existed). Whoever sees the report sees them, as its summary.
    async fn dimensions(&self) -> Vec<StatusReportDimension> {
        dimension::of(&self.0)
            .into_iter()
            .map(|light| StatusReportDimension {
                dimension: light.dimension.into(),
                rag: light.rag.into(),
                comment: light.comment,
            })
            .collect()
    }
}

/// The traffic light of one dimension of a status report.
#[derive(SimpleObject)]
pub struct StatusReportDimension {
    /// The dimension.
    pub dimension: StatusDimension,
    /// Its traffic light at the reporting date.
    pub rag: Rag,
    /// What the reporter says about it.
    pub comment: Option<String>,
}
