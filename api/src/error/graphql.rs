//! Errors as GraphQL errors: `extensions.code` (and `extensions.field` for
//! `BAD_USER_INPUT`) on every error a response carries.

use std::future::Future;

use async_graphql::{Context, ErrorExtensionValues, ErrorExtensions, ServerError};

use super::{ApiError, ErrorCode, LoadError};

/// The error of a resolver: whatever went wrong, as GraphQL sends it. Resolvers return
/// [`Result`], and `?` turns a service's [`ApiError`] (with its code), a loader's
/// [`LoadError`] and async-graphql's own errors into it. (`ApiError` belongs to `service`,
/// which knows no GraphQL, so async-graphql's error cannot be made from it directly.)
#[derive(Clone, Debug)]
pub struct GraphqlError(async_graphql::Error);

/// The result of a resolver.
pub type Result<T, E = GraphqlError> = std::result::Result<T, E>;

impl From<ApiError> for GraphqlError {
    fn from(err: ApiError) -> Self {
        Self(to_graphql(&err))
    }
}

// Loader errors reach the client only through the mapping of `ApiError`, never with their
// SQL text.
impl From<LoadError> for GraphqlError {
    fn from(err: LoadError) -> Self {
        ApiError::from(err).into()
    }
}

impl From<async_graphql::Error> for GraphqlError {
    fn from(err: async_graphql::Error) -> Self {
        Self(err)
    }
}

impl From<GraphqlError> for async_graphql::Error {
    fn from(err: GraphqlError) -> Self {
        err.0
    }
}

/// The value of a nullable field whose resolver may fail: `null`, with the error beside it.
///
/// async-graphql 7 leaves a field whose resolver fails out of `data` altogether, and makes
/// `data` null when it was the only field asked for; the GraphQL spec answers `null` for a
/// nullable field and keeps its siblings. Mutation payloads and the root fields that can be
/// refused go through here, so that a refusal nulls that field and nothing else.
pub async fn or_null<T>(ctx: &Context<'_>, body: impl Future<Output = Result<T>>) -> Option<T> {
    match body.await {
        Ok(value) => Some(value),
        Err(err) => {
            let err = async_graphql::Error::from(err).into_server_error(ctx.item.pos);
            ctx.add_error(ctx.set_error_path(err));
            None
        }
    }
}

/// The extensions of an error with `code`; `field` names the input of a `BAD_USER_INPUT`.
pub fn extensions(code: ErrorCode, field: Option<&str>) -> ErrorExtensionValues {
    let mut extensions = ErrorExtensionValues::default();
    set_extensions(&mut extensions, code, field);
    extensions
}

fn set_extensions(extensions: &mut ErrorExtensionValues, code: ErrorCode, field: Option<&str>) {
    extensions.set("code", code.as_str());
    if let Some(field) = field {
        extensions.set("field", field);
    }
}

/// An error raised outside a resolver (a refusal before execution): `message` with `code`.
pub fn coded_error(code: ErrorCode, message: &str) -> ServerError {
    let mut error = ServerError::new(message, None);
    error.extensions = Some(extensions(code, None));
    error
}

/// `err` as a GraphQL error: its message, `extensions.code` and, for `BAD_USER_INPUT`,
/// `extensions.field`; the cause of an internal error is logged, never sent.
pub fn to_graphql(err: &ApiError) -> async_graphql::Error {
    err.log_cause();
    async_graphql::Error::new(err.to_string())
        .extend_with(|_, ext| set_extensions(ext, err.code(), err.field()))
}

/// The code of an error in an executed response; an error without one was raised by
/// async-graphql's validation.
pub fn code_of(error: &ServerError) -> String {
    error
        .extensions
        .as_ref()
        .and_then(|ext| ext.get("code"))
        .map_or_else(
            || ErrorCode::GraphqlValidationFailed.as_str().to_owned(),
            |code| code.to_string().trim_matches('"').to_owned(),
        )
}

