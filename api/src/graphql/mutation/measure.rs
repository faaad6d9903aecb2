//! `createMeasure`, `updateMeasure`.

use async_graphql::{Context, Object, SimpleObject};

use crate::error::Result;

use crate::graphql::{
    context::scope,
    input::measure::{CreateMeasureInput, UpdateMeasureInput},
    object::Measure,
};

#[derive(Default)]
pub struct MeasureMutation;

/// The measure created.
#[derive(SimpleObject)]
pub struct CreateMeasurePayload {
    pub measure: Measure,
}

/// The measure as changed.
#[derive(SimpleObject)]
pub struct UpdateMeasurePayload {
    pub measure: Measure,
}

#[Object]
impl MeasureMutation {
    /// Creates a measure (central IT).
    async fn create_measure(
        &self,
        ctx: &Context<'_>,
        input: CreateMeasureInput,
    ) -> Result<CreateMeasurePayload> {
        let s = scope(ctx)?;
        let measure = service::measure::create(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(CreateMeasurePayload {
            measure: Measure(measure),
        })
    }

    /// Changes a measure: central IT anything, the owning department its status.
    async fn update_measure(
        &self,
        ctx: &Context<'_>,
        input: UpdateMeasureInput,
    ) -> Result<UpdateMeasurePayload> {
        let s = scope(ctx)?;
        let measure = service::measure::update(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(UpdateMeasurePayload {
            measure: Measure(measure),
        })
    }
}
