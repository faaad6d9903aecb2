//! The steering committee's meetings and the applications it decided on.

use std::collections::HashMap;

use entity::{application, project, steering_meeting, tenant};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use super::{Loader, SEED_AUTHOR, lookup};
use crate::seed::format::{AdoptedFromSpec, ApplicationSpec, MeetingSpec};

/// A catalogue entry as an adopting application keeps it.
struct Origin {
    tenant_id: i32,
    project_id: i32,
    tenant_key: String,
    tenant_name: String,
    title: String,
}

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
            let origin_of = match &a.adopted_from {
                Some(spec) => self.catalogue_entry(spec).await?,
                None => None,
            };
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
                adopted_from_tenant_id: Set(origin_of.as_ref().map(|o| o.tenant_id)),
                adopted_from_project_id: Set(origin_of.as_ref().map(|o| o.project_id)),
                adopted_from_tenant_key: Set(origin_of.as_ref().map(|o| o.tenant_key.clone())),
                adopted_from_tenant_name: Set(origin_of.as_ref().map(|o| o.tenant_name.clone())),
                adopted_from_title: Set(origin_of.map(|o| o.title)),
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

    /// The other tenant's project an application was adopted from. `None` when that tenant
    /// was not seeded (one tenant seeded alone): the application then stands without it.
    async fn catalogue_entry(&self, spec: &AdoptedFromSpec) -> anyhow::Result<Option<Origin>> {
        let Some(origin) = tenant::Entity::find()
            .filter(tenant::Column::Key.eq(spec.tenant.as_str()))
            .one(self.db)
            .await?
        else {
            return Ok(None);
        };
        let project = project::Entity::find()
            .filter(project::Column::TenantId.eq(origin.id))
            .filter(project::Column::Code.eq(spec.project.as_str()))
            .one(self.db)
            .await?
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "demo data adopts unknown project {:?} of {:?}",
                    spec.project,
                    spec.tenant
                )
            })?;
        Ok(Some(Origin {
            tenant_id: origin.id,
            project_id: project.id,
            tenant_key: origin.key,
            tenant_name: origin.name,
            title: project.title,
        }))
    }
}
