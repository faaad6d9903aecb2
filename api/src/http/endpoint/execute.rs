//! Execution: through the response cache, on the database the request may read, recorded in
//! the metrics and the log line.

use std::{sync::Arc, time::Instant};

use axum::body::Bytes;

use crate::{
    auth::Access,
    error::graphql::{code_of, conceal_internal_errors},
    graphql::{
        context::{OperatorScope, RequestScope},
        loader::batch::batch_channel,
        plan::Splices,
    },
    http::{
        AppState, RequestLog,
        cache::{self, Lookup},
        protocol::Answer,
    },
    replicas::{Consistency, Fallback},
};

/// Executes a request ([`execute_cached`]) and records it: in the metrics by operation and
/// error codes, and in the log line.
pub(super) async fn execute_recorded(
    state: &AppState,
    access: Access,
    request: async_graphql::Request,
    operation: Option<String>,
    cacheable: bool,
    log: &mut RequestLog,
) -> Answer {
    let started = Instant::now();
    let (answer, codes) = execute_cached(state, access, request, cacheable).await;
    state
        .metrics
        .record(operation.as_deref(), started.elapsed(), &codes);
    log.operations
        .push(operation.unwrap_or_else(|| "-".to_owned()));
    log.codes.extend(codes);
    answer
}

/// Executes a request, or answers a query from the response cache; with the codes of its
/// errors. An error-free response of a cacheable request, and a response with planned pages,
/// is encoded here, once, for the client and the cache alike.
async fn execute_cached(
    state: &AppState,
    access: Access,
    request: async_graphql::Request,
    cacheable: bool,
) -> (Answer, Vec<String>) {
    let claim = match &access {
        Access::Granted(viewer) if cacheable && state.responses.enabled() => {
            match state
                .responses
                .lookup(cache::Key::of(viewer, &request))
                .await
            {
                Lookup::Hit(body) => return (Answer::Encoded(body), Vec::new()),
                Lookup::Compute(claim) => Some(claim),
            }
        }
        _ => None,
    };
    // What may be cached may also be read from a replica: a query after no write.
    let consistency = if cacheable {
        Consistency::CaughtUp
    } else {
        Consistency::Primary
    };
    let (mut response, splices) = execute_uncached(state, access, request, consistency).await;
    conceal_internal_errors(&mut response);
    let codes = response.errors.iter().map(code_of).collect();
    let planned = match splices {
        Some(splices) => {
            let (planned, resolvers) = splices.counts();
            state.metrics.pages(planned, resolvers);
            (planned > 0).then_some(splices)
        }
        None => None,
    };
    // A response with errors and no planned page is left to `respond`, which gives errors
    // before execution their codes.
    let claim = claim.filter(|_| response.errors.is_empty());
    if claim.is_none() && planned.is_none() {
        return (Answer::Executed(response), codes);
    }
    let Ok(body) = serde_json::to_vec(&response) else {
        return (Answer::Executed(response), codes);
    };
    let body = Bytes::from(match planned {
        Some(splices) => splices.encode(&body),
        None => body,
    });
    if let Some(claim) = claim {
        claim.store(body.clone());
    }
    (Answer::Encoded(body), codes)
}

/// Runs the schema on the database chosen for the viewer, with the request's scope and its
/// loaders' batches. An operation that fails on a replica (a lost connection, a query the
/// replica's recovery cancelled) runs again on the primary, once, and the replica is skipped
/// for a while.
async fn execute_uncached(
    state: &AppState,
    access: Access,
    request: async_graphql::Request,
    consistency: Consistency,
) -> Executed {
    let Access::Granted(viewer) = &access else {
        return run(state, access, request, None).await;
    };
    let (db, replica) = state.read_from(viewer, consistency).await;
    let Some(replica) = replica else {
        return run(state, access, request, Some(db)).await;
    };
    let again = retry_of(&request);
    let executed = run(state, access.clone(), request, Some(db)).await;
    if !executed.0.errors.iter().any(replica_failed) {
        return executed;
    }
    state.replicas.mark_down(
        replica,
        "an operation failed on it; run again on the primary",
    );
    state.metrics.read_from(false, Some(Fallback::Down));
    run(state, access, again, Some(state.db.clone())).await
}

/// An error a replica may cause where the primary would answer.
fn replica_failed(error: &async_graphql::ServerError) -> bool {
    matches!(
        code_of(error).as_str(),
        "DATABASE_UNAVAILABLE" | "INTERNAL" | "TIMEOUT"
    )
}

/// The same request again, without the data of its first run.
fn retry_of(request: &async_graphql::Request) -> async_graphql::Request {
    let mut again =
        async_graphql::Request::new(request.query.clone()).variables(request.variables.clone());
    if let Some(name) = &request.operation_name {
        again = again.operation_name(name.clone());
    }
    again.extensions = request.extensions.clone();
    again.introspection_mode = request.introspection_mode;
    again
}

/// A response, and the planned pages its tokens stand for (see `graphql::plan`).
type Executed = (async_graphql::Response, Option<Arc<Splices>>);

/// Executes on `db` (the viewer's reads) with the request's scope and its loaders' batches.
async fn run(
    state: &AppState,
    access: Access,
    request: async_graphql::Request,
    db: Option<sea_orm::DatabaseConnection>,
) -> Executed {
    let (spawner, batches) = batch_channel();
    let mut request = request.data(access.clone());
    let splices = state
        .config
        .serving
        .planned_pages
        .then(|| Arc::new(Splices::default()));
    if let Some(splices) = &splices {
        request = request.data(splices.clone());
    }
    match access {
        Access::Granted(viewer) => {
            let db = db.unwrap_or_else(|| state.db.clone());
            request = request.data(RequestScope::new(
                &db,
                viewer,
                &spawner,
                state.config.reporting_cycle_days,
            ));
        }
        // Tenants are few and written rarely: the operator reads and writes the primary.
        Access::Operator(operator) => {
            request = request.data(OperatorScope {
                operator,
                db: state.db.clone(),
            });
        }
        Access::Denied(_) | Access::Unavailable => {}
    }
    (batches.run(state.schema.execute(request)).await, splices)
}
