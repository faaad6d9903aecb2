//! A PostgreSQL outage under write load: requests fail fast with `DATABASE_UNAVAILABLE`,
//! `/readyz` says 503, the server recovers by itself, and no acknowledged write is lost.
//!
//! Stopping PostgreSQL breaks every other test running at the same time, so this one is
//! ignored by `cargo test` and run alone by `.ci/run`:
//! `cargo test --test integration outage -- --ignored`.

use std::{
    collections::BTreeSet,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{Backend, spawn_app_with};

/// Runs `pg_ctlcluster <version> main <action>`.
fn cluster(action: &str) {
    let version = std::fs::read_dir("/etc/postgresql")
        .expect("/etc/postgresql")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .max()
        .expect("a PostgreSQL cluster");
    let mut command = std::process::Command::new("pg_ctlcluster");
    command.args(["--skip-systemctl-redirect", &version, "main", action]);
    if action == "stop" {
        command.args(["-m", "fast"]);
    }
    let status = command.status().expect("pg_ctlcluster");
    assert!(status.success(), "pg_ctlcluster {action}");
}

fn postgres_ready() -> bool {
    std::process::Command::new("pg_isready")
        .args(["-h", "127.0.0.1", "-p", "5432", "-q"])
        .status()
        .is_ok_and(|status| status.success())
}

/// Starts PostgreSQL again however the test ends.
struct Restart;

impl Drop for Restart {
    fn drop(&mut self) {
        if !postgres_ready() {
            cluster("start");
        }
        for _ in 0..60 {
            if postgres_ready() {
                return;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

const SUBMIT: &str = "mutation($input: SubmitStatusReportInput!) { submitStatusReport(input: $input) { statusReport { id summary } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "stops PostgreSQL: run alone with `cargo test --test integration outage -- --ignored`"]
async fn a_postgres_outage_fails_fast_and_loses_no_acknowledged_write() {
    let Some(app) = spawn_app_with(Backend::Postgres, |config| {
        config.serving.rate_limit_per_minute = 0;
        config.serving.rate_limit_per_address_per_minute = 0;
    })
    .await
    else {
        return;
    };
    let app = Arc::new(app);
    let token = app.token("central_it", "aachen", None);
    let measures: Vec<String> = crate::helpers::nodes(
        &app.query(
            &token,
            "{ measures(first: 4) { edges { node { id } } } }",
            json!({}),
        )
        .await["measures"],
    )
    .iter()
    .map(|m| m["id"].as_str().unwrap().to_owned())
    .collect();
    assert!(!measures.is_empty());

    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(BTreeSet::<String>::new()));
    let codes = Arc::new(Mutex::new(BTreeSet::<String>::new()));
    let slowest = Arc::new(Mutex::new(Duration::ZERO));
    let mut writers = Vec::new();
    for (writer, measure) in measures.iter().cycle().take(4).cloned().enumerate() {
        let (app, token, stop) = (app.clone(), token.clone(), stop.clone());
        let (acknowledged, codes, slowest) = (acknowledged.clone(), codes.clone(), slowest.clone());
        writers.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let summary = format!("load {writer}-{i}");
                let input = json!({ "subjectId": measure, "progress": i % 100, "rag": "GREEN", "summary": summary });
                let started = Instant::now();
                let (status, body) = app
                    .post(Some(&token), json!({ "query": SUBMIT, "variables": { "input": input } }))
                    .await;
                let took = started.elapsed();
                {
                    let mut slowest = slowest.lock().unwrap();
                    *slowest = (*slowest).max(took);
                }
                assert!(status < 500, "no server error during the outage: {status} {body}");
                if body["errors"].is_null() {
                    assert_eq!(body["data"]["submitStatusReport"]["statusReport"]["summary"], summary.as_str());
                    acknowledged.lock().unwrap().insert(summary);
                } else {
                    let code = body["errors"][0]["extensions"]["code"].as_str().unwrap_or("none");
                    codes.lock().unwrap().insert(code.to_owned());
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }));
    }

    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = acknowledged.lock().unwrap().len();
    assert!(before > 0, "writes succeed before the outage");

    let _restart = Restart;
    cluster("stop");
    let down = Instant::now();

    // Requests fail fast with a clear code, and the server says it is not ready.
    let started = Instant::now();
    let code = app
        .error_code(Some(&token), "{ me { sub } }", json!({}))
        .await;
    assert_eq!(code, "DATABASE_UNAVAILABLE");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    let started = Instant::now();
    let ready = app
        .client
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 503);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    tokio::time::sleep(Duration::from_secs(6).saturating_sub(down.elapsed())).await;

    cluster("start");
    // The server recovers by itself: no restart, no intervention.
    let recovered = Instant::now();
    loop {
        let (status, body) = app
            .post(Some(&token), json!({ "query": "{ me { sub } }" }))
            .await;
        if status == 200 && body["errors"].is_null() {
            break;
        }
        assert!(
            recovered.elapsed() < Duration::from_secs(60),
            "no recovery: {body}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let ready = app
        .client
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let during = acknowledged.lock().unwrap().len();
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.expect("writer");
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > during,
        "writes succeed after the outage"
    );

    let codes = codes.lock().unwrap().clone();
    assert!(
        codes.iter().all(|code| code == "DATABASE_UNAVAILABLE"),
        "only clear codes during the outage: {codes:?}"
    );
    assert!(codes.contains("DATABASE_UNAVAILABLE"));
    let slowest = *slowest.lock().unwrap();
    assert!(
        slowest < Duration::from_secs(12),
        "no request hung: {slowest:?}"
    );

    // Every acknowledged write is there.
    let stored: BTreeSet<String> = app
        .state
        .db
        .query_all_raw(Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT summary FROM status_report WHERE summary LIKE 'load %'",
        ))
        .await
        .expect("read back")
        .iter()
        .map(|row| row.try_get::<String>("", "summary").unwrap())
        .collect();
    let missing: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(missing.is_empty(), "acknowledged writes lost: {missing:?}");
}
