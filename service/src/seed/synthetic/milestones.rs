//! Six to fourteen milestones per project, half of them of a sub-project; most of those due
//! are achieved.

use chrono::Days;
use entity::{enums::Status, milestone};
use rand::{Rng, seq::IndexedRandom};

use super::{drawing::Drawing, projects::Span};

impl Drawing<'_> {
    /// Milestones of `project`, some of them of one of `subs`.
    pub(super) fn milestones(&mut self, project: &Span, subs: &[(i32, Status)]) {
        let today = self.today;
        for m in 1..=self.rng.random_range(6..=14) {
            let rng = &mut *self.rng;
            let due = project.start + Days::new(rng.random_range(30..1400));
            self.rows.milestones.push(milestone::Model {
                id: self.ids.take("milestone"),
                tenant_id: self.tenant_id,
                project_id: project.id,
                sub_project_id: if rng.random_bool(0.5) {
                    subs.choose(rng).map(|s| s.0)
                } else {
                    None
                },
                code: format!("MS-{:03}-{m:02}", project.n),
                title: format!("Meilenstein {m}"),
                description: None,
                achieved_on: (due < today && rng.random_bool(0.8)).then_some(due),
                due_date: due,
                archived_at: None,
                created_at: self.now,
                updated_at: self.now,
                version: 1,
            });
        }
    }
}
