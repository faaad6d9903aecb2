//! Filter and order of `measures`.

use async_graphql::{ID, InputObject};
use entity::{enums as db, measure, measure_goal};
use sea_orm::{ColumnTrait, Condition, QueryFilter, QuerySelect, QueryTrait};

use super::{
    and_if, one_of, search,
    work::{WorkColumns, WorkFilter},
};
use crate::{
    error::ApiResult,
    graphql::{
        context::RequestScope,
        enums::{MeasureKind, Priority},
        id,
    },
    policy::FindVisible,
};

/// Which measures to list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct MeasureFilter {
    #[graphql(flatten)]
    pub work: WorkFilter,
    /// Only measures of these kinds.
    pub kind: Option<Vec<MeasureKind>>,
    /// Only measures with these priorities.
    pub priority: Option<Vec<Priority>>,
    /// Only measures derived from this goal.
    pub goal_id: Option<ID>,
    /// Only measures whose title or number contains this text (case-insensitive).
    pub search: Option<String>,
}

impl MeasureFilter {
    /// The filter as a condition on top of the policy's scope.
    pub async fn condition(&self, scope: &RequestScope) -> ApiResult<Condition> {
        use measure::Column as C;
        let columns = WorkColumns {
            status: C::Status,
            rag: C::Rag,
            visibility: C::Visibility,
            owner: C::OrgUnitId,
            due: C::DueDate,
        };
        let mut condition = self.work.condition(scope, columns).await?;
        condition = and_if(
            condition,
            one_of::<_, _, db::MeasureKind>(C::Kind, &self.kind),
        );
        condition = and_if(
            condition,
            one_of::<_, _, db::Priority>(C::Priority, &self.priority),
        );
        if let Some(goal) = &self.goal_id {
            let goal = id::decode(goal, "Goal", "filter.goalId")?;
            let linked = measure_goal::Entity::find_visible_to(&scope.viewer)
                .select_only()
                .column(measure_goal::Column::MeasureId)
                .filter(measure_goal::Column::GoalId.eq(goal))
                .into_query();
            condition = condition.add(C::Id.in_subquery(linked));
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
