//! Creating and changing measures.

use std::collections::BTreeSet;

use entity::{enums as db, goal, measure, measure_goal};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::{
    audit::{self, Action, Subject},
    error::ApiResult,
    policy::writes,
    validate,
    viewer::Viewer,
    write::{Change, Write},
};

/// A new measure.
#[derive(Debug, Clone)]
pub struct NewMeasure {
    pub number: String,
    pub title: String,
    pub description: Option<String>,
    pub kind: db::MeasureKind,
    pub priority: db::Priority,
    pub org_unit_id: i32,
    pub goal_ids: Vec<i32>,
    pub visibility: db::Visibility,
    pub status: db::Status,
    pub start_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub planned_effort_days: Option<Decimal>,
    pub actual_effort_days: Option<Decimal>,
    pub target_group: Option<String>,
    pub channel: Option<String>,
    pub organiser: Option<String>,
    /// Weight in the roll-up of each of its goals; none: 1.
    pub weight: Option<Decimal>,
}

/// Changes to a measure read at `version`; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct MeasurePatch {
    pub id: i32,
    pub version: i32,
    pub number: Option<String>,
    pub title: Option<String>,
    pub description: Change<String>,
    pub kind: Option<db::MeasureKind>,
    pub priority: Option<db::Priority>,
    pub org_unit_id: Option<i32>,
    /// Replaces the goals the measure is derived from.
    pub goal_ids: Option<Vec<i32>>,
    pub visibility: Option<db::Visibility>,
    pub status: Option<db::Status>,
    pub start_date: Change<NaiveDate>,
    pub due_date: Change<NaiveDate>,
    pub completed_on: Change<NaiveDate>,
    pub planned_effort_days: Change<Decimal>,
    pub actual_effort_days: Change<Decimal>,
    pub target_group: Change<String>,
    pub channel: Change<String>,
    pub organiser: Change<String>,
    /// Weight in its goals' roll-ups: central IT's steering decision, master data.
    pub weight: Option<Decimal>,
}

impl MeasurePatch {
    /// Whether the change goes beyond the status (only central IT may do that).
    pub fn touches_master_data(&self) -> bool {
        self.number.is_some()
            || self.title.is_some()
            || self.description.is_some()
            || self.kind.is_some()
            || self.priority.is_some()
            || self.org_unit_id.is_some()
            || self.goal_ids.is_some()
            || self.visibility.is_some()
            || self.start_date.is_some()
            || self.due_date.is_some()
            || self.completed_on.is_some()
            || self.planned_effort_days.is_some()
            || self.actual_effort_days.is_some()
            || self.target_group.is_some()
            || self.channel.is_some()
            || self.organiser.is_some()
            || self.weight.is_some()
    }
}

fn subject(owner: i32) -> Subject {
    Subject {
        kind: "Measure",
        owner: Some(owner),
    }
}

/// The goals a measure is linked to, checked to be visible goals of the tenant.
async fn goals(w: &Write<'_>, ids: &[i32]) -> ApiResult<BTreeSet<i32>> {
    w.referenced_all::<goal::Entity>(ids, "goalIds").await
}

async fn link_goals(
    w: &Write<'_>,
    measure: i32,
    owner: i32,
    goals: &BTreeSet<i32>,
) -> ApiResult<()> {
    let before: BTreeSet<i32> = measure_goal::Entity::find()
        .filter(measure_goal::Column::MeasureId.eq(measure))
        .all(&w.txn)
        .await?
        .into_iter()
        .map(|link| link.goal_id)
        .collect();
    audit::record_links(w, subject(owner), measure, "goals", &before, goals).await?;
    measure_goal::Entity::delete_many()
        .filter(measure_goal::Column::MeasureId.eq(measure))
        .exec(&w.txn)
        .await?;
    for &goal in goals {
        measure_goal::ActiveModel {
            measure_id: Set(measure),
            goal_id: Set(goal),
            tenant_id: Set(w.viewer.tenant_id),
        }
        .insert(&w.txn)
        .await?;
    }
    Ok(())
}

/// Creates a measure (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    input: NewMeasure,
) -> ApiResult<measure::Model> {
    crate::write::single!(db, viewer, |w| create_in(&w, input))
}

