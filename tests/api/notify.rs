//! Reminders by e-mail through `digidash notify [--dry-run]`: each recipient gets one digest
//! a day (SMTP_URL, MAIL_FROM, APP_URL) with what they may see, from a real SMTP server on
//! loopback that reads every message back ([`crate::smtp`]). The daily run in `digidash
//! serve` is in [`crate::notify_schedule`].

use chrono::{Days, Utc};
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, SECRET, TestApp, nodes, spawn_app},
    on_both,
    smtp::{SmtpServer, unreachable_url},
};

on_both!(
    each_recipient_gets_one_digest_a_day_with_what_they_may_see,
    an_unreachable_smtp_server_fails_the_run_and_records_nothing,
);

pub(crate) const APP_URL: &str = "https://digidash.aachen.example";
pub(crate) const MAIL_FROM: &str = "digidash Aachen <digidash@aachen.example>";
const ANNA: &str = "anna.schmidt@aachen.example";
const BERND: &str = "bernd.krueger@aachen.example";
/// The demo tenant's steering address (`TenantSettings.steeringEmail`).
pub(crate) const STEERING: &str = "IT-Management@mail.aachen.de";

/// Runs `digidash notify` with `args` on `database`; exit code, stdout and stderr.
async fn notify(database: &str, smtp: Option<&str>, args: &[&str]) -> (i32, String, String) {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_digidash"));
    command
        .arg("notify")
        .args(args)
        .env("DATABASE_URL", database)
        .env("JWT_SECRET", SECRET)
        .env("MAIL_FROM", MAIL_FROM)
        .env("APP_URL", APP_URL)
        .env("RUST_LOG", "warn")
        .env_remove("SMTP_URL");
    if let Some(smtp) = smtp {
        command.env("SMTP_URL", smtp);
    }
    let output = command.output().await.expect("run digidash notify");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// What `digidash notify --dry-run --tenant aachen` prints.
async fn dry_run(database: &str) -> String {
    let (code, out, err) = notify(database, None, &["--dry-run", "--tenant", "aachen"]).await;
    assert_eq!(code, 0, "{err}");
    out
}

/// The id and version of the unit `code`.
async fn unit(app: &TestApp, central: &str, code: &str) -> Value {
    let data = app
        .query(
            central,
            "query($c: String!) { orgUnits(first: 20, filter: { search: $c }) { edges { node { id code version } } } }",
            json!({ "c": code }),
        )
        .await;
    nodes(&data["orgUnits"])
        .into_iter()
        .find(|u| u["code"] == code)
        .unwrap_or_else(|| panic!("unit {code}"))
}

async fn set_lead(app: &TestApp, central: &str, code: &str, name: &str, email: &str) {
    let unit = unit(app, central, code).await;
    app.query(
        central,
        "mutation($i: UpdateOrgUnitInput!) { updateOrgUnit(input: $i) { orgUnit { id } } }",
        json!({ "i": { "id": unit["id"], "version": unit["version"], "lead": { "name": name, "email": email } } }),
    )
    .await;
}

/// The project `code` as central IT reads it.
async fn project(app: &TestApp, central: &str, code: &str) -> Value {
    let data = app
        .query(
            central,
            "{ projects(first: 100, filter: { includeArchived: true }) { edges { node { id code title rag } } } }",
            json!({}),
        )
        .await;
    nodes(&data["projects"])
        .into_iter()
        .find(|p| p["code"] == code)
        .unwrap_or_else(|| panic!("project {code}"))
}

async fn milestone(
    app: &TestApp,
    token: &str,
    project: &Value,
    code: &str,
    title: &str,
    in_days: u64,
) {
    let due = Utc::now()
        .date_naive()
        .checked_add_days(Days::new(in_days))
        .expect("a date");
    app.query(
        token,
        "mutation($i: CreateMilestoneInput!) { createMilestone(input: $i) { milestone { id } } }",
        json!({ "i": { "projectId": project["id"], "code": code, "title": title, "dueDate": due.to_string() } }),
    )
    .await;
}

/// A report by `token` on `subject`; its id and version.
async fn report(app: &TestApp, token: &str, subject: &Value, rag: &str, summary: &str) -> Value {
    app.query(
        token,
        "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) { statusReport { id version reviewState } } }",
        json!({ "i": { "subjectId": subject["id"], "progress": 40, "rag": rag, "summary": summary } }),
    )
    .await["submitStatusReport"]["statusReport"]
        .clone()
}

/// Aachen with two leads and something for each recipient: FB 36's lead gets a milestone of
/// its project and a returned report; FB 15's lead a milestone of its project and one of its
/// draft project (which FB 36 may not see); the steering address a report awaiting review
/// and a changed traffic light. Returns the global id of FB 36's project.
async fn scenario(app: &TestApp) -> String {
    let central = app.token("central_it", "aachen", None);
    let fb36 = app.token("department", "aachen", Some("FB 36"));
    let fb15 = app.token("department", "aachen", Some("FB 15"));
    set_lead(app, &central, "FB 36", "Anna Schmidt", ANNA).await;
    set_lead(app, &central, "FB 15", "Bernd Krüger", BERND).await;
    let klima = project(app, &central, "KLIMA-MON").await;
    let portal = project(app, &central, "PORTAL-50").await;
    let eakte = project(app, &central, "EAKTE-ROLL").await;
    let draft = project(app, &central, "KI-ASSIST").await;
    milestone(
        app,
        &fb36,
        &klima,
        "M_T1",
        "Freigabe <Entwurf> & Klimadashboard",
        3,
    )
    .await;
    milestone(
        app,
        &fb15,
        &portal,
        "M_T2",
        "Vergabe Serviceportal-Betrieb",
        5,
    )
    .await;
    milestone(
        app,
        &central,
        &draft,
        "M_T3",
        "Pilotfreigabe KI-Assistent",
        2,
    )
    .await;

    let returned = report(app, &fb36, &klima, "AMBER", "Zwischenstand Klima-Monitor").await;
    app.query(
        &central,
        "mutation($i: ReturnStatusReportInput!) { returnStatusReport(input: $i) { statusReport { id } } }",
        json!({ "i": { "id": returned["id"], "version": returned["version"], "comment": "Bitte Budgetangaben ergänzen" } }),
    )
    .await;
    let pending = report(
        app,
        &fb15,
        &portal,
        "GREEN",
        "Portal: 38 von 50 Leistungen online",
    )
    .await;
    assert_eq!(pending["reviewState"], "SUBMITTED");
    let changed = if eakte["rag"] == "RED" {
        "GREEN"
    } else {
        "RED"
    };
    let approved = report(app, &fb15, &eakte, changed, "E-Akte: Rollout verzögert").await;
    app.query(
        &central,
        "mutation($i: ApproveStatusReportInput!) { approveStatusReport(input: $i) { statusReport { id } } }",
        json!({ "i": { "id": approved["id"], "version": approved["version"] } }),
    )
    .await;
    klima["id"].as_str().expect("id").to_owned()
}

fn text(message: &Value) -> &str {
    message["text"].as_str().expect("a plain-text part")
}

fn html(message: &Value) -> &str {
    message["html"].as_str().expect("an HTML part")
}

async fn each_recipient_gets_one_digest_a_day_with_what_they_may_see(backend: Backend) {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let klima = scenario(&app).await;

    // A dry run prints what would go out, and sends and records nothing.
    let out = dry_run(app.database_url()).await;
    for needle in [
        "To: anna.schmidt@aachen.example",
        "To: bernd.krueger@aachen.example",
        "To: IT-Management@mail.aachen.de",
        "From: digidash Aachen <digidash@aachen.example>",
        "Subject: digidash: Ihre Übersicht vom ",
        "M_T1 Freigabe <Entwurf> & Klimadashboard",
        "nothing was sent or recorded",
    ] {
        assert!(out.contains(needle), "{needle} missing in\n{out}");
    }
    assert!(smtp.messages().is_empty());

    let (code, out, err) = notify(app.database_url(), Some(&smtp.url()), &[]).await;
    assert_eq!(code, 0, "{out}\n{err}");
    let sent = smtp.one_per_recipient();
    assert!(sent >= 3, "{out}");

    let anna = smtp.to(ANNA);
    let anna = &anna[0];
    assert_eq!(anna["from"], MAIL_FROM);
    assert_eq!(anna["to"], format!("Anna Schmidt <{ANNA}>"));
    assert_eq!(anna["content_type"], "multipart/alternative");
    let subject = anna["subject"].as_str().expect("subject");
    assert!(
        subject.starts_with("digidash: Ihre Übersicht vom ") && subject.ends_with("– Stadt Aachen"),
        "{subject}"
    );
    let body = text(anna);
    for needle in [
        "Guten Tag Anna Schmidt,",
        "FB 36 ",
        "Meilensteine: überfällig oder in den nächsten 14 Tagen fällig",
        "M_T1 Freigabe <Entwurf> & Klimadashboard",
        "Projekt KLIMA-MON Digitaler Klimaschutz-Monitor Aachen",
        "Zurückgegebene Statusberichte",
        "Anmerkung: Bitte Budgetangaben ergänzen",
        &format!("{APP_URL}/projects/{klima}"),
    ] {
        assert!(body.contains(needle), "{needle} missing in\n{body}");
    }
    // Not hers: another unit's milestones, its draft, central IT's lists.
    for absent in [
        "M_T2",
        "M_T3",
        "KI-Assistent",
        "Prüfung warten",
        "Ampeln",
        "Anträge",
    ] {
        assert!(
            !body.contains(absent),
            "{absent} in FB 36's digest:\n{body}"
        );
    }
    let page = html(anna);
    assert!(
        page.contains("Freigabe &lt;Entwurf&gt; &amp; Klimadashboard"),
        "{page}"
    );
    assert!(!page.contains("<Entwurf>"), "{page}");
    assert!(
        page.contains(&format!("href=\"{APP_URL}/projects/{klima}\"")),
        "{page}"
    );

    let bernd = text(&smtp.to(BERND)[0]).to_owned();
    for needle in [
        "M_T2 Vergabe Serviceportal-Betrieb",
        "M_T3 Pilotfreigabe KI-Assistent",
    ] {
        assert!(bernd.contains(needle), "{needle} missing in\n{bernd}");
    }
    assert!(!bernd.contains("M_T1"), "{bernd}");

    let steering = text(&smtp.to(STEERING)[0]).to_owned();
    for needle in [
        "Statusberichte, die auf Ihre Prüfung warten",
        "Projekt PORTAL-50 Serviceportal Aachen",
        "Geänderte Ampeln der letzten 7 Tage",
        "Projekt EAKTE-ROLL Gesamtstädtischer Rollout der E-Akte",
        "Anträge, über die",
    ] {
        assert!(steering.contains(needle), "{needle} missing in\n{steering}");
    }
    assert!(!steering.contains("M_T1"), "{steering}");

    // The same day again: nothing goes out twice.
    let (code, out, err) = notify(app.database_url(), Some(&smtp.url()), &[]).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(" 0 sent, 0 failed, "), "{out}");
    assert!(out.contains(&format!("{sent} already sent today")), "{out}");
    assert_eq!(smtp.messages().len(), sent);
    let out = dry_run(app.database_url()).await;
    assert!(
        out.contains(&format!("{ANNA} – sent today already")),
        "{out}"
    );
}

