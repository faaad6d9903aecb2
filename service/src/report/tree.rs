//! The part of the portfolio a viewer sees, as the shape roll-ups and reports walk: goals,
//! measures, projects and sub-projects with the columns reports need. Where each stood is in
//! the status reports ([`super::log`]).

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::{Rag, Status, StrategyStatus};
use rust_decimal::Decimal;
use sea_orm::DatabaseConnection;

use super::{
    log::ReportLog,
    planned,
    tree_rows::{self, Reports},
    weighting::{Budget, Weighting},
};
use crate::{error::ApiResult, viewer::Viewer};

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
    /// The traffic light of its latest report (green before it has one), as the dashboards
    /// count it.
    pub rag: Rag,
    /// Weight in the roll-up of each of its goals.
    pub weight: Decimal,
}

#[derive(Clone, Debug)]
pub struct ProjectNode {
    pub id: i32,
    pub measure_id: Option<i32>,
    pub org_unit_id: i32,
    pub status: Status,
    /// As a measure's.
    pub rag: Rag,
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

    /// Loads what `viewer` may see of its tenant, and the latest report of every row on each
    /// of `days` found as `reports` says (which also says whether the rows come with their
    /// codes and titles): one statement ([`tree_rows`]), and one more for the planned budgets
    /// when the tenant weighs by budget.
    pub async fn load_with_reports(
        db: &DatabaseConnection,
        viewer: &Viewer,
        days: &[NaiveDate],
        reports: Reports,
    ) -> ApiResult<(Self, ReportLog)> {
        let (rows, reports) = tree_rows::load(db, viewer, days, reports).await?;
        let weighting = viewer.settings.rollup_weighting;
        let owners = rows.projects.iter().map(|p| (p.id, p.org_unit_id));
        let budgets = planned::budgets(db, viewer, weighting, owners).await?;
        let projects = rows
            .projects
            .into_iter()
            .map(|p| ProjectNode {
                budget: budgets.get(&p.id).copied().unwrap_or(Budget::NONE),
                id: p.id,
                measure_id: p.measure_id,
                org_unit_id: p.org_unit_id,
                status: p.status,
                rag: p.rag,
                code: p.code,
                title: p.title,
                weight: p.weight,
            })
            .collect();
        let mut tree = Self::new(
            rows.strategies,
            rows.goals,
            rows.measures,
            &rows.links,
            projects,
            rows.sub_projects,
        );
        tree.weighting = weighting;
        Ok((tree, reports))
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
