//! Maintaining the organisation and the strategy: org units, strategy versions, goals,
//! indicators, measured values, archiving.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
};

on_both!(
    only_central_it_maintains_the_strategy,
    org_units_cannot_move_below_themselves,
    org_units_have_a_lead_whose_address_is_a_contact_detail,
    a_new_strategy_version_copies_goals_and_links_and_adoption_supersedes,
    goals_indicators_and_values_are_validated,
    archived_rows_disappear_and_come_back,
);

async fn first(app: &TestApp, token: &str, list: &str, fields: &str) -> Value {
    let data = app
        .query(
            token,
            &format!("{{ {list}(first: 1) {{ edges {{ node {{ {fields} }} }} }} }}"),
            json!({}),
        )
        .await;
    nodes(&data[list])
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("a row in {list}"))
}

/// Every mutation of this domain with a valid input, for the role checks.
async fn mutations(app: &TestApp) -> Vec<(&'static str, Value)> {
    let central = app.token("central_it", "aachen", None);
    let unit = first(app, &central, "orgUnits", "id version").await;
    let strategy = first(app, &central, "strategies", "id version").await;
    let goal = first(app, &central, "goals", "id version").await;
    let measure = first(app, &central, "measures", "id version").await;
    vec![
        (
            "mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { orgUnit { id } } }",
            json!({ "code": "FB 99", "name": "Neu", "kind": "DEPARTMENT", "parentId": unit["id"] }),
        ),
        (
            "mutation($i: UpdateOrgUnitInput!) { updateOrgUnit(input: $i) { orgUnit { id } } }",
            json!({ "id": unit["id"], "version": unit["version"], "name": "Umbenannt" }),
        ),
        (
            "mutation($i: CreateStrategyInput!) { createStrategy(input: $i) { strategy { id } } }",
            json!({ "title": "Strategie 2030", "orgUnitId": unit["id"], "periodStart": "2027-01-01", "periodEnd": "2030-12-31" }),
        ),
        (
            "mutation($i: UpdateStrategyInput!) { updateStrategy(input: $i) { strategy { id } } }",
            json!({ "id": strategy["id"], "version": strategy["version"], "title": "Neu" }),
        ),
        (
            "mutation($i: CreateStrategyVersionInput!) { createStrategyVersion(input: $i) { strategy { id } } }",
            json!({ "strategyId": strategy["id"] }),
        ),
        (
            "mutation($i: CreateGoalInput!) { createGoal(input: $i) { goal { id } } }",
            json!({ "strategyId": strategy["id"], "orgUnitId": unit["id"], "code": "Z9", "title": "Neues Ziel" }),
        ),
        (
            "mutation($i: UpdateGoalInput!) { updateGoal(input: $i) { goal { id } } }",
            json!({ "id": goal["id"], "version": goal["version"], "title": "Neu" }),
        ),
        (
            "mutation($i: CreateIndicatorInput!) { createIndicator(input: $i) { indicator { id } } }",
            json!({ "goalId": goal["id"], "name": "Quote", "unit": "%" }),
        ),
        (
            "mutation($i: ArchiveInput!) { archive(input: $i) { node { id } } }",
            json!({ "id": measure["id"], "version": measure["version"] }),
        ),
    ]
}

async fn only_central_it_maintains_the_strategy(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let department = app.token("department", "aachen", Some("FB 15"));
    let council = app.token("council", "aachen", None);
    for (mutation, input) in mutations(&app).await {
        for (who, token) in [
            ("department", Some(&department)),
            ("council", Some(&council)),
            ("anonymous", None),
        ] {
            let code = app
                .error_code(token.map(String::as_str), mutation, json!({ "i": input }))
                .await;
            let expected = if token.is_none() {
                "UNAUTHENTICATED"
            } else {
                "FORBIDDEN"
            };
            assert_eq!(code, expected, "{who}: {mutation}");
        }
    }
    let central = app.token("central_it", "aachen", None);
    for (mutation, input) in mutations(&app).await {
        let (_, body) = app
            .post(
                Some(&central),
                json!({ "query": mutation, "variables": { "i": input } }),
            )
            .await;
        assert!(body.get("errors").is_none(), "{mutation}: {body}");
    }
}

