//! GraphQL over HTTP (graphql.github.io/graphql-over-http): media types, status codes and the
//! checks on a request before it reaches the schema.
//!
//! A body that is not a GraphQL request (bad JSON, parameters of the wrong type) gets `400`.
//! A document that does not parse or validate gets `400` without a `data` entry when the
//! client accepts `application/graphql-response+json`, and `200` with the errors when it only
//! knows `application/json`, as GraphQL servers traditionally answer.

use async_graphql::{Request, Response as GqlResponse};
use axum::{
    body::Bytes,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Map, Value, json};

/// The response media types we speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    /// `application/graphql-response+json`: status codes follow the outcome.
    GraphqlResponse,
    /// `application/json`: always `200`, errors in the body.
    Json,
}

impl MediaType {
    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        })
    }
}

/// Why a request is turned away before it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `406`: the client accepts none of our media types.
    NotAcceptable,
    /// `415`: the body is not JSON in UTF-8.
    UnsupportedMediaType,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Self::NotAcceptable => (
                StatusCode::NOT_ACCEPTABLE,
                "accept application/graphql-response+json or application/json",
            )
                .into_response(),
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the request as application/json",
            )
                .into_response(),
        }
    }
}

/// Picks the response media type from `Accept` (`406` when we speak none of them).
pub fn negotiate(headers: &HeaderMap) -> Result<MediaType, Refusal> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Ok(MediaType::Json);
    };
    let mut best: Option<(f32, MediaType)> = None;
    for item in accept.split(',') {
        let mut parts = item.split(';').map(str::trim);
        let range = parts.next().unwrap_or_default().to_ascii_lowercase();
        let mut quality = 1.0_f32;
        let mut utf8 = true;
        for parameter in parts {
            if let Some(q) = parameter.strip_prefix("q=") {
                quality = q.parse().unwrap_or(0.0);
            } else if let Some(charset) = parameter.strip_prefix("charset=") {
                utf8 = charset.eq_ignore_ascii_case("utf-8");
            }
        }
        let media = match range.as_str() {
            "application/graphql-response+json" => MediaType::GraphqlResponse,
            "application/json" | "application/*" | "*/*" => MediaType::Json,
            _ => continue,
        };
        if quality > 0.0 && utf8 && best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, media));
        }
    }
    best.map(|(_, media)| media).ok_or(Refusal::NotAcceptable)
}

/// A request that is not a GraphQL request at all (not JSON, wrong parameter types): `400`
/// for every client, with the reason in the errors.
pub fn request_error(media: MediaType, message: &str) -> Response {
    let body =
        json!({ "errors": [{ "message": message, "extensions": { "code": "BAD_REQUEST" } }] });
    let status = StatusCode::BAD_REQUEST;
    (
        status,
        [(header::CONTENT_TYPE, media.content_type())],
        body.to_string(),
    )
        .into_response()
}

/// Checks the `Content-Type` of a POST: JSON in UTF-8.
pub fn check_content_type(headers: &HeaderMap) -> Result<(), Refusal> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut parts = content_type.split(';').map(str::trim);
    let is_json = parts
        .next()
        .is_some_and(|media| media.eq_ignore_ascii_case("application/json"));
    let utf8 = parts.all(|p| {
        p.strip_prefix("charset=")
            .is_none_or(|c| c.eq_ignore_ascii_case("utf-8"))
    });
    if is_json && utf8 {
        Ok(())
    } else {
        Err(Refusal::UnsupportedMediaType)
    }
}

/// Reads a POST body into a request, checking each parameter's type.
pub fn parse_body(body: &Bytes) -> Result<Request, String> {
    if body.is_empty() {
        return Err("the request has no body".into());
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|_| "the body is not valid JSON".to_owned())?;
    let Value::Object(map) = value else {
        return Err("the body must be a JSON object (batched requests are not accepted)".into());
    };
    request_from(map)
}

/// Builds a request from its parameters (`query`, `operationName`, `variables`, `extensions`).
pub fn request_from(map: Map<String, Value>) -> Result<Request, String> {
    let query = match map.get("query") {
        Some(Value::String(query)) => query.clone(),
        Some(_) => return Err("`query` must be a string".into()),
        None => return Err("the request has no `query`".into()),
    };
    let mut request = Request::new(query);
    match map.get("operationName") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => request = request.operation_name(name.clone()),
        Some(_) => return Err("`operationName` must be a string".into()),
    }
    match map.get("variables") {
        None | Some(Value::Null) => {}
        Some(variables @ Value::Object(_)) => {
            request = request.variables(async_graphql::Variables::from_json(variables.clone()));
        }
        Some(_) => return Err("`variables` must be an object".into()),
    }
    match map.get("extensions") {
        None | Some(Value::Null) | Some(Value::Object(_)) => {}
        Some(_) => return Err("`extensions` must be an object".into()),
    }
    Ok(request)
}

/// Reads the parameters of a GET query string (`variables` and `extensions` as JSON text).
pub fn parse_query_string(query: &str) -> Result<Request, String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|_| "the query string is malformed".to_owned())?;
    let mut map = Map::new();
    for (key, value) in pairs {
        let value = match key.as_str() {
            "variables" | "extensions" => {
                serde_json::from_str(&value).map_err(|_| format!("`{key}` must be JSON"))?
            }
            _ => Value::String(value),
        };
        map.insert(key, value);
    }
    request_from(map)
}

/// Whether a response failed before execution (the document did not parse or validate).
fn is_request_error(response: &GqlResponse) -> bool {
    !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
        && response.data == async_graphql::Value::Null
}

/// Answers with an executed response in the client's media type.
pub fn respond(media: MediaType, response: GqlResponse) -> Response {
    let request_error = is_request_error(&response);
    let mut body = serde_json::to_value(&response)
        .unwrap_or_else(|_| json!({ "errors": [{ "message": "internal error" }] }));
    let status = if request_error && media == MediaType::GraphqlResponse {
        // Nothing was executed, so there is no `data` entry at all.
        if let Value::Object(map) = &mut body {
            map.remove("data");
        }
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    (
        status,
        [(header::CONTENT_TYPE, media.content_type())],
        body.to_string(),
    )
        .into_response()
}
