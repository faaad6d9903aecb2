//! Filter and order of `measures`.

use async_graphql::{ID, InputObject};
use entity::{enums as db, measure, measure_goal};
use sea_orm::{ColumnTrait, Condition, QueryFilter, QuerySelect, QueryTrait};

use super::{and_if, one_of, owned_by, search};
use crate::{
    error::ApiResult,
    graphql::{
        context::RequestScope,
        enums::{MeasureKind, Priority, Rag, Status, Visibility},
        id,
        scalar::{Date, today},
    },
    policy::FindVisible,
};

/// Which measures to list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct MeasureFilter {
    /// Only measures in one of these states.
    pub status: Option<Vec<Status>>,
    /// Only measures with one of these traffic lights.
    pub rag: Option<Vec<Rag>>,
    /// Only measures with one of these visibilities.
    pub visibility: Option<Vec<Visibility>>,
    /// Only measures of these kinds.
    pub kind: Option<Vec<MeasureKind>>,
    /// Only measures with these priorities.
    pub priority: Option<Vec<Priority>>,
    /// Only measures of this org unit ...
    pub org_unit_id: Option<ID>,
    /// ... and of the units below it (default true).
    #[graphql(default = true)]
    pub include_sub_units: bool,
    /// Only measures derived from this goal.
    pub goal_id: Option<ID>,
    /// Only measures due before this date.
    pub due_before: Option<Date>,
    /// Only measures that are (true) or are not (false) overdue.
    pub overdue: Option<bool>,
    /// Only measures whose title or number contains this text (case-insensitive).
    pub search: Option<String>,
}

impl MeasureFilter {
    /// The filter as a condition on top of the policy's scope.
    pub async fn condition(&self, scope: &RequestScope) -> ApiResult<Condition> {
        use measure::Column as C;
        let mut condition = Condition::all();
        condition = and_if(
            condition,
            one_of::<_, _, db::Status>(C::Status, &self.status),
        );
        condition = and_if(condition, one_of::<_, _, db::Rag>(C::Rag, &self.rag));
        condition = and_if(
            condition,
            one_of::<_, _, db::Visibility>(C::Visibility, &self.visibility),
        );
        condition = and_if(
            condition,
            one_of::<_, _, db::MeasureKind>(C::Kind, &self.kind),
        );
        condition = and_if(
            condition,
            one_of::<_, _, db::Priority>(C::Priority, &self.priority),
        );
        if let Some(unit) = &self.org_unit_id {
            condition =
                condition.add(owned_by(scope, C::OrgUnitId, unit, self.include_sub_units).await?);
        }
        if let Some(goal) = &self.goal_id {
            let goal = id::decode(goal, "Goal", "filter.goalId")?;
            let linked = measure_goal::Entity::find_visible_to(&scope.viewer)
                .select_only()
                .column(measure_goal::Column::MeasureId)
                .filter(measure_goal::Column::GoalId.eq(goal))
                .into_query();
            condition = condition.add(C::Id.in_subquery(linked));
        }
        if let Some(date) = self.due_before {
            condition = condition.add(C::DueDate.lt(date.0));
        }
        if let Some(overdue) = self.overdue {
            let late = Condition::all()
                .add(C::DueDate.lt(today()))
                .add(C::Status.is_not_in([db::Status::Completed, db::Status::Cancelled]));
            condition = condition.add(if overdue { late } else { late.not() });
        }
        if let Some(text) = &self.search {
            condition = condition.add(
                Condition::any()
                    .add(search(C::Title, text)?)
                    .add(search(C::Number, text)?),
            );
        }
        Ok(condition)
    }
}

order_input! {
    /// Sort order of `measures`.
    MeasureOrder, MeasureOrderField on measure {
        /// Measure number.
        Number => Number,
        /// Title.
        Title => Title,
        /// Due date.
        DueDate => DueDate,
        /// Start date.
        StartDate => StartDate,
        /// Progress.
        Progress => Progress,
        /// Life-cycle state.
        Status => Status,
        /// Priority.
        Priority => Priority,
        /// Last change.
        UpdatedAt => UpdatedAt,
        /// Creation.
        CreatedAt => CreatedAt,
    }
}
