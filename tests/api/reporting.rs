//! Dashboards, roll-ups, history, the council report and the reuse catalogue.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app, spawn_app_with},
    on_both,
};

on_both!(
    portfolio_counts_agree_with_the_lists,
    dashboards_belong_to_their_roles,
    department_dashboard_covers_the_subtree,
    progress_rolls_up_from_reports,
    warnings_and_history_follow_the_data,
    roll_ups_cost_the_same_statements_for_any_page,
    council_report_shows_what_the_council_sees,
    council_figures_agree_with_the_lists,
    published_council_reports_never_change,
    reuse_catalogue_spans_tenants,
    goals_keep_their_order_after_an_edit,
);

const STATUSES: [&str; 6] = [
    "DRAFT",
    "PLANNED",
    "IN_PROGRESS",
    "ON_HOLD",
    "COMPLETED",
    "CANCELLED",
];

fn count_of(list: &Value, key: &str, value: &str) -> i64 {
    list.as_array()
        .expect("a list of counts")
        .iter()
        .find(|entry| entry[key] == value)
        .and_then(|entry| entry["count"].as_i64())
        .unwrap_or_else(|| panic!("{value} missing in {list}"))
}

/// `totalCount` of `measures` or `projects` under `filter`.
async fn total(app: &TestApp, token: &str, list: &str, filter: Value) -> i64 {
    let kind = if list == "measures" {
        "Measure"
    } else {
        "Project"
    };
    let query = format!("query($f: {kind}Filter) {{ {list}(filter: $f) {{ totalCount }} }}");
    app.query(token, &query, json!({ "f": filter })).await[list]["totalCount"]
        .as_i64()
        .expect("count")
}

async fn portfolio_counts_agree_with_the_lists(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let dashboard = app
        .query(
            &central,
            "{ portfolioDashboard { measuresByStatus { status count } measuresByRag { rag count } projectsByStatus { status count } projectsByRag { rag count } byGoal { goal { id } measuresByStatus { status count } projectsByStatus { status count } projectsByRag { rag count } } byOrgUnit { orgUnit { id } projectsByStatus { status count } } budgetByYear { year planned approved spent fundedApproved fundingShare } } }",
            json!({}),
        )
        .await["portfolioDashboard"]
        .clone();
    for status in STATUSES {
        assert_eq!(
            count_of(&dashboard["measuresByStatus"], "status", status),
            total(&app, &central, "measures", json!({ "status": [status] })).await,
            "measures {status}"
        );
        assert_eq!(
            count_of(&dashboard["projectsByStatus"], "status", status),
            total(&app, &central, "projects", json!({ "status": [status] })).await,
            "projects {status}"
        );
    }
    for rag in ["GREEN", "AMBER", "RED"] {
        assert_eq!(
            count_of(&dashboard["measuresByRag"], "rag", rag),
            total(&app, &central, "measures", json!({ "rag": [rag] })).await
        );
        assert_eq!(
            count_of(&dashboard["projectsByRag"], "rag", rag),
            total(&app, &central, "projects", json!({ "rag": [rag] })).await
        );
    }
    // Per goal: the counts add up to the goal's measures, and to the projects of its measures.
    let goals = dashboard["byGoal"].as_array().expect("goals");
    assert!(goals.len() > 5);
    let mut projects_by_goal = 0;
    for goal in goals {
        let sum: i64 = STATUSES
            .iter()
            .map(|s| count_of(&goal["measuresByStatus"], "status", s))
            .sum();
        let filter = json!({ "goalId": goal["goal"]["id"] });
        assert_eq!(sum, total(&app, &central, "measures", filter.clone()).await);
        let projects = total(&app, &central, "projects", filter).await;
        let by_status: i64 = STATUSES
            .iter()
            .map(|s| count_of(&goal["projectsByStatus"], "status", s))
            .sum();
        let by_rag: i64 = ["GREEN", "AMBER", "RED"]
            .iter()
            .map(|r| count_of(&goal["projectsByRag"], "rag", r))
            .sum();
        assert_eq!(
            (by_status, by_rag),
            (projects, projects),
            "projects of {goal}"
        );
        projects_by_goal += projects;
    }
    assert!(projects_by_goal > 0);
    // Per org unit (the unit itself, not its subtree).
    for unit in dashboard["byOrgUnit"].as_array().expect("units") {
        let sum: i64 = STATUSES
            .iter()
            .map(|s| count_of(&unit["projectsByStatus"], "status", s))
            .sum();
        assert_eq!(
            sum,
            total(
                &app,
                &central,
                "projects",
                json!({ "orgUnitId": unit["orgUnit"]["id"], "includeSubUnits": false })
            )
            .await
        );
    }
    // Budget per year equals the sum of the projects' budget lines of that year.
    let lines = app
        .query(
            &central,
            "{ projects(first: 100) { edges { node { budgetLines { year source planned approved spent } } } } }",
            json!({}),
        )
        .await;
    let mut approved_2026 = 0.0;
    let mut funded_2026 = 0.0;
    for project in nodes(&lines["projects"]) {
        for line in project["budgetLines"].as_array().expect("lines") {
            if line["year"] == 2026 {
                let approved: f64 = line["approved"].as_str().unwrap().parse().unwrap();
                approved_2026 += approved;
                if line["source"] == "FUNDING" {
                    funded_2026 += approved;
                }
            }
        }
    }
    let year = dashboard["budgetByYear"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2026)
        .expect("2026");
    let approved: f64 = year["approved"].as_str().unwrap().parse().unwrap();
    assert!((approved - approved_2026).abs() < 0.01, "{year}");
    let funded: f64 = year["fundedApproved"].as_str().unwrap().parse().unwrap();
    assert!((funded - funded_2026).abs() < 0.01, "{year}");
    assert!(approved_2026 > 0.0);
}

