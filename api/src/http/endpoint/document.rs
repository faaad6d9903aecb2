//! The checks that need the document, parsed once here and kept for execution: no
//! mutation over GET, the size limits and the node limit.

use async_graphql::Request;
use axum::{
    http::{StatusCode, header},
    response::IntoResponse,
};

use super::Stop;
use crate::{
    config::Limits,
    error::ErrorCode,
    graphql::node_limit::check_nodes,
    http::protocol::{MediaType, inspect_document, invalid_document, oversized, refusal},
};

/// A request whose document passed the checks.
pub(super) struct CheckedDocument {
    /// The request, holding its parsed document.
    pub(super) request: Request,
    /// The name of the operation that runs (for the metrics and the log).
    pub(super) operation: Option<String>,
    /// Whether that operation writes; `None` when the document does not parse.
    pub(super) mutates: Option<bool>,
    /// Whether it reads what moves without a write: never from the response cache.
    pub(super) volatile: bool,
}

/// Parses the document and checks it: `405` for a mutation sent with GET, `ALIAS_LIMIT` or
/// `FIELD_LIMIT` beyond `limits`, `COMPLEXITY_LIMIT` for an operation that could fetch more
/// nodes than they allow (so before the response cache is asked), `INTROSPECTION_DISABLED`
/// for `__schema` or `__type` where introspection is off (the schema would answer them with
/// a silent `null`). A document that does not parse passes: execution reports the syntax
/// error and runs nothing.
pub(super) fn check_document(
    mut request: Request,
    by_get: bool,
    media: MediaType,
    limits: &Limits,
    introspection: bool,
) -> Result<CheckedDocument, Stop> {
    let operation_name = request.operation_name.clone();
    // Parsed once: the request keeps the document for execution. (Its variables are lent to
    // the node count meanwhile: the parsed document borrows the whole request.)
    let variables = std::mem::take(&mut request.variables);
    let inspection = request.parsed_query().ok().and_then(|document| {
        let nodes = check_nodes(
            document,
            operation_name.as_deref(),
            &variables,
            limits.max_nodes,
        );
        inspect_document(document, operation_name.as_deref()).map(|found| (found, nodes))
    });
    request.variables = variables;
    let (inspection, nodes) = inspection.unzip();
    if let Some(inspection) = &inspection {
        // A GET must not change anything: links and image tags could trigger it (CSRF).
        if by_get && inspection.mutates {
            return Err(Box::new(
                (
                    StatusCode::METHOD_NOT_ALLOWED,
                    [(header::ALLOW, "POST")],
                    "mutations must be sent with POST",
                )
                    .into_response(),
            ));
        }
        if let Some(refusal) = oversized(media, inspection.size, limits) {
            return Err(Box::new(refusal));
        }
        if let Some(Err(too_many)) = nodes {
            let message = too_many.to_string();
            return Err(Box::new(invalid_document(
                media,
                ErrorCode::ComplexityLimit,
                &message,
            )));
        }
        if inspection.size.introspects && !introspection {
            return Err(Box::new(refusal(
                media,
                ErrorCode::IntrospectionDisabled,
                "introspection is turned off on this server (production); \
                 GRAPHQL_INTROSPECTION=true turns it on",
            )));
        }
    }
    let mutates = inspection.as_ref().map(|inspection| inspection.mutates);
    let volatile = inspection
        .as_ref()
        .is_some_and(|inspection| inspection.size.volatile);
    Ok(CheckedDocument {
        volatile,
        request,
        operation: inspection.and_then(|inspection| inspection.operation),
        mutates,
    })
}
