//! The measures (a hundred in a city), each derived from one or two sub-goals.

use chrono::Days;
use entity::{
    enums::{MeasureKind, Priority, Status},
    measure, measure_goal,
};
use rand::Rng;

use super::{
    drawing::Drawing,
    names::{ACTIONS, TOPICS},
    random::{day, draw_status, pick, progress, rag, visibility},
};

impl Drawing<'_> {
    /// Measures owned by `owners`, serving the sub-goals `leaves`; returns their ids.
    pub(super) fn measures(&mut self, owners: &[i32], leaves: &[i32]) -> Vec<i32> {
        let mut ids = Vec::new();
        for n in 1..=self.scale.measures {
            let id = self.measure(n, owners);
            self.goal_links(id, leaves);
            ids.push(id);
        }
        ids
    }

    fn measure(&mut self, n: u32, owners: &[i32]) -> i32 {
        let id = self.ids.take("measure");
        let rng = &mut *self.rng;
        let status = draw_status(rng);
        let start = day(rng.random_range(2024..=2026), rng.random_range(1..365));
        let due = start + Days::new(rng.random_range(180..1100));
        self.rows.measures.push(measure::Model {
            id,
            tenant_id: self.tenant_id,
            org_unit_id: *pick(rng, owners),
            number: format!("M-{n:03}"),
            title: format!("{} {}", pick(rng, &ACTIONS), pick(rng, &TOPICS)),
            description: None,
            kind: *pick(
                rng,
                &[
                    MeasureKind::Implementation,
                    MeasureKind::Infrastructure,
                    MeasureKind::Organisation,
                    MeasureKind::Communication,
                    MeasureKind::Training,
                ],
            ),
            priority: *pick(rng, &[Priority::High, Priority::Medium, Priority::Low]),
            start_date: Some(start),
            due_date: Some(due),
            completed_on: (status == Status::Completed).then(|| due.min(self.today)),
            status,
            rag: rag(rng),
            progress: progress(rng, status),
            planned_effort_days: None,
            actual_effort_days: None,
            target_group: None,
            channel: None,
            organiser: None,
            visibility: visibility(rng),
            archived_at: None,
            created_at: self.now,
            updated_at: self.now,
            version: 1,
            weight: entity::weight::one(),
        });
        id
    }

    /// One sub-goal, and half the time a second one.
    fn goal_links(&mut self, measure: i32, leaves: &[i32]) {
        let first = *pick(self.rng, leaves);
        self.link(measure, first);
        if self.rng.random_bool(0.5) {
            let second = *pick(self.rng, leaves);
            if second != first {
                self.link(measure, second);
            }
        }
    }

    fn link(&mut self, measure_id: i32, goal_id: i32) {
        self.rows.links.push(measure_goal::Model {
            measure_id,
            goal_id,
            tenant_id: self.tenant_id,
        });
    }
}
