//! Filters and orders of `projects`, `subProjects` and `categories`.

use async_graphql::{ID, InputObject};
use entity::{category, enums as db, measure_goal, project, project_category, sub_project};
use sea_orm::{ColumnTrait, Condition, QueryFilter, QuerySelect, QueryTrait};

use super::{and_if, one_of, owned_by, search};
use crate::{
    error::ApiResult,
    graphql::{
        context::RequestScope,
        enums::{Rag, Status, Visibility},
        id,
        scalar::{Date, today},
    },
    policy::FindVisible,
};

/// Which projects to list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct ProjectFilter {
    /// Only projects in one of these states.
    pub status: Option<Vec<Status>>,
    /// Only projects with one of these traffic lights.
    pub rag: Option<Vec<Rag>>,
    /// Only projects with one of these visibilities.
    pub visibility: Option<Vec<Visibility>>,
    /// Only projects led by this org unit ...
    pub org_unit_id: Option<ID>,
    /// ... and by the units below it (default true).
    #[graphql(default = true)]
    pub include_sub_units: bool,
    /// Only projects implementing this measure.
    pub measure_id: Option<ID>,
    /// Only projects implementing a measure derived from this goal.
    pub goal_id: Option<ID>,
    /// Only projects tagged with this category.
    pub category_id: Option<ID>,
    /// Only projects whose results are (true) or are not (false) transferable.
    pub transferable: Option<bool>,
    /// Only projects planned to end before this date.
    pub due_before: Option<Date>,
    /// Only projects that are (true) or are not (false) past their planned end.
    pub overdue: Option<bool>,
    /// Only projects whose title or code contains this text (case-insensitive).
    pub search: Option<String>,
}

impl ProjectFilter {
    /// The filter as a condition on top of the policy's scope.
    pub async fn condition(&self, scope: &RequestScope) -> ApiResult<Condition> {
        use project::Column as C;
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
        if let Some(unit) = &self.org_unit_id {
            condition =
                condition.add(owned_by(scope, C::OrgUnitId, unit, self.include_sub_units).await?);
        }
        if let Some(measure) = &self.measure_id {
            condition =
                condition.add(C::MeasureId.eq(id::decode(measure, "Measure", "filter.measureId")?));
        }
        if let Some(goal) = &self.goal_id {
            let goal = id::decode(goal, "Goal", "filter.goalId")?;
            let measures = measure_goal::Entity::find_visible_to(&scope.viewer)
                .select_only()
                .column(measure_goal::Column::MeasureId)
                .filter(measure_goal::Column::GoalId.eq(goal))
                .into_query();
            condition = condition.add(C::MeasureId.in_subquery(measures));
        }
        if let Some(category) = &self.category_id {
            let category = id::decode(category, "Category", "filter.categoryId")?;
            let tagged = project_category::Entity::find_visible_to(&scope.viewer)
                .select_only()
                .column(project_category::Column::ProjectId)
                .filter(project_category::Column::CategoryId.eq(category))
                .into_query();
            condition = condition.add(C::Id.in_subquery(tagged));
        }
        if let Some(transferable) = self.transferable {
            condition = condition.add(C::Transferable.eq(transferable));
        }
        if let Some(date) = self.due_before {
            condition = condition.add(C::EndDate.lt(date.0));
        }
        if let Some(overdue) = self.overdue {
            let late = Condition::all()
                .add(C::EndDate.lt(today()))
                .add(C::Status.is_not_in([db::Status::Completed, db::Status::Cancelled]));
            condition = condition.add(if overdue { late } else { late.not() });
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
    /// Sort order of `projects`.
    ProjectOrder, ProjectOrderField on project {
        /// Title.
        Title => Title,
        /// Project code.
        Code => Code,
        /// Planned end.
        EndDate => EndDate,
        /// Planned start.
        StartDate => StartDate,
        /// Progress.
        Progress => Progress,
        /// Life-cycle state.
        Status => Status,
        /// Last change.
        UpdatedAt => UpdatedAt,
        /// Creation.
        CreatedAt => CreatedAt,
    }
}

order_input! {
    /// Sort order of `subProjects`.
    SubProjectOrder, SubProjectOrderField on sub_project {
        /// Title.
        Title => Title,
        /// Code.
        Code => Code,
        /// Planned end.
        EndDate => EndDate,
        /// Planned start.
        StartDate => StartDate,
        /// Progress.
        Progress => Progress,
        /// Life-cycle state.
        Status => Status,
        /// Last change.
        UpdatedAt => UpdatedAt,
    }
}

/// Which sub-projects to list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct SubProjectFilter {
    /// Only sub-projects in one of these states.
    pub status: Option<Vec<Status>>,
    /// Only sub-projects with one of these traffic lights.
    pub rag: Option<Vec<Rag>>,
    /// Only sub-projects with one of these visibilities.
    pub visibility: Option<Vec<Visibility>>,
    /// Only sub-projects led by this org unit ...
    pub org_unit_id: Option<ID>,
    /// ... and by the units below it (default true).
    #[graphql(default = true)]
    pub include_sub_units: bool,
    /// Only sub-projects of this project.
    pub project_id: Option<ID>,
    /// Only sub-projects planned to end before this date.
    pub due_before: Option<Date>,
    /// Only sub-projects that are (true) or are not (false) past their planned end.
    pub overdue: Option<bool>,
    /// Only sub-projects whose title contains this text (case-insensitive).
    pub search: Option<String>,
}

impl SubProjectFilter {
    /// The filter as a condition on top of the policy's scope.
    pub async fn condition(&self, scope: &RequestScope) -> ApiResult<Condition> {
        use sub_project::Column as C;
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
        if let Some(unit) = &self.org_unit_id {
            condition =
                condition.add(owned_by(scope, C::OrgUnitId, unit, self.include_sub_units).await?);
        }
        if let Some(project) = &self.project_id {
            condition =
                condition.add(C::ProjectId.eq(id::decode(project, "Project", "filter.projectId")?));
        }
        if let Some(date) = self.due_before {
            condition = condition.add(C::EndDate.lt(date.0));
        }
        if let Some(overdue) = self.overdue {
            let late = Condition::all()
                .add(C::EndDate.lt(today()))
                .add(C::Status.is_not_in([db::Status::Completed, db::Status::Cancelled]));
            condition = condition.add(if overdue { late } else { late.not() });
        }
        if let Some(text) = &self.search {
            condition = condition.add(search(C::Title, text)?);
        }
        Ok(condition)
    }
}

/// Which categories to list.
#[derive(InputObject, Default)]
pub struct CategoryFilter {
    /// Only categories whose name contains this text (case-insensitive).
    pub search: Option<String>,
}

impl CategoryFilter {
    /// The filter as a condition on top of the policy's scope.
    pub fn condition(&self) -> ApiResult<Condition> {
        let mut condition = Condition::all();
        if let Some(text) = &self.search {
            condition = condition.add(search(category::Column::Name, text)?);
        }
        Ok(condition)
    }
}
