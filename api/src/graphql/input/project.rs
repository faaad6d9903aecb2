//! Filters and orders of `projects`, `subProjects` and `categories`.

use async_graphql::{ID, InputObject};
use entity::{category, measure_goal, project, project_category, sub_project};
use sea_orm::{ColumnTrait, Condition, QueryFilter, QuerySelect, QueryTrait};

use super::{
    search,
    work::{WorkColumns, WorkFilter},
};
use crate::{
    error::ApiResult,
    graphql::{context::RequestScope, id},
    policy::FindVisible,
};

/// Which projects to list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct ProjectFilter {
    #[graphql(flatten)]
    pub work: WorkFilter,
    /// Only projects implementing this measure.
    pub measure_id: Option<ID>,
    /// Only projects implementing a measure derived from this goal.
    pub goal_id: Option<ID>,
    /// Only projects tagged with this category.
    pub category_id: Option<ID>,
    /// Only projects whose results are (true) or are not (false) transferable.
    pub transferable: Option<bool>,
    /// Only projects whose title or code contains this text (case-insensitive).
    pub search: Option<String>,
}

impl ProjectFilter {
    /// The filter as a condition on top of the policy's scope.
    pub async fn condition(&self, scope: &RequestScope) -> ApiResult<Condition> {
        use project::Column as C;
        let columns = WorkColumns {
            status: C::Status,
            rag: C::Rag,
            visibility: C::Visibility,
            owner: C::OrgUnitId,
            due: C::EndDate,
        };
        let mut condition = self.work.condition(scope, columns).await?;
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
    #[graphql(flatten)]
    pub work: WorkFilter,
    /// Only sub-projects of this project.
    pub project_id: Option<ID>,
    /// Only sub-projects whose title contains this text (case-insensitive).
    pub search: Option<String>,
}

impl SubProjectFilter {
    /// The filter as a condition on top of the policy's scope.
    pub async fn condition(&self, scope: &RequestScope) -> ApiResult<Condition> {
        use sub_project::Column as C;
        let columns = WorkColumns {
            status: C::Status,
            rag: C::Rag,
            visibility: C::Visibility,
            owner: C::OrgUnitId,
            due: C::EndDate,
        };
        let mut condition = self.work.condition(scope, columns).await?;
        if let Some(project) = &self.project_id {
            condition =
                condition.add(C::ProjectId.eq(id::decode(project, "Project", "filter.projectId")?));
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
