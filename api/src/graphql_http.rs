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
    pub fn content_type(self) -> HeaderValue {
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
    refusal(media, StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
}

/// A refusal with a GraphQL-shaped body: one error with `message` and `extensions.code`.
pub fn refusal(media: MediaType, status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
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

/// What a POST body holds: one request, or a batch of them (a JSON array).
#[derive(Debug)]
pub enum Body {
    Single(Box<Params>),
    Batch(Vec<Params>),
}

/// One GraphQL request as sent: the request and its persisted-query extension.
#[derive(Debug)]
pub struct Params {
    /// The request; its query is empty when only a persisted-query hash was sent.
    pub request: Request,
    /// `extensions.persistedQuery.sha256Hash`, when the client uses persisted queries.
    pub persisted_hash: Option<String>,
}

/// Reads a POST body into one request or a batch, checking each parameter's type.
pub fn parse_body(body: &Bytes) -> Result<Body, String> {
    if body.is_empty() {
        return Err("the request has no body".into());
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|_| "the body is not valid JSON".to_owned())?;
    match value {
        Value::Object(map) => request_from(map).map(|params| Body::Single(Box::new(params))),
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(map) => request_from(map),
                _ => Err("every request of a batch must be a JSON object".into()),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Body::Batch),
        _ => Err("the body must be a JSON object".into()),
    }
}

/// Builds a request from its parameters (`query`, `operationName`, `variables`, `extensions`).
/// `query` may be left out when `extensions.persistedQuery` names a stored document.
pub fn request_from(map: Map<String, Value>) -> Result<Params, String> {
    let persisted_hash = match map.get("extensions") {
        None | Some(Value::Null) => None,
        Some(Value::Object(extensions)) => match extensions.get("persistedQuery") {
            None | Some(Value::Null) => None,
            Some(Value::Object(persisted)) => {
                if persisted.get("version") != Some(&json!(1)) {
                    return Err("persistedQuery: only version 1 is supported".into());
                }
                match persisted.get("sha256Hash") {
                    Some(Value::String(hash)) => Some(hash.clone()),
                    _ => return Err("persistedQuery.sha256Hash must be a string".into()),
                }
            }
            Some(_) => return Err("`extensions.persistedQuery` must be an object".into()),
        },
        Some(_) => return Err("`extensions` must be an object".into()),
    };
    let query = match map.get("query") {
        Some(Value::String(query)) => query.clone(),
        Some(_) => return Err("`query` must be a string".into()),
        None if persisted_hash.is_some() => String::new(),
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
    Ok(Params {
        request,
        persisted_hash,
    })
}

/// Reads the parameters of a GET query string (`variables` and `extensions` as JSON text).
pub fn parse_query_string(query: &str) -> Result<Params, String> {
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

/// What execution produced: a response still to be encoded, or the encoded JSON body of an
/// error-free one (freshly encoded for the response cache, or served from it).
pub enum Answer {
    Executed(GqlResponse),
    Encoded(Bytes),
}

/// Answers in the client's media type. (A response that cannot be encoded, which serde_json
/// only refuses for non-string map keys and async-graphql never builds, answers as internal.)
pub fn respond(media: MediaType, answer: Answer) -> Response {
    let response = match answer {
        Answer::Encoded(body) => return json_response(StatusCode::OK, media, body),
        Answer::Executed(response) => response,
    };
    if !is_request_error(&response) {
        // Serialised straight into the body: no intermediate JSON tree for large pages.
        let body = serde_json::to_vec(&response).map_or_else(
            |_| {
                Bytes::from_static(
                    br#"{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}"#,
                )
            },
            Bytes::from,
        );
        return json_response(StatusCode::OK, media, body);
    }
    let mut body = serde_json::to_value(&response)
        .unwrap_or_else(|_| {
            json!({ "errors": [{ "message": "internal error", "extensions": { "code": crate::error::code::INTERNAL } }] })
        });
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

fn json_response(status: StatusCode, media: MediaType, body: Bytes) -> Response {
    (status, [(header::CONTENT_TYPE, media.content_type())], body).into_response()
}

/// Sizes of a document that the limits look at.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DocumentSize {
    /// Field selections, fragments counted where they are spread.
    pub fields: usize,
    /// Aliased fields, counted the same way.
    pub aliases: usize,
}

/// What the handler needs to know of a document before it runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// Fields and aliases, for the limits.
    pub size: DocumentSize,
    /// The name of the operation that would run (for the metrics).
    pub operation: Option<String>,
    /// Whether that operation is a mutation or subscription (refused over GET).
    pub mutates: bool,
}

/// Parses the document once for the checks before execution (`None` when it does not parse:
/// execution then reports the syntax error and runs nothing).
pub fn inspect(query: &str, operation_name: Option<&str>) -> Option<Inspection> {
    let document = async_graphql::parser::parse_query(query).ok()?;
    inspect_document(&document, operation_name)
}

/// [`inspect`] of a parsed document: the server parses once, keeps the document in the
/// request for execution, and looks at it here.
pub fn inspect_document(
    document: &async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<Inspection> {
    use std::collections::HashMap;

    use async_graphql::parser::types::{OperationType, Selection, SelectionSet};

    fn walk(
        set: &SelectionSet,
        fragments: &HashMap<String, &SelectionSet>,
        memo: &mut HashMap<String, DocumentSize>,
        open: &mut Vec<String>,
    ) -> DocumentSize {
        let mut size = DocumentSize::default();
        for selection in &set.items {
            let part = match &selection.node {
                Selection::Field(field) => {
                    let inner = walk(&field.node.selection_set.node, fragments, memo, open);
                    DocumentSize {
                        fields: inner.fields.saturating_add(1),
                        aliases: inner
                            .aliases
                            .saturating_add(usize::from(field.node.alias.is_some())),
                    }
                }
                Selection::InlineFragment(fragment) => {
                    walk(&fragment.node.selection_set.node, fragments, memo, open)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.to_string();
                    match (memo.get(&name), fragments.get(&name)) {
                        (Some(known), _) => *known,
                        // A cycle is invalid anyway; validation reports it.
                        (None, Some(set)) if !open.contains(&name) => {
                            open.push(name.clone());
                            let inner = walk(set, fragments, memo, open);
                            open.pop();
                            memo.insert(name, inner);
                            inner
                        }
                        _ => DocumentSize::default(),
                    }
                }
            };
            size.fields = size.fields.saturating_add(part.fields);
            size.aliases = size.aliases.saturating_add(part.aliases);
        }
        size
    }
    let fragments: HashMap<String, &SelectionSet> = document
        .fragments
        .iter()
        .map(|(name, fragment)| (name.to_string(), &fragment.node.selection_set.node))
        .collect();
    let mut memo = HashMap::new();
    let mut total = DocumentSize::default();
    let (mut operation, mut mutates, mut operations) = (None, false, 0);
    for (name, definition) in document.operations.iter() {
        let size = walk(
            &definition.node.selection_set.node,
            &fragments,
            &mut memo,
            &mut Vec::new(),
        );
        total.fields = total.fields.saturating_add(size.fields);
        total.aliases = total.aliases.saturating_add(size.aliases);
        operations += 1;
        let selected =
            operation_name.is_none_or(|wanted| name.is_some_and(|n| n.as_str() == wanted));
        if selected {
            operation = name.map(|n| n.to_string());
            mutates |= definition.node.ty != OperationType::Query;
        }
    }
    // Without an operationName only a document with one operation can run.
    if operation_name.is_none() && operations > 1 {
        operation = None;
    }
    Some(Inspection {
        size: total,
        operation: operation_name.map(str::to_owned).or(operation),
        mutates,
    })
}

/// Refuses a document with more aliases or fields than the limits allow (`ALIAS_LIMIT`,
/// `FIELD_LIMIT`); complexity alone would let a hundred aliased `__typename` through.
pub fn oversized(
    media: MediaType,
    size: DocumentSize,
    limits: &crate::config::Limits,
) -> Option<Response> {
    let refusal = if size.aliases > limits.max_aliases {
        Some((
            "ALIAS_LIMIT",
            format!(
                "the document has {} aliases; at most {} are allowed",
                size.aliases, limits.max_aliases
            ),
        ))
    } else if size.fields > limits.max_fields {
        Some((
            "FIELD_LIMIT",
            format!(
                "the document selects {} fields; at most {} are allowed",
                size.fields, limits.max_fields
            ),
        ))
    } else {
        None
    };
    refusal.map(|(code, message)| self::refusal(media, StatusCode::BAD_REQUEST, code, &message))
}

/// The code of an error async-graphql raises before execution.
fn validation_code(message: &str) -> &'static str {
    if message.contains("nested too deep") {
        "DEPTH_LIMIT"
    } else if message.contains("too complex") {
        "COMPLEXITY_LIMIT"
    } else if message.contains("number of directives") {
        "DIRECTIVE_LIMIT"
    } else if message.contains("Unexpected")
        || message.contains("expected") && message.contains("-->")
    {
        "GRAPHQL_PARSE_FAILED"
    } else {
        "GRAPHQL_VALIDATION_FAILED"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selected_operation_is_named_and_typed() {
        let doc = "query A { me { sub } } mutation B { archive(input: {id: \"x\", version: 1}) { node { id } } }";
        let a = inspect(doc, Some("A")).unwrap();
        assert_eq!((a.operation.as_deref(), a.mutates), (Some("A"), false));
        assert!(inspect(doc, Some("B")).unwrap().mutates);
        let single = inspect("mutation M { x }", None).unwrap();
        assert_eq!(
            (single.operation.as_deref(), single.mutates),
            (Some("M"), true)
        );
    }

    #[test]
    fn fragments_count_where_they_are_spread() {
        let size = inspect(
            "{ a: me { sub } b: me { ...F } } fragment F on Me { x: sub y: role }",
            None,
        )
        .unwrap()
        .size;
        assert_eq!(
            size,
            DocumentSize {
                fields: 5,
                aliases: 4
            }
        );
        assert!(inspect("{ me { ", None).is_none());
        let cycle = inspect(
            "{ me { ...A } } fragment A on Me { ...B } fragment B on Me { ...A }",
            None,
        )
        .unwrap()
        .size;
        assert_eq!(cycle.fields, 1);
    }
}
