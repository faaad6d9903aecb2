//! `submitStatusReport`, and central IT's review: `approveStatusReport`,
//! `returnStatusReport`.

use async_graphql::{Context, Object, SimpleObject};

use crate::error::or_null;

use crate::graphql::{
    context::scope,
    input::parsed::Parsed,
    input::status_report::{
        ApproveStatusReportInput, ReturnStatusReportInput, SubmitStatusReportInput,
    },
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

/// The report reviewed.
#[derive(SimpleObject)]
pub struct ReviewStatusReportPayload {
    /// The report, with its review.
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

    /// Approves a submitted status report (central IT): it counts from now on, and sets the
    /// work's progress and traffic light unless an approved report with a later date exists.
    async fn approve_status_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The report and its version.")] input: Parsed<ApproveStatusReportInput>,
    ) -> Option<ReviewStatusReportPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let report =
                service::status_report::review::approve(&s.db, &s.viewer, input.try_into()?)
                    .await?;
            Ok(ReviewStatusReportPayload {
                status_report: StatusReport(report),
            })
        })
        .await
    }

    /// Returns a submitted status report to its department with a comment (central IT): it
    /// never counts, and the department submits a new one.
    async fn return_status_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The report, its version and why it is returned.")] input: Parsed<
            ReturnStatusReportInput,
        >,
    ) -> Option<ReviewStatusReportPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let report =
                service::status_report::review::send_back(&s.db, &s.viewer, input.try_into()?)
                    .await?;
            Ok(ReviewStatusReportPayload {
                status_report: StatusReport(report),
            })
        })
        .await
    }
}
