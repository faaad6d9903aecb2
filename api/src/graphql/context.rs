//! What a resolver gets from the request: the viewer, the database and the loaders.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use crate::{
    auth::{Access, Operator, Viewer},
    error::ApiError,
    graphql::loader::{Loaders, batch::BatchSpawner},
};

use service::report::live::Reporting;

/// The per-request state of an authenticated (or public) request.
pub struct RequestScope {
    pub viewer: Viewer,
    pub db: DatabaseConnection,
    pub loaders: Loaders,
    /// Roll-ups, warnings and history, loaded once per request when asked for.
    pub reporting: Reporting,
}

impl RequestScope {
    /// The scope of `viewer`; `reporting_cycle_days` is the installation's cycle, which the
    /// tenant's own setting replaces.
    pub fn new(
        db: &DatabaseConnection,
        viewer: Viewer,
        spawner: &BatchSpawner,
        reporting_cycle_days: u32,
    ) -> Self {
        let reporting_cycle_days = viewer
            .settings
            .reporting_cycle_days
            .unwrap_or(reporting_cycle_days);
        Self {
            loaders: Loaders::new(db, &viewer, spawner),
            reporting: Reporting::new(db, &viewer, reporting_cycle_days),
            db: db.clone(),
            viewer,
        }
    }
}

/// The request scope, or `UNAUTHENTICATED` with the reason there is none.
pub fn scope<'a>(ctx: &Context<'a>) -> Result<&'a RequestScope, ApiError> {
    if let Ok(scope) = ctx.data::<RequestScope>() {
        return Ok(scope);
    }
    match ctx.data::<Access>() {
        Ok(access) => Err(access
            .viewer()
            .err()
            .unwrap_or_else(|| ApiError::Unauthenticated("not authenticated".into()))),
        Err(_) => Err(ApiError::Unauthenticated("not authenticated".into())),
    }
}

/// The per-request state of an operator (`platform_admin`): the primary database, and no
/// tenant.
pub struct OperatorScope {
    pub operator: Operator,
    pub db: DatabaseConnection,
}

/// The operator's scope, or `FORBIDDEN` for anyone else (`UNAUTHENTICATED` without a token).
pub fn operator<'a>(ctx: &Context<'a>) -> Result<&'a OperatorScope, ApiError> {
    if let Ok(scope) = ctx.data::<OperatorScope>() {
        return Ok(scope);
    }
    match ctx.data::<Access>() {
        Ok(access) => Err(access
            .operator()
            .err()
            .unwrap_or_else(|| ApiError::Unauthenticated("not authenticated".into()))),
        Err(_) => Err(ApiError::Unauthenticated("not authenticated".into())),
    }
}
