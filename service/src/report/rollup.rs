//! Roll-ups: where a piece of work stands when it has no report of its own.
//!
//! A sub-project, project or measure with a status report stands where its latest report
//! (on or before the day asked about) says. A project without one takes the weighted mean of
//! its sub-projects, a measure that of its projects, a goal that of its measures (or of its
//! sub-goals when no measure is derived from it; a measure serving several goals counts in
//! each), a strategy that of its top-level goals. The tenant's weighting (carried by the
//! [`Tree`], so that every figure of a request follows it: the GraphQL fields, dashboards,
//! history, the council report and its files) says what a child weighs: the same
//! (`EQUAL`, the default), its `weight` or its planned budget; [`super::weighting`] has the
//! rules and their fallbacks. Cancelled work is left out; a child that has not reported yet
//! counts as 0 % (with its weight) as long as one of its siblings has reported; when none
//! has, the parent has no progress (null) rather than a made-up 0 %. The traffic light is
//! the worst of the counted children's, whatever they weigh: a weight says how much a
//! child's progress counts, not whether its trouble shows.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::{Rag, Status};

use super::{
    log::Reports,
    tree::Tree,
    weighting::{Budget, Share, Weighting, weighted_mean},
};

/// Where a progress figure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgressSource {
    /// The row's own latest status report.
    Reported,
    /// The weighted mean of its children (see the roll-up rules).
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
    /// The weighting a rolled-up figure was computed with (after the fallbacks to equal
    /// weights); `None` for a reported figure or none.
    pub weighting: Option<Weighting>,
}

impl Standing {
    const NONE: Self = Self {
        progress: None,
        source: ProgressSource::None,
        rag: None,
        weighting: None,
    };
}

/// A counted child: where it stands and what it weighs.
struct Child {
    standing: Standing,
    weight: rust_decimal::Decimal,
    budget: Budget,
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
    /// Evaluates the tree as of `as_of` with the reports given, weighted as the tree says.
    pub fn compute(tree: &Tree, reports: &dyn Reports, as_of: NaiveDate) -> Self {
        let own = |kind, id| reports.latest(kind, id, as_of);
        let mean = |children: Vec<Child>| mean(tree.weighting, children);
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
                            .map(|s| Child {
                                standing: sub_projects[&s.id],
                                weight: s.weight,
                                // Budget lines belong to projects, not to sub-projects.
                                budget: Budget::NONE,
                            })
                            .collect(),
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
                        tree.counted_projects_of(m.id)
                            .map(|p| Child {
                                standing: projects[&p.id],
                                weight: p.weight,
                                budget: p.budget,
                            })
                            .collect(),
                    )
                });
                (m.id, standing)
            })
            .collect();
        let budgets = tree.budgets();
        let mut goals = HashMap::new();
        // Children before parents: sub-goals are evaluated first.
        for goal in tree.goals_bottom_up() {
            let from_measures: Vec<Child> = tree
                .counted_measures_of_goal(goal.id)
                .map(|m| Child {
                    standing: measures[&m.id],
                    weight: m.weight,
                    budget: budgets.measure(m.id),
                })
                .collect();
            let standing = if from_measures.is_empty() {
                mean(
                    tree.sub_goals(goal.id)
                        .filter_map(|g| {
                            goals.get(&g.id).map(|&standing| Child {
                                standing,
                                weight: g.weight,
                                budget: budgets.goal(g.id),
                            })
                        })
                        .collect(),
                )
            } else {
                mean(from_measures)
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
                    .filter_map(|g| {
                        goals.get(&g.id).map(|&standing| Child {
                            standing,
                            weight: g.weight,
                            budget: budgets.goal(g.id),
                        })
                    })
                    .collect();
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
        weighting: None,
    })
}

