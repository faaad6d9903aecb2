//! Where work stands today is its newest approved report by reporting date, whatever order
//! the reports came in: the roll-ups and the dashboards read it from the report flagged
//! latest (issue #21), which every write and every import must keep right.

use chrono::{Days, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
    reporting::fresh_work,
    tenants::{run, save},
};

on_both!(
    the_newest_report_counts_whatever_order_it_came_in,
    a_report_from_the_future_waits_for_its_day,
);

fn days_ago(n: u64) -> NaiveDate {
    Utc::now().date_naive() - Days::new(n)
}

async fn report_on(app: &TestApp, token: &str, subject: &Value, progress: i32, on: NaiveDate) {
    app.query(
        token,
        "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) { statusReport { id } } }",
        json!({ "i": { "subjectId": subject["id"], "progress": progress, "rag": "GREEN",
                       "summary": format!("Stand {progress} %"), "reportedOn": on.to_string() } }),
    )
    .await;
}

/// The project's progress and source, whether its measure is listed as running without a
/// current report on the portfolio dashboard, and whether the project is listed as needing a
/// report on its department's dashboard.
async fn standing(app: &TestApp, project: &Value) -> (Value, Value, bool, bool) {
    let central = app.token("central_it", "aachen", None);
    let state = app
        .query(
            &central,
            "query($p: ID!) { node(id: $p) { ... on Project { rolledUpProgress progressSource } } \
             portfolioDashboard { measuresWithoutCurrentReport(first: 100) { edges { node { code } } } } }",
            json!({ "p": project["id"] }),
        )
        .await;
    let listed = nodes(&state["portfolioDashboard"]["measuresWithoutCurrentReport"])
        .iter()
        .any(|m| m["code"] == "T-1");
    let department = app.token("department", "aachen", Some("FB 36"));
    let board = app
        .query(
            &department,
            "{ departmentDashboard { projectsNeedingReport(first: 100) { edges { node { id } } } } }",
            json!({}),
        )
        .await;
    let owing = nodes(&board["departmentDashboard"]["projectsNeedingReport"])
        .iter()
        .any(|p| p["id"] == project["id"]);
    (
        state["node"]["rolledUpProgress"].clone(),
        state["node"]["progressSource"].clone(),
        listed,
        owing,
    )
}

async fn the_newest_report_counts_whatever_order_it_came_in(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let (_, project, subs) = fresh_work(&app, &central).await;
    // Older than the reporting cycle (90 days): the running measure and project owe a report.
    report_on(&app, &central, &project, 20, days_ago(200)).await;
    assert_eq!(
        standing(&app, &project).await,
        (json!(20), json!("REPORTED"), true, true)
    );
    // A current report on a sub-project is a current report below the project and the
    // measure; the project's own report still says where it stands.
    report_on(&app, &central, &subs[0], 50, days_ago(2)).await;
    assert_eq!(
        standing(&app, &project).await,
        (json!(20), json!("REPORTED"), false, false)
    );
    report_on(&app, &central, &project, 60, days_ago(1)).await;
    assert_eq!(
        standing(&app, &project).await,
        (json!(60), json!("REPORTED"), false, false)
    );
    // A report filed late for an earlier day changes neither the standing nor the lists.
    report_on(&app, &central, &project, 90, days_ago(300)).await;
    assert_eq!(
        standing(&app, &project).await,
        (json!(60), json!("REPORTED"), false, false),
        "a backdated report must not become the latest"
    );
    // Two reports of one day: the later one counts.
    report_on(&app, &central, &project, 70, days_ago(1)).await;
    assert_eq!(
        standing(&app, &project).await,
        (json!(70), json!("REPORTED"), false, false)
    );
}

async fn a_report_from_the_future_waits_for_its_day(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let url = app.database_url().to_owned();
    let central = app.token("central_it", "aachen", None);
    let (_, project, _) = fresh_work(&app, &central).await;
    report_on(&app, &central, &project, 40, days_ago(1)).await;

    // Another installation's clock ran ahead: its file holds a report dated next month, the
    // newest of the project, which no submission here could have written.
    let (ok, text) = run(&url, &["tenant", "export", "aachen"]);
    assert!(ok, "{text}");
    let mut file: Value = serde_json::from_str(&text).expect("tenant file");
    let reports = file["tables"]["status_report"]
        .as_array_mut()
        .expect("reports");
    let next_id = reports
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .max()
        .unwrap()
        + 1;
    let mut ahead = reports
        .iter()
        .find(|r| r["summary"] == "Stand 40 %")
        .expect("the report of yesterday")
        .clone();
    ahead["id"] = json!(next_id);
    ahead["reported_on"] = json!((Utc::now().date_naive() + Days::new(30)).to_string());
    ahead["progress"] = json!(95);
    ahead["summary"] = json!("Stand 95 %");
    reports.push(ahead);
    let path = save(&file.to_string());
    let (ok, text) = run(
        &url,
        &[
            "tenant",
            "import",
            path.to_str().unwrap(),
            "--key",
            "aachen-voraus",
        ],
    );
    assert!(ok, "{text}");

    let copy = app.token("central_it", "aachen-voraus", None);
    let found = app
        .query(
            &copy,
            "{ projects(filter: { search: \"Roll-up project\" }) { edges { node { rolledUpProgress progressSource statusReports(first: 5) { edges { node { progress } } } } } } }",
            json!({}),
        )
        .await;
    let copied = &nodes(&found["projects"])[0];
    assert_eq!(
        nodes(&copied["statusReports"]).len(),
        2,
        "both reports were imported"
    );
    assert_eq!(
        (
            copied["rolledUpProgress"].clone(),
            copied["progressSource"].clone()
        ),
        (json!(40), json!("REPORTED")),
        "today, the report of yesterday counts, not the one of next month"
    );
}
