//! [`Authenticator`]: what authentication needs, and nothing else of the server.

use std::sync::Arc;

use axum::http::{HeaderMap, header};
use sea_orm::DatabaseConnection;
use service::viewer::Standings;

use super::{Access, Claimed, TokenKeys, Viewer};
use crate::{db::failover::Failover, error::ApiError};

/// Header naming the tenant of an anonymous (public) request.
pub const TENANT_HEADER: &str = "x-tenant";

/// Turns the headers of a request into an [`Access`]: checks the bearer token with the keys
/// and resolves its identity against the primary database (a replica may lag behind a new
/// org unit or tenant).
#[derive(Clone)]
pub struct Authenticator {
    keys: Arc<TokenKeys>,
    public_access: bool,
    db: DatabaseConnection,
    /// Where the units of recent tokens stand, by tenant data version.
    standings: Arc<Standings>,
    /// With a `DATABASE_URL` of several hosts: whether one of them is the primary now.
    primary: Option<Arc<Failover>>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("keys", &self.keys)
            .field("public_access", &self.public_access)
            .finish_non_exhaustive()
    }
}

impl Authenticator {
    /// Checks tokens with `keys`; `public_access` lets requests without a token read a
    /// tenant's public rows (`PUBLIC_ACCESS`); viewers are resolved in `db`.
    pub fn new(keys: Arc<TokenKeys>, public_access: bool, db: DatabaseConnection) -> Self {
        Self {
            keys,
            public_access,
            db,
            standings: Arc::default(),
            primary: None,
        }
    }

    /// Refuses every request at once while `primary` has found no server that takes writes:
    /// resolving the viewer would only wait for a connection that cannot come.
    pub fn watching(mut self, primary: Arc<Failover>) -> Self {
        self.primary = Some(primary);
        self
    }

    /// The keys tokens are checked (and demo tokens minted) with.
    pub fn keys(&self) -> &TokenKeys {
        &self.keys
    }

    /// Reads the `Authorization` (or, for public access, `X-Tenant`) header of a request.
    pub async fn access(&self, headers: &HeaderMap) -> Access {
        match self.authenticate(headers).await {
            Ok(access) => access,
            Err(ApiError::Unauthenticated(reason)) => Access::Denied(reason),
            Err(ApiError::Unavailable) => Access::Unavailable,
            Err(err) => {
                tracing::warn!(code = err.code().as_str(), "authentication failed");
                Access::Denied("authentication could not be completed".into())
            }
        }
    }

    async fn authenticate(&self, headers: &HeaderMap) -> Result<Access, ApiError> {
        if self
            .primary
            .as_ref()
            .is_some_and(|primary| !primary.available())
        {
            return Err(ApiError::Unavailable);
        }
        let Some(header) = headers.get(header::AUTHORIZATION) else {
            return Ok(Access::Granted(self.anonymous(headers).await?));
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
        Ok(match self.keys.verify(token).await? {
            Claimed::Tenant(identity) => Access::Granted(
                service::viewer::resolve(&self.db, &self.standings, identity).await?,
            ),
            Claimed::Operator(operator) => Access::Operator(operator),
        })
    }

    /// A request without a token: the public viewer of the tenant it names, when public
    /// access is on.
    async fn anonymous(&self, headers: &HeaderMap) -> Result<Viewer, ApiError> {
        if !self.public_access {
            return Err(ApiError::Unauthenticated(
                "missing bearer token (Authorization: Bearer <JWT>)".into(),
            ));
        }
        let tenant = headers
            .get(TENANT_HEADER)
            .and_then(|value| value.to_str().ok())
            .ok_or_else(|| {
                ApiError::Unauthenticated(format!(
                    "public access needs the {TENANT_HEADER} header naming the tenant"
                ))
            })?;
        service::viewer::public(&self.db, tenant).await
    }
}
