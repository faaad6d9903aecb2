//! Participants of projects and sub-projects, and the adoptions of the reuse catalogue.

use async_graphql::{Context, ID, Object};
use entity::participant;

use super::{OrgUnit, Project, SubProject, project::parent_project, required};
use crate::error::Result;
use crate::graphql::{context::scope, enums::ParticipantRole, id, scalar::Date};

#[derive(Clone)]
pub struct Participant(pub participant::Model);

/// An org unit taking part in a project or sub-project beside the unit that owns it: leading
/// it together, participating in it, or reusing its results.
#[Object]
impl Participant {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("Participant", self.0.id)
    }
    /// The participating unit.
    async fn org_unit(&self, ctx: &Context<'_>) -> Result<OrgUnit> {
        let row = scope(ctx)?
            .loaders
            .org_unit
            .load_one(self.0.org_unit_id)
            .await?;
        Ok(OrgUnit(required(row, "org unit")?))
    }
    /// How it takes part.
    async fn role(&self) -> ParticipantRole {
        self.0.role.into()
    }
    /// Whether central IT lets it read the work's budgets (a `LEAD` always reads them).
    async fn financials_granted(&self) -> bool {
        self.0.financials_granted
    }
    /// The project it takes part in, when it is a project's participant.
    async fn project(&self, ctx: &Context<'_>) -> Result<Option<Project>> {
        match self.0.project_id {
            Some(id) => Ok(Some(parent_project(ctx, id).await?)),
            None => Ok(None),
        }
    }
    /// The sub-project it takes part in, when it is a sub-project's participant.
    async fn sub_project(&self, ctx: &Context<'_>) -> Result<Option<SubProject>> {
        let Some(id) = self.0.sub_project_id else {
            return Ok(None);
        };
        let row = scope(ctx)?.loaders.sub_project.load_one(id).await?;
        Ok(Some(SubProject(required(row, "sub-project")?)))
    }
    /// Version for optimistic concurrency: send it back with an update or removal.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

pub struct AdoptedFrom {
    pub tenant_key: String,
    pub tenant_name: String,
    pub title: String,
    pub project_id: i32,
}

/// Where an application taken over from the reuse catalogue came from, as the catalogue
/// showed it when it was adopted.
#[Object]
impl AdoptedFrom {
    /// Key of the municipality whose project was adopted.
    async fn tenant_key(&self) -> &str {
        &self.tenant_key
    }
    /// Name of that municipality.
    async fn tenant_name(&self) -> &str {
        &self.tenant_name
    }
    /// Title of the adopted project.
    async fn title(&self) -> &str {
        &self.title
    }
    /// Global id of the adopted project (another tenant's: not readable through `node`).
    async fn project_id(&self) -> ID {
        id::encode("Project", self.project_id)
    }
}

pub struct Adoption(pub service::reuse::Adoption);

/// A municipality that took over a catalogue entry and released its own project for it
/// publicly.
#[Object]
impl Adoption {
    /// Key of the adopting municipality.
    async fn tenant_key(&self) -> &str {
        &self.0.tenant_key
    }
    /// Name of the adopting municipality.
    async fn tenant_name(&self) -> &str {
        &self.0.tenant_name
    }
    /// Title of the adopter's own project.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// When the adopter applied to take it over.
    async fn adopted_on(&self) -> Date {
        Date(self.0.adopted_on)
    }
}
