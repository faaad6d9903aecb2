//! Writing the planned rows through the services, in one write: every row after the rows it
//! refers to, parents before their children, with versions and audit entries as for any
//! write.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{
    column::{Kind, split_list},
    current::Current,
    plan::{GoalCodes, Planned, key_of, key_text, resolve_goals, target_key},
    sheet::Sheet,
};
use crate::{
    catalogue,
    error::{ApiError, ApiResult},
    export::labels::Labelled,
    goal, indicator, measure, milestone, money, org_unit, project, strategy,
    write::{Change, Write},
};

/// The ids of the rows by sheet and key: the tenant's, and those the import creates.
pub struct Ids {
    ids: HashMap<(Sheet, String), i32>,
    goal_codes: GoalCodes,
}

impl Ids {
    /// The ids of the tenant's rows (a key several rows share names none).
    pub fn of(current: &Current, goal_codes: GoalCodes) -> Self {
        let mut ids = HashMap::new();
        let mut shared = Vec::new();
        for (sheet, rows) in &current.rows {
            for row in rows {
                if let Some((key, _)) = key_of(*sheet, &row.values)
                    && ids.insert((*sheet, key.clone()), row.id).is_some()
                {
                    shared.push((*sheet, key));
                }
            }
        }
        for key in shared {
            ids.remove(&key);
        }
        Self { ids, goal_codes }
    }

    fn get(&self, sheet: Sheet, key: &str) -> ApiResult<i32> {
        self.ids
            .get(&(sheet, key.to_owned()))
            .copied()
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("import: no id of {sheet:?} {key}")))
    }
}

/// Writes one planned row and records its id under its key.
pub async fn apply(w: &Write<'_>, row: &Planned, ids: &mut Ids) -> ApiResult<()> {
    let r = Row { p: row, ids };
    let id = match row.existing {
        None => create(w, &r).await?,
        Some((id, version)) => {
            if row.changed.iter().any(|c| *c) {
                update(w, &r, id, version).await?;
            }
            id
        }
    };
    ids.ids.insert((row.sheet, row.key.clone()), id);
    Ok(())
}

/// A planned row with typed access to its values.
struct Row<'a> {
    p: &'a Planned,
    ids: &'a Ids,
}

fn parsed<T: std::str::FromStr>(value: Option<&str>) -> Option<T> {
    value.and_then(|v| v.parse().ok())
}

impl Row<'_> {
    fn text(&self, field: &str) -> Option<String> {
        self.p.get(field).map(str::to_owned)
    }

    /// A value every row has once planned (required, or with a default).
    fn req(&self, field: &str) -> String {
        self.text(field).unwrap_or_default()
    }

    fn date(&self, field: &str) -> Option<NaiveDate> {
        parsed(self.p.get(field))
    }

    fn decimal(&self, field: &str) -> Option<Decimal> {
        parsed(self.p.get(field))
    }

    fn int(&self, field: &str) -> Option<i32> {
        parsed(self.p.get(field))
    }

    fn yes(&self, field: &str) -> bool {
        self.p.get(field) == Some("true")
    }

    fn choice<T: Labelled>(&self, field: &str) -> Option<T> {
        self.p.get(field).and_then(T::from_label)
    }

    /// An enum value every row has once planned (required, or with a default).
    fn must<T: Labelled>(&self, field: &str) -> ApiResult<T> {
        self.choice(field)
            .ok_or_else(|| ApiError::bad_input(field, "must not be empty"))
    }

    /// The id of the row a reference names.
    fn id(&self, field: &str) -> ApiResult<Option<i32>> {
        let col = self.p.sheet.col(field);
        let (Kind::Ref(target, scope), Some(value)) = (
            self.p.sheet.def().columns[col].kind,
            self.p.values[col].as_deref(),
        ) else {
            return Ok(None);
        };
        let key = target_key(&self.p.values, scope, value).unwrap_or_default();
        self.ids.get(target, &key).map(Some)
    }

    fn req_id(&self, field: &str) -> ApiResult<i32> {
        self.id(field)?
            .ok_or_else(|| ApiError::bad_input(field, "must not be empty"))
    }

    /// The ids of the rows a list names.
    fn list(&self, field: &str) -> ApiResult<Vec<i32>> {
        let col = self.p.sheet.col(field);
        let Some(value) = self.p.values[col].as_deref() else {
            return Ok(Vec::new());
        };
        match self.p.sheet.def().columns[col].kind {
            Kind::Refs(target) => split_list(value)
                .iter()
                .map(|item| self.ids.get(target, &key_text(std::slice::from_ref(item))))
                .collect(),
            Kind::Goals => resolve_goals(value, &self.ids.goal_codes)
                .map_err(|errors| ApiError::bad_input(field, errors.join("; ")))?
                .iter()
                .map(|key| self.ids.get(Sheet::Goals, key))
                .collect(),
            _ => Ok(Vec::new()),
        }
    }

    /// A value for a patch: `Some` where the row changes the field.
    fn set<T>(&self, field: &str, value: Option<T>) -> Option<T> {
        value.filter(|_| self.p.changes(field))
    }

    /// A nullable value for a patch: `Some(None)` empties the field.
    fn change<T>(&self, field: &str, value: Option<T>) -> Change<T> {
        self.p.changes(field).then_some(value)
    }
}

