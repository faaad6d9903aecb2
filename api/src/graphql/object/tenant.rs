//! The tenant and the viewer's own identity.

use async_graphql::{Context, Object};

use crate::error::Result;
use entity::tenant;

use super::{OrgUnit, required};
use crate::graphql::{
    context::scope,
    enums::{ExportLanguage, Role, RollupWeighting, TenantKind},
};
use service::tenant::Settings;

#[derive(Clone)]
pub struct Tenant(pub tenant::Model);

/// A municipality or programme; every row belongs to exactly one tenant.
#[Object]
impl Tenant {
    /// Global id.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::id::encode("Tenant", self.0.id)
    }
    /// Increases with every change of the tenant's settings.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Short key used in tokens, e.g. `aachen`.
    async fn key(&self) -> &str {
        &self.0.key
    }
    /// Full name, e.g. "Stadt Aachen".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What kind of body the tenant is.
    async fn kind(&self) -> TenantKind {
        self.0.kind.into()
    }
    /// A few words about the tenant's programme.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Whether the council may read the live council report, not only published ones.
    async fn council_live_report(&self) -> bool {
        self.0.council_live_report
    }
    /// The tenant's settings (central IT changes them with `updateTenantSettings`).
    async fn settings(&self) -> TenantSettings {
        TenantSettings(Settings::of(&self.0))
    }
}

pub struct TenantSettings(Settings);

/// A tenant's settings; where set, they replace the installation's defaults.
#[Object]
impl TenantSettings {
    /// Days without a status report after which running work needs one; null: the
    /// installation's default (`REPORTING_CYCLE_DAYS`).
    async fn reporting_cycle_days(&self) -> Option<i32> {
        self.0
            .reporting_cycle_days
            .map(|days| i32::try_from(days).unwrap_or(i32::MAX))
    }
    /// The month (1-12) the fiscal year starts; a budget year is named by the calendar year
    /// it starts in.
    async fn fiscal_year_start_month(&self) -> i32 {
        i32::try_from(self.0.fiscal_year_start_month).unwrap_or(1)
    }
    /// Language of exports that do not ask for one (`lang`).
    async fn export_language(&self) -> ExportLanguage {
        self.0.export_language.into()
    }
    /// Whether anonymous readers may read the tenant's public rows (the installation's
    /// `PUBLIC_ACCESS` must allow them too).
    async fn public_reads(&self) -> bool {
        self.0.public_reads
    }
    /// Title line of the council report; null: the standard title.
    async fn council_report_title(&self) -> Option<&str> {
        self.0.council_report_title.as_deref()
    }
    /// Issuer line of the council report, e.g. the office that issues it.
    async fn council_report_issuer(&self) -> Option<&str> {
        self.0.council_report_issuer.as_deref()
    }
    /// Whether departments' status reports wait for central IT's approval
    /// (`approveStatusReport`) before they move progress and traffic lights; central IT's
    /// own reports count at once.
    async fn report_review(&self) -> bool {
        self.0.report_review
    }
    /// The central steering unit's e-mail address: the tenant-wide reminders go there.
    async fn steering_email(&self) -> Option<&str> {
        self.0.steering_email.as_deref()
    }
    /// How parents weigh their children when progress is rolled up (strategy, goals,
    /// measures, projects): `EQUAL` (the default), `WEIGHT` or `BUDGET`. Every rolled-up
    /// figure follows it: `rolledUpProgress`, history, dashboards, the council report and
    /// its files.
    async fn rollup_weighting(&self) -> RollupWeighting {
        self.0.rollup_weighting.into()
    }
}

pub struct Me;

/// Who is asking: the identity behind the token, resolved in its tenant.
#[Object]
impl Me {
    /// The token's subject.
    async fn sub(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(scope(ctx)?.viewer.sub.clone())
    }
    /// Display name from the token, if it carries one.
    async fn name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(scope(ctx)?.viewer.name.clone())
    }
    /// The viewer's role.
    async fn role(&self, ctx: &Context<'_>) -> Result<Role> {
        Ok(scope(ctx)?.viewer.role.into())
    }
    /// The viewer's tenant.
    async fn tenant(&self, ctx: &Context<'_>) -> Result<Tenant> {
        let s = scope(ctx)?;
        let tenant = s.loaders.tenant.load_one(s.viewer.tenant_id).await?;
        Ok(Tenant(required(tenant, "tenant")?))
    }
    /// The viewer's org unit (departments); its subtree is what the viewer owns.
    async fn org_unit(&self, ctx: &Context<'_>) -> Result<Option<OrgUnit>> {
        let s = scope(ctx)?;
        let Some(id) = s.viewer.org_unit_id else {
            return Ok(None);
        };
        Ok(s.loaders.org_unit.load_one(id).await?.map(OrgUnit))
    }
    /// The tenant's data version when this request began: it moves with every committed
    /// write. Pass it as `dataChanged(since:)` to hear of any write after what was read.
    async fn data_version(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(scope(ctx)?.viewer.data_version)
    }
    /// The viewer's live calendar feeds, oldest first (their URLs are not kept: a lost URL
    /// is replaced by a new feed).
    async fn calendar_feeds(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Those of every person of the tenant too (central IT only).",
            default = false
        )]
        everyone: bool,
    ) -> Result<Vec<super::CalendarFeed>> {
        let s = scope(ctx)?;
        let feeds = service::calendar::list(&s.db, &s.viewer, everyone).await?;
        Ok(feeds.into_iter().map(super::CalendarFeed).collect())
    }
}
