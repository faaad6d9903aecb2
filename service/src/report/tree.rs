//! The part of the portfolio a viewer sees, as the shape roll-ups and reports walk: goals,
//! measures, projects and sub-projects with the columns reports need, and the status reports
//! that say where each stood.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{
    enums::{Rag, ReviewState, Status, StrategyStatus},
    goal, measure, measure_goal, project, status_report, strategy, sub_project,
};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use super::planned;
use super::{
    rollup::{Kind, Reported},
    weighting::{Budget, Weighting},
};
use crate::{
    error::ApiResult,
    policy::{FindVisible, rows::counted_reports},
    viewer::Viewer,
};

#[derive(Clone, Debug)]
pub struct StrategyNode {
    pub id: i32,
    pub title: String,
    pub status: StrategyStatus,
}

#[derive(Clone, Debug)]
pub struct GoalNode {
    pub id: i32,
    pub strategy_id: i32,
    pub parent_id: Option<i32>,
    pub code: String,
    pub title: String,
    pub position: i32,
    /// Weight in the parent goal's or the strategy's roll-up.
    pub weight: Decimal,
}

#[derive(Clone, Debug)]
pub struct MeasureNode {
    pub id: i32,
    pub status: Status,
    pub number: String,
    pub title: String,
    pub org_unit_id: i32,
    pub completed_on: Option<NaiveDate>,
    /// Weight in the roll-up of each of its goals.
    pub weight: Decimal,
}

#[derive(Clone, Debug)]
pub struct ProjectNode {
    pub id: i32,
    pub measure_id: Option<i32>,
    pub status: Status,
    pub code: Option<String>,
    pub title: String,
    /// Weight in the measure's roll-up.
    pub weight: Decimal,
    /// Planned budget as the viewer may know it; known to be none unless the tenant weighs
    /// by budget (only then is it loaded).
    pub budget: Budget,
}

#[derive(Clone, Debug)]
pub struct SubProjectNode {
    pub id: i32,
    pub project_id: i32,
    pub status: Status,
    pub code: Option<String>,
    pub title: String,
    /// Weight in the project's roll-up.
    pub weight: Decimal,
}

/// The visible portfolio of one viewer, with the links between its rows.
#[derive(Default)]
pub struct Tree {
    pub strategies: Vec<StrategyNode>,
    pub goals: Vec<GoalNode>,
    pub measures: Vec<MeasureNode>,
    pub projects: Vec<ProjectNode>,
    pub sub_projects: Vec<SubProjectNode>,
    /// How parents weigh their children: the tenant's setting (equal for a new tree).
    pub weighting: Weighting,
    index: Index,
}

#[derive(Default)]
struct Index {
    sub_projects_of: HashMap<i32, Vec<usize>>,
    projects_of: HashMap<i32, Vec<usize>>,
    measures_of_goal: HashMap<i32, Vec<usize>>,
    goals_of_measure: HashMap<i32, Vec<i32>>,
    measure_of_project: HashMap<i32, i32>,
    sub_goals: HashMap<i32, Vec<usize>>,
}

