//! Roll-ups: where a piece of work stands when it has no report of its own.
//!
//! A sub-project, project or measure with a status report stands where its latest report
//! (on or before the day asked about) says. A project without one takes the mean of its
//! sub-projects, a measure the mean of its projects, a goal the mean of its measures (or of
//! its sub-goals when no measure is derived from it), a strategy the mean of its top-level
//! goals. All weights are equal. Cancelled work is left out; a child that has not reported
//! yet counts as 0 % as long as one of its siblings has reported; when none has, the parent
//! has no progress (null) rather than a made-up 0 %.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::{Rag, Status};

use super::tree::{Reports, Tree};

/// Where a progress figure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgressSource {
    /// The row's own latest status report.
    Reported,
    /// The mean of its children (see the roll-up rules).
    RolledUp,
    /// Nothing reported, neither for the row nor below it.
    None,
}

/// Progress of one row on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    /// Percent, 0 to 100; `None` when nothing was reported.
    pub progress: Option<i32>,
    pub source: ProgressSource,
    /// Traffic light of the own latest report, else the worst of the children's.
    pub rag: Option<Rag>,
}

impl Standing {
    const NONE: Self = Self {
        progress: None,
        source: ProgressSource::None,
        rag: None,
    };
}

/// The standing of every row of a [`Tree`] on one day.
pub struct Rollup {
    pub as_of: NaiveDate,
    pub sub_projects: HashMap<i32, Standing>,
    pub projects: HashMap<i32, Standing>,
    pub measures: HashMap<i32, Standing>,
    pub goals: HashMap<i32, Standing>,
    pub strategies: HashMap<i32, Standing>,
}

impl Rollup {
    /// Evaluates the tree as of `as_of` with the reports given.
    pub fn compute(tree: &Tree, reports: &dyn Reports, as_of: NaiveDate) -> Self {
        let own = |kind, id| reports.latest(kind, id, as_of);
        let sub_projects: HashMap<i32, Standing> = tree
            .sub_projects
            .iter()
            .map(|s| {
                (
                    s.id,
                    reported(own(Kind::SubProject, s.id)).unwrap_or(Standing::NONE),
                )
            })
            .collect();
        let projects: HashMap<i32, Standing> = tree
            .projects
            .iter()
            .map(|p| {
                let standing = reported(own(Kind::Project, p.id)).unwrap_or_else(|| {
                    mean(
                        tree.sub_projects_of(p.id)
                            .filter(|s| s.status != Status::Cancelled)
                            .map(|s| sub_projects[&s.id]),
                    )
                });
                (p.id, standing)
            })
            .collect();
        let measures: HashMap<i32, Standing> = tree
            .measures
            .iter()
            .map(|m| {
                let standing = reported(own(Kind::Measure, m.id)).unwrap_or_else(|| {
                    mean(
                        tree.projects_of(m.id)
                            .filter(|p| p.status != Status::Cancelled)
                            .map(|p| projects[&p.id]),
                    )
                });
                (m.id, standing)
            })
            .collect();
        let mut goals = HashMap::new();
        // Children before parents: sub-goals are evaluated first.
        for goal in tree.goals_bottom_up() {
            let from_measures: Vec<Standing> = tree
                .measures_of_goal(goal.id)
                .filter(|m| m.status != Status::Cancelled)
                .map(|m| measures[&m.id])
                .collect();
            let standing = if from_measures.is_empty() {
                mean(
                    tree.sub_goals(goal.id)
                        .filter_map(|g| goals.get(&g.id).copied()),
                )
            } else {
                mean(from_measures.into_iter())
            };
            goals.insert(goal.id, standing);
        }
        let strategies = tree
            .strategies
            .iter()
            .map(|strategy| {
                let top = tree
                    .goals
                    .iter()
                    .filter(|g| g.strategy_id == strategy.id && g.parent_id.is_none())
                    .filter_map(|g| goals.get(&g.id).copied());
                (strategy.id, mean(top))
            })
            .collect();
        Self {
            as_of,
            sub_projects,
            projects,
            measures,
            goals,
            strategies,
        }
    }

    /// The standing of a row of `kind`, or none when the row is not in the tree.
    pub fn get(&self, kind: Kind, id: i32) -> Standing {
        let map = match kind {
            Kind::SubProject => &self.sub_projects,
            Kind::Project => &self.projects,
            Kind::Measure => &self.measures,
            Kind::Goal => &self.goals,
            Kind::Strategy => &self.strategies,
        };
        map.get(&id).copied().unwrap_or(Standing::NONE)
    }
}

/// The kinds of rows with a progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Strategy,
    Goal,
    Measure,
    Project,
    SubProject,
}

/// A row's own latest report: progress and traffic light.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reported {
    pub progress: i32,
    pub rag: Rag,
    pub on: NaiveDate,
}

fn reported(report: Option<Reported>) -> Option<Standing> {
    report.map(|r| Standing {
        progress: Some(r.progress),
        source: ProgressSource::Reported,
        rag: Some(r.rag),
    })
}

/// Mean of children's progress (see the module rules), worst traffic light.
fn mean(children: impl Iterator<Item = Standing>) -> Standing {
    let children: Vec<Standing> = children.collect();
    if children.iter().all(|c| c.progress.is_none()) {
        return Standing::NONE;
    }
    let sum: i64 = children
        .iter()
        .map(|c| i64::from(c.progress.unwrap_or(0)))
        .sum();
    let count = children.len() as i64;
    // Rounded half up, in integers.
    let progress = ((2 * sum + count) / (2 * count)) as i32;
    Standing {
        progress: Some(progress),
        source: ProgressSource::RolledUp,
        rag: worst(children.iter().filter_map(|c| c.rag)),
    }
}

