//! `councilReport`, `councilReports`, `publishedCouncilReport`.

use async_graphql::{Context, ID, Object};

use crate::error::or_null;

use crate::{
    graphql::{context::scope, scalar::Date},
    graphql::{id as global_id, object::council_report::CouncilReport},
};

use service::report::{council, period::Period};

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// The live council report of a period, built from what the council may see: per goal,
    /// progress at the start and end of the period, measures completed, milestones achieved
    /// and missed, budget, and the traffic lights that changed with their summaries. Central
    /// IT reads it always, the council when central IT has released it
    /// (`setCouncilLiveReport`); others get FORBIDDEN.
    async fn council_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period: `2026-Q3`, `2026-H1`, `2026-07` or `2026`.")] period: Option<
            String,
        >,
        #[graphql(desc = "First day, instead of `period` (with `to`).")] from: Option<Date>,
        #[graphql(desc = "Last day, instead of `period` (with `from`).")] to: Option<Date>,
        #[graphql(
            desc = "Show the state of this day within the period (\"how did it stand on 30 June?\"); default: the end of the period, or today while it runs."
        )]
        as_of: Option<Date>,
    ) -> Option<CouncilReport> {
        or_null(ctx, async {
            let s = scope(ctx)?;
            let period =
                Period::from_arguments(period.as_deref(), from.map(|d| d.0), to.map(|d| d.0))?;
            let report = council::live(&s.db, &s.viewer, &period, as_of.map(|d| d.0)).await?;
            Ok(CouncilReport(report))
        })
        .await
    }

    /// Council reports central IT published, newest period first; they never change after
    /// publication (central IT and the council).
    async fn council_reports(&self, ctx: &Context<'_>) -> Option<Vec<CouncilReport>> {
        or_null(ctx, async {
            let s = scope(ctx)?;
            let reports = council::published(&s.db, &s.viewer).await?;
            Ok(reports.into_iter().map(CouncilReport).collect())
        })
        .await
    }

    /// One published council report.
    async fn published_council_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its id.")] id: ID,
    ) -> Option<CouncilReport> {
        or_null(ctx, async {
            let s = scope(ctx)?;
            let id = global_id::decode(&id, "CouncilReport", "id")?;
            Ok(CouncilReport(
                council::published_one(&s.db, &s.viewer, id).await?,
            ))
        })
        .await
    }
}
