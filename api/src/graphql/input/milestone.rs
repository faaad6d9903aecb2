//! Filter of `milestones`.

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::milestone;
use sea_orm::{ColumnTrait, Condition};

use super::{
    command::{change, change_as_is, kept},
    search,
};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        id,
        scalar::{Date, today},
    },
};
use service::milestone::{MilestoneOf, MilestonePatch, NewMilestone};

/// Which milestones to list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct MilestoneFilter {
    /// Only milestones of this project (its sub-projects' included).
    pub project_id: Option<ID>,
    /// Only milestones of this sub-project.
    pub sub_project_id: Option<ID>,
    /// Only achieved (true) or open (false) milestones.
    pub achieved: Option<bool>,
    /// Only milestones due before this date.
    pub due_before: Option<Date>,
    /// Only milestones due on or after this date.
    pub due_after: Option<Date>,
    /// Only milestones that are (true) or are not (false) past due and open.
    pub overdue: Option<bool>,
    /// Only milestones whose title or code contains this text (case-insensitive).
    pub search: Option<String>,
    /// Also archived milestones (default false).
    #[graphql(default = false)]
    pub include_archived: bool,
}

impl MilestoneFilter {
    /// The filter as a condition on top of the policy's scope.
    pub fn condition(&self) -> ApiResult<Condition> {
        use milestone::Column as C;
        let mut condition = Condition::all();
        if !self.include_archived {
            condition = condition.add(C::ArchivedAt.is_null());
        }
        if let Some(project) = &self.project_id {
            condition =
                condition.add(C::ProjectId.eq(id::decode(project, "Project", "filter.projectId")?));
        }
        if let Some(sub) = &self.sub_project_id {
            condition = condition.add(C::SubProjectId.eq(id::decode(
                sub,
                "SubProject",
                "filter.subProjectId",
            )?));
        }
        if let Some(achieved) = self.achieved {
            condition = condition.add(if achieved {
                C::AchievedOn.is_not_null()
            } else {
                C::AchievedOn.is_null()
            });
        }
        if let Some(date) = self.due_before {
            condition = condition.add(C::DueDate.lt(date.0));
        }
        if let Some(date) = self.due_after {
            condition = condition.add(C::DueDate.gte(date.0));
        }
        if let Some(overdue) = self.overdue {
            let late = Condition::all()
                .add(C::DueDate.lt(today()))
                .add(C::AchievedOn.is_null());
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
    /// Sort order of a list of milestones.
    MilestoneOrder, MilestoneOrderField on milestone {
        /// Due date.
        DueDate => DueDate,
        /// Date achieved.
        AchievedOn => AchievedOn,
        /// Code.
        Code => Code,
        /// Title.
        Title => Title,
    }
}

/// A new milestone of a project or of one of its sub-projects (central IT, or the department
/// owning the project or sub-project).
#[derive(async_graphql::InputObject)]
pub struct CreateMilestoneInput {
    /// The project (when the milestone belongs to the project itself).
    pub project_id: Option<ID>,
    /// The sub-project (when the milestone belongs to a sub-project).
    pub sub_project_id: Option<ID>,
    /// Code, e.g. "M_62".
    pub code: String,
    /// Title.
    pub title: String,
    /// What has to be reached (at most 20,000 characters).
    pub description: Option<String>,
    /// When it is due.
    pub due_date: Date,
    /// When it was achieved, if it already was.
    pub achieved_on: Option<Date>,
}

/// Changes to a milestone; `achievedOn` marks it achieved (or, with `null`, open again).
#[derive(async_graphql::InputObject)]
pub struct UpdateMilestoneInput {
    /// The milestone.
    pub id: ID,
    /// The `version` the milestone was read at.
    pub version: i32,
    /// Code, e.g. "M_62" (at most 300 characters).
    pub code: MaybeUndefined<String>,
    /// Title (at most 300 characters).
    pub title: MaybeUndefined<String>,
    /// What has to be reached (at most 20,000 characters).
    pub description: async_graphql::MaybeUndefined<String>,
    /// When it is due.
    pub due_date: MaybeUndefined<Date>,
    /// When it was achieved (not in the future); `null` opens it again.
    pub achieved_on: async_graphql::MaybeUndefined<Date>,
}

impl TryFrom<CreateMilestoneInput> for NewMilestone {
    type Error = ApiError;

    fn try_from(input: CreateMilestoneInput) -> ApiResult<Self> {
        // A sub-project names the project too: the project id is read only without one.
        let of = match (&input.project_id, &input.sub_project_id) {
            (_, Some(sub)) => {
                MilestoneOf::SubProject(id::decode(sub, "SubProject", "subProjectId")?)
            }
            (Some(project), None) => {
                MilestoneOf::Project(id::decode(project, "Project", "projectId")?)
            }
            (None, None) => {
                return Err(ApiError::bad_input(
                    "projectId",
                    "give a projectId or a subProjectId",
                ));
            }
        };
        Ok(Self {
            of,
            code: input.code,
            title: input.title,
            description: input.description,
            due_date: input.due_date.0,
            achieved_on: input.achieved_on.map(|d| d.0),
        })
    }
}

impl TryFrom<UpdateMilestoneInput> for MilestonePatch {
    type Error = ApiError;

    fn try_from(input: UpdateMilestoneInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Milestone", "id")?,
            version: input.version,
            code: kept(input.code, "code")?,
            title: kept(input.title, "title")?,
            description: change_as_is(input.description),
            due_date: kept(input.due_date, "dueDate")?.map(|d| d.0),
            achieved_on: change(input.achieved_on, |d| d.0),
        })
    }
}
