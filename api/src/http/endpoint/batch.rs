//! Batches (a JSON array body): off unless `MAX_BATCH_SIZE` allows them; their operations
//! run one after the other and answer as an array in the same order.

use axum::{
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::Value;

use super::operation::{Sequence, run_operation};
use crate::{
    auth::Access,
    error::{ErrorCode, http::error_body},
    http::{
        AppState, RequestLog,
        protocol::{MediaType, Params, refusal},
    },
};

/// Runs a batch, or refuses it with `BATCH_LIMIT`.
pub(super) async fn run_batch(
    state: &AppState,
    access: Access,
    media: MediaType,
    items: Vec<Params>,
    log: &mut RequestLog,
) -> Response {
    if let Some(message) = refusal_of(state.config.serving.max_batch_size, items.len()) {
        log.codes.push(ErrorCode::BatchLimit.as_str().to_owned());
        return refusal(media, ErrorCode::BatchLimit, &message);
    }
    let mut answers = Vec::with_capacity(items.len());
    let mut sequence = Sequence::default();
    for params in items {
        let by_get = false;
        let response = run_operation(
            state,
            access.clone(),
            media,
            params,
            by_get,
            &mut sequence,
            log,
        )
        .await;
        answers.push(as_json(response).await);
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, media.content_type())],
        Value::Array(answers).to_string(),
    )
        .into_response()
}

/// Why a batch of `len` operations is refused when at most `max` are allowed (0: batching
/// is off).
fn refusal_of(max: usize, len: usize) -> Option<String> {
    if max == 0 {
        Some("batched requests are not accepted: send one JSON object per request".to_owned())
    } else if len == 0 {
        Some("the batch is empty".to_owned())
    } else if len > max {
        Some(format!(
            "the batch has {len} operations; at most {max} are allowed"
        ))
    } else {
        None
    }
}

/// The JSON body of one operation's answer, as an element of the batch's array. (Every
/// answer of an operation is JSON; anything else is reported as an internal error.)
async fn as_json(response: Response) -> Value {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    serde_json::from_slice::<Value>(&bytes).unwrap_or_else(|_| {
        let message = String::from_utf8_lossy(&bytes);
        serde_json::from_str(&error_body(ErrorCode::Internal, &message, None)).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_off_by_default_and_bounded() {
        assert!(refusal_of(0, 1).unwrap().contains("not accepted"));
        assert!(refusal_of(3, 0).unwrap().contains("empty"));
        assert!(refusal_of(3, 4).unwrap().contains("at most 3"));
        assert_eq!(refusal_of(3, 3), None);
    }
}
