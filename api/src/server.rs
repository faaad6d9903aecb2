//! The HTTP server: `/graphql` (POST, GET and GraphiQL), `/healthz`, `/readyz`, `/metrics`,
//! and the file exports and imports of [`crate::export::routes`].
//!
//! Every GraphQL request passes, in this order: the client address's rate limit, the token,
//! the request timeout, the body (one request or a batch), the token subject's rate limit,
//! persisted queries, the document checks, and execution; then one log line is written.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
    time::{Duration, Instant},
};

use async_graphql::http::GraphiQLSource;
use axum::{
    Router,
    body::Bytes,
    extract::{ConnectInfo, FromRequestParts, RawQuery, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header, request::Parts},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

use crate::{
    auth::{Access, Role, TokenKeys, Viewer},
    cache::{self, Lookup, ResponseCache},
    config::Config,
    db::StatementCounter,
    error::code,
    graphql::{AppSchema, build_schema_for, context::RequestScope, loader::batch::batch_channel},
    graphql_http::{self, Answer, Body, MediaType, Params},
    metrics::Metrics,
    persisted::{PersistedError, PersistedQueries},
    rate_limit::RateLimits,
    replicas::{Consistency, Replicas},
};

/// Largest request body accepted: GraphQL documents with their variables are small.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The header carrying the request id (set when the client sends none, always echoed back).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The primary database: writes, viewers, and every read no replica serves.
    pub db: DatabaseConnection,
    /// Read replicas (`DATABASE_REPLICA_URLS`); none by default.
    pub replicas: Arc<Replicas>,
    pub keys: Arc<TokenKeys>,
    pub config: Arc<Config>,
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
}

impl AppState {
    pub fn new(
        db: DatabaseConnection,
        statements: StatementCounter,
        keys: TokenKeys,
        config: Config,
    ) -> Self {
        Self {
            schema: build_schema_for(&config),
            db,
            replicas: Arc::new(Replicas::none()),
            keys: Arc::new(keys),
            persisted: Arc::new(PersistedQueries::new(config.serving.apq_cache_size)),
            rate_limits: Arc::new(RateLimits::new(&config.serving)),
            responses: Arc::new(ResponseCache::new(
                config.serving.response_cache_entries,
                config.serving.response_cache_mb,
            )),
            config: Arc::new(config),
            // Registering a fixed set of well-formed metrics cannot fail.
            metrics: Arc::new(Metrics::new().expect("metrics register")),
            statements,
        }
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
        let chosen = match consistency {
            Consistency::Primary => Ok(None),
            Consistency::CaughtUp => {
                self.replicas
                    .caught_up(viewer.tenant_id, viewer.data_version)
                    .await
            }
        };
        match chosen {
            Ok(Some(replica)) => {
                self.metrics.read_from(true, None);
                replica.clone()
            }
            Ok(None) => {
                self.metrics.read_from(false, None);
                self.db.clone()
            }
            Err(fallback) => {
                self.metrics.read_from(false, Some(fallback));
                self.db.clone()
            }
        }
    }
}

/// The routes of digidash.
pub fn router(state: AppState) -> Router {
    let cors = cors(state.config.cors_origins.as_deref());
    let request_id = HeaderName::from_static(REQUEST_ID_HEADER);
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .merge(crate::export::routes::export_routes())
        // A request body is read whole before it is parsed: cap it (413 above the limit).
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // Spreadsheet imports have a larger limit of their own.
        .merge(crate::export::routes::import_routes())
        .layer(cors)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        // Outermost: every request has an id before it is traced, and the client reads it.
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(axum::middleware::map_request(drop_unusable_request_id))
        .with_state(state)
}

/// Longest request id taken from a client.
const MAX_REQUEST_ID_LEN: usize = 128;