async fn org_units_cannot_move_below_themselves(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let tree = app.query(&central, "{ orgUnits(first: 1, filter: { root: true }) { edges { node { id version children { id } } } } }", json!({})).await;
    let root = &nodes(&tree["orgUnits"])[0];
    let child = &root["children"][0];
    let update = "mutation($i: UpdateOrgUnitInput!) { updateOrgUnit(input: $i) { orgUnit { version parent { id } } } }";
    let cycle =
        json!({ "i": { "id": root["id"], "version": root["version"], "parentId": child["id"] } });
    let (_, body) = app
        .post(
            Some(&central),
            json!({ "query": update, "variables": cycle }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "parentId");
    let duplicate = json!({ "i": { "code": "FB 15", "name": "Doppelt", "kind": "DEPARTMENT" } });
    let code = app
        .error_code(
            Some(&central),
            "mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { orgUnit { id } } }",
            duplicate,
        )
        .await;
    assert_eq!(code, "CONFLICT", "org-unit codes are unique in a tenant");
    let renamed = app.query(&central, update, json!({ "i": { "id": root["id"], "version": root["version"], "name": "Stadt Aachen (Verwaltung)" } })).await;
    assert_eq!(
        renamed["updateOrgUnit"]["orgUnit"]["version"],
        root["version"].as_i64().unwrap() + 1
    );
    let stale = json!({ "i": { "id": root["id"], "version": root["version"], "name": "Alt" } });
    assert_eq!(
        app.error_code(Some(&central), update, stale).await,
        "CONFLICT"
    );
}

async fn org_units_have_a_lead_whose_address_is_a_contact_detail(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let create = "mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { orgUnit { id version lead { name email } } } }";
    let department = app.token("department", "aachen", Some("FB 15"));
    let me = app
        .query(&department, "{ me { orgUnit { id } } }", json!({}))
        .await;
    let parent = &me["me"]["orgUnit"];
    let lead = json!({ "name": " Anna Schmidt ", "email": "anna.schmidt@mail.aachen.de" });
    let created = app
        .query(
            &central,
            create,
            json!({ "i": { "code": "FB 15/400", "name": "E-Akte", "kind": "DIVISION", "parentId": parent["id"], "lead": lead } }),
        )
        .await;
    let unit = &created["createOrgUnit"]["orgUnit"];
    assert_eq!(
        unit["lead"],
        json!({ "name": "Anna Schmidt", "email": "anna.schmidt@mail.aachen.de" })
    );
    let read = |token: String| {
        let app = &app;
        let id = unit["id"].clone();
        async move {
            app.query(
                &token,
                "query($id: ID!) { node(id: $id) { ... on OrgUnit { lead { name email } } } }",
                json!({ "id": id }),
            )
            .await["node"]["lead"]
                .clone()
        }
    };
    // The unit's own department (FB 15 is above FB 15/400) reads the address, another
    // department and the council only the name.
    let own = read(department.clone()).await;
    assert_eq!(own["email"], "anna.schmidt@mail.aachen.de");
    let other = read(app.token("department", "aachen", Some("FB 36"))).await;
    assert_eq!(other, json!({ "name": "Anna Schmidt", "email": null }));
    let council = read(app.token("council", "aachen", None)).await;
    assert_eq!(council["email"], json!(null));

    let update = "mutation($i: UpdateOrgUnitInput!) { updateOrgUnit(input: $i) { orgUnit { version lead { name email } } } }";
    let bad = json!({ "i": { "id": unit["id"], "version": unit["version"], "lead": { "name": "Anna Schmidt", "email": "anna.schmidt" } } });
    let (_, body) = app
        .post(Some(&central), json!({ "query": update, "variables": bad }))
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "lead.email");
    let cleared = app
        .query(
            &central,
            update,
            json!({ "i": { "id": unit["id"], "version": unit["version"], "lead": null } }),
        )
        .await;
    assert_eq!(cleared["updateOrgUnit"]["orgUnit"]["lead"], json!(null));
}

