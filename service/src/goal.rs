//! Goals of a strategy version (central IT).

use entity::{enums as db, goal, strategy};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, DatabaseConnection};

use crate::{
    audit::Action,
    error::{ApiError, ApiResult},
    strategy::{require_steering, subject},
    validate,
    viewer::Viewer,
    write::{Change, Write},
};

/// A new goal.
#[derive(Debug, Clone)]
pub struct NewGoal {
    pub strategy_id: i32,
    pub parent_id: Option<i32>,
    pub org_unit_id: i32,
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub status: db::Status,
    pub visibility: db::Visibility,
    pub position: i32,
    /// Weight in the parent goal's (or the strategy's) roll-up; none: 1.
    pub weight: Option<Decimal>,
}

/// Changes to a goal read at `version`.
#[derive(Debug, Clone, Default)]
pub struct GoalPatch {
    pub id: i32,
    pub version: i32,
    /// Moves it below another goal of the same strategy; `Some(None)` makes it top-level.
    pub parent_id: Change<i32>,
    pub org_unit_id: Option<i32>,
    pub code: Option<String>,
    pub title: Option<String>,
    pub description: Change<String>,
    pub status: Option<db::Status>,
    pub visibility: Option<db::Visibility>,
    pub position: Option<i32>,
    pub weight: Option<Decimal>,
}

async fn same_strategy_parent(w: &Write<'_>, parent: i32, strategy: i32) -> ApiResult<i32> {
    let parent = w.referenced::<goal::Entity>(parent, "parentId").await?;
    if parent.strategy_id != strategy {
        return Err(ApiError::bad_input(
            "parentId",
            "must be a goal of the same strategy",
        ));
    }
    Ok(parent.id)
}

/// Creates a goal.
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewGoal,
) -> ApiResult<goal::Model> {
    crate::write::single!(db, viewer, |w| create_in(&w, input))
}

/// [`create`] within a write that others share (an import of many rows).
pub async fn create_in(w: &Write<'_>, input: NewGoal) -> ApiResult<goal::Model> {
    let viewer = w.viewer;
    require_steering(viewer)?;
    let strategy = w
        .referenced::<strategy::Entity>(input.strategy_id, "strategyId")
        .await?;
    let parent = match input.parent_id {
        Some(parent) => Some(same_strategy_parent(w, parent, strategy.id).await?),
        None => None,
    };
    let owner = w.org_unit(input.org_unit_id).await?;
    let row = goal::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        strategy_id: Set(strategy.id),
        parent_id: Set(parent),
        org_unit_id: Set(owner),
        code: Set(validate::title("code", &input.code)?),
        title: Set(validate::title("title", &input.title)?),
        description: Set(validate::text("description", input.description)?),
        status: Set(input.status),
        visibility: Set(input.visibility),
        position: Set(input.position),
        weight: Set(validate::weight("weight", input.weight)?),
        archived_at: Set(None),
        ..Default::default()
    };
    let goal = w.insert(row, subject("Goal", owner)).await?;
    Ok(goal)
}

/// Changes a goal.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: GoalPatch,
) -> ApiResult<goal::Model> {
    crate::write::single!(db, viewer, |w| update_in(&w, input))
}

/// [`update`] within a write that others share (an import of many rows).
pub async fn update_in(w: &Write<'_>, input: GoalPatch) -> ApiResult<goal::Model> {
    let viewer = w.viewer;
    require_steering(viewer)?;
    let before = w.visible::<goal::Entity>(input.id, "goal").await?;
    let mut c = <goal::ActiveModel as Default>::default();
    if let Some(parent) = input.parent_id {
        let parent = match parent {
            Some(parent) => {
                let parent = same_strategy_parent(w, parent, before.strategy_id).await?;
                if parent == before.id {
                    return Err(ApiError::bad_input(
                        "parentId",
                        "a goal cannot be its own parent",
                    ));
                }
                Some(parent)
            }
            None => None,
        };
        c.parent_id = Set(parent);
    }
    let mut owner = before.org_unit_id;
    if let Some(u) = input.org_unit_id {
        owner = w.org_unit(u).await?;
        c.org_unit_id = Set(owner);
    }
    if let Some(code) = &input.code {
        c.code = Set(validate::title("code", code)?);
    }
    if let Some(title) = &input.title {
        c.title = Set(validate::title("title", title)?);
    }
    if let Some(v) = input.description {
        c.description = Set(validate::text("description", v)?);
    }
    if let Some(status) = input.status {
        c.status = Set(status);
    }
    if let Some(visibility) = input.visibility {
        c.visibility = Set(visibility);
    }
    if let Some(position) = input.position {
        c.position = Set(position);
    }
    if let Some(weight) = input.weight {
        c.weight = Set(validate::weight("weight", Some(weight))?);
    }
    let after = w
        .update(
            &before,
            input.version,
            c,
            Action::Update,
            subject("Goal", owner),
        )
        .await?;
    Ok(after)
}
