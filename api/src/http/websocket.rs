//! `/graphql` over WebSocket: the `dataChanged` subscription in the `graphql-transport-ws`
//! protocol (the one graphql-ws, Apollo Client and urql speak), as async-graphql serves it.
//!
//! The token comes in the `connection_init` payload (`{"authorization": "Bearer <jwt>"}`,
//! or `{"token": "<jwt>"}`), since a browser cannot set headers on a WebSocket; a client
//! that can may send the `Authorization` header with the upgrade instead. Without a valid
//! token the connection is refused as the protocol says: closed with `4403 Forbidden` after
//! `connection_init`, and with `4401 Unauthorized` when a `subscribe` comes before it.
//! Only subscriptions run here: queries and mutations go to `POST /graphql` (its response
//! cache, replicas and idempotency). Each `subscribe` counts against the token subject's rate
//! limit, and the upgrade against the client address's, as on `POST /graphql`.

use std::{
    net::IpAddr,
    sync::{
        Arc, OnceLock,
        atomic::{AtomicBool, Ordering},
    },
};

use async_graphql::{
    Data, Executor, Request, Response as GraphqlResponse,
    futures_util::{SinkExt, StreamExt, future, stream::BoxStream},
    http::{WebSocket as GraphqlWebSocket, WebSocketProtocols, WsMessage},
    parser::types::OperationType,
};
use axum::{
    extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};

use super::{AppState, protocol::MediaType, protocol::refusal};
use crate::{
    auth::{Access, Role},
    error::{ErrorCode, graphql::coded_error},
    graphql::subscription::LiveScope,
};

/// The subprotocol served.
const PROTOCOL: &str = "graphql-transport-ws";

/// The close codes of `graphql-transport-ws`.
const UNAUTHORIZED: u16 = 4401;
const FORBIDDEN: u16 = 4403;
const SUBPROTOCOL_NOT_ACCEPTABLE: u16 = 4406;

/// Largest message a client may send (a subscribe message is one small document).
const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// Upgrades a `GET /graphql` that asks for a WebSocket.
pub(crate) fn upgrade(
    state: AppState,
    peer: IpAddr,
    headers: &HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let address = state.rate_limits.client_address(peer, headers);
    if let Err(wait) = state.rate_limits.check_address(address, 1) {
        let seconds = super::rate_limit::retry_seconds(wait);
        let mut response = refusal(
            MediaType::Json,
            ErrorCode::RateLimited,
            &format!("too many requests; retry in {seconds} s"),
        );
        super::rate_limit::set_retry_after(&mut response, seconds);
        return response;
    }
    // A client that can set headers may authenticate the upgrade itself.
    let authorization = headers.get(header::AUTHORIZATION).cloned();
    upgrade
        .protocols([PROTOCOL])
        .max_message_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| serve(state, socket, authorization))
        .into_response()
}

/// Serves one connection until either side closes it.
async fn serve(state: AppState, socket: WebSocket, authorization: Option<HeaderValue>) {
    let offered = socket
        .protocol()
        .is_some_and(|p| p.as_bytes() == PROTOCOL.as_bytes());
    let (mut sink, incoming) = socket.split();
    if !offered {
        let _ = sink
            .send(close(
                SUBPROTOCOL_NOT_ACCEPTABLE,
                "Subprotocol not acceptable: use graphql-transport-ws",
            ))
            .await;
        return;
    }
    let incoming = incoming
        .take_while(|message| future::ready(message.is_ok()))
        .filter_map(|message| {
            future::ready(match message {
                Ok(Message::Text(text)) => Some(text.as_bytes().to_vec()),
                Ok(Message::Binary(bytes)) => Some(bytes.to_vec()),
                _ => None,
            })
        });
    let refused = Arc::new(AtomicBool::new(false));
    let accepted = Arc::new(Accepted::default());
    let executor = LiveExecutor {
        state: state.clone(),
        accepted: Arc::clone(&accepted),
    };
    let mut connection_data = Data::default();
    connection_data.insert(LiveScope {
        changes: Arc::clone(&state.live),
        db: state.db.clone(),
    });
    let init_refused = Arc::clone(&refused);
    let init_accepted = Arc::clone(&accepted);
    let mut messages = GraphqlWebSocket::new(executor, incoming, WebSocketProtocols::GraphQLWS)
        .connection_data(connection_data)
        .on_connection_init(move |payload| async move {
            let result = authenticate(&state, &payload, authorization).await;
            match result {
                Ok((data, subject, expires)) => {
                    let _ = init_accepted.subject.set(subject);
                    if let Some(expires) = expires {
                        let _ = init_accepted.expires.set(expires);
                    }
                    Ok(data)
                }
                Err(err) => {
                    init_refused.store(true, Ordering::Relaxed);
                    Err(err)
                }
            }
        });
    loop {
        let expiry = expiry_of(&accepted);
        let message = tokio::select! {
            message = messages.next() => message,
            () = expiry => {
                let _ = sink.send(close(FORBIDDEN, "the token has expired: connect again with a new one")).await;
                break;
            }
        };
        let Some(message) = message else {
            break;
        };
        let message = match message {
            WsMessage::Text(text) => Message::Text(text.into()),
            WsMessage::Close(code, reason) => {
                let code = match code {
                    // async-graphql closes a refused `connection_init` with 1002.
                    1002 if refused.load(Ordering::Relaxed) => FORBIDDEN,
                    // ...and a `subscribe` before the handshake with 1011.
                    1011 => UNAUTHORIZED,
                    other => other,
                };
                close(code, &reason)
            }
        };
        if sink.send(message).await.is_err() {
            break;
        }
    }
}

