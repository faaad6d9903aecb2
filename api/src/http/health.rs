//! Health for load balancers and orchestrators: `/healthz` (alive) and `/readyz` (the
//! database answers and is migrated).

use std::time::Duration;

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};

use super::AppState;

/// Longest `/readyz` waits for the database.
const READY_TIMEOUT: Duration = Duration::from_secs(3);

/// `/healthz`: the process answers.
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

/// `/readyz`: ready when the database answers and every migration of this build is applied
/// (a replica started before `migrate` ran stays out of the load balancer).
pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    use migration::MigratorTrait;
    if let Some(primary) = state
        .primary
        .as_ref()
        .filter(|primary| !primary.available())
    {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "no host of DATABASE_URL accepts writes (last: {})",
                primary.current()
            ),
        )
            .into_response();
    }
    // A load balancer asks often and briefly: an unreachable database must not make it wait.
    let pending = tokio::time::timeout(
        READY_TIMEOUT,
        migration::Migrator::get_pending_migrations(&state.db),
    )
    .await;
    match pending {
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "database not reachable in time",
        )
            .into_response(),
        Ok(Ok(pending)) if pending.is_empty() => "ready".into_response(),
        Ok(Ok(pending)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{} database migrations are not applied", pending.len()),
        )
            .into_response(),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database not reachable").into_response()
        }
    }
}
