//! What a resolver gets from the request: the viewer, the database and the loaders.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use crate::{
    auth::{Access, Viewer},
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
    pub fn new(
        db: &DatabaseConnection,
        viewer: Viewer,
        spawner: &BatchSpawner,
        reporting_cycle_days: u32,
    ) -> Self {
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
