//! What the slowest reads cost in SQL statements: the dashboards and the council report as the
//! SPA and the load benchmark ask for them, at most a dozen statements each, for any tenant
//! and page size.

use serde_json::json;

use crate::{
    helpers::{Backend, TestApp, spawn_app},
    on_both,
};

on_both!(
    dashboards_and_council_report_take_a_dozen_statements,
    a_first_page_counts_its_list_in_the_same_statement,
);

/// The portfolio dashboard with every field (the load benchmark's document and the risk
/// matrix), `n` rows per list.
fn portfolio_dashboard(n: i32) -> String {
    format!(
        "{{ portfolioDashboard {{ asOf reportingCycleDays measuresByStatus {{ status count }} measuresByRag {{ rag count }} projectsByStatus {{ status count }} projectsByRag {{ rag count }} riskMatrix {{ probability impact count }} byGoal {{ goal {{ code title }} rolledUpProgress measuresByStatus {{ status count }} measuresByRag {{ rag count }} projectsByStatus {{ status count }} projectsByRag {{ rag count }} }} byOrgUnit {{ orgUnit {{ code name }} measuresByStatus {{ status count }} measuresByRag {{ rag count }} projectsByStatus {{ status count }} projectsByRag {{ rag count }} }} budgetByYear {{ year planned approved spent fundedPlanned fundedApproved fundingShare }} overdueMilestones(first: {n}) {{ totalCount edges {{ node {{ code title dueDate project {{ title }} }} }} }} measuresWithoutCurrentReport(first: {n}) {{ totalCount edges {{ node {{ code title lastReportedOn }} }} }} applicationsAwaitingDecision(first: {n}) {{ totalCount edges {{ node {{ title status submittedOn }} }} }} }} }}"
    )
}

/// The department dashboard with every list, `n` rows each.
fn department_dashboard(n: i32, unit: &str) -> String {
    format!(
        "{{ departmentDashboard{unit} {{ orgUnit {{ id code name }} asOf measuresByStatus {{ status count }} measuresByRag {{ rag count }} projectsByStatus {{ status count }} projectsByRag {{ rag count }} riskMatrix {{ count }} measures(first: {n}) {{ totalCount edges {{ node {{ code title status rag progress }} }} }} projects(first: {n}) {{ totalCount edges {{ node {{ title status rag progress }} }} }} lateMeasures(first: {n}) {{ totalCount edges {{ node {{ code title dueDate }} }} }} lateProjects(first: {n}) {{ totalCount edges {{ node {{ title dueDate }} }} }} overdueMilestones(first: {n}) {{ totalCount edges {{ node {{ code title dueDate }} }} }} measuresNeedingReport(first: {n}) {{ totalCount edges {{ node {{ code title lastReportedOn }} }} }} projectsNeedingReport(first: {n}) {{ totalCount edges {{ node {{ title lastReportedOn }} }} }} }} }}"
    )
}

const COUNCIL_REPORT: &str = "{ councilReport(period: \"2026-Q3\") { tenantName period from to asOf goals { code title strategy progressStart progressEnd measuresTotal measuresCompleted milestonesAchieved milestonesMissed budget { planned approved spent } measures { code title status progressStart progressEnd ragStart ragEnd completedOn summary reportedOn } ragChanges { subjectKind code title fromRag toRag reportedOn summary } } totals { goalCount measureCount measuresCompleted milestonesAchieved milestonesMissed budget { planned approved spent } } } }";

/// The statements one request runs, and its answer.
async fn cost(app: &TestApp, token: &str, query: &str) -> (u64, serde_json::Value) {
    let before = app.statements();
    let data = app.query(token, query, json!({})).await;
    (app.statements() - before, data)
}

async fn dashboards_and_council_report_take_a_dozen_statements(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    // FB 63 has running work without a current report: its lists ask for the roll-up state.
    let department_head = app.token("department", "aachen", Some("FB 63"));
    let council = app.token("council", "aachen", None);
    app.release_live_report(&central).await;
    for n in [1, 20, 100] {
        let (portfolio, data) = cost(&app, &central, &portfolio_dashboard(n)).await;
        assert!(
            !data["portfolioDashboard"]["byGoal"]
                .as_array()
                .expect("goals")
                .is_empty()
        );
        let (department, data) = cost(&app, &department_head, &department_dashboard(n, "")).await;
        let dashboard = &data["departmentDashboard"];
        assert!(
            !dashboard["measuresNeedingReport"]["edges"]
                .as_array()
                .expect("edges")
                .is_empty()
        );
        let unit = &dashboard["orgUnit"];
        assert_eq!(unit["code"], "FB 63");
        // Central IT opening a unit's dashboard resolves the unit's subtree itself.
        let asked = format!("(orgUnitId: {})", unit["id"]);
        let (department_by_central, _) =
            cost(&app, &central, &department_dashboard(n, &asked)).await;
        let (report, data) = cost(&app, &council, COUNCIL_REPORT).await;
        assert!(
            !data["councilReport"]["goals"]
                .as_array()
                .expect("goals")
                .is_empty()
        );
        let costs = [portfolio, department, department_by_central, report];
        println!("{backend:?}, pages of {n}: {costs:?}");
        assert!(costs.iter().all(|&c| c <= 12), "pages of {n}: {costs:?}");
    }
}

async fn a_first_page_counts_its_list_in_the_same_statement(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let page = |counted: &str, after: &str| {
        format!(
            "{{ measures(first: 3{after}) {{ {counted} edges {{ cursor node {{ code }} }} }} }}"
        )
    };
    let (plain, data) = cost(&app, &central, &page("", "")).await;
    let (counted, counted_data) = cost(&app, &central, &page("totalCount", "")).await;
    assert_eq!(
        plain, counted,
        "the first page and its count: one statement"
    );
    let total = counted_data["measures"]["totalCount"]
        .as_i64()
        .expect("count");
    let (_, all) = cost(
        &app,
        &central,
        "{ measures(first: 100) { edges { node { code } } } }",
    )
    .await;
    assert_eq!(
        total,
        all["measures"]["edges"].as_array().expect("edges").len() as i64
    );
    // After a cursor the window no longer spans the list: the count is a statement of its
    // own, and still counts the whole list.
    let cursor = data["measures"]["edges"][2]["cursor"]
        .as_str()
        .expect("cursor");
    let after = format!(", after: \"{cursor}\"");
    let (later, later_data) = cost(&app, &central, &page("totalCount", &after)).await;
    assert_eq!(later, plain + 1);
    assert_eq!(later_data["measures"]["totalCount"].as_i64(), Some(total));
    // An empty first page counts nothing, and says so.
    let (_, empty) = cost(
        &app,
        &central,
        "{ measures(first: 5, filter: { search: \"no measure is called this\" }) { totalCount edges { cursor } } }",
    )
    .await;
    assert_eq!(empty["measures"]["totalCount"], 0);
}