/// Completes when the token of the accepted connection expires (never before it is accepted,
/// or for a token without `exp`).
async fn expiry_of(accepted: &Accepted) {
    match accepted.expires.get() {
        Some(&expires) => {
            let left = expires.saturating_sub(chrono::Utc::now().timestamp());
            let left = std::time::Duration::from_secs(u64::try_from(left).unwrap_or(0));
            tokio::time::sleep(left).await;
        }
        None => std::future::pending().await,
    }
}

fn close(code: u16, reason: &str) -> Message {
    // A close reason has at most 123 bytes.
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    Message::Close(Some(CloseFrame {
        code,
        reason: reason[..end].into(),
    }))
}

/// The viewer of the `connection_init` payload's token (or the upgrade's `Authorization`),
/// the token subject its rate limit counts and when the token expires; an error refuses the
/// connection.
async fn authenticate(
    state: &AppState,
    payload: &serde_json::Value,
    upgrade_authorization: Option<HeaderValue>,
) -> async_graphql::Result<(Data, String, Option<i64>)> {
    let given = ["authorization", "Authorization"]
        .iter()
        .find_map(|key| {
            payload
                .get(*key)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        })
        .or_else(|| {
            payload
                .get("token")
                .and_then(|v| v.as_str())
                .map(|token| format!("Bearer {token}"))
        });
    let authorization = match given {
        Some(value) => HeaderValue::from_str(&value)
            .map_err(|_| async_graphql::Error::new("the token is not a valid header value"))?,
        None => upgrade_authorization.ok_or_else(|| {
            async_graphql::Error::new(
                "a token is required: send {\"authorization\": \"Bearer <token>\"} in connection_init",
            )
        })?,
    };
    let expires = authorization
        .to_str()
        .ok()
        .and_then(|value| value.get(7..))
        .and_then(|token| crate::auth::expiry(token.trim()));
    let mut headers = HeaderMap::new();
    headers.insert(header::AUTHORIZATION, authorization);
    let access = state.authenticator.access(&headers).await;
    let subject = match &access {
        Access::Granted(viewer) if viewer.role != Role::Public => {
            let subject = format!("{}:{}", viewer.tenant_key, viewer.sub);
            if state.rate_limits.check_subject(&subject, 1).is_err() {
                return Err(async_graphql::Error::new(
                    "too many requests; retry shortly",
                ));
            }
            subject
        }
        Access::Granted(_) => {
            return Err(async_graphql::Error::new("a token is required"));
        }
        Access::Operator(_) => {
            return Err(async_graphql::Error::new(
                "a platform_admin token manages tenants and has no tenant data to watch",
            ));
        }
        Access::Denied(reason) => return Err(async_graphql::Error::new(reason.clone())),
        Access::Unavailable => {
            return Err(async_graphql::Error::new(
                "the database is unavailable; try again shortly",
            ));
        }
    };
    let mut data = Data::default();
    data.insert(access);
    Ok((data, subject, expires))
}

/// What `connection_init` accepted: the token subject (its rate limit) and when the token
/// expires (the connection closes then).
#[derive(Default)]
struct Accepted {
    subject: OnceLock<String>,
    expires: OnceLock<i64>,
}

/// Runs the subscriptions of one connection: each `subscribe` is checked (a subscription,
/// within the subject's rate limit) before the schema runs it.
#[derive(Clone)]
struct LiveExecutor {
    state: AppState,
    accepted: Arc<Accepted>,
}

impl Executor for LiveExecutor {
    async fn execute(&self, _request: Request) -> GraphqlResponse {
        refused(
            ErrorCode::BadRequest,
            "only subscriptions are served over WebSocket",
        )
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, GraphqlResponse> {
        let operation_name = request.operation_name.clone();
        let subscribes = request.parsed_query().ok().map(|document| {
            document
                .operations
                .iter()
                .filter(|(name, _)| {
                    operation_name.is_none()
                        || name.map(|n| n.as_str()) == operation_name.as_deref()
                })
                .all(|(_, op)| op.node.ty == OperationType::Subscription)
        });
        if subscribes == Some(false) {
            return single(refused(
                ErrorCode::BadRequest,
                "queries and mutations are sent with POST /graphql; only subscriptions are served over WebSocket",
            ));
        }
        let limited = self
            .accepted
            .subject
            .get()
            .is_some_and(|subject| self.state.rate_limits.check_subject(subject, 1).is_err());
        if limited {
            return single(refused(
                ErrorCode::RateLimited,
                "too many requests; retry shortly",
            ));
        }
        match session_data {
            Some(data) => self
                .state
                .schema
                .execute_stream_with_session_data(request, data),
            None => self.state.schema.execute_stream(request),
        }
    }
}

/// A response with one error of `code`.
fn refused(code: ErrorCode, message: &str) -> GraphqlResponse {
    GraphqlResponse::from_errors(vec![coded_error(code, message)])
}

fn single(response: GraphqlResponse) -> BoxStream<'static, GraphqlResponse> {
    async_graphql::futures_util::stream::once(future::ready(response)).boxed()
}
