//! Weighted roll-ups: the weights of goals, measures, projects and sub-projects, the tenant's
//! `rollupWeighting`, and the same figure wherever a roll-up shows (GraphQL fields, history,
//! dashboards, the council report and its files, the workbook).

use chrono::Datelike;
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
};

mod files;

on_both!(
    every_weighting_gives_the_hand_computed_figure_everywhere,
    budgets_weigh_only_for_viewers_who_may_see_them,
    weights_refuse_bad_input_and_follow_the_edit_rights,
    only_central_it_sets_the_weighting,
    budget_weights_cost_the_same_statements_for_any_page,
);

/// The rows of the example, by name, as global ids.
struct Example {
    goal: Value,
    goal_code: &'static str,
    m1: Value,
    m2: Value,
    p1: Value,
    p2: Value,
}

async fn create(app: &TestApp, token: &str, mutation: &str, kind: &str, input: Value) -> Value {
    let input_type = format!("{}{}Input", &mutation[..1].to_uppercase(), &mutation[1..]);
    let query = format!(
        "mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ {kind} {{ id weight }} }} }}"
    );
    app.query(token, &query, json!({ "i": input })).await[mutation][kind].clone()
}

async fn report(app: &TestApp, token: &str, subject: &Value, progress: i32) {
    app.query(
        token,
        "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) { statusReport { id } } }",
        json!({ "i": { "subjectId": subject["id"], "progress": progress, "rag": "GREEN", "summary": format!("Stand {progress} %") } }),
    )
    .await;
}

async fn budget(app: &TestApp, token: &str, project: &Value, planned: &str) {
    app.query(
        token,
        "mutation($i: CreateBudgetLineInput!) { createBudgetLine(input: $i) { budgetLine { id } } }",
        json!({ "i": { "projectId": project["id"], "year": 2026, "source": "OWN_FUNDS", "planned": planned } }),
    )
    .await;
}

