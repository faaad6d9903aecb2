//! The one error surface of digidash: [`ApiError`], what can go wrong in a request, and
//! [`ErrorCode`], every code a client can read in `extensions.code`.
//!
//! Neither knows GraphQL nor HTTP: the `api` crate maps them to GraphQL extensions and to HTTP
//! statuses and error bodies (`api::error`).

mod code;

use sea_orm::{DbErr, SqlErr};

pub use code::ErrorCode;

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
    /// The database cannot be reached (down, restarting, or no connection free in time).
    #[error("the database is unavailable; try again shortly")]
    Unavailable,
    /// A statement or the whole request ran longer than allowed.
    #[error("the request took too long and was stopped")]
    Timeout,
    /// A fault of ours; the cause is logged, never sent.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
    /// The `Idempotency-Key` came before with another request.
    #[error("this Idempotency-Key was sent before with another request; use a new key")]
    IdempotencyKeyReused,
    /// The first request with the `Idempotency-Key` has no answer (yet).
    #[error("{0}")]
    IdempotencyInProgress(String),
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
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated(_) => ErrorCode::Unauthenticated,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::BadInput { .. } => ErrorCode::BadUserInput,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::Unavailable => ErrorCode::DatabaseUnavailable,
            Self::Timeout => ErrorCode::Timeout,
            Self::Internal(_) => ErrorCode::Internal,
            Self::IdempotencyKeyReused => ErrorCode::IdempotencyKeyReused,
            Self::IdempotencyInProgress(_) => ErrorCode::IdempotencyInProgress,
        }
    }

    /// The input field a [`ApiError::BadInput`] names.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::BadInput { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Logs the cause of an internal error (with the request's span, so its request id);
    /// the client reads only "internal error". Called where an error leaves for a client.
    pub fn log_cause(&self) {
        if let Self::Internal(cause) = self {
            tracing::error!(error = ?cause, "internal error");
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
                other if is_unavailable(&other) => {
                    tracing::warn!(error = %other, "database unavailable");
                    Self::Unavailable
                }
                other if is_statement_timeout(&other) => {
                    tracing::warn!(error = %other, "statement timeout");
                    Self::Timeout
                }
                other => Self::Internal(other.into()),
            },
        }
    }
}

/// The SQLx error under a SeaORM error, if there is one.
fn sqlx_error(err: &DbErr) -> Option<&sea_orm::sqlx::Error> {
    use sea_orm::RuntimeErr;
    match err {
        DbErr::Conn(RuntimeErr::SqlxError(inner))
        | DbErr::Exec(RuntimeErr::SqlxError(inner))
        | DbErr::Query(RuntimeErr::SqlxError(inner)) => Some(inner.as_ref()),
        _ => None,
    }
}

/// Whether the database could not be reached, as opposed to refusing a statement: no
/// connection in time, a broken connection, or PostgreSQL shutting down or starting up
/// (SQLSTATE classes 08 and 57P).
pub fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::sqlx::Error;
    if matches!(err, DbErr::ConnectionAcquire(_)) {
        return true;
    }
    match sqlx_error(err) {
        Some(
            Error::Io(_)
            | Error::Tls(_)
            | Error::PoolTimedOut
            | Error::PoolClosed
            | Error::WorkerCrashed
            | Error::Protocol(_),
        ) => true,
        Some(Error::Database(db)) => db
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}

/// Whether a statement ran past its time: PostgreSQL cancelled it for `statement_timeout`
/// (57014), or SQLite gave up waiting for a lock after its busy timeout (`SQLITE_BUSY`, 5,
/// with its extended codes).
fn is_statement_timeout(err: &DbErr) -> bool {
    let Some(sea_orm::sqlx::Error::Database(db)) = sqlx_error(err) else {
        return false;
    };
    match db.code().as_deref() {
        Some("57014") => true,
        Some(code) => {
            db.try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
                .is_some()
                && code.parse::<u32>().is_ok_and(|code| code & 0xff == 5)
        }
        None => false,
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
            // Shared by several requests of a batch: classified the same way, by reference.
            Err(shared) if is_unavailable(&shared) => Self::Unavailable,
            Err(shared) if is_statement_timeout(&shared) => Self::Timeout,
            Err(shared) => Self::Internal(anyhow::anyhow!(shared.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::error::ConnAcquireErr;

    use super::*;

    #[test]
    fn an_unreachable_database_has_its_own_code_even_when_shared_by_a_batch() {
        let err = || DbErr::ConnectionAcquire(ConnAcquireErr::Timeout);
        assert_eq!(ApiError::from(err()).code(), "DATABASE_UNAVAILABLE");
        let shared = LoadError::from(err());
        let _other_waiter = shared.clone();
        assert_eq!(ApiError::from(shared).code(), "DATABASE_UNAVAILABLE");
        assert_eq!(
            ApiError::from(DbErr::Custom("boom".into())).code(),
            "INTERNAL"
        );
        let internal = ApiError::from(DbErr::Custom("SELECT secret FROM x".into()));
        assert_eq!(internal.to_string(), "internal error");
    }
}
