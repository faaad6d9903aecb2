//! The adopted strategy: goals with sub-goals (five with four each in a city, see `scale`).

use entity::{
    enums::{Status, StrategyStatus, Visibility},
    goal, strategy,
};

use super::{drawing::Drawing, names::TOPICS, random::day};

/// Where a goal hangs in the strategy.
struct Place {
    strategy_id: i32,
    parent_id: Option<i32>,
    owner: i32,
    position: i32,
}

impl Drawing<'_> {
    /// The strategy of the `index`th tenant, owned by `root`; returns the sub-goals.
    pub(super) fn strategy(&mut self, index: u32, root: i32) -> Vec<i32> {
        let strategy_id = self.ids.take("strategy");
        self.rows.strategies.push(strategy::Model {
            id: strategy_id,
            tenant_id: self.tenant_id,
            org_unit_id: root,
            predecessor_id: None,
            title: format!("Digitalstrategie Musterstadt {index} 2024–2028"),
            description: None,
            period_start: day(2024, 1),
            period_end: day(2028, 365),
            status: StrategyStatus::Adopted,
            adopted_on: Some(day(2024, 40)),
            revision: 1,
            visibility: Visibility::Public,
            archived_at: None,
            created_at: self.now,
            updated_at: self.now,
            version: 1,
        });
        let mut leaves = Vec::new();
        for g in 1..=self.scale.goals {
            let parent = self.ids.take("goal");
            let place = Place {
                strategy_id,
                parent_id: None,
                owner: root,
                position: g,
            };
            self.goal(parent, format!("Z{g}"), place);
            for s in 1..=self.scale.sub_goals {
                let id = self.ids.take("goal");
                let place = Place {
                    strategy_id,
                    parent_id: Some(parent),
                    owner: root,
                    position: s,
                };
                self.goal(id, format!("Z{g}.{s}"), place);
                leaves.push(id);
            }
        }
        leaves
    }

    fn goal(&mut self, id: i32, code: String, place: Place) {
        self.rows.goals.push(goal::Model {
            id,
            tenant_id: self.tenant_id,
            strategy_id: place.strategy_id,
            parent_id: place.parent_id,
            org_unit_id: place.owner,
            title: format!("Ziel {code}: {}", TOPICS[(id as usize) % TOPICS.len()]),
            code,
            description: None,
            status: Status::InProgress,
            visibility: Visibility::Public,
            position: place.position,
            archived_at: None,
            created_at: self.now,
            updated_at: self.now,
            version: 1,
            weight: entity::weight::one(),
        });
    }
}
