//! The rows of a viewer's [`Tree`](super::tree::Tree), and the latest status reports on given
//! days, in one statement.
//!
//! Strategies, goals, measures, the links between measures and goals, projects and
//! sub-projects are six selects, each under its own visibility rule, and the latest reports
//! one per kind of row and day ([`log::latest_of`]). Run apart they were up to a dozen round
//! trips, parses and plans on every request that rolls anything up (dashboards, the council
//! report, pages with progress); here they are one `UNION ALL`. Every part fills the
//! same columns (`Slot`), with typed NULLs where it has nothing: PostgreSQL resolves the type
//! of a union's column pairwise, and an untyped NULL met twice first would become text. A
//! union keeps no order: the measures are numbered in their order (`ROW_NUMBER()`), since the
//! database's collation, not Rust's, sorts the measure numbers; every other part is sorted by
//! its keys once read (a sort and a window per part were a third of the statement's time).

use chrono::NaiveDate;
use entity::{
    enums::{Rag, Status, StrategyStatus},
    goal, measure, measure_goal, project, status_report, strategy, sub_project,
};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryResult,
    QuerySelect, QueryTrait,
    sea_query::{Alias, Expr, Func, Order, SelectStatement, UnionType, WindowStatement},
};

use super::{
    log::{self, Entry, ReportLog, SUBJECTS},
    rollup::Reported,
    tree::{GoalNode, MeasureNode, StrategyNode, SubProjectNode},
};
use crate::{error::ApiResult, policy::FindVisible, viewer::Viewer};

/// The columns every part of the union fills, in this order.
#[derive(Clone, Copy)]
enum Slot {
    /// Which part the row comes from (`Part::tag`).
    Part,
    Id,
    /// The first parent: strategy of a goal, goal of a link, measure of a project, project of
    /// a sub-project.
    Parent,
    /// A second key: the parent goal of a goal, the owning unit of a measure or project.
    Other,
    Status,
    /// The traffic light of a measure or project.
    Rag,
    Code,
    Title,
    Position,
    Weight,
    Day,
    /// The row's place in its part's order.
    Rank,
}

/// The first tag of the report parts: the part of day `d` and kind `k` (in `SUBJECTS`) is
/// `REPORTS + d * 3 + k`.
const REPORTS: i32 = 100;

const SLOTS: [Slot; 12] = [
    Slot::Part,
    Slot::Id,
    Slot::Parent,
    Slot::Other,
    Slot::Status,
    Slot::Rag,
    Slot::Code,
    Slot::Title,
    Slot::Position,
    Slot::Weight,
    Slot::Day,
    Slot::Rank,
];

impl Slot {
    fn name(self) -> &'static str {
        match self {
            Self::Part => "part",
            Self::Id => "id",
            Self::Parent => "parent",
            Self::Other => "other",
            Self::Status => "status",
            Self::Rag => "rag",
            Self::Code => "code",
            Self::Title => "title",
            Self::Position => "position",
            Self::Weight => "weight",
            Self::Day => "day",
            Self::Rank => "rank",
        }
    }

    /// The NULL of the slot's type, for a part without a value for it.
    fn empty(self) -> Expr {
        match self {
            Self::Part | Self::Id | Self::Parent | Self::Other | Self::Position | Self::Rank => {
                Expr::val(None::<i32>)
            }
            Self::Status | Self::Rag | Self::Code | Self::Title => Expr::val(None::<String>),
            Self::Weight => Expr::val(None::<Decimal>),
            Self::Day => Expr::val(None::<NaiveDate>),
        }
    }
}

/// One part of the union: a kind of row.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Strategy,
    Goal,
    Measure,
    Link,
    Project,
    SubProject,
}

impl Part {
    const ALL: [Part; 6] = [
        Part::Strategy,
        Part::Goal,
        Part::Measure,
        Part::Link,
        Part::Project,
        Part::SubProject,
    ];

    fn tag(self) -> i32 {
        self as i32
    }
}

/// A project as the tree loads it, before its budget is known.
pub(super) struct ProjectRow {
    pub id: i32,
    pub measure_id: Option<i32>,
    pub org_unit_id: i32,
    pub status: Status,
    pub rag: Rag,
    pub code: Option<String>,
    pub title: String,
    pub weight: Decimal,
}

/// What the viewer may see of its tenant's portfolio, each kind in its order.
#[derive(Default)]
pub(super) struct Rows {
    pub strategies: Vec<StrategyNode>,
    pub goals: Vec<GoalNode>,
    pub measures: Vec<MeasureNode>,
    /// `(measure, goal)`.
    pub links: Vec<(i32, i32)>,
    pub projects: Vec<ProjectRow>,
    pub sub_projects: Vec<SubProjectNode>,
}

