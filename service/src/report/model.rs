//! The council report as it is shown, published and exported.
//!
//! A published report is this structure stored as JSON: it never changes afterwards, whatever
//! is edited later, and every export renders from it exactly as the API shows it. Its enums
//! are stored by their API names (`IN_PROGRESS`), as reports published before kept them.

use chrono::{DateTime, NaiveDate as Date, Utc};
use entity::enums::{Rag, Status};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::stored_enum;

/// The council report of a period: per strategy goal, where it stood at the start and at the
/// end, what was completed, achieved and missed, the money, and the traffic lights that
/// changed with the summaries reported for them. It contains only rows the council may see.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CouncilReport {
    /// Id of a published report; null for the live one.
    #[serde(skip)]
    pub id: Option<i32>,
    /// When central IT published it; null for the live one.
    #[serde(skip)]
    pub published_at: Option<DateTime<Utc>>,
    /// Who published it.
    #[serde(skip)]
    pub published_by: Option<String>,
    /// Key of the tenant, e.g. `aachen`.
    pub tenant_key: String,
    /// Name of the tenant, e.g. `Stadt Aachen`.
    pub tenant_name: String,
    /// The tenant's own title line (settings); the standard title when `None`.
    #[serde(default)]
    pub title: Option<String>,
    /// The tenant's issuer line (settings), e.g. the office that issues the report.
    #[serde(default)]
    pub issuer: Option<String>,
    /// The period: `2026-Q3`, `2026-H1`, `2026`, or `2026-07-01..2026-09-30`.
    pub period: String,
    /// First day of the period.
    pub from: Date,
    /// Last day of the period.
    pub to: Date,
    /// The state the report shows: the end of the period, or an earlier day asked for.
    pub as_of: Date,
    /// When the figures were computed.
    pub generated_at: DateTime<Utc>,
    /// One section per strategy goal, in the strategy's order.
    pub goals: Vec<CouncilReportGoal>,
    /// Sums over all goals.
    pub totals: CouncilReportTotals,
}

/// A strategy goal in the council report.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CouncilReportGoal {
    /// Row id of the goal, for a link to it (absent in reports published before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_id: Option<i32>,
    /// Goal code, e.g. `Z1`.
    pub code: String,
    /// Title of the goal.
    pub title: String,
    /// Title of the strategy the goal belongs to.
    pub strategy: String,
    /// Rolled-up progress in percent at the start of the period (null: nothing reported yet).
    pub progress_start: Option<i32>,
    /// Rolled-up progress in percent at the end of the period (or `asOf`).
    pub progress_end: Option<i32>,
    /// Measures derived from the goal that the council may see.
    pub measures_total: i32,
    /// Measures completed within the period.
    pub measures_completed: i32,
    /// Milestones achieved within the period.
    pub milestones_achieved: i32,
    /// Milestones due within the period and not achieved by their due date.
    pub milestones_missed: i32,
    /// Budget of the goal's projects over the years the period touches, in euros.
    pub budget: ReportBudget,
    /// The goal's measures with their state at the start and end of the period.
    pub measures: Vec<CouncilReportMeasure>,
    /// Traffic lights that changed within the period, with the summaries reported for them.
    pub rag_changes: Vec<RagChange>,
    /// The goal's indicators the council may see, with their target paths and the values
    /// measured up to the report's day (absent in reports published before).
    #[serde(default)]
    pub indicators: Vec<CouncilReportIndicator>,
}

/// A goal indicator in the council report: its target path against its measured values.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CouncilReportIndicator {
    /// Row id of the indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator_id: Option<i32>,
    /// Name of the indicator.
    pub name: String,
    /// Unit of its values.
    pub unit: String,
    /// Whether larger values are better.
    pub higher_is_better: bool,
    /// `ON_TRACK`, `BEHIND` or `REACHED` on the report's day; null without a measured value or
    /// without targets.
    pub status: Option<String>,
    /// The chart: the path and the measured values at the baseline, target and measured dates.
    pub series: Vec<IndicatorChartPoint>,
}

/// A point of an indicator's chart.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndicatorChartPoint {
    /// The date.
    pub date: Date,
    /// The path's value at the date, if it expects one.
    pub target: Option<Decimal>,
    /// The value measured that day, if one was.
    pub actual: Option<Decimal>,
}

/// A measure in the council report.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CouncilReportMeasure {
    /// Row id of the measure (absent in reports published before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure_id: Option<i32>,
    /// Measure number.
    pub number: String,
    /// Title.
    pub title: String,
    /// Life-cycle state now (the report is about progress; the state is today's).
    #[serde(with = "stored_enum::api_name")]
    pub status: Status,
    /// Progress in percent at the start of the period.
    pub progress_start: Option<i32>,
    /// Progress in percent at the end of the period.
    pub progress_end: Option<i32>,
    /// Traffic light at the start of the period.
    #[serde(with = "stored_enum::optional_api_name")]
    pub rag_start: Option<Rag>,
    /// Traffic light at the end of the period.
    #[serde(with = "stored_enum::optional_api_name")]
    pub rag_end: Option<Rag>,
    /// When it was completed, if it was.
    pub completed_on: Option<Date>,
    /// Summary of the last report within the period.
    pub summary: Option<String>,
    /// Date of that report.
    pub reported_on: Option<Date>,
}

/// A traffic light that changed within the period.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RagChange {
    /// Row id of the measure, project or sub-project (absent in reports published before it
    /// was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_id: Option<i32>,
    /// `Measure`, `Project` or `SubProject`.
    pub kind: String,
    /// Number or code of the measure, project or sub-project.
    pub code: Option<String>,
    /// Its title.
    pub title: String,
    /// Traffic light at the start of the period (null: none reported yet).
    #[serde(with = "stored_enum::optional_api_name")]
    pub from_rag: Option<Rag>,
    /// Traffic light at the end of the period.
    #[serde(with = "stored_enum::api_name")]
    pub to_rag: Rag,
    /// Day of the report that set it.
    pub reported_on: Date,
    /// What that report said.
    pub summary: String,
}

/// Budget sums in euros.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportBudget {
    /// Planned.
    pub planned: Decimal,
    /// Approved.
    pub approved: Decimal,
    /// Spent.
    pub spent: Decimal,
}

/// Sums over all goals of the report. A measure linked to several goals counts once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CouncilReportTotals {
    /// Goals in the report.
    pub goals: i32,
    /// Distinct measures in the report.
    pub measures: i32,
    /// Measures completed within the period.
    pub measures_completed: i32,
    /// Milestones achieved within the period.
    pub milestones_achieved: i32,
    /// Milestones missed within the period.
    pub milestones_missed: i32,
    /// Budget of all projects in the report.
    pub budget: ReportBudget,
}
