//! What a department takes part in beyond what its unit subtree owns: the projects and
//! sub-projects where a unit of its subtree is a participant (`participant` rows).
//!
//! Read once when the viewer is resolved, like the subtree itself, so the policy's rules stay
//! plain functions of the viewer and the row.

use std::collections::{HashMap, HashSet};

use entity::{enums::ParticipantRole, participant};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::ApiResult;

/// A project or a sub-project, as participations name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Work {
    Project(i32),
    SubProject(i32),
}

/// How the viewer's subtree takes part in one piece of work: the strongest of its units'
/// participations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    /// A unit of the subtree leads the work with its owner.
    pub leads: bool,
    /// Central IT let the participants read its budgets.
    pub financials: bool,
}

/// The viewer's participations, by piece of work.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shares(HashMap<Work, Share>);

impl Shares {
    /// The participations of the units `units` of tenant `tenant_id`; none without units.
    pub async fn load(
        db: &impl ConnectionTrait,
        tenant_id: i32,
        units: &HashSet<i32>,
    ) -> ApiResult<Self> {
        if units.is_empty() {
            return Ok(Self::default());
        }
        let mut ids: Vec<i32> = units.iter().copied().collect();
        ids.sort_unstable();
        let rows = participant::Entity::find()
            .filter(participant::Column::TenantId.eq(tenant_id))
            .filter(participant::Column::OrgUnitId.is_in(ids))
            .all(db)
            .await?;
        Ok(Self::of(&rows))
    }

    /// The shares the participation rows `rows` give.
    pub fn of(rows: &[participant::Model]) -> Self {
        let mut shares: HashMap<Work, Share> = HashMap::new();
        for row in rows {
            let work = match (row.project_id, row.sub_project_id) {
                (Some(project), _) => Work::Project(project),
                (None, Some(sub_project)) => Work::SubProject(sub_project),
                (None, None) => continue,
            };
            let leads = row.role == ParticipantRole::Lead;
            let share = shares.entry(work).or_insert(Share {
                leads: false,
                financials: false,
            });
            share.leads |= leads;
            // A co-leading unit reads the budgets like the owner.
            share.financials |= leads || row.financials_granted;
        }
        Self(shares)
    }

    /// How the viewer takes part in `work`, if at all.
    pub fn of_work(&self, work: Work) -> Option<Share> {
        self.0.get(&work).copied()
    }

    /// The ids of the projects (`sub_projects == false`) or sub-projects the viewer takes
    /// part in and for which `pick` holds, sorted (for SQL conditions).
    pub fn ids(&self, sub_projects: bool, pick: impl Fn(Share) -> bool) -> Vec<i32> {
        let mut ids: Vec<i32> = self
            .0
            .iter()
            .filter(|&(_, &share)| pick(share))
            .filter_map(|(work, _)| match (work, sub_projects) {
                (Work::Project(id), false) | (Work::SubProject(id), true) => Some(*id),
                _ => None,
            })
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Whether the viewer takes part in anything.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn row(
        project: Option<i32>,
        sub: Option<i32>,
        role: ParticipantRole,
        granted: bool,
    ) -> participant::Model {
        participant::Model {
            id: 1,
            tenant_id: 1,
            project_id: project,
            sub_project_id: sub,
            org_unit_id: 1,
            role,
            financials_granted: granted,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn the_strongest_participation_of_the_subtree_counts() {
        let shares = Shares::of(&[
            row(Some(1), None, ParticipantRole::Reuser, false),
            row(Some(1), None, ParticipantRole::Lead, false),
            row(None, Some(1), ParticipantRole::Participant, true),
            row(Some(2), None, ParticipantRole::Participant, false),
        ]);
        assert_eq!(
            shares.of_work(Work::Project(1)),
            Some(Share {
                leads: true,
                financials: true
            })
        );
        assert_eq!(
            shares.of_work(Work::SubProject(1)),
            Some(Share {
                leads: false,
                financials: true
            })
        );
        assert_eq!(
            shares.of_work(Work::Project(2)),
            Some(Share {
                leads: false,
                financials: false
            })
        );
        assert_eq!(shares.of_work(Work::SubProject(2)), None);
        assert_eq!(shares.ids(false, |_| true), [1, 2]);
        assert_eq!(shares.ids(false, |s| s.financials), [1]);
        assert_eq!(shares.ids(true, |s| s.leads), Vec::<i32>::new());
    }
}
