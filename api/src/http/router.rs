//! The routes of digidash and the layers around them.

use axum::{Router, http::HeaderName, routing::get};
use tower_http::{
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use super::{
    AppState, calendar, endpoint, export, health, import,
    metrics::metrics,
    middleware::{MAX_BODY_BYTES, cors, security_headers},
    request_id::{REQUEST_ID_HEADER, drop_unusable_request_id},
    trace::request_span,
};

/// The routes of digidash: `/graphql` (POST, GET and GraphiQL), `/healthz`, `/readyz`,
/// `/metrics`, the file exports and the import, and the calendar feeds.
pub fn router(state: AppState) -> Router {
    let cors = cors(state.config.cors_origins.as_deref());
    let request_id = HeaderName::from_static(REQUEST_ID_HEADER);
    let routes = Router::new()
        .route(
            "/graphql",
            get(endpoint::graphql_get).post(endpoint::graphql_post),
        )
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics))
        .merge(export::routes())
        .merge(calendar::routes())
        // A request body is read whole before it is parsed: cap it (413 above the limit).
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // Spreadsheet imports have a larger limit of their own.
        .merge(import::routes())
        .layer(cors);
    security_headers(routes)
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        // Outermost: every request has an id before it is traced, and the client reads it.
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(axum::middleware::map_request(drop_unusable_request_id))
        .with_state(state)
}