async fn a_new_strategy_version_copies_goals_and_links_and_adoption_supersedes(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let adopted = app
        .query(&central, "{ strategies(filter: { status: [ADOPTED] }) { edges { node { id revision goals(first: 100) { totalCount edges { node { code measures(first: 100) { totalCount } indicators { name } } } } } } } }", json!({}))
        .await;
    let source = nodes(&adopted["strategies"])
        .into_iter()
        .next()
        .expect("an adopted strategy");
    let copy = app
        .query(&central, "mutation($i: CreateStrategyVersionInput!) { createStrategyVersion(input: $i) { strategy { id version status revision predecessor { id } goals(first: 100) { totalCount edges { node { code measures(first: 100) { totalCount } indicators { name } } } } } } }", json!({ "i": { "strategyId": source["id"], "title": "Digitale Strategie 2027" } }))
        .await["createStrategyVersion"]["strategy"]
        .clone();
    assert_eq!(copy["status"], "DRAFT");
    assert_eq!(copy["predecessor"]["id"], source["id"]);
    assert!(copy["revision"].as_i64() > source["revision"].as_i64());
    let shape = |s: &Value| -> Vec<(String, u64, usize)> {
        let mut goals: Vec<_> = nodes(&s["goals"])
            .iter()
            .map(|g| {
                (
                    g["code"].as_str().unwrap().to_owned(),
                    g["measures"]["totalCount"].as_u64().unwrap(),
                    g["indicators"].as_array().unwrap().len(),
                )
            })
            .collect();
        goals.sort();
        goals
    };
    assert_eq!(
        shape(&copy),
        shape(&source),
        "goals, measure links and indicators are copied"
    );
    let adopt = app
        .query(&central, "mutation($i: UpdateStrategyInput!) { updateStrategy(input: $i) { strategy { status adoptedOn } } }", json!({ "i": { "id": copy["id"], "version": copy["version"], "status": "ADOPTED" } }))
        .await;
    assert_eq!(adopt["updateStrategy"]["strategy"]["status"], "ADOPTED");
    assert!(adopt["updateStrategy"]["strategy"]["adoptedOn"].is_string());
    let old = app
        .query(
            &central,
            "query($id: ID!) { node(id: $id) { ... on Strategy { status } } }",
            json!({ "id": source["id"] }),
        )
        .await;
    assert_eq!(old["node"]["status"], "SUPERSEDED");
    let bad = json!({ "i": { "id": copy["id"], "version": 2, "periodStart": "2030-01-01", "periodEnd": "2029-01-01" } });
    let (_, body) = app.post(Some(&central), json!({ "query": "mutation($i: UpdateStrategyInput!) { updateStrategy(input: $i) { strategy { id } } }", "variables": bad })).await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "periodEnd");
}