/// Creates a measure within a write that others share (an import of many rows).
pub async fn create_in(w: &Write<'_>, input: NewMeasure) -> ApiResult<measure::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "create measures")?;
    let org_unit = w.org_unit(input.org_unit_id).await?;
    let goals = goals(w, &input.goal_ids).await?;
    let (start, due) = (input.start_date, input.due_date);
    validate::period("dueDate", start, due)?;
    let status = input.status;
    let row = measure::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        org_unit_id: Set(org_unit),
        number: Set(validate::title("number", &input.number)?),
        title: Set(validate::title("title", &input.title)?),
        description: Set(validate::text("description", input.description)?),
        kind: Set(input.kind),
        priority: Set(input.priority),
        start_date: Set(start),
        due_date: Set(due),
        completed_on: Set((status == db::Status::Completed).then(|| w.now.date_naive())),
        status: Set(status),
        rag: Set(db::Rag::Green),
        progress: Set(if status == db::Status::Completed {
            100
        } else {
            0
        }),
        planned_effort_days: Set(validate::quantity(
            "plannedEffortDays",
            input.planned_effort_days,
        )?),
        actual_effort_days: Set(validate::quantity(
            "actualEffortDays",
            input.actual_effort_days,
        )?),
        target_group: Set(validate::short_text("targetGroup", input.target_group)?),
        channel: Set(validate::short_text("channel", input.channel)?),
        organiser: Set(validate::short_text("organiser", input.organiser)?),
        visibility: Set(input.visibility),
        weight: Set(validate::weight("weight", input.weight)?),
        archived_at: Set(None),
        ..Default::default()
    };
    let measure = w.insert(row, subject(org_unit)).await?;
    link_goals(w, measure.id, measure.org_unit_id, &goals).await?;
    Ok(measure)
}

/// Changes a measure: central IT anything, the owning department its status.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    input: MeasurePatch,
) -> ApiResult<measure::Model> {
    crate::write::single!(db, viewer, |w| update_in(&w, input))
}

/// Changes a measure within a write that others share (an import of many rows).
pub async fn update_in(w: &Write<'_>, input: MeasurePatch) -> ApiResult<measure::Model> {
    let viewer = w.viewer;
    let before = w.visible::<measure::Entity>(input.id, "measure").await?;
    if input.touches_master_data() {
        writes::require_central_it(viewer, "change more than the status of a measure")?;
    } else {
        writes::require_edit(viewer, before.org_unit_id, "change this measure")?;
    }
    let mut changes = <measure::ActiveModel as Default>::default();
    if let Some(number) = &input.number {
        changes.number = Set(validate::title("number", number)?);
    }
    if let Some(title) = &input.title {
        changes.title = Set(validate::title("title", title)?);
    }
    if let Some(description) = input.description {
        changes.description = Set(validate::text("description", description)?);
    }
    if let Some(kind) = input.kind {
        changes.kind = Set(kind);
    }
    if let Some(priority) = input.priority {
        changes.priority = Set(priority);
    }
    let mut owner = before.org_unit_id;
    if let Some(unit) = input.org_unit_id {
        owner = w.org_unit(unit).await?;
        changes.org_unit_id = Set(owner);
    }
    if let Some(visibility) = input.visibility {
        changes.visibility = Set(visibility);
    }
    let (start, due) = (input.start_date, input.due_date);
    validate::period(
        "dueDate",
        start.unwrap_or(before.start_date),
        due.unwrap_or(before.due_date),
    )?;
    if let Some(start) = start {
        changes.start_date = Set(start);
    }
    if let Some(due) = due {
        changes.due_date = Set(due);
    }
    if let Some(status) = input.status {
        changes.status = Set(status);
        if status == db::Status::Completed
            && before.completed_on.is_none()
            && input.completed_on.is_none()
        {
            changes.completed_on = Set(Some(w.now.date_naive()));
        }
    }
    if let Some(completed) = input.completed_on {
        changes.completed_on = Set(completed);
    }
    if let Some(days) = input.planned_effort_days {
        changes.planned_effort_days = Set(validate::quantity("plannedEffortDays", days)?);
    }
    if let Some(days) = input.actual_effort_days {
        changes.actual_effort_days = Set(validate::quantity("actualEffortDays", days)?);
    }
    if let Some(text) = input.target_group {
        changes.target_group = Set(validate::short_text("targetGroup", text)?);
    }
    if let Some(text) = input.channel {
        changes.channel = Set(validate::short_text("channel", text)?);
    }
    if let Some(text) = input.organiser {
        changes.organiser = Set(validate::short_text("organiser", text)?);
    }
    if let Some(weight) = input.weight {
        changes.weight = Set(validate::weight("weight", Some(weight))?);
    }
    let goals = match &input.goal_ids {
        Some(ids) => Some(goals(w, ids).await?),
        None => None,
    };
    let after = w
        .update(
            &before,
            input.version,
            changes,
            Action::Update,
            subject(owner),
        )
        .await?;
    if let Some(goals) = goals {
        link_goals(w, after.id, after.org_unit_id, &goals).await?;
    }
    Ok(after)
}
