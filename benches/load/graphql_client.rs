//! One GraphQL request over HTTP, and how its answer counts: an answer with errors is a
//! failure, whatever its HTTP status; a failure also says its kind (transport, HTTP status,
//! GraphQL error code), which the soak run counts.

use serde_json::Value;

/// The result of one request.
pub(crate) struct Outcome {
    pub(crate) ok: bool,
    pub(crate) bytes: usize,
    pub(crate) error: Option<String>,
    /// The failure's kind: `transport: timeout` (connect, body, other), `HTTP 503`,
    /// `GraphQL CONFLICT` (the first error's `extensions.code`), or `client` (the benchmark
    /// could not send the request).
    pub(crate) kind: Option<String>,
}

impl Outcome {
    /// A request the benchmark itself could not send.
    pub(crate) fn failed(error: String) -> Self {
        Self::failed_as("client".into(), error)
    }

    pub(crate) fn failed_as(kind: String, error: String) -> Self {
        Self {
            ok: false,
            bytes: 0,
            error: Some(error),
            kind: Some(kind),
        }
    }
}

/// The kind of a transport failure of reqwest.
fn transport_kind(err: &reqwest::Error) -> String {
    let what = if err.is_timeout() {
        "timeout"
    } else if err.is_connect() {
        "connect"
    } else if err.is_body() || err.is_decode() {
        "body"
    } else {
        "other"
    };
    format!("transport: {what}")
}

/// The code of the answer's first GraphQL error (`errors[0].extensions.code`), if any.
fn first_error_code(bytes: &[u8]) -> Option<String> {
    let answer: Value = serde_json::from_slice(bytes).ok()?;
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned)
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
        Err(err) => {
            let kind = transport_kind(&err);
            return (Outcome::failed_as(kind, format!("transport: {err}")), None);
        }
    };
    let status = response.status();
    let bytes = match response.bytes().await {
        Ok(bytes) => bytes,
        Err(err) => {
            let kind = transport_kind(&err);
            return (
                Outcome::failed_as(kind, format!("reading the body: {err}")),
                None,
            );
        }
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
    // Failures are rare: their answer is parsed once more for the error's code.
    let kind = (!ok).then(|| {
        let code = first_error_code(&bytes).unwrap_or_else(|| "(no code)".to_owned());
        if status.is_success() {
            format!("GraphQL {code}")
        } else if has_errors {
            format!("HTTP {} {code}", status.as_u16())
        } else {
            format!("HTTP {}", status.as_u16())
        }
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
            kind,
        },
        parsed,
    )
}
