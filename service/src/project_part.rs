//! Rows that belong to a project and are kept by central IT: budget lines, funding and links.
//!
//! They are plain data: visible with their project (money rows only to those who may see its
//! financials), recorded in the audit trail under the unit owning the project, and deleted
//! outright.

use entity::{budget_line, funding, keyed::Versioned, project, project_link};
use sea_orm::DatabaseConnection;
use serde::Serialize;

use crate::{
    audit::Subject,
    error::ApiResult,
    policy::{Scoped, writes},
    viewer::Viewer,
    write::Write,
};

/// A row that belongs to a project.
pub trait ProjectPart: Scoped + Versioned {
    /// Its GraphQL type, as in global ids and the audit trail.
    const KIND: &'static str;
    /// What it is called in messages.
    const WHAT: &'static str;
    /// The project it belongs to.
    fn project(model: &Self::Model) -> i32;
}

macro_rules! project_part {
    ($($module:ident: $kind:literal, $what:literal;)+) => {$(
        impl ProjectPart for $module::Entity {
            const KIND: &'static str = $kind;
            const WHAT: &'static str = $what;
            fn project(model: &Self::Model) -> i32 {
                model.project_id
            }
        }
    )+};
}

project_part! {
    budget_line: "BudgetLine", "budget line";
    funding: "Funding", "funding";
    project_link: "ProjectLink", "project link";
}

/// The audit subject of a part of a project led by `owner`.
pub fn subject<E: ProjectPart>(owner: i32) -> Subject {
    Subject {
        kind: E::KIND,
        owner: Some(owner),
    }
}

/// The project a new part is added to (`projectId`); one the viewer cannot see is
/// `BAD_USER_INPUT`.
pub async fn parent(w: &Write<'_>, project: i32) -> ApiResult<project::Model> {
    w.referenced::<project::Entity>(project, "projectId").await
}

/// A part the viewer can see (otherwise `NOT_FOUND`), with its audit subject.
pub async fn load<E: ProjectPart>(w: &Write<'_>, id: i32) -> ApiResult<(E::Model, Subject)> {
    let row = w.visible::<E>(id, E::WHAT).await?;
    let project = w
        .visible::<project::Entity>(E::project(&row), "project")
        .await?;
    Ok((row, subject::<E>(project.org_unit_id)))
}

/// Deletes a part read at `version` (central IT); returns the row as it was, whose project
/// the caller may show again.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id, kind = E::KIND))]
pub async fn delete<E>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
) -> ApiResult<E::Model>
where
    E: ProjectPart,
    E::Model: Serialize + Sync,
{
    writes::require_central_it(viewer, &format!("delete a {}", E::WHAT))?;
    let w = Write::begin(db, viewer).await?;
    let (before, subject) = load::<E>(&w, id).await?;
    w.delete::<E>(&before, version, subject).await?;
    w.commit().await?;
    Ok(before)
}
