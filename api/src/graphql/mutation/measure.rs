//! `createMeasure`, `updateMeasure`.

use async_graphql::{Context, Object, SimpleObject};

use crate::error::or_null;

use crate::graphql::{
    context::scope,
    input::measure::{CreateMeasureInput, UpdateMeasureInput},
    input::parsed::Parsed,
    object::Measure,
};

#[derive(Default)]
pub struct MeasureMutation;

/// The measure created.
#[derive(SimpleObject)]
pub struct CreateMeasurePayload {
    /// The new measure.
    pub measure: Measure,
}

/// The measure as changed.
#[derive(SimpleObject)]
pub struct UpdateMeasurePayload {
    /// The measure after the change.
    pub measure: Measure,
}

#[Object]
impl MeasureMutation {
    /// Creates a measure (central IT).
    async fn create_measure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure to create.")] input: Parsed<CreateMeasureInput>,
    ) -> Option<CreateMeasurePayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let measure = service::measure::create(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(CreateMeasurePayload {
                measure: Measure(measure),
            })
        })
        .await
    }

    /// Changes a measure: central IT anything, the owning department its status.
    async fn update_measure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure, the version it was read at and the changes.")] input: Parsed<
            UpdateMeasureInput,
        >,
    ) -> Option<UpdateMeasurePayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let measure = service::measure::update(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(UpdateMeasurePayload {
                measure: Measure(measure),
            })
        })
        .await
    }
}
