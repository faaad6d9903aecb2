//! Rows that point at a parent, grouped by parent id and in their display order.

use std::{collections::HashMap, marker::PhantomData, sync::Arc};

use async_graphql::dataloader::Loader;
use entity::decode::{self, Decode};
use entity::{
    application, budget_line, funding, goal, indicator, indicator_target, indicator_value, measure,
    milestone, org_unit, participant, project, project_link, risk, status_report, sub_project,
};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, Select};

use super::LoaderScope;
use crate::error::LoadError;
use service::policy::{FindVisible, Scoped};

/// A one-to-many relation: the child entity, its foreign key and its order.
pub trait Relation: Send + Sync + 'static {
    type Child: Scoped + Decode;
    /// The foreign-key column on the child.
    fn column() -> <Self::Child as EntityTrait>::Column;
    /// The parent a child row points at.
    fn parent(model: &<Self::Child as EntityTrait>::Model) -> Option<i32>;
    /// The order children are listed in.
    fn order(select: Select<Self::Child>) -> Select<Self::Child>;
}

/// Loads the visible children of many parents at once.
pub struct ChildrenOf<R> {
    scope: LoaderScope,
    relation: PhantomData<fn() -> R>,
}

impl<R> ChildrenOf<R> {
    pub fn new(scope: LoaderScope) -> Self {
        Self {
            scope,
            relation: PhantomData,
        }
    }
}

impl<R> Loader<i32> for ChildrenOf<R>
where
    R: Relation,
    <R::Child as EntityTrait>::Model: Send + Sync,
{
    type Value = Arc<Vec<<R::Child as EntityTrait>::Model>>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let select = R::Child::find_visible_to(&self.scope.viewer)
            .filter(self.scope.keys_in(R::column(), keys));
        let rows = decode::all(&self.scope.db, R::order(select)).await?;
        let mut grouped: HashMap<i32, Vec<_>> = keys.iter().map(|&key| (key, Vec::new())).collect();
        for row in rows {
            if let Some(children) = R::parent(&row).and_then(|parent| grouped.get_mut(&parent)) {
                children.push(row);
            }
        }
        Ok(grouped
            .into_iter()
            .map(|(key, rows)| (key, Arc::new(rows)))
            .collect())
    }
}

