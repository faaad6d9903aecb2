//! Creating milestones and marking them achieved.

use chrono::NaiveDate;
use entity::{milestone, project, sub_project};
use sea_orm::{ActiveValue::Set, DatabaseConnection};

use crate::{
    audit::{Action, Subject},
    error::{ApiError, ApiResult},
    policy::{Held, writes},
    validate,
    viewer::Viewer,
    write::{Change, Write},
};

/// Where a new milestone belongs.
#[derive(Debug, Clone, Copy)]
pub enum MilestoneOf {
    Project(i32),
    SubProject(i32),
}

/// A new milestone of a project or of one of its sub-projects.
#[derive(Debug, Clone)]
pub struct NewMilestone {
    pub of: MilestoneOf,
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub due_date: NaiveDate,
    pub achieved_on: Option<NaiveDate>,
}

/// Changes to a milestone read at `version`; a change of `achieved_on` marks it achieved or
/// open again.
#[derive(Debug, Clone, Default)]
pub struct MilestonePatch {
    pub id: i32,
    pub version: i32,
    pub code: Option<String>,
    pub title: Option<String>,
    pub description: Change<String>,
    pub due_date: Option<NaiveDate>,
    pub achieved_on: Change<NaiveDate>,
}

fn subject(owner: i32) -> Subject {
    Subject {
        kind: "Milestone",
        owner: Some(owner),
    }
}

/// Achievement dates lie in the past or today.
fn achieved(
    w: &Write<'_>,
    date: Option<chrono::NaiveDate>,
) -> ApiResult<Option<chrono::NaiveDate>> {
    match date {
        Some(date) if date > w.now.date_naive() => Err(ApiError::bad_input(
            "achievedOn",
            "must not be in the future",
        )),
        other => Ok(other),
    }
}

/// What holds a milestone: its sub-project, or its project.
async fn holder(w: &Write<'_>, project: i32, sub_project: Option<i32>) -> ApiResult<Held> {
    Ok(match sub_project {
        Some(sub) => (&w.visible::<sub_project::Entity>(sub, "sub-project").await?).into(),
        None => (&w.visible::<project::Entity>(project, "project").await?).into(),
    })
}

/// Creates a milestone.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewMilestone,
) -> ApiResult<milestone::Model> {
    crate::write::single!(db, viewer, |w| create_in(&w, input))
}

/// [`create`] within a write that others share (an import of many rows).
pub async fn create_in(w: &Write<'_>, input: NewMilestone) -> ApiResult<milestone::Model> {
    let viewer = w.viewer;
    writes::require_administration(viewer, "add milestones")?;
    let (project, sub_project, held) = match input.of {
        MilestoneOf::SubProject(sub) => {
            let sub = w
                .referenced::<sub_project::Entity>(sub, "subProjectId")
                .await?;
            (sub.project_id, Some(sub.id), Held::from(&sub))
        }
        MilestoneOf::Project(project) => {
            let project = w
                .referenced::<project::Entity>(project, "projectId")
                .await?;
            (project.id, None, Held::from(&project))
        }
    };
    writes::require_edit(viewer, held, "add milestones here")?;
    let owner = held.owner;
    let row = milestone::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        project_id: Set(project),
        sub_project_id: Set(sub_project),
        code: Set(validate::title("code", &input.code)?),
        title: Set(validate::title("title", &input.title)?),
        description: Set(validate::text("description", input.description)?),
        due_date: Set(input.due_date),
        achieved_on: Set(achieved(w, input.achieved_on)?),
        archived_at: Set(None),
        ..Default::default()
    };
    let milestone = w.insert(row, subject(owner)).await?;
    Ok(milestone)
}

/// Changes a milestone or marks it achieved.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: MilestonePatch,
) -> ApiResult<milestone::Model> {
    crate::write::single!(db, viewer, |w| update_in(&w, input))
}

/// [`update`] within a write that others share (an import of many rows).
pub async fn update_in(w: &Write<'_>, input: MilestonePatch) -> ApiResult<milestone::Model> {
    let viewer = w.viewer;
    let before = w
        .visible::<milestone::Entity>(input.id, "milestone")
        .await?;
    let held = holder(w, before.project_id, before.sub_project_id).await?;
    writes::require_edit(viewer, held, "change this milestone")?;
    let owner = held.owner;
    let mut c = <milestone::ActiveModel as Default>::default();
    if let Some(code) = &input.code {
        c.code = Set(validate::title("code", code)?);
    }
    if let Some(title) = &input.title {
        c.title = Set(validate::title("title", title)?);
    }
    if let Some(v) = input.description {
        c.description = Set(validate::text("description", v)?);
    }
    if let Some(due) = input.due_date {
        c.due_date = Set(due);
    }
    let action = match input.achieved_on {
        Some(date) => {
            let date = achieved(w, date)?;
            c.achieved_on = Set(date);
            if date.is_some() {
                Action::Achieve
            } else {
                Action::Reopen
            }
        }
        None => Action::Update,
    };
    let after = w
        .update(&before, input.version, c, action, subject(owner))
        .await?;
    Ok(after)
}
