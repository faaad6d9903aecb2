//! Filters of `strategies` and `goals`.

use async_graphql::{ID, InputObject};
use entity::{enums as db, goal, strategy};
use sea_orm::{ColumnTrait, Condition};

use super::{and_if, one_of, owned_by, search};
use crate::{
    error::ApiResult,
    graphql::{
        context::RequestScope,
        enums::{Status, StrategyStatus, Visibility},
        id,
    },
};

/// Which strategy versions to list.
#[derive(InputObject, Default)]
pub struct StrategyFilter {
    /// Only versions in one of these states.
    pub status: Option<Vec<StrategyStatus>>,
    /// Only versions with one of these visibilities.
    pub visibility: Option<Vec<Visibility>>,
    /// Only versions whose title contains this text (case-insensitive).
    pub search: Option<String>,
    /// Also archived versions (default false).
    #[graphql(default = false)]
    pub include_archived: bool,
}

impl StrategyFilter {
    /// The filter as a condition on top of the policy's scope.
    pub fn condition(&self) -> ApiResult<Condition> {
        use strategy::Column as C;
        let mut condition = Condition::all();
        if !self.include_archived {
            condition = condition.add(C::ArchivedAt.is_null());
        }
        condition = and_if(
            condition,
            one_of::<_, _, db::StrategyStatus>(C::Status, &self.status),
        );
        condition = and_if(
            condition,
            one_of::<_, _, db::Visibility>(C::Visibility, &self.visibility),
        );
        if let Some(text) = &self.search {
            condition = condition.add(search(C::Title, text)?);
        }
        Ok(condition)
    }
}

/// Which goals to list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct GoalFilter {
    /// Only goals of this strategy version.
    pub strategy_id: Option<ID>,
    /// Only top-level goals (true) or only sub-goals (false).
    pub top_level: Option<bool>,
    /// Only goals in one of these states.
    pub status: Option<Vec<Status>>,
    /// Only goals with one of these visibilities.
    pub visibility: Option<Vec<Visibility>>,
    /// Only goals this org unit is responsible for ...
    pub org_unit_id: Option<ID>,
    /// ... or the units below it (default true).
    #[graphql(default = true)]
    pub include_sub_units: bool,
    /// Only goals whose title or code contains this text (case-insensitive).
    pub search: Option<String>,
    /// Also archived goals (default false).
    #[graphql(default = false)]
    pub include_archived: bool,
}

impl GoalFilter {
    /// The filter as a condition on top of the policy's scope.
    pub async fn condition(&self, scope: &RequestScope) -> ApiResult<Condition> {
        use goal::Column as C;
        let mut condition = Condition::all();
        if !self.include_archived {
            condition = condition.add(C::ArchivedAt.is_null());
        }
        if let Some(strategy) = &self.strategy_id {
            condition = condition.add(C::StrategyId.eq(id::decode(
                strategy,
                "Strategy",
                "filter.strategyId",
            )?));
        }
        if let Some(top_level) = self.top_level {
            condition = condition.add(if top_level {
                C::ParentId.is_null()
            } else {
                C::ParentId.is_not_null()
            });
        }
        condition = and_if(
            condition,
            one_of::<_, _, db::Status>(C::Status, &self.status),
        );
        condition = and_if(
            condition,
            one_of::<_, _, db::Visibility>(C::Visibility, &self.visibility),
        );
        if let Some(unit) = &self.org_unit_id {
            condition =
                condition.add(owned_by(scope, C::OrgUnitId, unit, self.include_sub_units).await?);
        }
        if let Some(text) = &self.search {
            condition = condition.add(
                Condition::any()
                    .add(search(C::Title, text)?)
                    .add(search(C::Code, text)?),
            );
        }
        Ok(condition)
    }
}

order_input! {
    /// Sort order of a list of goals.
    GoalOrder, GoalOrderField on goal {
        /// Position within the strategy.
        Position => Position,
        /// Code.
        Code => Code,
        /// Title.
        Title => Title,
        /// Last change.
        UpdatedAt => UpdatedAt,
    }
}