/// Loads the rows, and the latest report of every row on each of `days` as `reports` says,
/// in one statement. Should a report flagged latest be dated after its day (a report from
/// the future can only come with imported data), the statement runs again with every day
/// ranked.
pub(super) async fn load(
    db: &DatabaseConnection,
    viewer: &Viewer,
    days: &[NaiveDate],
    reports: Reports,
) -> ApiResult<(Rows, ReportLog)> {
    match load_as(db, viewer, days, reports).await? {
        Some(loaded) => Ok(loaded),
        None => Ok(load_as(db, viewer, days, Reports::Ranked)
            .await?
            .unwrap_or_default()),
    }
}

/// How the latest reports of a day are found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reports {
    /// For days from today on, the reports flagged latest
    /// ([`crate::status_report::latest`]), without their summaries: read from one index
    /// instead of ranking the tenant's history. Ranked for earlier days. What roll-ups,
    /// counts and warnings read: the rows come without their codes and titles too, which
    /// only the council report prints (a tree is some 1,500 rows at the synthetic scale).
    Flagged,
    /// Ranked from the history for every day, with their summaries.
    Ranked,
}

/// [`load`] with the reports found as `reports` says; `None` when a flagged report turned
/// out to be dated after its day.
async fn load_as(
    db: &DatabaseConnection,
    viewer: &Viewer,
    days: &[NaiveDate],
    reports: Reports,
) -> ApiResult<Option<(Rows, ReportLog)>> {
    let today = crate::clock::today();
    let named = reports == Reports::Ranked;
    let mut parts: Vec<(UnionType, SelectStatement)> = Part::ALL
        .iter()
        .map(|part| (UnionType::All, part.select(viewer, named)))
        .collect();
    for (d, &day) in days.iter().enumerate() {
        let first = REPORTS + (d * SUBJECTS.len()) as i32;
        if reports == Reports::Flagged && day >= today {
            parts.push((UnionType::All, flagged_slotted(first, viewer.tenant_id)));
            continue;
        }
        for (k, &(_, column)) in SUBJECTS.iter().enumerate() {
            let latest = log::latest_of(viewer.tenant_id, day, column);
            parts.push((UnionType::All, reports_slotted(first + k as i32, latest)));
        }
    }
    let (_, mut statement) = parts.remove(0);
    statement.unions(parts);
    let mut ranked: Vec<(i32, i64, QueryResult)> = Vec::new();
    for row in db.query_all(&statement).await? {
        let part: i32 = entity::decode::column(&row, Slot::Part as usize)?;
        let rank: i64 = entity::decode::column(&row, Slot::Rank as usize)?;
        ranked.push((part, rank, row));
    }
    ranked.sort_by_key(|(part, rank, _)| (*part, *rank));
    let mut rows = Rows::default();
    let mut found = ReportLog::default();
    for (tag, _, row) in &ranked {
        let row = Read(row);
        if *tag >= REPORTS {
            let at = (*tag - REPORTS) as usize;
            // A flagged part names the kind of each row; a ranked part is of one kind.
            let k = match row.opt::<i32>(Slot::Other)? {
                Some(k) => k as usize,
                None => at % SUBJECTS.len(),
            };
            let reported = Reported {
                progress: row.get(Slot::Position)?,
                rag: row.get(Slot::Status)?,
                on: row.get(Slot::Day)?,
            };
            if reported.on > days[at / SUBJECTS.len()] {
                return Ok(None);
            }
            found.add(
                SUBJECTS[k].0,
                row.get(Slot::Parent)?,
                Entry {
                    id: row.get(Slot::Id)?,
                    reported,
                    summary: row.opt(Slot::Title)?,
                },
            );
        } else if let Some(part) = Part::ALL.into_iter().find(|p| p.tag() == *tag) {
            rows.add(part, &row)?;
        }
    }
    rows.sort();
    Ok(Some((rows, found)))
}

/// The reports flagged latest of the tenant in the slots of [`reports_slotted`], with the
/// kind of their subject (its place in `SUBJECTS`) in `other` and without their summaries:
/// every column it reads is in the partial index `idx_status_report_latest`, so PostgreSQL
/// answers it from the index alone.
fn flagged_slotted(tag: i32, tenant: i32) -> SelectStatement {
    use status_report::Column as C;
    let kind = Expr::case(C::MeasureId.is_not_null(), 0)
        .case(C::ProjectId.is_not_null(), 1)
        .finally(2);
    let subject = Func::coalesce([
        Expr::col(C::MeasureId),
        Expr::col(C::ProjectId),
        Expr::col(C::SubProjectId),
    ]);
    let mut q = SelectStatement::new();
    for slot in SLOTS {
        let expr = match slot {
            Slot::Part => Expr::val(tag),
            Slot::Id => Expr::col(C::Id),
            Slot::Parent => subject.clone().into(),
            Slot::Other => kind.clone().into(),
            Slot::Status => Expr::col(C::Rag),
            Slot::Position => Expr::col(C::Progress),
            Slot::Day => Expr::col(C::ReportedOn),
            Slot::Rank => Expr::val(0_i64),
            _ => slot.empty(),
        };
        q.expr_as(expr, Alias::new(slot.name()));
    }
    // The flag as the index's own predicate (not `= $1`), so that a plan made for any
    // parameters can use the partial index.
    q.from(status_report::Entity)
        .and_where(C::TenantId.eq(tenant))
        .and_where(Expr::col(C::Latest));
    q
}

