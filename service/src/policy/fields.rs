//! Field rules: who may read the restricted fields of a row it can see, and who may edit it.
//!
//! Each rule takes the org unit that owns the row; departments get what their unit subtree owns.

use crate::viewer::{Role, Viewer};

impl Viewer {
    /// Whether the row owned by `org_unit_id` belongs to the viewer's unit subtree.
    pub fn owns(&self, org_unit_id: i32) -> bool {
        self.units.contains(&org_unit_id)
    }
}

/// Budget lines, budget sums and funding.
pub fn can_see_financials(viewer: &Viewer, owner: i32) -> bool {
    match viewer.role {
        Role::CentralIt | Role::Council => true,
        Role::Department => viewer.owns(owner),
        Role::Public => false,
    }
}

/// Contact persons (name, e-mail, phone).
pub fn can_see_contact(viewer: &Viewer, owner: i32) -> bool {
    match viewer.role {
        Role::CentralIt => true,
        Role::Department => viewer.owns(owner),
        Role::Council | Role::Public => false,
    }
}

/// Risks and internal notes of status reports.
pub fn can_see_internal_notes(viewer: &Viewer, owner: i32) -> bool {
    can_see_contact(viewer, owner)
}

/// The risk register of a project or measure: as its status reports' risks, for central IT
/// and the owning department only ([`super::rows`] keeps the rows to the same rule).
pub fn can_see_risks(viewer: &Viewer, owner: i32) -> bool {
    can_see_internal_notes(viewer, owner)
}

/// Status reports, progress, milestones and sub-projects of a row.
pub fn can_edit(viewer: &Viewer, owner: i32) -> bool {
    match viewer.role {
        Role::CentralIt => true,
        Role::Department => viewer.owns(owner),
        Role::Council | Role::Public => false,
    }
}

#[cfg(test)]
mod tests {
    use std::{collections::HashSet, sync::Arc};

    use super::*;

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
