//! The org-unit tree: the administration, five departments, three divisions each.

use entity::{enums::OrgUnitKind, org_unit};

use super::drawing::Drawing;

/// The units work is assigned to.
pub(super) struct Units {
    /// The administration at the top.
    pub(super) root: i32,
    /// The departments and divisions that own measures, projects and applications.
    pub(super) owners: Vec<i32>,
}

impl Drawing<'_> {
    pub(super) fn org_units(&mut self) -> Units {
        let root = self.ids.take("org_unit");
        self.org_unit(
            root,
            None,
            "VV".into(),
            "Verwaltungsvorstand".into(),
            OrgUnitKind::Administration,
            0,
        );
        let mut owners = Vec::new();
        for d in 1..=5 {
            let dept = self.ids.take("org_unit");
            self.org_unit(
                dept,
                Some(root),
                format!("FB {d}"),
                format!("Fachbereich {d}"),
                OrgUnitKind::Department,
                d,
            );
            owners.push(dept);
            for v in 1..=3 {
                let division = self.ids.take("org_unit");
                self.org_unit(
                    division,
                    Some(dept),
                    format!("FB {d}/{v}0"),
                    format!("Abteilung {d}.{v}"),
                    OrgUnitKind::Division,
                    v,
                );
                owners.push(division);
            }
        }
        Units { root, owners }
    }

    fn org_unit(
        &mut self,
        id: i32,
        parent: Option<i32>,
        code: String,
        name: String,
        kind: OrgUnitKind,
        position: i32,
    ) {
        self.rows.org_units.push(org_unit::Model {
            id,
            tenant_id: self.tenant_id,
            parent_id: parent,
            code,
            name,
            kind,
            position,
            lead_name: None,
            lead_email: None,
            archived_at: None,
            created_at: self.now,
            updated_at: self.now,
            version: 1,
        });
    }
}
