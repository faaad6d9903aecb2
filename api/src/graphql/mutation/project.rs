//! `createProject`, `updateProject`, `createSubProject`, `updateSubProject`.

use async_graphql::{Context, Object, SimpleObject};

use crate::error::or_null;

use crate::graphql::{
    context::scope,
    input::parsed::Parsed,
    input::project::{
        CreateProjectInput, CreateSubProjectInput, UpdateProjectInput, UpdateSubProjectInput,
    },
    object::{Project, SubProject},
};

#[derive(Default)]
pub struct ProjectMutation;

/// The project created.
#[derive(SimpleObject)]
pub struct CreateProjectPayload {
    /// The new project.
    pub project: Project,
}

/// The project as changed.
#[derive(SimpleObject)]
pub struct UpdateProjectPayload {
    /// The project after the change.
    pub project: Project,
}

/// The sub-project created.
#[derive(SimpleObject)]
pub struct CreateSubProjectPayload {
    /// The new sub-project.
    pub sub_project: SubProject,
}

/// The sub-project as changed.
#[derive(SimpleObject)]
pub struct UpdateSubProjectPayload {
    /// The sub-project after the change.
    pub sub_project: SubProject,
}

#[Object]
impl ProjectMutation {
    /// Creates a project (central IT).
    async fn create_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project to create.")] input: Parsed<CreateProjectInput>,
    ) -> Option<CreateProjectPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let project = service::project::create(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(CreateProjectPayload {
                project: Project(project),
            })
        })
        .await
    }

    /// Changes a project: central IT anything, the owning department its status.
    async fn update_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project, the version it was read at and the changes.")] input: Parsed<
            UpdateProjectInput,
        >,
    ) -> Option<UpdateProjectPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let project = service::project::update(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(UpdateProjectPayload {
                project: Project(project),
            })
        })
        .await
    }

    /// Adds a sub-project (central IT, or the department owning the project).
    async fn create_sub_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The sub-project to add.")] input: Parsed<CreateSubProjectInput>,
    ) -> Option<CreateSubProjectPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let sub =
                service::project::create_sub_project(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(CreateSubProjectPayload {
                sub_project: SubProject(sub),
            })
        })
        .await
    }

    /// Changes a sub-project (central IT, or the department owning it).
    async fn update_sub_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The sub-project, the version it was read at and the changes.")]
        input: Parsed<UpdateSubProjectInput>,
    ) -> Option<UpdateSubProjectPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let sub =
                service::project::update_sub_project(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(UpdateSubProjectPayload {
                sub_project: SubProject(sub),
            })
        })
        .await
    }
}
