//! Counts and sums for dashboards, computed by the database with GROUP BY over the rows the
//! viewer may see: a dashboard never loads the rows it counts.

use std::collections::HashSet;

use chrono::{Days, NaiveDate};
use entity::{
    budget_line, enums as db, goal, measure, measure_goal, project, status_report, sub_project,
};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveEnum, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QuerySelect, QueryTrait, Select,
    sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement},
};

use crate::{error::ApiResult, policy::FindVisible, viewer::Viewer};

/// Which work is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    Measure,
    Project,
}

/// What the counts are split by, besides the attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// One figure for everything.
    All,
    /// Per strategy goal (through the goals a measure is derived from).
    Goal,
    /// Per owning org unit.
    OrgUnit,
}

/// Which attribute is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attr {
    Status,
    Rag,
}

/// One group: the key it is split by (goal or org unit), the attribute's stored value, and
/// how many rows have it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    pub key: Option<i32>,
    pub value: String,
    pub count: i64,
}

/// Counts of `work` by `attr`, split `by`, over the rows the viewer may see and that meet
/// `within` (e.g. a unit subtree).
pub async fn count(
    conn: &DatabaseConnection,
    viewer: &Viewer,
    work: Work,
    by: By,
    attr: Attr,
    within: Option<&HashSet<i32>>,
) -> ApiResult<Vec<Tally>> {
    use {measure::Column as M, project::Column as P};
    let statement = match (work, attr) {
        (Work::Measure, Attr::Status) => statement(
            viewer,
            by,
            within,
            Columns::<measure::Entity>::of(M::Status, M::Id, M::OrgUnitId, M::Id),
        ),
        (Work::Measure, Attr::Rag) => statement(
            viewer,
            by,
            within,
            Columns::<measure::Entity>::of(M::Rag, M::Id, M::OrgUnitId, M::Id),
        ),
        (Work::Project, Attr::Status) => statement(
            viewer,
            by,
            within,
            Columns::<project::Entity>::of(P::Status, P::Id, P::OrgUnitId, P::MeasureId),
        ),
        (Work::Project, Attr::Rag) => statement(
            viewer,
            by,
            within,
            Columns::<project::Entity>::of(P::Rag, P::Id, P::OrgUnitId, P::MeasureId),
        ),
    };
    let rows = conn.query_all(&statement).await?;
    let mut tallies = Vec::with_capacity(rows.len());
    for row in rows {
        tallies.push(Tally {
            key: if by == By::All {
                None
            } else {
                Some(row.try_get::<i32>("", "k")?)
            },
            value: row.try_get::<String>("", "v")?,
            count: row.try_get::<i64>("", "n")?,
        });
    }
    Ok(tallies)
}

/// The columns a count of work reads.
struct Columns<E: EntityTrait> {
    /// The attribute counted.
    value: E::Column,
    id: E::Column,
    owner: E::Column,
    /// The column holding the measure the work belongs to (a measure's own id).
    measure: E::Column,
}

impl<E: EntityTrait> Columns<E> {
    fn of(value: E::Column, id: E::Column, owner: E::Column, measure: E::Column) -> Self {
        Self {
            value,
            id,
            owner,
            measure,
        }
    }
}

/// `SELECT [key AS k,] value AS v, COUNT(id) AS n` over the visible rows, grouped.
fn statement<E: FindVisible + Default>(
    viewer: &Viewer,
    by: By,
    within: Option<&HashSet<i32>>,
    columns: Columns<E>,
) -> SelectStatement {
    let entity = E::default();
    let select = scoped::<E>(viewer, columns.owner, within);
    let mut q = grouped(select, entity, columns.value, columns.id);
    match by {
        By::All => {}
        By::Goal => {
            q.inner_join(
                measure_goal::Entity,
                Expr::col((measure_goal::Entity, measure_goal::Column::MeasureId))
                    .equals((entity, columns.measure)),
            );
            link_to_goals(&mut q, viewer);
        }
        By::OrgUnit => key(&mut q, entity, columns.owner),
    }
    q
}