/// Weighted mean of the children's progress (see the module rules), worst traffic light.
fn mean(weighting: Weighting, children: Vec<Child>) -> Standing {
    let shares: Vec<Share> = children
        .iter()
        .map(|c| Share {
            progress: c.standing.progress,
            weight: c.weight,
            budget: c.budget,
        })
        .collect();
    let Some((progress, used)) = weighted_mean(weighting, &shares) else {
        return Standing::NONE;
    };
    Standing {
        progress: Some(progress),
        source: ProgressSource::RolledUp,
        rag: worst(children.iter().filter_map(|c| c.standing.rag)),
        weighting: Some(used),
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
    use rust_decimal::Decimal;

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
            weight: Decimal::ONE,
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
            rag: Rag::Green,
            weight: Decimal::ONE,
        }
    }

    fn project(id: i32, measure_id: i32, status: Status) -> ProjectNode {
        ProjectNode {
            id,
            measure_id: Some(measure_id),
            org_unit_id: 1,
            status,
            rag: Rag::Green,
            code: None,
            title: String::new(),
            weight: Decimal::ONE,
            budget: Budget::NONE,
        }
    }

    fn sub_project(id: i32, project_id: i32) -> SubProjectNode {
        SubProjectNode {
            id,
            project_id,
            status: Status::InProgress,
            code: None,
            title: String::new(),
            weight: Decimal::ONE,
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
        assert_eq!(r.get(Kind::Project, 1000).weighting, Some(Weighting::Equal));
        assert_eq!(r.get(Kind::Measure, 101).weighting, None);
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

    fn weigh(d: i64) -> Decimal {
        Decimal::from(d)
    }

    /// The reports of the weighted examples: sub-projects at 80 and 40 %, measure 101 at 20 %.
    fn weighted_reports() -> Fixed {
        Fixed(vec![
            (Kind::SubProject, 5000, report(80, Rag::Green, 1)),
            (Kind::SubProject, 5001, report(40, Rag::Red, 2)),
            (Kind::Measure, 101, report(20, Rag::Green, 3)),
        ])
    }

    #[test]
    fn weights_weigh_every_level() {
        let mut t = tree();
        t.weighting = Weighting::Weight;
        t.sub_projects[0].weight = weigh(3); // 5000
        t.projects[0].weight = weigh(4); // 1000
        t.measures[1].weight = weigh(3); // 101
        t.measures[2].weight = weigh(100); // 102, cancelled: left out whatever it weighs
        t.goals[2].weight = Decimal::ZERO; // 12: counts for nothing in the strategy
        let r = Rollup::compute(&t, &weighted_reports(), day(30));
        let at = |kind, id| r.get(kind, id);
        // Sub-projects → project: (80 * 3 + 40 * 1) / 4 = 70; the red light shows anyway.
        assert_eq!(at(Kind::Project, 1000).progress, Some(70));
        assert_eq!(at(Kind::Project, 1000).rag, Some(Rag::Red));
        assert_eq!(at(Kind::Project, 1000).weighting, Some(Weighting::Weight));
        // Projects → measure: the unreported 1001 counts 0 % with weight 1: 280 / 5 = 56.
        assert_eq!(at(Kind::Measure, 100).progress, Some(56));
        // Measures → goal (101 serves goals 11 and 12): (56 * 1 + 20 * 3) / 4 = 29.
        assert_eq!(at(Kind::Goal, 11).progress, Some(29));
        assert_eq!(at(Kind::Goal, 12).progress, Some(20));
        // Sub-goals → goal: 11 alone.
        assert_eq!(at(Kind::Goal, 10).progress, Some(29));
        // Goals → strategy: 12 weighs 0.
        assert_eq!(at(Kind::Strategy, 1).progress, Some(29));
        assert_eq!(at(Kind::Strategy, 1).weighting, Some(Weighting::Weight));
        // The same tree with equal weights: as before weights existed.
        t.weighting = Weighting::Equal;
        let equal = Rollup::compute(&t, &weighted_reports(), day(30));
        assert_eq!(equal.get(Kind::Project, 1000).progress, Some(60));
        assert_eq!(equal.get(Kind::Strategy, 1).progress, Some(23));
    }

    #[test]
    fn zero_weights_everywhere_give_equal_weights() {
        let mut t = tree();
        t.weighting = Weighting::Weight;
        t.sub_projects[0].weight = Decimal::ZERO;
        t.sub_projects[1].weight = Decimal::ZERO;
        let r = Rollup::compute(&t, &weighted_reports(), day(30));
        assert_eq!(r.get(Kind::Project, 1000).progress, Some(60));
        assert_eq!(r.get(Kind::Project, 1000).weighting, Some(Weighting::Equal));
    }

    #[test]
    fn budgets_weigh_projects_measures_goals_and_the_strategy() {
        let mut t = tree();
        t.weighting = Weighting::Budget;
        t.projects[0].budget = Budget::Known(weigh(30_000)); // 1000
        t.projects[1].budget = Budget::Known(weigh(10_000)); // 1001
        let r = Rollup::compute(&t, &weighted_reports(), day(30));
        let at = |kind, id| r.get(kind, id);
        // Sub-projects have no budget: equal weights, and the figure says so.
        assert_eq!(at(Kind::Project, 1000).progress, Some(60));
        assert_eq!(at(Kind::Project, 1000).weighting, Some(Weighting::Equal));
        // (60 * 30,000 + 0 * 10,000) / 40,000 = 45.
        assert_eq!(at(Kind::Measure, 100).progress, Some(45));
        assert_eq!(at(Kind::Measure, 100).weighting, Some(Weighting::Budget));
        // Measure 101 has no projects, so no budget: it weighs 0 beside measure 100.
        assert_eq!(at(Kind::Goal, 11).progress, Some(45));
        // Goal 12 has only the unbudgeted measure 101: equal weights.
        assert_eq!(at(Kind::Goal, 12).progress, Some(20));
        assert_eq!(at(Kind::Goal, 12).weighting, Some(Weighting::Equal));
        // Goal 10's budget is its sub-goal's (40,000), goal 12's none.
        assert_eq!(at(Kind::Goal, 10).progress, Some(45));
        assert_eq!(at(Kind::Strategy, 1).progress, Some(45));
        assert_eq!(at(Kind::Strategy, 1).weighting, Some(Weighting::Budget));
        // A cancelled project's budget counts neither in its measure nor above it.
        t.projects[0].status = Status::Cancelled;
        let r = Rollup::compute(&t, &weighted_reports(), day(30));
        assert_eq!(r.get(Kind::Measure, 100).progress, None);
    }

    #[test]
    fn a_budget_the_viewer_may_not_see_gives_equal_weights_above_it() {
        let mut t = tree();
        t.weighting = Weighting::Budget;
        t.projects[0].budget = Budget::Known(weigh(30_000));
        t.projects[1].budget = Budget::Hidden;
        let r = Rollup::compute(&t, &weighted_reports(), day(30));
        // (60 + 0) / 2; (30 + 20) / 2; goal 10's budget is hidden too: (25 + 20) / 2.
        assert_eq!(r.get(Kind::Measure, 100).progress, Some(30));
        assert_eq!(r.get(Kind::Measure, 100).weighting, Some(Weighting::Equal));
        assert_eq!(r.get(Kind::Goal, 11).progress, Some(25));
        assert_eq!(r.get(Kind::Strategy, 1).progress, Some(23));
        assert_eq!(r.get(Kind::Strategy, 1).weighting, Some(Weighting::Equal));
    }
}