/// A new goal G of the adopted strategy with two measures, released to the council:
///
/// ```text
/// G ← M1 (weight 3) ← P1 (weight 1, budget 30,000) ← S1 (weight 3) 80 %, S2 (weight 1) 40 %
///                   ← P2 (weight 3, budget 10,000, FB 15's) reports 10 %
///   ← M2 (weight 1) ← P3 (budget 10,000) reports 20 %
/// ```
///
/// Everything but P2 belongs to FB 36.
///
/// By hand: EQUAL P1 60, M1 35, M2 20, G 27.5 → 28. WEIGHT P1 (240 + 40) / 4 = 70,
/// M1 (70 + 30) / 4 = 25, G (75 + 20) / 4 = 23.75 → 24. BUDGET P1 60 (sub-projects have no
/// budget: equal weights), M1 (60 · 30,000 + 10 · 10,000) / 40,000 = 47.5 → 48,
/// G (48 · 40,000 + 20 · 10,000) / 50,000 = 42.4 → 42.
async fn example(app: &TestApp, central: &str) -> Example {
    let ids = app
        .query(
            central,
            "{ orgUnits(first: 1, filter: { search: \"FB 36\" }) { edges { node { id } } }
               other: orgUnits(first: 1, filter: { search: \"FB 15\" }) { edges { node { id } } }
               strategies(first: 20) { edges { node { id status } } } }",
            json!({}),
        )
        .await;
    let unit = nodes(&ids["orgUnits"])[0]["id"].clone();
    let other = nodes(&ids["other"])[0]["id"].clone();
    let strategy = nodes(&ids["strategies"])
        .into_iter()
        .find(|s| s["status"] == "ADOPTED")
        .expect("an adopted strategy")["id"]
        .clone();
    let goal_code = "W-1";
    let goal = create(
        app,
        central,
        "createGoal",
        "goal",
        json!({ "strategyId": strategy, "orgUnitId": unit, "code": goal_code, "title": "Gewichtetes Ziel", "status": "IN_PROGRESS", "visibility": "COUNCIL" }),
    )
    .await;
    assert_eq!(goal["weight"], "1", "the default weight");
    let measure = |number: &str, weight: &str| json!({ "code": number, "title": format!("Maßnahme {number}"), "orgUnitId": unit, "goalIds": [goal["id"]], "status": "IN_PROGRESS", "visibility": "COUNCIL", "weight": weight });
    let m1 = create(
        app,
        central,
        "createMeasure",
        "measure",
        measure("W-M1", "3"),
    )
    .await;
    let m2 = create(
        app,
        central,
        "createMeasure",
        "measure",
        measure("W-M2", "1"),
    )
    .await;
    let project = |title: &str, unit: &Value, measure: &Value, weight: &str| json!({ "title": title, "orgUnitId": unit, "measureId": measure["id"], "status": "IN_PROGRESS", "visibility": "COUNCIL", "weight": weight });
    let p1 = project("W-P1", &unit, &m1, "1");
    let p1 = create(app, central, "createProject", "project", p1).await;
    let p2 = project("W-P2", &other, &m1, "3");
    let p2 = create(app, central, "createProject", "project", p2).await;
    let p3 = project("W-P3", &unit, &m2, "1");
    let p3 = create(app, central, "createProject", "project", p3).await;
    assert_eq!(p2["weight"], "3");
    let sub = |title: &str, weight: &str| json!({ "projectId": p1["id"], "title": title, "status": "IN_PROGRESS", "visibility": "COUNCIL", "weight": weight });
    let s1 = create(
        app,
        central,
        "createSubProject",
        "subProject",
        sub("W-S1", "3"),
    )
    .await;
    let s2 = create(
        app,
        central,
        "createSubProject",
        "subProject",
        sub("W-S2", "1"),
    )
    .await;
    budget(app, central, &p1, "30000").await;
    budget(app, central, &p2, "10000").await;
    budget(app, central, &p3, "10000").await;
    report(app, central, &s1, 80).await;
    report(app, central, &s2, 40).await;
    report(app, central, &p2, 10).await;
    report(app, central, &p3, 20).await;
    Example {
        goal,
        goal_code,
        m1,
        m2,
        p1,
        p2,
    }
}

/// Sets the tenant's weighting (central IT).
async fn set_weighting(app: &TestApp, central: &str, weighting: Value) -> Value {
    let version = app
        .query(central, "{ me { tenant { version } } }", json!({}))
        .await["me"]["tenant"]["version"]
        .clone();
    app.query(
        central,
        "mutation($i: UpdateTenantSettingsInput!) { updateTenantSettings(input: $i) { tenant { settings { rollupWeighting } } } }",
        json!({ "i": { "version": version, "rollupWeighting": weighting } }),
    )
    .await["updateTenantSettings"]["tenant"]["settings"]["rollupWeighting"]
        .clone()
}

/// The tenant's weighting as `token` reads it.
async fn weighting_of(app: &TestApp, token: &str) -> Value {
    app.query(
        token,
        "{ me { tenant { settings { rollupWeighting } } } }",
        json!({}),
    )
    .await["me"]["tenant"]["settings"]["rollupWeighting"]
        .clone()
}

/// The quarter of today, as the council report names it.
fn this_quarter() -> String {
    let today = chrono::Utc::now().date_naive();
    format!("{}-Q{}", today.year(), (today.month() - 1) / 3 + 1)
}

/// Progress and weighting of the example's rows as `token` reads them over GraphQL.
async fn figures(app: &TestApp, token: &str, e: &Example) -> Value {
    app.query(
        token,
        "query($g: ID!, $m1: ID!, $m2: ID!, $p1: ID!) {
           g: node(id: $g) { ... on Goal { rolledUpProgress progressSource progressWeighting
             progressHistory { progress weighting } } }
           m1: node(id: $m1) { ... on Measure { rolledUpProgress progressSource progressWeighting } }
           m2: node(id: $m2) { ... on Measure { rolledUpProgress progressWeighting } }
           p1: node(id: $p1) { ... on Project { rolledUpProgress progressWeighting } } }",
        json!({ "g": e.goal["id"], "m1": e.m1["id"], "m2": e.m2["id"], "p1": e.p1["id"] }),
    )
    .await
}

