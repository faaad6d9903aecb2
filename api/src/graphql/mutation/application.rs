//! `submitApplication`, `reviewApplication`, `decideApplication`, `createSteeringMeeting`.

use async_graphql::{Context, Object, SimpleObject};

use crate::error::or_null;

use crate::graphql::{
    context::scope,
    input::application::{
        CreateSteeringMeetingInput, DecideApplicationInput, ReviewApplicationInput,
        SubmitApplicationInput,
    },
    input::parsed::Parsed,
    object::{Application, SteeringMeeting},
};

#[derive(Default)]
pub struct ApplicationMutation;

/// The application submitted.
#[derive(SimpleObject)]
pub struct SubmitApplicationPayload {
    /// The new application.
    pub application: Application,
}

/// The application under review.
#[derive(SimpleObject)]
pub struct ReviewApplicationPayload {
    /// The application, now under review.
    pub application: Application,
}

/// The decided application (with its new project when approved).
#[derive(SimpleObject)]
pub struct DecideApplicationPayload {
    /// The application as decided; its `project` is the one an approval created.
    pub application: Application,
}

/// The meeting recorded.
#[derive(SimpleObject)]
pub struct CreateSteeringMeetingPayload {
    /// The new meeting.
    pub steering_meeting: SteeringMeeting,
}

#[Object]
impl ApplicationMutation {
    /// Submits a project idea (a department for its own unit, or central IT).
    async fn submit_application(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The idea to submit.")] input: Parsed<SubmitApplicationInput>,
    ) -> Option<SubmitApplicationPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let application =
                service::application::submit(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(SubmitApplicationPayload {
                application: Application(application),
            })
        })
        .await
    }

    /// Puts an application under review, optionally on a meeting's agenda (central IT).
    async fn review_application(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application, the version it was read at and the meeting.")]
        input: Parsed<ReviewApplicationInput>,
    ) -> Option<ReviewApplicationPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let application =
                service::application::review(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(ReviewApplicationPayload {
                application: Application(application),
            })
        })
        .await
    }

    /// Records the steering committee's decision (central IT); approval creates the project.
    async fn decide_application(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application and the committee's decision.")] input: Parsed<
            DecideApplicationInput,
        >,
    ) -> Option<DecideApplicationPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let application =
                service::application::decide(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(DecideApplicationPayload {
                application: Application(application),
            })
        })
        .await
    }

    /// Records a meeting of the steering committee (central IT).
    async fn create_steering_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting to record.")] input: Parsed<CreateSteeringMeetingInput>,
    ) -> Option<CreateSteeringMeetingPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let meeting =
                service::application::create_meeting(&s.db, &s.viewer, input.into()).await?;
            Ok(CreateSteeringMeetingPayload {
                steering_meeting: SteeringMeeting(meeting),
            })
        })
        .await
    }
}