/// A client's `X-Request-Id` is kept only when it is short printable ASCII; otherwise it is
/// dropped and a new one is made, so a log line never carries a client's essay.
async fn drop_unusable_request_id(mut request: axum::extract::Request) -> axum::extract::Request {
    let unusable = request.headers().get(REQUEST_ID_HEADER).is_some_and(|id| {
        id.is_empty()
            || id.len() > MAX_REQUEST_ID_LEN
            || !id.as_bytes().iter().all(u8::is_ascii_graphic)
    });
    if unusable {
        request.headers_mut().remove(REQUEST_ID_HEADER);
    }
    request
}

/// The span every request runs in: its id, method and path (never headers or the token).
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    tracing::info_span!(
        "request",
        request_id = request_id(request.headers()),
        method = %request.method(),
        path = request.uri().path(),
    )
}

/// The request id set by [`SetRequestIdLayer`] (or sent by the client).
fn request_id(headers: &HeaderMap) -> &str {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

/// Browsers may call the API from the configured origins only (`CORS_ORIGINS`).
fn cors(origins: Option<&str>) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static(crate::auth::TENANT_HEADER),
        ])
        .expose_headers([
            HeaderName::from_static(REQUEST_ID_HEADER),
            header::RETRY_AFTER,
            // The app reads an export's file name from it.
            header::CONTENT_DISPOSITION,
        ])
        .max_age(Duration::from_secs(600))
}

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
    if let Err(err) = db.close().await {
        tracing::warn!(error = %err, "closing the database pool failed");
    }
    replicas.close().await;
    tracing::info!("stopped");
    result
}

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

/// The address of the peer of a connection (the socket's, when the server was started with
/// connect info; otherwise unspecified).
pub struct Peer(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip()),
        ))
    }
}

/// What arrived at `/graphql`.
enum Incoming {
    Post(Bytes),
    Get(String),
}

/// What the request log line says about one request, filled in as the request goes.
#[derive(Debug, Default)]
pub struct RequestLog {
    /// The `X-Request-Id`.
    pub request_id: String,
    /// Names of the operations run (`-` for an anonymous one).
    pub operations: Vec<String>,
    /// The viewer's tenant.
    pub tenant: Option<String>,
    /// The viewer's role.
    pub role: Option<&'static str>,
    /// Error codes of the response, in order.
    pub codes: Vec<String>,
}

impl RequestLog {
    fn viewer(&mut self, access: &Access) {
        match access {
            Access::Granted(viewer) => {
                self.tenant = Some(viewer.tenant_key.clone());
                self.role = Some(viewer.role.as_str());
            }
            Access::Denied(_) => self.role = Some("unauthenticated"),
            Access::Unavailable => self.role = Some("unknown"),
        }
    }

    /// `ok`, or the first error code (or the HTTP status when there is no code).
    pub fn outcome(&self, status: StatusCode) -> String {
        match self.codes.first() {
            Some(code) => code.clone(),
            None if status.is_success() => "ok".to_owned(),
            None => format!("http_{}", status.as_u16()),
        }
    }

    /// Writes the one line of a finished request.
    pub fn write(&self, status: StatusCode, duration: Duration) {
        tracing::info!(
            target: "digidash::request",
            request_id = %self.request_id,
            operation = %if self.operations.is_empty() { "-".to_owned() } else { self.operations.join(",") },
            tenant = self.tenant.as_deref().unwrap_or("-"),
            role = self.role.unwrap_or("-"),
            status = status.as_u16(),
            duration_ms = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
            outcome = %self.outcome(status),
            codes = %self.codes.join(","),
            "graphql request"
        );
    }
}

/// Runs a GraphQL request from arrival to the log line.
async fn graphql(
    state: &AppState,
    peer: IpAddr,
    headers: &HeaderMap,
    incoming: Incoming,
) -> Response {
    let started = Instant::now();
    let mut log = RequestLog {
        request_id: request_id(headers).to_owned(),
        ..RequestLog::default()
    };
    let response = guarded(state, peer, headers, incoming, &mut log).await;
    if log.operations.is_empty() && !log.codes.is_empty() {
        // Refused or stopped before an operation finished (rate limit, timeout, batch size,
        // persisted query): executed operations are already counted by `execute`.
        state.metrics.record(None, started.elapsed(), &log.codes);
    }
    log.write(response.status(), started.elapsed());
    response
}

