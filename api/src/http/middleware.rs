//! The layers around every route: CORS, security headers and the body limit.

use std::time::Duration;

use axum::{
    Router,
    http::{HeaderName, HeaderValue, Method, header},
};
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    set_header::SetResponseHeaderLayer,
};

use super::request_id::REQUEST_ID_HEADER;

/// Largest request body accepted: GraphQL documents with their variables are small.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Browsers may call the API from the configured origins only (`CORS_ORIGINS`).
pub(crate) fn cors(origins: Option<&str>) -> CorsLayer {
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
            HeaderName::from_static(super::idempotency::KEY_HEADER),
        ])
        .expose_headers([
            HeaderName::from_static(REQUEST_ID_HEADER),
            header::RETRY_AFTER,
            // The app reads an export's file name from it.
            header::CONTENT_DISPOSITION,
            HeaderName::from_static(super::idempotency::REPLAYED_HEADER),
        ])
        .max_age(Duration::from_secs(600))
}

/// Every answer carries these headers unless its route set them: no MIME sniffing, no
/// framing, no referrer.
pub(crate) fn security_headers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
    ]
    .into_iter()
    .fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ))
    })
}
