//! Field rules: who may read the restricted fields of a row it can see, and who may edit it.
//!
//! Each rule takes what holds the row ([`Held`]): the org unit that owns it and, for projects
//! and sub-projects (and what hangs on them), the work itself. Departments get what their unit
//! subtree owns, and what it takes part in as a participant of the work: a co-leading unit
//! like the owner; other participants and reusers read contacts, and budgets only where
//! central IT granted them, and never edit.

use entity::{project, sub_project};

use crate::viewer::{Role, Share, Viewer, Work};

impl Viewer {
    /// Whether the row owned by `org_unit_id` belongs to the viewer's unit subtree.
    pub fn owns(&self, org_unit_id: i32) -> bool {
        self.units.contains(&org_unit_id)
    }

    /// How the viewer's subtree takes part in what holds a row, if it does.
    fn share(&self, held: Held) -> Option<Share> {
        held.work.and_then(|work| self.shares.of_work(work))
    }
}

/// What holds a row, as the field rules ask: the unit that owns it and the project or
/// sub-project it is, or hangs on (milestones, reports, budgets), where participants count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    pub owner: i32,
    pub work: Option<Work>,
}

impl From<i32> for Held {
    /// A row of a unit outside projects (a measure, a goal, an org unit).
    fn from(owner: i32) -> Self {
        Self { owner, work: None }
    }
}

impl From<&project::Model> for Held {
    fn from(p: &project::Model) -> Self {
        Self {
            owner: p.org_unit_id,
            work: Some(Work::Project(p.id)),
        }
    }
}

impl From<&sub_project::Model> for Held {
    fn from(s: &sub_project::Model) -> Self {
        Self {
            owner: s.org_unit_id,
            work: Some(Work::SubProject(s.id)),
        }
    }
}

/// A department's standing on a row: it owns the row (or leads it with the owner), it takes
/// part in it, or neither.
fn department(viewer: &Viewer, held: Held) -> (bool, Option<Share>) {
    let share = viewer.share(held);
    (
        viewer.owns(held.owner) || share.is_some_and(|s| s.leads),
        share,
    )
}

/// Budget lines, budget sums and funding.
pub fn can_see_financials(viewer: &Viewer, held: impl Into<Held>) -> bool {
    match viewer.role {
        Role::CentralIt | Role::Council => true,
        Role::Department => {
            let (own, share) = department(viewer, held.into());
            own || share.is_some_and(|s| s.financials)
        }
        Role::Public => false,
    }
}

/// Contact persons (name, e-mail, phone): participants work with them.
pub fn can_see_contact(viewer: &Viewer, held: impl Into<Held>) -> bool {
    match viewer.role {
        Role::CentralIt => true,
        Role::Department => {
            let (own, share) = department(viewer, held.into());
            own || share.is_some()
        }
        Role::Council | Role::Public => false,
    }
}

/// Risks and internal notes of status reports: the owner's and co-leaders' business only.
pub fn can_see_internal_notes(viewer: &Viewer, held: impl Into<Held>) -> bool {
    can_edit(viewer, held)
}

/// The risk register of a project or measure: as its status reports' risks, for central IT
/// and the owning department only ([`super::rows`] keeps the rows to the same rule).
pub fn can_see_risks(viewer: &Viewer, owner: i32) -> bool {
    can_see_internal_notes(viewer, owner)
}

/// Status reports, progress, milestones and sub-projects of a row.
pub fn can_edit(viewer: &Viewer, held: impl Into<Held>) -> bool {
    match viewer.role {
        Role::CentralIt => true,
        Role::Department => department(viewer, held.into()).0,
        Role::Council | Role::Public => false,
    }
}

#[cfg(test)]
mod tests {
    use std::{collections::HashSet, sync::Arc};

    use entity::{enums::ParticipantRole, participant};

    use super::*;
    use crate::viewer::Shares;

    fn viewer(role: Role) -> Viewer {
        Viewer {
            sub: "t".into(),
            name: None,
            role,
            tenant_id: 1,
            tenant_key: "aachen".into(),
            org_unit_id: Some(10),
            units: Arc::new(HashSet::from([10, 11])),
            data_version: 0,
            settings: Default::default(),
            shares: Default::default(),
            unit: None,
        }
    }

    #[test]
    fn departments_get_what_their_subtree_owns() {
        let dept = viewer(Role::Department);
        assert!(can_edit(&dept, 11));
        assert!(!can_edit(&dept, 12));
        assert!(can_see_financials(&dept, 10));
        assert!(!can_see_financials(&dept, 12));
        assert!(!can_see_contact(&dept, 12));
        assert!(can_see_risks(&dept, 11));
        assert!(!can_see_risks(&dept, 12));
    }

    fn part(project: i32, role: ParticipantRole, granted: bool) -> participant::Model {
        participant::Model {
            id: project,
            tenant_id: 1,
            project_id: Some(project),
            sub_project_id: None,
            org_unit_id: 11,
            role,
            financials_granted: granted,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn participants_get_what_their_role_allows() {
        let mut dept = viewer(Role::Department);
        dept.shares = Arc::new(Shares::of(&[
            part(5, ParticipantRole::Lead, false),
            part(6, ParticipantRole::Participant, false),
            part(7, ParticipantRole::Reuser, true),
        ]));
        let held = |id| Held {
            owner: 12,
            work: Some(Work::Project(id)),
        };
        // Co-leading: like the owner.
        assert!(can_edit(&dept, held(5)));
        assert!(can_see_financials(&dept, held(5)));
        assert!(can_see_internal_notes(&dept, held(5)));
        // Participating: contacts, no budgets, no edits, no notes.
        assert!(can_see_contact(&dept, held(6)));
        assert!(!can_see_financials(&dept, held(6)));
        assert!(!can_edit(&dept, held(6)));
        assert!(!can_see_internal_notes(&dept, held(6)));
        // Reusing with budgets granted.
        assert!(can_see_financials(&dept, held(7)));
        assert!(!can_edit(&dept, held(7)));
        // Not taking part, or the same unit outside the work: nothing.
        assert!(!can_see_contact(&dept, held(8)));
        assert!(!can_edit(&dept, 12));
        // Shares are a department's: the council's rules do not change.
        let mut council = viewer(Role::Council);
        council.shares = dept.shares.clone();
        assert!(!can_see_contact(&council, held(5)));
    }

    #[test]
    fn council_sees_budgets_but_never_contacts_or_notes() {
        let council = viewer(Role::Council);
        assert!(can_see_financials(&council, 12));
        assert!(!can_see_contact(&council, 10));
        assert!(!can_see_internal_notes(&council, 10));
        assert!(!can_see_risks(&council, 10));
        assert!(!can_edit(&council, 10));
    }

    #[test]
    fn public_sees_no_restricted_field() {
        let public = viewer(Role::Public);
        assert!(!can_see_financials(&public, 10));
        assert!(!can_see_contact(&public, 10));
        assert!(!can_edit(&public, 10));
    }
}
