//! Webhooks, against a real receiver on loopback that verifies every signature with the
//! Standard Webhooks reference library (PyPI `standardwebhooks`): events arrive for reports
//! submitted, approved and returned, for status and traffic light changes, milestones,
//! decisions and publications, signed, with the event, the global id and the tenant and
//! nothing else; a write that rolls back sends nothing; an unreachable receiver is retried
//! (logged, counted in `/metrics`, never a failed write) until it answers or a day has
//! passed; a restarted server sends what was pending; bad URLs and other roles are refused.
//! On SQLite and on PostgreSQL.

mod receiver;
mod retries;

use std::time::Duration;

use api::config::{Config, Environment};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use self::receiver::{Receiver, payload};
use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app_with},
    on_both,
};

on_both!(
    events_arrive_signed_with_ids_and_nothing_else,
    a_rolled_back_write_sends_nothing,
    milestones_decisions_and_publications_are_events_too,
    bad_urls_and_other_roles_are_refused,
);

const CREATE: &str = "mutation($i: CreateWebhookInput!) { createWebhook(input: $i) \
                      { webhook { id version url events description } secret } }";
const DELIVERIES: &str = "{ webhookDeliveries(first: 100) { totalCount edges { node { id \
                          messageId webhookId event subjectId status attempts \
                          lastResponseCode lastError nextAttemptAt deliveredAt } } } }";
const SUBMIT: &str = "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) \
                      { statusReport { id version } } }";
const REVIEW: &str = "mutation($i: ApproveStatusReportInput!) { approveStatusReport(input: $i) \
                      { statusReport { id } } }";
const RETURN: &str = "mutation($i: ReturnStatusReportInput!) { returnStatusReport(input: $i) \
                      { statusReport { id } } }";

/// Quick polls and retries, and loopback allowed: the receiver runs there.
fn quick(config: &mut Config) {
    let webhooks = &mut config.webhooks;
    webhooks.webhook_allow_private = true;
    webhooks.webhook_poll = Duration::from_millis(100);
    webhooks.webhook_retry = Duration::from_millis(300);
    webhooks.webhook_overdue_check = Duration::from_millis(200);
}

/// A receiver (listening when `listening`) and a server with quick webhooks and what
/// `configure` sets; `None` when either is unavailable (outside CI).
async fn receiver_and_app(
    backend: Backend,
    listening: bool,
    configure: impl FnOnce(&mut Config),
) -> Option<(Receiver, TestApp)> {
    let mut receiver = Receiver::new()?;
    let app = spawn_app_with(backend, |config| {
        quick(config);
        configure(config);
    })
    .await?;
    if listening {
        receiver.start().await;
    }
    Some((receiver, app))
}

/// Central IT of aachen registers the receiver for `events`; the receiver learns the secret.
async fn register(app: &TestApp, receiver: &Receiver, events: &[&str]) -> Value {
    let central = app.token("central_it", "aachen", None);
    let created = app
        .query(
            &central,
            CREATE,
            json!({ "i": { "url": receiver.url(), "events": events, "description": "Ratsinformationssystem" } }),
        )
        .await["createWebhook"]
        .clone();
    let secret = created["secret"].as_str().expect("a secret");
    receiver.set_secret(secret);
    created
}

/// The tenant's deliveries as central IT reads them, newest first.
async fn deliveries(app: &TestApp) -> Vec<Value> {
    let central = app.token("central_it", "aachen", None);
    nodes(&app.query(&central, DELIVERIES, json!({})).await["webhookDeliveries"])
}

