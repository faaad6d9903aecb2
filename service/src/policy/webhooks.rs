//! Webhooks: who registers them, who sees them and their deliveries, and what a delivery may
//! carry.
//!
//! A webhook sends the tenant's events to a system outside digidash, so only the central IT
//! steering unit, which answers for the tenant's data, registers, changes and removes them,
//! and only it sees them and their deliveries; every other role is refused outright rather
//! than shown an empty list, since a department cannot do anything with one. A delivery
//! carries the event, the global id of the row and the tenant's key, and nothing of the row:
//! its registrant may read every row of its tenant, but the receiver is another system, which
//! reads what it needs through the API with a token of its own, under this same policy.

use entity::{webhook, webhook_delivery};
use sea_orm::{ColumnTrait, Condition, sea_query::Expr};

use super::rows::Scoped;
use crate::{
    error::{ApiError, ApiResult},
    viewer::{Role, Viewer},
};

/// Registering, changing, removing and listing webhooks, and reading their deliveries.
pub fn require_manage(viewer: &Viewer) -> ApiResult<()> {
    match viewer.role {
        Role::CentralIt => Ok(()),
        Role::Department | Role::Council | Role::Public => Err(ApiError::Forbidden(
            "only the central IT steering unit manages webhooks".into(),
        )),
    }
}

impl Scoped for webhook::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        central_it_of_tenant(viewer, webhook::Column::TenantId)
    }
}

impl Scoped for webhook_delivery::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        central_it_of_tenant(viewer, webhook_delivery::Column::TenantId)
    }
}

fn central_it_of_tenant(viewer: &Viewer, tenant: impl ColumnTrait) -> Condition {
    match viewer.role {
        Role::CentralIt => Condition::all().add(tenant.eq(viewer.tenant_id)),
        Role::Department | Role::Council | Role::Public => {
            Condition::all().add(Expr::cust("1 = 0"))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sea_orm::{DbBackend, QueryTrait};

    use super::*;
    use crate::policy::FindVisible;

    fn viewer(role: Role) -> Viewer {
        Viewer {
            sub: "anna".into(),
            name: None,
            role,
            tenant_id: 7,
            tenant_key: "aachen".into(),
            org_unit_id: Some(3),
            units: Arc::new([3].into_iter().collect()),
            data_version: 0,
            settings: Default::default(),
            shares: Default::default(),
            unit: None,
        }
    }

    #[test]
    fn only_central_it_manages_webhooks() {
        assert!(require_manage(&viewer(Role::CentralIt)).is_ok());
        for role in [Role::Department, Role::Council, Role::Public] {
            assert!(require_manage(&viewer(role)).is_err(), "{role:?}");
        }
    }

    #[test]
    fn central_it_sees_its_tenants_webhooks_and_deliveries_others_none() {
        let sql = |role| {
            webhook_delivery::Entity::find_visible_to(&viewer(role))
                .build(DbBackend::Postgres)
                .to_string()
        };
        assert!(sql(Role::CentralIt).ends_with(r#"WHERE "webhook_delivery"."tenant_id" = 7"#));
        assert!(sql(Role::Department).ends_with("WHERE 1 = 0"));
        let hooks = webhook::Entity::find_visible_to(&viewer(Role::Council))
            .build(DbBackend::Postgres)
            .to_string();
        assert!(hooks.ends_with("WHERE 1 = 0"));
    }
}
