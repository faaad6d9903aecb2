//! Creating and changing measures.

use std::collections::BTreeSet;

use entity::{enums as db, goal, measure, measure_goal};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    auth::Viewer,
    error::ApiResult,
    graphql::{
        id,
        input::measure::{CreateMeasureInput, UpdateMeasureInput},
    },
    policy::writes,
    service::{
        audit::{self, Subject},
        validate,
        write::{Write, patch},
    },
};

fn subject(owner: i32) -> Subject {
    Subject {
        kind: "Measure",
        owner: Some(owner),
    }
}

/// The goals a measure is linked to, checked to be visible goals of the tenant.
async fn goals(w: &Write<'_>, ids: &[async_graphql::ID]) -> ApiResult<BTreeSet<i32>> {
    w.referenced_all::<goal::Entity>(ids, "Goal", "goalIds")
        .await
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
    input: CreateMeasureInput,
) -> ApiResult<measure::Model> {
    writes::require_central_it(viewer, "create measures")?;
    let w = Write::begin(db, viewer).await?;
    let measure = create_in(&w, input).await?;
    w.commit().await?;
    Ok(measure)
}

/// Creates a measure within a write that others share (an import of many rows).
pub async fn create_in(w: &Write<'_>, input: CreateMeasureInput) -> ApiResult<measure::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "create measures")?;
    let org_unit = w.org_unit(&input.org_unit_id).await?;
    let goals = goals(w, &input.goal_ids).await?;
    let (start, due) = (input.start_date.map(|d| d.0), input.due_date.map(|d| d.0));
    validate::period("dueDate", start, due)?;
    let status: db::Status = input.status.into();
    let row = measure::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        org_unit_id: Set(org_unit),
        number: Set(validate::title("number", &input.number)?),
        title: Set(validate::title("title", &input.title)?),
        description: Set(validate::text("description", input.description)?),
        kind: Set(input.kind.into()),
        priority: Set(input.priority.into()),
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
        visibility: Set(input.visibility.into()),
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
    input: UpdateMeasureInput,
) -> ApiResult<measure::Model> {
    let w = Write::begin(db, viewer).await?;
    let after = update_in(&w, input).await?;
    w.commit().await?;
    Ok(after)
}

/// Changes a measure within a write that others share (an import of many rows).
pub async fn update_in(w: &Write<'_>, input: UpdateMeasureInput) -> ApiResult<measure::Model> {
    let viewer = w.viewer;
    let id = id::decode(&input.id, "Measure", "id")?;
    let before = w.visible::<measure::Entity>(id, "measure").await?;
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
    if let Some(description) = patch(input.description) {
        changes.description = Set(validate::text("description", description)?);
    }
    if let Some(kind) = input.kind {
        changes.kind = Set(kind.into());
    }
    if let Some(priority) = input.priority {
        changes.priority = Set(priority.into());
    }
    let mut owner = before.org_unit_id;
    if let Some(unit) = &input.org_unit_id {
        owner = w.org_unit(unit).await?;
        changes.org_unit_id = Set(owner);
    }
    if let Some(visibility) = input.visibility {
        changes.visibility = Set(visibility.into());
    }
    let start = patch(input.start_date).map(|d| d.map(|d| d.0));
    let due = patch(input.due_date).map(|d| d.map(|d| d.0));
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
        let status: db::Status = status.into();
        changes.status = Set(status);
        if status == db::Status::Completed
            && before.completed_on.is_none()
            && input.completed_on.is_undefined()
        {
            changes.completed_on = Set(Some(w.now.date_naive()));
        }
    }
    if let Some(completed) = patch(input.completed_on) {
        changes.completed_on = Set(completed.map(|d| d.0));
    }
    if let Some(days) = patch(input.planned_effort_days) {
        changes.planned_effort_days = Set(validate::quantity("plannedEffortDays", days)?);
    }
    if let Some(days) = patch(input.actual_effort_days) {
        changes.actual_effort_days = Set(validate::quantity("actualEffortDays", days)?);
    }
    if let Some(text) = patch(input.target_group) {
        changes.target_group = Set(validate::short_text("targetGroup", text)?);
    }
    if let Some(text) = patch(input.channel) {
        changes.channel = Set(validate::short_text("channel", text)?);
    }
    if let Some(text) = patch(input.organiser) {
        changes.organiser = Set(validate::short_text("organiser", text)?);
    }
    let goals = match &input.goal_ids {
        Some(ids) => Some(goals(w, ids).await?),
        None => None,
    };
    let after = w
        .update(&before, input.version, changes, "update", subject(owner))
        .await?;
    if let Some(goals) = goals {
        link_goals(w, after.id, after.org_unit_id, &goals).await?;
    }
    Ok(after)
}
