//! Filters and orders of `projects`, `subProjects` and `categories`.

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::{category, measure_goal, project, project_category, sub_project};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, Condition, QueryFilter, QuerySelect, QueryTrait};

use super::{
    command::{
        change, change_as_is, change_id, id_list, kept, optional_id, renamed, renamed_option,
    },
    search,
    work::{WorkColumns, WorkFilter},
};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        context::RequestScope,
        enums::{Status, Visibility},
        id,
        scalar::Date,
    },
};
use service::{
    policy::FindVisible,
    project::{Contact, NewProject, NewSubProject, ProjectPatch, SubProjectPatch},
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
    /// Sort order of a list of projects.
    ProjectOrder, ProjectOrderField on project {
        /// Title.
        Title => Title,
        /// Project code.
        Code => Code,
        /// Due date (the planned end).
        DueDate => EndDate,
        /// The planned end: the old name of `DUE_DATE`.
        #[graphql(deprecation = "Use `DUE_DATE`: the same order.")]
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
    /// Sort order of a list of sub-projects.
    SubProjectOrder, SubProjectOrderField on sub_project {
        /// Title.
        Title => Title,
        /// Code.
        Code => Code,
        /// Due date (the planned end).
        DueDate => EndDate,
        /// The planned end: the old name of `DUE_DATE`.
        #[graphql(deprecation = "Use `DUE_DATE`: the same order.")]
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
    /// What sets the project apart ("Alleinstellungsmerkmal"; at most 20,000 characters).
    pub unique_selling_point: Option<String>,
    /// Benefit for all municipalities ("Mehrwert für alle Kommunen"; at most 20,000
    /// characters).
    pub benefit_for_all: Option<String>,
    /// Whether results can be reused by other administrations.
    #[graphql(default)]
    pub transferable: bool,
    /// Transferable results ("übertragbare Ergebnisse"; at most 20,000 characters).
    pub transferable_results: Option<String>,
    /// From when the results can be transferred.
    pub transferable_from: Option<Date>,
    /// Recipient of the funding ("Zuwendungsempfänger"; at most 300 characters).
    pub funding_recipient: Option<String>,
    /// Model region the project belongs to (at most 300 characters).
    pub model_region: Option<String>,
    /// Pilot areas the project is tried out in (at most 20,000 characters).
    pub pilot_areas: Option<String>,
    /// Planned start.
    pub start_date: Option<Date>,
    /// Due date: the planned end (not before the start).
    pub due_date: Option<Date>,
    /// The planned end: the old name of `dueDate`.
    #[graphql(deprecation = "Use `dueDate`: the same date, named as on every WorkItem.")]
    pub end_date: Option<Date>,
    /// Phase "Vorbereitung": when the project application was approved.
    pub application_approved_on: Option<Date>,
    /// Phase "Konzeption": when implementation was commissioned.
    pub implementation_commissioned_on: Option<Date>,
    /// Phase "Umsetzung": the go-live (e.g. in the model regions).
    pub go_live_on: Option<Date>,
    /// Phase "Projektabschluss": when the project was closed.
    pub closed_on: Option<Date>,
    /// Categories to tag the project with.
    #[graphql(default)]
    pub category_ids: Vec<ID>,
    /// Weight in the parent's roll-up when the tenant weighs by `WEIGHT`: 0 (counts for
    /// nothing) to 1000, at most two decimals (default 1).
    pub weight: Option<Decimal>,
}

/// Changes to a project; fields left out stay as they are, `null` clears an optional field.
/// Departments may change only the `status` of projects their unit subtree owns.
#[derive(InputObject)]
pub struct UpdateProjectInput {
    /// The project.
    pub id: ID,
    /// The `version` the project was read at.
    pub version: i32,
    /// Title (at most 300 characters).
    pub title: MaybeUndefined<String>,
    /// Project number or short code (at most 300 characters).
    pub code: MaybeUndefined<String>,
    /// One-paragraph summary (at most 20,000 characters).
    pub summary: MaybeUndefined<String>,
    /// Full description (at most 20,000 characters).
    pub description: MaybeUndefined<String>,
    /// The measure the project implements; `null` detaches it from its measure.
    pub measure_id: MaybeUndefined<ID>,
    /// Moves the lead to another unit (or project area).
    pub org_unit_id: MaybeUndefined<ID>,
    /// Life-cycle state (the one field the owning department may change).
    pub status: MaybeUndefined<Status>,
    /// Who may read it.
    pub visibility: MaybeUndefined<Visibility>,
    /// Contact person, replaced whole; `null` removes it.
    pub contact: MaybeUndefined<ContactInput>,
    /// What sets the project apart ("Alleinstellungsmerkmal"; at most 20,000 characters).
    pub unique_selling_point: MaybeUndefined<String>,
    /// Benefit for all municipalities ("Mehrwert für alle Kommunen"; at most 20,000
    /// characters).
    pub benefit_for_all: MaybeUndefined<String>,
    /// Whether results can be reused by other administrations.
    pub transferable: MaybeUndefined<bool>,
    /// Transferable results ("übertragbare Ergebnisse"; at most 20,000 characters).
    pub transferable_results: MaybeUndefined<String>,
    /// From when the results can be transferred.
    pub transferable_from: MaybeUndefined<Date>,
    /// Recipient of the funding ("Zuwendungsempfänger"; at most 300 characters).
    pub funding_recipient: MaybeUndefined<String>,
    /// Model region the project belongs to (at most 300 characters).
    pub model_region: MaybeUndefined<String>,
    /// Pilot areas the project is tried out in (at most 20,000 characters).
    pub pilot_areas: MaybeUndefined<String>,
    /// Planned start.
    pub start_date: MaybeUndefined<Date>,
    /// Due date: the planned end (not before the start).
    pub due_date: MaybeUndefined<Date>,
    /// The planned end: the old name of `dueDate`.
    #[graphql(deprecation = "Use `dueDate`: the same date, named as on every WorkItem.")]
    pub end_date: MaybeUndefined<Date>,
    /// Phase "Vorbereitung": when the project application was approved.
    pub application_approved_on: MaybeUndefined<Date>,
    /// Phase "Konzeption": when implementation was commissioned.
    pub implementation_commissioned_on: MaybeUndefined<Date>,
    /// Phase "Umsetzung": the go-live (e.g. in the model regions).
    pub go_live_on: MaybeUndefined<Date>,
    /// Phase "Projektabschluss": when the project was closed.
    pub closed_on: MaybeUndefined<Date>,
    /// Replaces the categories.
    pub category_ids: MaybeUndefined<Vec<ID>>,
    /// Weight in the parent's roll-up when the tenant weighs by `WEIGHT`: 0 (counts for
    /// nothing) to 1000, at most two decimals. Central IT only: the
    /// measure's figure weighs projects of several units against each other.
    pub weight: MaybeUndefined<Decimal>,
}

/// A new sub-project (central IT, or the department owning the project).
#[derive(InputObject)]
pub struct CreateSubProjectInput {
    /// The project it belongs to.
    pub project_id: ID,
    /// Title (at most 300 characters).
    pub title: String,
    /// Short code (at most 300 characters).
    pub code: Option<String>,
    /// What the sub-project does (at most 20,000 characters).
    pub description: Option<String>,
    /// The lead unit (default: the project's); a department may name only its own units.
    pub org_unit_id: Option<ID>,
    /// Life-cycle state (default: planned).
    #[graphql(default_with = "Status::Planned")]
    pub status: Status,
    /// Who may read it (default: administration only).
    #[graphql(default_with = "Visibility::Internal")]
    pub visibility: Visibility,
    /// Planned start.
    pub start_date: Option<Date>,
    /// Due date: the planned end (not before the start).
    pub due_date: Option<Date>,
    /// The planned end: the old name of `dueDate`.
    #[graphql(deprecation = "Use `dueDate`: the same date, named as on every WorkItem.")]
    pub end_date: Option<Date>,
    /// Weight in the parent's roll-up when the tenant weighs by `WEIGHT`: 0 (counts for
    /// nothing) to 1000, at most two decimals (default 1).
    pub weight: Option<Decimal>,
}

/// Changes to a sub-project (central IT, or the department owning it); only central IT
/// changes the visibility.
#[derive(InputObject)]
pub struct UpdateSubProjectInput {
    /// The sub-project.
    pub id: ID,
    /// The `version` the sub-project was read at.
    pub version: i32,
    /// Title (at most 300 characters).
    pub title: MaybeUndefined<String>,
    /// Short code (at most 300 characters).
    pub code: MaybeUndefined<String>,
    /// What the sub-project does (at most 20,000 characters).
    pub description: MaybeUndefined<String>,
    /// Moves the lead to another unit; a department may name only its own units.
    pub org_unit_id: MaybeUndefined<ID>,
    /// Life-cycle state.
    pub status: MaybeUndefined<Status>,
    /// Who may read it; only central IT may change it.
    pub visibility: MaybeUndefined<Visibility>,
    /// Planned start.
    pub start_date: MaybeUndefined<Date>,
    /// Due date: the planned end (not before the start).
    pub due_date: MaybeUndefined<Date>,
    /// The planned end: the old name of `dueDate`.
    #[graphql(deprecation = "Use `dueDate`: the same date, named as on every WorkItem.")]
    pub end_date: MaybeUndefined<Date>,
    /// Weight in the parent's roll-up when the tenant weighs by `WEIGHT`: 0 (counts for
    /// nothing) to 1000, at most two decimals. Whoever may edit the
    /// sub-project.
    pub weight: MaybeUndefined<Decimal>,
}

impl From<ContactInput> for Contact {
    fn from(input: ContactInput) -> Self {
        Self {
            name: input.name,
            email: input.email,
            phone: input.phone,
        }
    }
}

impl TryFrom<CreateProjectInput> for NewProject {
    type Error = ApiError;

    fn try_from(input: CreateProjectInput) -> ApiResult<Self> {
        Ok(Self {
            measure_id: optional_id(input.measure_id.as_ref(), "Measure", "measureId")?,
            org_unit_id: id::decode(&input.org_unit_id, "OrgUnit", "orgUnitId")?,
            category_ids: id_list(&input.category_ids, "Category", "categoryIds")?,
            title: input.title,
            code: input.code,
            summary: input.summary,
            description: input.description,
            status: input.status.into(),
            visibility: input.visibility.into(),
            contact: input.contact.map(Into::into),
            unique_selling_point: input.unique_selling_point,
            benefit_for_all: input.benefit_for_all,
            transferable: input.transferable,
            transferable_results: input.transferable_results,
            transferable_from: input.transferable_from.map(|d| d.0),
            funding_recipient: input.funding_recipient,
            model_region: input.model_region,
            pilot_areas: input.pilot_areas,
            start_date: input.start_date.map(|d| d.0),
            end_date: renamed_option(input.due_date, input.end_date, ("dueDate", "endDate"))?
                .map(|d| d.0),
            application_approved_on: input.application_approved_on.map(|d| d.0),
            implementation_commissioned_on: input.implementation_commissioned_on.map(|d| d.0),
            go_live_on: input.go_live_on.map(|d| d.0),
            closed_on: input.closed_on.map(|d| d.0),
            weight: input.weight,
        })
    }
}

impl TryFrom<UpdateProjectInput> for ProjectPatch {
    type Error = ApiError;

    fn try_from(input: UpdateProjectInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Project", "id")?,
            version: input.version,
            measure_id: change_id(input.measure_id, "Measure", "measureId")?,
            org_unit_id: optional_id(
                kept(input.org_unit_id, "orgUnitId")?.as_ref(),
                "OrgUnit",
                "orgUnitId",
            )?,
            category_ids: kept(input.category_ids, "categoryIds")?
                .map(|ids| id_list(&ids, "Category", "categoryIds"))
                .transpose()?,
            title: kept(input.title, "title")?,
            code: change_as_is(input.code),
            summary: change_as_is(input.summary),
            description: change_as_is(input.description),
            status: kept(input.status, "status")?.map(Into::into),
            visibility: kept(input.visibility, "visibility")?.map(Into::into),
            contact: change(input.contact, Into::into),
            unique_selling_point: change_as_is(input.unique_selling_point),
            benefit_for_all: change_as_is(input.benefit_for_all),
            transferable: kept(input.transferable, "transferable")?,
            transferable_results: change_as_is(input.transferable_results),
            transferable_from: change(input.transferable_from, |d| d.0),
            funding_recipient: change_as_is(input.funding_recipient),
            model_region: change_as_is(input.model_region),
            pilot_areas: change_as_is(input.pilot_areas),
            start_date: change(input.start_date, |d| d.0),
            end_date: change(
                renamed(input.due_date, input.end_date, ("dueDate", "endDate"))?,
                |d| d.0,
            ),
            application_approved_on: change(input.application_approved_on, |d| d.0),
            implementation_commissioned_on: change(input.implementation_commissioned_on, |d| d.0),
            go_live_on: change(input.go_live_on, |d| d.0),
            closed_on: change(input.closed_on, |d| d.0),
            weight: kept(input.weight, "weight")?,
        })
    }
}

