//! `Idempotency-Key` on writes (`POST /graphql`, the imports): the first request with a key
//! runs and its answer is kept; a retry with the same key and the same request gets that
//! answer again (`Idempotent-Replayed: true`) without running; the key with another request
//! is `422 IDEMPOTENCY_KEY_REUSED`; a retry while the first still runs waits for its answer,
//! then gets `409 IDEMPOTENCY_IN_PROGRESS`. The rules live in [`service::idempotency`].

use std::{future::Future, time::Duration};

use axum::{
    body::{Body, Bytes, to_bytes},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use sha2::{Digest, Sha256};

use super::AppState;
use crate::{auth::Access, error::http::error_response};
use service::{
    error::ErrorCode,
    idempotency::{self, Begun, Stored},
};

/// The request header.
pub const KEY_HEADER: &str = "idempotency-key";

/// The answer header of a replayed answer.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// How long a retry waits for the first request's answer before `IDEMPOTENCY_IN_PROGRESS`.
const WAIT: Duration = Duration::from_secs(10);

/// Answers kept are read whole; none is larger than a page of the API.
const MAX_KEPT_BYTES: usize = 64 * 1024 * 1024;

/// Runs `run`, under the request's `Idempotency-Key` when it carries one. `target` and
/// `body` are what the key stands for: another request under the same key is refused.
///
/// `access` is the caller's, resolved once by the route.
pub async fn guarded(
    state: &AppState,
    headers: &HeaderMap,
    access: &Access,
    target: &str,
    body: &[u8],
    run: impl Future<Output = Response>,
) -> Response {
    let Some(key) = headers.get(KEY_HEADER) else {
        return run.await;
    };
    // A header that is no text reads as empty, which is refused like any bad key.
    let key = key.to_str().unwrap_or_default().trim().to_owned();
    if let Err(err) = idempotency::check_key(&key) {
        return error_response(&err);
    }
    // Whose key it is: the refusals of a request without a valid token are not kept.
    let (owner, tenant) = match access {
        Access::Granted(viewer) => (
            idempotency::owner(Some(viewer.tenant_id), &viewer.sub),
            Some(viewer.tenant_id),
        ),
        Access::Operator(operator) => (idempotency::owner(None, &operator.sub), None),
        Access::Denied(_) | Access::Unavailable => return run.await,
    };
    let hash = format!(
        "{:x}",
        Sha256::new()
            .chain_update(target.as_bytes())
            .chain_update([0])
            .chain_update(body)
            .finalize()
    );
    let claim = match idempotency::begin(&state.db, &owner, tenant, &key, &hash, WAIT).await {
        Ok(Begun::Run(claim)) => claim,
        Ok(Begun::Replay(stored)) => return replay(stored),
        Err(err) => return error_response(&err),
    };
    let response = idempotency::run(&claim, run).await;
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_KEPT_BYTES).await else {
        let _ = idempotency::release(&state.db, claim).await;
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    // A refusal for the moment (rate limit, timeout, the database away) is no answer to keep:
    // the retry runs again, unless the write committed.
    let kept = if retry_runs_again(parts.status, &bytes) {
        idempotency::release(&state.db, claim).await
    } else {
        let answer = stored(parts.status, &parts.headers, bytes.clone());
        idempotency::finish(&state.db, claim, answer).await
    };
    if let Err(err) = kept {
        tracing::warn!(error = %err, "the answer of an Idempotency-Key could not be kept");
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Whether the answer is a refusal for the moment: by its status, or (a GraphQL answer in
/// `application/json` is `200` whatever went wrong) by the code of an error in its body.
fn retry_runs_again(status: StatusCode, body: &[u8]) -> bool {
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        return true;
    }
    // Most answers carry no error: they need not be parsed.
    if !body.windows(8).any(|window| window == b"\"errors\"") {
        return false;
    }
    let Ok(answer) = serde_json::from_slice::<serde_json::Value>(body) else {
        return false;
    };
    let answers = match &answer {
        serde_json::Value::Array(batch) => batch.iter().collect(),
        single => vec![single],
    };
    answers
        .iter()
        .filter_map(|answer| answer["errors"].as_array())
        .flatten()
        .filter_map(|error| error["extensions"]["code"].as_str())
        .filter_map(ErrorCode::parse)
        .any(ErrorCode::is_momentary)
}

fn stored(status: StatusCode, headers: &HeaderMap, body: Bytes) -> Stored {
    Stored {
        status: status.as_u16(),
        content_type: headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: body.to_vec(),
    }
}

/// The kept answer, marked as replayed.
fn replay(stored: Stored) -> Response {
    let mut response = Response::new(Body::from(stored.body));
    *response.status_mut() = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    if let Some(value) = stored
        .content_type
        .and_then(|v| HeaderValue::from_str(&v).ok())
    {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    response
}
