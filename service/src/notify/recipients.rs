//! Who gets a digest in a tenant: each address that leads a unit, with the units it leads,
//! and the tenant's steering address. An address that is both gets one digest with both
//! parts; addresses are compared without regard to case.

use std::collections::{BTreeMap, HashSet};

use entity::{org_unit, tenant};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::{error::ApiResult, org_tree, policy::notify as rules, viewer::Viewer};

/// One person who gets a digest.
#[derive(Debug, Clone)]
pub struct Recipient {
    /// The address as entered (the first spelling met).
    pub address: String,
    /// The name to greet, when a unit names its lead.
    pub name: Option<String>,
    /// The units they lead, as `code name`, for the digest to say what it covers.
    pub units: Vec<String>,
    /// Their view as a lead (see [`rules::lead_view`]), if they lead a unit.
    pub lead: Option<Viewer>,
    /// Central IT's view, if theirs is the steering address.
    pub steering: Option<Viewer>,
}

impl Recipient {
    /// The address in lower case: what the sent-log keys on.
    pub fn key(&self) -> String {
        self.address.to_lowercase()
    }
}

/// What is gathered per address before the views are made.
#[derive(Default)]
struct Gathered {
    address: String,
    name: Option<String>,
    led: Vec<i32>,
    units: Vec<String>,
    steering: bool,
}

/// The recipients of `tenant`, ordered by address. Leads of archived units get nothing.
pub async fn of_tenant(
    db: &DatabaseConnection,
    tenant: &tenant::Model,
) -> ApiResult<Vec<Recipient>> {
    use org_unit::Column as C;
    let units = org_unit::Entity::find()
        .filter(C::TenantId.eq(tenant.id))
        .order_by_asc(C::Position)
        .order_by_asc(C::Id)
        .all(db)
        .await?;
    let edges: Vec<(i32, Option<i32>)> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    let mut by_address: BTreeMap<String, Gathered> = BTreeMap::new();
    for unit in units.iter().filter(|u| u.archived_at.is_none()) {
        let Some(address) = unit
            .lead_email
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        else {
            continue;
        };
        let entry = by_address
            .entry(address.to_lowercase())
            .or_insert_with(|| Gathered {
                address: address.to_owned(),
                ..Default::default()
            });
        entry.led.push(unit.id);
        entry.units.push(format!("{} {}", unit.code, unit.name));
        if entry.name.is_none() {
            entry.name = unit.lead_name.clone().filter(|n| !n.trim().is_empty());
        }
    }
    if let Some(address) = tenant
        .steering_email
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        by_address
            .entry(address.to_lowercase())
            .or_insert_with(|| Gathered {
                address: address.to_owned(),
                ..Default::default()
            })
            .steering = true;
    }
    Ok(by_address
        .into_values()
        .map(|gathered| {
            let subtree: HashSet<i32> = gathered
                .led
                .iter()
                .flat_map(|&unit| org_tree::descendants(&edges, unit))
                .collect();
            Recipient {
                lead: rules::lead_view(tenant, &gathered.address, &gathered.led, subtree),
                steering: gathered
                    .steering
                    .then(|| rules::steering_view(tenant, &gathered.address)),
                address: gathered.address,
                name: gathered.name,
                units: gathered.units,
            }
        })
        .collect())
}
