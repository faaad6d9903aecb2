//! Participants: org units that take part in a project or sub-project beside the unit that
//! owns it (the KISA project group's districts on a shared workflow). Central IT names them;
//! what a participation lets a department see and do is decided in the policy
//! ([`crate::policy::fields`], [`crate::policy::rows`]).

use entity::{enums::ParticipantRole, participant, project, sub_project};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    audit::{Action, Subject},
    error::{ApiError, ApiResult},
    policy::writes,
    viewer::{Viewer, Work},
    write::Write,
};

/// A unit taking part in a piece of work.
#[derive(Debug, Clone)]
pub struct NewParticipant {
    pub work: Work,
    pub org_unit_id: i32,
    pub role: ParticipantRole,
    /// Whether the participant may read the work's budgets (a co-leader always may).
    pub financials_granted: bool,
}

/// Changes to a participation read at `version`.
#[derive(Debug, Clone, Default)]
pub struct ParticipantPatch {
    pub id: i32,
    pub version: i32,
    pub role: Option<ParticipantRole>,
    pub financials_granted: Option<bool>,
}

fn subject(owner: i32) -> Subject {
    Subject {
        kind: "Participant",
        owner: Some(owner),
    }
}

/// The work's owning unit; work the viewer cannot see is `BAD_USER_INPUT` naming the field.
async fn owner_of(w: &Write<'_>, work: Work) -> ApiResult<i32> {
    Ok(match work {
        Work::Project(id) => {
            w.referenced::<project::Entity>(id, "projectId")
                .await?
                .org_unit_id
        }
        Work::SubProject(id) => {
            w.referenced::<sub_project::Entity>(id, "subProjectId")
                .await?
                .org_unit_id
        }
    })
}

/// Names a unit as participant of a project or sub-project (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn add(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewParticipant,
) -> ApiResult<participant::Model> {
    crate::write::single!(db, viewer, |w| add_in(&w, input))
}

/// [`add`] within a write that others share (an import of many rows).
pub async fn add_in(w: &Write<'_>, input: NewParticipant) -> ApiResult<participant::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "name participants")?;
    let owner = owner_of(w, input.work).await?;
    let unit = w.org_unit(input.org_unit_id).await?;
    if unit == owner {
        return Err(ApiError::bad_input(
            "orgUnitId",
            "the unit owns this work already",
        ));
    }
    let (project, sub_project) = match input.work {
        Work::Project(id) => (Some(id), None),
        Work::SubProject(id) => (None, Some(id)),
    };
    let taken = participant::Entity::find()
        .filter(participant::Column::OrgUnitId.eq(unit))
        .filter(match input.work {
            Work::Project(id) => participant::Column::ProjectId.eq(id),
            Work::SubProject(id) => participant::Column::SubProjectId.eq(id),
        })
        .one(&w.txn)
        .await?;
    if taken.is_some() {
        return Err(ApiError::bad_input(
            "orgUnitId",
            "the unit takes part in this work already; change its role instead",
        ));
    }
    let row = participant::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        project_id: Set(project),
        sub_project_id: Set(sub_project),
        org_unit_id: Set(unit),
        role: Set(input.role),
        financials_granted: Set(input.financials_granted),
        ..Default::default()
    };
    w.insert(row, subject(owner)).await
}

/// The participation `id` (visible to the viewer) and its work's owner.
async fn load(w: &Write<'_>, id: i32) -> ApiResult<(participant::Model, i32)> {
    let before = w.visible::<participant::Entity>(id, "participant").await?;
    let work = match (before.project_id, before.sub_project_id) {
        (Some(id), _) => Work::Project(id),
        (None, Some(id)) => Work::SubProject(id),
        (None, None) => return Err(ApiError::NotFound("participant")),
    };
    let owner = owner_of(w, work).await?;
    Ok((before, owner))
}

/// Changes a participant's role or budget grant (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ParticipantPatch,
) -> ApiResult<participant::Model> {
    crate::write::single!(db, viewer, |w| update_in(&w, input))
}

/// [`update`] within a write that others share (an import of many rows).
pub async fn update_in(w: &Write<'_>, input: ParticipantPatch) -> ApiResult<participant::Model> {
    writes::require_central_it(w.viewer, "change participants")?;
    let (before, owner) = load(w, input.id).await?;
    let mut c = <participant::ActiveModel as Default>::default();
    if let Some(role) = input.role {
        c.role = Set(role);
    }
    if let Some(granted) = input.financials_granted {
        c.financials_granted = Set(granted);
    }
    w.update(&before, input.version, c, Action::Update, subject(owner))
        .await
}

/// Ends a participation read at `version` (central IT); returns it as it was.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn remove(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
) -> ApiResult<participant::Model> {
    writes::require_central_it(viewer, "remove participants")?;
    let w = Write::begin(db, viewer).await?;
    let (before, owner) = load(&w, id).await?;
    w.delete::<participant::Entity>(&before, version, subject(owner))
        .await?;
    w.commit().await?;
    Ok(before)
}
