//! Filter conditions shared by measures, projects and sub-projects.

use async_graphql::{ID, InputObject};
use entity::enums as db;
use sea_orm::{ColumnTrait, Condition};

use super::{and_if, one_of, owned_by};
use crate::{
    error::ApiResult,
    graphql::{
        context::RequestScope,
        enums::{Rag, Status, Visibility},
        scalar::{Date, today},
    },
};

/// Conditions every piece of work can be filtered by; all given ones must hold.
#[derive(InputObject, Default)]
pub struct WorkFilter {
    /// Only items in one of these states.
    pub status: Option<Vec<Status>>,
    /// Only items with one of these traffic lights.
    pub rag: Option<Vec<Rag>>,
    /// Only items with one of these visibilities.
    pub visibility: Option<Vec<Visibility>>,
    /// Only items owned by this org unit ...
    pub org_unit_id: Option<ID>,
    /// ... and by the units below it (default true).
    #[graphql(default = true)]
    pub include_sub_units: bool,
    /// Only items due (measures) or planned to end (projects, sub-projects) before this date.
    pub due_before: Option<Date>,
    /// Only items that are (true) or are not (false) past due while still open.
    pub overdue: Option<bool>,
    /// Also archived items (default false; only central IT sees archived items at all).
    #[graphql(default = false)]
    pub include_archived: bool,
}

/// The columns of one kind of work that [`WorkFilter`] looks at.
pub struct WorkColumns<C> {
    pub status: C,
    pub rag: C,
    pub visibility: C,
    pub owner: C,
    pub due: C,
    pub archived: C,
}

impl WorkFilter {
    /// The filter as a condition on top of the policy's scope.
    pub async fn condition<C: ColumnTrait>(
        &self,
        scope: &RequestScope,
        columns: WorkColumns<C>,
    ) -> ApiResult<Condition> {
        let mut condition = Condition::all();
        if !self.include_archived {
            condition = condition.add(columns.archived.is_null());
        }
        condition = and_if(
            condition,
            one_of::<_, _, db::Status>(columns.status, &self.status),
        );
        condition = and_if(condition, one_of::<_, _, db::Rag>(columns.rag, &self.rag));
        condition = and_if(
            condition,
            one_of::<_, _, db::Visibility>(columns.visibility, &self.visibility),
        );
        if let Some(unit) = &self.org_unit_id {
            condition =
                condition.add(owned_by(scope, columns.owner, unit, self.include_sub_units).await?);
        }
        if let Some(date) = self.due_before {
            condition = condition.add(columns.due.lt(date.0));
        }
        if let Some(overdue) = self.overdue {
            let late = Condition::all().add(columns.due.lt(today())).add(
                columns
                    .status
                    .is_not_in([db::Status::Completed, db::Status::Cancelled]),
            );
            condition = condition.add(if overdue { late } else { late.not() });
        }
        Ok(condition)
    }
}
