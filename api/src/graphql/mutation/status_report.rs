//! `submitStatusReport`.

use async_graphql::{Context, Object, SimpleObject};

use crate::error::or_null;

use crate::graphql::{
    context::scope, input::parsed::Parsed, input::status_report::SubmitStatusReportInput,
    object::StatusReport,
};

#[derive(Default)]
pub struct StatusReportMutation;

/// The report submitted.
#[derive(SimpleObject)]
pub struct SubmitStatusReportPayload {
    /// The new report.
    pub status_report: StatusReport,
}

#[Object]
impl StatusReportMutation {
    /// Reports on a measure, project or sub-project (central IT, or the department owning it).
    async fn submit_status_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The report to submit.")] input: Parsed<SubmitStatusReportInput>,
    ) -> Option<SubmitStatusReportPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let report =
                service::status_report::submit(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(SubmitStatusReportPayload {
                status_report: StatusReport(report),
            })
        })
        .await
    }
}