/// The policy's select, narrowed to the units `within` when given.
fn scoped<E: FindVisible>(
    viewer: &Viewer,
    owner: E::Column,
    within: Option<&HashSet<i32>>,
) -> Select<E> {
    let select = E::find_visible_to(viewer).select_only();
    match within {
        Some(units) => select.filter(owner.is_in(sorted(units))),
        None => select,
    }
}

fn sorted(units: &HashSet<i32>) -> Vec<i32> {
    let mut units: Vec<i32> = units.iter().copied().collect();
    units.sort_unstable();
    units
}

/// `SELECT <column> AS v, COUNT(<id>) AS n ... GROUP BY <column>`.
fn grouped<E: EntityTrait>(
    select: Select<E>,
    entity: E,
    column: E::Column,
    id: E::Column,
) -> SelectStatement {
    let mut q = select.into_query();
    q.expr_as(Expr::col((entity, column)), Alias::new("v"))
        .expr_as(Expr::col((entity, id)).count(), Alias::new("n"))
        .group_by_col((entity, column));
    q
}

fn key<E: EntityTrait>(q: &mut SelectStatement, entity: E, column: E::Column) {
    q.expr_as(Expr::col((entity, column)), Alias::new("k"))
        .group_by_col((entity, column));
}

/// Groups by the goal of a joined `measure_goal`, counting only links between a visible
/// measure and a visible goal.
fn link_to_goals(q: &mut SelectStatement, viewer: &Viewer) {
    let goals = goal::Entity::find_visible_to(viewer)
        .select_only()
        .column(goal::Column::Id)
        .into_query();
    let measures = measure::Entity::find_visible_to(viewer)
        .select_only()
        .column(measure::Column::Id)
        .into_query();
    q.and_where(Expr::col((measure_goal::Entity, measure_goal::Column::GoalId)).in_subquery(goals))
        .and_where(
            Expr::col((measure_goal::Entity, measure_goal::Column::MeasureId))
                .in_subquery(measures),
        );
    key(q, measure_goal::Entity, measure_goal::Column::GoalId);
}

/// Planned, approved and spent money of one budget year and source.
#[derive(Clone, Debug, PartialEq)]
pub struct YearMoney {
    pub year: i32,
    pub source: db::FundingSource,
    pub planned: Decimal,
    pub approved: Decimal,
    pub spent: Decimal,
}

/// Year, source and the three sums, as the database returns them.
type MoneyRow = (
    i32,
    db::FundingSource,
    Option<Decimal>,
    Option<Decimal>,
    Option<Decimal>,
);

/// Budget lines summed by year and source, over the lines the viewer may see (restricted to
/// projects of `projects` when given).
pub async fn money_by_year(
    conn: &DatabaseConnection,
    viewer: &Viewer,
    projects: Option<SelectStatement>,
) -> ApiResult<Vec<YearMoney>> {
    use budget_line::Column as C;
    let mut select = budget_line::Entity::find_visible_to(viewer)
        .select_only()
        .column(C::Year)
        .column(C::Source)
        .column_as(C::Planned.sum(), "planned")
        .column_as(C::Approved.sum(), "approved")
        .column_as(C::Spent.sum(), "spent")
        .group_by(C::Year)
        .group_by(C::Source);
    if let Some(projects) = projects {
        select = select.filter(C::ProjectId.in_subquery(projects));
    }
    let rows: Vec<MoneyRow> = select.into_tuple().all(conn).await?;
    let cents = |d: Option<Decimal>| d.unwrap_or_default().round_dp(2);
    Ok(rows
        .into_iter()
        .map(|(year, source, planned, approved, spent)| YearMoney {
            year,
            source,
            planned: cents(planned),
            approved: cents(approved),
            spent: cents(spent),
        })
        .collect())
}

/// The day from which a report counts as current.
pub fn cutoff(today: NaiveDate, cycle_days: u32) -> NaiveDate {
    today - Days::new(u64::from(cycle_days))
}