impl Tree {
    /// Links the rows; a link to a row that is not in the tree (not visible) is dropped.
    pub fn new(
        strategies: Vec<StrategyNode>,
        goals: Vec<GoalNode>,
        measures: Vec<MeasureNode>,
        measure_goals: &[(i32, i32)],
        projects: Vec<ProjectNode>,
        sub_projects: Vec<SubProjectNode>,
    ) -> Self {
        let mut index = Index::default();
        for (i, s) in sub_projects.iter().enumerate() {
            index
                .sub_projects_of
                .entry(s.project_id)
                .or_default()
                .push(i);
        }
        for (i, p) in projects.iter().enumerate() {
            if let Some(measure) = p.measure_id {
                index.projects_of.entry(measure).or_default().push(i);
                index.measure_of_project.insert(p.id, measure);
            }
        }
        let measure_at: HashMap<i32, usize> = measures
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id, i))
            .collect();
        let goal_ids: std::collections::HashSet<i32> = goals.iter().map(|g| g.id).collect();
        for &(measure, goal) in measure_goals {
            if let (Some(&at), true) = (measure_at.get(&measure), goal_ids.contains(&goal)) {
                index.measures_of_goal.entry(goal).or_default().push(at);
                index
                    .goals_of_measure
                    .entry(measure)
                    .or_default()
                    .push(goal);
            }
        }
        for (i, g) in goals.iter().enumerate() {
            if let Some(parent) = g.parent_id {
                index.sub_goals.entry(parent).or_default().push(i);
            }
        }
        Self {
            strategies,
            goals,
            measures,
            projects,
            sub_projects,
            weighting: Weighting::Equal,
            index,
        }
    }

    /// Loads what `viewer` may see of its tenant.
    pub async fn load(db: &DatabaseConnection, viewer: &Viewer) -> ApiResult<Self> {
        let strategies = strategy::Entity::find_visible_to(viewer)
            .select_only()
            .columns([
                strategy::Column::Id,
                strategy::Column::Title,
                strategy::Column::Status,
            ])
            .order_by_asc(strategy::Column::Id)
            .into_tuple::<(i32, String, StrategyStatus)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, title, status)| StrategyNode { id, title, status })
            .collect();
        let goals = goal::Entity::find_visible_to(viewer)
            .select_only()
            .columns([
                goal::Column::Id,
                goal::Column::StrategyId,
                goal::Column::ParentId,
                goal::Column::Code,
                goal::Column::Title,
                goal::Column::Position,
                goal::Column::Weight,
            ])
            .order_by_asc(goal::Column::StrategyId)
            .order_by_asc(goal::Column::Position)
            .order_by_asc(goal::Column::Id)
            .into_tuple::<(i32, i32, Option<i32>, String, String, i32, Decimal)>()
            .all(db)
            .await?
            .into_iter()
            .map(
                |(id, strategy_id, parent_id, code, title, position, weight)| GoalNode {
                    id,
                    strategy_id,
                    parent_id,
                    code,
                    title,
                    position,
                    weight: weight_of(weight),
                },
            )
            .collect();
        let measures = measure::Entity::find_visible_to(viewer)
            .select_only()
            .columns([
                measure::Column::Id,
                measure::Column::Status,
                measure::Column::Number,
                measure::Column::Title,
                measure::Column::OrgUnitId,
                measure::Column::CompletedOn,
                measure::Column::Weight,
            ])
            .order_by_asc(measure::Column::Number)
            .order_by_asc(measure::Column::Id)
            .into_tuple::<(i32, Status, String, String, i32, Option<NaiveDate>, Decimal)>()
            .all(db)
            .await?
            .into_iter()
            .map(
                |(id, status, number, title, org_unit_id, completed_on, weight)| MeasureNode {
                    id,
                    status,
                    number,
                    title,
                    org_unit_id,
                    completed_on,
                    weight: weight_of(weight),
                },
            )
            .collect();
        // Links are visible when both ends are; `Tree::new` drops links to hidden rows.
        let links = measure_goal::Entity::find()
            .filter(measure_goal::Column::TenantId.eq(viewer.tenant_id))
            .select_only()
            .columns([
                measure_goal::Column::MeasureId,
                measure_goal::Column::GoalId,
            ])
            .into_tuple::<(i32, i32)>()
            .all(db)
            .await?;
        let projects = project::Entity::find_visible_to(viewer)
            .select_only()
            .columns([
                project::Column::Id,
                project::Column::MeasureId,
                project::Column::Status,
                project::Column::Code,
                project::Column::Title,
                project::Column::Weight,
                project::Column::OrgUnitId,
            ])
            .order_by_asc(project::Column::Id)
            .into_tuple::<(
                i32,
                Option<i32>,
                Status,
                Option<String>,
                String,
                Decimal,
                i32,
            )>()
            .all(db)
            .await?;
        let weighting = viewer.settings.rollup_weighting;
        let owners = projects.iter().map(|p| (p.0, p.6));
        let budgets = planned::budgets(db, viewer, weighting, owners).await?;
        let projects = projects
            .into_iter()
            .map(
                |(id, measure_id, status, code, title, weight, _)| ProjectNode {
                    id,
                    measure_id,
                    status,
                    code,
                    title,
                    weight: weight_of(weight),
                    budget: budgets.get(&id).copied().unwrap_or(Budget::NONE),
                },
            )
            .collect();
        let sub_projects = sub_project::Entity::find_visible_to(viewer)
            .select_only()
            .columns([
                sub_project::Column::Id,
                sub_project::Column::ProjectId,
                sub_project::Column::Status,
                sub_project::Column::Code,
                sub_project::Column::Title,
                sub_project::Column::Weight,
            ])
            .order_by_asc(sub_project::Column::Id)
            .into_tuple::<(i32, i32, Status, Option<String>, String, Decimal)>()
            .all(db)
            .await?
            .into_iter()
            .map(
                |(id, project_id, status, code, title, weight)| SubProjectNode {
                    id,
                    project_id,
                    status,
                    code,
                    title,
                    weight: weight_of(weight),
                },
            )
            .collect();
        let mut tree = Self::new(strategies, goals, measures, &links, projects, sub_projects);
        tree.weighting = weighting;
        Ok(tree)
    }

    pub fn sub_projects_of(&self, project: i32) -> impl Iterator<Item = &SubProjectNode> {
        self.at(&self.index.sub_projects_of, project, &self.sub_projects)
    }

    pub fn projects_of(&self, measure: i32) -> impl Iterator<Item = &ProjectNode> {
        self.at(&self.index.projects_of, measure, &self.projects)
    }

    pub fn measures_of_goal(&self, goal: i32) -> impl Iterator<Item = &MeasureNode> {
        self.at(&self.index.measures_of_goal, goal, &self.measures)
    }

    /// The projects of a measure that count in its roll-up (not cancelled).
    pub fn counted_projects_of(&self, measure: i32) -> impl Iterator<Item = &ProjectNode> {
        self.projects_of(measure)
            .filter(|p| p.status != Status::Cancelled)
    }

    /// The measures of a goal that count in its roll-up (not cancelled).
    pub fn counted_measures_of_goal(&self, goal: i32) -> impl Iterator<Item = &MeasureNode> {
        self.measures_of_goal(goal)
            .filter(|m| m.status != Status::Cancelled)
    }

    pub fn sub_goals(&self, goal: i32) -> impl Iterator<Item = &GoalNode> {
        self.at(&self.index.sub_goals, goal, &self.goals)
    }

    /// The goals a measure is derived from.
    pub fn goals_of_measure(&self, measure: i32) -> &[i32] {
        self.index
            .goals_of_measure
            .get(&measure)
            .map_or(&[], Vec::as_slice)
    }

    /// The goals a project's measure is derived from.
    pub fn goals_of_project(&self, project: i32) -> &[i32] {
        self.index
            .measure_of_project
            .get(&project)
            .map_or(&[], |&measure| self.goals_of_measure(measure))
    }

    /// Goals ordered so that every sub-goal comes before its parent.
    pub fn goals_bottom_up(&self) -> Vec<&GoalNode> {
        let parents: HashMap<i32, Option<i32>> =
            self.goals.iter().map(|g| (g.id, g.parent_id)).collect();
        let depth = |goal: &GoalNode| {
            let mut depth = 0;
            let mut at = goal.parent_id;
            // Bounded: a cycle in bad data must not hang the request.
            while let Some(parent) = at {
                depth += 1;
                if depth > self.goals.len() {
                    break;
                }
                at = parents.get(&parent).copied().flatten();
            }
            depth
        };
        let mut goals: Vec<(usize, &GoalNode)> = self.goals.iter().map(|g| (depth(g), g)).collect();
        goals.sort_by_key(|(depth, _)| std::cmp::Reverse(*depth));
        goals.into_iter().map(|(_, g)| g).collect()
    }

    fn at<'a, T>(
        &'a self,
        index: &'a HashMap<i32, Vec<usize>>,
        key: i32,
        rows: &'a [T],
    ) -> impl Iterator<Item = &'a T> + 'a {
        index
            .get(&key)
            .into_iter()
            .flatten()
            .map(move |&i| &rows[i])
    }
}

