//! Live updates: the `dataChanged` subscription over WebSocket (`graphql-transport-ws`).
//! A dashboard hears of every committed write of its tenant, at once with `since` when it
//! read older data, never of a refused write or another tenant's; a connection without a
//! valid token is closed as the protocol says; on PostgreSQL a write on one server process
//! reaches a subscriber on another.

use std::time::Duration;

use async_graphql::futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

use crate::{
    helpers::{Backend, TestApp, TestDatabase, spawn_app},
    on_both,
    process::Server,
    review::set_report_review,
    tenants::run,
};

on_both!(
    a_subscriber_hears_of_every_committed_write_of_its_tenant,
    a_connection_without_a_valid_token_is_closed,
    the_graphql_ws_client_library_subscribes,
);

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// How long a message that must come may take (a machine busy with builds is slow).
const SOON: Duration = Duration::from_secs(20);
/// How long the tests wait to see that a message does not come.
const QUIET: Duration = Duration::from_millis(700);

const DATA_CHANGED: &str =
    "subscription($since: Int) { dataChanged(since: $since) { dataVersion } }";

/// Opens a WebSocket to `/graphql` of the server at `address` (`http://...`), offering
/// `protocol`.
async fn open(address: &str, protocol: Option<&str>) -> Socket {
    let url = format!("{}/graphql", address.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().expect("request");
    if let Some(protocol) = protocol {
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_str(protocol).expect("protocol"),
        );
    }
    tokio_tungstenite::connect_async(request)
        .await
        .expect("WebSocket upgrade")
        .0
}

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .expect("send");
}

/// The next message: JSON text, or the close frame's code and reason.
async fn receive(socket: &mut Socket, within: Duration) -> Option<Result<Value, (u16, String)>> {
    loop {
        let message = tokio::time::timeout(within, socket.next()).await.ok()??;
        match message {
            Ok(Message::Text(text)) => return Some(Ok(serde_json::from_str(&text).expect("JSON"))),
            Ok(Message::Close(frame)) => {
                return Some(Err(frame.map_or((1005, String::new()), |f| {
                    (u16::from(f.code), f.reason.to_string())
                })));
            }
            Ok(_) => {}
            Err(_) => return None,
        }
    }
}

/// A connection acknowledged for `token`.
async fn connect(address: &str, token: &str) -> Socket {
    let mut socket = open(address, Some("graphql-transport-ws")).await;
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } }),
    )
    .await;
    let ack = receive(&mut socket, SOON).await;
    assert_eq!(
        ack.as_ref()
            .and_then(|m| m.as_ref().ok())
            .map(|m| m["type"].clone()),
        Some(json!("connection_ack")),
        "{ack:?}"
    );
    socket
}

async fn subscribe(socket: &mut Socket, id: &str, since: Option<i64>) {
    send(
        socket,
        json!({ "id": id, "type": "subscribe",
                "payload": { "query": DATA_CHANGED, "variables": { "since": since } } }),
    )
    .await;
}

/// The data version of the next `dataChanged` event, or `None` when none comes in `within`.
async fn next_change(socket: &mut Socket, within: Duration) -> Option<i64> {
    let message = receive(socket, within)
        .await?
        .expect("an event, not a close");
    assert_eq!(message["type"], "next", "{message}");
    assert!(message["payload"]["errors"].is_null(), "{message}");
    message["payload"]["data"]["dataChanged"]["dataVersion"].as_i64()
}

async fn data_version(app: &TestApp, token: &str) -> i64 {
    app.query(token, "{ me { dataVersion } }", json!({})).await["me"]["dataVersion"]
        .as_i64()
        .expect("dataVersion")
}

