//! Creating milestones and marking them achieved.

use entity::{milestone, project, sub_project};
use sea_orm::{ActiveValue::Set, DatabaseConnection};

use crate::{
    auth::Viewer,
    error::{ApiError, ApiResult},
    graphql::{
        id,
        input::milestone::{CreateMilestoneInput, UpdateMilestoneInput},
    },
    policy::writes,
    service::{
        audit::Subject,
        validate,
        write::{Write, patch},
    },
};

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

/// The unit that owns a milestone: its sub-project's lead, or its project's.
async fn owner(w: &Write<'_>, project: i32, sub_project: Option<i32>) -> ApiResult<i32> {
    Ok(match sub_project {
        Some(sub) => {
            w.visible::<sub_project::Entity>(sub, "sub-project")
                .await?
                .org_unit_id
        }
        None => {
            w.visible::<project::Entity>(project, "project")
                .await?
                .org_unit_id
        }
    })
}

/// Creates a milestone.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: CreateMilestoneInput,
) -> ApiResult<milestone::Model> {
    writes::require_administration(viewer, "add milestones")?;
    let w = Write::begin(db, viewer).await?;
    let (project, sub_project, owner) = match (&input.project_id, &input.sub_project_id) {
        (_, Some(sub)) => {
            let sub = w
                .referenced::<sub_project::Entity>(sub, "SubProject", "subProjectId")
                .await?;
            (sub.project_id, Some(sub.id), sub.org_unit_id)
        }
        (Some(project), None) => {
            let project = w
                .referenced::<project::Entity>(project, "Project", "projectId")
                .await?;
            (project.id, None, project.org_unit_id)
        }
        (None, None) => {
            return Err(ApiError::bad_input(
                "projectId",
                "give a projectId or a subProjectId",
            ));
        }
    };
    writes::require_edit(viewer, owner, "add milestones here")?;
    let row = milestone::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        project_id: Set(project),
        sub_project_id: Set(sub_project),
        code: Set(validate::title("code", &input.code)?),
        title: Set(validate::title("title", &input.title)?),
        description: Set(validate::text("description", input.description)?),
        due_date: Set(input.due_date.0),
        achieved_on: Set(achieved(&w, input.achieved_on.map(|d| d.0))?),
        archived_at: Set(None),
        ..Default::default()
    };
    let milestone = w.insert(row, subject(owner)).await?;
    w.commit().await?;
    Ok(milestone)
}

/// Changes a milestone or marks it achieved.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: UpdateMilestoneInput,
) -> ApiResult<milestone::Model> {
    let id = id::decode(&input.id, "Milestone", "id")?;
    let w = Write::begin(db, viewer).await?;
    let before = w.visible::<milestone::Entity>(id, "milestone").await?;
    let owner = owner(&w, before.project_id, before.sub_project_id).await?;
    writes::require_edit(viewer, owner, "change this milestone")?;
    let mut c = <milestone::ActiveModel as Default>::default();
    if let Some(code) = &input.code {
        c.code = Set(validate::title("code", code)?);
    }
    if let Some(title) = &input.title {
        c.title = Set(validate::title("title", title)?);
    }
    if let Some(v) = patch(input.description) {
        c.description = Set(validate::text("description", v)?);
    }
    if let Some(due) = input.due_date {
        c.due_date = Set(due.0);
    }
    let action = match patch(input.achieved_on) {
        Some(date) => {
            let date = achieved(&w, date.map(|d| d.0))?;
            c.achieved_on = Set(date);
            if date.is_some() { "achieve" } else { "reopen" }
        }
        None => "update",
    };
    let after = w
        .update(&before, input.version, c, action, subject(owner))
        .await?;
    w.commit().await?;
    Ok(after)
}
