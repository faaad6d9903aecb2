//! Strategies, their goals and the indicators (of goals, measures and projects) with their
//! target paths and measured values.

use entity::{goal, indicator, indicator_target, indicator_value, strategy};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use super::{Loader, lookup};
use crate::indicator::Parent;
use crate::seed::format::{GoalSpec, IndicatorSpec, StrategySpec};

impl<C: ConnectionTrait> Loader<'_, C> {
    /// The strategies; a predecessor comes before its successor in the files.
    pub(super) async fn strategies(&mut self, strategies: &[StrategySpec]) -> anyhow::Result<()> {
        let now = self.now;
        for s in strategies {
            let predecessor = s
                .predecessor
                .as_deref()
                .map(|key| lookup(&self.strategies, key, "strategy"))
                .transpose()?;
            let id = strategy::ActiveModel {
                tenant_id: Set(self.tenant),
                org_unit_id: Set(self.unit(&s.org_unit)?),
                predecessor_id: Set(predecessor),
                title: Set(s.title.clone()),
                description: Set(s.description.clone()),
                period_start: Set(s.period_start),
                period_end: Set(s.period_end),
                status: Set(s.status),
                adopted_on: Set(s.adopted_on),
                revision: Set(s.revision),
                visibility: Set(s.visibility),
                archived_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            self.strategies.insert(s.key.clone(), id);
        }
        Ok(())
    }

    /// The goals with their indicators; a parent goal comes before its sub-goals.
    pub(super) async fn goals(&mut self, goals: &[GoalSpec]) -> anyhow::Result<()> {
        let now = self.now;
        for (position, g) in goals.iter().enumerate() {
            let parent = g
                .parent
                .as_deref()
                .map(|code| lookup(&self.goals, code, "goal"))
                .transpose()?;
            let goal_id = goal::ActiveModel {
                tenant_id: Set(self.tenant),
                strategy_id: Set(lookup(&self.strategies, &g.strategy, "strategy")?),
                parent_id: Set(parent),
                org_unit_id: Set(self.unit(&g.org_unit)?),
                code: Set(g.code.clone()),
                title: Set(g.title.clone()),
                description: Set(g.description.clone()),
                status: Set(g.status),
                visibility: Set(g.visibility),
                position: Set(position as i32),
                archived_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            self.goals.insert(g.code.clone(), goal_id);
            for i in &g.indicators {
                self.indicator(Parent::Goal(goal_id), i).await?;
            }
        }
        Ok(())
    }

    /// An indicator of `parent` with its target path and measured values.
    pub(super) async fn indicator(&self, parent: Parent, i: &IndicatorSpec) -> anyhow::Result<()> {
        let now = self.now;
        let mut path: Vec<(chrono::NaiveDate, rust_decimal::Decimal)> =
            i.targets.iter().map(|t| (t.on, t.value)).collect();
        if let (Some(value), Some(date)) = (i.target, i.target_date)
            && !path.iter().any(|(on, _)| *on == date)
        {
            path.push((date, value));
        }
        path.sort_by_key(|(on, _)| *on);
        let (target, target_date) = path
            .last()
            .map_or((i.target, i.target_date), |(on, value)| {
                (Some(*value), Some(*on))
            });
        let (goal_id, measure_id, project_id) = parent.columns();
        let indicator_id = indicator::ActiveModel {
            tenant_id: Set(self.tenant),
            goal_id: Set(goal_id),
            measure_id: Set(measure_id),
            project_id: Set(project_id),
            name: Set(i.name.clone()),
            description: Set(i.description.clone()),
            unit: Set(i.unit.clone()),
            baseline: Set(i.baseline),
            baseline_date: Set(i.baseline_date),
            target: Set(target),
            target_date: Set(target_date),
            higher_is_better: Set(i.higher_is_better),
            archived_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(self.db)
        .await?
        .id;
        for (on, value) in path {
            indicator_target::ActiveModel {
                tenant_id: Set(self.tenant),
                indicator_id: Set(indicator_id),
                target_date: Set(on),
                value: Set(value),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
        }
        for v in &i.values {
            indicator_value::ActiveModel {
                tenant_id: Set(self.tenant),
                indicator_id: Set(indicator_id),
                measured_on: Set(v.on),
                value: Set(v.value),
                note: Set(v.note.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
        }
        Ok(())
    }
}