async fn a_subscriber_hears_of_every_committed_write_of_its_tenant(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let department = app.token("department", "aachen", Some("FB 36"));
    let central = app.token("central_it", "aachen", None);
    let before = data_version(&app, &department).await;

    let mut socket = connect(&app.address, &department).await;
    subscribe(&mut socket, "1", None).await;
    // Subscribed without `since`: nothing until a write.
    assert_eq!(next_change(&mut socket, QUIET).await, None);

    // A refused write changes nothing and tells nothing.
    let refused = app
        .post(
            Some(&central),
            json!({ "query": "mutation { updateTenantSettings(input: { version: 999999, reportReview: false }) { tenant { id } } }" }),
        )
        .await;
    assert!(refused.1.to_string().contains("CONFLICT"), "{refused:?}");
    assert_eq!(next_change(&mut socket, QUIET).await, None);

    // Another tenant's write is not this tenant's news.
    set_report_review(&app, "tuk", false).await;
    assert_eq!(next_change(&mut socket, QUIET).await, None);

    set_report_review(&app, "aachen", false).await;
    let after = next_change(&mut socket, SOON)
        .await
        .expect("an event for the write");
    assert_eq!(after, before + 1);
    assert_eq!(data_version(&app, &department).await, after);

    // A dashboard that read before the write and subscribes after it hears at once.
    let mut late = connect(&app.address, &central).await;
    subscribe(&mut late, "a", Some(before)).await;
    assert_eq!(next_change(&mut late, SOON).await, Some(after));
    // ...and one that read after it hears nothing.
    subscribe(&mut late, "b", Some(after)).await;
    assert_eq!(next_change(&mut late, QUIET).await, None);

    // Queries and mutations are not served over the WebSocket.
    send(
        &mut socket,
        json!({ "id": "q", "type": "subscribe", "payload": { "query": "{ me { dataVersion } }" } }),
    )
    .await;
    let refused = receive(&mut socket, SOON)
        .await
        .expect("an answer")
        .expect("a message");
    assert_eq!(refused["type"], "next", "{refused}");
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"],
        "BAD_REQUEST"
    );
    let completed = receive(&mut socket, SOON)
        .await
        .expect("an answer")
        .expect("a message");
    assert_eq!(completed, json!({ "id": "q", "type": "complete" }));

    // Completing a subscription ends its events.
    send(&mut late, json!({ "id": "a", "type": "complete" })).await;
    send(&mut late, json!({ "id": "b", "type": "complete" })).await;
    set_report_review(&app, "aachen", true).await;
    assert_eq!(next_change(&mut socket, SOON).await, Some(after + 1));
    let mut heard = Vec::new();
    while let Some(Ok(message)) = receive(&mut late, QUIET).await {
        heard.push(message);
    }
    assert!(
        heard.iter().all(|m| m["type"] != "next"),
        "completed subscriptions sent {heard:?}"
    );
}

