//! What the tenant has (measures, org units, goals and their links), for matching and
//! checking the rows.

use std::collections::{BTreeSet, HashMap};

use entity::{enums::StrategyStatus, goal, measure, measure_goal, org_unit, strategy};
use sea_orm::DatabaseConnection;

use crate::{error::ApiResult, policy::FindVisible, viewer::Viewer};

/// What the tenant has, as far as the viewer sees it.
pub(super) struct Known {
    /// Measures by trimmed number (a number may be taken twice).
    pub measures: HashMap<String, Vec<measure::Model>>,
    /// Org units by lower-case code.
    pub units: HashMap<String, i32>,
    unit_codes: HashMap<i32, String>,
    /// Goals by lower-case code: strategy versions copy their goals with the codes.
    goals: HashMap<String, Vec<i32>>,
    goal_codes: HashMap<i32, String>,
    /// Goals of adopted strategies (the ones in force).
    adopted_goals: BTreeSet<i32>,
    /// The goals of each measure.
    pub links: HashMap<i32, BTreeSet<i32>>,
}

impl Known {
    /// Loads what the viewer sees of the tenant.
    pub async fn load(db: &DatabaseConnection, viewer: &Viewer) -> ApiResult<Self> {
        let mut measures: HashMap<String, Vec<measure::Model>> = HashMap::new();
        for m in measure::Entity::find_visible_to(viewer).all(db).await? {
            measures
                .entry(m.number.trim().to_owned())
                .or_default()
                .push(m);
        }
        let units = org_unit::Entity::find_visible_to(viewer).all(db).await?;
        let goals = goal::Entity::find_visible_to(viewer).all(db).await?;
        let adopted: BTreeSet<i32> = strategy::Entity::find_visible_to(viewer)
            .all(db)
            .await?
            .into_iter()
            .filter(|s| s.status == StrategyStatus::Adopted)
            .map(|s| s.id)
            .collect();
        let mut by_code: HashMap<String, Vec<i32>> = HashMap::new();
        for g in &goals {
            by_code.entry(g.code.to_lowercase()).or_default().push(g.id);
        }
        let mut links: HashMap<i32, BTreeSet<i32>> = HashMap::new();
        for link in measure_goal::Entity::find_visible_to(viewer)
            .all(db)
            .await?
        {
            links
                .entry(link.measure_id)
                .or_default()
                .insert(link.goal_id);
        }
        Ok(Self {
            measures,
            units: units
                .iter()
                .map(|u| (u.code.to_lowercase(), u.id))
                .collect(),
            unit_codes: units.into_iter().map(|u| (u.id, u.code)).collect(),
            goals: by_code,
            adopted_goals: goals
                .iter()
                .filter(|g| adopted.contains(&g.strategy_id))
                .map(|g| g.id)
                .collect(),
            goal_codes: goals.into_iter().map(|g| (g.id, g.code)).collect(),
            links,
        })
    }

    /// The code of an org unit.
    pub fn unit_code(&self, id: i32) -> Option<String> {
        self.unit_codes.get(&id).cloned()
    }

    /// The codes of goals, sorted and separated by commas as the export writes them.
    pub fn goal_codes(&self, ids: &BTreeSet<i32>) -> String {
        let mut codes: Vec<&str> = ids
            .iter()
            .filter_map(|g| self.goal_codes.get(g).map(String::as_str))
            .collect();
        codes.sort_unstable();
        codes.join(", ")
    }

    /// The goals the measure of a number is linked to now (none unless the number is unique).
    pub fn linked_goals(&self, number: &str) -> BTreeSet<i32> {
        match self.measures.get(number).map(Vec::as_slice) {
            Some([m]) => self.links.get(&m.id).cloned().unwrap_or_default(),
            _ => BTreeSet::new(),
        }
    }

    /// The goals a code in a goals cell stands for: the only goal with the code; else those
    /// of them the measure is linked to already; else the one of an adopted strategy.
    pub fn goals_of(&self, code: &str, linked: &BTreeSet<i32>) -> Result<Vec<i32>, String> {
        let Some(candidates) = self.goals.get(&code.to_lowercase()) else {
            return Err(format!("there is no goal with the code \"{code}\""));
        };
        if let [only] = candidates.as_slice() {
            return Ok(vec![*only]);
        }
        let already: Vec<i32> = candidates
            .iter()
            .copied()
            .filter(|g| linked.contains(g))
            .collect();
        if !already.is_empty() {
            return Ok(already);
        }
        match candidates
            .iter()
            .copied()
            .filter(|g| self.adopted_goals.contains(g))
            .collect::<Vec<_>>()
            .as_slice()
        {
            [adopted] => Ok(vec![*adopted]),
            _ => Err(format!(
                "several strategy versions have a goal with the code \"{code}\"; link this measure in the app"
            )),
        }
    }
}
