//! The one error type of the API and its mapping to `extensions.code`.

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, SqlErr};

/// Everything that can go wrong in a request, as the client sees it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No valid identity: missing, expired or badly signed token.
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The row does not exist, or the caller may not see it (the two look the same).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// An argument or input field is invalid.
    #[error("{field}: {message}")]
    BadInput { field: String, message: String },
    /// Someone else changed the row first, or a uniqueness rule was hit.
    #[error("{0}")]
    Conflict(String),
    /// A fault of ours; the cause is logged, never sent.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

/// Result of service and resolver code.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An invalid argument or input field.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The machine-readable code clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadInput { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Self::Conflict("a row with these values already exists".into())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => Self::Conflict(
                "the change refers to a row that does not exist or is still referenced".into(),
            ),
            _ => match err {
                DbErr::RecordNotFound(_) => Self::NotFound("record"),
                other => Self::Internal(other.into()),
            },
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        if let Self::Internal(cause) = self {
            tracing::error!(error = ?cause, "internal error");
        }
        async_graphql::Error::new(self.to_string()).extend_with(|_, ext| {
            ext.set("code", self.code());
            if let Self::BadInput { field, .. } = self {
                ext.set("field", field.as_str());
            }
        })
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        err.extend()
    }
}

/// A database error shared by the requests a DataLoader batched together.
#[derive(Debug, Clone)]
pub struct LoadError(pub std::sync::Arc<DbErr>);

impl From<DbErr> for LoadError {
    fn from(err: DbErr) -> Self {
        Self(std::sync::Arc::new(err))
    }
}

impl From<LoadError> for ApiError {
    fn from(err: LoadError) -> Self {
        match std::sync::Arc::try_unwrap(err.0) {
            Ok(err) => err.into(),
            Err(shared) => Self::Internal(anyhow::anyhow!(shared.to_string())),
        }
    }
}

// Loader errors reach the client only through the mapping above, never with their SQL text.
impl From<LoadError> for async_graphql::Error {
    fn from(err: LoadError) -> Self {
        ApiError::from(err).extend()
    }
}