async fn dashboards_belong_to_their_roles(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let query = "{ portfolioDashboard { asOf } }";
    for (role, unit) in [("department", Some("FB 36")), ("council", None)] {
        let token = app.token(role, "aachen", unit);
        assert_eq!(
            app.error_code(Some(&token), query, json!({})).await,
            "FORBIDDEN",
            "{role}"
        );
    }
    let council = app.token("council", "aachen", None);
    for query in [
        "{ departmentDashboard { asOf } }",
        "{ councilReport(period: \"2026-Q3\") { period } }",
    ] {
        assert_eq!(
            app.error_code(Some(&council), query, json!({})).await,
            "FORBIDDEN",
            "{query}"
        );
    }
    let department = app.token("department", "aachen", Some("FB 36"));
    for query in [
        "{ councilReport(period: \"2026-Q3\") { period } }",
        "{ councilReports { period } }",
    ] {
        assert_eq!(
            app.error_code(Some(&department), query, json!({})).await,
            "FORBIDDEN"
        );
    }
    // A department asking for a unit outside its subtree.
    let central = app.token("central_it", "aachen", None);
    let units = app
        .query(
            &central,
            "{ orgUnits(first: 100) { edges { node { id code } } } }",
            json!({}),
        )
        .await;
    let other = nodes(&units["orgUnits"])
        .into_iter()
        .find(|u| u["code"] == "FB 15")
        .expect("FB 15");
    assert_eq!(
        app.error_code(
            Some(&department),
            "query($u: ID) { departmentDashboard(orgUnitId: $u) { asOf } }",
            json!({ "u": other["id"] })
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.error_code(
            Some(&central),
            "{ councilReport(period: \"2026-Q9\") { period } }",
            json!({})
        )
        .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.error_code(
            Some(&central),
            "{ councilReport(period: \"2026-Q3\", asOf: \"2026-10-15\") { period } }",
            json!({})
        )
        .await,
        "BAD_USER_INPUT"
    );
}

async fn department_dashboard_covers_the_subtree(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let department = app.token("department", "aachen", Some("FB 36"));
    let dashboard = app
        .query(
            &department,
            "{ me { orgUnit { id } } departmentDashboard { orgUnit { code } measuresByStatus { status count } measures(first: 100) { totalCount edges { node { number viewerCanEdit rolledUpProgress derivedRag nextMilestone { code } } } } projects(first: 100) { totalCount edges { node { title viewerCanEdit } } } lateMeasures { totalCount } lateProjects { totalCount } overdueMilestones { totalCount } measuresNeedingReport { totalCount } projectsNeedingReport { totalCount } } }",
            json!({}),
        )
        .await;
    let board = &dashboard["departmentDashboard"];
    assert_eq!(board["orgUnit"]["code"], "FB 36");
    let measures = nodes(&board["measures"]);
    assert!(!measures.is_empty(), "FB 36 owns measures: {board}");
    // Everything listed is the department's own: it may edit all of it.
    for measure in &measures {
        assert_eq!(measure["viewerCanEdit"], true, "{measure}");
    }
    for project in nodes(&board["projects"]) {
        assert_eq!(project["viewerCanEdit"], true, "{project}");
    }
    let own = app
        .query(
            &department,
            "query($u: ID) { measures(filter: { orgUnitId: $u }) { totalCount } }",
            json!({ "u": dashboard["me"]["orgUnit"]["id"] }),
        )
        .await;
    assert_eq!(
        board["measures"]["totalCount"],
        own["measures"]["totalCount"]
    );
    let sum: i64 = STATUSES
        .iter()
        .map(|s| count_of(&board["measuresByStatus"], "status", s))
        .sum();
    assert_eq!(Some(sum), board["measures"]["totalCount"].as_i64());
    // Central IT may open the same dashboard by id.
    let central = app.token("central_it", "aachen", None);
    let same = app
        .query(
            &central,
            "query($u: ID) { departmentDashboard(orgUnitId: $u) { measures(first: 100) { totalCount } } }",
            json!({ "u": dashboard["me"]["orgUnit"]["id"] }),
        )
        .await;
    assert_eq!(
        same["departmentDashboard"]["measures"]["totalCount"],
        board["measures"]["totalCount"]
    );
}

/// Creates a running measure with one project of two sub-projects (central IT).
pub(crate) async fn fresh_work(app: &TestApp, central: &str) -> (Value, Value, Vec<Value>) {
    let unit = app
        .query(central, "{ orgUnits(first: 1, filter: { search: \"FB 36\" }) { edges { node { id } } } goals(first: 1) { edges { node { id } } } }", json!({}))
        .await;
    let unit_id = nodes(&unit["orgUnits"])[0]["id"].clone();
    let goal_id = nodes(&unit["goals"])[0]["id"].clone();
    let measure = app
        .query(
            central,
            "mutation($i: CreateMeasureInput!) { createMeasure(input: $i) { measure { id } } }",
            json!({ "i": { "number": "T-1", "title": "Roll-up test", "orgUnitId": unit_id, "goalIds": [goal_id], "status": "IN_PROGRESS", "visibility": "COUNCIL" } }),
        )
        .await["createMeasure"]["measure"]
        .clone();
    let project = app
        .query(
            central,
            "mutation($i: CreateProjectInput!) { createProject(input: $i) { project { id } } }",
            json!({ "i": { "title": "Roll-up project", "orgUnitId": unit_id, "measureId": measure["id"], "status": "IN_PROGRESS", "visibility": "COUNCIL" } }),
        )
        .await["createProject"]["project"]
        .clone();
    let mut subs = Vec::new();
    for title in ["Teil A", "Teil B"] {
        subs.push(
            app.query(
                central,
                "mutation($i: CreateSubProjectInput!) { createSubProject(input: $i) { subProject { id } } }",
                json!({ "i": { "projectId": project["id"], "title": title, "status": "IN_PROGRESS", "visibility": "COUNCIL" } }),
            )
            .await["createSubProject"]["subProject"]
                .clone(),
        );
    }
    (measure, project, subs)
}

pub(crate) async fn report(app: &TestApp, token: &str, subject: &Value, progress: i32, rag: &str) {
    app.query(
        token,
        "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) { statusReport { id } } }",
        json!({ "i": { "subjectId": subject["id"], "progress": progress, "rag": rag, "summary": format!("Stand {progress} %") } }),
    )
    .await;
}

async fn progress_rolls_up_from_reports(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let (measure, project, subs) = fresh_work(&app, &central).await;
    let read = "query($m: ID!, $p: ID!) { m: node(id: $m) { ... on Measure { rolledUpProgress progressSource } } p: node(id: $p) { ... on Project { rolledUpProgress progressSource } } }";
    let vars = json!({ "m": measure["id"], "p": project["id"] });
    let state = app.query(&central, read, vars.clone()).await;
    assert_eq!(state["p"]["progressSource"], "NONE");
    assert_eq!(state["p"]["rolledUpProgress"], Value::Null);
    report(&app, &central, &subs[0], 80, "GREEN").await;
    let state = app.query(&central, read, vars.clone()).await;
    // 80 and an unreported sibling (0) have the mean 40; the measure follows its project.
    assert_eq!(state["p"]["rolledUpProgress"], 40);
    assert_eq!(state["p"]["progressSource"], "ROLLED_UP");
    assert_eq!(state["m"]["rolledUpProgress"], 40);
    report(&app, &central, &subs[1], 31, "AMBER").await;
    let state = app.query(&central, read, vars.clone()).await;
    assert_eq!(
        state["p"]["rolledUpProgress"], 56,
        "80 and 31: 55.5 rounds up"
    );
    // The project's own report wins over its sub-projects.
    report(&app, &central, &project, 10, "RED").await;
    let state = app.query(&central, read, vars.clone()).await;
    assert_eq!(state["p"]["rolledUpProgress"], 10);
    assert_eq!(state["p"]["progressSource"], "REPORTED");
    assert_eq!(state["m"]["rolledUpProgress"], 10);
    assert_eq!(state["m"]["progressSource"], "ROLLED_UP");
}

async fn warnings_and_history_follow_the_data(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let (measure, project, _) = fresh_work(&app, &central).await;
    let read = "query($p: ID!) { node(id: $p) { ... on Project { rag derivedRag warnings { kind count } lastReportedOn progressHistory(from: \"2026-01-01\") { date progress } } } }";
    let vars = json!({ "p": project["id"] });
    let state = app.query(&central, read, vars.clone()).await["node"].clone();
    // Running without any report.
    assert_eq!(
        state["warnings"],
        json!([{ "kind": "REPORT_OVERDUE", "count": 0 }])
    );
    assert_eq!(state["derivedRag"], "AMBER");
    report(&app, &central, &project, 20, "GREEN").await;
    app.query(
        &central,
        "mutation($i: CreateMilestoneInput!) { createMilestone(input: $i) { milestone { id } } }",
        json!({ "i": { "projectId": project["id"], "code": "T-M1", "title": "Abnahme", "dueDate": "2026-01-15" } }),
    )
    .await;
    let state = app.query(&central, read, vars.clone()).await["node"].clone();
    assert_eq!(
        state["warnings"],
        json!([{ "kind": "OVERDUE_MILESTONES", "count": 1 }])
    );
    assert_eq!(state["rag"], "GREEN");
    assert_eq!(state["derivedRag"], "AMBER");
    let history = state["progressHistory"].as_array().expect("history");
    // Month ends from January to October, then today.
    assert!(history.len() >= 11, "{history:?}");
    assert_eq!(history[0]["date"], "2026-01-31");
    assert_eq!(history[0]["progress"], Value::Null);
    assert_eq!(history.last().unwrap()["progress"], 20);
    assert_eq!(history.last().unwrap()["date"], state["lastReportedOn"]);
    // The measure sees its project's overdue milestone too.
    let measure_state = app
        .query(
            &central,
            "query($m: ID!) { node(id: $m) { ... on Measure { warnings { kind } nextMilestone { code } } } }",
            json!({ "m": measure["id"] }),
        )
        .await;
    assert_eq!(measure_state["node"]["nextMilestone"]["code"], "T-M1");
    assert_eq!(
        measure_state["node"]["warnings"],
        json!([{ "kind": "OVERDUE_MILESTONES" }])
    );
    // The portfolio lists the overdue milestone.
    let overdue = app
        .query(
            &central,
            "{ portfolioDashboard { overdueMilestones(first: 100) { edges { node { code } } } } }",
            json!({}),
        )
        .await;
    assert!(
        nodes(&overdue["portfolioDashboard"]["overdueMilestones"])
            .iter()
            .any(|m| m["code"] == "T-M1")
    );
    assert_eq!(
        app.error_code(
            Some(&central),
            "query($p: ID!) { node(id: $p) { ... on Project { progressHistory(from: \"2026-05-01\", to: \"2026-04-01\") { date } } } }",
            vars
        )
        .await,
        "BAD_USER_INPUT"
    );
}

async fn roll_ups_cost_the_same_statements_for_any_page(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let query = |n: i32| {
        format!(
            "{{ measures(first: {n}) {{ edges {{ node {{ number rolledUpProgress derivedRag warnings {{ kind }} nextMilestone {{ code }} projects {{ edges {{ node {{ rolledUpProgress warnings {{ kind }} }} }} }} }} }} }} goals(first: {n}) {{ edges {{ node {{ rolledUpProgress progressHistory {{ progress }} }} }} }} }}"
        )
    };
    let mut counts = Vec::new();
    for n in [2, 12] {
        let before = app.statements();
        app.query(&central, &query(n), json!({})).await;
        counts.push(app.statements() - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "statements grow with the page: {counts:?}"
    );
    assert!(counts[0] <= 20, "{counts:?}");
}

async fn council_report_shows_what_the_council_sees(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let council = app.token("council", "aachen", None);
    let query = "{ councilReport(period: \"2026-Q3\") { period from to asOf totals { goals measures milestonesAchieved milestonesMissed budget { planned approved spent } } goals { code progressStart progressEnd measuresTotal milestonesAchieved milestonesMissed budget { approved } measures { number progressStart progressEnd ragEnd summary } ragChanges { kind title fromRag toRag summary } } } }";
    let report = app.query(&central, query, json!({})).await["councilReport"].clone();
    assert_eq!(report["period"], "2026-Q3");
    assert_eq!(report["from"], "2026-07-01");
    assert_eq!(report["asOf"], "2026-09-30");
    // Only what the council sees: every measure in the report is in the council's list,
    // and every council-visible measure derived from a goal is in the report.
    let visible = app
        .query(
            &council,
            "{ measures(first: 100) { edges { node { number goals { code } } } } }",
            json!({}),
        )
        .await;
    let council_numbers: std::collections::BTreeSet<String> = nodes(&visible["measures"])
        .iter()
        .filter(|m| !m["goals"].as_array().unwrap().is_empty())
        .map(|m| m["number"].as_str().unwrap().to_owned())
        .collect();
    let report_numbers: std::collections::BTreeSet<String> = report["goals"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["measures"].as_array().unwrap().iter())
        .map(|m| m["number"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(report_numbers, council_numbers);
    let everything = app
        .query(
            &central,
            "{ measures(first: 100) { totalCount } }",
            json!({}),
        )
        .await;
    assert!(
        everything["measures"]["totalCount"].as_i64().unwrap() > council_numbers.len() as i64,
        "central IT sees more than the council"
    );
    assert_eq!(
        report["totals"]["measures"].as_i64(),
        Some(report_numbers.len() as i64)
    );
    // The council needs central IT's release for the live report; then it gets the same.
    assert_eq!(
        app.error_code(Some(&council), query, json!({})).await,
        "FORBIDDEN"
    );
    let released = app
        .query(
            &central,
            "{ me { tenant { councilLiveReport } } }",
            json!({}),
        )
        .await;
    assert_eq!(released["me"]["tenant"]["councilLiveReport"], false);
    app.release_live_report(&central).await;
    let seen = app.query(&council, query, json!({})).await["councilReport"].clone();
    assert_eq!(seen, report);
    // An earlier day shows an earlier state, never a later one.
    let earlier = app
        .query(
            &central,
            "{ councilReport(period: \"2026-Q3\", asOf: \"2026-07-01\") { asOf goals { progressStart progressEnd } } }",
            json!({}),
        )
        .await["councilReport"]
        .clone();
    assert_eq!(earlier["asOf"], "2026-07-01");
    let ends = |r: &Value| -> Vec<Value> {
        r["goals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["progressEnd"].clone())
            .collect()
    };
    assert_ne!(ends(&earlier), ends(&report), "Q3 reports moved progress");
}

/// The council report's milestones and budget per goal and in total are those of the projects
/// under each goal's measures, as the council lists them.
async fn council_figures_agree_with_the_lists(backend: Backend) {
    // The whole tree in one query, every page whole.
    let Some(app) = spawn_app_with(backend, |config| config.limits.max_nodes = u64::MAX).await
    else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let council = app.token("council", "aachen", None);
    app.release_live_report(&central).await;
    let report = app
        .query(
            &council,
            "{ councilReport(period: \"2026-Q3\") { totals { milestonesAchieved milestonesMissed budget { planned approved spent } } goals { code milestonesAchieved milestonesMissed budget { planned approved spent } } } }",
            json!({}),
        )
        .await["councilReport"]
        .clone();
    let lists = app
        .query(
            &council,
            "{ goals(first: 100) { edges { node { code measures(first: 100) { edges { node { projects(first: 100) { edges { node { id milestones(first: 100) { totalCount edges { node { dueDate achievedOn } } } budgetLines { year planned approved spent } } } } } } } } } } }",
            json!({}),
        )
        .await;
    let in_q3 = |day: &Value| {
        day.as_str()
            .is_some_and(|d| ("2026-07-01"..="2026-09-30").contains(&d))
    };
    let money = |v: &Value| v.as_str().unwrap().parse::<f64>().unwrap();
    // Per project: achieved, missed, and the 2026 budget (planned, approved, spent).
    let figures = |project: &Value| {
        let milestones = nodes(&project["milestones"]);
        assert_eq!(
            project["milestones"]["totalCount"].as_u64(),
            Some(milestones.len() as u64),
            "one page holds every milestone"
        );
        let achieved = milestones
            .iter()
            .filter(|m| in_q3(&m["achievedOn"]))
            .count();
        let missed = milestones
            .iter()
            .filter(|m| {
                in_q3(&m["dueDate"])
                    && (m["achievedOn"].is_null()
                        || m["achievedOn"].as_str() > m["dueDate"].as_str())
            })
            .count();
        let mut budget = [0.0; 3];
        for line in project["budgetLines"].as_array().unwrap() {
            if line["year"] == 2026 {
                for (sum, key) in budget.iter_mut().zip(["planned", "approved", "spent"]) {
                    *sum += money(&line[key]);
                }
            }
        }
        (achieved, missed, budget)
    };
    let mut all_projects = std::collections::BTreeMap::new();
    let mut checked_some = false;
    for goal in nodes(&lists["goals"]) {
        let mut projects = std::collections::BTreeMap::new();
        for measure in nodes(&goal["measures"]) {
            for project in nodes(&measure["projects"]) {
                projects.insert(
                    project["id"].as_str().unwrap().to_owned(),
                    figures(&project),
                );
            }
        }
        let Some(line) = report["goals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["code"] == goal["code"])
        else {
            continue;
        };
        let achieved: usize = projects.values().map(|f| f.0).sum();
        let missed: usize = projects.values().map(|f| f.1).sum();
        assert_eq!(
            line["milestonesAchieved"].as_u64(),
            Some(achieved as u64),
            "{}",
            goal["code"]
        );
        assert_eq!(
            line["milestonesMissed"].as_u64(),
            Some(missed as u64),
            "{}",
            goal["code"]
        );
        for (i, key) in ["planned", "approved", "spent"].into_iter().enumerate() {
            let expected: f64 = projects.values().map(|f| f.2[i]).sum();
            assert!(
                (money(&line["budget"][key]) - expected).abs() < 0.005,
                "{} {key}: {} vs {expected}",
                goal["code"],
                line["budget"][key]
            );
        }
        checked_some |= achieved + missed > 0;
        all_projects.extend(projects);
    }
    assert!(checked_some, "the demo data has milestones in Q3 2026");
    let totals = &report["totals"];
    let achieved: usize = all_projects.values().map(|f| f.0).sum();
    let missed: usize = all_projects.values().map(|f| f.1).sum();
    assert_eq!(totals["milestonesAchieved"].as_u64(), Some(achieved as u64));
    assert_eq!(totals["milestonesMissed"].as_u64(), Some(missed as u64));
    let planned: f64 = all_projects.values().map(|f| f.2[0]).sum();
    assert!(
        (money(&totals["budget"]["planned"]) - planned).abs() < 0.005,
        "{totals}"
    );
}

async fn published_council_reports_never_change(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let council = app.token("council", "aachen", None);
    let publish = "mutation { publishCouncilReport(input: { period: \"2026-Q3\" }) { report { id period publishedAt goals { code title progressEnd measures { number title } } } } }";
    let published =
        app.query(&central, publish, json!({})).await["publishCouncilReport"]["report"].clone();
    assert!(published["id"].is_string());
    assert_eq!(
        app.error_code(Some(&central), publish, json!({})).await,
        "CONFLICT"
    );
    assert_eq!(
        app.error_code(Some(&council), publish, json!({})).await,
        "FORBIDDEN"
    );
    // Edit what the report shows: a measure's title and a new status report.
    let measure_number = published["goals"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["measures"].as_array().unwrap().iter())
        .next()
        .expect("a measure")["number"]
        .clone();
    let found = app
        .query(
            &central,
            "query($n: String) { measures(filter: { search: $n }) { edges { node { id number version } } } }",
            json!({ "n": measure_number }),
        )
        .await;
    let measure = nodes(&found["measures"])
        .into_iter()
        .find(|m| m["number"] == measure_number)
        .expect("the measure");
    app.query(
        &central,
        "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { id } } }",
        json!({ "i": { "id": measure["id"], "version": measure["version"], "title": "Umbenannt nach Veröffentlichung" } }),
    )
    .await;
    app.query(
        &central,
        "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) { statusReport { id } } }",
        json!({ "i": { "subjectId": measure["id"], "progress": 99, "rag": "RED", "summary": "Nachtrag", "reportedOn": "2026-09-29" } }),
    )
    .await;
    let fields = "id period publishedAt goals { code title progressEnd measures { number title } }";
    let list = app
        .query(
            &council,
            &format!("{{ councilReports {{ {fields} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(list["councilReports"], json!([published.clone()]));
    let one = app
        .query(
            &central,
            &format!("query($id: ID!) {{ publishedCouncilReport(id: $id) {{ {fields} }} }}"),
            json!({ "id": published["id"] }),
        )
        .await;
    assert_eq!(one["publishedCouncilReport"], published);
    // The live report has moved on.
    let live = app
        .query(
            &central,
            "{ councilReport(period: \"2026-Q3\") { goals { measures { number title } } } }",
            json!({}),
        )
        .await;
    assert!(
        live.to_string().contains("Umbenannt nach Veröffentlichung"),
        "{live}"
    );
    assert!(!list.to_string().contains("Umbenannt"));
    // Another tenant cannot read it.
    let other = app.token("central_it", "kisa", None);
    assert_eq!(
        app.error_code(
            Some(&other),
            "query($id: ID!) { publishedCouncilReport(id: $id) { period } }",
            json!({ "id": published["id"] })
        )
        .await,
        "NOT_FOUND"
    );
}

async fn reuse_catalogue_spans_tenants(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |config| config.public_access = true).await else {
        return;
    };
    let query = "{ reuseCatalogue(first: 100) { totalCount edges { node { tenantKey title categories transferableFrom project { id } } } } }";
    let (status, body) = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("x-tenant", "aachen")
        .json(&json!({ "query": query }))
        .send()
        .await
        .map(|r| (r.status().as_u16(), r))
        .expect("request");
    assert_eq!(status, 200);
    let body: Value = body.json().await.expect("json");
    let offers = nodes(&body["data"]["reuseCatalogue"]);
    let tenants: std::collections::BTreeSet<&str> = offers
        .iter()
        .map(|o| o["tenantKey"].as_str().unwrap())
        .collect();
    assert!(tenants.len() >= 3, "{tenants:?}");
    // The public never reaches a project behind an offer, not even its own tenant's
    // unless that project is public (and offers are).
    let central = app.token("central_it", "aachen", None);
    let projects = app
        .query(
            &central,
            "{ projects(first: 100, filter: { visibility: [PUBLIC] }) { edges { node { id title transferable status version } } } }",
            json!({}),
        )
        .await;
    let own: Vec<Value> = nodes(&projects["projects"])
        .into_iter()
        .filter(|p| p["transferable"] == true && p["status"] != "DRAFT")
        .collect();
    let listed_own = offers.iter().filter(|o| o["tenantKey"] == "aachen").count();
    assert_eq!(listed_own, own.len());
    // Withdrawn from the public, it leaves the catalogue of every tenant.
    let first = &own[0];
    app.query(
        &central,
        "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { id } } }",
        json!({ "i": { "id": first["id"], "version": first["version"], "visibility": "COUNCIL" } }),
    )
    .await;
    let kisa = app.token("council", "kisa", None);
    let after = app.query(&kisa, query, json!({})).await;
    assert_eq!(
        after["reuseCatalogue"]["totalCount"].as_i64(),
        Some(offers.len() as i64 - 1)
    );
    assert!(
        !nodes(&after["reuseCatalogue"])
            .iter()
            .any(|o| o["title"] == first["title"])
    );
    let filtered = app
        .query(
            &kisa,
            "{ reuseCatalogue(filter: { category: \"klima\" }) { edges { node { categories } } } }",
            json!({}),
        )
        .await;
    for offer in nodes(&filtered["reuseCatalogue"]) {
        assert!(
            offer["categories"].as_array().unwrap().iter().any(|c| c
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("klima")),
            "{offer}"
        );
    }
}

/// The portfolio's goals come in the strategies' order, whatever order the database keeps
/// the rows in: an edited row moves to the end of its table in PostgreSQL (the tree reads
/// its parts unordered and sorts them itself).
async fn goals_keep_their_order_after_an_edit(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let order = |data: &Value| -> Vec<String> {
        data["portfolioDashboard"]["byGoal"]
            .as_array()
            .expect("byGoal")
            .iter()
            .map(|row| row["goal"]["code"].as_str().expect("code").to_owned())
            .collect()
    };
    let dashboard = "{ portfolioDashboard { byGoal { goal { id code version } } } }";
    let before = app.query(&central, dashboard, json!({})).await;
    let codes = order(&before);
    assert!(codes.len() > 2, "{codes:?}");
    let first = &before["portfolioDashboard"]["byGoal"][0]["goal"];
    app.query(
        &central,
        "mutation($i: UpdateGoalInput!) { updateGoal(input: $i) { goal { id } } }",
        json!({ "i": { "id": first["id"], "version": first["version"], "title": "Umbenannt" } }),
    )
    .await;
    let after = app.query(&central, dashboard, json!({})).await;
    assert_eq!(order(&after), codes);
}
