//! An entry of the reuse catalogue: a public, transferable project of any tenant.

use async_graphql::{Context, ID, Object};

use crate::error::Result;
use entity::project;

use super::{Project, participant::Adoption};
use crate::graphql::{context::scope, enums::Status, id, scalar::Date};

pub struct ReuseOffer {
    pub project: project::Model,
    pub tenant_key: String,
    pub tenant_name: String,
    pub categories: Vec<String>,
    /// Adoptions their adopters released publicly, oldest first.
    pub adoptions: Vec<service::reuse::Adoption>,
}

/// A project another municipality can take over: what it does, what it offers for others
/// and from when. Contact persons are never shown here.
#[Object]
impl ReuseOffer {
    /// Global id of the project: what `adoptFromCatalogue` takes.
    async fn project_id(&self) -> ID {
        id::encode("Project", self.project.id)
    }
    /// How many municipalities took it over and released that publicly.
    async fn adoption_count(&self) -> i32 {
        i32::try_from(self.adoptions.len()).unwrap_or(i32::MAX)
    }
    /// The municipalities that took it over, as far as they released that publicly (their
    /// project made from it is public), oldest adoption first.
    async fn adoptions(&self) -> Vec<Adoption> {
        self.adoptions.iter().cloned().map(Adoption).collect()
    }
    /// Key of the tenant that runs the project.
    async fn tenant_key(&self) -> &str {
        &self.tenant_key
    }
    /// Name of the tenant that runs the project.
    async fn tenant_name(&self) -> &str {
        &self.tenant_name
    }
    /// Project title.
    async fn title(&self) -> &str {
        &self.project.title
    }
    /// Short summary.
    async fn summary(&self) -> Option<&str> {
        self.project.summary.as_deref()
    }
    /// Life-cycle state.
    async fn status(&self) -> Status {
        self.project.status.into()
    }
    /// What sets the project apart.
    async fn unique_selling_point(&self) -> Option<&str> {
        self.project.unique_selling_point.as_deref()
    }
    /// Its benefit for all municipalities.
    async fn benefit_for_all(&self) -> Option<&str> {
        self.project.benefit_for_all.as_deref()
    }
    /// What others can take over.
    async fn transferable_results(&self) -> Option<&str> {
        self.project.transferable_results.as_deref()
    }
    /// From when the results can be taken over.
    async fn transferable_from(&self) -> Option<Date> {
        self.project.transferable_from.map(Date)
    }
    /// Model region of the project.
    async fn model_region(&self) -> Option<&str> {
        self.project.model_region.as_deref()
    }
    /// Categories the project is tagged with, by name.
    async fn categories(&self) -> &[String] {
        &self.categories
    }
    /// The project itself, when it belongs to the viewer's own tenant.
    async fn project(&self, ctx: &Context<'_>) -> Result<Option<Project>> {
        let s = scope(ctx)?;
        if self.project.tenant_id != s.viewer.tenant_id {
            return Ok(None);
        }
        Ok(s.loaders
            .project
            .load_one(self.project.id)
            .await?
            .map(Project))
    }
}
