//! One GraphQL request over HTTP, and how its answer counts: an answer with errors is a
//! failure, whatever its HTTP status.

use serde_json::Value;

/// The result of one request.
pub(crate) struct Outcome {
    pub(crate) ok: bool,
    pub(crate) bytes: usize,
    pub(crate) error: Option<String>,
}

impl Outcome {
    pub(crate) fn failed(error: String) -> Self {
        Self {
            ok: false,
            bytes: 0,
            error: Some(error),
        }
    }
}

/// Posts one GraphQL request; the answer is parsed only when `parse` is set, since the
/// measured requests need no more than its size and whether it holds errors.
pub(crate) async fn send_graphql(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    body: &Value,
    parse: bool,
) -> (Outcome, Option<Value>) {
    let mut request = client
        .post(url)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(body.to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = match request.send().await {
        Ok(response) => response,
        Err(err) => return (Outcome::failed(format!("transport: {err}")), None),
    };
    let status = response.status();
    let bytes = match response.bytes().await {
        Ok(bytes) => bytes,
        Err(err) => return (Outcome::failed(format!("reading the body: {err}")), None),
    };
    // Every GraphQL error is reported under the top-level "errors" key.
    let has_errors = bytes.windows(9).any(|w| w == b"\"errors\":");
    let ok = status.is_success() && !has_errors;
    let error = (!ok).then(|| {
        format!(
            "HTTP {status}: {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
        )
    });
    let parsed = if parse {
        serde_json::from_slice(&bytes).ok()
    } else {
        None
    };
    (
        Outcome {
            ok,
            bytes: bytes.len(),
            error,
        },
        parsed,
    )
}
