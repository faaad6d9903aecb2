//! Counts and sums for dashboards, computed by the database with GROUP BY over the rows the
//! viewer may see: a dashboard never loads the rows it counts.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use entity::{
    budget_line, enums as db, goal, measure, measure_goal, project, status_report, sub_project,
};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, QueryTrait, Select,
    sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType},
};

use super::risk::{self, Cell};
use crate::{error::ApiResult, policy::FindVisible, viewer::Viewer};

/// Which work is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Work {
    Measure,
    Project,
}

/// What the counts are split by, besides the attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum By {
    /// One figure for everything.
    All,
    /// Per strategy goal (through the goals a measure is derived from).
    Goal,
    /// Per owning org unit.
    OrgUnit,
}

/// What is counted: rows in a life-cycle state, or with a traffic light.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Counted {
    Status(db::Status),
    Rag(db::Rag),
}

/// Every count a dashboard shows (measures and projects, by status and by traffic light, over
/// all, per goal and per org unit; open risks by probability and impact), from one statement
/// over the rows the viewer may see and that meet `within` (e.g. a unit subtree). The
/// database groups; the rows counted are never loaded. Counts are looked up, not searched: a
/// dashboard asks for hundreds of them.
#[derive(Clone, Debug, Default)]
pub struct Tallies {
    counts: HashMap<(Work, By, Option<i32>, Counted), i64>,
    /// Open risks by probability and impact.
    risks: HashMap<(i32, i32), i64>,
}

impl Tallies {
    /// The counts over all, per org unit and, with `by_goal`, per goal (which only the
    /// portfolio shows: grouping by goal joins the links and the goals' visibility).
    pub async fn load(
        conn: &DatabaseConnection,
        viewer: &Viewer,
        within: Option<&HashSet<i32>>,
        by_goal: bool,
    ) -> ApiResult<Self> {
        use {measure::Column as M, project::Column as P};
        let measures =
            Columns::<measure::Entity>::of(M::Status, M::Rag, M::Id, M::OrgUnitId, M::Id);
        let projects =
            Columns::<project::Entity>::of(P::Status, P::Rag, P::Id, P::OrgUnitId, P::MeasureId);
        let mut statement = grouped(viewer, within, &measures, Work::Measure, false);
        let mut parts = vec![grouped(viewer, within, &projects, Work::Project, false)];
        if by_goal {
            parts.push(grouped(viewer, within, &measures, Work::Measure, true));
            parts.push(grouped(viewer, within, &projects, Work::Project, true));
        }
        parts.push(risks(viewer, within));
        statement.unions(parts.into_iter().map(|part| (UnionType::All, part)));
        let mut tallies = Self::default();
        for row in conn.query_all(&statement).await? {
            let tag: String = row.try_get("", "w")?;
            let key: i32 = row.try_get("", "k")?;
            let n: i64 = row.try_get("", "n")?;
            if tag == RISKS {
                tallies.risks.insert((key, row.try_get("", "i")?), n);
                continue;
            }
            let work = if tag.starts_with('m') {
                Work::Measure
            } else {
                Work::Project
            };
            let splits: &[By] = if tag.ends_with('g') {
                &[By::Goal]
            } else {
                &[By::All, By::OrgUnit]
            };
            let values = [
                Counted::Status(row.try_get("", "s")?),
                Counted::Rag(row.try_get("", "r")?),
            ];
            for &by in splits {
                let key = (by != By::All).then_some(key);
                for value in values {
                    *tallies.counts.entry((work, by, key, value)).or_default() += n;
                }
            }
        }
        Ok(tallies)
    }

    /// How many rows of `work` have `value`, under `key` (a goal or org unit) of the split
    /// `by` (`None` for [`By::All`]).
    pub fn count(&self, work: Work, by: By, key: Option<i32>, value: Counted) -> i64 {
        self.counts
            .get(&(work, by, key, value))
            .copied()
            .unwrap_or(0)
    }

    /// The open risks in every cell of the risk matrix.
    pub fn risk_matrix(&self) -> Vec<Cell> {
        risk::cells(&self.risks)
    }