async fn create(w: &Write<'_>, r: &Row<'_>) -> ApiResult<i32> {
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
                },
            )
            .await?
            .id
        }
        Sheet::Indicators => {
            indicator::create_in(
                w,
                indicator::NewIndicator {
                    goal_id: r.req_id("goal")?,
                    name: r.req("name"),
                    description: r.text("description"),
                    unit: r.req("unit"),
                    baseline: r.decimal("baseline"),
                    baseline_date: r.date("baselineDate"),
                    target: r.decimal("target"),
                    target_date: r.date("targetDate"),
                    higher_is_better: r.yes("higherIsBetter"),
                },
            )
            .await?
            .id
        }
        Sheet::IndicatorValues => {
            indicator::record_value_in(
                w,
                indicator::NewIndicatorValue {
                    indicator_id: r.req_id("indicator")?,
                    measured_on: r.date("measuredOn").unwrap_or_default(),
                    value: r.decimal("value").unwrap_or_default(),
                    note: r.text("note"),
                },
            )
            .await?
            .id
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
    })
}

fn lead(r: &Row<'_>) -> Option<org_unit::Lead> {
    r.text("leadName").map(|name| org_unit::Lead {
        name,
        email: r.text("leadEmail"),
    })
}

fn contact(r: &Row<'_>) -> Option<project::Contact> {
    r.text("contactName").map(|name| project::Contact {
        name,
        email: r.text("contactEmail"),
        phone: r.text("contactPhone"),
    })
}

async fn update(w: &Write<'_>, r: &Row<'_>, id: i32, version: i32) -> ApiResult<()> {
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
                },
            )
            .await?;
        }
        Sheet::Indicators => {
            indicator::update_in(
                w,
                indicator::IndicatorPatch {
                    id,
                    version,
                    name: r.set("name", r.text("name")),
                    description: r.change("description", r.text("description")),
                    unit: r.set("unit", r.text("unit")),
                    baseline: r.change("baseline", r.decimal("baseline")),
                    baseline_date: r.change("baselineDate", r.date("baselineDate")),
                    target: r.change("target", r.decimal("target")),
                    target_date: r.change("targetDate", r.date("targetDate")),
                    higher_is_better: r.set("higherIsBetter", Some(r.yes("higherIsBetter"))),
                },
            )
            .await?;
        }
        Sheet::IndicatorValues => {
            indicator::update_value_in(
                w,
                indicator::IndicatorValuePatch {
                    id,
                    version,
                    measured_on: None,
                    value: r.set("value", r.decimal("value")),
                    note: r.change("note", r.text("note")),
                },
            )
            .await?;
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
    }
    Ok(())
}
