//! `createProjectLink`, `updateProjectLink`, `deleteProjectLink`, `createCategory`,
//! `updateCategory`.

use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::Result;
use entity::project_link;

use crate::graphql::{
    context::scope,
    id,
    input::catalogue::{
        CreateCategoryInput, CreateProjectLinkInput, DeleteProjectLinkInput, UpdateCategoryInput,
        UpdateProjectLinkInput,
    },
    object::{Category, ProjectLink},
};

#[derive(Default)]
pub struct CatalogueMutation;

/// The project link created.
#[derive(SimpleObject)]
pub struct CreateProjectLinkPayload {
    /// The new link.
    pub project_link: ProjectLink,
}

/// The project link as changed.
#[derive(SimpleObject)]
pub struct UpdateProjectLinkPayload {
    /// The link after the change.
    pub project_link: ProjectLink,
}

/// The project link deleted.
#[derive(SimpleObject)]
pub struct DeleteProjectLinkPayload {
    /// Global id of the link that was deleted.
    pub deleted_project_link_id: ID,
}

/// The category created.
#[derive(SimpleObject)]
pub struct CreateCategoryPayload {
    /// The new category.
    pub category: Category,
}

/// The category as changed.
#[derive(SimpleObject)]
pub struct UpdateCategoryPayload {
    /// The category after the change.
    pub category: Category,
}

#[Object]
impl CatalogueMutation {
    /// Adds a web page or document to a project (central IT).
    async fn create_project_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The link to add.")] input: CreateProjectLinkInput,
    ) -> Result<CreateProjectLinkPayload> {
        let s = scope(ctx)?;
        let link = service::catalogue::create_link(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(CreateProjectLinkPayload {
            project_link: ProjectLink(link),
        })
    }

    /// Changes a project link (central IT).
    async fn update_project_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The link, the version it was read at and the changes.")]
        input: UpdateProjectLinkInput,
    ) -> Result<UpdateProjectLinkPayload> {
        let s = scope(ctx)?;
        let link = service::catalogue::update_link(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(UpdateProjectLinkPayload {
            project_link: ProjectLink(link),
        })
    }

    /// Deletes a project link (central IT).
    async fn delete_project_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The link and the version it was read at.")] input: DeleteProjectLinkInput,
    ) -> Result<DeleteProjectLinkPayload> {
        let s = scope(ctx)?;
        let deleted = service::project_part::delete::<project_link::Entity>(
            &s.db,
            &s.viewer,
            id::decode(&input.id, "ProjectLink", "id")?,
            input.version,
        )
        .await?;
        Ok(DeleteProjectLinkPayload {
            deleted_project_link_id: id::encode("ProjectLink", deleted),
        })
    }

    /// Creates a category projects can be tagged with (central IT).
    async fn create_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category to create.")] input: CreateCategoryInput,
    ) -> Result<CreateCategoryPayload> {
        let s = scope(ctx)?;
        let category = service::catalogue::create_category(&s.db, &s.viewer, input.into()).await?;
        Ok(CreateCategoryPayload {
            category: Category(category),
        })
    }

    /// Renames or describes a category (central IT).
    async fn update_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category, the version it was read at and the changes.")]
        input: UpdateCategoryInput,
    ) -> Result<UpdateCategoryPayload> {
        let s = scope(ctx)?;
        let category =
            service::catalogue::update_category(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(UpdateCategoryPayload {
            category: Category(category),
        })
    }
}
