//! The council report as the API shows it: objects over the report's model.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::{Goal, Measure, WorkItem, work_item};
use crate::{
    error::Result,
    graphql::{
        context::scope,
        enums::{Rag, Status, WorkKind},
        id,
        scalar::Date,
    },
};

use service::report::model;

/// The API object of [`model::CouncilReport`].
#[derive(Clone)]
pub struct CouncilReport(pub model::CouncilReport);

/// The global id of a live report: what `councilReport` was asked for, so that `node(id:)`
/// computes the same report again (`CouncilReport:live/aachen/2026-Q3/2026-09-30`). A
/// published report has the plain id of its row.
pub mod live_id {
    use async_graphql::ID;
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    use chrono::NaiveDate;

    const PREFIX: &str = "CouncilReport:live/";

    /// What a live report's id names.
    #[derive(Debug, PartialEq, Eq)]
    pub struct Live {
        /// The tenant's key.
        pub tenant_key: String,
        /// The period's label: `2026-Q3`, or `2026-07-01..2026-09-30`.
        pub period: String,
        /// The day the report shows.
        pub as_of: NaiveDate,
    }

    /// The id of the live report of `tenant_key` for `period` as of `as_of`.
    pub fn encode(tenant_key: &str, period: &str, as_of: NaiveDate) -> ID {
        ID(URL_SAFE_NO_PAD.encode(format!("{PREFIX}{tenant_key}/{period}/{as_of}")))
    }

