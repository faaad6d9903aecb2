//! E-mail reminders: as whom each digest is read, and so what it may list.
//!
//! The lead of an org unit (`OrgUnit.lead`) gets the digest of the work the unit's subtree
//! owns, read as a department of that unit would read it: what a department may not see (a
//! draft of another unit, another tenant) never reaches it, and of what it sees only its own
//! subtree's work is listed, as on its dashboard and in its calendar feed. Someone who leads
//! several units reads as a department of all of them. The tenant's steering address
//! (`TenantSettings.steeringEmail`) gets central IT's part: reports awaiting review,
//! applications awaiting a decision and the week's changes of traffic lights, read as central
//! IT. Nobody else gets a digest.

use std::{collections::HashSet, sync::Arc};

use entity::tenant;

use crate::{
    tenant::Settings,
    viewer::{Role, Viewer},
};

/// The subject digests are read as: it names no person, so the audit trail and logs can tell
/// a digest's reads from a person's.
const SUBJECT: &str = "digidash-digest";

fn viewer(
    tenant: &tenant::Model,
    role: Role,
    address: &str,
    unit: Option<i32>,
    units: HashSet<i32>,
) -> Viewer {
    Viewer {
        sub: format!("{SUBJECT}:{address}"),
        name: None,
        role,
        tenant_id: tenant.id,
        tenant_key: tenant.key.clone(),
        org_unit_id: unit,
        units: Arc::new(units),
        data_version: tenant.data_version,
        settings: Arc::new(Settings::of(tenant)),
        shares: Default::default(),
        unit: None,
    }
}

/// The view of a person who leads the units `led` (each with its subtree in `units`): a
/// department of those units. `None` when they lead none.
pub fn lead_view(
    tenant: &tenant::Model,
    address: &str,
    led: &[i32],
    units: HashSet<i32>,
) -> Option<Viewer> {
    let first = *led.iter().min()?;
    Some(viewer(
        tenant,
        Role::Department,
        address,
        Some(first),
        units,
    ))
}

/// The view of the tenant's central steering unit, at its steering address.
pub fn steering_view(tenant: &tenant::Model, address: &str) -> Viewer {
    viewer(tenant, Role::CentralIt, address, None, HashSet::new())
}

/// Whether the reminders to central IT (reviews, applications, traffic lights) belong in a
/// digest read as `viewer`.
pub fn gets_central_reminders(viewer: &Viewer) -> bool {
    viewer.role == Role::CentralIt
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use entity::enums::TenantKind;

    use super::*;
    use crate::policy::calendar::shows_work;

    fn tenant() -> tenant::Model {
        tenant::Model {
            id: 7,
            key: "aachen".into(),
            name: "Stadt Aachen".into(),
            kind: TenantKind::Municipality,
            description: None,
            council_live_report: false,
            data_version: 3,
            reporting_cycle_days: None,
            fiscal_year_start_month: None,
            export_language: None,
            public_reads: true,
            council_report_title: None,
            council_report_issuer: None,
            audit_head: None,
            report_review: true,
            steering_email: Some("it@aachen.de".into()),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
            rollup_weighting: None,
        }
    }

    #[test]
    fn a_lead_reads_as_a_department_of_the_units_led() {
        let lead = lead_view(
            &tenant(),
            "anna@aachen.de",
            &[12, 4],
            HashSet::from([4, 5, 12]),
        )
        .expect("a view");
        assert_eq!(lead.role, Role::Department);
        assert_eq!(lead.tenant_id, 7);
        assert_eq!(lead.org_unit_id, Some(4));
        assert!(shows_work(&lead, 5) && shows_work(&lead, 12));
        assert!(!shows_work(&lead, 6));
        assert!(!gets_central_reminders(&lead));
        assert!(lead_view(&tenant(), "x@aachen.de", &[], HashSet::new()).is_none());
    }

    #[test]
    fn the_steering_address_reads_as_central_it() {
        let central = steering_view(&tenant(), "it@aachen.de");
        assert_eq!(central.role, Role::CentralIt);
        assert!(gets_central_reminders(&central));
        assert!(shows_work(&central, 99));
        assert!(central.sub.starts_with(SUBJECT));
    }
}