/// A stored weight to the cent (SQLite keeps decimals as floating point).
fn weight_of(stored: Decimal) -> Decimal {
    stored.round_dp(2)
}

/// Where rows stood by their own status reports.
pub trait Reports {
    /// The latest report of the row on or before `as_of`.
    fn latest(&self, kind: Kind, id: i32, as_of: NaiveDate) -> Option<Reported>;
}

/// One status report, as reports and charts need it.
#[derive(Clone, Debug)]
pub struct Entry {
    pub id: i32,
    pub reported: Reported,
    pub summary: Option<String>,
}

/// Status reports by row, oldest first.
#[derive(Default)]
pub struct ReportLog {
    entries: HashMap<(Kind, i32), Vec<Entry>>,
}

impl Reports for ReportLog {
    fn latest(&self, kind: Kind, id: i32, as_of: NaiveDate) -> Option<Reported> {
        self.entry(kind, id, as_of).map(|e| e.reported)
    }
}

impl ReportLog {
    /// The latest report of the row on or before `as_of`, with its summary when loaded.
    pub fn entry(&self, kind: Kind, id: i32, as_of: NaiveDate) -> Option<&Entry> {
        let entries = self.entries.get(&(kind, id))?;
        let end = entries.partition_point(|e| e.reported.on <= as_of);
        end.checked_sub(1).map(|i| &entries[i])
    }

    /// Every report of the row, oldest first.
    pub fn of(&self, kind: Kind, id: i32) -> &[Entry] {
        self.entries.get(&(kind, id)).map_or(&[], Vec::as_slice)
    }

    fn add(&mut self, kind: Kind, id: i32, entry: Entry) {
        let entries = self.entries.entry((kind, id)).or_default();
        if entries.iter().any(|e| e.id == entry.id) {
            return;
        }
        entries.push(entry);
        entries.sort_by_key(|e| (e.reported.on, e.id));
    }