    /// The live report an id names; `None` for any other id.
    pub fn decode(id: &ID) -> Option<Live> {
        let raw = URL_SAFE_NO_PAD
            .decode(id.as_str().trim_end_matches('='))
            .ok()?;
        let text = String::from_utf8(raw).ok()?;
        let mut parts = text.strip_prefix(PREFIX)?.split('/');
        let live = Live {
            tenant_key: parts.next()?.to_owned(),
            period: parts.next()?.to_owned(),
            as_of: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(live)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn live_ids_round_trip_and_nothing_else_is_one() {
            let day = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
            for period in ["2026-Q3", "2026-07-01..2026-09-30"] {
                let id = encode("aachen", period, day);
                let live = decode(&id).unwrap();
                assert_eq!(
                    (live.tenant_key.as_str(), live.period.as_str()),
                    ("aachen", period)
                );
                assert_eq!(live.as_of, day);
            }
            for other in [
                crate::graphql::id::encode("CouncilReport", 4),
                ID(URL_SAFE_NO_PAD.encode("CouncilReport:live/aachen/2026-Q3")),
                ID(URL_SAFE_NO_PAD.encode("CouncilReport:live/aachen/2026-Q3/2026-09-30/x")),
                ID(URL_SAFE_NO_PAD.encode("CouncilReport:live/aachen/2026-Q3/30.09.2026")),
                ID("%%%".into()),
            ] {
                assert_eq!(decode(&other), None, "{other:?}");
            }
        }
    }
}

/// The council report of a period: per strategy goal, where it stood at the start and at the
/// end, what was completed, achieved and missed, the money, and the traffic lights that
/// changed with the summaries reported for them. It contains only rows the council may see.
#[Object]
impl CouncilReport {
    /// Global id. A published report's names its row; the live report's names the tenant,
    /// the period and the day shown, so that `node(id:)` computes that report again.
    pub(crate) async fn id(&self) -> ID {
        match self.0.id {
            Some(id) => id::encode("CouncilReport", id),
            None => live_id::encode(&self.0.tenant_key, &self.0.period, self.0.as_of),
        }
    }
    /// When central IT published it; null for the live one.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// Who published it.
    async fn published_by(&self) -> Option<&str> {
        self.0.published_by.as_deref()
    }
    /// Key of the tenant, e.g. `aachen`.
    async fn tenant_key(&self) -> &str {
        &self.0.tenant_key
    }
    /// Name of the tenant, e.g. `Stadt Aachen`.
    async fn tenant_name(&self) -> &str {
        &self.0.tenant_name
    }
    /// The tenant's own title line (its settings when the report was made); null: the
    /// standard title.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    /// The issuer line (the tenant's settings when the report was made).
    async fn issuer(&self) -> Option<&str> {
        self.0.issuer.as_deref()
    }
    /// The period: `2026-Q3`, `2026-H1`, `2026`, or `2026-07-01..2026-09-30`.
    async fn period(&self) -> &str {
        &self.0.period
    }
    /// First day of the period.
    async fn from(&self) -> Date {
        Date(self.0.from)
    }
    /// Last day of the period.
    async fn to(&self) -> Date {
        Date(self.0.to)
    }
    /// The state the report shows: the end of the period, or an earlier day asked for.
    async fn as_of(&self) -> Date {
        Date(self.0.as_of)
    }
    /// When the figures were computed.
    async fn generated_at(&self) -> DateTime<Utc> {
        self.0.generated_at
    }
    /// One section per strategy goal, in the strategy's order.
    async fn goals(&self) -> Vec<CouncilReportGoal> {
        self.0
            .goals
            .iter()
            .cloned()
            .map(CouncilReportGoal)
            .collect()
    }
    /// Sums over all goals.
    async fn totals(&self) -> CouncilReportTotals {
        CouncilReportTotals(self.0.totals.clone())
    }
}

/// The API object of [`model::CouncilReportGoal`].
#[derive(Clone)]
pub struct CouncilReportGoal(pub model::CouncilReportGoal);

/// A strategy goal in the council report.
#[Object]
impl CouncilReportGoal {
    /// The goal as it is now, for a link to its page; null when the viewer may no longer see
    /// it, or in reports published before the link was kept.
    async fn goal(&self, ctx: &Context<'_>) -> Result<Option<Goal>> {
        let Some(id) = self.0.goal_id else {
            return Ok(None);
        };
        Ok(scope(ctx)?.loaders.goal.load_one(id).await?.map(Goal))
    }
    /// Goal code, e.g. `Z1`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Title of the goal.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Title of the strategy the goal belongs to.
    async fn strategy(&self) -> &str {
        &self.0.strategy
    }
    /// Rolled-up progress in percent at the start of the period (null: nothing reported yet).
    async fn progress_start(&self) -> Option<i32> {
        self.0.progress_start
    }
    /// Rolled-up progress in percent at the end of the period (or `asOf`).
    async fn progress_end(&self) -> Option<i32> {
        self.0.progress_end
    }
    /// Measures derived from the goal that the council may see.
    async fn measures_total(&self) -> i32 {
        self.0.measures_total
    }
    /// Measures completed within the period.
    async fn measures_completed(&self) -> i32 {
        self.0.measures_completed
    }
    /// Milestones achieved within the period.
    async fn milestones_achieved(&self) -> i32 {
        self.0.milestones_achieved
    }
    /// Milestones due within the period and not achieved by their due date.
    async fn milestones_missed(&self) -> i32 {
        self.0.milestones_missed
    }
    /// Budget of the goal's projects over the years the period touches, in euros.
    async fn budget(&self) -> ReportBudget {
        ReportBudget(self.0.budget.clone())
    }
    /// The goal's measures with their state at the start and end of the period.
    async fn measures(&self) -> Vec<CouncilReportMeasure> {
        self.0
            .measures
            .iter()
            .cloned()
            .map(CouncilReportMeasure)
            .collect()
    }
    /// Traffic lights that changed within the period, with the summaries reported for them.
    async fn rag_changes(&self) -> Vec<RagChange> {
        self.0.rag_changes.iter().cloned().map(RagChange).collect()
    }
    /// The goal's indicators the council may see, each with its target path against the
    /// values measured up to the report's day (empty in reports published before).
    async fn indicators(&self) -> Vec<super::council_indicator::CouncilReportIndicator> {
        self.0
            .indicators
            .iter()
            .cloned()
            .map(super::council_indicator::CouncilReportIndicator)
            .collect()
    }
}

/// The API object of [`model::CouncilReportMeasure`].
#[derive(Clone)]
pub struct CouncilReportMeasure(pub model::CouncilReportMeasure);

/// A measure in the council report.
#[Object]
impl CouncilReportMeasure {
    /// The measure as it is now, for a link to its page; null when the viewer may no longer
    /// see it, or in reports published before the link was kept.
    async fn measure(&self, ctx: &Context<'_>) -> Result<Option<Measure>> {
        let Some(id) = self.0.measure_id else {
            return Ok(None);
        };
        Ok(scope(ctx)?.loaders.measure.load_one(id).await?.map(Measure))
    }
    /// Code of the measure (its number in the strategy).
    async fn code(&self) -> &str {
        &self.0.number
    }
    /// The measure's number: the old name of `code`.
    #[graphql(deprecation = "Use `code`: the same number, named like the code of every other row.")]
    async fn number(&self) -> &str {
        &self.0.number
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Life-cycle state now (the report is about progress; the state is today's).
    async fn status(&self) -> Status {
        self.0.status.into()
    }
    /// Progress in percent at the start of the period.
    async fn progress_start(&self) -> Option<i32> {
        self.0.progress_start
    }
    /// Progress in percent at the end of the period.
    async fn progress_end(&self) -> Option<i32> {
        self.0.progress_end
    }
    /// Traffic light at the start of the period.
    async fn rag_start(&self) -> Option<Rag> {
        self.0.rag_start.map(Into::into)
    }
    /// Traffic light at the end of the period.
    async fn rag_end(&self) -> Option<Rag> {
        self.0.rag_end.map(Into::into)
    }
    /// When it was completed, if it was.
    async fn completed_on(&self) -> Option<Date> {
        self.0.completed_on.map(Date)
    }
    /// Summary of the last report within the period.
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }
    /// Date of that report.
    async fn reported_on(&self) -> Option<Date> {
        self.0.reported_on.map(Date)
    }
}

/// The API object of [`model::RagChange`].
#[derive(Clone)]
pub struct RagChange(pub model::RagChange);

/// A traffic light that changed within the period.
#[Object]
impl RagChange {
    /// Which kind of work changed its light.
    async fn subject_kind(&self) -> Result<WorkKind> {
        let kind = WorkKind::from_stored(&self.0.kind);
        Ok(kind.ok_or_else(|| {
            crate::error::ApiError::Internal(anyhow::anyhow!("rag change of a {}", self.0.kind))
        })?)
    }
    /// The measure, project or sub-project as it is now, for a link to its page; null when
    /// the viewer may no longer see it, or in reports published before the link was kept.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<WorkItem>> {
        let Some(id) = self.0.subject_id else {
            return Ok(None);
        };
        work_item::load(scope(ctx)?, &self.0.kind, id).await
    }
    /// `Measure`, `Project` or `SubProject`.
    #[graphql(deprecation = "Use `subjectKind`.")]
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    /// Number or code of the measure, project or sub-project.
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Traffic light at the start of the period (null: none reported yet).
    async fn from_rag(&self) -> Option<Rag> {
        self.0.from_rag.map(Into::into)
    }
    /// Traffic light at the end of the period.
    async fn to_rag(&self) -> Rag {
        self.0.to_rag.into()
    }
    /// Day of the report that set it.
    async fn reported_on(&self) -> Date {
        Date(self.0.reported_on)
    }
    /// What that report said.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
}

/// The API object of [`model::ReportBudget`].
#[derive(Clone)]
pub struct ReportBudget(pub model::ReportBudget);

/// Budget sums in euros.
#[Object]
impl ReportBudget {
    /// Planned.
    async fn planned(&self) -> Decimal {
        self.0.planned
    }
    /// Approved.
    async fn approved(&self) -> Decimal {
        self.0.approved
    }
    /// Spent.
    async fn spent(&self) -> Decimal {
        self.0.spent
    }
}

/// The API object of [`model::CouncilReportTotals`].
#[derive(Clone)]
pub struct CouncilReportTotals(pub model::CouncilReportTotals);

/// Sums over all goals of the report. A measure linked to several goals counts once.
#[Object]
impl CouncilReportTotals {
    /// Number of goals in the report.
    async fn goal_count(&self) -> i32 {
        self.0.goals
    }
    /// Number of distinct measures in the report.
    async fn measure_count(&self) -> i32 {
        self.0.measures
    }
    /// Number of goals in the report (`CouncilReport.goals` is the list of them).
    #[graphql(deprecation = "Use `goalCount`: `goals` names the list of goals elsewhere.")]
    async fn goals(&self) -> i32 {
        self.0.goals
    }
    /// Number of distinct measures in the report.
    #[graphql(deprecation = "Use `measureCount`: `measures` names a list elsewhere.")]
    async fn measures(&self) -> i32 {
        self.0.measures
    }
    /// Measures completed within the period.
    async fn measures_completed(&self) -> i32 {
        self.0.measures_completed
    }
    /// Milestones achieved within the period.
    async fn milestones_achieved(&self) -> i32 {
        self.0.milestones_achieved
    }
    /// Milestones missed within the period.
    async fn milestones_missed(&self) -> i32 {
        self.0.milestones_missed
    }
    /// Budget of all projects in the report.
    async fn budget(&self) -> ReportBudget {
        ReportBudget(self.0.budget.clone())
    }
}
