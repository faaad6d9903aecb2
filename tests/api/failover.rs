//! Primary failover: `DATABASE_URL` lists a primary and its synchronous standby, as libpq
//! does. Under a write load whose clients retry with an `Idempotency-Key`, the primary
//! crashes and the standby is promoted: meanwhile requests fail fast with
//! `DATABASE_UNAVAILABLE` and `/readyz` answers 503; then the server finds the new primary
//! by itself, the load goes on, every acknowledged write is on the new primary, and none is
//! there twice.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use crate::{local_postgres::sql, local_primary::ReplicatedPair, process::Server, tenants::run};

const SUBMIT: &str = "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) \
                      { statusReport { id summary } } }";

/// What became of one write.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Answered with the report: it must be there once.
    Acknowledged,
    /// The write committed, its answer was lost (`IDEMPOTENCY_IN_PROGRESS`): there once.
    Committed,
    /// Given up: there at most once.
    Unknown,
    /// An answer that is not a refusal for the moment: a defect.
    Refused(u16, String),
}

/// Sends one write until it is answered, always with the same key and body.
async fn write_with_retries(
    client: &reqwest::Client,
    address: &str,
    token: &str,
    key: &str,
    body: &Value,
) -> Outcome {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let sent = client
            .post(format!("{address}/graphql"))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(body)
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        if let Ok(response) = sent {
            let status = response.status().as_u16();
            let answer: Value = response.json().await.unwrap_or(Value::Null);
            if status == 200
                && answer["data"]["submitStatusReport"]["statusReport"]["id"].is_string()
            {
                return Outcome::Acknowledged;
            }
            let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
            if status == 409 && message.contains("committed") {
                return Outcome::Committed;
            }
            // Anything but the moment's refusals is a defect of the server.
            let code = answer["errors"][0]["extensions"]["code"].as_str();
            if !matches!(
                code,
                Some("DATABASE_UNAVAILABLE" | "IDEMPOTENCY_IN_PROGRESS" | "TIMEOUT")
            ) {
                return Outcome::Refused(status, answer.to_string());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Outcome::Unknown
}

#[tokio::test]
async fn a_promoted_standby_takes_over_without_losing_or_doubling_a_write() {
    let database = "digidash_failover";
    let Some(pair) = ReplicatedPair::start(database).await else {
        return;
    };
    let url = pair.url(database);
    let (ok, text) = run(&url, &["seed", "--demo"]);
    assert!(ok, "{text}");
    let server = Server::start(&[
        ("DATABASE_URL", url.as_str()),
        ("RATE_LIMIT_PER_MINUTE", "0"),
        ("RATE_LIMIT_PER_ADDRESS_PER_MINUTE", "0"),
    ])
    .await;
    let token = server.token("central_it");
    let client = reqwest::Client::new();
    let projects: Value = client
        .post(format!("{}/graphql", server.address))
        .bearer_auth(&token)
        .json(&json!({ "query": "{ projects(first: 20) { edges { node { id } } } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let subjects: Vec<Value> = projects["data"]["projects"]["edges"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|edge| edge["node"]["id"].clone())
        .collect();

    // Four writers report one after the other, each write retried until answered.
    let outcomes = Arc::new(Mutex::new(HashMap::<String, Outcome>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for writer in 0..4 {
        let (client, address, token, subjects, outcomes, stop) = (
            client.clone(),
            server.address.clone(),
            token.clone(),
            subjects.clone(),
            outcomes.clone(),
            stop.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let summary = format!("Umschaltung {writer}-{n}");
                let body = json!({ "query": SUBMIT, "variables": { "i": {
                    "subjectId": subjects[(writer * 5 + n) % subjects.len()],
                    "progress": n % 100, "rag": "GREEN", "summary": summary } } });
                let key = format!("failover-{}-{writer}-{n}", std::process::id());
                let outcome = write_with_retries(&client, &address, &token, &key, &body).await;
                outcomes.lock().unwrap().insert(summary, outcome);
                n += 1;
            }
        }));
    }
    let acknowledged = || acknowledged_count(&outcomes.lock().unwrap());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = acknowledged();
    assert!(before > 10, "only {before} writes before the crash");

    pair.primary.crash();
    // No primary: refused at once, and out of the load balancer.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let ready = client
        .get(format!("{}/readyz", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 503, "{}", ready.text().await.unwrap());
    let started = Instant::now();
    let refused = client
        .post(format!("{}/graphql", server.address))
        .bearer_auth(&token)
        .json(&json!({ "query": "{ me { sub } }" }))
        .send()
        .await
        .unwrap();
    let refused: Value = refused.json().await.unwrap();
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "DATABASE_UNAVAILABLE",
        "{refused}"
    );
    // Refused without waiting for a connection (DB_ACQUIRE_TIMEOUT_SECS is 5 s).
    assert!(started.elapsed() < Duration::from_secs(4));

    // The failover manager promotes the standby; the load recovers by itself.
    pair.standby.promote();
    let promoted = acknowledged();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged() < promoted + 20 {
        assert!(
            Instant::now() < deadline,
            "the load did not recover: {} writes acknowledged after the promotion",
            acknowledged() - promoted
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    let ready = client
        .get(format!("{}/readyz", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);

    // On the new primary: every acknowledged write once, none twice.
    let stored: HashMap<String, i64> = sql(
        &pair.standby.url(database),
        "SELECT summary, count(*) AS n FROM status_report WHERE summary LIKE 'Umschaltung %' GROUP BY summary",
    )
    .await
    .iter()
    .map(|row| {
        (
            row.try_get("", "summary").unwrap(),
            row.try_get("", "n").unwrap(),
        )
    })
    .collect();
    let outcomes = outcomes.lock().unwrap().clone();
    let refused: Vec<_> = outcomes
        .values()
        .filter(|outcome| matches!(outcome, Outcome::Refused(..)))
        .collect();
    assert!(
        refused.is_empty(),
        "{refused:?}\nserver log:\n{}",
        server.log_lines().join("\n")
    );
    for (summary, outcome) in &outcomes {
        let count = stored.get(summary).copied().unwrap_or(0);
        match outcome {
            Outcome::Acknowledged | Outcome::Committed => {
                assert_eq!(count, 1, "{summary} ({outcome:?}) is there {count} times");
            }
            Outcome::Unknown | Outcome::Refused(..) => {
                assert!(count <= 1, "{summary} is there {count} times");
            }
        }
    }
    assert!(
        stored.keys().all(|summary| outcomes.contains_key(summary)),
        "a write nobody sent"
    );
    eprintln!(
        "{} writes, {} acknowledged ({before} before the crash, {} after the promotion)",
        outcomes.len(),
        acknowledged_count(&outcomes),
        acknowledged_count(&outcomes) - promoted
    );
    drop(server);
    let (ok, text) = run(&pair.standby.url(database), &["audit", "verify"]);
    assert!(ok, "{text}");
}

fn acknowledged_count(outcomes: &HashMap<String, Outcome>) -> usize {
    outcomes
        .values()
        .filter(|outcome| **outcome == Outcome::Acknowledged)
        .count()
}
