//! Errors over HTTP: the status of each code, and the one error body every refusal sends.

use async_graphql::ServerError;
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{ApiError, ErrorCode};

/// The HTTP status of an answer that refuses a request with `code` alone. (A GraphQL
/// response whose errors arose during execution is `200` whatever their codes, and
/// `application/json` clients get `200` for a document that does not parse or validate.)
pub fn status(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Conflict | ErrorCode::IdempotencyInProgress => StatusCode::CONFLICT,
        ErrorCode::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::DatabaseUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Timeout => StatusCode::GATEWAY_TIMEOUT,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        // Apollo clients answer these by sending the query along: no failure.
        ErrorCode::PersistedQueryNotFound | ErrorCode::PersistedQueryNotSupported => StatusCode::OK,
        ErrorCode::BadUserInput
        | ErrorCode::BadRequest
        | ErrorCode::BatchLimit
        | ErrorCode::PersistedQueryHashMismatch
        | ErrorCode::GraphqlParseFailed
        | ErrorCode::GraphqlValidationFailed
        | ErrorCode::DepthLimit
        | ErrorCode::ComplexityLimit
        | ErrorCode::DirectiveLimit
        | ErrorCode::AliasLimit
        | ErrorCode::FieldLimit
        | ErrorCode::IntrospectionDisabled => StatusCode::BAD_REQUEST,
    }
}

/// The body of an answer carrying one error, in the shape of a GraphQL response without
/// `data`: `{"errors":[{"message":…,"extensions":{"code":…}}]}`, with `extensions.field`
/// when a `BAD_USER_INPUT` names its input.
pub fn error_body(code: ErrorCode, message: &str, field: Option<&str>) -> String {
    #[derive(serde::Serialize)]
    struct Body {
        errors: [ServerError; 1],
    }
    let mut error = ServerError::new(message, None);
    error.extensions = Some(super::graphql::extensions(code, field));
    // A message and extensions of strings always encode; the fallback is never reached.
    serde_json::to_string(&Body { errors: [error] }).unwrap_or_default()
}

/// An [`ApiError`] as the answer of a file route: its status and its body as JSON. The
/// cause of an internal error is logged here.
pub fn error_response(err: &ApiError) -> Response {
    err.log_cause();
    json_error(
        status(err.code()),
        err.code(),
        &err.to_string(),
        err.field(),
    )
}

/// An error body as `application/json` with `status`.
pub fn json_error(
    status: StatusCode,
    code: ErrorCode,
    message: &str,
    field: Option<&str>,
) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        error_body(code, message, field),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    #[test]
    fn the_body_has_the_shape_of_graphql_errors() {
        let body: Value =
            serde_json::from_str(&error_body(ErrorCode::RateLimited, "slow down", None)).unwrap();
        assert_eq!(
            body,
            json!({ "errors": [{ "message": "slow down", "extensions": { "code": "RATE_LIMITED" } }] })
        );
        let body: Value = serde_json::from_str(&error_body(
            ErrorCode::BadUserInput,
            "lang: unknown",
            Some("lang"),
        ))
        .unwrap();
        assert_eq!(body["errors"][0]["extensions"]["field"], "lang");
    }

    #[test]
    fn api_errors_answer_with_their_status() {
        for (err, expected) in [
            (ApiError::Unauthenticated("x".into()), 401),
            (ApiError::Forbidden("x".into()), 403),
            (ApiError::NotFound("export"), 404),
            (ApiError::bad_input("f", "x"), 400),
            (ApiError::Conflict("x".into()), 409),
            (ApiError::Unavailable, 503),
            (ApiError::Timeout, 504),
            (ApiError::Internal(anyhow::anyhow!("secret")), 500),
        ] {
            let response = error_response(&err);
            assert_eq!(response.status().as_u16(), expected, "{err:?}");
            assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        }
    }
}
