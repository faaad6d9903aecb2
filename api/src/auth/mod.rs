//! Identity: bearer tokens in, a [`Viewer`] out.
//!
//! The token says who the caller is (`sub`, `role`, `tenant`, `org_unit`); the database says
//! which rows those names stand for. What a viewer may do is decided in [`crate::policy`].

pub mod claims;
pub mod jwks;
pub mod token;

use std::{collections::HashSet, sync::Arc};

use axum::{extract::FromRequestParts, http::request::Parts};

pub use token::{Claims, TokenKeys};

use crate::{error::ApiError, server::AppState, service};

/// The roles digidash knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Central IT steering unit: reads and writes everything of its tenant.
    CentralIt,
    /// Head of a department or project area: reads the portfolio, edits what its units own.
    Department,
    /// Council and political reporting: reads what was released for it.
    Council,
    /// No token: reads what was released as public.
    Public,
}

impl Role {
    /// The name used in tokens and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CentralIt => "central_it",
            Self::Department => "department",
            Self::Council => "council",
            Self::Public => "public",
        }
    }

    /// Lower is more privileged: when a token carries several roles, the strongest wins.
    pub fn rank(self) -> u8 {
        match self {
            Self::CentralIt => 0,
            Self::Department => 1,
            Self::Council => 2,
            Self::Public => 3,
        }
    }

    /// Reads a role claim; `public` is never accepted from a token.
    pub fn from_claim(value: &str) -> Option<Self> {
        match value {
            "central_it" => Some(Self::CentralIt),
            "department" => Some(Self::Department),
            "council" => Some(Self::Council),
            _ => None,
        }
    }
}

/// Who is asking, resolved against the database.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The token's subject.
    pub sub: String,
    /// Display name from the token, if it carries one.
    pub name: Option<String>,
    pub role: Role,
    pub tenant_id: i32,
    pub tenant_key: String,
    /// The viewer's own org unit (departments).
    pub org_unit_id: Option<i32>,
    /// The viewer's org unit and every unit below it.
    pub units: Arc<HashSet<i32>>,
    /// The tenant's data version when the request began (see `cache`).
    pub data_version: i64,
}

/// What a valid token asserts, before it is resolved against the database.
#[derive(Debug, Clone)]
pub struct Identity {
    pub sub: String,
    pub name: Option<String>,
    pub role: Role,
    pub tenant_key: String,
    pub org_unit_code: Option<String>,
}

/// The outcome of reading the `Authorization` header of one request.
#[derive(Debug, Clone)]
pub enum Access {
    /// A valid token (or public access) resolved to a viewer.
    Granted(Viewer),
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
            Self::Denied(reason) => Err(ApiError::Unauthenticated(reason.clone())),
            Self::Unavailable => Err(ApiError::Unavailable),
        }
    }

    /// Reads the `Authorization` (or, for public access, `X-Tenant`) header of a request.
    pub async fn from_headers(headers: &axum::http::HeaderMap, state: &AppState) -> Self {
        match authenticate(headers, state).await {
            Ok(viewer) => Access::Granted(viewer),
            Err(ApiError::Unauthenticated(reason)) => Access::Denied(reason),
            Err(ApiError::Unavailable) => Access::Unavailable,
            Err(err) => {
                tracing::warn!(code = err.code(), "authentication failed");
                Access::Denied("authentication could not be completed".into())
            }
        }
    }
}

/// Header naming the tenant of an anonymous (public) request.
pub const TENANT_HEADER: &str = "x-tenant";

impl FromRequestParts<AppState> for Access {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Access::from_headers(&parts.headers, state).await)
    }
}

async fn authenticate(
    headers: &axum::http::HeaderMap,
    state: &AppState,
) -> Result<Viewer, ApiError> {
    let header = headers.get(axum::http::header::AUTHORIZATION);
    let Some(header) = header else {
        if state.config.public_access {
            let tenant = headers
                .get(TENANT_HEADER)
                .and_then(|value| value.to_str().ok())
                .ok_or_else(|| {
                    ApiError::Unauthenticated(format!(
                        "public access needs the {TENANT_HEADER} header naming the tenant"
                    ))
                })?;
            return service::viewer::public(&state.db, tenant).await;
        }
        return Err(ApiError::Unauthenticated(
            "missing bearer token (Authorization: Bearer <JWT>)".into(),
        ));
    };
    let token = header
        .to_str()
        .ok()
        .and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            ApiError::Unauthenticated("Authorization header must be \"Bearer <JWT>\"".into())
        })?;
    let identity = state.keys.verify(token).await?;
    service::viewer::resolve(&state.db, identity).await
}
