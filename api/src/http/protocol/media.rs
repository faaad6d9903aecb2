//! Media types: what the client accepts (`Accept`) and what it sent (`Content-Type`).

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// The response media types we speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaType {
    /// `application/graphql-response+json`: status codes follow the outcome.
    GraphqlResponse,
    /// `application/json`: always `200`, errors in the body.
    Json,
}

impl MediaType {
    /// The `Content-Type` of an answer in this media type.
    pub(crate) fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        })
    }
}

/// Why a request is turned away before it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
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
pub(crate) fn negotiate(headers: &HeaderMap) -> Result<MediaType, Refusal> {
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

/// Checks the `Content-Type` of a POST: JSON in UTF-8.
pub(crate) fn check_content_type(headers: &HeaderMap) -> Result<(), Refusal> {
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
