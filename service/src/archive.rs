//! Archiving (soft delete) and restoring rows; archived rows keep their history.

use chrono::{DateTime, Utc};
use entity::{
    goal, indicator, keyed::Versioned, measure, milestone, org_unit, project, strategy, sub_project,
};
use sea_orm::{ActiveModelTrait, DatabaseConnection, IdenStatic, Iterable};
use serde::Serialize;

use crate::{
    audit::{Action, Subject},
    error::{ApiError, ApiResult},
    policy::{Scoped, writes},
    viewer::Viewer,
    write::Write,
};

/// What was archived or restored: its GraphQL type and id.
pub struct Toggled {
    pub kind: &'static str,
    pub id: i32,
}

async fn toggle<E, A>(
    w: &Write<'_>,
    id: i32,
    version: i32,
    archive: bool,
    kind: &'static str,
) -> ApiResult<()>
where
    E: Scoped + Versioned,
    E::Model: Serialize + Sync,
    A: ActiveModelTrait<Entity = E> + Send,
{
    let before = w.visible::<E>(id, kind).await?;
    let column = E::Column::iter()
        .find(|c| c.as_str() == "archived_at")
        .ok_or_else(|| ApiError::bad_input("id", format!("a {kind} cannot be archived")))?;
    let archived = serde_json::to_value(&before)
        .ok()
        .is_some_and(|row| row.get("archived_at").is_some_and(|at| !at.is_null()));
    if archived == archive {
        let state = if archive {
            "already archived"
        } else {
            "not archived"
        };
        return Err(ApiError::Conflict(format!("the {kind} is {state}")));
    }
    let mut changes = <A as ActiveModelTrait>::default();
    let value: Option<DateTime<Utc>> = archive.then_some(w.now);
    changes.set(column, value.into());
    // The owning unit, for rows that have one: departments read the audit of what they own.
    let owner = serde_json::to_value(&before)
        .ok()
        .and_then(|row| row.get("org_unit_id").and_then(serde_json::Value::as_i64))
        .and_then(|unit| i32::try_from(unit).ok());
    let action = if archive {
        Action::Archive
    } else {
        Action::Restore
    };
    w.update(&before, version, changes, action, Subject { kind, owner })
        .await?;
    Ok(())
}

/// A row to archive or restore: its type (as in global ids), id and the version it was read at.
#[derive(Debug, Clone)]
pub struct ArchiveTarget {
    pub kind: String,
    pub id: i32,
    pub version: i32,
}

/// Archives (`archive`) or restores a row (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn set_archived(
    db: &DatabaseConnection,
    viewer: &Viewer,
    target: ArchiveTarget,
    archive: bool,
) -> ApiResult<Toggled> {
    writes::require_central_it(viewer, "archive or restore rows")?;
    let (row, v) = (target.id, target.version);
    let w = Write::begin(db, viewer).await?;
    let kind: &'static str = match target.kind.as_str() {
        "OrgUnit" => {
            toggle::<org_unit::Entity, org_unit::ActiveModel>(&w, row, v, archive, "OrgUnit")
                .await
                .map(|()| "OrgUnit")
        }
        "Strategy" => {
            toggle::<strategy::Entity, strategy::ActiveModel>(&w, row, v, archive, "Strategy")
                .await
                .map(|()| "Strategy")
        }
        "Goal" => toggle::<goal::Entity, goal::ActiveModel>(&w, row, v, archive, "Goal")
            .await
            .map(|()| "Goal"),
        "Indicator" => {
            toggle::<indicator::Entity, indicator::ActiveModel>(&w, row, v, archive, "Indicator")
                .await
                .map(|()| "Indicator")
        }
        "Measure" => {
            toggle::<measure::Entity, measure::ActiveModel>(&w, row, v, archive, "Measure")
                .await
                .map(|()| "Measure")
        }
        "Project" => {
            toggle::<project::Entity, project::ActiveModel>(&w, row, v, archive, "Project")
                .await
                .map(|()| "Project")
        }
        "SubProject" => toggle::<sub_project::Entity, sub_project::ActiveModel>(
            &w,
            row,
            v,
            archive,
            "SubProject",
        )
        .await
        .map(|()| "SubProject"),
        "Milestone" => {
            toggle::<milestone::Entity, milestone::ActiveModel>(&w, row, v, archive, "Milestone")
                .await
                .map(|()| "Milestone")
        }
        _ => Err(ApiError::bad_input(
            "id",
            "this kind of row cannot be archived",
        )),
    }?;
    w.commit().await?;
    Ok(Toggled { kind, id: row })
}
