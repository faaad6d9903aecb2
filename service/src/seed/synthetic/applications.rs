//! Ten applications for funding, in every state of their review.

use chrono::Days;
use entity::{application, enums::ApplicationStatus};
use rand::Rng;

use super::{
    drawing::Drawing,
    names::TOPICS,
    random::{money, pick},
};

impl Drawing<'_> {
    /// Applications submitted by `owners` in the last year or so.
    pub(super) fn applications(&mut self, owners: &[i32]) {
        for n in 1..=10 {
            let rng = &mut *self.rng;
            let status = *pick(
                rng,
                &[
                    ApplicationStatus::Submitted,
                    ApplicationStatus::InReview,
                    ApplicationStatus::Approved,
                    ApplicationStatus::Rejected,
                ],
            );
            self.rows.applications.push(application::Model {
                id: self.ids.take("application"),
                tenant_id: self.tenant_id,
                org_unit_id: *pick(rng, owners),
                title: format!("Antrag {n}: {}", pick(rng, &TOPICS)),
                description: "Beschreibung des Vorhabens.".into(),
                expected_benefit: None,
                estimated_cost: Some(money(rng, 10, 200)),
                status,
                submitted_by: "synthetic".into(),
                submitted_by_name: None,
                submitted_on: self.today - Days::new(rng.random_range(10..400)),
                meeting_id: None,
                decided_on: None,
                decision_number: None,
                decision_note: None,
                conditions: None,
                budget_released: None,
                adopted_from_tenant_id: None,
                adopted_from_project_id: None,
                adopted_from_tenant_key: None,
                adopted_from_tenant_name: None,
                adopted_from_title: None,
                created_at: self.now,
                updated_at: self.now,
                version: 1,
            });
        }
    }
}