async fn guarded(
    state: &AppState,
    peer: IpAddr,
    headers: &HeaderMap,
    incoming: Incoming,
    log: &mut RequestLog,
) -> Response {
    // Refusals before negotiation still speak JSON.
    let media = graphql_http::negotiate(headers).unwrap_or(MediaType::Json);
    let address = state.rate_limits.client_address(peer, headers);
    if let Err(wait) = state.rate_limits.check_address(address, 1) {
        tracing::debug!(%address, "rate limit of the client address");
        return rate_limited(media, wait, log);
    }
    let timeout = state.config.serving.request_timeout;
    let work = async {
        let access = Access::from_headers(headers, state).await;
        log.viewer(&access);
        dispatch(state, access, headers, incoming, log).await
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(response) => response,
        Err(_) => {
            // First: the outcome of the request, whatever operations of a batch finished.
            log.codes.insert(0, code::TIMEOUT.to_owned());
            graphql_http::refusal(
                media,
                StatusCode::GATEWAY_TIMEOUT,
                code::TIMEOUT,
                &format!(
                    "the request ran longer than {} s and was stopped",
                    timeout.as_secs_f64()
                ),
            )
        }
    }
}

/// `429` with `Retry-After` and a GraphQL-shaped body.
fn rate_limited(media: MediaType, wait: Duration, log: &mut RequestLog) -> Response {
    log.codes.push(code::RATE_LIMITED.to_owned());
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let mut response = graphql_http::refusal(
        media,
        StatusCode::TOO_MANY_REQUESTS,
        code::RATE_LIMITED,
        &format!("too many requests; retry in {seconds} s"),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    response
}

/// Counts `operations` against the token subject's rate limit.
fn subject_limit(state: &AppState, access: &Access, operations: usize) -> Result<(), Duration> {
    match access {
        Access::Granted(viewer) if viewer.role != Role::Public => state.rate_limits.check_subject(
            &format!("{}:{}", viewer.tenant_key, viewer.sub),
            u32::try_from(operations).unwrap_or(u32::MAX),
        ),
        _ => Ok(()),
    }
}

async fn dispatch(
    state: &AppState,
    access: Access,
    headers: &HeaderMap,
    incoming: Incoming,
    log: &mut RequestLog,
) -> Response {
    let media = match graphql_http::negotiate(headers) {
        Ok(media) => media,
        Err(refusal) => return refusal.into_response(),
    };
    let (body, by_get) = match incoming {
        Incoming::Post(bytes) => {
            if let Err(refusal) = graphql_http::check_content_type(headers) {
                return refusal.into_response();
            }
            (graphql_http::parse_body(&bytes), false)
        }
        Incoming::Get(query) => (
            graphql_http::parse_query_string(&query).map(|params| Body::Single(Box::new(params))),
            true,
        ),
    };
    let body = match body {
        Ok(body) => body,
        Err(message) => return graphql_http::request_error(media, &message),
    };
    let operations = match &body {
        Body::Single(_) => 1,
        Body::Batch(items) => items.len(),
    };
    if let Err(wait) = subject_limit(state, &access, operations) {
        return rate_limited(media, wait, log);
    }
    match body {
        Body::Single(params) => {
            let mut sequence = Sequence::default();
            one(state, access, media, *params, by_get, &mut sequence, log).await
        }
        Body::Batch(items) => batch(state, access, media, items, log).await,
    }
}

/// A batch (a JSON array body): off unless `MAX_BATCH_SIZE` allows it; its operations run one
/// after the other and answer as an array in the same order.
async fn batch(
    state: &AppState,
    access: Access,
    media: MediaType,
    items: Vec<Params>,
    log: &mut RequestLog,
) -> Response {
    let max = state.config.serving.max_batch_size;
    let refusal = if max == 0 {
        Some("batched requests are not accepted: send one JSON object per request".to_owned())
    } else if items.is_empty() {
        Some("the batch is empty".to_owned())
    } else if items.len() > max {
        Some(format!(
            "the batch has {} operations; at most {max} are allowed",
            items.len()
        ))
    } else {
        None
    };
    if let Some(message) = refusal {
        log.codes.push(code::BATCH_LIMIT.to_owned());
        return graphql_http::refusal(media, StatusCode::BAD_REQUEST, code::BATCH_LIMIT, &message);
    }
    let mut answers = Vec::with_capacity(items.len());
    let mut sequence = Sequence::default();
    for params in items {
        let response = one(
            state,
            access.clone(),
            media,
            params,
            false,
            &mut sequence,
            log,
        )
        .await;
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        answers.push(serde_json::from_slice::<Value>(&bytes).unwrap_or_else(|_| {
            json!({ "errors": [{ "message": String::from_utf8_lossy(&bytes), "extensions": { "code": code::INTERNAL } }] })
        }));
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, media.content_type())],
        Value::Array(answers).to_string(),
    )
        .into_response()
}

