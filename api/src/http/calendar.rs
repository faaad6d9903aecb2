//! `GET /calendar/{token}.ics`: a calendar feed, for calendar clients that subscribe to it
//! (Outlook, Thunderbird, phones). No bearer token: the token in the path is the secret, and
//! the feed is read as its owner, through the same policy as `/graphql`.
//!
//! Unknown, revoked and malformed tokens all answer `404` with the usual error body. Requests
//! count against the client address's rate limit, which also slows down anyone guessing.
//! The path is never logged (see `trace::request_span`).

use std::time::Duration;

use axum::{
    Router,
    extract::{Path, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

use super::{
    AppState, Peer,
    rate_limit::{retry_seconds, set_retry_after},
};
use crate::{
    error::{
        ApiError, ApiResult, ErrorCode,
        http::{error_response, json_error},
    },
    replicas::Consistency,
};
use service::calendar::{self, ics};

/// The path prefix of feeds.
pub(super) const PREFIX: &str = "/calendar/";

/// `GET /calendar/{file}`.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/calendar/{file}", get(feed))
}

async fn feed(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    file: Result<Path<String>, PathRejection>,
) -> Response {
    let address = state.rate_limits.client_address(peer, &headers);
    if let Err(wait) = state.rate_limits.check_address(address, 1) {
        return rate_limited(wait);
    }
    // A path that does not even decode (not UTF-8) names no feed either.
    let Ok(Path(file)) = file else {
        return error_response(&ApiError::NotFound("calendar feed"));
    };
    match render(&state, &file).await {
        Ok(response) => response,
        Err(err) => error_response(&err),
    }
}

/// The feed named by `file` (`<token>.ics`) as iCalendar text.
async fn render(state: &AppState, file: &str) -> ApiResult<Response> {
    let token = file
        .strip_suffix(".ics")
        .ok_or(ApiError::NotFound("calendar feed"))?;
    // The token is looked up (and its use noted) on the primary; the feed's rows may come
    // from a replica that has caught up with the tenant.
    let opened = calendar::open(&state.db, token).await?;
    let viewer = &opened.viewer;
    let cycle_days = viewer
        .settings
        .reporting_cycle_days
        .unwrap_or(state.config.reporting_cycle_days);
    let db = state.reader(viewer, Consistency::CaughtUp).await;
    let entries = calendar::events::collect(&db, viewer, cycle_days).await?;
    let heading = ics::Heading {
        feed: &opened.feed.name,
        tenant_name: &opened.tenant.name,
        tenant_key: &opened.tenant.key,
        lang: viewer.settings.export_language,
        cycle_days,
        now: chrono::Utc::now(),
    };
    let body = ics::render(&heading, &entries);
    let disposition = format!("inline; filename=\"digidash-{}.ics\"", opened.tenant.key);
    let mut response = (
        [
            (header::CONTENT_TYPE, ics::CONTENT_TYPE),
            // What one person may see: no shared cache keeps it.
            (header::CACHE_CONTROL, "private, no-cache"),
        ],
        body,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// `429` with `Retry-After` and the usual error body.
fn rate_limited(wait: Duration) -> Response {
    let seconds = retry_seconds(wait);
    let mut response = json_error(
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
        &format!("too many requests; retry in {seconds} s"),
        None,
    );
    set_retry_after(&mut response, seconds);
    response
}
