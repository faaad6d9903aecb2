//! Counts and sums for dashboards over the rows the viewer may see: the counts of work from
//! the viewer's tree, money summed by the database, and the conditions of the lists of work
//! that owes a report.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use entity::{budget_line, enums as db, measure, project, status_report, sub_project};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait, Query, SelectStatement},
};

use super::tree::Tree;
use crate::{error::ApiResult, policy::FindVisible, viewer::Viewer};
use status_report::Column as R;

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

/// Every count a dashboard shows: measures and projects, by status and by traffic light, over
/// all, per goal and per org unit. Counted from the viewer's [`Tree`], which holds exactly the
/// rows the viewer may see, with their owners, lights and goal links, and which the
/// dashboards load anyway for their roll-ups: the counts cost no statement of their own (at
/// 400 tenants their `GROUP BY`s cost PostgreSQL more to plan than to run). Counts are looked
/// up, not searched: a dashboard asks for hundreds of them.
#[derive(Clone, Debug, Default)]
pub struct Tallies {
    counts: HashMap<(Work, By, Option<i32>, Counted), i64>,
}

impl Tallies {
    /// The counts of the measures and projects of `tree` owned by the units `within` when
    /// given (a department's subtree). A measure counts for each goal it is derived from, a
    /// project for the goals of its measure: links whose ends the viewer may both see.
    pub fn of_tree(tree: &Tree, within: Option<&HashSet<i32>>) -> Self {
        let inside = |unit: i32| within.is_none_or(|units| units.contains(&unit));
        let mut tallies = Self::default();
        for m in tree.measures.iter().filter(|m| inside(m.org_unit_id)) {
            let goals = tree.goals_of_measure(m.id);
            tallies.add(Work::Measure, m.org_unit_id, goals, (m.status, m.rag));
        }
        for p in tree.projects.iter().filter(|p| inside(p.org_unit_id)) {
            let goals = p.measure_id.map_or(&[][..], |m| tree.goals_of_measure(m));
            tallies.add(Work::Project, p.org_unit_id, goals, (p.status, p.rag));
        }
        tallies
    }

    fn add(&mut self, work: Work, unit: i32, goals: &[i32], (status, rag): (db::Status, db::Rag)) {
        for value in [Counted::Status(status), Counted::Rag(rag)] {
            let keys = [(By::All, None), (By::OrgUnit, Some(unit))]
                .into_iter()
                .chain(goals.iter().map(|&goal| (By::Goal, Some(goal))));
            for (by, key) in keys {
                *self.counts.entry((work, by, key, value)).or_default() += 1;
            }
        }
    }

    /// How many rows of `work` have `value`, under `key` (a goal or org unit) of the split
    /// `by` (`None` for [`By::All`]).
    pub fn count(&self, work: Work, by: By, key: Option<i32>, value: Counted) -> i64 {
        self.counts
            .get(&(work, by, key, value))
            .copied()
            .unwrap_or(0)
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
/// projects or sub-projects. Each measure looks up the latest approved reports of itself and
/// of the work below it (a subject has an approved report since a day exactly when its latest
/// one is from then on), so the cost grows neither with the number of tenants nor with the
/// history.
pub fn measures_without_report(since: NaiveDate) -> Condition {
    let measure = Expr::col((measure::Entity, measure::Column::Id));
    let on_projects = Query::select()
        .expr(Expr::val(1))
        .from(project::Entity)
        .and_where(Expr::col((project::Entity, project::Column::MeasureId)).eq(measure.clone()))
        .to_owned();
    let on_sub_projects = Query::select()
        .expr(Expr::val(1))
        .from(sub_project::Entity)
        .inner_join(
            project::Entity,
            Expr::col((project::Entity, project::Column::Id))
                .equals((sub_project::Entity, sub_project::Column::ProjectId)),
        )
        .and_where(Expr::col((project::Entity, project::Column::MeasureId)).eq(measure.clone()))
        .to_owned();
    Condition::all()
        .add(measure::Column::Status.eq(db::Status::InProgress))
        .add(unreported(since, R::MeasureId, measure, None))
        .add(unreported(
            since,
            R::ProjectId,
            project_id(),
            Some(on_projects),
        ))
        .add(unreported(
            since,
            R::SubProjectId,
            sub_project_id(),
            Some(on_sub_projects),
        ))
}

/// Running projects with no status report since `since`, on themselves or their
/// sub-projects (as [`measures_without_report`]).
pub fn projects_without_report(since: NaiveDate) -> Condition {
    let project = Expr::col((project::Entity, project::Column::Id));
    let on_sub_projects = Query::select()
        .expr(Expr::val(1))
        .from(sub_project::Entity)
        .and_where(
            Expr::col((sub_project::Entity, sub_project::Column::ProjectId)).eq(project.clone()),
        )
        .to_owned();
    Condition::all()
        .add(project::Column::Status.eq(db::Status::InProgress))
        .add(unreported(since, R::ProjectId, project, None))
        .add(unreported(
            since,
            R::SubProjectId,
            sub_project_id(),
            Some(on_sub_projects),
        ))
}

fn project_id() -> Expr {
    Expr::col((project::Entity, project::Column::Id))
}

fn sub_project_id() -> Expr {
    Expr::col((sub_project::Entity, sub_project::Column::Id))
}

/// `NOT EXISTS`: no latest approved report on `subject` = `id` dated `since` or later,
/// joined to `within` (the work below, `SELECT 1 FROM …`; the reports alone when `None`).
fn unreported(
    since: NaiveDate,
    subject: status_report::Column,
    id: Expr,
    within: Option<SelectStatement>,
) -> Expr {
    let on = Expr::col((status_report::Entity, subject))
        .eq(id)
        .and(Expr::col((status_report::Entity, R::Latest)))
        .and(Expr::col((status_report::Entity, R::ReportedOn)).gte(since));
    let reports = match within {
        Some(mut below) => {
            below.inner_join(status_report::Entity, on);
            below
        }
        None => Query::select()
            .expr(Expr::val(1))
            .from(status_report::Entity)
            .and_where(on)
            .to_owned(),
    };
    Expr::exists(reports).not()
}