/// What the operations of one HTTP request (one, or a batch) learn from each other.
#[derive(Debug, Default)]
struct Sequence {
    /// A mutation has run: the viewer's data version was read before it, so the operations
    /// after it read the primary and skip the response cache.
    wrote: bool,
}

/// One operation: its persisted query resolved, then checked and run.
async fn one(
    state: &AppState,
    access: Access,
    media: MediaType,
    params: Params,
    by_get: bool,
    sequence: &mut Sequence,
    log: &mut RequestLog,
) -> Response {
    let Params {
        mut request,
        persisted_hash,
    } = params;
    if let Some(hash) = persisted_hash {
        match state.persisted.resolve(&hash, &request.query) {
            Ok(Some(document)) => request.query = document,
            Ok(None) => {}
            Err(refused) => {
                log.codes.push(refused.code().to_owned());
                // Clients answer "not found" by sending the query: that is no failure.
                let status = match refused {
                    PersistedError::HashMismatch => StatusCode::BAD_REQUEST,
                    PersistedError::NotFound | PersistedError::NotSupported => StatusCode::OK,
                };
                return graphql_http::refusal(media, status, refused.code(), refused.message());
            }
        }
    }
    checked(state, access, media, request, by_get, sequence, log).await
}

/// Runs a request and records it in the metrics and the log line.
async fn execute(
    state: &AppState,
    access: Access,
    request: async_graphql::Request,
    operation: Option<String>,
    cacheable: bool,
    log: &mut RequestLog,
) -> Answer {
    let started = Instant::now();
    let answer = run(state, access, request, cacheable).await;
    let codes: Vec<String> = match &answer {
        Answer::Executed(response) => response
            .errors
            .iter()
            .map(|error| {
                error
                    .extensions
                    .as_ref()
                    .and_then(|ext| ext.get("code"))
                    .map_or_else(
                        || "GRAPHQL_VALIDATION_FAILED".to_owned(),
                        |code| code.to_string().trim_matches('"').to_owned(),
                    )
            })
            .collect(),
        Answer::Encoded(_) => Vec::new(),
    };
    state
        .metrics
        .record(operation.as_deref(), started.elapsed(), &codes);
    log.operations
        .push(operation.unwrap_or_else(|| "-".to_owned()));
    log.codes.extend(codes);
    answer
}

