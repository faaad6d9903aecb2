//! The tenant and the viewer's own identity.

use async_graphql::{Context, Object};

use crate::error::Result;
use entity::tenant;

use super::{OrgUnit, required};
use crate::graphql::{
    context::scope,
    enums::{Role, TenantKind},
};

#[derive(Clone)]
pub struct Tenant(pub tenant::Model);

/// A municipality or programme; every row belongs to exactly one tenant.
#[Object]
impl Tenant {
    /// Global id.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::id::encode("Tenant", self.0.id)
    }
    /// Increases with every change of the tenant's settings.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Short key used in tokens, e.g. `aachen`.
    async fn key(&self) -> &str {
        &self.0.key
    }
    /// Full name, e.g. "Stadt Aachen".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What kind of body the tenant is.
    async fn kind(&self) -> TenantKind {
        self.0.kind.into()
    }
    /// A few words about the tenant's programme.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Whether the council may read the live council report, not only published ones.
    async fn council_live_report(&self) -> bool {
        self.0.council_live_report
    }
}

pub struct Me;

/// Who is asking: the identity behind the token, resolved in its tenant.
#[Object]
impl Me {
    /// The token's subject.
    async fn sub(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(scope(ctx)?.viewer.sub.clone())
    }
    /// Display name from the token, if it carries one.
    async fn name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(scope(ctx)?.viewer.name.clone())
    }
    /// The viewer's role.
    async fn role(&self, ctx: &Context<'_>) -> Result<Role> {
        Ok(scope(ctx)?.viewer.role.into())
    }
    /// The viewer's tenant.
    async fn tenant(&self, ctx: &Context<'_>) -> Result<Tenant> {
        let s = scope(ctx)?;
        let tenant = s.loaders.tenant.load_one(s.viewer.tenant_id).await?;
        Ok(Tenant(required(tenant, "tenant")?))
    }
    /// The viewer's org unit (departments); its subtree is what the viewer owns.
    async fn org_unit(&self, ctx: &Context<'_>) -> Result<Option<OrgUnit>> {
        let s = scope(ctx)?;
        let Some(id) = s.viewer.org_unit_id else {
            return Ok(None);
        };
        Ok(s.loaders.org_unit.load_one(id).await?.map(OrgUnit))
    }
}