/// Waits (at most `secs`) until the deliveries satisfy `done`; returns them.
async fn deliveries_until(app: &TestApp, secs: u64, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let found = deliveries(app).await;
        if done(&found) || tokio::time::Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A running public project of aachen, and a department token of the unit that owns it.
async fn project(app: &TestApp) -> (Value, String) {
    let central = app.token("central_it", "aachen", None);
    let data = app
        .query(
            &central,
            "{ projects(first: 1, filter: { status: [IN_PROGRESS], visibility: [PUBLIC] }) \
             { edges { node { id version rag status orgUnit { id code } } } } }",
            json!({}),
        )
        .await;
    let project = nodes(&data["projects"]).remove(0);
    let owner = project["orgUnit"]["code"]
        .as_str()
        .expect("code")
        .to_owned();
    let head = app.token("department", "aachen", Some(&owner));
    (project, head)
}

fn report(project: &Value, rag: &str, summary: &str) -> Value {
    json!({ "i": { "subjectId": project["id"], "progress": 55, "rag": rag, "summary": summary,
                   "risks": "Lieferverzug", "internalNotes": "nur intern" } })
}

/// `digidash_webhook_deliveries_total` of `outcome` in `/metrics`.
async fn counted(address: &str, outcome: &str) -> u64 {
    let text = reqwest::get(format!("{address}/metrics"))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("metrics text");
    let series = format!("digidash_webhook_deliveries_total{{outcome=\"{outcome}\"}} ");
    text.lines()
        .find_map(|line| line.strip_prefix(series.as_str()))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {series} in /metrics"))
}

/// Checks a received request: verified by the reference library, the three headers, and a
/// payload of exactly the event, its time, the global id and the tenant.
fn check_signed(request: &Value) -> Value {
    assert_eq!(request["verified"], true, "{request}");
    for header in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        assert!(
            request["headers"][header].is_string(),
            "{header}: {request}"
        );
    }
    assert!(
        request["headers"]["webhook-signature"]
            .as_str()
            .unwrap()
            .starts_with("v1,")
    );
    let body = payload(request);
    let keys = |value: &Value| {
        let mut keys: Vec<String> = value
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&body), ["data", "timestamp", "type"], "{body}");
    assert_eq!(keys(&body["data"]), ["id", "tenant"], "{body}");
    assert_eq!(body["data"]["tenant"], "aachen");
    body
}

async fn events_arrive_signed_with_ids_and_nothing_else(backend: Backend) {
    let Some((receiver, app)) = receiver_and_app(backend, true, |_| {}).await else {
        return;
    };
    let created = register(
        &app,
        &receiver,
        &[
            "REPORT_SUBMITTED",
            "REPORT_APPROVED",
            "REPORT_RETURNED",
            "TRAFFIC_LIGHT_CHANGED",
        ],
    )
    .await;
    let secret = created["secret"].as_str().unwrap();
    assert!(
        secret.starts_with("whsec_") && secret.len() >= 6 + 32,
        "{secret}"
    );
    let central = app.token("central_it", "aachen", None);
    let listed = app
        .query(&central, "{ webhooks { id url events } }", json!({}))
        .await;
    assert_eq!(listed["webhooks"][0]["id"], created["webhook"]["id"]);
    assert_eq!(listed["webhooks"][0]["url"], receiver.url());

    // A department reports (review is on for aachen); central IT approves, and the traffic
    // light moves; the next report is returned.
    let (project, head) = project(&app).await;
    let rag = if project["rag"] == "RED" {
        "GREEN"
    } else {
        "RED"
    };
    let first = app
        .query(&head, SUBMIT, report(&project, rag, "Abnahme verschoben"))
        .await["submitStatusReport"]["statusReport"]
        .clone();
    app.query(
        &central,
        REVIEW,
        json!({ "i": { "id": first["id"], "version": first["version"] } }),
    )
    .await;
    let second = app
        .query(&head, SUBMIT, report(&project, rag, "Zweiter Bericht"))
        .await["submitStatusReport"]["statusReport"]
        .clone();
    app.query(
        &central,
        RETURN,
        json!({ "i": { "id": second["id"], "version": second["version"], "comment": "Bitte Risiken ergänzen" } }),
    )
    .await;

    let received = receiver.wait_for(5, 20).await;
    let mut events: Vec<(String, Value)> = received
        .iter()
        .map(|request| {
            let body = check_signed(request);
            assert!(!request["body"].as_str().unwrap().contains("nur intern"));
            (
                body["type"].as_str().unwrap().to_owned(),
                body["data"]["id"].clone(),
            )
        })
        .collect();
    events.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.to_string().cmp(&b.1.to_string())));
    let mut expected = vec![
        ("status_report.approved".to_owned(), first["id"].clone()),
        ("status_report.returned".to_owned(), second["id"].clone()),
        ("status_report.submitted".to_owned(), first["id"].clone()),
        ("status_report.submitted".to_owned(), second["id"].clone()),
        (
            "work.traffic_light_changed".to_owned(),
            project["id"].clone(),
        ),
    ];
    expected.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.to_string().cmp(&b.1.to_string())));
    assert_eq!(events, expected, "{received:?}");

    // Every delivery is listed as delivered at the first attempt, under the id it was sent with.
    let listed = deliveries_until(&app, 10, |found| {
        found.len() == 5 && found.iter().all(|d| d["status"] == "DELIVERED")
    })
    .await;
    for delivery in &listed {
        assert_eq!(delivery["attempts"], 1, "{delivery}");
        assert_eq!(delivery["lastResponseCode"], 204, "{delivery}");
        assert_eq!(delivery["webhookId"], created["webhook"]["id"]);
        assert!(
            received
                .iter()
                .any(|r| r["headers"]["webhook-id"] == delivery["messageId"]),
            "{delivery}"
        );
    }
    assert!(counted(&app.address, "delivered").await >= 5);
}

