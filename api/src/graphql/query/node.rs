//! `node(id:)` and `nodes(ids:)`: any object by its global id.

use async_graphql::{Context, ID, Object};

use crate::error::Result;

use crate::{
    error::ApiError,
    graphql::{
        context::{RequestScope, scope},
        id,
        object::{
            Application, Category, Goal, Indicator, Measure, Milestone, Node, OrgUnit, Project,
            StatusReport, SteeringMeeting, Strategy, SubProject,
        },
    },
};

#[derive(Default)]
pub struct NodeQuery;

/// Loads one node; `None` when it does not exist or the viewer may not see it.
pub(crate) async fn load(s: &RequestScope, global: &ID, field: &str) -> Result<Option<Node>> {
    let (kind, row) = id::decode_any(global, field)?;
    let l = &s.loaders;
    Ok(match kind.as_str() {
        "OrgUnit" => l
            .org_unit
            .load_one(row)
            .await?
            .map(|m| Node::OrgUnit(OrgUnit(m))),
        "Strategy" => l
            .strategy
            .load_one(row)
            .await?
            .map(|m| Node::Strategy(Strategy(m))),
        "Goal" => l.goal.load_one(row).await?.map(|m| Node::Goal(Goal(m))),
        "Indicator" => l
            .indicator
            .load_one(row)
            .await?
            .map(|m| Node::Indicator(Indicator(m))),
        "Measure" => l
            .measure
            .load_one(row)
            .await?
            .map(|m| Node::Measure(Measure(m))),
        "Project" => l
            .project
            .load_one(row)
            .await?
            .map(|m| Node::Project(Project(m))),
        "SubProject" => l
            .sub_project
            .load_one(row)
            .await?
            .map(|m| Node::SubProject(SubProject(m))),
        "Milestone" => l
            .milestone
            .load_one(row)
            .await?
            .map(|m| Node::Milestone(Milestone(m))),
        "StatusReport" => l
            .status_report
            .load_one(row)
            .await?
            .map(|m| Node::StatusReport(StatusReport(m))),
        "Application" => l
            .application
            .load_one(row)
            .await?
            .map(|m| Node::Application(Application(m))),
        "SteeringMeeting" => l
            .meeting
            .load_one(row)
            .await?
            .map(|m| Node::SteeringMeeting(SteeringMeeting(m))),
        "Category" => l
            .category
            .load_one(row)
            .await?
            .map(|m| Node::Category(Category(m))),
        _ => None,
    })
}

#[Object]
impl NodeQuery {
    /// The object with this global id. A row the viewer may not see fails with `NOT_FOUND`,
    /// exactly like one that does not exist.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id.")] id: ID,
    ) -> Result<Node> {
        let s = scope(ctx)?;
        load(s, &id, "id")
            .await?
            .ok_or_else(|| ApiError::NotFound("node").into())
    }
}
