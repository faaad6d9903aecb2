//! The subscription root, served over WebSocket (`graphql-transport-ws`) at `/graphql`.

use std::sync::Arc;

use async_graphql::{
    Context, Object, Subscription,
    futures_util::{Stream, StreamExt, stream},
};
use sea_orm::DatabaseConnection;

use crate::{
    auth::Access,
    error::{ApiError, Result},
    live::{Changes, version_of},
};

/// What a WebSocket connection's subscriptions read: set when the connection is accepted.
pub struct LiveScope {
    pub changes: Arc<Changes>,
    pub db: DatabaseConnection,
}

#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Tells a dashboard that its tenant's data changed, so that it fetches again what it
    /// shows: one event per moment the data version moved (writes close together may come
    /// as one event with the latest version), from any process of the deployment. The
    /// event says only that something changed, not what: what a viewer may read it reads by
    /// its queries.
    async fn data_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The data version the client's data was read at (`me.dataVersion`): when the data has moved since, the first event comes at once."
        )]
        since: Option<i64>,
    ) -> Result<impl Stream<Item = DataChanged> + use<>> {
        let viewer = ctx
            .data::<Access>()
            .map_err(|_| ApiError::Unauthenticated("not authenticated".into()))?
            .viewer()?;
        let live = ctx.data::<LiveScope>().map_err(|_| {
            ApiError::bad_input(
                "subscription",
                "subscriptions are served over WebSocket at /graphql",
            )
        })?;
        let tenant = viewer.tenant_id;
        let current = version_of(&live.db, tenant)
            .await
            .map_err(ApiError::from)?
            .unwrap_or_default();
        let receiver = live.changes.subscribe(tenant, current);
        // A change the client has not seen yet comes first.
        let first = since.filter(|since| current > *since).map(|_| DataChanged {
            data_version: current,
        });
        let changes = stream::unfold(receiver, |mut receiver| async move {
            receiver.changed().await.ok()?;
            let data_version = *receiver.borrow_and_update();
            Some((DataChanged { data_version }, receiver))
        });
        Ok(stream::iter(first).chain(changes))
    }
}

/// The tenant's data moved.
pub struct DataChanged {
    data_version: i64,
}

#[Object]
impl DataChanged {
    /// The tenant's data version now (as `me.dataVersion` reads it).
    async fn data_version(&self) -> i64 {
        self.data_version
    }
}