/// The latest reports of one day and kind (`latest`: id, subject, progress, rag, reported_on,
/// summary) in the slots: the subject as the parent, the light as the status, the progress as
/// the position, the summary as the title, the day reported as the day.
fn reports_slotted(tag: i32, latest: SelectStatement) -> SelectStatement {
    let column = |name: &str| Expr::col(Alias::new(name));
    let mut q = SelectStatement::new();
    for slot in SLOTS {
        let expr = match slot {
            Slot::Part => Expr::val(tag),
            Slot::Id => column("id"),
            Slot::Parent => column("subject"),
            Slot::Status => column("rag"),
            Slot::Title => column("summary"),
            Slot::Position => column("progress"),
            Slot::Day => column("reported_on"),
            Slot::Rank => Expr::val(0_i64),
            _ => slot.empty(),
        };
        q.expr_as(expr, Alias::new(slot.name()));
    }
    q.from_subquery(latest, Alias::new("latest"));
    q
}

/// A row of the union, read by slot: by position (the slots are selected in `SLOTS` order),
/// not by name, and a NULL seen before it is read. A tree is thousands of rows of a dozen
/// columns, most of them typed NULLs.
struct Read<'a>(&'a QueryResult);

impl Read<'_> {
    fn get<T: sea_orm::TryGetable>(&self, slot: Slot) -> ApiResult<T> {
        Ok(entity::decode::column(self.0, slot as usize)?)
    }

    fn opt<T: sea_orm::TryGetable>(&self, slot: Slot) -> ApiResult<Option<T>> {
        Ok(entity::decode::nullable(self.0, slot as usize)?)
    }

    /// A code or title: empty in a tree loaded without them ([`Reports::Flagged`]).
    fn named(&self, slot: Slot) -> ApiResult<String> {
        Ok(self.opt(slot)?.unwrap_or_default())
    }
}

impl Rows {
    /// Puts every kind but the measures (which come numbered) in its order.
    fn sort(&mut self) {
        self.strategies.sort_unstable_by_key(|s| s.id);
        self.goals
            .sort_unstable_by_key(|g| (g.strategy_id, g.position, g.id));
        self.links.sort_unstable();
        self.projects.sort_unstable_by_key(|p| p.id);
        self.sub_projects.sort_unstable_by_key(|s| s.id);
    }

    fn add(&mut self, part: Part, row: &Read<'_>) -> ApiResult<()> {
        use Slot as S;
        match part {
            Part::Strategy => self.strategies.push(StrategyNode {
                id: row.get(S::Id)?,
                title: row.named(S::Title)?,
                status: row.get::<StrategyStatus>(S::Status)?,
            }),
            Part::Goal => self.goals.push(GoalNode {
                id: row.get(S::Id)?,
                strategy_id: row.get(S::Parent)?,
                parent_id: row.opt(S::Other)?,
                code: row.named(S::Code)?,
                title: row.named(S::Title)?,
                position: row.get(S::Position)?,
                weight: weight_of(row.get(S::Weight)?),
            }),
            Part::Measure => self.measures.push(MeasureNode {
                id: row.get(S::Id)?,
                status: row.get(S::Status)?,
                number: row.named(S::Code)?,
                title: row.named(S::Title)?,
                org_unit_id: row.get(S::Other)?,
                completed_on: row.opt(S::Day)?,
                rag: row.get(S::Rag)?,
                weight: weight_of(row.get(S::Weight)?),
            }),
            Part::Link => self.links.push((row.get(S::Id)?, row.get(S::Parent)?)),
            Part::Project => self.projects.push(ProjectRow {
                id: row.get(S::Id)?,
                measure_id: row.opt(S::Parent)?,
                org_unit_id: row.get(S::Other)?,
                status: row.get(S::Status)?,
                rag: row.get(S::Rag)?,
                code: row.opt(S::Code)?,
                title: row.named(S::Title)?,
                weight: weight_of(row.get(S::Weight)?),
            }),
            Part::SubProject => self.sub_projects.push(SubProjectNode {
                id: row.get(S::Id)?,
                project_id: row.get(S::Parent)?,
                status: row.get(S::Status)?,
                code: row.opt(S::Code)?,
                title: row.named(S::Title)?,
                weight: weight_of(row.get(S::Weight)?),
            }),
        }
        Ok(())
    }
}