/// Red before amber before green.
pub fn worst(rags: impl Iterator<Item = Rag>) -> Option<Rag> {
    rags.max_by_key(|rag| match rag {
        Rag::Green => 0,
        Rag::Amber => 1,
        Rag::Red => 2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tree::{GoalNode, MeasureNode, ProjectNode, StrategyNode, SubProjectNode};
    use entity::enums::StrategyStatus;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, d).unwrap()
    }

    struct Fixed(Vec<(Kind, i32, Reported)>);

    impl Reports for Fixed {
        fn latest(&self, kind: Kind, id: i32, as_of: NaiveDate) -> Option<Reported> {
            self.0
                .iter()
                .filter(|(k, i, r)| *k == kind && *i == id && r.on <= as_of)
                .map(|(_, _, r)| *r)
                .max_by_key(|r| r.on)
        }
    }

    fn report(progress: i32, rag: Rag, d: u32) -> Reported {
        Reported {
            progress,
            rag,
            on: day(d),
        }
    }

    fn goal(id: i32, parent_id: Option<i32>) -> GoalNode {
        GoalNode {
            id,
            strategy_id: 1,
            parent_id,
            code: format!("Z{id}"),
            title: String::new(),
            position: id,
        }
    }

    fn measure(id: i32, status: Status) -> MeasureNode {
        MeasureNode {
            id,
            status,
            number: format!("M{id}"),
            title: String::new(),
            org_unit_id: 1,
            completed_on: None,
        }
    }

    fn project(id: i32, measure_id: i32, status: Status) -> ProjectNode {
        ProjectNode {
            id,
            measure_id: Some(measure_id),
            status,
            code: None,
            title: String::new(),
        }
    }

    fn sub_project(id: i32, project_id: i32) -> SubProjectNode {
        SubProjectNode {
            id,
            project_id,
            status: Status::InProgress,
            code: None,
            title: String::new(),
        }
    }

    fn tree() -> Tree {
        Tree::new(
            vec![StrategyNode {
                id: 1,
                title: "Digitalstrategie".into(),
                status: StrategyStatus::Adopted,
            }],
            vec![goal(10, None), goal(11, Some(10)), goal(12, None)],
            vec![
                measure(100, Status::InProgress),
                measure(101, Status::InProgress),
                measure(102, Status::Cancelled),
            ],
            &[(100, 11), (101, 11), (102, 11), (101, 12)],
            vec![
                project(1000, 100, Status::InProgress),
                project(1001, 100, Status::Planned),
            ],
            vec![sub_project(5000, 1000), sub_project(5001, 1000)],
        )
    }

    #[test]
    fn progress_rolls_up_with_equal_weights() {
        let reports = Fixed(vec![
            (Kind::SubProject, 5000, report(80, Rag::Green, 1)),
            (Kind::SubProject, 5001, report(41, Rag::Amber, 2)),
            (Kind::Measure, 101, report(20, Rag::Red, 3)),
        ]);
        let r = Rollup::compute(&tree(), &reports, day(30));
        // Project 1000: mean of 80 and 41 = 60.5, rounded half up.
        assert_eq!(r.get(Kind::Project, 1000).progress, Some(61));
        assert_eq!(r.get(Kind::Project, 1000).source, ProgressSource::RolledUp);
        assert_eq!(r.get(Kind::Project, 1000).rag, Some(Rag::Amber));
        // Project 1001 has nothing: no progress, and it counts 0 % for its measure.
        assert_eq!(r.get(Kind::Project, 1001), Standing::NONE);
        assert_eq!(r.get(Kind::Measure, 100).progress, Some(31));
        // Own report wins; the cancelled measure 102 is left out of goal 11.
        assert_eq!(r.get(Kind::Measure, 101).source, ProgressSource::Reported);
        assert_eq!(r.get(Kind::Goal, 11).progress, Some(26));
        // Goal 10 has no measures: its sub-goal's mean.
        assert_eq!(r.get(Kind::Goal, 10).progress, Some(26));
        assert_eq!(r.get(Kind::Goal, 12).progress, Some(20));
        assert_eq!(r.get(Kind::Strategy, 1).progress, Some(23));
        assert_eq!(r.get(Kind::Strategy, 1).rag, Some(Rag::Red));
    }

    #[test]
    fn earlier_days_see_only_earlier_reports() {
        let reports = Fixed(vec![
            (Kind::SubProject, 5000, report(10, Rag::Green, 1)),
            (Kind::SubProject, 5000, report(90, Rag::Green, 20)),
        ]);
        let early = Rollup::compute(&tree(), &reports, day(10));
        assert_eq!(early.get(Kind::SubProject, 5000).progress, Some(10));
        assert_eq!(early.get(Kind::Project, 1000).progress, Some(5));
        let late = Rollup::compute(&tree(), &reports, day(25));
        assert_eq!(late.get(Kind::Project, 1000).progress, Some(45));
        let before = Rollup::compute(
            &tree(),
            &reports,
            NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
        );
        assert_eq!(before.get(Kind::Strategy, 1), Standing::NONE);
    }
}
