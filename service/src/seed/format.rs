//! The shape of a demo-data file (`seed/demo/<tenant>.toml`).
//!
//! Rows refer to each other by their codes (org units by `code`, goals by `code`, measures by
//! `number`, projects by `code`, meetings by `key`), never by database ids, so the files stay
//! readable and the loader resolves the references.

use chrono::NaiveDate;
use entity::enums::{
    ApplicationStatus, FundingSource, LinkKind, MeasureKind, OrgUnitKind, ParticipantRole,
    Priority, Rag, RiskStatus, Status, StrategyStatus, TenantKind, Visibility,
};
use rust_decimal::Decimal;
use serde::Deserialize;

/// One tenant with everything in it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoTenant {
    pub tenant: TenantSpec,
    #[serde(default)]
    pub org_units: Vec<OrgUnitSpec>,
    #[serde(default)]
    pub categories: Vec<CategorySpec>,
    #[serde(default)]
    pub strategies: Vec<StrategySpec>,
    #[serde(default)]
    pub goals: Vec<GoalSpec>,
    #[serde(default)]
    pub measures: Vec<MeasureSpec>,
    #[serde(default)]
    pub projects: Vec<ProjectSpec>,
    #[serde(default)]
    pub meetings: Vec<MeetingSpec>,
    #[serde(default)]
    pub applications: Vec<ApplicationSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantSpec {
    pub key: String,
    pub name: String,
    pub kind: TenantKind,
    pub description: Option<String>,
    /// Whether departments' status reports wait for central IT's approval.
    #[serde(default)]
    pub report_review: bool,
    /// The central steering unit's e-mail address.
    pub steering_email: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgUnitSpec {
    pub code: String,
    pub name: String,
    pub kind: OrgUnitKind,
    /// Code of the parent unit; none for the root.
    pub parent: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategorySpec {
    pub name: String,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategySpec {
    /// Local reference used by goals and successors.
    pub key: String,
    pub title: String,
    pub description: Option<String>,
    pub org_unit: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub status: StrategyStatus,
    pub adopted_on: Option<NaiveDate>,
    pub revision: i32,
    /// Key of the strategy version this one replaces.
    pub predecessor: Option<String>,
    pub visibility: Visibility,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalSpec {
    /// Strategy key.
    pub strategy: String,
    /// Unique within the tenant's demo file.
    pub code: String,
    /// Code of the parent goal.
    pub parent: Option<String>,
    pub org_unit: String,
    pub title: String,
    pub description: Option<String>,
    pub status: Status,
    pub visibility: Visibility,
    #[serde(default)]
    pub indicators: Vec<IndicatorSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSpec {
    pub name: String,
    pub description: Option<String>,
    pub unit: String,
    pub baseline: Option<Decimal>,
    pub baseline_date: Option<NaiveDate>,
    pub target: Option<Decimal>,
    pub target_date: Option<NaiveDate>,
    #[serde(default = "yes")]
    pub higher_is_better: bool,
    #[serde(default)]
    pub values: Vec<IndicatorValueSpec>,
    /// The target path: a value to reach by each date (yearly targets); `target` at
    /// `target_date` is its final point when not listed.
    #[serde(default)]
    pub targets: Vec<IndicatorTargetSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorTargetSpec {
    pub on: NaiveDate,
    pub value: Decimal,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorValueSpec {
    pub on: NaiveDate,
    pub value: Decimal,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureSpec {
    pub number: String,
    pub title: String,
    pub description: Option<String>,
    pub kind: MeasureKind,
    pub priority: Priority,
    pub org_unit: String,
    /// Goal codes this measure is derived from.
    #[serde(default)]
    pub goals: Vec<String>,
    pub start_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    pub status: Status,
    pub rag: Rag,
    pub progress: i32,
    pub planned_effort_days: Option<Decimal>,
    pub actual_effort_days: Option<Decimal>,
    pub target_group: Option<String>,
    pub channel: Option<String>,
    pub organiser: Option<String>,
    pub visibility: Visibility,
    #[serde(default)]
    pub reports: Vec<ReportSpec>,
    /// Indicators of the measure or project, with their target paths.
    #[serde(default)]
    pub indicators: Vec<IndicatorSpec>,
    #[serde(default)]
    pub risks: Vec<RiskSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectSpec {
    /// Unique within the tenant's demo file.
    pub code: String,
    pub title: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// Number of the measure this project implements.
    pub measure: Option<String>,
    pub org_unit: String,
    pub status: Status,
    pub rag: Rag,
    pub progress: i32,
    pub visibility: Visibility,
    pub contact: Option<ContactSpec>,
    pub unique_selling_point: Option<String>,
    pub benefit_for_all: Option<String>,
    #[serde(default)]
    pub transferable: bool,
    pub transferable_results: Option<String>,
    pub transferable_from: Option<NaiveDate>,
    pub funding_recipient: Option<String>,
    pub model_region: Option<String>,
    pub pilot_areas: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub application_approved_on: Option<NaiveDate>,
    pub implementation_commissioned_on: Option<NaiveDate>,
    pub go_live_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// Category names.
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub links: Vec<LinkSpec>,
    #[serde(default)]
    pub funding: Vec<FundingSpec>,
    #[serde(default)]
    pub budget: Vec<BudgetLineSpec>,
    #[serde(default)]
    pub sub_projects: Vec<SubProjectSpec>,
    #[serde(default)]
    pub participants: Vec<ParticipantSpec>,
    #[serde(default)]
    pub milestones: Vec<MilestoneSpec>,
    #[serde(default)]
    pub reports: Vec<ReportSpec>,
    /// Indicators of the measure or project, with their target paths.
    #[serde(default)]
    pub indicators: Vec<IndicatorSpec>,
    #[serde(default)]
    pub risks: Vec<RiskSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactSpec {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    pub kind: LinkKind,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingSpec {
    pub programme: String,
    pub funder: String,
    pub amount: Decimal,
    /// Funding rate in percent.
    pub rate: Option<Decimal>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetLineSpec {
    pub year: i32,
    pub source: FundingSource,
    pub planned: Decimal,
    pub approved: Decimal,
    pub spent: Decimal,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubProjectSpec {
    pub code: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub org_unit: String,
    pub status: Status,
    pub rag: Rag,
    pub progress: i32,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub visibility: Visibility,
    #[serde(default)]
    pub milestones: Vec<MilestoneSpec>,
    #[serde(default)]
    pub reports: Vec<ReportSpec>,
    #[serde(default)]
    pub participants: Vec<ParticipantSpec>,
}

/// An org unit taking part in a project or sub-project beside its owner.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantSpec {
    pub org_unit: String,
    pub role: ParticipantRole,
    #[serde(default)]
    pub financials_granted: bool,
}

/// The catalogue entry an application takes over: a project of a tenant seeded before.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdoptedFromSpec {
    /// Key of the other tenant.
    pub tenant: String,
    /// Code of its project.
    pub project: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneSpec {
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub due_date: NaiveDate,
    pub achieved_on: Option<NaiveDate>,
}

/// A status report; the last one of a subject should agree with its progress and RAG.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSpec {
    pub reported_on: NaiveDate,
    pub progress: i32,
    pub rag: Rag,
    pub summary: String,
    pub risks: Option<String>,
    pub internal_notes: Option<String>,
    pub next_steps: Option<String>,
    /// Name of the person who reported.
    pub author: Option<String>,
    /// Lights by dimension (schedule, budget, scope, resources).
    #[serde(default)]
    pub dimensions: Vec<DimensionSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionSpec {
    pub dimension: crate::status_report::dimension::Dimension,
    pub rag: Rag,
    pub comment: Option<String>,
}

/// A risk of the register of a project or measure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskSpec {
    pub title: String,
    pub description: Option<String>,
    pub probability: i32,
    pub impact: i32,
    pub owner: Option<String>,
    pub mitigation: Option<String>,
    pub status: RiskStatus,
    pub review_on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingSpec {
    pub key: String,
    pub title: String,
    pub held_on: NaiveDate,
    pub location: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationSpec {
    pub title: String,
    pub description: String,
    pub expected_benefit: Option<String>,
    pub estimated_cost: Option<Decimal>,
    pub org_unit: String,
    pub status: ApplicationStatus,
    pub submitted_by_name: Option<String>,
    pub submitted_on: NaiveDate,
    /// Key of the steering-committee meeting that decided (or will decide).
    pub meeting: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub decision_number: Option<String>,
    pub decision_note: Option<String>,
    pub conditions: Option<String>,
    pub budget_released: Option<Decimal>,
    /// Code of the project an approval created.
    pub project: Option<String>,
    /// The other tenant's project it was adopted from.
    pub adopted_from: Option<AdoptedFromSpec>,
}

fn yes() -> bool {
    true
}
