//! Filters and orders of `projects`, `subProjects` and `categories`.

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::{category, measure_goal, project, project_category, sub_project};
use sea_orm::{ColumnTrait, Condition, QueryFilter, QuerySelect, QueryTrait};

use super::{
    search,
    work::{WorkColumns, WorkFilter},
};
use crate::{
    error::ApiResult,
    graphql::{
        context::RequestScope,
        enums::{Status, Visibility},
        id,
        scalar::Date,
    },
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
            archived: C::ArchivedAt,
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
            archived: C::ArchivedAt,
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

/// A contact person.
#[derive(InputObject)]
pub struct ContactInput {
    /// Name of the person or unit.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
}

/// A new project (central IT).
#[derive(InputObject)]
pub struct CreateProjectInput {
    /// Title (at most 300 characters).
    pub title: String,
    /// Project number or short code.
    pub code: Option<String>,
    /// One-paragraph summary.
    pub summary: Option<String>,
    /// Full description.
    pub description: Option<String>,
    /// The measure the project implements.
    pub measure_id: Option<ID>,
    /// The lead unit (or project area).
    pub org_unit_id: ID,
    /// Life-cycle state (default: draft).
    #[graphql(default_with = "Status::Draft")]
    pub status: Status,
    /// Who may read it (default: administration only).
    #[graphql(default_with = "Visibility::Internal")]
    pub visibility: Visibility,
    /// Contact person.
    pub contact: Option<ContactInput>,
    pub unique_selling_point: Option<String>,
    pub benefit_for_all: Option<String>,
    /// Whether results can be reused by other administrations.
    #[graphql(default)]
    pub transferable: bool,
    pub transferable_results: Option<String>,
    pub transferable_from: Option<Date>,
    pub funding_recipient: Option<String>,
    pub model_region: Option<String>,
    pub pilot_areas: Option<String>,
    pub start_date: Option<Date>,
    /// Planned end (not before the start).
    pub end_date: Option<Date>,
    pub application_approved_on: Option<Date>,
    pub implementation_commissioned_on: Option<Date>,
    pub go_live_on: Option<Date>,
    pub closed_on: Option<Date>,
    /// Categories to tag the project with.
    #[graphql(default)]
    pub category_ids: Vec<ID>,
}

/// Changes to a project; fields left out stay as they are, `null` clears an optional field.
/// Departments may change only the `status` of projects their unit subtree owns.
#[derive(InputObject)]
pub struct UpdateProjectInput {
    /// The project.
    pub id: ID,
    /// The `version` the project was read at.
    pub version: i32,
    pub title: Option<String>,
    pub code: MaybeUndefined<String>,
    pub summary: MaybeUndefined<String>,
    pub description: MaybeUndefined<String>,
    pub measure_id: MaybeUndefined<ID>,
    pub org_unit_id: Option<ID>,
    pub status: Option<Status>,
    pub visibility: Option<Visibility>,
    pub contact: MaybeUndefined<ContactInput>,
    pub unique_selling_point: MaybeUndefined<String>,
    pub benefit_for_all: MaybeUndefined<String>,
    pub transferable: Option<bool>,
    pub transferable_results: MaybeUndefined<String>,
    pub transferable_from: MaybeUndefined<Date>,
    pub funding_recipient: MaybeUndefined<String>,
    pub model_region: MaybeUndefined<String>,
    pub pilot_areas: MaybeUndefined<String>,
    pub start_date: MaybeUndefined<Date>,
    pub end_date: MaybeUndefined<Date>,
    pub application_approved_on: MaybeUndefined<Date>,
    pub implementation_commissioned_on: MaybeUndefined<Date>,
    pub go_live_on: MaybeUndefined<Date>,
    pub closed_on: MaybeUndefined<Date>,
    /// Replaces the categories.
    pub category_ids: Option<Vec<ID>>,
}

impl UpdateProjectInput {
    /// Whether the change goes beyond the status (only central IT may do that).
    pub fn touches_master_data(&self) -> bool {
        let undefined = [
            self.code.is_undefined(),
            self.summary.is_undefined(),
            self.description.is_undefined(),
            self.measure_id.is_undefined(),
            self.contact.is_undefined(),
            self.unique_selling_point.is_undefined(),
            self.benefit_for_all.is_undefined(),
            self.transferable_results.is_undefined(),
            self.transferable_from.is_undefined(),
            self.funding_recipient.is_undefined(),
            self.model_region.is_undefined(),
            self.pilot_areas.is_undefined(),
            self.start_date.is_undefined(),
            self.end_date.is_undefined(),
            self.application_approved_on.is_undefined(),
            self.implementation_commissioned_on.is_undefined(),
            self.go_live_on.is_undefined(),
            self.closed_on.is_undefined(),
        ];
        self.title.is_some()
            || self.org_unit_id.is_some()
            || self.visibility.is_some()
            || self.transferable.is_some()
            || self.category_ids.is_some()
            || undefined.iter().any(|undefined| !undefined)
    }
}

/// A new sub-project (central IT, or the department owning the project).
#[derive(InputObject)]
pub struct CreateSubProjectInput {
    /// The project it belongs to.
    pub project_id: ID,
    /// Title (at most 300 characters).
    pub title: String,
    pub code: Option<String>,
    pub description: Option<String>,
    /// The lead unit (default: the project's); a department may name only its own units.
    pub org_unit_id: Option<ID>,
    /// Life-cycle state (default: planned).
    #[graphql(default_with = "Status::Planned")]
    pub status: Status,
    /// Who may read it (default: administration only).
    #[graphql(default_with = "Visibility::Internal")]
    pub visibility: Visibility,
    pub start_date: Option<Date>,
    /// Planned end (not before the start).
    pub end_date: Option<Date>,
}

/// Changes to a sub-project (central IT, or the department owning it); only central IT
/// changes the visibility.
#[derive(InputObject)]
pub struct UpdateSubProjectInput {
    /// The sub-project.
    pub id: ID,
    /// The `version` the sub-project was read at.
    pub version: i32,
    pub title: Option<String>,
    pub code: MaybeUndefined<String>,
    pub description: MaybeUndefined<String>,
    pub org_unit_id: Option<ID>,
    pub status: Option<Status>,
    pub visibility: Option<Visibility>,
    pub start_date: MaybeUndefined<Date>,
    pub end_date: MaybeUndefined<Date>,
}
