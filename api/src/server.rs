//! The HTTP server: `/graphql` (POST, GET and GraphiQL), `/healthz`, `/readyz`, `/metrics`,
//! and the file exports and imports of [`crate::export::routes`].

use std::sync::Arc;

use async_graphql::http::GraphiQLSource;
use axum::{
    Router,
    body::Bytes,
    extract::{RawQuery, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    limit::RequestBodyLimitLayer,
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

use crate::{
    auth::{Access, TokenKeys},
    config::Config,
    db::StatementCounter,
    graphql::{AppSchema, build_schema_with, context::RequestScope, loader::batch::batch_channel},
    graphql_http::{self, MediaType},
    metrics::Metrics,
};

/// Largest request body accepted: GraphQL documents with their variables are small.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub keys: Arc<TokenKeys>,
    pub config: Arc<Config>,
    pub schema: AppSchema,
    /// SQL statements run by this server's connection.
    pub statements: StatementCounter,
    /// What `/metrics` reports.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(
        db: DatabaseConnection,
        statements: StatementCounter,
        keys: TokenKeys,
        config: Config,
    ) -> Self {
        Self {
            schema: build_schema_with(&config.limits, config.environment),
            db,
            keys: Arc::new(keys),
            config: Arc::new(config),
            // Registering a fixed set of well-formed metrics cannot fail.
            metrics: Arc::new(Metrics::new().expect("metrics register")),
            statements,
        }
    }
}

/// The routes of digidash.
pub fn router(state: AppState) -> Router {
    let cors = cors(state.config.cors_origins.as_deref());
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .merge(crate::export::routes::export_routes())
        // A request body is read whole before it is parsed: cap it (413 above the limit).
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // Spreadsheet imports have a larger limit of their own.
        .merge(crate::export::routes::import_routes())
        .layer(cors)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Browsers may call the API from the configured origins only (`CORS_ORIGINS`).
fn cors(origins: Option<&str>) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static(crate::auth::TENANT_HEADER),
        ])
        // The app reads an export's file name from it.
        .expose_headers([header::CONTENT_DISPOSITION])
        .max_age(std::time::Duration::from_secs(600))
}

/// Serves until SIGINT or SIGTERM.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// Runs a request and records it in the metrics.
async fn execute(
    state: &AppState,
    access: Access,
    request: async_graphql::Request,
    operation: Option<String>,
) -> async_graphql::Response {
    let started = std::time::Instant::now();
    let response = run(state, access, request).await;
    let codes: Vec<String> = response
        .errors
        .iter()
        .map(|error| {
            error
                .extensions
                .as_ref()
                .and_then(|ext| ext.get("code"))
                .map_or_else(
                    || "GRAPHQL_VALIDATION_FAILED".to_owned(),
                    |code| code.to_string().trim_matches('"').to_owned(),
                )
        })
        .collect();
    state
        .metrics
        .record(operation.as_deref(), started.elapsed(), &codes);
    response
}

async fn run(
    state: &AppState,
    access: Access,
    request: async_graphql::Request,
) -> async_graphql::Response {
    let (spawner, batches) = batch_channel();
    let mut request = request.data(access.clone());
    if let Access::Granted(viewer) = access {
        request = request.data(RequestScope::new(
            &state.db,
            viewer,
            &spawner,
            state.config.reporting_cycle_days,
        ));
    }
    batches.run(state.schema.execute(request)).await
}

async fn graphql_post(
    State(state): State<AppState>,
    access: Access,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let media = match graphql_http::negotiate(&headers) {
        Ok(media) => media,
        Err(refusal) => return refusal.into_response(),
    };
    if let Err(refusal) = graphql_http::check_content_type(&headers) {
        return refusal.into_response();
    }
    match graphql_http::parse_body(&body) {
        Ok(request) => checked(&state, access, media, request, false).await,
        Err(message) => graphql_http::request_error(media, &message),
    }
}

/// Runs a request after the checks that need its document (parsed once, here): the size
/// limits and, for GET, no mutations.
async fn checked(
    state: &AppState,
    access: Access,
    media: MediaType,
    request: async_graphql::Request,
    by_get: bool,
) -> Response {
    let inspection = graphql_http::inspect(&request.query, request.operation_name.as_deref());
    if let Some(inspection) = &inspection {
        // A GET must not change anything: links and image tags could trigger it (CSRF).
        if by_get && inspection.mutates {
            return (
                StatusCode::METHOD_NOT_ALLOWED,
                [(axum::http::header::ALLOW, "POST")],
                "mutations must be sent with POST",
            )
                .into_response();
        }
        if let Some(refusal) = graphql_http::oversized(media, inspection.size, &state.config.limits)
        {
            return refusal;
        }
    }
    let operation = inspection.and_then(|inspection| inspection.operation);
    graphql_http::respond(media, execute(state, access, request, operation).await)
}

/// A query in the query string is executed; a browser visit without one gets GraphiQL.
async fn graphql_get(
    State(state): State<AppState>,
    access: Access,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let wants_html = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let query = query.unwrap_or_default();
    if wants_html && !query.split('&').any(|pair| pair.starts_with("query=")) {
        return Html(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .title("digidash")
                .finish(),
        )
        .into_response();
    }
    let media = match graphql_http::negotiate(&headers) {
        Ok(media) => media,
        Err(refusal) => return refusal.into_response(),
    };
    match graphql_http::parse_query_string(&query) {
        Ok(request) => checked(&state, access, media, request, true).await,
        Err(message) => graphql_http::request_error(media, &message),
    }
}

async fn healthz() -> &'static str {
    "ok"
}

async fn metrics(State(state): State<AppState>) -> Response {
    use sea_orm::DbBackend;
    let pool = match state.db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = state.db.get_postgres_connection_pool();
            Some((pool.size(), pool.num_idle()))
        }
        DbBackend::Sqlite => {
            let pool = state.db.get_sqlite_connection_pool();
            Some((pool.size(), pool.num_idle()))
        }
        _ => None,
    };
    let body = state.metrics.render(state.statements.get(), pool);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// Ready when the database answers and every migration of this build is applied (a replica
/// started before `migrate` ran stays out of the load balancer).
async fn readyz(State(state): State<AppState>) -> Response {
    use migration::MigratorTrait;
    match migration::Migrator::get_pending_migrations(&state.db).await {
        Ok(pending) if pending.is_empty() => "ready".into_response(),
        Ok(pending) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{} database migrations are not applied", pending.len()),
        )
            .into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database not reachable").into_response()
        }
    }
}