/// The goal's figure on the portfolio dashboard, in the council report (GraphQL) and in the
/// council report's CSV file.
async fn elsewhere(app: &TestApp, central: &str, e: &Example) -> (Value, Value, Value, String) {
    let board = app
        .query(
            central,
            "{ portfolioDashboard { byGoal { goal { id } rolledUpProgress } } }",
            json!({}),
        )
        .await;
    let on_board = board["portfolioDashboard"]["byGoal"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["goal"]["id"] == e.goal["id"])
        .expect("the goal on the dashboard")["rolledUpProgress"]
        .clone();
    let period = this_quarter();
    let council = app
        .query(
            central,
            "query($p: String!) { councilReport(period: $p) { goals { code progressEnd measures { number progressEnd } } } }",
            json!({ "p": period }),
        )
        .await;
    let goal = council["councilReport"]["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["code"] == e.goal_code)
        .expect("the goal in the council report")
        .clone();
    let m1 = goal["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["number"] == "W-M1")
        .expect("M1 in the council report")["progressEnd"]
        .clone();
    let csv = app
        .client
        .get(format!(
            "{}/exports/council-report.csv?period={period}",
            app.address
        ))
        .bearer_auth(central)
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    let in_file = csv
        .lines()
        .map(|line| line.trim_start_matches('\u{feff}'))
        .find(|line| line.starts_with(&format!("{};", e.goal_code)))
        .expect("the goal in the CSV file")
        .split(';')
        .nth(4)
        .expect("progress end")
        .trim_matches('"')
        .to_owned();
    (on_board, goal["progressEnd"].clone(), m1, in_file)
}

async fn every_weighting_gives_the_hand_computed_figure_everywhere(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let e = example(&app, &central).await;
    // (weighting, P1, M1, G, how P1 was weighed)
    let cases = [
        ("EQUAL", 60, 35, 28, "EQUAL"),
        ("WEIGHT", 70, 25, 24, "WEIGHT"),
        ("BUDGET", 60, 48, 42, "EQUAL"),
    ];
    let default = weighting_of(&app, &central).await;
    assert_eq!(default, "EQUAL", "existing tenants keep equal weights");
    for (weighting, p1, m1, g, p1_weighed) in cases {
        assert_eq!(
            set_weighting(&app, &central, json!(weighting)).await,
            weighting
        );
        let read = figures(&app, &central, &e).await;
        assert_eq!(read["p1"]["rolledUpProgress"], p1, "{weighting} P1: {read}");
        assert_eq!(read["p1"]["progressWeighting"], p1_weighed, "{weighting}");
        assert_eq!(read["m1"]["rolledUpProgress"], m1, "{weighting} M1: {read}");
        assert_eq!(read["m1"]["progressSource"], "ROLLED_UP");
        assert_eq!(read["m1"]["progressWeighting"], weighting);
        assert_eq!(read["m2"]["rolledUpProgress"], 20, "{weighting} M2");
        assert_eq!(read["g"]["rolledUpProgress"], g, "{weighting} G: {read}");
        assert_eq!(read["g"]["progressWeighting"], weighting);
        // History: its last point is today, by the same rule.
        let history = read["g"]["progressHistory"].as_array().unwrap();
        let today = history.last().unwrap();
        assert_eq!(today["progress"], g, "{weighting} history");
        assert_eq!(today["weighting"], weighting);
        let (on_board, in_council, m1_in_council, in_file) = elsewhere(&app, &central, &e).await;
        assert_eq!(on_board, g, "{weighting} dashboard");
        assert_eq!(in_council, g, "{weighting} council report");
        assert_eq!(m1_in_council, m1, "{weighting} council report M1");
        assert_eq!(in_file, g.to_string(), "{weighting} council report CSV");
    }
    // Back to the default with null.
    assert_eq!(set_weighting(&app, &central, Value::Null).await, "EQUAL");
    let read = figures(&app, &central, &e).await;
    assert_eq!(read["g"]["rolledUpProgress"], 28);
    // A weight of 0 counts for nothing: M1 alone makes the goal (WEIGHT).
    set_weighting(&app, &central, json!("WEIGHT")).await;
    let m2 = version(&app, &central, &e.m2).await;
    app.query(
        &central,
        "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { weight } } }",
        json!({ "i": { "id": e.m2["id"], "version": m2, "weight": "0" } }),
    )
    .await;
    let read = figures(&app, &central, &e).await;
    assert_eq!(read["g"]["rolledUpProgress"], 25, "{read}");
}

async fn budgets_weigh_only_for_viewers_who_may_see_them(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let e = example(&app, &central).await;
    set_weighting(&app, &central, json!("BUDGET")).await;
    let central_read = figures(&app, &central, &e).await;
    assert_eq!(central_read["m1"]["rolledUpProgress"], 48);
    // FB 36 sees the budget of P3, the only project of M2: budget weights there. It may not
    // see P2's (FB 15's) beside its own P1: M1 takes equal weights for it, and says so, so
    // that its figure tells nothing about how the two budgets compare; so does the goal.
    let owner = app.token("department", "aachen", Some("FB 36"));
    let read = figures(&app, &owner, &e).await;
    assert_eq!(read["m2"]["progressWeighting"], "BUDGET", "{read}");
    assert_eq!(read["m1"]["rolledUpProgress"], 35, "{read}");
    assert_eq!(read["m1"]["progressWeighting"], "EQUAL");
    assert_eq!(read["g"]["rolledUpProgress"], 28, "{read}");
    assert_eq!(read["g"]["progressWeighting"], "EQUAL");
    // FB 15 sees P2's budget but not P1's: the same.
    let other = app.token("department", "aachen", Some("FB 15"));
    let read = figures(&app, &other, &e).await;
    assert_eq!(read["m1"]["rolledUpProgress"], 35, "{read}");
    assert_eq!(read["m1"]["progressWeighting"], "EQUAL");
    assert_eq!(read["m2"]["progressWeighting"], "EQUAL");
    // The council may see budgets of what was released to it.
    let council = app.token("council", "aachen", None);
    let read = figures(&app, &council, &e).await;
    assert_eq!(read["g"]["rolledUpProgress"], 42, "{read}");
}

/// The `version` of a goal, measure or project, as `token` reads it.
async fn version(app: &TestApp, token: &str, row: &Value) -> Value {
    app.query(
        token,
        "query($id: ID!) { node(id: $id) { ... on Goal { version } ... on Measure { version } ... on Project { version } } }",
        json!({ "id": row["id"] }),
    )
    .await["node"]["version"]
        .clone()
}

/// The error of a mutation: its code and the field it names.
async fn refusal(app: &TestApp, token: &str, query: &str, variables: Value) -> (String, String) {
    let (status, body) = app
        .post(
            Some(token),
            json!({ "query": query, "variables": variables }),
        )
        .await;
    assert!(status < 500, "{body}");
    let error = &body["errors"][0]["extensions"];
    (
        error["code"].as_str().unwrap_or_default().to_owned(),
        error["field"].as_str().unwrap_or_default().to_owned(),
    )
}

async fn weights_refuse_bad_input_and_follow_the_edit_rights(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let e = example(&app, &central).await;
    let read = "query($id: ID!) { node(id: $id) { ... on Project { version weight subProjects { edges { node { id version weight } } } } } }";
    let state = app.query(&central, read, json!({ "id": e.p2["id"] })).await["node"].clone();
    let update =
        "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { weight } } }";
    for bad in ["-1", "1000.01", "0.001"] {
        assert_eq!(
            refusal(
                &app,
                &central,
                update,
                json!({ "i": { "id": e.p2["id"], "version": state["version"], "weight": bad } })
            )
            .await,
            ("BAD_USER_INPUT".to_owned(), "weight".to_owned()),
            "{bad}"
        );
    }
    let create =
        "mutation($i: CreateMeasureInput!) { createMeasure(input: $i) { measure { id } } }";
    let unit = app
        .query(
            &central,
            "{ orgUnits(first: 1, filter: { search: \"FB 36\" }) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let unit = nodes(&unit["orgUnits"])[0]["id"].clone();
    assert_eq!(
        refusal(
            &app,
            &central,
            create,
            json!({ "i": { "code": "W-BAD", "title": "Negativ", "orgUnitId": unit, "weight": "-0.5" } })
        )
        .await,
        ("BAD_USER_INPUT".to_owned(), "weight".to_owned())
    );
    // Nothing written.
    let after = app.query(&central, read, json!({ "id": e.p2["id"] })).await["node"].clone();
    assert_eq!(after["version"], state["version"]);
    assert_eq!(after["weight"], "3");
    let measures = app
        .query(
            &central,
            "{ measures(filter: { search: \"W-BAD\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(measures["measures"]["totalCount"], 0);

    // The owning department weighs its sub-projects, not its project in the measure (it
    // may change the project's status).
    let owner = app.token("department", "aachen", Some("FB 36"));
    let p1 = version(&app, &central, &e.p1).await;
    let (code, _) = refusal(
        &app,
        &owner,
        update,
        json!({ "i": { "id": e.p1["id"], "version": p1, "weight": "5" } }),
    )
    .await;
    assert_eq!(code, "FORBIDDEN");
    let allowed = app
        .query(
            &owner,
            update,
            json!({ "i": { "id": e.p1["id"], "version": p1, "status": "ON_HOLD" } }),
        )
        .await;
    assert_eq!(allowed["updateProject"]["project"]["weight"], "1");
    let m1 = version(&app, &central, &e.m1).await;
    let (code, _) = refusal(
        &app,
        &owner,
        "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { weight } } }",
        json!({ "i": { "id": e.m1["id"], "version": m1, "weight": "5" } }),
    )
    .await;
    assert_eq!(code, "FORBIDDEN");
    let sub =
        app.query(&central, read, json!({ "id": e.p1["id"] })).await["node"]["subProjects"].clone();
    let sub = &nodes(&sub)[0];
    let update_sub = "mutation($i: UpdateSubProjectInput!) { updateSubProject(input: $i) { subProject { weight } } }";
    let vars = json!({ "i": { "id": sub["id"], "version": sub["version"], "weight": "2.5" } });
    for (token, expected) in [
        (
            app.token("department", "aachen", Some("FB 15")),
            "FORBIDDEN",
        ),
        (app.token("council", "aachen", None), "FORBIDDEN"),
    ] {
        assert_eq!(
            refusal(&app, &token, update_sub, vars.clone()).await.0,
            expected
        );
    }
    let changed = app.query(&owner, update_sub, vars).await;
    assert_eq!(changed["updateSubProject"]["subProject"]["weight"], "2.5");
    // Central IT weighs goals too.
    let goal = version(&app, &central, &e.goal).await;
    let changed = app
        .query(
            &central,
            "mutation($i: UpdateGoalInput!) { updateGoal(input: $i) { goal { weight } } }",
            json!({ "i": { "id": e.goal["id"], "version": goal, "weight": "0.25" } }),
        )
        .await;
    assert_eq!(changed["updateGoal"]["goal"]["weight"], "0.25");
}

async fn only_central_it_sets_the_weighting(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let version = app
        .query(&central, "{ me { tenant { version } } }", json!({}))
        .await["me"]["tenant"]["version"]
        .clone();
    let mutation = "mutation($i: UpdateTenantSettingsInput!) { updateTenantSettings(input: $i) { tenant { settings { rollupWeighting } } } }";
    let vars = json!({ "i": { "version": version, "rollupWeighting": "BUDGET" } });
    for token in [
        app.token("department", "aachen", Some("FB 36")),
        app.token("council", "aachen", None),
    ] {
        assert_eq!(
            app.error_code(Some(&token), mutation, vars.clone()).await,
            "FORBIDDEN"
        );
    }
    assert_eq!(
        app.error_code(None, mutation, vars.clone()).await,
        "UNAUTHENTICATED"
    );
    let unchanged = weighting_of(&app, &central).await;
    assert_eq!(unchanged, "EQUAL");
    assert_eq!(
        app.error_code(
            Some(&central),
            mutation,
            json!({ "i": { "version": version, "rollupWeighting": "MEDIAN" } })
        )
        .await,
        "GRAPHQL_VALIDATION_FAILED",
        "no such weighting"
    );
    let set = app.query(&central, mutation, vars).await;
    assert_eq!(
        set["updateTenantSettings"]["tenant"]["settings"]["rollupWeighting"],
        "BUDGET"
    );
    // Everyone of the tenant reads it.
    let department = app.token("department", "aachen", Some("FB 36"));
    let read = weighting_of(&app, &department).await;
    assert_eq!(read, "BUDGET");
}

async fn budget_weights_cost_the_same_statements_for_any_page(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    set_weighting(&app, &central, json!("BUDGET")).await;
    let query = |n: i32| {
        format!(
            "{{ measures(first: {n}) {{ edges {{ node {{ weight rolledUpProgress progressWeighting projects {{ edges {{ node {{ weight rolledUpProgress progressWeighting subProjects {{ edges {{ node {{ weight }} }} }} }} }} }} }} }} }} goals(first: {n}) {{ edges {{ node {{ weight rolledUpProgress progressHistory {{ weighting }} }} }} }} }}"
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
}
