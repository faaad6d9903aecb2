//! `submitApplication`, `reviewApplication`, `decideApplication`, `createSteeringMeeting`.

use async_graphql::{Context, Object, SimpleObject};

use crate::error::Result;

use crate::graphql::{
    context::scope,
    input::application::{
        CreateSteeringMeetingInput, DecideApplicationInput, ReviewApplicationInput,
        SubmitApplicationInput,
    },
    object::{Application, SteeringMeeting},
};

#[derive(Default)]
pub struct ApplicationMutation;

/// The application submitted.
#[derive(SimpleObject)]
pub struct SubmitApplicationPayload {
    pub application: Application,
}

/// The application under review.
#[derive(SimpleObject)]
pub struct ReviewApplicationPayload {
    pub application: Application,
}

/// The decided application (with its new project when approved).
#[derive(SimpleObject)]
pub struct DecideApplicationPayload {
    pub application: Application,
}

/// The meeting recorded.
#[derive(SimpleObject)]
pub struct CreateSteeringMeetingPayload {
    pub steering_meeting: SteeringMeeting,
}

#[Object]
impl ApplicationMutation {
    /// Submits a project idea (a department for its own unit, or central IT).
    async fn submit_application(
        &self,
        ctx: &Context<'_>,
        input: SubmitApplicationInput,
    ) -> Result<SubmitApplicationPayload> {
        let s = scope(ctx)?;
        let application = service::application::submit(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(SubmitApplicationPayload {
            application: Application(application),
        })
    }

    /// Puts an application under review, optionally on a meeting's agenda (central IT).
    async fn review_application(
        &self,
        ctx: &Context<'_>,
        input: ReviewApplicationInput,
    ) -> Result<ReviewApplicationPayload> {
        let s = scope(ctx)?;
        let application = service::application::review(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(ReviewApplicationPayload {
            application: Application(application),
        })
    }

    /// Records the steering committee's decision (central IT); approval creates the project.
    async fn decide_application(
        &self,
        ctx: &Context<'_>,
        input: DecideApplicationInput,
    ) -> Result<DecideApplicationPayload> {
        let s = scope(ctx)?;
        let application = service::application::decide(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(DecideApplicationPayload {
            application: Application(application),
        })
    }

    /// Records a meeting of the steering committee (central IT).
    async fn create_steering_meeting(
        &self,
        ctx: &Context<'_>,
        input: CreateSteeringMeetingInput,
    ) -> Result<CreateSteeringMeetingPayload> {
        let s = scope(ctx)?;
        let meeting = service::application::create_meeting(&s.db, &s.viewer, input.into()).await?;
        Ok(CreateSteeringMeetingPayload {
            steering_meeting: SteeringMeeting(meeting),
        })
    }
}