macro_rules! relation {
    ($(#[$doc:meta])* $name:ident: $module:ident . $column:ident => $parent:expr, order [$($order:ident $dir:ident),+]) => {
        $(#[$doc])*
        pub struct $name;

        impl Relation for $name {
            type Child = $module::Entity;
            fn column() -> $module::Column {
                $module::Column::$column
            }
            fn parent(model: &$module::Model) -> Option<i32> {
                #[allow(clippy::redundant_closure_call)]
                ($parent)(model)
            }
            fn order(select: Select<$module::Entity>) -> Select<$module::Entity> {
                select$(.order_by($module::Column::$order, sea_orm::Order::$dir))+
            }
        }
    };
}

relation!(
    /// Sub-units of an org unit.
    OrgUnitsByParent: org_unit.ParentId => |m: &org_unit::Model| m.parent_id, order [Position Asc, Code Asc, Id Asc]
);
relation!(
    /// Goals of a strategy version.
    GoalsByStrategy: goal.StrategyId => |m: &goal::Model| Some(m.strategy_id), order [Position Asc, Code Asc, Id Asc]
);
relation!(
    /// Sub-goals of a goal.
    GoalsByParent: goal.ParentId => |m: &goal::Model| m.parent_id, order [Position Asc, Code Asc, Id Asc]
);
relation!(
    /// Indicators of a goal.
    IndicatorsByGoal: indicator.GoalId => |m: &indicator::Model| m.goal_id, order [Name Asc, Id Asc]
);
relation!(
    /// Indicators of a measure.
    IndicatorsByMeasure: indicator.MeasureId => |m: &indicator::Model| m.measure_id, order [Name Asc, Id Asc]
);
relation!(
    /// Indicators of a project.
    IndicatorsByProject: indicator.ProjectId => |m: &indicator::Model| m.project_id, order [Name Asc, Id Asc]
);
relation!(
    /// The target path of an indicator, in date order.
    TargetsByIndicator: indicator_target.IndicatorId => |m: &indicator_target::Model| Some(m.indicator_id), order [TargetDate Asc]
);
relation!(
    /// Measured values of an indicator, oldest first.
    ValuesByIndicator: indicator_value.IndicatorId => |m: &indicator_value::Model| Some(m.indicator_id), order [MeasuredOn Asc, Id Asc]
);
relation!(
    /// Measures an org unit is responsible for.
    MeasuresByOrgUnit: measure.OrgUnitId => |m: &measure::Model| Some(m.org_unit_id), order [Number Asc, Id Asc]
);
relation!(
    /// Projects implementing a measure.
    ProjectsByMeasure: project.MeasureId => |m: &project::Model| m.measure_id, order [Title Asc, Id Asc]
);
relation!(
    /// Projects an org unit leads.
    ProjectsByOrgUnit: project.OrgUnitId => |m: &project::Model| Some(m.org_unit_id), order [Title Asc, Id Asc]
);
relation!(
    /// The project an approved application created.
    ProjectsByApplication: project.ApplicationId => |m: &project::Model| m.application_id, order [Id Asc]
);
relation!(
    /// Sub-projects of a project.
    SubProjectsByProject: sub_project.ProjectId => |m: &sub_project::Model| Some(m.project_id), order [Code Asc, Title Asc, Id Asc]
);
relation!(
    /// Sub-projects an org unit leads.
    SubProjectsByOrgUnit: sub_project.OrgUnitId => |m: &sub_project::Model| Some(m.org_unit_id), order [Title Asc, Id Asc]
);
relation!(
    /// Milestones of a project, its sub-projects' included, by due date.
    MilestonesByProject: milestone.ProjectId => |m: &milestone::Model| Some(m.project_id), order [DueDate Asc, Code Asc, Id Asc]
);
relation!(
    /// Milestones of a sub-project, by due date.
    MilestonesBySubProject: milestone.SubProjectId => |m: &milestone::Model| m.sub_project_id, order [DueDate Asc, Code Asc, Id Asc]
);
relation!(
    /// Status reports on a measure, newest first.
    ReportsByMeasure: status_report.MeasureId => |m: &status_report::Model| m.measure_id, order [ReportedOn Desc, Id Desc]
);
relation!(
    /// Status reports on a project, newest first.
    ReportsByProject: status_report.ProjectId => |m: &status_report::Model| m.project_id, order [ReportedOn Desc, Id Desc]
);
relation!(
    /// Status reports on a sub-project, newest first.
    ReportsBySubProject: status_report.SubProjectId => |m: &status_report::Model| m.sub_project_id, order [ReportedOn Desc, Id Desc]
);
relation!(
    /// Budget lines of a project, by year.
    BudgetLinesByProject: budget_line.ProjectId => |m: &budget_line::Model| Some(m.project_id), order [Year Asc, Source Asc, Id Asc]
);
relation!(
    /// Funding of a project.
    FundingByProject: funding.ProjectId => |m: &funding::Model| Some(m.project_id), order [Id Asc]
);
relation!(
    /// Web pages and documents of a project.
    LinksByProject: project_link.ProjectId => |m: &project_link::Model| Some(m.project_id), order [Kind Desc, Title Asc, Id Asc]
);
relation!(
    /// Units taking part in a project, leads first.
    ParticipantsByProject: participant.ProjectId => |m: &participant::Model| m.project_id, order [Role Asc, OrgUnitId Asc, Id Asc]
);
relation!(
    /// Units taking part in a sub-project, leads first.
    ParticipantsBySubProject: participant.SubProjectId => |m: &participant::Model| m.sub_project_id, order [Role Asc, OrgUnitId Asc, Id Asc]
);
relation!(
    /// Applications decided (or to be decided) in a steering-committee meeting.
    ApplicationsByMeeting: application.MeetingId => |m: &application::Model| m.meeting_id, order [SubmittedOn Asc, Id Asc]
);
relation!(
    /// The risk register of a project, highest probability × impact first (probability
    /// breaks ties).
    RisksByProject: risk.ProjectId => |m: &risk::Model| m.project_id, order [Probability Desc, Impact Desc, Title Asc, Id Asc]
);
relation!(
    /// The risk register of a measure, in the order of [`RisksByProject`].
    RisksByMeasure: risk.MeasureId => |m: &risk::Model| m.measure_id, order [Probability Desc, Impact Desc, Title Asc, Id Asc]
);
