//! `createProjectLink`, `updateProjectLink`, `deleteProjectLink`, `createCategory`,
//! `updateCategory`.

use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::or_null;
use entity::project_link;

use crate::graphql::{
    context::scope,
    id,
    input::catalogue::{
        CreateCategoryInput, CreateProjectLinkInput, DeleteProjectLinkInput, UpdateCategoryInput,
        UpdateProjectLinkInput,
    },
    input::parsed::Parsed,
    object::{Category, Project, ProjectLink, project::parent_project},
};

#[derive(Default)]
pub struct CatalogueMutation;

/// The project link created.
#[derive(SimpleObject)]
pub struct CreateProjectLinkPayload {
    /// The new link.
    pub project_link: ProjectLink,
    /// The project, with its links as changed.
    pub project: Project,
}

/// The project link as changed.
#[derive(SimpleObject)]
pub struct UpdateProjectLinkPayload {
    /// The link after the change.
    pub project_link: ProjectLink,
    /// The project, with its links as changed.
    pub project: Project,
}

/// The project link deleted.
#[derive(SimpleObject)]
pub struct DeleteProjectLinkPayload {
    /// Global id of the link that was deleted.
    pub deleted_project_link_id: ID,
    /// The project, with its links as changed.
    pub project: Project,
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
        #[graphql(desc = "The link to add.")] input: Parsed<CreateProjectLinkInput>,
    ) -> Option<CreateProjectLinkPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let link = service::catalogue::create_link(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(CreateProjectLinkPayload {
                project: parent_project(ctx, link.project_id).await?,
                project_link: ProjectLink(link),
            })
        })
        .await
    }

    /// Changes a project link (central IT).
    async fn update_project_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The link, the version it was read at and the changes.")] input: Parsed<
            UpdateProjectLinkInput,
        >,
    ) -> Option<UpdateProjectLinkPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let link = service::catalogue::update_link(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(UpdateProjectLinkPayload {
                project: parent_project(ctx, link.project_id).await?,
                project_link: ProjectLink(link),
            })
        })
        .await
    }

    /// Deletes a project link (central IT).
    async fn delete_project_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The link and the version it was read at.")] input: Parsed<
            DeleteProjectLinkInput,
        >,
    ) -> Option<DeleteProjectLinkPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let deleted = service::project_part::delete::<project_link::Entity>(
                &s.db,
                &s.viewer,
                id::decode(&input.id, "ProjectLink", "id")?,
                input.version,
            )
            .await?;
            Ok(DeleteProjectLinkPayload {
                deleted_project_link_id: id::encode("ProjectLink", deleted.id),
                project: parent_project(ctx, deleted.project_id).await?,
            })
        })
        .await
    }

    /// Creates a category projects can be tagged with (central IT).
    async fn create_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category to create.")] input: Parsed<CreateCategoryInput>,
    ) -> Option<CreateCategoryPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let category =
                service::catalogue::create_category(&s.db, &s.viewer, input.into()).await?;
            Ok(CreateCategoryPayload {
                category: Category(category),
            })
        })
        .await
    }

    /// Renames or describes a category (central IT).
    async fn update_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category, the version it was read at and the changes.")]
        input: Parsed<UpdateCategoryInput>,
    ) -> Option<UpdateCategoryPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let category =
                service::catalogue::update_category(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(UpdateCategoryPayload {
                category: Category(category),
            })
        })
        .await
    }
}
