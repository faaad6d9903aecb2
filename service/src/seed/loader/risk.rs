//! The risk registers of demo projects and measures.

use entity::risk;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use super::Loader;
use crate::{risk::RiskOf, seed::format::RiskSpec};

impl<C: ConnectionTrait> Loader<'_, C> {
    /// The risks of the file on one project or measure.
    pub(super) async fn risks(&self, of: RiskOf, specs: &[RiskSpec]) -> anyhow::Result<()> {
        let (project_id, measure_id) = match of {
            RiskOf::Project(id) => (Some(id), None),
            RiskOf::Measure(id) => (None, Some(id)),
        };
        for r in specs {
            risk::ActiveModel {
                tenant_id: Set(self.tenant),
                project_id: Set(project_id),
                measure_id: Set(measure_id),
                title: Set(r.title.clone()),
                description: Set(r.description.clone()),
                probability: Set(crate::risk::level("probability", r.probability)?),
                impact: Set(crate::risk::level("impact", r.impact)?),
                owner_name: Set(r.owner.clone()),
                mitigation: Set(r.mitigation.clone()),
                status: Set(r.status),
                review_on: Set(r.review_on),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
        }
        Ok(())
    }
}
