//! `createProject`, `updateProject`, `createSubProject`, `updateSubProject`.

use async_graphql::{Context, Object, SimpleObject};

use crate::error::Result;

use crate::graphql::{
    context::scope,
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
    pub project: Project,
}

/// The project as changed.
#[derive(SimpleObject)]
pub struct UpdateProjectPayload {
    pub project: Project,
}

/// The sub-project created.
#[derive(SimpleObject)]
pub struct CreateSubProjectPayload {
    pub sub_project: SubProject,
}

/// The sub-project as changed.
#[derive(SimpleObject)]
pub struct UpdateSubProjectPayload {
    pub sub_project: SubProject,
}

#[Object]
impl ProjectMutation {
    /// Creates a project (central IT).
    async fn create_project(
        &self,
        ctx: &Context<'_>,
        input: CreateProjectInput,
    ) -> Result<CreateProjectPayload> {
        let s = scope(ctx)?;
        let project = service::project::create(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(CreateProjectPayload {
            project: Project(project),
        })
    }

    /// Changes a project: central IT anything, the owning department its status.
    async fn update_project(
        &self,
        ctx: &Context<'_>,
        input: UpdateProjectInput,
    ) -> Result<UpdateProjectPayload> {
        let s = scope(ctx)?;
        let project = service::project::update(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(UpdateProjectPayload {
            project: Project(project),
        })
    }

    /// Adds a sub-project (central IT, or the department owning the project).
    async fn create_sub_project(
        &self,
        ctx: &Context<'_>,
        input: CreateSubProjectInput,
    ) -> Result<CreateSubProjectPayload> {
        let s = scope(ctx)?;
        let sub = service::project::create_sub_project(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(CreateSubProjectPayload {
            sub_project: SubProject(sub),
        })
    }

    /// Changes a sub-project (central IT, or the department owning it).
    async fn update_sub_project(
        &self,
        ctx: &Context<'_>,
        input: UpdateSubProjectInput,
    ) -> Result<UpdateSubProjectPayload> {
        let s = scope(ctx)?;
        let sub = service::project::update_sub_project(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(UpdateSubProjectPayload {
            sub_project: SubProject(sub),
        })
    }
}