impl TryFrom<CreateSubProjectInput> for NewSubProject {
    type Error = ApiError;

    fn try_from(input: CreateSubProjectInput) -> ApiResult<Self> {
        Ok(Self {
            project_id: id::decode(&input.project_id, "Project", "projectId")?,
            org_unit_id: optional_id(input.org_unit_id.as_ref(), "OrgUnit", "orgUnitId")?,
            title: input.title,
            code: input.code,
            description: input.description,
            status: input.status.into(),
            visibility: input.visibility.into(),
            start_date: input.start_date.map(|d| d.0),
            end_date: renamed_option(input.due_date, input.end_date, ("dueDate", "endDate"))?
                .map(|d| d.0),
            weight: input.weight,
        })
    }
}

impl TryFrom<UpdateSubProjectInput> for SubProjectPatch {
    type Error = ApiError;

    fn try_from(input: UpdateSubProjectInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "SubProject", "id")?,
            version: input.version,
            org_unit_id: optional_id(
                kept(input.org_unit_id, "orgUnitId")?.as_ref(),
                "OrgUnit",
                "orgUnitId",
            )?,
            title: kept(input.title, "title")?,
            code: change_as_is(input.code),
            description: change_as_is(input.description),
            status: kept(input.status, "status")?.map(Into::into),
            visibility: kept(input.visibility, "visibility")?.map(Into::into),
            start_date: change(input.start_date, |d| d.0),
            end_date: change(
                renamed(input.due_date, input.end_date, ("dueDate", "endDate"))?,
                |d| d.0,
            ),
            weight: kept(input.weight, "weight")?,
        })
    }
}