    /// For each day given, the latest report of every row of the tenant on or before it,
    /// with its summary: one statement per kind and day, whatever the number of rows.
    /// Only rows of the viewer's tree are asked about, so hidden rows never count.
    pub async fn latest_on(
        db: &DatabaseConnection,
        viewer: &Viewer,
        days: &[NaiveDate],
    ) -> ApiResult<Self> {
        let mut log = Self::default();
        for &day in days {
            for (kind, column) in SUBJECTS {
                let newer = Alias::new("newer");
                let r = status_report::Entity;
                use status_report::Column as C;
                // No later report of the same row on or before the day. The tenant filter lets
                // the planner stay within the tenant's reports instead of every tenant's.
                let later = Query::select()
                    .expr(Expr::val(1))
                    .from_as(r, newer.clone())
                    .and_where(Expr::col((newer.clone(), C::TenantId)).eq(viewer.tenant_id))
                    .and_where(Expr::col((newer.clone(), column)).equals((r, column)))
                    .and_where(Expr::col((newer.clone(), C::ReportedOn)).lte(day))
                    .and_where(Expr::col((newer.clone(), C::ReviewState)).eq(ReviewState::Approved))
                    .cond_where(
                        Condition::any()
                            .add(
                                Expr::col((newer.clone(), C::ReportedOn))
                                    .gt(Expr::col((r, C::ReportedOn))),
                            )
                            .add(
                                Condition::all()
                                    .add(
                                        Expr::col((newer.clone(), C::ReportedOn))
                                            .eq(Expr::col((r, C::ReportedOn))),
                                    )
                                    .add(
                                        Expr::col((newer.clone(), C::Id)).gt(Expr::col((r, C::Id))),
                                    ),
                            ),
                    )
                    .to_owned();
                let rows = status_report::Entity::find()
                    .select_only()
                    .columns([
                        C::Id,
                        column,
                        C::Progress,
                        C::Rag,
                        C::ReportedOn,
                        C::Summary,
                    ])
                    .filter(C::TenantId.eq(viewer.tenant_id))
                    .filter(column.is_not_null())
                    .filter(C::ReportedOn.lte(day))
                    .filter(counted_reports())
                    .filter(Expr::exists(later).not())
                    .into_tuple::<(i32, i32, i32, Rag, NaiveDate, String)>()
                    .all(db)
                    .await?;
                for (id, subject, progress, rag, on, summary) in rows {
                    log.add(
                        kind,
                        subject,
                        Entry {
                            id,
                            reported: Reported { progress, rag, on },
                            summary: Some(summary),
                        },
                    );
                }
            }
        }
        Ok(log)
    }

    /// Every report of the tenant up to `until` without its texts, for history charts.
    pub async fn history(
        db: &DatabaseConnection,
        viewer: &Viewer,
        until: NaiveDate,
    ) -> ApiResult<Self> {
        use status_report::Column as C;
        let rows = status_report::Entity::find()
            .select_only()
            .columns([
                C::Id,
                C::MeasureId,
                C::ProjectId,
                C::SubProjectId,
                C::Progress,
                C::Rag,
                C::ReportedOn,
            ])
            .filter(C::TenantId.eq(viewer.tenant_id))
            .filter(C::ReportedOn.lte(until))
            .filter(counted_reports())
            .into_tuple::<(
                i32,
                Option<i32>,
                Option<i32>,
                Option<i32>,
                i32,
                Rag,
                NaiveDate,
            )>()
            .all(db)
            .await?;
        let mut log = Self::default();
        for (id, measure, project, sub_project, progress, rag, on) in rows {
            let subject = measure
                .map(|id| (Kind::Measure, id))
                .or(project.map(|id| (Kind::Project, id)))
                .or(sub_project.map(|id| (Kind::SubProject, id)));
            if let Some((kind, subject)) = subject {
                log.entries.entry((kind, subject)).or_default().push(Entry {
                    id,
                    reported: Reported { progress, rag, on },
                    summary: None,
                });
            }
        }
        for entries in log.entries.values_mut() {
            entries.sort_by_key(|e| (e.reported.on, e.id));
        }
        Ok(log)
    }

    /// Every report day of the log, ascending.
    pub fn days(&self) -> Vec<NaiveDate> {
        let mut days: Vec<NaiveDate> = self
            .entries
            .values()
            .flatten()
            .map(|e| e.reported.on)
            .collect();
        days.sort_unstable();
        days.dedup();
        days
    }
}

const SUBJECTS: [(Kind, status_report::Column); 3] = [
    (Kind::Measure, status_report::Column::MeasureId),
    (Kind::Project, status_report::Column::ProjectId),
    (Kind::SubProject, status_report::Column::SubProjectId),
];
