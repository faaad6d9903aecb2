//! Filter and order of `measures`.

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::{enums as db, measure, measure_goal};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, Condition, QueryFilter, QuerySelect, QueryTrait};

use super::command::{change, change_as_is, id_list, kept, optional_id, renamed, renamed_option};
use super::{
    and_if, one_of, search,
    work::{WorkColumns, WorkFilter},
};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        context::RequestScope,
        enums::{MeasureKind, Priority, Status, Visibility},
        id,
        scalar::Date,
    },
};
use service::{
    measure::{MeasurePatch, NewMeasure},
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
    /// Only measures whose title or code contains this text (case-insensitive).
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
            archived: C::ArchivedAt,
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
    /// Sort order of a list of measures.
    MeasureOrder, MeasureOrderField on measure {
        /// Code (the measure's number).
        Code => Number,
        /// The measure's number: the old name of `CODE`.
        #[graphql(deprecation = "Use `CODE`: the same order.")]
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

/// A new measure.
#[derive(InputObject)]
pub struct CreateMeasureInput {
    /// Code (the measure's number), e.g. "M-07" (required; unique by convention, not
    /// enforced).
    pub code: Option<String>,
    /// The measure's number: the old name of `code`.
    #[graphql(
        deprecation = "Use `code`: the same number, named like the code of every other row."
    )]
    pub number: Option<String>,
    /// Title (at most 300 characters).
    pub title: String,
    /// What the measure does (at most 20,000 characters).
    pub description: Option<String>,
    /// What kind of measure this is.
    #[graphql(default_with = "MeasureKind::Implementation")]
    pub kind: MeasureKind,
    /// How urgent it is.
    #[graphql(default_with = "Priority::Medium")]
    pub priority: Priority,
    /// The responsible org unit.
    pub org_unit_id: ID,
    /// The goals it is derived from.
    #[graphql(default)]
    pub goal_ids: Vec<ID>,
    /// Who may read it (default: administration only).
    #[graphql(default_with = "Visibility::Internal")]
    pub visibility: Visibility,
    /// Life-cycle state (default: draft).
    #[graphql(default_with = "Status::Draft")]
    pub status: Status,
    /// Planned start.
    pub start_date: Option<Date>,
    /// Due date (not before the start).
    pub due_date: Option<Date>,
    /// Planned effort in person-days.
    pub planned_effort_days: Option<Decimal>,
    /// Effort spent in person-days.
    pub actual_effort_days: Option<Decimal>,
    /// Target group (communication measures).
    pub target_group: Option<String>,
    /// Channel (communication measures).
    pub channel: Option<String>,
    /// Organiser (communication measures).
    pub organiser: Option<String>,
    /// Weight in the parent's roll-up when the tenant weighs by `WEIGHT`: 0 (counts for
    /// nothing) to 1000, at most two decimals (default 1).
    pub weight: Option<Decimal>,
}

