//! Crash safety: `SIGKILL` of the server while it writes, on SQLite and on PostgreSQL. After a
//! restart every acknowledged write is there, each with its audit entry, nothing is
//! half-written (a report without its entry or an entry without its report), and the audit
//! chain verifies.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestDatabase},
    on_both,
    process::Server,
    tenants::run,
};

on_both!(a_killed_server_loses_no_acknowledged_write);

const SUBMIT: &str = "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) \
                      { statusReport { id summary } } }";

async fn graphql(
    client: &reqwest::Client,
    address: &str,
    token: &str,
    body: Value,
) -> Option<Value> {
    let response = client
        .post(format!("{address}/graphql"))
        .bearer_auth(token)
        .json(&body)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .ok()?;
    if response.status() != 200 {
        return None;
    }
    response.json().await.ok()
}

async fn a_killed_server_loses_no_acknowledged_write(backend: Backend) {
    let Some(database) = TestDatabase::create(backend).await else {
        return;
    };
    let url = database.url.clone();
    let (ok, text) = run(&url, &["seed", "--demo"]);
    assert!(ok, "{text}");
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("RATE_LIMIT_PER_MINUTE", "0"),
    ];
    let mut server = Server::start(&env).await;
    let token = server.token("central_it");
    let client = reqwest::Client::new();
    let subjects = graphql(
        &client,
        &server.address,
        &token,
        json!({ "query": "{ projects(first: 20) { edges { node { id } } } }" }),
    )
    .await
    .expect("projects");
    let subjects: Vec<Value> = subjects["data"]["projects"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].clone())
        .collect();

    // Six writers report as fast as they can; every acknowledged report is noted.
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, String)>::new()));
    let mut writers = Vec::new();
    for writer in 0..6 {
        let (client, address, token, subjects, acknowledged) = (
            client.clone(),
            server.address.clone(),
            token.clone(),
            subjects.clone(),
            acknowledged.clone(),
        );
        writers.push(tokio::spawn(async move {
            for n in 0.. {
                let summary = format!("Absturz {writer}-{n}");
                let body = json!({ "query": SUBMIT, "variables": { "i": {
                    "subjectId": subjects[(writer * 7 + n) % subjects.len()],
                    "progress": n % 100, "rag": "AMBER", "summary": summary } } });
                let Some(answer) = graphql(&client, &address, &token, body).await else {
                    break;
                };
                if let Some(id) =
                    answer["data"]["submitStatusReport"]["statusReport"]["id"].as_str()
                {
                    acknowledged.lock().unwrap().push((id.to_owned(), summary));
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().await;
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 10,
        "only {} writes before the kill",
        acknowledged.len()
    );

    // A new server on the same database: every acknowledged report is there, once.
    let server = Server::start(&env).await;
    let token = server.token("central_it");
    let nodes = json!({ "query": "query($ids: [ID!]!) { nodes(ids: $ids) { ... on StatusReport { id summary } } }",
        "variables": { "ids": acknowledged.iter().take(100).map(|(id, _)| id.clone()).collect::<Vec<_>>() } });
    let read = graphql(&client, &server.address, &token, nodes)
        .await
        .expect("nodes");
    for ((id, summary), node) in acknowledged
        .iter()
        .zip(read["data"]["nodes"].as_array().unwrap())
    {
        assert_eq!(
            node["id"].as_str(),
            Some(id.as_str()),
            "acknowledged {summary} is gone"
        );
        assert_eq!(node["summary"].as_str(), Some(summary.as_str()));
    }
    drop(server);

    // Nothing half-written: each report of the load has its audit entry, and the chain holds.
    let db = sea_orm::Database::connect(&url).await.unwrap();
    use sea_orm::{ConnectionTrait, Statement};
    let count = |sql: &str| {
        let statement = Statement::from_string(db.get_database_backend(), sql.to_owned());
        let db = &db;
        async move {
            let row = db.query_one_raw(statement).await.unwrap().unwrap();
            row.try_get_by_index::<i64>(0).unwrap()
        }
    };
    let reports = count("SELECT COUNT(*) FROM status_report WHERE summary LIKE 'Absturz %'").await;
    let entries = count(
        "SELECT COUNT(*) FROM audit_entry WHERE action = 'report' AND actor = 'central_it-process'",
    )
    .await;
    eprintln!(
        "{backend:?}: {} acknowledged, {reports} stored (a write may commit without its answer arriving)",
        acknowledged.len()
    );
    assert!(reports >= acknowledged.len() as i64);
    assert_eq!(reports, entries, "reports and their audit entries");
    db.close().await.unwrap();
    let (ok, text) = run(&url, &["audit", "verify"]);
    assert!(ok, "{text}");
}
