//! `addParticipant`, `updateParticipant`, `removeParticipant` and `adoptFromCatalogue`
//! (central IT).

use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::or_null;
use crate::graphql::{
    context::scope,
    id,
    input::parsed::Parsed,
    input::participant::{
        AddParticipantInput, AdoptFromCatalogueInput, RemoveParticipantInput,
        UpdateParticipantInput,
    },
    object::{Application, Participant},
};

#[derive(Default)]
pub struct ParticipantMutation;

/// The participant added.
#[derive(SimpleObject)]
pub struct AddParticipantPayload {
    /// The new participant, with its project or sub-project.
    pub participant: Participant,
}

/// The participant as changed.
#[derive(SimpleObject)]
pub struct UpdateParticipantPayload {
    /// The participant after the change.
    pub participant: Participant,
}

/// The participant removed.
#[derive(SimpleObject)]
pub struct RemoveParticipantPayload {
    /// Global id of the participant that was removed.
    pub removed_participant_id: ID,
}

/// The application made from the catalogue entry.
#[derive(SimpleObject)]
pub struct AdoptFromCataloguePayload {
    /// The new application of your tenant, `SUBMITTED`, with `adoptedFrom` set.
    pub application: Application,
}

#[Object]
impl ParticipantMutation {
    /// Names an org unit as participant of a project or sub-project (central IT). A `LEAD`
    /// reports on the work and keeps it like the owning unit; other participants read it and
    /// its contacts, and its budgets only with `financialsGranted`.
    async fn add_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit and the work.")] input: Parsed<AddParticipantInput>,
    ) -> Option<AddParticipantPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let row = service::participant::add(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(AddParticipantPayload {
                participant: Participant(row),
            })
        })
        .await
    }

    /// Changes a participant's role or budget grant (central IT).
    async fn update_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: Parsed<UpdateParticipantInput>,
    ) -> Option<UpdateParticipantPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let row = service::participant::update(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(UpdateParticipantPayload {
                participant: Participant(row),
            })
        })
        .await
    }

    /// Ends a unit's participation (central IT).
    async fn remove_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The participant.")] input: Parsed<RemoveParticipantInput>,
    ) -> Option<RemoveParticipantPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let participant = id::decode(&input.id, "Participant", "id")?;
            let row =
                service::participant::remove(&s.db, &s.viewer, participant, input.version).await?;
            Ok(RemoveParticipantPayload {
                removed_participant_id: id::encode("Participant", row.id),
            })
        })
        .await
    }

    /// Takes over another municipality's project from the reuse catalogue (central IT): it
    /// becomes an application of your tenant, linked to its origin, for your steering
    /// committee to decide. Your own projects, and projects not in the catalogue (not public
    /// or not transferable), cannot be adopted; nor one adopted already and not rejected.
    async fn adopt_from_catalogue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The catalogue entry.")] input: Parsed<AdoptFromCatalogueInput>,
    ) -> Option<AdoptFromCataloguePayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let row = service::reuse::adopt(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(AdoptFromCataloguePayload {
                application: Application(row),
            })
        })
        .await
    }
}
