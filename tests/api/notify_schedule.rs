//! The daily run of the e-mail reminders in `digidash serve`: at `NOTIFY_AT` (here 00:00,
//! which has always passed, so at start), once a day across restarts and across processes on
//! one PostgreSQL, with retries; an unreachable SMTP server is counted in `/metrics` and
//! never fails a write; a half-configured setup stops the start.

use std::time::Duration;

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, SECRET, TestDatabase},
    notify::{APP_URL, MAIL_FROM, STEERING},
    process::Server,
    smtp::{SmtpServer, unreachable_url},
};

/// Waits until every server's log has a line with one of `ends`.
async fn wait_for_log(servers: &[&Server], ends: &[&str]) {
    let ended = |server: &Server| {
        server
            .log_lines()
            .iter()
            .any(|line| ends.iter().any(|end| line.contains(end)))
    };
    for _ in 0..300 {
        if servers.iter().all(|s| ended(s)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for server in servers {
        eprintln!("{}", server.log_lines().join("\n"));
    }
    panic!("the daily run did not end within a minute");
}

async fn metric(server: &Server, name: &str) -> i64 {
    let body = reqwest::get(format!("{}/metrics", server.address))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    body.lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} missing in\n{body}"))
}

/// Waits until every server's daily run has sent all of the day's digests.
async fn wait_for_runs(servers: &[&Server]) {
    wait_for_log(servers, &["the day's digests are out"]).await;
}

/// The environment of a server whose daily run is due at once (00:00 has always passed),
/// and whose incomplete runs are tried again after a second.
fn scheduled<'a>(database: &'a str, smtp: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("DATABASE_URL", database),
        ("SMTP_URL", smtp),
        ("MAIL_FROM", MAIL_FROM),
        ("APP_URL", APP_URL),
        ("NOTIFY_AT", "00:00"),
        ("NOTIFY_RETRY_SECS", "1"),
    ]
}

/// A seeded database of `backend` for server processes.
async fn seeded(backend: Backend) -> Option<TestDatabase> {
    let database = TestDatabase::from_template(backend).await?;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_digidash"))
        .args(["seed", "--demo"])
        .env("DATABASE_URL", &database.url)
        .env("JWT_SECRET", SECRET)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("seed");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(database)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_sends_the_days_digests_retrying_and_once_across_a_restart() {
    // The first message is refused for now (451): the run retries it.
    let Some(smtp) = SmtpServer::refusing_first(1).await else {
        return;
    };
    let Some(database) = seeded(Backend::Sqlite).await else {
        return;
    };
    let url = smtp.url();
    let mut first = Server::start(&scheduled(&database.url, &url)).await;
    wait_for_runs(&[&first]).await;
    let sent = smtp.messages().len();
    assert!(
        sent >= 1 && smtp.to(STEERING).len() == 1,
        "{:?}",
        first.log_lines()
    );
    assert_eq!(
        metric(&first, "digidash_mail_sent_total{outcome=\"sent\"}").await,
        sent as i64
    );
    assert_eq!(
        metric(&first, "digidash_mail_sent_total{outcome=\"failed\"}").await,
        0
    );
    assert_eq!(metric(&first, "digidash_mail_retries_total").await, 1);
    first.kill().await;

    // A restart the same day sends nothing again.
    let second = Server::start(&scheduled(&database.url, &url)).await;
    wait_for_runs(&[&second]).await;
    assert_eq!(smtp.messages().len(), sent);
    assert_eq!(
        metric(&second, "digidash_mail_sent_total{outcome=\"sent\"}").await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_smtp_server_is_counted_and_never_fails_a_write() {
    let Some(database) = seeded(Backend::Sqlite).await else {
        return;
    };
    let url = unreachable_url().await;
    let server = Server::start(&scheduled(&database.url, &url)).await;
    wait_for_log(&[&server], &["digests left unsent"]).await;
    assert!(metric(&server, "digidash_mail_sent_total{outcome=\"failed\"}").await >= 1);
    assert_eq!(
        metric(&server, "digidash_mail_sent_total{outcome=\"sent\"}").await,
        0
    );
    assert!(metric(&server, "digidash_mail_retries_total").await >= 2);
    let log = server.log_lines().join("\n");
    assert!(log.contains("the SMTP server is unreachable"), "{log}");
    assert!(log.contains("digests left unsent; trying again"), "{log}");
    assert!(
        !log.contains("@mail.aachen.de"),
        "addresses stay out of the log: {log}"
    );

    // Writes go on as ever.
    let response: Value = reqwest::Client::new()
        .post(format!("{}/graphql", server.address))
        .bearer_auth(server.token("central_it"))
        .json(&json!({ "query": "mutation { createSteeringMeeting(input: { title: \"Lenkungskreis 1/2027\", heldOn: \"2027-01-20\" }) { steeringMeeting { id } } }" }))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert!(response["errors"].is_null(), "{response}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_send_each_digest_once() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let Some(database) = seeded(Backend::Postgres).await else {
        return;
    };
    let url = smtp.url();
    let env = scheduled(&database.url, &url);
    let (first, second) = tokio::join!(Server::start(&env), Server::start(&env));
    wait_for_runs(&[&first, &second]).await;
    let all = smtp.one_per_recipient();
    assert!(all >= 1);
    assert_eq!(smtp.to(STEERING).len(), 1);
    let sent = metric(&first, "digidash_mail_sent_total{outcome=\"sent\"}").await
        + metric(&second, "digidash_mail_sent_total{outcome=\"sent\"}").await;
    assert_eq!(sent, all as i64);
}

#[tokio::test]
async fn a_half_configured_mail_setup_stops_the_start_with_what_is_missing() {
    let dir = std::env::temp_dir().join(format!("digidash_mailcfg_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (env, missing) in [
        (vec![("SMTP_URL", "smtp://127.0.0.1:2525")], "MAIL_FROM"),
        (
            vec![
                ("SMTP_URL", "smtp://127.0.0.1:2525"),
                ("MAIL_FROM", MAIL_FROM),
            ],
            "APP_URL",
        ),
        (vec![("SMTP_URL", "http://mail.aachen.example")], "SMTP_URL"),
        (vec![("NOTIFY_AT", "7 Uhr")], "NOTIFY_AT"),
    ] {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_digidash"));
        command
            .arg("serve")
            .current_dir(&dir)
            .env_remove("DATABASE_URL")
            .env_remove("SMTP_URL")
            .env_remove("MAIL_FROM")
            .env_remove("APP_URL")
            .env("BIND_ADDR", "127.0.0.1:0")
            .kill_on_drop(true);
        for (name, value) in &env {
            command.env(name, value);
        }
        let output = tokio::time::timeout(Duration::from_secs(60), command.output())
            .await
            .expect("digidash stops at once")
            .expect("run digidash");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{env:?} started");
        assert!(err.contains(missing), "{env:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
