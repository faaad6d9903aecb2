//! The answers of `/graphql`: executed responses and refusals, in the client's media type.

use async_graphql::Response as GqlResponse;
use axum::{
    body::Bytes,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use super::MediaType;
use crate::error::{
    ErrorCode,
    graphql::{coded_error, validation_code},
    http::{error_body, status},
};

/// A request that is not a GraphQL request at all (not JSON, wrong parameter types): `400`
/// for every client, with the reason in the errors.
pub(crate) fn request_error(media: MediaType, message: &str) -> Response {
    refusal(media, ErrorCode::BadRequest, message)
}

/// A refusal with a GraphQL-shaped body (one error with `message` and `extensions.code`),
/// answered with the status of its code.
pub(crate) fn refusal(media: MediaType, code: ErrorCode, message: &str) -> Response {
    json_response(
        status(code),
        media,
        Bytes::from(error_body(code, message, None)),
    )
}

/// A document refused before it runs, answered as one that does not validate: `200` with
/// the error for `application/json`, `400` without `data` for
/// `application/graphql-response+json`, as the limits async-graphql checks are answered.
pub(crate) fn invalid_document(media: MediaType, code: ErrorCode, message: &str) -> Response {
    let error = coded_error(code, message);
    respond(
        media,
        Answer::Executed(GqlResponse::from_errors(vec![error])),
    )
}

/// What execution produced: a response still to be encoded, or the encoded JSON body of an
/// error-free one (freshly encoded for the response cache, or served from it).
pub(crate) enum Answer {
    /// A response to encode.
    Executed(GqlResponse),
    /// The JSON body of an error-free response.
    Encoded(Bytes),
}

/// Answers in the client's media type. (A response that cannot be encoded, which serde_json
/// only refuses for non-string map keys and async-graphql never builds, answers as internal.)
pub(crate) fn respond(media: MediaType, answer: Answer) -> Response {
    let response = match answer {
        Answer::Encoded(body) => return json_response(StatusCode::OK, media, body),
        Answer::Executed(response) => response,
    };
    if !is_request_error(&response) {
        // Serialised straight into the body: no intermediate JSON tree for large pages.
        let body = serde_json::to_vec(&response)
            .map_or_else(|_| Bytes::from(internal_error_body()), Bytes::from);
        return json_response(StatusCode::OK, media, body);
    }
    let Ok(mut body) = serde_json::to_value(&response) else {
        return json_response(StatusCode::OK, media, Bytes::from(internal_error_body()));
    };
    // Errors before execution get a code of their own, like every other refusal.
    if let Some(Value::Array(errors)) = body.get_mut("errors") {
        for error in errors {
            let message = error["message"].as_str().unwrap_or_default().to_owned();
            if error["extensions"]["code"].is_null() {
                error["extensions"] = json!({ "code": validation_code(&message) });
            }
        }
    }
    let status = if media == MediaType::GraphqlResponse {
        // Nothing was executed, so there is no `data` entry at all.
        if let Value::Object(map) = &mut body {
            map.remove("data");
        }
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    json_response(status, media, Bytes::from(body.to_string()))
}

/// Whether a response failed before execution (the document did not parse or validate).
fn is_request_error(response: &GqlResponse) -> bool {
    !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
        && response.data == async_graphql::Value::Null
}

fn internal_error_body() -> String {
    error_body(ErrorCode::Internal, "internal error", None)
}

fn json_response(status: StatusCode, media: MediaType, body: Bytes) -> Response {
    (status, [(header::CONTENT_TYPE, media.content_type())], body).into_response()
}
