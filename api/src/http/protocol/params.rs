//! The parameters of a GraphQL request: a POST body (one request or a batch) or a GET
//! query string, each parameter checked for its type.

use async_graphql::Request;
use axum::body::Bytes;
use serde_json::{Map, Value, json};

/// What a POST body holds: one request, or a batch of them (a JSON array).
#[derive(Debug)]
pub(crate) enum Body {
    /// One JSON object.
    Single(Box<Params>),
    /// A JSON array of objects.
    Batch(Vec<Params>),
}

impl Body {
    /// How many operations the body asks to run.
    pub(crate) fn operations(&self) -> usize {
        match self {
            Self::Single(_) => 1,
            Self::Batch(items) => items.len(),
        }
    }
}

/// One GraphQL request as sent: the request and its persisted-query extension.
#[derive(Debug)]
pub(crate) struct Params {
    /// The request; its query is empty when only a persisted-query hash was sent.
    pub(crate) request: Request,
    /// `extensions.persistedQuery.sha256Hash`, when the client uses persisted queries.
    pub(crate) persisted_hash: Option<String>,
}

/// Reads a POST body into one request or a batch, checking each parameter's type.
pub(crate) fn parse_body(body: &Bytes) -> Result<Body, String> {
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

/// Reads the parameters of a GET query string (`variables` and `extensions` as JSON text).
pub(crate) fn parse_query_string(query: &str) -> Result<Params, String> {
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

/// Builds a request from its parameters (`query`, `operationName`, `variables`, `extensions`).
/// `query` may be left out when `extensions.persistedQuery` names a stored document.
fn request_from(map: Map<String, Value>) -> Result<Params, String> {
    let persisted_hash = persisted_hash(&map)?;
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

/// `extensions.persistedQuery.sha256Hash`, checked for its shape.
fn persisted_hash(map: &Map<String, Value>) -> Result<Option<String>, String> {
    match map.get("extensions") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(extensions)) => match extensions.get("persistedQuery") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(persisted)) => {
                if persisted.get("version") != Some(&json!(1)) {
                    return Err("persistedQuery: only version 1 is supported".into());
                }
                match persisted.get("sha256Hash") {
                    Some(Value::String(hash)) => Ok(Some(hash.clone())),
                    _ => Err("persistedQuery.sha256Hash must be a string".into()),
                }
            }
            Some(_) => Err("`extensions.persistedQuery` must be an object".into()),
        },
        Some(_) => Err("`extensions` must be an object".into()),
    }
}
