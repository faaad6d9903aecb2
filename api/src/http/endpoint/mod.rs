//! `/graphql` (POST, and GET for queries): the GraphQL endpoint as a pipeline of steps.
//!
//! Every GraphQL request passes, in this order:
//!
//! 1. [`limit::limit_client`]: the client address's rate limit;
//! 2. the request timeout (`REQUEST_TIMEOUT_SECS`) around everything that follows;
//! 3. [`authenticate`]: the token, resolved to a viewer;
//! 4. [`body::read_body`]: the media types and the body (one request or a batch);
//! 5. [`limit::limit_subject`]: the token subject's rate limit, one count per operation;
//! 6. for each operation ([`operation::run_operation`], or [`batch::run_batch`] one after
//!    the other): [`persisted_query::resolve_persisted`], [`document::check_document`], and
//!    [`execute::execute_recorded`]: execution through the response cache
//!    (`execute_cached`), counted in the metrics and the log line;
//!
//! then [`write_log`] writes the one log line of the request. A POST with an
//! `Idempotency-Key` runs all of it under the key ([`super::idempotency`]): a retry gets the
//! first answer.

mod batch;
mod body;
mod document;
mod execute;
mod limit;
mod operation;
mod persisted_query;

use std::{net::IpAddr, time::Instant};

use axum::{
    body::Bytes,
    extract::{
        RawQuery, State,
        ws::{WebSocketUpgrade, rejection::WebSocketUpgradeRejection},
    },
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

use super::{
    AppState, Peer, RequestLog, graphiql, idempotency,
    protocol::{Body, MediaType, negotiate, refusal},
    request_id::request_id,
    trace,
};
use crate::{auth::Access, error::ErrorCode};

/// An answer that ends the pipeline before its last step (a refusal). Boxed: it is the
/// rare path, and the steps' results stay small.
type Stop = Box<Response>;

/// What arrived at `/graphql`.
enum Incoming {
    /// A POST body.
    Post(Bytes),
    /// A GET query string.
    Get(String),
}

/// `POST /graphql`.
pub(crate) async fn graphql_post(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    handle(&state, peer, &headers, Incoming::Post(body)).await
}

/// `GET /graphql`: a WebSocket upgrade serves subscriptions ([`super::websocket`]); a query in the
/// query string is executed; a browser visit without one gets GraphiQL where it is served
/// (`GRAPHIQL`; not in production by default), else the protocol's answer to a request
/// without a query.
pub(crate) async fn graphql_get(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    websocket: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    if let Ok(websocket) = websocket {
        return super::websocket::upgrade(state, peer, &headers, websocket);
    }
    let query = query.unwrap_or_default();
    if state.config.graphiql() && graphiql::wanted(&headers, &query) {
        return graphiql::page().into_response();
    }
    handle(&state, peer, &headers, Incoming::Get(query)).await
}

/// Runs a GraphQL request from arrival to the log line.
async fn handle(
    state: &AppState,
    peer: IpAddr,
    headers: &HeaderMap,
    incoming: Incoming,
) -> Response {
    let started = Instant::now();
    let mut log = RequestLog::new(request_id(headers));
    let response = match &incoming {
        // A write a client may retry: under its Idempotency-Key, if it sends one (the token is
        // read first then, once, to know whose key it is).
        Incoming::Post(body) if headers.contains_key(idempotency::KEY_HEADER) => {
            let body = body.clone();
            let access = state.authenticator.access(headers).await;
            let run = limit_then_run(
                state,
                peer,
                headers,
                incoming,
                Some(access.clone()),
                &mut log,
            );
            idempotency::guarded(state, headers, &access, "POST /graphql", &body, run).await
        }
        _ => limit_then_run(state, peer, headers, incoming, None, &mut log).await,
    };
    write_log(state, &log, response.status(), started.elapsed());
    response
}

/// Steps 1 and 2: the client's rate limit, then the rest within the request timeout;
/// `access` when the token was read already.
async fn limit_then_run(
    state: &AppState,
    peer: IpAddr,
    headers: &HeaderMap,
    incoming: Incoming,
    access: Option<Access>,
    log: &mut RequestLog,
) -> Response {
    // Refusals before negotiation still speak JSON.
    let media = negotiate(headers).unwrap_or(MediaType::Json);
    if let Err(stop) = limit::limit_client(state, peer, headers, media, log) {
        return *stop;
    }
    let timeout = state.config.serving.request_timeout;
    let run = authenticate_and_run(state, headers, incoming, access, log);
    match tokio::time::timeout(timeout, run).await {
        Ok(response) => response,
        Err(_) => {
            // First: the outcome of the request, whatever operations of a batch finished.
            log.codes.insert(0, ErrorCode::Timeout.as_str().to_owned());
            let message = format!(
                "the request ran longer than {} s and was stopped",
                timeout.as_secs_f64()
            );
            refusal(media, ErrorCode::Timeout, &message)
        }
    }
}

/// Steps 3 to 6.
async fn authenticate_and_run(
    state: &AppState,
    headers: &HeaderMap,
    incoming: Incoming,
    access: Option<Access>,
    log: &mut RequestLog,
) -> Response {
    let access = authenticate(state, headers, access, log).await;
    let read = match body::read_body(headers, incoming) {
        Ok(read) => read,
        Err(stop) => return *stop,
    };
    let operations = read.body.operations();
    if let Err(stop) = limit::limit_subject(state, &access, operations, read.media, log) {
        return *stop;
    }
    match read.body {
        Body::Single(params) => {
            let mut sequence = operation::Sequence::default();
            let by_get = read.by_get;
            operation::run_operation(
                state,
                access,
                read.media,
                *params,
                by_get,
                &mut sequence,
                log,
            )
            .await
        }
        Body::Batch(items) => batch::run_batch(state, access, read.media, items, log).await,
    }
}

/// Step 3: the token, resolved to a viewer (or the reason there is none; unless `read`
/// already), noted in the log line and on the request's span.
async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    read: Option<Access>,
    log: &mut RequestLog,
) -> Access {
    let access = match read {
        Some(access) => access,
        None => state.authenticator.access(headers).await,
    };
    log.viewer(&access);
    trace::record_viewer(&access);
    access
}

/// The last step: the request's log line, and the metrics of a request refused or stopped
/// before an operation finished (rate limit, timeout, batch size, persisted query); executed
/// operations are already counted by [`execute::execute_recorded`].
fn write_log(state: &AppState, log: &RequestLog, status: StatusCode, elapsed: std::time::Duration) {
    if log.operations.is_empty() && !log.codes.is_empty() {
        state.metrics.record(None, elapsed, &log.codes);
    }
    log.write(status, elapsed);
}
