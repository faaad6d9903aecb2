//! The request id: taken from a client's `X-Request-Id` when it is usable, made otherwise,
//! echoed in every answer and carried by the request's span and log line.

use axum::{extract::Request, http::HeaderMap};

/// The header carrying the request id (set when the client sends none, always echoed back).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Longest request id taken from a client.
const MAX_REQUEST_ID_LEN: usize = 128;

/// A client's `X-Request-Id` is kept only when it is short printable ASCII; otherwise it is
/// dropped and a new one is made, so a log line never carries a client's essay.
pub(crate) async fn drop_unusable_request_id(mut request: Request) -> Request {
    let unusable = request.headers().get(REQUEST_ID_HEADER).is_some_and(|id| {
        id.is_empty()
            || id.len() > MAX_REQUEST_ID_LEN
            || !id.as_bytes().iter().all(u8::is_ascii_graphic)
    });
    if unusable {
        request.headers_mut().remove(REQUEST_ID_HEADER);
    }
    request
}

/// The request id set by `SetRequestIdLayer` (or sent by the client).
pub(crate) fn request_id(headers: &HeaderMap) -> &str {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}
