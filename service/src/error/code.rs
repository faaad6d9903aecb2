//! [`ErrorCode`]: every `extensions.code` the API sends, declared once.
//!
//! The declaration gives the variant, its wire string and its description together, so the
//! list in the schema's description ([`ErrorCode::ALL`]) cannot drift from what is sent.

use std::fmt;

/// Declares [`ErrorCode`] from one table: each entry's doc comment is also its
/// [`ErrorCode::description`].
macro_rules! error_codes {
    ($( #[doc = $doc:literal] $variant:ident => $code:literal, )+) => {
        /// A machine-readable error code: the `extensions.code` of a GraphQL error, in the
        /// body of every refusal of the HTTP layer and of the file routes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $( #[doc = $doc] $variant, )+
        }

        impl ErrorCode {
            /// Every code, in the order the schema's description lists them.
            pub const ALL: &'static [ErrorCode] = &[$( Self::$variant, )+];

            /// The code as sent (`SCREAMING_SNAKE_CASE`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $code, )+
                }
            }

            /// What the code means, for the schema's description.
            pub fn description(self) -> &'static str {
                match self {
                    $( Self::$variant => $doc.trim(), )+
                }
            }
        }
    };
}

error_codes! {
    /// No valid identity: the bearer token is missing, expired or badly signed, or an anonymous request names no tenant.
    Unauthenticated => "UNAUTHENTICATED",
    /// The caller is known but may not do this.
    Forbidden => "FORBIDDEN",
    /// The row does not exist, or the caller may not see it (the two look the same).
    NotFound => "NOT_FOUND",
    /// An argument or input field is invalid; `extensions.field` names it.
    BadUserInput => "BAD_USER_INPUT",
    /// Someone else changed the row first (a stale `version`), or a uniqueness rule was hit.
    Conflict => "CONFLICT",
    /// The database cannot be reached; try again shortly.
    DatabaseUnavailable => "DATABASE_UNAVAILABLE",
    /// A statement or the whole request ran longer than allowed (`REQUEST_TIMEOUT_SECS`).
    Timeout => "TIMEOUT",
    /// A fault of the server; the cause is logged with the request id, never sent.
    Internal => "INTERNAL",
    /// Too many requests from one token subject or client address; `Retry-After` says when to try again.
    RateLimited => "RATE_LIMITED",
    /// The HTTP body is not a GraphQL request (not JSON, parameters of the wrong type).
    BadRequest => "BAD_REQUEST",
    /// A batch with more operations than `MAX_BATCH_SIZE` allows, or batching is off.
    BatchLimit => "BATCH_LIMIT",
    /// A persisted-query hash the server does not know: send the query with it.
    PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
    /// Persisted queries are switched off (`APQ_CACHE_SIZE=0`).
    PersistedQueryNotSupported => "PERSISTED_QUERY_NOT_SUPPORTED",
    /// The `sha256Hash` sent is malformed or is not the hash of the query sent.
    PersistedQueryHashMismatch => "PERSISTED_QUERY_HASH_MISMATCH",
    /// The document does not parse.
    GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
    /// The document does not validate against the schema.
    GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
    /// Selections are nested deeper than `MAX_QUERY_DEPTH` allows.
    DepthLimit => "DEPTH_LIMIT",
    /// The operation could fetch more nodes (rows of its pages, multiplied by the pages and lists around them) than `MAX_QUERY_COMPLEXITY` allows.
    ComplexityLimit => "COMPLEXITY_LIMIT",
    /// A field carries more directives than `MAX_DIRECTIVES` allows.
    DirectiveLimit => "DIRECTIVE_LIMIT",
    /// The document has more aliases than `MAX_ALIASES` allows.
    AliasLimit => "ALIAS_LIMIT",
    /// The document selects more fields than `MAX_FIELDS` allows.
    FieldLimit => "FIELD_LIMIT",
    /// The document asks for `__schema` or `__type`, and introspection is off (production).
    IntrospectionDisabled => "INTROSPECTION_DISABLED",
    /// The `Idempotency-Key` was sent before with another request (HTTP 422).
    IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
    /// The first request with this `Idempotency-Key` is still running; retry shortly (HTTP 409).
    IdempotencyInProgress => "IDEMPOTENCY_IN_PROGRESS",
}

impl ErrorCode {
    /// Whether the error says nothing about the request, only about the moment (the database
    /// away, a timeout, a defect, a rate limit): the same request may succeed when retried.
    pub const fn is_momentary(self) -> bool {
        matches!(
            self,
            Self::DatabaseUnavailable | Self::Timeout | Self::Internal | Self::RateLimited
        )
    }

    /// The code named `code`, if there is one.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|known| known.as_str() == code)
    }

    /// The list of codes with their meanings, as the schema's description shows it.
    pub fn catalogue() -> String {
        Self::ALL
            .iter()
            .map(|code| format!("- `{}`: {}", code.as_str(), code.description()))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serialised as the string clients read (`"BAD_USER_INPUT"`).
impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_code_is_listed_once_in_screaming_snake_case() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(
                text.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
                "{text}"
            );
            assert_eq!(serde_json::to_value(code).unwrap(), text);
            assert!(!code.description().is_empty(), "{text}");
            assert!(ErrorCode::catalogue().contains(&format!("`{text}`")));
        }
        assert_eq!(ErrorCode::BadUserInput, "BAD_USER_INPUT");
    }
}
