//! `publishCouncilReport`, `setCouncilLiveReport`.

use async_graphql::{Context, InputObject, Object, SimpleObject};

use crate::error::or_null;

use crate::{
    graphql::input::parsed::Parsed,
    graphql::object::council_report::CouncilReport,
    graphql::{context::scope, object::Tenant, scalar::Date},
};

use service::report::{council, period::Period};

#[derive(Default)]
pub struct ReportMutation;

/// Which council report to publish: a named period, or `from` and `to`.
#[derive(InputObject)]
pub struct PublishCouncilReportInput {
    /// The period: `2026-Q3`, `2026-H1`, `2026-07` or `2026`.
    pub period: Option<String>,
    /// First day, instead of `period`.
    pub from: Option<Date>,
    /// Last day, instead of `period`.
    pub to: Option<Date>,
}

/// The report as published.
#[derive(SimpleObject)]
pub struct PublishCouncilReportPayload {
    /// The report as stored; it never changes afterwards.
    pub report: CouncilReport,
}

/// Whether the council may read the live report.
#[derive(InputObject)]
pub struct SetCouncilLiveReportInput {
    /// `true` lets the council read `councilReport`; `false` limits it to published ones.
    pub allowed: bool,
    /// The tenant's `version` as read.
    pub version: i32,
}

/// The tenant with its setting.
#[derive(SimpleObject)]
pub struct SetCouncilLiveReportPayload {
    /// The tenant after the change, with `councilLiveReport` as set.
    pub tenant: Tenant,
}

#[Object]
impl ReportMutation {
    /// Publishes the council report of a period as it stands now (central IT). It is stored
    /// as it is and never changes afterwards, whatever is edited later; a period is
    /// published once (CONFLICT on a second attempt).
    async fn publish_council_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period to publish.")] input: Parsed<PublishCouncilReportInput>,
    ) -> Option<PublishCouncilReportPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let period = Period::from_arguments(
                input.period.as_deref(),
                input.from.map(|d| d.0),
                input.to.map(|d| d.0),
            )?;
            Ok(PublishCouncilReportPayload {
                report: CouncilReport(council::publish(&s.db, &s.viewer, &period).await?),
            })
        })
        .await
    }

    /// Lets the council read the live council report of the tenant, or not (central IT).
    async fn set_council_live_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The setting and the tenant's version it was read at.")] input: Parsed<
            SetCouncilLiveReportInput,
        >,
    ) -> Option<SetCouncilLiveReportPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let tenant =
                council::allow_live(&s.db, &s.viewer, input.allowed, input.version).await?;
            Ok(SetCouncilLiveReportPayload {
                tenant: Tenant(tenant),
            })
        })
        .await
    }
}