/// Running measures with no status report since `since`, on themselves or on any of their
/// projects or sub-projects. Every sub-select keeps to the tenant's reports, so its cost does
/// not grow with the number of tenants.
pub fn measures_without_report(tenant: i32, since: NaiveDate) -> Condition {
    use status_report::Column as R;
    let on_measure = Query::select()
        .column(R::MeasureId)
        .from(status_report::Entity)
        .and_where(R::MeasureId.is_not_null())
        .and_where(R::TenantId.eq(tenant))
        .and_where(R::ReportedOn.gte(since))
        .and_where(R::ReviewState.eq(db::ReviewState::Approved))
        .to_owned();
    let on_project = Query::select()
        .column((project::Entity, project::Column::MeasureId))
        .from(project::Entity)
        .inner_join(
            status_report::Entity,
            Expr::col((status_report::Entity, R::ProjectId))
                .equals((project::Entity, project::Column::Id)),
        )
        .and_where(Expr::col((project::Entity, project::Column::MeasureId)).is_not_null())
        .and_where(Expr::col((status_report::Entity, R::TenantId)).eq(tenant))
        .and_where(Expr::col((status_report::Entity, R::ReportedOn)).gte(since))
        .and_where(Expr::col((status_report::Entity, R::ReviewState)).eq(db::ReviewState::Approved))
        .to_owned();
    let on_sub_project = Query::select()
        .column((project::Entity, project::Column::MeasureId))
        .from(sub_project::Entity)
        .inner_join(
            project::Entity,
            Expr::col((project::Entity, project::Column::Id))
                .equals((sub_project::Entity, sub_project::Column::ProjectId)),
        )
        .inner_join(
            status_report::Entity,
            Expr::col((status_report::Entity, R::SubProjectId))
                .equals((sub_project::Entity, sub_project::Column::Id)),
        )
        .and_where(Expr::col((project::Entity, project::Column::MeasureId)).is_not_null())
        .and_where(Expr::col((status_report::Entity, R::TenantId)).eq(tenant))
        .and_where(Expr::col((status_report::Entity, R::ReportedOn)).gte(since))
        .and_where(Expr::col((status_report::Entity, R::ReviewState)).eq(db::ReviewState::Approved))
        .to_owned();
    Condition::all()
        .add(measure::Column::Status.eq(db::Status::InProgress))
        .add(measure::Column::Id.not_in_subquery(on_measure))
        .add(measure::Column::Id.not_in_subquery(on_project))
        .add(measure::Column::Id.not_in_subquery(on_sub_project))
}

/// Running projects with no status report since `since`, on themselves or their
/// sub-projects.
pub fn projects_without_report(tenant: i32, since: NaiveDate) -> Condition {
    use status_report::Column as R;
    let on_project = Query::select()
        .column(R::ProjectId)
        .from(status_report::Entity)
        .and_where(R::ProjectId.is_not_null())
        .and_where(R::TenantId.eq(tenant))
        .and_where(R::ReportedOn.gte(since))
        .and_where(R::ReviewState.eq(db::ReviewState::Approved))
        .to_owned();
    let on_sub_project = Query::select()
        .column((sub_project::Entity, sub_project::Column::ProjectId))
        .from(sub_project::Entity)
        .inner_join(
            status_report::Entity,
            Expr::col((status_report::Entity, R::SubProjectId))
                .equals((sub_project::Entity, sub_project::Column::Id)),
        )
        .and_where(Expr::col((status_report::Entity, R::TenantId)).eq(tenant))
        .and_where(Expr::col((status_report::Entity, R::ReportedOn)).gte(since))
        .and_where(Expr::col((status_report::Entity, R::ReviewState)).eq(db::ReviewState::Approved))
        .to_owned();
    Condition::all()
        .add(project::Column::Status.eq(db::Status::InProgress))
        .add(project::Column::Id.not_in_subquery(on_project))
        .add(project::Column::Id.not_in_subquery(on_sub_project))
}

/// Decodes a stored enum value of a tally.
pub fn decode<T: ActiveEnum<Value = String>>(value: &str) -> Option<T> {
    T::try_from_value(&value.to_owned()).ok()
}
