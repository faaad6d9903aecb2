//! Planned budgets as weights of the roll-up (`BUDGET` weighting, see [`super::weighting`]):
//! each project's from its budget lines, as far as the viewer may see them, and each
//! measure's and goal's from the projects below it.

use std::collections::HashMap;

use entity::budget_line;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, DatabaseConnection, QuerySelect};

use super::{
    budget::cents,
    tree::Tree,
    weighting::{Budget, Weighting},
};
use crate::{
    error::ApiResult,
    policy::{FindVisible, can_see_financials},
    viewer::Viewer,
};

/// The planned budget of each of `projects` (id and owning unit): the sum of its budget
/// lines' planned amounts, or hidden when the viewer may not see the project's financials.
/// Loaded (one statement) only when the tenant weighs by budget; otherwise no budget is
/// needed and none is read.
pub(super) async fn budgets(
    db: &DatabaseConnection,
    viewer: &Viewer,
    weighting: Weighting,
    projects: impl Iterator<Item = (i32, i32)>,
) -> ApiResult<HashMap<i32, Budget>> {
    if weighting != Weighting::Budget {
        return Ok(HashMap::new());
    }
    use budget_line::Column as C;
    // The scoped select leaves out the lines of projects whose money the viewer may not see.
    let planned: HashMap<i32, Decimal> = budget_line::Entity::find_visible_to(viewer)
        .select_only()
        .column(C::ProjectId)
        .column_as(C::Planned.sum(), "planned")
        .group_by(C::ProjectId)
        .into_tuple::<(i32, Option<Decimal>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(project, planned)| (project, cents(planned.unwrap_or_default())))
        .collect();
    Ok(projects
        .map(|(project, owner)| {
            let budget = if can_see_financials(viewer, owner) {
                Budget::Known(planned.get(&project).copied().unwrap_or_default())
            } else {
                Budget::Hidden
            };
            (project, budget)
        })
        .collect())
}

/// The budgets of a tree's measures and goals, summed from its projects' (see
/// [`super::weighting`]: the rows that count in a roll-up are the rows whose budgets count).
pub struct Budgets {
    measures: HashMap<i32, Budget>,
    goals: HashMap<i32, Budget>,
}

impl Budgets {
    /// A measure's budget: its counted projects'.
    pub fn measure(&self, id: i32) -> Budget {
        self.measures.get(&id).copied().unwrap_or(Budget::NONE)
    }

    /// A goal's budget: its counted measures', or its sub-goals' when it has none.
    pub fn goal(&self, id: i32) -> Budget {
        self.goals.get(&id).copied().unwrap_or(Budget::NONE)
    }
}

impl Tree {
    /// The budgets of the measures and goals, from the projects' (all known to be none
    /// unless the tenant weighs by budget).
    pub fn budgets(&self) -> Budgets {
        let measures: HashMap<i32, Budget> = self
            .measures
            .iter()
            .map(|m| {
                let budget = Budget::sum(self.counted_projects_of(m.id).map(|p| p.budget));
                (m.id, budget)
            })
            .collect();
        let mut goals: HashMap<i32, Budget> = HashMap::new();
        for goal in self.goals_bottom_up() {
            let mut counted = self.counted_measures_of_goal(goal.id).peekable();
            let budget = if counted.peek().is_some() {
                Budget::sum(counted.map(|m| measures[&m.id]))
            } else {
                Budget::sum(
                    self.sub_goals(goal.id)
                        .map(|g| goals.get(&g.id).copied().unwrap_or(Budget::NONE)),
                )
            };
            goals.insert(goal.id, budget);
        }
        Budgets { measures, goals }
    }
}