    /// The goals or org units with counts of any work, ascending.
    pub fn keys(&self, by: By) -> Vec<i32> {
        let mut keys: Vec<i32> = self
            .counts
            .keys()
            .filter(|(_, split, ..)| *split == by)
            .filter_map(|(_, _, key, _)| *key)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

/// The columns a count of work reads.
struct Columns<E: EntityTrait> {
    status: E::Column,
    rag: E::Column,
    id: E::Column,
    owner: E::Column,
    /// The column holding the measure the work belongs to (a measure's own id).
    measure: E::Column,
}

impl<E: EntityTrait> Columns<E> {
    fn of(
        status: E::Column,
        rag: E::Column,
        id: E::Column,
        owner: E::Column,
        measure: E::Column,
    ) -> Self {
        Self {
            status,
            rag,
            id,
            owner,
            measure,
        }
    }
}

/// The tag of the risks' part of the union.
const RISKS: &str = "x";

/// `SELECT 'x' AS w, probability AS k, NULL AS s, NULL AS r, COUNT(id) AS n, impact AS i` over
/// the open risks the viewer may see: the risk matrix, in the columns of the work's counts.
fn risks(viewer: &Viewer, within: Option<&HashSet<i32>>) -> SelectStatement {
    use entity::risk::Column as C;
    let mut q = risk::open_risks(viewer, within).into_query();
    q.expr_as(Expr::val(RISKS), Alias::new("w"))
        .expr_as(
            Expr::col((entity::risk::Entity, C::Probability)),
            Alias::new("k"),
        )
        .expr_as(Expr::val(None::<String>), Alias::new("s"))
        .expr_as(Expr::val(None::<String>), Alias::new("r"))
        .expr_as(
            Expr::col((entity::risk::Entity, C::Id)).count(),
            Alias::new("n"),
        )
        .expr_as(
            Expr::col((entity::risk::Entity, C::Impact)),
            Alias::new("i"),
        )
        .add_group_by([
            Expr::col((entity::risk::Entity, C::Probability)),
            Expr::col((entity::risk::Entity, C::Impact)),
        ]);
    q
}

/// `SELECT tag AS w, key AS k, status AS s, rag AS r, COUNT(id) AS n, NULL AS i` over the
/// visible rows, grouped by owner or, `by_goal`, by the goals of the work's measure. The
/// columns come in the same order in every part of the union (`i`: the risks' impact).
fn grouped<E: FindVisible + Default>(
    viewer: &Viewer,
    within: Option<&HashSet<i32>>,
    columns: &Columns<E>,
    work: Work,
    by_goal: bool,
) -> SelectStatement {
    let entity = E::default();
    let tag = match (work, by_goal) {
        (Work::Measure, false) => "m",
        (Work::Measure, true) => "mg",
        (Work::Project, false) => "p",
        (Work::Project, true) => "pg",
    };
    let mut q = scoped::<E>(viewer, columns.owner, within).into_query();
    q.expr_as(Expr::val(tag), Alias::new("w"));
    let key = if by_goal {
        q.inner_join(
            measure_goal::Entity,
            Expr::col((measure_goal::Entity, measure_goal::Column::MeasureId))
                .equals((entity, columns.measure)),
        );
        link_to_goals(&mut q, viewer);
        Expr::col((measure_goal::Entity, measure_goal::Column::GoalId))
    } else {
        Expr::col((entity, columns.owner))
    };
    q.expr_as(key.clone(), Alias::new("k"))
        .expr_as(Expr::col((entity, columns.status)), Alias::new("s"))
        .expr_as(Expr::col((entity, columns.rag)), Alias::new("r"))
        .expr_as(Expr::col((entity, columns.id)).count(), Alias::new("n"))
        .expr_as(Expr::val(None::<i32>), Alias::new("i"))
        .add_group_by([
            key,
            Expr::col((entity, columns.status)),
            Expr::col((entity, columns.rag)),
        ]);
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

/// Keeps only links between a visible measure and a visible goal.
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
/// not grow with the number of tenants, and reads only each subject's latest approved report
/// (a subject has an approved report since a day exactly when its latest one is from then
/// on), so its cost does not grow with the history either.
pub fn measures_without_report(tenant: i32, since: NaiveDate) -> Condition {
    use status_report::Column as R;
    let on_measure = Query::select()
        .column(R::MeasureId)
        .from(status_report::Entity)
        .and_where(R::MeasureId.is_not_null())
        .and_where(R::TenantId.eq(tenant))
        .and_where(R::ReportedOn.gte(since))
        .and_where(R::Latest.eq(true))
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
        .and_where(Expr::col((status_report::Entity, R::Latest)).eq(true))
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
        .and_where(Expr::col((status_report::Entity, R::Latest)).eq(true))
        .to_owned();
    Condition::all()
        .add(measure::Column::Status.eq(db::Status::InProgress))
        .add(measure::Column::Id.not_in_subquery(on_measure))
        .add(measure::Column::Id.not_in_subquery(on_project))
        .add(measure::Column::Id.not_in_subquery(on_sub_project))
}

/// Running projects with no status report since `since`, on themselves or their
/// sub-projects (read from the latest reports, as [`measures_without_report`] does).
pub fn projects_without_report(tenant: i32, since: NaiveDate) -> Condition {
    use status_report::Column as R;
    let on_project = Query::select()
        .column(R::ProjectId)
        .from(status_report::Entity)
        .and_where(R::ProjectId.is_not_null())
        .and_where(R::TenantId.eq(tenant))
        .and_where(R::ReportedOn.gte(since))
        .and_where(R::Latest.eq(true))
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
        .and_where(Expr::col((status_report::Entity, R::Latest)).eq(true))
        .to_owned();
    Condition::all()
        .add(project::Column::Status.eq(db::Status::InProgress))
        .add(project::Column::Id.not_in_subquery(on_project))
        .add(project::Column::Id.not_in_subquery(on_sub_project))
}
