//! [`Access`]: the outcome of authenticating one request, as resolvers and routes read it.

use axum::{
    extract::{FromRef, FromRequestParts},
    http::request::Parts,
};

use super::{Authenticator, Operator, Viewer};
use crate::error::ApiError;

/// The outcome of reading the `Authorization` header of one request.
#[derive(Debug, Clone)]
pub enum Access {
    /// A valid token (or public access) resolved to a viewer.
    Granted(Viewer),
    /// A valid `platform_admin` token: the operator of the installation, who manages tenants
    /// and reads none of their rows.
    Operator(Operator),
    /// No or an invalid token; resolvers answer `UNAUTHENTICATED` with this message.
    Denied(String),
    /// The token could not be checked against the database because it is unreachable;
    /// resolvers answer `DATABASE_UNAVAILABLE`.
    Unavailable,
}

impl Access {
    /// The viewer, or the reason there is none.
    pub fn viewer(&self) -> Result<&Viewer, ApiError> {
        match self {
            Self::Granted(viewer) => Ok(viewer),
            Self::Operator(_) => Err(ApiError::Forbidden(
                "a platform_admin token manages tenants and reads none of their rows".into(),
            )),
            Self::Denied(reason) => Err(ApiError::Unauthenticated(reason.clone())),
            Self::Unavailable => Err(ApiError::Unavailable),
        }
    }

    /// The operator, or the reason the caller is none.
    pub fn operator(&self) -> Result<&Operator, ApiError> {
        match self {
            Self::Operator(operator) => Ok(operator),
            Self::Granted(_) => Err(ApiError::Forbidden(
                "only an operator of the installation (platform_admin) manages tenants".into(),
            )),
            Self::Denied(reason) => Err(ApiError::Unauthenticated(reason.clone())),
            Self::Unavailable => Err(ApiError::Unavailable),
        }
    }

    /// The tenant key and the role as the request log and the request span name them:
    /// `unauthenticated` without a valid token, `unknown` when it could not be checked.
    pub fn log_labels(&self) -> (Option<&str>, &'static str) {
        match self {
            Self::Granted(viewer) => (Some(&viewer.tenant_key), viewer.role.as_str()),
            Self::Operator(_) => (None, service::audit::OPERATOR_ROLE),
            Self::Denied(_) => (None, "unauthenticated"),
            Self::Unavailable => (None, "unknown"),
        }
    }
}

/// Any router whose state hands out an [`Authenticator`] can extract [`Access`].
impl<S> FromRequestParts<S> for Access
where
    S: Send + Sync,
    Authenticator: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Authenticator::from_ref(state).access(&parts.headers).await)
    }
}