/// A fault injected at the end of every write of the tenant: the bump of its data version
/// in the write's own transaction fails, after everything else the write did.
async fn break_commits(app: &TestApp, backend: Backend, broken: bool) {
    let statements: &[&str] = match (backend, broken) {
        (Backend::Sqlite, true) => &[
            "CREATE TRIGGER injected_fault BEFORE UPDATE OF data_version \
                                      ON tenant BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
        ],
        (Backend::Sqlite, false) => &["DROP TRIGGER injected_fault"],
        (Backend::Postgres, true) => &[
            "CREATE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$",
            "CREATE TRIGGER injected_fault BEFORE UPDATE OF data_version ON tenant \
             FOR EACH ROW EXECUTE FUNCTION injected_fault()",
        ],
        (Backend::Postgres, false) => &[
            "DROP TRIGGER injected_fault ON tenant",
            "DROP FUNCTION injected_fault()",
        ],
    };
    for statement in statements {
        app.state
            .db
            .execute_unprepared(statement)
            .await
            .expect("fault trigger");
    }
}

async fn a_rolled_back_write_sends_nothing(backend: Backend) {
    let Some((receiver, app)) = receiver_and_app(backend, true, |_| {}).await else {
        return;
    };
    register(&app, &receiver, &["REPORT_SUBMITTED"]).await;
    let (project, head) = project(&app).await;

    // The report and its event are written, then the write fails and rolls back.
    break_commits(&app, backend, true).await;
    let (status, body) = app
        .post(
            Some(&head),
            json!({ "query": SUBMIT, "variables": report(&project, "AMBER", "Verworfen") }),
        )
        .await;
    assert_eq!(status, 200);
    assert!(body["errors"].is_array(), "the write must fail: {body}");
    break_commits(&app, backend, false).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(receiver.received().is_empty(), "{:?}", receiver.received());
    assert!(deliveries(&app).await.is_empty());

    // The same write committed: its event arrives, once.
    let kept = app
        .query(&head, SUBMIT, report(&project, "AMBER", "Behalten"))
        .await["submitStatusReport"]["statusReport"]
        .clone();
    let received = receiver.wait_for(1, 20).await;
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(check_signed(&received[0])["data"]["id"], kept["id"]);
}

