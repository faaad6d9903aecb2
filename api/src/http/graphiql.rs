//! GraphiQL, for a browser that visits `/graphql` without a query.

use async_graphql::http::GraphiQLSource;
use axum::{
    http::{HeaderMap, header},
    response::Html,
};

/// Whether a GET of `/graphql` is a browser's visit: it accepts HTML and its query string
/// holds no GraphQL request.
pub(crate) fn wanted(headers: &HeaderMap, query: &str) -> bool {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let has_request = query
        .split('&')
        .any(|pair| pair.starts_with("query=") || pair.starts_with("extensions="));
    wants_html && !has_request
}

/// The GraphiQL page, pointed at `/graphql`.
pub(crate) fn page() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("digidash")
            .finish(),
    )
}