/// A resolver error that did not pass through [`crate::error::ApiError`] (a `?` on some
/// library error) carries its cause's text, which may hold SQL or paths: the client reads
/// `internal error` with code `INTERNAL`, the cause is logged. Argument values async-graphql
/// could not read stay as they are, coded `BAD_USER_INPUT`.
pub fn conceal_internal_errors(response: &mut async_graphql::Response) {
    for error in &mut response.errors {
        let coded = error
            .extensions
            .as_ref()
            .is_some_and(|ext| ext.get("code").is_some());
        if coded || error.path.is_empty() {
            continue;
        }
        let mut extensions = error.extensions.take().unwrap_or_default();
        if error.message.starts_with("Failed to parse")
            || error.message.starts_with("Invalid value")
        {
            extensions.set("code", "BAD_USER_INPUT");
        } else {
            tracing::error!(error = %error.message, path = ?error.path, "uncoded resolver error");
            error.message = "internal error".to_owned();
            extensions.set("code", code::INTERNAL);
        }
        error.extensions = Some(extensions);
    }
}

/// Executes a request, or answers a query from the response cache. An error-free response
/// of a cacheable request is encoded here, once, for the client and the cache alike.
async fn run(
    state: &AppState,
    access: Access,
    request: async_graphql::Request,
    cacheable: bool,
) -> Answer {
    let claim = match &access {
        Access::Granted(viewer) if cacheable && state.responses.enabled() => {
            match state
                .responses
                .lookup(cache::Key::of(viewer, &request))
                .await
            {
                Lookup::Hit(body) => return Answer::Encoded(body),
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
    let mut response = execute_uncached(state, access, request, consistency).await;
    conceal_internal_errors(&mut response);
    match claim {
        Some(claim) if response.errors.is_empty() => match serde_json::to_vec(&response) {
            Ok(body) => {
                let body = Bytes::from(body);
                claim.store(body.clone());
                Answer::Encoded(body)
            }
            Err(_) => Answer::Executed(response),
        },
        _ => Answer::Executed(response),
    }
}

async fn execute_uncached(
    state: &AppState,
    access: Access,
    request: async_graphql::Request,
    consistency: Consistency,
) -> async_graphql::Response {
    let (spawner, batches) = batch_channel();
    let mut request = request.data(access.clone());
    if let Access::Granted(viewer) = access {
        let db = state.reader(&viewer, consistency).await;
        request = request.data(RequestScope::new(
            &db,
            viewer,
            &spawner,
            state.config.reporting_cycle_days,
        ));
    }
    batches.run(state.schema.execute(request)).await
}

async fn graphql_post(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    graphql(&state, peer, &headers, Incoming::Post(body)).await
}

/// Runs a request after the checks that need its document (parsed once, here): the size
/// limits and, for GET, no mutations.
async fn checked(
    state: &AppState,
    access: Access,
    media: MediaType,
    mut request: async_graphql::Request,
    by_get: bool,
    sequence: &mut Sequence,
    log: &mut RequestLog,
) -> Response {
    let operation_name = request.operation_name.clone();
    // Parsed once: the request keeps the document for execution (a document that does not
    // parse is reported by execution, which runs nothing).
    let inspection = request
        .parsed_query()
        .ok()
        .and_then(|document| graphql_http::inspect_document(document, operation_name.as_deref()));
    if let Some(inspection) = &inspection {
        // A GET must not change anything: links and image tags could trigger it (CSRF).
        if by_get && inspection.mutates {
            return (
                StatusCode::METHOD_NOT_ALLOWED,
                [(axum::http::header::ALLOW, "POST")],
                "mutations must be sent with POST",
            )
                .into_response();
        }
        if let Some(refusal) = graphql_http::oversized(media, inspection.size, &state.config.limits)
        {
            return refusal;
        }
    }
    // Queries that parse may come from the response cache or a replica; mutations, and
    // whatever follows one in the same request, never do.
    let mutates = inspection.as_ref().map(|inspection| inspection.mutates);
    let cacheable = mutates == Some(false) && !sequence.wrote;
    sequence.wrote |= mutates == Some(true);
    let operation = inspection.and_then(|inspection| inspection.operation);
    graphql_http::respond(
        media,
        execute(state, access, request, operation, cacheable, log).await,
    )
}

/// A query in the query string is executed; a browser visit without one gets GraphiQL.
async fn graphql_get(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let wants_html = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let query = query.unwrap_or_default();
    let has_request = query
        .split('&')
        .any(|pair| pair.starts_with("query=") || pair.starts_with("extensions="));
    if wants_html && !has_request {
        return Html(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .title("digidash")
                .finish(),
        )
        .into_response();
    }
    graphql(&state, peer, &headers, Incoming::Get(query)).await
}

async fn healthz() -> &'static str {
    "ok"
}

async fn metrics(State(state): State<AppState>) -> Response {
    use sea_orm::DbBackend;
    let pool = match state.db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = state.db.get_postgres_connection_pool();
            Some((pool.size(), pool.num_idle()))
        }
        DbBackend::Sqlite => {
            let pool = state.db.get_sqlite_connection_pool();
            Some((pool.size(), pool.num_idle()))
        }
        _ => None,
    };
    let body = state.metrics.render(state.statements.get(), pool);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// Longest `/readyz` waits for the database.
const READY_TIMEOUT: Duration = Duration::from_secs(3);

/// Ready when the database answers and every migration of this build is applied (a replica
/// started before `migrate` ran stays out of the load balancer).
async fn readyz(State(state): State<AppState>) -> Response {
    use migration::MigratorTrait;
    // A load balancer asks often and briefly: an unreachable database must not make it wait.
    let pending = tokio::time::timeout(
        READY_TIMEOUT,
        migration::Migrator::get_pending_migrations(&state.db),
    )
    .await;
    match pending {
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "database not reachable in time",
        )
            .into_response(),
        Ok(Ok(pending)) if pending.is_empty() => "ready".into_response(),
        Ok(Ok(pending)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{} database migrations are not applied", pending.len()),
        )
            .into_response(),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database not reachable").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{PathSegment, Pos, ServerError};

    use super::*;

    fn error_at_path(message: &str) -> ServerError {
        let mut error = ServerError::new(message, Some(Pos { line: 1, column: 3 }));
        error.path = vec![PathSegment::Field("measures".into())];
        error
    }

    #[test]
    fn uncoded_resolver_errors_reach_the_client_as_internal() {
        let mut response = async_graphql::Response::from_errors(vec![
            error_at_path(
                "Execution Error: error returned from database: relation \"measure\" does not exist",
            ),
            error_at_path("Failed to parse \"Int\": Only integers from -2^31 to 2^31-1"),
            // A validation error (no path) keeps its message; the HTTP layer codes it.
            ServerError::new("Unknown field \"nope\"", None),
        ]);
        conceal_internal_errors(&mut response);
        let body = serde_json::to_value(&response).unwrap();
        assert_eq!(body["errors"][0]["message"], "internal error");
        assert_eq!(body["errors"][0]["extensions"]["code"], "INTERNAL");
        assert!(!body.to_string().contains("relation"));
        assert_eq!(body["errors"][1]["extensions"]["code"], "BAD_USER_INPUT");
        assert!(body["errors"][2]["extensions"].is_null());
    }

    #[test]
    fn coded_errors_are_left_alone() {
        let mut coded = error_at_path("measure not found");
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", "NOT_FOUND");
        coded.extensions = Some(extensions);
        let mut response = async_graphql::Response::from_errors(vec![coded]);
        conceal_internal_errors(&mut response);
        assert_eq!(response.errors[0].message, "measure not found");
    }

    #[test]
    fn the_log_line_names_the_outcome() {
        let mut log = RequestLog::default();
        assert_eq!(log.outcome(StatusCode::OK), "ok");
        assert_eq!(log.outcome(StatusCode::NOT_ACCEPTABLE), "http_406");
        log.codes.push("FORBIDDEN".into());
        assert_eq!(log.outcome(StatusCode::OK), "FORBIDDEN");
    }
}