async fn milestones_decisions_and_publications_are_events_too(backend: Backend) {
    let Some((receiver, app)) = receiver_and_app(backend, true, |_| {}).await else {
        return;
    };
    register(
        &app,
        &receiver,
        &[
            "MILESTONE_ACHIEVED",
            "MILESTONE_OVERDUE",
            "APPLICATION_DECIDED",
            "COUNCIL_REPORT_PUBLISHED",
            "STATUS_CHANGED",
        ],
    )
    .await;
    let central = app.token("central_it", "aachen", None);
    let (project, _) = project(&app).await;
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let milestone = app
        .query(
            &central,
            "mutation($i: CreateMilestoneInput!) { createMilestone(input: $i) { milestone { id version } } }",
            json!({ "i": { "projectId": project["id"], "code": "M_99", "title": "Abnahme", "dueDate": yesterday } }),
        )
        .await["createMilestone"]["milestone"]
        .clone();
    // Overdue, announced by the deliverer, and only once however often it looks.
    let of = |received: &[Value], kind: &str, id: &Value| {
        received
            .iter()
            .map(check_signed)
            .filter(|body| body["type"] == kind && body["data"]["id"] == *id)
            .count()
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while of(&receiver.received(), "milestone.overdue", &milestone["id"]) == 0
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        of(&receiver.received(), "milestone.overdue", &milestone["id"]),
        1
    );

    app.query(
        &central,
        "mutation($i: UpdateMilestoneInput!) { updateMilestone(input: $i) { milestone { id } } }",
        json!({ "i": { "id": milestone["id"], "version": milestone["version"], "achievedOn": chrono::Utc::now().date_naive().to_string() } }),
    )
    .await;
    let status = if project["status"] == "ON_HOLD" {
        "IN_PROGRESS"
    } else {
        "ON_HOLD"
    };
    let fresh = app
        .query(
            &central,
            "query($id: ID!) { node(id: $id) { ... on Project { version } } }",
            json!({ "id": project["id"] }),
        )
        .await;
    app.query(
        &central,
        "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { id } } }",
        json!({ "i": { "id": project["id"], "version": fresh["node"]["version"], "status": status } }),
    )
    .await;
    let application = app
        .query(
            &central,
            "mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }",
            json!({ "i": { "title": "Terminbuchung", "description": "Termine online buchen.", "orgUnitId": project["orgUnit"]["id"] } }),
        )
        .await["submitApplication"]["application"]["id"]
        .clone();
    app.query(
        &central,
        "mutation($i: DecideApplicationInput!) { decideApplication(input: $i) { application { id } } }",
        json!({ "i": { "id": application, "decision": "REJECTED", "note": "Kein Budget" } }),
    )
    .await;
    let published = app
        .query(
            &central,
            "mutation($i: PublishCouncilReportInput!) { publishCouncilReport(input: $i) { report { id } } }",
            json!({ "i": { "period": "2026-Q1" } }),
        )
        .await["publishCouncilReport"]["report"]["id"]
        .clone();

    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let received = receiver.received();
        let all = [
            ("milestone.achieved", &milestone["id"]),
            ("work.status_changed", &project["id"]),
            ("application.decided", &application),
            ("council_report.published", &published),
        ]
        .iter()
        .all(|(kind, id)| of(&received, kind, id) == 1);
        if all {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{received:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn bad_urls_and_other_roles_are_refused(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |config| {
        config.environment = Environment::Production;
        config.webhooks.webhook_allow_private = false;
    })
    .await
    else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let create = |url: &str, events: Value| json!({ "query": CREATE, "variables": { "i": { "url": url, "events": events } } });
    let refused = |body: &Value, field: &str, says: &str| {
        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{body}");
        assert_eq!(error["extensions"]["field"], field, "{body}");
        assert!(error["message"].as_str().unwrap().contains(says), "{body}");
        assert!(body["data"]["createWebhook"].is_null());
    };
    let events = json!(["REPORT_SUBMITTED"]);
    let (_, body) = app
        .post(
            Some(&central),
            create("http://hooks.example.org/x", events.clone()),
        )
        .await;
    refused(&body, "url", "https");
    for url in [
        "https://127.0.0.1/hooks",
        "https://localhost:8443/hooks",
        "https://10.20.30.40/hooks",
        "https://192.168.1.10/hooks",
        "https://[::1]/hooks",
        "https://169.254.169.254/latest/meta-data",
    ] {
        let (_, body) = app.post(Some(&central), create(url, events.clone())).await;
        refused(&body, "url", "private address");
    }
    let (_, body) = app
        .post(
            Some(&central),
            create("https://hooks.example.org/x", json!([])),
        )
        .await;
    refused(&body, "events", "at least one");

    // Webhooks and their deliveries are central IT's alone.
    for token in [
        app.token("department", "aachen", Some("FB 15")),
        app.token("council", "aachen", None),
    ] {
        let create = json!({ "i": { "url": "https://hooks.example.org/x", "events": ["REPORT_SUBMITTED"] } });
        for (query, variables) in [
            (CREATE, create),
            ("{ webhooks { id } }", json!({})),
            (DELIVERIES, json!({})),
        ] {
            assert_eq!(
                app.error_code(Some(&token), query, variables).await,
                "FORBIDDEN",
                "{query}"
            );
        }
    }
    assert_eq!(
        app.error_code(None, "{ webhooks { id } }", json!({})).await,
        "UNAUTHENTICATED"
    );
}
