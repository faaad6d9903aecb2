//! Changed rows: the columns a row changes onto its service's patch.

use super::{Row, Sheet, contact, lead};
use crate::{
    catalogue,
    error::{ApiError, ApiResult},
    goal, measure, milestone, money, org_unit, participant, project, risk, strategy,
    write::Write,
};

pub(super) async fn update(w: &Write<'_>, r: &Row<'_>, id: i32, version: i32) -> ApiResult<()> {
    match r.p.sheet {
        Sheet::OrgUnits => {
            let lead_changed = r.p.changes("leadName") || r.p.changes("leadEmail");
            org_unit::update_in(
                w,
                org_unit::OrgUnitPatch {
                    id,
                    version,
                    code: r.set("code", r.text("code")),
                    name: r.set("name", r.text("name")),
                    kind: r.set("kind", r.choice("kind")),
                    parent_id: r.change("parent", r.id("parent")?),
                    position: r.set("position", r.int("position")),
                    lead: lead_changed.then(|| lead(r)),
                },
            )
            .await?;
        }
        Sheet::Categories => {
            catalogue::update_category_in(
                w,
                catalogue::CategoryPatch {
                    id,
                    version,
                    name: r.set("name", r.text("name")),
                    description: r.change("description", r.text("description")),
                },
            )
            .await?;
        }
        Sheet::Strategies => {
            strategy::update_in(
                w,
                strategy::StrategyPatch {
                    id,
                    version,
                    title: r.set("title", r.text("title")),
                    description: r.change("description", r.text("description")),
                    org_unit_id: r.set("orgUnit", r.id("orgUnit")?),
                    period_start: r.set("periodStart", r.date("periodStart")),
                    period_end: r.set("periodEnd", r.date("periodEnd")),
                    status: r.set("status", r.choice("status")),
                    adopted_on: r.change("adoptedOn", r.date("adoptedOn")),
                    visibility: r.set("visibility", r.choice("visibility")),
                },
            )
            .await?;
        }
        Sheet::Goals => {
            goal::update_in(
                w,
                goal::GoalPatch {
                    id,
                    version,
                    parent_id: r.change("parent", r.id("parent")?),
                    org_unit_id: r.set("orgUnit", r.id("orgUnit")?),
                    code: r.set("code", r.text("code")),
                    title: r.set("title", r.text("title")),
                    description: r.change("description", r.text("description")),
                    status: r.set("status", r.choice("status")),
                    visibility: r.set("visibility", r.choice("visibility")),
                    position: r.set("position", r.int("position")),
                    weight: r.set("weight", r.decimal("weight")),
                },
            )
            .await?;
        }
        Sheet::Indicators | Sheet::IndicatorValues | Sheet::IndicatorTargets => {
            super::indicators::update(w, r, id, version).await?;
        }
        Sheet::Measures => {
            measure::update_in(
                w,
                measure::MeasurePatch {
                    id,
                    version,
                    title: r.set("title", r.text("title")),
                    description: r.change("description", r.text("description")),
                    kind: r.set("kind", r.choice("kind")),
                    priority: r.set("priority", r.choice("priority")),
                    org_unit_id: r.set("orgUnit", r.id("orgUnit")?),
                    goal_ids: r.set("goals", Some(r.list("goals")?)),
                    visibility: r.set("visibility", r.choice("visibility")),
                    status: r.set("status", r.choice("status")),
                    start_date: r.change("startDate", r.date("startDate")),
                    due_date: r.change("dueDate", r.date("dueDate")),
                    planned_effort_days: r
                        .change("plannedEffortDays", r.decimal("plannedEffortDays")),
                    actual_effort_days: r.change("actualEffortDays", r.decimal("actualEffortDays")),
                    target_group: r.change("targetGroup", r.text("targetGroup")),
                    channel: r.change("channel", r.text("channel")),
                    organiser: r.change("organiser", r.text("organiser")),
                    weight: r.set("weight", r.decimal("weight")),
                    ..measure::MeasurePatch::default()
                },
            )
            .await?;
        }
        Sheet::Projects => {
            let contact_changed = ["contactName", "contactEmail", "contactPhone"]
                .iter()
                .any(|f| r.p.changes(f));
            project::update_in(
                w,
                project::ProjectPatch {
                    id,
                    version,
                    title: r.set("title", r.text("title")),
                    code: r.change("code", r.text("code")),
                    summary: r.change("summary", r.text("summary")),
                    description: r.change("description", r.text("description")),
                    measure_id: r.change("measure", r.id("measure")?),
                    org_unit_id: r.set("orgUnit", r.id("orgUnit")?),
                    status: r.set("status", r.choice("status")),
                    visibility: r.set("visibility", r.choice("visibility")),
                    contact: contact_changed.then(|| contact(r)),
                    unique_selling_point: r
                        .change("uniqueSellingPoint", r.text("uniqueSellingPoint")),
                    benefit_for_all: r.change("benefitForAll", r.text("benefitForAll")),
                    transferable: r.set("transferable", Some(r.yes("transferable"))),
                    transferable_results: r
                        .change("transferableResults", r.text("transferableResults")),
                    transferable_from: r.change("transferableFrom", r.date("transferableFrom")),
                    funding_recipient: r.change("fundingRecipient", r.text("fundingRecipient")),
                    model_region: r.change("modelRegion", r.text("modelRegion")),
                    pilot_areas: r.change("pilotAreas", r.text("pilotAreas")),
                    start_date: r.change("startDate", r.date("startDate")),
                    end_date: r.change("dueDate", r.date("dueDate")),
                    application_approved_on: r
                        .change("applicationApprovedOn", r.date("applicationApprovedOn")),
                    implementation_commissioned_on: r.change(
                        "implementationCommissionedOn",
                        r.date("implementationCommissionedOn"),
                    ),
                    go_live_on: r.change("goLiveOn", r.date("goLiveOn")),
                    closed_on: r.change("closedOn", r.date("closedOn")),
                    category_ids: r.set("categories", Some(r.list("categories")?)),
                    weight: r.set("weight", r.decimal("weight")),
                },
            )
            .await?;
        }
        Sheet::Links => {
            catalogue::update_link_in(
                w,
                catalogue::ProjectLinkPatch {
                    id,
                    version,
                    kind: r.set("kind", r.choice("kind")),
                    title: r.set("title", r.text("title")),
                    url: None,
                },
            )
            .await?;
        }
        Sheet::SubProjects => {
            project::update_sub_project_in(
                w,
                project::SubProjectPatch {
                    id,
                    version,
                    title: r.set("title", r.text("title")),
                    code: r.change("code", r.text("code")),
                    description: r.change("description", r.text("description")),
                    org_unit_id: r.set("orgUnit", r.id("orgUnit")?),
                    status: r.set("status", r.choice("status")),
                    visibility: r.set("visibility", r.choice("visibility")),
                    start_date: r.change("startDate", r.date("startDate")),
                    end_date: r.change("dueDate", r.date("dueDate")),
                    weight: r.set("weight", r.decimal("weight")),
                },
            )
            .await?;
        }
        Sheet::Milestones => {
            if r.p.changes("subProject") {
                return Err(ApiError::bad_input(
                    "subProject",
                    "a milestone cannot move to another sub-project; add a new one",
                ));
            }
            milestone::update_in(
                w,
                milestone::MilestonePatch {
                    id,
                    version,
                    code: None,
                    title: r.set("title", r.text("title")),
                    description: r.change("description", r.text("description")),
                    due_date: r.set("dueDate", r.date("dueDate")),
                    achieved_on: r.change("achievedOn", r.date("achievedOn")),
                },
            )
            .await?;
        }
        Sheet::BudgetLines => {
            money::update_budget_line_in(
                w,
                money::BudgetLinePatch {
                    id,
                    version,
                    year: None,
                    source: None,
                    planned: r.set("planned", r.decimal("planned")),
                    approved: r.set("approved", r.decimal("approved")),
                    spent: r.set("spent", r.decimal("spent")),
                    note: r.change("note", r.text("note")),
                },
            )
            .await?;
        }
        Sheet::Funding => {
            money::update_funding_in(
                w,
                money::FundingPatch {
                    id,
                    version,
                    programme: None,
                    funder: None,
                    amount: r.set("amount", r.decimal("amount")),
                    rate: r.change("rate", r.decimal("rate")),
                    note: r.change("note", r.text("note")),
                },
            )
            .await?;
        }
        Sheet::Participants => {
            participant::update_in(
                w,
                participant::ParticipantPatch {
                    id,
                    version,
                    role: r.set("role", r.choice("role")),
                    financials_granted: r
                        .set("financialsGranted", Some(r.yes("financialsGranted"))),
                },
            )
            .await?;
        }
        Sheet::ProjectRisks | Sheet::MeasureRisks => {
            risk::update_in(
                w,
                risk::RiskPatch {
                    id,
                    version,
                    title: None,
                    description: r.change("description", r.text("description")),
                    probability: r.set("probability", r.int("probability")),
                    impact: r.set("impact", r.int("impact")),
                    owner: r.change("owner", r.text("owner")),
                    mitigation: r.change("mitigation", r.text("mitigation")),
                    status: r.set("status", r.choice("status")),
                    review_on: r.change("reviewDate", r.date("reviewDate")),
                },
            )
            .await?;
        }
    }
    Ok(())
}
