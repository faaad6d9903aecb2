//! The tenant mutations: the operator creates and renames tenants, central IT sets its
//! tenant's settings.

use async_graphql::{Context, Object, SimpleObject};

use crate::{
    error::or_null,
    graphql::{
        context::{operator, scope},
        input::{
            parsed::Parsed,
            tenant::{CreateTenantInput, UpdateTenantInput, UpdateTenantSettingsInput},
        },
        object::Tenant,
    },
};
use service::tenant;

#[derive(Default)]
pub struct TenantMutation;

/// The tenant created.
#[derive(SimpleObject)]
pub struct CreateTenantPayload {
    /// The new tenant; its root org unit is there, so that central IT can start at once.
    pub tenant: Tenant,
}

/// The tenant changed.
#[derive(SimpleObject)]
pub struct UpdateTenantPayload {
    /// The tenant after the change.
    pub tenant: Tenant,
}

/// The tenant with its new settings.
#[derive(SimpleObject)]
pub struct UpdateTenantSettingsPayload {
    /// The tenant after the change, `settings` as set.
    pub tenant: Tenant,
}

#[Object]
impl TenantMutation {
    /// Creates a tenant with its root org unit (platform_admin only).
    async fn create_tenant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new tenant.")] input: Parsed<CreateTenantInput>,
    ) -> Option<CreateTenantPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = operator(ctx)?;
            let created = tenant::create(&s.db, &s.operator, input.into()).await?;
            Ok(CreateTenantPayload {
                tenant: Tenant(created),
            })
        })
        .await
    }

    /// Renames a tenant or changes its kind (platform_admin only).
    async fn update_tenant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes and the version they were read at.")] input: Parsed<
            UpdateTenantInput,
        >,
    ) -> Option<UpdateTenantPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = operator(ctx)?;
            let changed = tenant::update(&s.db, &s.operator, input.try_into()?).await?;
            Ok(UpdateTenantPayload {
                tenant: Tenant(changed),
            })
        })
        .await
    }

    /// Changes the settings of the viewer's tenant (central IT).
    async fn update_tenant_settings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The settings and the tenant's version they were read at.")] input: Parsed<
            UpdateTenantSettingsInput,
        >,
    ) -> Option<UpdateTenantSettingsPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let changed = tenant::update_settings(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(UpdateTenantSettingsPayload {
                tenant: Tenant(changed),
            })
        })
        .await
    }
}