async fn a_connection_without_a_valid_token_is_closed(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let closed_with = |message: Option<Result<Value, (u16, String)>>| match message {
        Some(Err((code, _))) => code,
        other => panic!("expected a close, got {other:?}"),
    };

    // No token in connection_init (nor on the upgrade): 4403 Forbidden.
    let mut socket = open(&app.address, Some("graphql-transport-ws")).await;
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": {} }),
    )
    .await;
    assert_eq!(closed_with(receive(&mut socket, SOON).await), 4403);

    // A token that is not valid: 4403.
    let mut socket = open(&app.address, Some("graphql-transport-ws")).await;
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": { "authorization": "Bearer not.a.token" } }),
    )
    .await;
    assert_eq!(closed_with(receive(&mut socket, SOON).await), 4403);

    // A platform operator has no tenant to watch: 4403.
    let operator = app.operator_token();
    let mut socket = open(&app.address, Some("graphql-transport-ws")).await;
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {operator}") } }),
    )
    .await;
    assert_eq!(closed_with(receive(&mut socket, SOON).await), 4403);

    // A subscribe before connection_init: 4401 Unauthorized.
    let mut socket = open(&app.address, Some("graphql-transport-ws")).await;
    subscribe(&mut socket, "1", None).await;
    assert_eq!(closed_with(receive(&mut socket, SOON).await), 4401);

    // A client that does not speak graphql-transport-ws: 4406.
    let mut socket = open(&app.address, None).await;
    assert_eq!(closed_with(receive(&mut socket, SOON).await), 4406);

    // The token may come with the upgrade instead, from clients that can set headers.
    let token = app.token("council", "aachen", None);
    let url = format!("{}/graphql", app.address.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    request.headers_mut().insert(
        "Authorization",
        HeaderValue::from_str(&format!("Bearer {token}")).expect("header"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("upgrade");
    send(&mut socket, json!({ "type": "connection_init" })).await;
    let ack = receive(&mut socket, SOON)
        .await
        .expect("answer")
        .expect("a message");
    assert_eq!(ack["type"], "connection_ack");

    // A connection lasts as long as its token: then it is closed with 4403, and the client
    // connects again with a new one.
    let short = app
        .keys
        .mint(&api::auth::Claims {
            sub: "council-short".into(),
            role: "council".into(),
            tenant: Some("aachen".into()),
            org_unit: None,
            name: None,
            exp: chrono::Utc::now().timestamp() + 3,
            iat: None,
        })
        .expect("token");
    let mut socket = connect(&app.address, &short).await;
    subscribe(&mut socket, "1", None).await;
    let (code, reason) = receive(&mut socket, SOON)
        .await
        .expect("a close")
        .expect_err("a close, not a message");
    assert_eq!(code, 4403, "{reason}");
    assert!(reason.contains("expired"), "{reason}");
}

/// Two server processes on one PostgreSQL database: a write on one reaches a subscriber on
/// the other (the trigger's `NOTIFY`, heard by each process's `LISTEN`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_on_one_process_reaches_a_subscriber_on_another() {
    let Some(database) = TestDatabase::create(Backend::Postgres).await else {
        return;
    };
    let url = database.url.clone();
    let (ok, text) = run(&url, &["seed", "--demo"]);
    assert!(ok, "{text}");
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("RATE_LIMIT_PER_MINUTE", "0"),
    ];
    let watching = Server::start(&env).await;
    let writing = Server::start(&env).await;
    let token = watching.token("central_it");
    let mut socket = connect(&watching.address, &token).await;
    subscribe(&mut socket, "1", None).await;
    // The subscription is set up when an operation answers on the same connection; give the
    // listener its moment too.
    assert_eq!(next_change(&mut socket, QUIET).await, None);

    let client = reqwest::Client::new();
    let graphql = |query: &str, variables: Value| {
        client
            .post(format!("{}/graphql", writing.address))
            .bearer_auth(writing.token("central_it"))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
    };
    let version = graphql("{ me { tenant { version } dataVersion } }", json!({}))
        .await
        .expect("query")
        .json::<Value>()
        .await
        .expect("JSON")["data"]["me"]
        .clone();
    let changed = graphql(
        "mutation($i: UpdateTenantSettingsInput!) { updateTenantSettings(input: $i) { tenant { id } } }",
        json!({ "i": { "version": version["tenant"]["version"], "reportReview": false } }),
    )
    .await
    .expect("mutation")
    .json::<Value>()
    .await
    .expect("JSON");
    assert!(changed["errors"].is_null(), "{changed}");
    let heard = next_change(&mut socket, SOON)
        .await
        .expect("the other process's write");
    assert_eq!(heard, version["dataVersion"].as_i64().expect("version") + 1);
}

/// The client library SPAs use (npm `graphql-ws`, the protocol's reference implementation),
/// run by `tests/client/subscribe.mjs`: it connects with the token in `connectionParams`,
/// subscribes since an older version and gets the change at once; a bad token is refused
/// with 4403.
async fn the_graphql_ws_client_library_subscribes(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/client");
    if !crate::helpers::npm_package_ready(&dir, "graphql-ws") {
        return;
    }
    let council = app.token("council", "aachen", None);
    let before = data_version(&app, &council).await;
    set_report_review(&app, "aachen", false).await;
    let subscribe = |token: String| {
        let script = dir.join("subscribe.mjs");
        let address = app.address.clone();
        async move {
            let output = tokio::process::Command::new("node")
                .arg(script)
                .arg(address)
                .arg(token)
                .arg(before.to_string())
                .output()
                .await
                .expect("run node");
            let line = String::from_utf8_lossy(&output.stdout).trim().to_owned();
            serde_json::from_str::<Value>(&line).unwrap_or_else(|_| {
                panic!(
                    "subscribe.mjs printed {line:?}; stderr: {}",
                    String::from_utf8_lossy(&output.stderr)
                )
            })
        }
    };
    let event = subscribe(council).await;
    assert_eq!(
        event,
        json!({ "data": { "dataChanged": { "dataVersion": before + 1 } } })
    );
    let refused = subscribe("not.a.token".into()).await;
    assert_eq!(refused["closed"], 4403, "{refused}");
}