async fn an_unreachable_smtp_server_fails_the_run_and_records_nothing(backend: Backend) {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    set_lead(&app, &central, "FB 36", "Anna Schmidt", ANNA).await;
    // A new unit owns no work yet: its lead gets no digest.
    app.query(
        &central,
        "mutation { createOrgUnit(input: { code: \"FB 99\", name: \"Stabsstelle Neu\", kind: DIVISION, \
         lead: { name: \"Clara Neu\", email: \"clara.neu@aachen.example\" } }) { orgUnit { id } } }",
        json!({}),
    )
    .await;

    // The steering address also leads a unit (spelt otherwise): one digest with both parts.
    set_lead(
        &app,
        &central,
        "FB 15/200",
        "IT-Management",
        "it-management@MAIL.aachen.de",
    )
    .await;
    let portal = project(&app, &central, "PORTAL-50").await;
    milestone(
        &app,
        &central,
        &portal,
        "M_T4",
        "Abnahme Bezahlschnittstelle",
        4,
    )
    .await;

    let (code, out, err) = notify(app.database_url(), Some(&unreachable_url().await), &[]).await;
    assert_ne!(code, 0, "{out}");
    assert!(out.contains(" 0 sent, "), "{out}");
    assert!(err.contains("could not be sent"), "{err}");
    assert!(err.contains("unreachable"), "the log says why: {err}");

    // Nothing was recorded as sent: the next run with a server sends everything.
    let (code, out, err) = notify(app.database_url(), Some(&smtp.url()), &[]).await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains(" 0 already sent today"), "{out}");
    assert_eq!(smtp.to(ANNA).len(), 1);
    smtp.one_per_recipient();
    let steering: Vec<Value> = smtp
        .messages()
        .into_iter()
        .filter(|m| {
            m["rcpt_tos"]
                .to_string()
                .to_lowercase()
                .contains(&STEERING.to_lowercase())
        })
        .collect();
    assert_eq!(steering.len(), 1);
    let both = text(&steering[0]);
    assert!(both.contains("M_T4 Abnahme Bezahlschnittstelle"), "{both}");
    assert!(both.contains("Anträge, über die"), "{both}");
    assert!(smtp.to("clara.neu@aachen.example").is_empty());
    let out = dry_run(app.database_url()).await;
    assert!(
        out.contains("clara.neu@aachen.example – nothing due, no digest"),
        "{out}"
    );

    // Without SMTP_URL the command says what is missing.
    let (code, _, err) = notify(app.database_url(), None, &[]).await;
    assert_ne!(code, 0);
    assert!(err.contains("SMTP_URL is not set"), "{err}");
}
