//! The steering committee's meetings and the applications it decided on.

use std::collections::HashMap;

use entity::{application, steering_meeting};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use super::{Loader, SEED_AUTHOR, lookup};
use crate::seed::format::{ApplicationSpec, MeetingSpec};

impl<C: ConnectionTrait> Loader<'_, C> {
    pub(super) async fn meetings(&mut self, meetings: &[MeetingSpec]) -> anyhow::Result<()> {
        let now = self.now;
        for m in meetings {
            let id = steering_meeting::ActiveModel {
                tenant_id: Set(self.tenant),
                title: Set(m.title.clone()),
                held_on: Set(m.held_on),
                location: Set(m.location.clone()),
                notes: Set(m.notes.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            self.meetings.insert(m.key.clone(), id);
        }
        Ok(())
    }

    /// The applications; returns the application id by the code of the project it became.
    pub(super) async fn applications(
        &mut self,
        applications: &[ApplicationSpec],
    ) -> anyhow::Result<HashMap<String, i32>> {
        let now = self.now;
        let mut origin = HashMap::new();
        for a in applications {
            let meeting = a
                .meeting
                .as_deref()
                .map(|key| lookup(&self.meetings, key, "meeting"))
                .transpose()?;
            let id = application::ActiveModel {
                tenant_id: Set(self.tenant),
                org_unit_id: Set(self.unit(&a.org_unit)?),
                title: Set(a.title.clone()),
                description: Set(a.description.clone()),
                expected_benefit: Set(a.expected_benefit.clone()),
                estimated_cost: Set(a.estimated_cost),
                status: Set(a.status),
                submitted_by: Set(SEED_AUTHOR.into()),
                submitted_by_name: Set(a.submitted_by_name.clone()),
                submitted_on: Set(a.submitted_on),
                meeting_id: Set(meeting),
                decided_on: Set(a.decided_on),
                decision_number: Set(a.decision_number.clone()),
                decision_note: Set(a.decision_note.clone()),
                conditions: Set(a.conditions.clone()),
                budget_released: Set(a.budget_released),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            if let Some(project) = &a.project {
                origin.insert(project.clone(), id);
            }
        }
        Ok(origin)
    }
}
