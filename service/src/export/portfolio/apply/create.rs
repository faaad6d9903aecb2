//! New rows: each kind's values onto its service's create command.

use super::{Row, Sheet, contact, lead};
use crate::viewer::Work;
use crate::{
    catalogue, error::ApiResult, goal, measure, milestone, money, org_unit, participant, project,
    risk, strategy, write::Write,
};

pub(super) async fn create(w: &Write<'_>, r: &Row<'_>) -> ApiResult<i32> {
    Ok(match r.p.sheet {
        Sheet::OrgUnits => {
            org_unit::create_in(
                w,
                org_unit::NewOrgUnit {
                    code: r.req("code"),
                    name: r.req("name"),
                    kind: r.must("kind")?,
                    parent_id: r.id("parent")?,
                    position: r.int("position").unwrap_or_default(),
                    lead: lead(r),
                },
            )
            .await?
            .id
        }
        Sheet::Categories => {
            catalogue::create_category_in(
                w,
                catalogue::NewCategory {
                    name: r.req("name"),
                    description: r.text("description"),
                },
            )
            .await?
            .id
        }
        Sheet::Strategies => {
            let created = strategy::create_in(
                w,
                strategy::NewStrategy {
                    title: r.req("title"),
                    description: r.text("description"),
                    org_unit_id: r.req_id("orgUnit")?,
                    period_start: r.date("periodStart").unwrap_or_default(),
                    period_end: r.date("periodEnd").unwrap_or_default(),
                    visibility: r.must("visibility")?,
                },
            )
            .await?;
            // A new strategy starts as a draft; the workbook's state follows.
            let status = r.must("status")?;
            if status != created.status || r.date("adoptedOn").is_some() {
                strategy::update_in(
                    w,
                    strategy::StrategyPatch {
                        id: created.id,
                        version: created.version,
                        status: Some(status),
                        adopted_on: Some(r.date("adoptedOn")),
                        ..Default::default()
                    },
                )
                .await?;
            }
            created.id
        }
        Sheet::Goals => {
            goal::create_in(
                w,
                goal::NewGoal {
                    strategy_id: r.req_id("strategy")?,
                    parent_id: r.id("parent")?,
                    org_unit_id: r.req_id("orgUnit")?,
                    code: r.req("code"),
                    title: r.req("title"),
                    description: r.text("description"),
                    status: r.must("status")?,
                    visibility: r.must("visibility")?,
                    position: r.int("position").unwrap_or_default(),
                    weight: r.decimal("weight"),
                },
            )
            .await?
            .id
        }
        Sheet::Indicators | Sheet::IndicatorValues | Sheet::IndicatorTargets => {
            super::indicators::create(w, r).await?
        }
        Sheet::Measures => {
            measure::create_in(
                w,
                measure::NewMeasure {
                    number: r.req("number"),
                    title: r.req("title"),
                    description: r.text("description"),
                    kind: r.must("kind")?,
                    priority: r.must("priority")?,
                    org_unit_id: r.req_id("orgUnit")?,
                    goal_ids: r.list("goals")?,
                    visibility: r.must("visibility")?,
                    status: r.must("status")?,
                    start_date: r.date("startDate"),
                    due_date: r.date("dueDate"),
                    planned_effort_days: r.decimal("plannedEffortDays"),
                    actual_effort_days: r.decimal("actualEffortDays"),
                    target_group: r.text("targetGroup"),
                    channel: r.text("channel"),
                    organiser: r.text("organiser"),
                    weight: r.decimal("weight"),
                },
            )
            .await?
            .id
        }
        Sheet::Projects => {
            project::create_in(
                w,
                project::NewProject {
                    title: r.req("title"),
                    code: r.text("code"),
                    summary: r.text("summary"),
                    description: r.text("description"),
                    measure_id: r.id("measure")?,
                    org_unit_id: r.req_id("orgUnit")?,
                    status: r.must("status")?,
                    visibility: r.must("visibility")?,
                    contact: contact(r),
                    unique_selling_point: r.text("uniqueSellingPoint"),
                    benefit_for_all: r.text("benefitForAll"),
                    transferable: r.yes("transferable"),
                    transferable_results: r.text("transferableResults"),
                    transferable_from: r.date("transferableFrom"),
                    funding_recipient: r.text("fundingRecipient"),
                    model_region: r.text("modelRegion"),
                    pilot_areas: r.text("pilotAreas"),
                    start_date: r.date("startDate"),
                    end_date: r.date("dueDate"),
                    application_approved_on: r.date("applicationApprovedOn"),
                    implementation_commissioned_on: r.date("implementationCommissionedOn"),
                    go_live_on: r.date("goLiveOn"),
                    closed_on: r.date("closedOn"),
                    category_ids: r.list("categories")?,
                    weight: r.decimal("weight"),
                },
            )
            .await?
            .id
        }
        Sheet::Links => {
            catalogue::create_link_in(
                w,
                catalogue::NewProjectLink {
                    project_id: r.req_id("project")?,
                    kind: r.must("kind")?,
                    title: r.req("title"),
                    url: r.req("url"),
                },
            )
            .await?
            .id
        }
        Sheet::SubProjects => {
            project::create_sub_project_in(
                w,
                project::NewSubProject {
                    project_id: r.req_id("project")?,
                    title: r.req("title"),
                    code: r.text("code"),
                    description: r.text("description"),
                    org_unit_id: r.id("orgUnit")?,
                    status: r.must("status")?,
                    visibility: r.must("visibility")?,
                    start_date: r.date("startDate"),
                    end_date: r.date("dueDate"),
                    weight: r.decimal("weight"),
                },
            )
            .await?
            .id
        }
        Sheet::Milestones => {
            let of = match r.id("subProject")? {
                Some(sub) => milestone::MilestoneOf::SubProject(sub),
                None => milestone::MilestoneOf::Project(r.req_id("project")?),
            };
            milestone::create_in(
                w,
                milestone::NewMilestone {
                    of,
                    code: r.req("code"),
                    title: r.req("title"),
                    description: r.text("description"),
                    due_date: r.date("dueDate").unwrap_or_default(),
                    achieved_on: r.date("achievedOn"),
                },
            )
            .await?
            .id
        }
        Sheet::BudgetLines => {
            money::create_budget_line_in(
                w,
                money::NewBudgetLine {
                    project_id: r.req_id("project")?,
                    year: r.int("year").unwrap_or_default(),
                    source: r.must("source")?,
                    planned: r.decimal("planned").unwrap_or_default(),
                    approved: r.decimal("approved").unwrap_or_default(),
                    spent: r.decimal("spent").unwrap_or_default(),
                    note: r.text("note"),
                },
            )
            .await?
            .id
        }
        Sheet::Funding => {
            money::create_funding_in(
                w,
                money::NewFunding {
                    project_id: r.req_id("project")?,
                    programme: r.req("programme"),
                    funder: r.req("funder"),
                    amount: r.decimal("amount").unwrap_or_default(),
                    rate: r.decimal("rate"),
                    note: r.text("note"),
                },
            )
            .await?
            .id
        }
        Sheet::Participants => {
            let work = match r.id("subProject")? {
                Some(sub) => Work::SubProject(sub),
                None => Work::Project(r.req_id("project")?),
            };
            participant::add_in(
                w,
                participant::NewParticipant {
                    work,
                    org_unit_id: r.req_id("orgUnit")?,
                    role: r.must("role")?,
                    financials_granted: r.yes("financialsGranted"),
                },
            )
            .await?
            .id
        }
        Sheet::ProjectRisks | Sheet::MeasureRisks => {
            let of = if r.p.sheet == Sheet::ProjectRisks {
                risk::RiskOf::Project(r.req_id("project")?)
            } else {
                risk::RiskOf::Measure(r.req_id("measure")?)
            };
            risk::create_in(
                w,
                risk::NewRisk {
                    of,
                    title: r.req("title"),
                    description: r.text("description"),
                    probability: r.int("probability").unwrap_or_default(),
                    impact: r.int("impact").unwrap_or_default(),
                    owner: r.text("owner"),
                    mitigation: r.text("mitigation"),
                    status: r.choice("status"),
                    review_on: r.date("reviewDate"),
                },
            )
            .await?
            .id
        }
    })
}
