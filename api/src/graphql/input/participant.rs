//! Inputs of the participant mutations and of `adoptFromCatalogue` (central IT).

use async_graphql::{ID, InputObject, MaybeUndefined};

use super::command::kept;
use crate::{
    error::{ApiError, ApiResult},
    graphql::{enums::ParticipantRole, id},
};
use service::{
    participant::{NewParticipant, ParticipantPatch},
    reuse::Adopt,
    viewer::Work,
};

/// An org unit to take part in a project or a sub-project (name exactly one of the two).
#[derive(InputObject)]
pub struct AddParticipantInput {
    /// The project the unit takes part in.
    pub project_id: Option<ID>,
    /// The sub-project the unit takes part in.
    pub sub_project_id: Option<ID>,
    /// The unit: of the same tenant, not the one owning the work.
    pub org_unit_id: ID,
    /// How it takes part.
    pub role: ParticipantRole,
    /// Whether it may read the work's budgets (default: no; a `LEAD` always may).
    #[graphql(default)]
    pub financials_granted: bool,
}

/// Changes to a participant; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateParticipantInput {
    /// The participant.
    pub id: ID,
    /// The `version` it was read at.
    pub version: i32,
    /// How it takes part.
    pub role: MaybeUndefined<ParticipantRole>,
    /// Whether it may read the work's budgets.
    pub financials_granted: MaybeUndefined<bool>,
}

/// A participant to remove.
#[derive(InputObject)]
pub struct RemoveParticipantInput {
    /// The participant.
    pub id: ID,
    /// The `version` it was read at.
    pub version: i32,
}

/// A catalogue entry to take over.
#[derive(InputObject)]
pub struct AdoptFromCatalogueInput {
    /// The other municipality's project (`ReuseOffer.projectId`).
    pub project_id: ID,
    /// The unit the application is made for (default: your own unit, else the top unit).
    pub org_unit_id: Option<ID>,
}

impl TryFrom<AddParticipantInput> for NewParticipant {
    type Error = ApiError;

    fn try_from(input: AddParticipantInput) -> ApiResult<Self> {
        let work = match (&input.project_id, &input.sub_project_id) {
            (Some(project), None) => Work::Project(id::decode(project, "Project", "projectId")?),
            (None, Some(sub)) => Work::SubProject(id::decode(sub, "SubProject", "subProjectId")?),
            _ => {
                return Err(ApiError::bad_input(
                    "projectId",
                    "name either projectId or subProjectId",
                ));
            }
        };
        Ok(Self {
            work,
            org_unit_id: id::decode(&input.org_unit_id, "OrgUnit", "orgUnitId")?,
            role: input.role.into(),
            financials_granted: input.financials_granted,
        })
    }
}

impl TryFrom<UpdateParticipantInput> for ParticipantPatch {
    type Error = ApiError;

    fn try_from(input: UpdateParticipantInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Participant", "id")?,
            version: input.version,
            role: kept(input.role, "role")?.map(Into::into),
            financials_granted: kept(input.financials_granted, "financialsGranted")?,
        })
    }
}

impl TryFrom<AdoptFromCatalogueInput> for Adopt {
    type Error = ApiError;

    fn try_from(input: AdoptFromCatalogueInput) -> ApiResult<Self> {
        Ok(Self {
            project_id: id::decode(&input.project_id, "Project", "projectId")?,
            org_unit_id: input
                .org_unit_id
                .map(|unit| id::decode(&unit, "OrgUnit", "orgUnitId"))
                .transpose()?,
        })
    }
}
