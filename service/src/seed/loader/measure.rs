//! Measures, the goals they serve, and their report history.

use entity::{measure, measure_goal};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use super::{Loader, lookup};
use crate::seed::{format::MeasureSpec, history::Work, subject::Subject};

impl<C: ConnectionTrait> Loader<'_, C> {
    pub(super) async fn measures(&mut self, measures: &[MeasureSpec]) -> anyhow::Result<()> {
        let now = self.now;
        for m in measures {
            let id = measure::ActiveModel {
                tenant_id: Set(self.tenant),
                org_unit_id: Set(self.unit(&m.org_unit)?),
                number: Set(m.number.clone()),
                title: Set(m.title.clone()),
                description: Set(m.description.clone()),
                kind: Set(m.kind),
                priority: Set(m.priority),
                start_date: Set(m.start_date),
                due_date: Set(m.due_date),
                completed_on: Set(m.completed_on),
                status: Set(m.status),
                rag: Set(m.rag),
                progress: Set(m.progress.clamp(0, 100)),
                planned_effort_days: Set(m.planned_effort_days),
                actual_effort_days: Set(m.actual_effort_days),
                target_group: Set(m.target_group.clone()),
                channel: Set(m.channel.clone()),
                organiser: Set(m.organiser.clone()),
                visibility: Set(m.visibility),
                archived_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            self.measures.insert(m.number.clone(), id);
            for code in &m.goals {
                measure_goal::ActiveModel {
                    measure_id: Set(id),
                    goal_id: Set(lookup(&self.goals, code, "goal")?),
                    tenant_id: Set(self.tenant),
                }
                .insert(self.db)
                .await?;
            }
            let work = Work {
                status: m.status,
                rag: m.rag,
                progress: m.progress,
                start: m.start_date,
                end: m.completed_on.or(m.due_date),
            };
            self.reports(Subject::Measure(id), &m.reports, &work)
                .await?;
            for i in &m.indicators {
                self.indicator(crate::indicator::Parent::Measure(id), i)
                    .await?;
            }
            self.risks(crate::risk::RiskOf::Measure(id), &m.risks)
                .await?;
        }
        Ok(())
    }
}
