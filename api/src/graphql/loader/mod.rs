//! DataLoaders: every relation of the graph is loaded in one scoped statement per level.
//!
//! Loaders are created per request because they answer for one viewer; a cache shared across
//! viewers would leak rows. Three shapes cover the graph: rows [`by_id`], the rows that point
//! at a parent ([`children`]), and rows linked through a join table ([`linked`]).

pub mod batch;
pub mod by_id;
pub mod children;
pub mod linked;

use async_graphql::dataloader::DataLoader;
use entity::{
    application, category, goal, indicator, measure, milestone, org_unit, project, status_report,
    strategy, sub_project, tenant,
};
use sea_orm::{ColumnTrait, DatabaseConnection, DbBackend, sea_query::Expr};

use crate::auth::Viewer;
pub use by_id::ById;
pub use children::{ChildrenOf, Relation};
pub use linked::{Link, Linked};

/// The loaders of one request.
pub struct Loaders {
    pub tenant: DataLoader<ById<tenant::Entity>>,
    pub org_unit: DataLoader<ById<org_unit::Entity>>,
    pub strategy: DataLoader<ById<strategy::Entity>>,
    pub goal: DataLoader<ById<goal::Entity>>,
    pub indicator: DataLoader<ById<indicator::Entity>>,
    pub measure: DataLoader<ById<measure::Entity>>,
    pub project: DataLoader<ById<project::Entity>>,
    pub sub_project: DataLoader<ById<sub_project::Entity>>,
    pub milestone: DataLoader<ById<milestone::Entity>>,
    pub status_report: DataLoader<ById<status_report::Entity>>,
    pub application: DataLoader<ById<application::Entity>>,
    pub category: DataLoader<ById<category::Entity>>,
    pub meeting: DataLoader<ById<entity::steering_meeting::Entity>>,
    pub budget_line: DataLoader<ById<entity::budget_line::Entity>>,
    pub funding: DataLoader<ById<entity::funding::Entity>>,
    pub project_link: DataLoader<ById<entity::project_link::Entity>>,
    pub indicator_value: DataLoader<ById<entity::indicator_value::Entity>>,
    pub audit_entry: DataLoader<ById<entity::audit_entry::Entity>>,
    pub participant: DataLoader<ById<entity::participant::Entity>>,
    pub risk: DataLoader<ById<entity::risk::Entity>>,
    pub org_units_by_parent: DataLoader<ChildrenOf<children::OrgUnitsByParent>>,
    pub goals_by_strategy: DataLoader<ChildrenOf<children::GoalsByStrategy>>,
    pub goals_by_parent: DataLoader<ChildrenOf<children::GoalsByParent>>,
    pub indicators_by_goal: DataLoader<ChildrenOf<children::IndicatorsByGoal>>,
    pub values_by_indicator: DataLoader<ChildrenOf<children::ValuesByIndicator>>,
    pub indicators_by_measure: DataLoader<ChildrenOf<children::IndicatorsByMeasure>>,
    pub indicators_by_project: DataLoader<ChildrenOf<children::IndicatorsByProject>>,
    pub targets_by_indicator: DataLoader<ChildrenOf<children::TargetsByIndicator>>,
    pub measures_by_org_unit: DataLoader<ChildrenOf<children::MeasuresByOrgUnit>>,
    pub projects_by_measure: DataLoader<ChildrenOf<children::ProjectsByMeasure>>,
    pub projects_by_org_unit: DataLoader<ChildrenOf<children::ProjectsByOrgUnit>>,
    pub projects_by_application: DataLoader<ChildrenOf<children::ProjectsByApplication>>,
    pub sub_projects_by_project: DataLoader<ChildrenOf<children::SubProjectsByProject>>,
    pub sub_projects_by_org_unit: DataLoader<ChildrenOf<children::SubProjectsByOrgUnit>>,
    pub milestones_by_project: DataLoader<ChildrenOf<children::MilestonesByProject>>,
    pub milestones_by_sub_project: DataLoader<ChildrenOf<children::MilestonesBySubProject>>,
    pub reports_by_measure: DataLoader<ChildrenOf<children::ReportsByMeasure>>,
    pub reports_by_project: DataLoader<ChildrenOf<children::ReportsByProject>>,
    pub reports_by_sub_project: DataLoader<ChildrenOf<children::ReportsBySubProject>>,
    pub budget_lines_by_project: DataLoader<ChildrenOf<children::BudgetLinesByProject>>,
    pub funding_by_project: DataLoader<ChildrenOf<children::FundingByProject>>,
    pub links_by_project: DataLoader<ChildrenOf<children::LinksByProject>>,
    pub applications_by_meeting: DataLoader<ChildrenOf<children::ApplicationsByMeeting>>,
    pub participants_by_project: DataLoader<ChildrenOf<children::ParticipantsByProject>>,
    pub participants_by_sub_project: DataLoader<ChildrenOf<children::ParticipantsBySubProject>>,
    pub risks_by_project: DataLoader<ChildrenOf<children::RisksByProject>>,
    pub risks_by_measure: DataLoader<ChildrenOf<children::RisksByMeasure>>,
    pub measures_by_goal: DataLoader<Linked<linked::MeasuresByGoal>>,
    pub goals_by_measure: DataLoader<Linked<linked::GoalsByMeasure>>,
    pub categories_by_project: DataLoader<Linked<linked::CategoriesByProject>>,
    pub projects_by_category: DataLoader<Linked<linked::ProjectsByCategory>>,
}