/// A stored weight to the cent (SQLite keeps decimals as floating point).
fn weight_of(stored: Decimal) -> Decimal {
    stored.round_dp(2)
}

impl Part {
    /// The part's select: its visible rows, its columns in their slots (codes and titles only
    /// when `named`), the measures numbered in their order.
    fn select(self, viewer: &Viewer, named: bool) -> SelectStatement {
        use {
            goal::Column as G, measure::Column as M, measure_goal::Column as L,
            project::Column as P, strategy::Column as St, sub_project::Column as Sp,
        };
        match self {
            Self::Strategy => slotted(
                self,
                strategy::Entity::find_visible_to(viewer),
                &[
                    (Slot::Id, St::Id),
                    (Slot::Status, St::Status),
                    (Slot::Title, St::Title),
                ],
                &[],
                named,
            ),
            Self::Goal => slotted(
                self,
                goal::Entity::find_visible_to(viewer),
                &[
                    (Slot::Id, G::Id),
                    (Slot::Parent, G::StrategyId),
                    (Slot::Other, G::ParentId),
                    (Slot::Code, G::Code),
                    (Slot::Title, G::Title),
                    (Slot::Position, G::Position),
                    (Slot::Weight, G::Weight),
                ],
                &[],
                named,
            ),
            Self::Measure => slotted(
                self,
                measure::Entity::find_visible_to(viewer),
                &[
                    (Slot::Id, M::Id),
                    (Slot::Other, M::OrgUnitId),
                    (Slot::Status, M::Status),
                    (Slot::Rag, M::Rag),
                    (Slot::Code, M::Number),
                    (Slot::Title, M::Title),
                    (Slot::Weight, M::Weight),
                    (Slot::Day, M::CompletedOn),
                ],
                &[M::Number, M::Id],
                named,
            ),
            // Links are visible when both ends are; `Tree::new` drops links to hidden rows.
            Self::Link => slotted(
                self,
                measure_goal::Entity::find().filter(L::TenantId.eq(viewer.tenant_id)),
                &[(Slot::Id, L::MeasureId), (Slot::Parent, L::GoalId)],
                &[],
                named,
            ),
            Self::Project => slotted(
                self,
                project::Entity::find_visible_to(viewer),
                &[
                    (Slot::Id, P::Id),
                    (Slot::Parent, P::MeasureId),
                    (Slot::Other, P::OrgUnitId),
                    (Slot::Status, P::Status),
                    (Slot::Rag, P::Rag),
                    (Slot::Code, P::Code),
                    (Slot::Title, P::Title),
                    (Slot::Weight, P::Weight),
                ],
                &[],
                named,
            ),
            Self::SubProject => slotted(
                self,
                sub_project::Entity::find_visible_to(viewer),
                &[
                    (Slot::Id, Sp::Id),
                    (Slot::Parent, Sp::ProjectId),
                    (Slot::Status, Sp::Status),
                    (Slot::Code, Sp::Code),
                    (Slot::Title, Sp::Title),
                    (Slot::Weight, Sp::Weight),
                ],
                &[],
                named,
            ),
        }
    }
}

/// `select` with only the slots' columns, `filled` where the part has a value and typed NULLs
/// elsewhere (in the code and title slots too unless `named`), and its rank in the `order`
/// given (0 without one: [`Rows::sort`] orders the part).
fn slotted<E: EntityTrait>(
    part: Part,
    select: sea_orm::Select<E>,
    filled: &[(Slot, E::Column)],
    order: &[E::Column],
    named: bool,
) -> SelectStatement {
    let entity = E::default();
    let mut ranking = WindowStatement::new();
    for &column in order {
        ranking.order_by((entity, column), Order::Asc);
    }
    let mut q = select.select_only().into_query();
    for slot in SLOTS {
        let name = Alias::new(slot.name());
        match slot {
            Slot::Part => q.expr_as(Expr::val(part.tag()), name),
            Slot::Rank if order.is_empty() => q.expr_as(Expr::val(0_i64), name),
            Slot::Rank => q.expr_window_as(Func::cust("ROW_NUMBER"), ranking.clone(), name),
            Slot::Code | Slot::Title if !named => q.expr_as(slot.empty(), name),
            _ => match filled.iter().find(|(s, _)| s.name() == slot.name()) {
                Some(&(_, column)) => q.expr_as(Expr::col((entity, column)), name),
                None => q.expr_as(slot.empty(), name),
            },
        };
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_is_read_at_its_place_in_the_select() {
        for (place, slot) in SLOTS.into_iter().enumerate() {
            assert_eq!(slot as usize, place, "{}", slot.name());
        }
    }
}
