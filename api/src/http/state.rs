//! [`AppState`]: what every request handler shares, and the choice of the database a
//! request reads from.

use std::sync::Arc;

use axum::extract::FromRef;
use sea_orm::DatabaseConnection;

use super::{
    cache::ResponseCache, metrics::Metrics, persisted::PersistedQueries, rate_limit::RateLimits,
};
use crate::{
    auth::{Authenticator, TokenKeys, Viewer},
    config::Config,
    db::{StatementCounter, failover::Failover},
    graphql::{AppSchema, build_schema_for},
    replicas::{Consistency, Replicas},
};

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The primary database: writes, viewers, and every read no replica serves.
    pub db: DatabaseConnection,
    /// Finds the primary among the hosts of a `DATABASE_URL` that lists several.
    pub primary: Option<Arc<Failover>>,
    /// Read replicas (`DATABASE_REPLICA_URLS`); none by default.
    pub replicas: Arc<Replicas>,
    /// Checks bearer tokens and resolves viewers.
    pub authenticator: Authenticator,
    /// The settings the server started with.
    pub config: Arc<Config>,
    /// The GraphQL schema served at `/graphql`.
    pub schema: AppSchema,
    /// SQL statements run by this server's connection.
    pub statements: StatementCounter,
    /// What `/metrics` reports.
    pub metrics: Arc<Metrics>,
    /// Documents registered by automatic persisted queries.
    pub persisted: Arc<PersistedQueries>,
    /// Rate limits per token subject and client address.
    pub rate_limits: Arc<RateLimits>,
    /// Query responses by viewer scope and data version.
    pub responses: Arc<ResponseCache>,
    /// The tenants' data versions as this process hears of them (`dataChanged`).
    pub live: Arc<crate::live::Changes>,
}

impl AppState {
    /// The state of a server on `db` (without replicas), checking tokens with `keys`.
    pub fn new(
        db: DatabaseConnection,
        statements: StatementCounter,
        keys: TokenKeys,
        config: Config,
    ) -> Self {
        Self {
            schema: build_schema_for(&config),
            authenticator: Authenticator::new(Arc::new(keys), config.public_access, db.clone()),
            db,
            primary: None,
            replicas: Arc::new(Replicas::none()),
            persisted: Arc::new(PersistedQueries::new(config.serving.apq_cache_size)),
            rate_limits: Arc::new(RateLimits::new(&config.serving)),
            responses: Arc::new(ResponseCache::new(
                config.serving.response_cache_entries,
                config.serving.response_cache_mb,
            )),
            live: crate::live::Changes::new(),
            config: Arc::new(config),
            // Registering a fixed set of well-formed metrics cannot fail.
            metrics: Arc::new(Metrics::new().expect("metrics register")),
            statements,
        }
    }

    /// The same state on a primary that `failover` finds among several hosts: requests are
    /// refused at once while it finds none.
    pub fn with_failover(mut self, failover: Option<Arc<Failover>>) -> Self {
        if let Some(failover) = &failover {
            self.authenticator = self.authenticator.watching(Arc::clone(failover));
        }
        self.primary = failover;
        self
    }

    /// The same state reading from `replicas` where it may.
    pub fn with_replicas(mut self, replicas: Replicas) -> Self {
        self.replicas = Arc::new(replicas);
        self
    }

    /// The database the reads of one request of `viewer` go to: with
    /// [`Consistency::CaughtUp`] a replica that has caught up with the viewer's data version,
    /// otherwise (and when none has) the primary. Counted in `/metrics`.
    pub async fn reader(&self, viewer: &Viewer, consistency: Consistency) -> DatabaseConnection {
        self.read_from(viewer, consistency).await.0
    }

    /// Like [`Self::reader`], with the number of the replica chosen (`None`: the primary).
    pub async fn read_from(
        &self,
        viewer: &Viewer,
        consistency: Consistency,
    ) -> (DatabaseConnection, Option<usize>) {
        let chosen = match consistency {
            Consistency::Primary => Ok(None),
            Consistency::CaughtUp => {
                self.replicas
                    .caught_up(viewer.tenant_id, viewer.data_version)
                    .await
            }
        };
        match chosen {
            Ok(Some((index, replica))) => {
                self.metrics.read_from(true, None);
                (replica.clone(), Some(index))
            }
            Ok(None) => {
                self.metrics.read_from(false, None);
                (self.db.clone(), None)
            }
            Err(fallback) => {
                self.metrics.read_from(false, Some(fallback));
                (self.db.clone(), None)
            }
        }
    }
}

/// Routes that authenticate take only the [`Authenticator`] from the state.
impl FromRef<AppState> for Authenticator {
    fn from_ref(state: &AppState) -> Self {
        state.authenticator.clone()
    }
}