/// The code of an error async-graphql raises before execution (it carries none).
pub fn validation_code(message: &str) -> ErrorCode {
    if message.contains("nested too deep") {
        ErrorCode::DepthLimit
    } else if message.contains("number of directives") {
        ErrorCode::DirectiveLimit
    } else if message.contains("Unexpected")
        || message.contains("expected") && message.contains("-->")
    {
        ErrorCode::GraphqlParseFailed
    } else {
        ErrorCode::GraphqlValidationFailed
    }
}

/// A resolver error that did not pass through [`ApiError`] (a `?` on some library error)
/// carries its cause's text, which may hold SQL or paths: the client reads `internal error`
/// with code `INTERNAL`, the cause is logged. Argument values async-graphql could not read
/// stay as they are, coded `BAD_USER_INPUT`.
pub fn conceal_internal_errors(response: &mut async_graphql::Response) {
    for error in &mut response.errors {
        let coded = error
            .extensions
            .as_ref()
            .is_some_and(|ext| ext.get("code").is_some());
        if coded || error.path.is_empty() {
            continue;
        }
        let mut extensions = error.extensions.take().unwrap_or_default();
        if error.message.starts_with("Failed to parse")
            || error.message.starts_with("Invalid value")
        {
            extensions.set("code", ErrorCode::BadUserInput.as_str());
        } else {
            tracing::error!(error = %error.message, path = ?error.path, "uncoded resolver error");
            error.message = "internal error".to_owned();
            extensions.set("code", ErrorCode::Internal.as_str());
        }
        error.extensions = Some(extensions);
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{PathSegment, Pos};
    use sea_orm::DbErr;

    use super::*;

    fn error_at_path(message: &str) -> ServerError {
        let mut error = ServerError::new(message, Some(Pos { line: 1, column: 3 }));
        error.path = vec![PathSegment::Field("measures".into())];
        error
    }

    #[test]
    fn uncoded_resolver_errors_reach_the_client_as_internal() {
        let mut response = async_graphql::Response::from_errors(vec![
            error_at_path(
                "Execution Error: error returned from database: relation \"measure\" does not exist",
            ),
            error_at_path("Failed to parse \"Int\": Only integers from -2^31 to 2^31-1"),
            // A validation error (no path) keeps its message; the HTTP layer codes it.
            ServerError::new("Unknown field \"nope\"", None),
        ]);
        conceal_internal_errors(&mut response);
        let body = serde_json::to_value(&response).unwrap();
        assert_eq!(body["errors"][0]["message"], "internal error");
        assert_eq!(body["errors"][0]["extensions"]["code"], "INTERNAL");
        assert!(!body.to_string().contains("relation"));
        assert_eq!(body["errors"][1]["extensions"]["code"], "BAD_USER_INPUT");
        assert!(body["errors"][2]["extensions"].is_null());
    }

    #[test]
    fn coded_errors_are_left_alone() {
        let mut coded = error_at_path("measure not found");
        coded.extensions = Some(extensions(ErrorCode::NotFound, None));
        let mut response = async_graphql::Response::from_errors(vec![coded]);
        conceal_internal_errors(&mut response);
        assert_eq!(response.errors[0].message, "measure not found");
        assert_eq!(code_of(&response.errors[0]), "NOT_FOUND");
        assert_eq!(
            code_of(&ServerError::new("Unknown field", None)),
            "GRAPHQL_VALIDATION_FAILED"
        );
    }

    #[test]
    fn api_errors_carry_their_code_and_field() {
        let bad = to_graphql(&ApiError::bad_input("title", "must not be empty"));
        let extensions = serde_json::to_value(bad.extensions.unwrap()).unwrap();
        assert_eq!(
            extensions,
            serde_json::json!({ "code": "BAD_USER_INPUT", "field": "title" })
        );
        let internal = to_graphql(&ApiError::from(DbErr::Custom(
            "SELECT secret FROM x".into(),
        )));
        assert_eq!(internal.message, "internal error");
    }
}
