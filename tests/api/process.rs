//! The `digidash serve` process: one JSON log line per request, traces exported over OTLP,
//! and a graceful shutdown on SIGTERM within `SHUTDOWN_TIMEOUT_SECS`.

use std::{
    process::Stdio,
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

use crate::helpers::SECRET;

/// A `digidash serve` on the embedded database (demo data loaded) in a temporary directory,
/// or on the database `DATABASE_URL` of its environment.
pub(crate) struct Server {
    child: Child,
    pub(crate) address: String,
    stderr: Arc<Mutex<Vec<String>>>,
    dir: std::path::PathBuf,
}

impl Server {
    pub(crate) async fn start(env: &[(&str, &str)]) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "digidash_process_{}_{}",
            std::process::id(),
            rand_suffix()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let mut command = Command::new(env!("CARGO_BIN_EXE_digidash"));
        command
            .arg("serve")
            .current_dir(&dir)
            .env_remove("DATABASE_URL")
            .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
            .env("JWT_SECRET", SECRET)
            .env("BIND_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("start digidash");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let mut err_lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let sink = stderr.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = err_lines.next_line().await {
                sink.lock().unwrap().push(line);
            }
        });
        let mut out_lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let address = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = out_lines.next_line().await.expect("stdout") {
                if let Some(rest) = line.strip_prefix("digidash listens on ") {
                    return rest.split_whitespace().next().expect("url").to_owned();
                }
            }
            panic!(
                "digidash ended before it listened: {:?}",
                stderr.lock().unwrap()
            );
        })
        .await
        .expect("digidash listens within a minute");
        // Keep draining stdout so the process never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = out_lines.next_line().await {} });
        Self {
            child,
            address,
            stderr,
            dir,
        }
    }

    pub(crate) fn token(&self, role: &str) -> String {
        api::auth::TokenKeys::hs256(&secrecy::SecretString::from(SECRET.to_owned()))
            .mint(&api::auth::Claims {
                sub: format!("{role}-process"),
                role: role.into(),
                tenant: Some("aachen".into()),
                org_unit: None,
                name: None,
                exp: chrono::Utc::now().timestamp() + 3600,
                iat: None,
            })
            .expect("token")
    }

    /// Kills the process at once (`SIGKILL`): no shutdown, no flush.
    pub(crate) async fn kill(&mut self) {
        self.child.kill().await.expect("kill");
    }

    fn terminate(&self) {
        let pid = self.child.id().expect("running").to_string();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    async fn exit_code(&mut self) -> Option<i32> {
        tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("digidash exits after SIGTERM")
            .expect("wait")
            .code()
    }

    pub(crate) fn log_lines(&self) -> Vec<String> {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

const HEAVY: &str = "query Heavy { measures(first: 100) { edges { node { id number projects(first: 100) { edges { node { id measure { id } } } } goals { id measures(first: 100) { edges { node { id } } } } } } } }";

/// Operations in the slow batch: about 1.3 s on the CI machine (debug build).
const SLOW_BATCH: usize = 100;

/// A request that keeps the server busy for a while: a batch of heavy queries.
fn slow_batch() -> Value {
    Value::Array((0..SLOW_BATCH).map(|_| json!({ "query": HEAVY })).collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_requests_in_flight_finish_then_exits_cleanly() {
    let mut server =
        Server::start(&[("MAX_BATCH_SIZE", "100"), ("RESPONSE_CACHE_ENTRIES", "0")]).await;
    let client = reqwest::Client::new();
    let url = format!("{}/graphql", server.address);
    let token = server.token("central_it");
    let in_flight = tokio::spawn({
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        async move {
            let response = client
                .post(url)
                .bearer_auth(token)
                .json(&slow_batch())
                .send()
                .await?;
            let status = response.status().as_u16();
            Ok::<_, reqwest::Error>((status, response.json::<Value>().await?))
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !in_flight.is_finished(),
        "the batch must still run when the signal comes"
    );
    server.terminate();
    let (status, body) = in_flight
        .await
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(status, 200);
    let answers = body.as_array().expect("batch answers");
    assert_eq!(answers.len(), SLOW_BATCH);
    assert!(
        answers.iter().all(|a| a["errors"].is_null()),
        "{}",
        answers[0]
    );
    assert_eq!(server.exit_code().await, Some(0));
    let log = server.log_lines().join("\n");
    assert!(log.contains("shutting down"), "{log}");
    assert!(log.contains("stopped"), "{log}");
    // Nobody listens any more.
    assert!(
        client
            .get(format!("{}/healthz", server.address))
            .send()
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_at_the_shutdown_deadline() {
    let mut server = Server::start(&[
        ("MAX_BATCH_SIZE", "100"),
        ("SHUTDOWN_TIMEOUT_SECS", "0.2"),
        // The batch repeats one query: it must run every time to stay in flight.
        ("RESPONSE_CACHE_ENTRIES", "0"),
    ])
    .await;
    let client = reqwest::Client::new();
    let url = format!("{}/graphql", server.address);
    let token = server.token("central_it");
    let in_flight = tokio::spawn(async move {
        client
            .post(url)
            .bearer_auth(token)
            .json(&slow_batch())
            .send()
            .await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!in_flight.is_finished());
    let signalled = std::time::Instant::now();
    server.terminate();
    assert_eq!(server.exit_code().await, Some(0));
    assert!(
        signalled.elapsed() < Duration::from_secs(10),
        "the deadline ends the wait: {:?}",
        signalled.elapsed()
    );
    let log = server.log_lines().join("\n");
    assert!(log.contains("shutdown deadline reached"), "{log}");
    // The request still running at the deadline is cut off: the connection drops, or, when
    // the answer is written in the moment between the pool closing and the process ending,
    // its remaining operations failed with DATABASE_UNAVAILABLE.
    if let Ok(response) = in_flight.await.unwrap() {
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let codes: Vec<&Value> = body
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|answer| answer["errors"][0]["extensions"].get("code"))
            .collect();
        assert!(
            !codes.is_empty() && codes.iter().all(|code| *code == "DATABASE_UNAVAILABLE"),
            "{codes:?}\n{}",
            server.log_lines().join("\n")
        );
    }
}

/// What the collector received: content type and body of one POST.
type Post = (String, Vec<u8>);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_logs_one_json_line_and_traces_reach_the_collector() {
    // A tiny OTLP/HTTP collector: it keeps what is posted to /v1/traces.
    let received: Arc<Mutex<Vec<Post>>> = Arc::default();
    let collector = axum::Router::new().route(
        "/v1/traces",
        axum::routing::post({
            let received = received.clone();
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| async move {
                let content_type = headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                received.lock().unwrap().push((content_type, body.to_vec()));
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, collector).await });

    let mut server = Server::start(&[
        ("LOG_FORMAT", "json"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint),
    ])
    .await;
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{}/graphql", server.address))
        .bearer_auth(server.token("council"))
        .json(&json!({ "query": "query WhoAmI { me { role } }" }))
        .send()
        .await
        .unwrap();
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(response.status(), 200);
    let denied = client
        .post(format!("{}/graphql", server.address))
        .json(&json!({ "query": "query Anonymous { me { role } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 200);
    server.terminate();
    assert_eq!(server.exit_code().await, Some(0));

    let lines: Vec<Value> = server
        .log_lines()
        .iter()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    let requests: Vec<&Value> = lines
        .iter()
        .filter(|line| line["target"] == "digidash::request")
        .collect();
    assert_eq!(requests.len(), 2, "one line per request: {lines:?}");
    let ok = requests
        .iter()
        .find(|line| line["request_id"] == request_id.as_str())
        .expect("the line carries the id the client got");
    assert_eq!(ok["operation"], "WhoAmI");
    assert_eq!(ok["tenant"], "aachen");
    assert_eq!(ok["role"], "council");
    assert_eq!(ok["outcome"], "ok");
    assert_eq!(ok["status"], 200);
    assert!(ok["duration_ms"].is_u64(), "{ok}");
    assert_eq!(ok["span"]["request_id"], request_id.as_str(), "{ok}");
    let anonymous = requests
        .iter()
        .find(|line| line["operation"] == "Anonymous")
        .expect("the anonymous request");
    assert_eq!(anonymous["outcome"], "UNAUTHENTICATED");
    assert_eq!(anonymous["role"], "unauthenticated");
    // The token is never logged.
    assert!(!server.log_lines().join("\n").contains("Bearer"));

    let posts = received.lock().unwrap().clone();
    assert!(!posts.is_empty(), "the collector received traces");
    assert!(
        posts
            .iter()
            .all(|(content_type, _)| content_type == "application/x-protobuf")
    );
    let all: Vec<u8> = posts.into_iter().flat_map(|(_, body)| body).collect();
    let contains = |needle: &str| all.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(contains("digidash"), "the service name");
    assert!(contains("request"), "the request span");
    assert!(contains("graphql.field"), "the resolver span");
    assert!(contains("sea_orm"), "the SQL spans");
}
