//! Typed look-ups by global id (`goal(id:)`, `measure(id:)`, ...), so that a detail page asks
//! for the type it shows instead of narrowing `node`.

use async_graphql::{Context, ID, Object, dataloader::DataLoader};
use entity::{decode::Decode, keyed::Keyed};

use crate::{
    error::{ApiError, Result, or_null},
    graphql::{
        context::scope,
        id,
        loader::{ById, Loaders},
        object::{
            Application, Goal, Measure, Milestone, OrgUnit, Project, StatusReport, Strategy,
            SubProject,
        },
    },
};
use service::policy::Scoped;

#[derive(Default)]
pub struct LookupQuery;

/// The visible row of type `kind` with this global id; `NOT_FOUND` when there is none, and
/// `BAD_USER_INPUT` when the id is of another type.
async fn look_up<E>(
    ctx: &Context<'_>,
    global: &ID,
    kind: &'static str,
    loader: fn(&Loaders) -> &DataLoader<ById<E>>,
) -> Result<E::Model>
where
    E: Keyed + Scoped + Decode,
    E::Model: Clone + Send + Sync + 'static,
{
    let s = scope(ctx)?;
    let row = id::decode(global, kind, "id")?;
    match loader(&s.loaders).load_one(row).await? {
        Some(model) => Ok(model),
        None => Err(ApiError::NotFound(kind).into()),
    }
}

/// A row the viewer may not see answers `null` with `NOT_FOUND`, exactly like one that does
/// not exist; the rest of the query is answered.
#[Object]
impl LookupQuery {
    /// The goal with this id.
    async fn goal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of a `Goal`.")] id: ID,
    ) -> Option<Goal> {
        or_null(ctx, look_up(ctx, &id, "Goal", |l| &l.goal))
            .await
            .map(Goal)
    }

    /// The measure with this id.
    async fn measure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of a `Measure`.")] id: ID,
    ) -> Option<Measure> {
        or_null(ctx, look_up(ctx, &id, "Measure", |l| &l.measure))
            .await
            .map(Measure)
    }

    /// The project with this id.
    async fn project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of a `Project`.")] id: ID,
    ) -> Option<Project> {
        or_null(ctx, look_up(ctx, &id, "Project", |l| &l.project))
            .await
            .map(Project)
    }

    /// The sub-project with this id.
    async fn sub_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of a `SubProject`.")] id: ID,
    ) -> Option<SubProject> {
        or_null(ctx, look_up(ctx, &id, "SubProject", |l| &l.sub_project))
            .await
            .map(SubProject)
    }

    /// The milestone with this id.
    async fn milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of a `Milestone`.")] id: ID,
    ) -> Option<Milestone> {
        or_null(ctx, look_up(ctx, &id, "Milestone", |l| &l.milestone))
            .await
            .map(Milestone)
    }

    /// The org unit with this id.
    async fn org_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of an `OrgUnit`.")] id: ID,
    ) -> Option<OrgUnit> {
        or_null(ctx, look_up(ctx, &id, "OrgUnit", |l| &l.org_unit))
            .await
            .map(OrgUnit)
    }

    /// The project application with this id (administration only, like `applications`).
    async fn application(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of an `Application`.")] id: ID,
    ) -> Option<Application> {
        or_null(ctx, look_up(ctx, &id, "Application", |l| &l.application))
            .await
            .map(Application)
    }

    /// The strategy version with this id.
    async fn strategy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of a `Strategy`.")] id: ID,
    ) -> Option<Strategy> {
        or_null(ctx, look_up(ctx, &id, "Strategy", |l| &l.strategy))
            .await
            .map(Strategy)
    }

    /// The status report with this id.
    async fn status_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of a `StatusReport`.")] id: ID,
    ) -> Option<StatusReport> {
        or_null(ctx, look_up(ctx, &id, "StatusReport", |l| &l.status_report))
            .await
            .map(StatusReport)
    }
}
