//! Every row of one synthetic tenant, written with multi-row `INSERT`s: one statement per
//! table and chunk, never one per row.

use entity::{
    application, budget_line, goal, measure, measure_goal, milestone, org_unit, project,
    status_report, strategy, sub_project, tenant,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};

/// Rows per `INSERT`: well below the bind-parameter limits of SQLite (32,766) and
/// PostgreSQL (65,535) for tables of up to 30 columns.
const CHUNK: usize = 1000;

/// Every row of one synthetic tenant.
#[derive(Default)]
pub(super) struct Rows {
    pub(super) tenant: Vec<tenant::Model>,
    pub(super) org_units: Vec<org_unit::Model>,
    pub(super) strategies: Vec<strategy::Model>,
    pub(super) goals: Vec<goal::Model>,
    pub(super) measures: Vec<measure::Model>,
    pub(super) links: Vec<measure_goal::Model>,
    pub(super) projects: Vec<project::Model>,
    pub(super) sub_projects: Vec<sub_project::Model>,
    pub(super) milestones: Vec<milestone::Model>,
    pub(super) reports: Vec<status_report::Model>,
    pub(super) budget: Vec<budget_line::Model>,
    pub(super) applications: Vec<application::Model>,
}

impl Rows {
    /// The id of the tenant the rows belong to.
    pub(super) fn tenant_id(&self) -> i32 {
        self.tenant.first().map_or(0, |t| t.id)
    }

    /// Writes every row, parents before children; returns how many.
    pub(super) async fn insert(self, db: &impl ConnectionTrait) -> anyhow::Result<usize> {
        let mut rows = 0;
        rows += many(db, self.tenant).await?;
        rows += many(db, self.org_units).await?;
        rows += many(db, self.strategies).await?;
        rows += many(db, self.goals).await?;
        rows += many(db, self.measures).await?;
        rows += many(db, self.links).await?;
        rows += many(db, self.applications).await?;
        rows += many(db, self.projects).await?;
        rows += many(db, self.budget).await?;
        rows += many(db, self.sub_projects).await?;
        rows += many(db, self.milestones).await?;
        rows += many(db, self.reports).await?;
        Ok(rows)
    }
}

/// Inserts `models` in chunks of [`CHUNK`] rows per statement.
async fn many<M, A>(db: &impl ConnectionTrait, models: Vec<M>) -> anyhow::Result<usize>
where
    M: IntoActiveModel<A>,
    A: ActiveModelTrait + Send,
{
    let count = models.len();
    let mut models = models.into_iter().peekable();
    while models.peek().is_some() {
        let chunk: Vec<A> = models
            .by_ref()
            .take(CHUNK)
            .map(IntoActiveModel::into_active_model)
            .collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(count)
}