/// Changes to a measure; fields left out stay as they are, `null` clears an optional field.
/// Departments may change only the `status` of measures their unit subtree owns; progress
/// and traffic light follow the status reports.
#[derive(InputObject)]
pub struct UpdateMeasureInput {
    /// The measure.
    pub id: ID,
    /// The `version` the measure was read at.
    pub version: i32,
    /// Code (the measure's number), e.g. "M-07" (unique by convention, not enforced).
    pub code: MaybeUndefined<String>,
    /// The measure's number: the old name of `code`.
    #[graphql(
        deprecation = "Use `code`: the same number, named like the code of every other row."
    )]
    pub number: MaybeUndefined<String>,
    /// Title (at most 300 characters).
    pub title: MaybeUndefined<String>,
    /// What the measure does (at most 20,000 characters).
    pub description: MaybeUndefined<String>,
    /// What kind of measure this is.
    pub kind: MaybeUndefined<MeasureKind>,
    /// How urgent it is.
    pub priority: MaybeUndefined<Priority>,
    /// Moves the responsibility to another org unit.
    pub org_unit_id: MaybeUndefined<ID>,
    /// Replaces the goals the measure is derived from (moves it between goals).
    pub goal_ids: MaybeUndefined<Vec<ID>>,
    /// Who may read it.
    pub visibility: MaybeUndefined<Visibility>,
    /// Life-cycle state (the one field the owning department may change).
    pub status: MaybeUndefined<Status>,
    /// Planned start.
    pub start_date: MaybeUndefined<Date>,
    /// Due date (not before the start).
    pub due_date: MaybeUndefined<Date>,
    /// When it was completed (set automatically when the status becomes COMPLETED).
    pub completed_on: MaybeUndefined<Date>,
    /// Planned effort in person-days (not negative, at most two decimals).
    pub planned_effort_days: MaybeUndefined<Decimal>,
    /// Effort spent in person-days (not negative, at most two decimals).
    pub actual_effort_days: MaybeUndefined<Decimal>,
    /// Target group (communication measures; at most 300 characters).
    pub target_group: MaybeUndefined<String>,
    /// Channel (communication measures; at most 300 characters).
    pub channel: MaybeUndefined<String>,
    /// Organiser (communication measures; at most 300 characters).
    pub organiser: MaybeUndefined<String>,
    /// Weight in the parent's roll-up when the tenant weighs by `WEIGHT`: 0 (counts for
    /// nothing) to 1000, at most two decimals. Central IT only.
    pub weight: MaybeUndefined<Decimal>,
}

impl TryFrom<CreateMeasureInput> for NewMeasure {
    type Error = ApiError;

    fn try_from(input: CreateMeasureInput) -> ApiResult<Self> {
        Ok(Self {
            org_unit_id: id::decode(&input.org_unit_id, "OrgUnit", "orgUnitId")?,
            goal_ids: id_list(&input.goal_ids, "Goal", "goalIds")?,
            number: renamed_option(input.code, input.number, ("code", "number"))?
                .ok_or_else(|| ApiError::bad_input("code", "is required"))?,
            title: input.title,
            description: input.description,
            kind: input.kind.into(),
            priority: input.priority.into(),
            visibility: input.visibility.into(),
            status: input.status.into(),
            start_date: input.start_date.map(|d| d.0),
            due_date: input.due_date.map(|d| d.0),
            planned_effort_days: input.planned_effort_days,
            actual_effort_days: input.actual_effort_days,
            target_group: input.target_group,
            channel: input.channel,
            organiser: input.organiser,
            weight: input.weight,
        })
    }
}

impl TryFrom<UpdateMeasureInput> for MeasurePatch {
    type Error = ApiError;

    fn try_from(input: UpdateMeasureInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Measure", "id")?,
            version: input.version,
            org_unit_id: optional_id(
                kept(input.org_unit_id, "orgUnitId")?.as_ref(),
                "OrgUnit",
                "orgUnitId",
            )?,
            goal_ids: kept(input.goal_ids, "goalIds")?
                .map(|ids| id_list(&ids, "Goal", "goalIds"))
                .transpose()?,
            number: kept(
                renamed(input.code, input.number, ("code", "number"))?,
                "code",
            )?,
            title: kept(input.title, "title")?,
            description: change_as_is(input.description),
            kind: kept(input.kind, "kind")?.map(Into::into),
            priority: kept(input.priority, "priority")?.map(Into::into),
            visibility: kept(input.visibility, "visibility")?.map(Into::into),
            status: kept(input.status, "status")?.map(Into::into),
            start_date: change(input.start_date, |d| d.0),
            due_date: change(input.due_date, |d| d.0),
            completed_on: change(input.completed_on, |d| d.0),
            planned_effort_days: change_as_is(input.planned_effort_days),
            actual_effort_days: change_as_is(input.actual_effort_days),
            target_group: change_as_is(input.target_group),
            channel: change_as_is(input.channel),
            organiser: change_as_is(input.organiser),
            weight: kept(input.weight, "weight")?,
        })
    }
}