/// Everything a loader needs to answer for one viewer.
#[derive(Clone)]
pub struct LoaderScope {
    pub db: DatabaseConnection,
    pub viewer: Viewer,
}

use batch::BatchSpawner;

impl LoaderScope {
    /// `column` holds one of `keys`.
    ///
    /// On PostgreSQL `= ANY($1)`, the keys bound as one array: the statement reads the same
    /// for any number of keys, so a connection prepares it once and PostgreSQL may keep one
    /// plan for it. `IN ($1, ..., $n)` is a statement of its own for every n; at a state's
    /// size the nested lists of the pages alone came in more lengths than a connection's
    /// statement cache holds, and each was planned anew. SQLite, without arrays, gets the list.
    fn keys_in(&self, column: impl ColumnTrait, keys: &[i32]) -> Expr {
        match self.db.get_database_backend() {
            DbBackend::Postgres => column.eq_any(keys.iter().copied()),
            _ => column.is_in(keys.iter().copied()),
        }
    }
}

fn loader<T: async_graphql::dataloader::Loader<i32>>(
    inner: T,
    spawner: &BatchSpawner,
) -> DataLoader<T> {
    let spawner = spawner.clone();
    // Batches start at once: the request's own task polls them only after every resolver
    // that could ask for a key has asked (see `batch`).
    DataLoader::new(inner, move |batch| spawner.spawn(batch)).delay(std::time::Duration::ZERO)
}

impl Loaders {
    /// Fresh loaders for one request of `viewer`.
    pub fn new(db: &DatabaseConnection, viewer: &Viewer, spawner: &BatchSpawner) -> Self {
        let scope = LoaderScope {
            db: db.clone(),
            viewer: viewer.clone(),
        };
        let s = || scope.clone();

        Self {
            tenant: loader(ById::new(s()), spawner),
            org_unit: loader(ById::new(s()), spawner),
            strategy: loader(ById::new(s()), spawner),
            goal: loader(ById::new(s()), spawner),
            indicator: loader(ById::new(s()), spawner),
            measure: loader(ById::new(s()), spawner),
            project: loader(ById::new(s()), spawner),
            sub_project: loader(ById::new(s()), spawner),
            milestone: loader(ById::new(s()), spawner),
            status_report: loader(ById::new(s()), spawner),
            application: loader(ById::new(s()), spawner),
            category: loader(ById::new(s()), spawner),
            meeting: loader(ById::new(s()), spawner),
            budget_line: loader(ById::new(s()), spawner),
            funding: loader(ById::new(s()), spawner),
            project_link: loader(ById::new(s()), spawner),
            indicator_value: loader(ById::new(s()), spawner),
            audit_entry: loader(ById::new(s()), spawner),
            participant: loader(ById::new(s()), spawner),
            risk: loader(ById::new(s()), spawner),
            org_units_by_parent: loader(ChildrenOf::new(s()), spawner),
            goals_by_strategy: loader(ChildrenOf::new(s()), spawner),
            goals_by_parent: loader(ChildrenOf::new(s()), spawner),
            indicators_by_goal: loader(ChildrenOf::new(s()), spawner),
            values_by_indicator: loader(ChildrenOf::new(s()), spawner),
            indicators_by_measure: loader(ChildrenOf::new(s()), spawner),
            indicators_by_project: loader(ChildrenOf::new(s()), spawner),
            targets_by_indicator: loader(ChildrenOf::new(s()), spawner),
            measures_by_org_unit: loader(ChildrenOf::new(s()), spawner),
            projects_by_measure: loader(ChildrenOf::new(s()), spawner),
            projects_by_org_unit: loader(ChildrenOf::new(s()), spawner),
            projects_by_application: loader(ChildrenOf::new(s()), spawner),
            sub_projects_by_project: loader(ChildrenOf::new(s()), spawner),
            sub_projects_by_org_unit: loader(ChildrenOf::new(s()), spawner),
            milestones_by_project: loader(ChildrenOf::new(s()), spawner),
            milestones_by_sub_project: loader(ChildrenOf::new(s()), spawner),
            reports_by_measure: loader(ChildrenOf::new(s()), spawner),
            reports_by_project: loader(ChildrenOf::new(s()), spawner),
            reports_by_sub_project: loader(ChildrenOf::new(s()), spawner),
            budget_lines_by_project: loader(ChildrenOf::new(s()), spawner),
            funding_by_project: loader(ChildrenOf::new(s()), spawner),
            links_by_project: loader(ChildrenOf::new(s()), spawner),
            applications_by_meeting: loader(ChildrenOf::new(s()), spawner),
            participants_by_project: loader(ChildrenOf::new(s()), spawner),
            participants_by_sub_project: loader(ChildrenOf::new(s()), spawner),
            risks_by_project: loader(ChildrenOf::new(s()), spawner),
            risks_by_measure: loader(ChildrenOf::new(s()), spawner),
            measures_by_goal: loader(Linked::new(s()), spawner),
            goals_by_measure: loader(Linked::new(s()), spawner),
            categories_by_project: loader(Linked::new(s()), spawner),
            projects_by_category: loader(Linked::new(s()), spawner),
        }
    }
}
