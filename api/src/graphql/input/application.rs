//! Filter of `applications`.

use async_graphql::{ID, InputObject};
use entity::{application, enums as db, steering_meeting};
use sea_orm::{ColumnTrait, Condition};

use super::{and_if, command::optional_id, one_of, owned_by, search};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{context::RequestScope, enums::ApplicationStatus, id},
};
use service::application::{
    self as applications, ApplicationDecision, ApplicationReview, NewApplication,
    NewSteeringMeeting,
};

/// Which applications to list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct ApplicationFilter {
    /// Only applications in one of these states (e.g. `[SUBMITTED, IN_REVIEW]` for those
    /// awaiting the steering committee).
    pub status: Option<Vec<ApplicationStatus>>,
    /// Only applications submitted by this org unit ...
    pub org_unit_id: Option<ID>,
    /// ... or the units below it (default true).
    #[graphql(default = true)]
    pub include_sub_units: bool,
    /// Only applications on the agenda of this meeting.
    pub meeting_id: Option<ID>,
    /// Only applications whose title contains this text (case-insensitive).
    pub search: Option<String>,
}

impl ApplicationFilter {
    /// The filter as a condition on top of the policy's scope.
    pub async fn condition(&self, scope: &RequestScope) -> ApiResult<Condition> {
        use application::Column as C;
        let mut condition = Condition::all();
        condition = and_if(
            condition,
            one_of::<_, _, db::ApplicationStatus>(C::Status, &self.status),
        );
        if let Some(unit) = &self.org_unit_id {
            condition =
                condition.add(owned_by(scope, C::OrgUnitId, unit, self.include_sub_units).await?);
        }
        if let Some(meeting) = &self.meeting_id {
            condition = condition.add(C::MeetingId.eq(id::decode(
                meeting,
                "SteeringMeeting",
                "filter.meetingId",
            )?));
        }
        if let Some(text) = &self.search {
            condition = condition.add(search(C::Title, text)?);
        }
        Ok(condition)
    }
}

order_input! {
    /// Sort order of `applications` (default: newest first).
    ApplicationOrder, ApplicationOrderField on application {
        /// Submission date.
        SubmittedOn => SubmittedOn,
        /// Decision date.
        DecidedOn => DecidedOn,
        /// Title.
        Title => Title,
        /// Status.
        Status => Status,
    }
}

/// A project idea for the steering committee.
#[derive(InputObject)]
pub struct SubmitApplicationInput {
    /// Title of the idea.
    pub title: String,
    /// What is proposed (required).
    pub description: String,
    /// Expected benefit.
    pub expected_benefit: Option<String>,
    /// Estimated cost in euros.
    pub estimated_cost: Option<rust_decimal::Decimal>,
    /// The submitting unit (default: the submitter's own).
    pub org_unit_id: Option<ID>,
}

/// Puts an application under review (central IT).
#[derive(InputObject)]
pub struct ReviewApplicationInput {
    /// The application.
    pub id: ID,
    /// The `version` the application was read at.
    pub version: i32,
    /// The meeting it is put on the agenda of.
    pub meeting_id: Option<ID>,
}

/// The steering committee's decision on an application (recorded by central IT).
#[derive(InputObject)]
pub struct DecideApplicationInput {
    /// The application.
    pub id: ID,
    /// Approved, rejected or deferred.
    pub decision: Decision,
    /// Note on the decision.
    pub note: Option<String>,
    /// The meeting that decided.
    pub meeting_id: Option<ID>,
    /// Number of the decision in the minutes.
    pub decision_number: Option<String>,
    /// Conditions attached to an approval.
    pub conditions: Option<String>,
    /// Budget released with an approval, in euros.
    pub budget_released: Option<rust_decimal::Decimal>,
    /// Date of the decision (default: the meeting's date, else today).
    pub decided_on: Option<crate::graphql::scalar::Date>,
    /// The `version` the application was read at; when given, a stale one is a conflict.
    pub version: Option<i32>,
}

/// What the steering committee decided.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Approved: the project is created.
    Approved,
    /// Rejected.
    Rejected,
    /// Deferred to a later meeting.
    Deferred,
}

/// A meeting of the steering committee (central IT).
#[derive(InputObject)]
pub struct CreateSteeringMeetingInput {
    /// Title, e.g. "Lenkungsausschuss E-Services, 13. Sitzung".
    pub title: String,
    /// Date of the meeting.
    pub held_on: crate::graphql::scalar::Date,
    /// Where it takes place (at most 300 characters).
    pub location: Option<String>,
    /// Minutes or notes (at most 20,000 characters).
    pub notes: Option<String>,
}

impl TryFrom<SubmitApplicationInput> for NewApplication {
    type Error = ApiError;

    fn try_from(input: SubmitApplicationInput) -> ApiResult<Self> {
        Ok(Self {
            org_unit_id: optional_id(input.org_unit_id.as_ref(), "OrgUnit", "orgUnitId")?,
            title: input.title,
            description: input.description,
            expected_benefit: input.expected_benefit,
            estimated_cost: input.estimated_cost,
        })
    }
}

impl TryFrom<ReviewApplicationInput> for ApplicationReview {
    type Error = ApiError;

    fn try_from(input: ReviewApplicationInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Application", "id")?,
            version: input.version,
            meeting_id: optional_id(input.meeting_id.as_ref(), "SteeringMeeting", "meetingId")?,
        })
    }
}

impl From<Decision> for applications::Decision {
    fn from(decision: Decision) -> Self {
        match decision {
            Decision::Approved => Self::Approved,
            Decision::Rejected => Self::Rejected,
            Decision::Deferred => Self::Deferred,
        }
    }
}

impl TryFrom<DecideApplicationInput> for ApplicationDecision {
    type Error = ApiError;

    fn try_from(input: DecideApplicationInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Application", "id")?,
            decision: input.decision.into(),
            note: input.note,
            meeting_id: optional_id(input.meeting_id.as_ref(), "SteeringMeeting", "meetingId")?,
            decision_number: input.decision_number,
            conditions: input.conditions,
            budget_released: input.budget_released,
            decided_on: input.decided_on.map(|d| d.0),
            version: input.version,
        })
    }
}

impl From<CreateSteeringMeetingInput> for NewSteeringMeeting {
    fn from(input: CreateSteeringMeetingInput) -> Self {
        Self {
            title: input.title,
            held_on: input.held_on.0,
            location: input.location,
            notes: input.notes,
        }
    }
}

order_input! {
    /// Sort order of `steeringMeetings` (default: newest first).
    SteeringMeetingOrder, SteeringMeetingOrderField on steering_meeting {
        /// The day of the meeting.
        HeldOn => HeldOn,
        /// Title.
        Title => Title,
        /// Creation.
        CreatedAt => CreatedAt,
    }
}