async fn goals_indicators_and_values_are_validated(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let strategies = app.query(&central, "{ strategies(first: 2) { edges { node { id goals(first: 1) { edges { node { id version } } } } } } orgUnits(first: 1) { edges { node { id } } } }", json!({})).await;
    let [first, second] = [0, 1].map(|i| nodes(&strategies["strategies"])[i].clone());
    let unit = nodes(&strategies["orgUnits"])[0]["id"].clone();
    let foreign_parent = nodes(&second["goals"])[0]["id"].clone();
    let create_goal = "mutation($i: CreateGoalInput!) { createGoal(input: $i) { goal { id version code parent { id } } } }";
    let cross = json!({ "i": { "strategyId": first["id"], "parentId": foreign_parent, "orgUnitId": unit, "code": "Z8", "title": "Quer" } });
    let (_, body) = app
        .post(
            Some(&central),
            json!({ "query": create_goal, "variables": cross }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "parentId",
        "{body}"
    );
    let goal = app
        .query(&central, create_goal, json!({ "i": { "strategyId": first["id"], "orgUnitId": unit, "code": "Z8", "title": "Open Data" } }))
        .await["createGoal"]["goal"]
        .clone();
    let stale = json!({ "i": { "id": goal["id"], "version": 0, "title": "x" } });
    assert_eq!(
        app.error_code(
            Some(&central),
            "mutation($i: UpdateGoalInput!) { updateGoal(input: $i) { goal { id } } }",
            stale
        )
        .await,
        "CONFLICT"
    );
    let indicator = app
        .query(&central, "mutation($i: CreateIndicatorInput!) { createIndicator(input: $i) { indicator { id version } } }", json!({ "i": { "goalId": goal["id"], "name": "Offene Datensätze", "unit": "Anzahl", "target": "120" } }))
        .await["createIndicator"]["indicator"]
        .clone();
    let record = "mutation($i: RecordIndicatorValueInput!) { recordIndicatorValue(input: $i) { indicatorValue { id value measuredOn } } }";
    let future = json!({ "i": { "indicatorId": indicator["id"], "measuredOn": "2999-01-01", "value": "10" } });
    let (_, body) = app
        .post(
            Some(&central),
            json!({ "query": record, "variables": future }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "measuredOn");
    let value = app.query(&central, record, json!({ "i": { "indicatorId": indicator["id"], "measuredOn": "2026-06-30", "value": "42" } })).await;
    assert_eq!(
        value["recordIndicatorValue"]["indicatorValue"]["value"],
        "42"
    );
    let latest = app
        .query(
            &central,
            "query($id: ID!) { node(id: $id) { ... on Indicator { latestValue { value } } } }",
            json!({ "id": indicator["id"] }),
        )
        .await;
    assert_eq!(latest["node"]["latestValue"]["value"], "42");
}

async fn archived_rows_disappear_and_come_back(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let measures = app.query(&central, "{ measures(first: 100, filter: { status: [IN_PROGRESS] }) { totalCount edges { node { id version orgUnit { code } } } } }", json!({})).await;
    let measure = nodes(&measures["measures"])[0].clone();
    let owner = app.token(
        "department",
        "aachen",
        Some(measure["orgUnit"]["code"].as_str().unwrap()),
    );
    let archived = app
        .query(&central, "mutation($i: ArchiveInput!) { archive(input: $i) { node { ... on Measure { id archivedAt version } } } }", json!({ "i": { "id": measure["id"], "version": measure["version"] } }))
        .await["archive"]["node"]
        .clone();
    assert!(archived["archivedAt"].is_string());
    let count = "query($archived: Boolean!) { measures(first: 100, filter: { status: [IN_PROGRESS], includeArchived: $archived }) { totalCount } }";
    let before = measures["measures"]["totalCount"].as_i64().unwrap();
    assert_eq!(
        app.query(&central, count, json!({ "archived": false }))
            .await["measures"]["totalCount"],
        before - 1
    );
    assert_eq!(
        app.query(&central, count, json!({ "archived": true }))
            .await["measures"]["totalCount"],
        before
    );
    let node = "query($id: ID!) { node(id: $id) { id } }";
    assert_eq!(
        app.error_code(Some(&owner), node, json!({ "id": measure["id"] }))
            .await,
        "NOT_FOUND",
        "gone for departments"
    );
    let restore = "mutation($i: ArchiveInput!) { restore(input: $i) { node { ... on Measure { archivedAt } } } }";
    let stale = json!({ "i": { "id": measure["id"], "version": measure["version"] } });
    assert_eq!(
        app.error_code(Some(&central), restore, stale).await,
        "CONFLICT"
    );
    let restored = app
        .query(
            &central,
            restore,
            json!({ "i": { "id": measure["id"], "version": archived["version"] } }),
        )
        .await;
    assert!(restored["restore"]["node"]["archivedAt"].is_null());
    app.query(&owner, node, json!({ "id": measure["id"] }))
        .await;
    let bad = json!({ "i": { "id": "Q2F0ZWdvcnk6MQ", "version": 1 } });
    assert_eq!(
        app.error_code(
            Some(&central),
            "mutation($i: ArchiveInput!) { archive(input: $i) { node { id } } }",
            bad
        )
        .await,
        "BAD_USER_INPUT"
    );
}
