//! Serving until a signal, then shutting down gracefully within a deadline.

use std::{net::SocketAddr, sync::Arc};

use tokio::net::TcpListener;

use super::{AppState, router};
use crate::webhook::Deliverer;

/// Serves until SIGINT or SIGTERM, then shuts down within `SHUTDOWN_TIMEOUT_SECS`.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    serve_until(listener, state, shutdown_signal()).await
}

/// Serves until `signal` completes; then stops accepting connections, lets the requests in
/// flight finish until the shutdown deadline, and closes the database pool.
pub async fn serve_until(
    listener: TcpListener,
    state: AppState,
    signal: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let deadline = state.config.serving.shutdown_timeout;
    let db = state.db.clone();
    let replicas = state.replicas.clone();
    // Finds the primary again when it changes (a `DATABASE_URL` with several hosts).
    let watcher = state.primary.as_ref().map(|primary| primary.watch());
    let deliverer = start_deliverer(&state);
    // Hears the other processes' writes for the `dataChanged` subscription (PostgreSQL).
    let listening = match crate::live::listen::source(&state.db, &state.config.pool) {
        Ok(source) => source
            .map(|source| crate::live::listen::spawn(state.db.clone(), source, state.live.clone())),
        Err(err) => return Err(std::io::Error::other(err)),
    };
    let (signalled, on_signal) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        signal.await;
        let _ = signalled.send(());
    });
    let cut_off = async move {
        match on_signal.await {
            Ok(()) => tokio::time::sleep(deadline).await,
            // The server ended without a signal: the other branch has finished.
            Err(_) => std::future::pending().await,
        }
    };
    let result = tokio::select! {
        result = server.into_future() => result,
        () = cut_off => {
            tracing::warn!(deadline_secs = deadline.as_secs_f64(), "shutdown deadline reached: requests still running are cut off");
            Ok(())
        }
    };
    for task in [watcher, listening].into_iter().flatten() {
        task.abort();
    }
    // A delivery cut off here is sent again by the next process, after its lease.
    if let Some(deliverer) = deliverer {
        deliverer.abort();
    }
    if let Err(err) = db.close().await {
        tracing::warn!(error = %err, "closing the database pool failed");
    }
    replicas.close().await;
    tracing::info!("stopped");
    result
}

/// Starts the webhook deliverer on a copy of the pool whose statements are not counted with
/// the requests' (their count must not depend on when the deliverer looks).
fn start_deliverer(state: &AppState) -> Option<tokio::task::JoinHandle<()>> {
    let mut db = state.db.clone();
    db.set_metric_callback(|_| {});
    match Deliverer::new(db, &state.config, Arc::clone(&state.metrics)) {
        Ok(deliverer) => Some(tokio::spawn(deliverer.run())),
        Err(err) => {
            tracing::error!(error = %err, "the webhook deliverer cannot start: no webhooks are sent");
            None
        }
    }
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
