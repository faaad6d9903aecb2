//! Filter of `applications`.

use async_graphql::{ID, InputObject};
use entity::{application, enums as db};
use sea_orm::{ColumnTrait, Condition};

use super::{and_if, one_of, owned_by, search};
use crate::{
    error::ApiResult,
    graphql::{context::RequestScope, enums::ApplicationStatus, id},
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
