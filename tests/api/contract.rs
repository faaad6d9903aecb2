//! The schema as a frontend's client libraries meet it (Relay, Apollo, urql): a refusal nulls
//! its own field and not the page, typed look-ups and `nodes(ids:)`, every row with an id is a
//! `Node` with a way back to its parent, and `WorkItem` over the three kinds of work.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
};

on_both!(
    a_refusal_nulls_its_own_field_and_the_rest_of_the_page_is_answered,
    typed_look_ups_and_nodes_answer_what_the_viewer_may_see,
    child_rows_are_nodes_with_their_parent_and_writes_return_the_parent,
    work_items_share_one_fragment_and_audit_entries_link_their_subject,
    the_council_report_links_the_rows_it_describes,
    null_in_an_update_clears_a_nullable_field_and_is_refused_for_a_required_one,
    every_list_takes_an_order,
    dashboards_are_nodes_so_that_their_lists_can_be_paged,
    council_reports_are_nodes_live_and_published,
    one_name_per_concept_and_the_old_names_still_answer,
);

/// The body of a request that may carry errors; asserts it is no server error.
async fn answer(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let (status, body) = app
        .post(
            Some(token),
            json!({ "query": query, "variables": variables }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn codes(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    (
                        e["path"][0].as_str().unwrap_or_default().to_owned(),
                        e["extensions"]["code"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn a_refusal_nulls_its_own_field_and_the_rest_of_the_page_is_answered(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // A department's start page: its own dashboard, the portfolio (central IT only) and a
    // list. The refused panel is null, the others are there.
    let department = app.token("department", "aachen", Some("FB 36"));
    let page = "{ me { role } portfolioDashboard { measuresByRag { rag count } } departmentDashboard { orgUnit { code } } measures(first: 1) { totalCount } }";
    let body = answer(&app, &department, page, json!({})).await;
    assert_eq!(
        codes(&body),
        [("portfolioDashboard".to_owned(), "FORBIDDEN".to_owned())]
    );
    // Present and null, as the GraphQL spec has a nullable field that failed.
    assert_eq!(body["data"].get("portfolioDashboard"), Some(&Value::Null));
    assert_eq!(body["data"]["me"]["role"], "DEPARTMENT");
    assert_eq!(
        body["data"]["departmentDashboard"]["orgUnit"]["code"],
        "FB 36"
    );
    assert!(body["data"]["measures"]["totalCount"].as_i64().unwrap() > 0);

    // A refused mutation answers its payload as null, not the whole `data`.
    let council = app.token("council", "aachen", None);
    let unit = nodes(
        &app.query(
            &council,
            "{ orgUnits(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await["orgUnits"],
    )
    .remove(0);
    let body = answer(
        &app,
        &council,
        "mutation($i: CreateMeasureInput!) { createMeasure(input: $i) { measure { id } } }",
        json!({ "i": { "number": "M-99", "title": "Nicht erlaubt", "orgUnitId": unit["id"], "goalIds": [] } }),
    )
    .await;
    assert_eq!(body["data"], json!({ "createMeasure": null }), "{body}");
    assert_eq!(
        codes(&body),
        [("createMeasure".to_owned(), "FORBIDDEN".to_owned())]
    );

    // An inline value that does not parse fails the mutation's own field, too.
    let central = app.token("central_it", "aachen", None);
    let body = answer(
        &app,
        &central,
        "mutation { createBudgetLine(input: { projectId: \"UHJvamVjdDox\", year: 2027, source: OWN_FUNDS, planned: \"abc\" }) { budgetLine { id } } }",
        json!({}),
    )
    .await;
    assert_eq!(body["data"], json!({ "createBudgetLine": null }), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "input");

    // The council report is refused to a department, null in its place.
    let body = answer(
        &app,
        &department,
        "{ councilReport(period: \"2026\") { period } me { role } }",
        json!({}),
    )
    .await;
    assert_eq!(body["data"].get("councilReport"), Some(&Value::Null));
    assert_eq!(body["data"]["me"]["role"], "DEPARTMENT");
}

async fn typed_look_ups_and_nodes_answer_what_the_viewer_may_see(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let council = app.token("council", "aachen", None);
    let list = "{ goals(first: 1) { edges { node { id title } } } measures(first: 100) { edges { node { id title visibility } } } projects(first: 1) { edges { node { id title } } } }";
    let all = app.query(&central, list, json!({})).await;
    let goal = nodes(&all["goals"]).remove(0);
    let measures = nodes(&all["measures"]);
    let project = nodes(&all["projects"]).remove(0);

    // Each look-up returns its own type.
    let found = app
        .query(
            &central,
            "query($g: ID!, $m: ID!, $p: ID!) { goal(id: $g) { __typename title } measure(id: $m) { __typename title } project(id: $p) { __typename title } }",
            json!({ "g": goal["id"], "m": measures[0]["id"], "p": project["id"] }),
        )
        .await;
    assert_eq!(
        found["goal"],
        json!({ "__typename": "Goal", "title": goal["title"] })
    );
    assert_eq!(found["measure"]["title"], measures[0]["title"]);
    assert_eq!(found["project"]["__typename"], "Project");

    // The id of another type is bad input; an id the viewer may not see is NOT_FOUND, and
    // the other fields of the query are answered.
    let body = answer(
        &app,
        &central,
        "query($id: ID!) { measure(id: $id) { id } me { role } }",
        json!({ "id": goal["id"] }),
    )
    .await;
    assert_eq!(
        codes(&body),
        [("measure".to_owned(), "BAD_USER_INPUT".to_owned())]
    );
    assert_eq!(body["data"]["me"]["role"], "CENTRAL_IT");
    let hidden = measures
        .iter()
        .find(|m| m["visibility"] == "INTERNAL")
        .expect("a measure the council may not see");
    let body = answer(
        &app,
        &council,
        "query($id: ID!) { measure(id: $id) { id } node(id: $id) { id } me { role } }",
        json!({ "id": hidden["id"] }),
    )
    .await;
    assert_eq!(body["data"].get("measure"), Some(&Value::Null), "{body}");
    assert_eq!(body["data"].get("node"), Some(&Value::Null));
    assert_eq!(
        codes(&body),
        [
            ("measure".to_owned(), "NOT_FOUND".to_owned()),
            ("node".to_owned(), "NOT_FOUND".to_owned())
        ]
    );

    // `nodes`: the order asked, null for what is hidden or names nothing, an id asked twice
    // answered twice; one statement per type asked for.
    let ids = json!([
        measures[1]["id"],
        goal["id"],
        "bm9wZTox",
        hidden["id"],
        measures[2]["id"],
        goal["id"],
        "not an id"
    ]);
    let query = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }";
    let before = app.statements();
    let answered = app.query(&central, query, json!({ "ids": ids })).await["nodes"].clone();
    let statements = app.statements() - before;
    let got: Vec<Value> = answered
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].clone())
        .collect();
    assert_eq!(
        got,
        [
            measures[1]["id"].clone(),
            goal["id"].clone(),
            Value::Null,
            hidden["id"].clone(),
            measures[2]["id"].clone(),
            goal["id"].clone(),
            Value::Null
        ]
    );
    assert_eq!(answered[0]["__typename"], "Measure");
    assert_eq!(answered[1]["__typename"], "Goal");
    // The viewer's statements, then one for the measures and one for the goals.
    assert!(statements <= 5, "{statements} statements for two types");
    let for_council = app.query(&council, query, json!({ "ids": ids })).await["nodes"].clone();
    assert_eq!(for_council[3], Value::Null, "hidden from the council");
    assert_eq!(for_council.as_array().unwrap().len(), 7);

    let too_many: Vec<Value> = (0..101).map(|_| goal["id"].clone()).collect();
    let body = answer(&app, &central, query, json!({ "ids": too_many })).await;
    assert_eq!(
        codes(&body),
        [("nodes".to_owned(), "BAD_USER_INPUT".to_owned())]
    );
}

async fn child_rows_are_nodes_with_their_parent_and_writes_return_the_parent(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let other_department = app.token("department", "aachen", Some("FB 36"));
    let projects = app
        .query(
            &central,
            "{ projects(first: 100) { edges { node { id orgUnit { code } budget { planned } budgetLines { id version planned } funding { id } links { id } } } } }",
            json!({}),
        )
        .await;
    let project = nodes(&projects["projects"])
        .into_iter()
        .find(|p| {
            !p["budgetLines"].as_array().unwrap().is_empty()
                && !p["orgUnit"]["code"].as_str().unwrap().starts_with("FB 36")
        })
        .expect("a project with a budget line outside FB 36");
    let line = project["budgetLines"][0].clone();

    // A budget line is a node and knows its project; another department, who may not see
    // the project's money, gets NOT_FOUND for it like for a row that does not exist.
    let read = "query($id: ID!) { node(id: $id) { __typename id ... on BudgetLine { planned project { id } } } }";
    let found = app.query(&central, read, json!({ "id": line["id"] })).await;
    assert_eq!(found["node"]["__typename"], "BudgetLine");
    assert_eq!(found["node"]["project"]["id"], project["id"]);
    let body = answer(&app, &other_department, read, json!({ "id": line["id"] })).await;
    assert_eq!(codes(&body), [("node".to_owned(), "NOT_FOUND".to_owned())]);

    // The payload of a change to a line carries the project with its new budget, so that a
    // client's cache of `Project.budget` stays right; so does the payload of a deletion.
    let planned = |v: &Value| v.as_str().unwrap().parse::<f64>().unwrap();
    let before = planned(&project["budget"]["planned"]);
    let line_planned = planned(&line["planned"]);
    let changed = app
        .query(
            &central,
            "mutation($i: UpdateBudgetLineInput!) { updateBudgetLine(input: $i) { budgetLine { id version } project { id budget { planned } } } }",
            json!({ "i": { "id": line["id"], "version": line["version"], "planned": format!("{}", line_planned + 1000.0) } }),
        )
        .await["updateBudgetLine"]
        .clone();
    assert_eq!(changed["project"]["id"], project["id"]);
    assert_eq!(
        planned(&changed["project"]["budget"]["planned"]),
        before + 1000.0
    );
    let deleted = app
        .query(
            &central,
            "mutation($i: DeleteBudgetLineInput!) { deleteBudgetLine(input: $i) { deletedBudgetLineId project { id budget { planned } } } }",
            json!({ "i": { "id": line["id"], "version": changed["budgetLine"]["version"] } }),
        )
        .await["deleteBudgetLine"]
        .clone();
    assert_eq!(deleted["deletedBudgetLineId"], line["id"]);
    assert_eq!(
        planned(&deleted["project"]["budget"]["planned"]),
        before - line_planned
    );

    // Indicator values are nodes with their indicator, and recording one returns the
    // indicator with its latest value.
    let indicators = app
        .query(
            &central,
            "{ goals(first: 100) { edges { node { indicators { id values { id } } } } } }",
            json!({}),
        )
        .await;
    let indicator = nodes(&indicators["goals"])
        .into_iter()
        .flat_map(|g| g["indicators"].as_array().unwrap().clone())
        .next()
        .expect("an indicator");
    let recorded = app
        .query(
            &central,
            "mutation($i: RecordIndicatorValueInput!) { recordIndicatorValue(input: $i) { indicatorValue { id indicator { id } } indicator { id latestValue { value } } } }",
            json!({ "i": { "indicatorId": indicator["id"], "measuredOn": "2026-11-30", "value": "42.5" } }),
        )
        .await["recordIndicatorValue"]
        .clone();
    assert_eq!(recorded["indicator"]["id"], indicator["id"]);
    assert_eq!(
        recorded["indicatorValue"]["indicator"]["id"],
        indicator["id"]
    );
    assert_eq!(recorded["indicator"]["latestValue"]["value"], "42.5");
    let node = app
        .query(
            &central,
            "query($id: ID!) { node(id: $id) { ... on IndicatorValue { value } } }",
            json!({ "id": recorded["indicatorValue"]["id"] }),
        )
        .await;
    assert_eq!(node["node"]["value"], "42.5");

    // The tenant is a node too, for the viewer's own tenant only.
    let tenant = app
        .query(&central, "{ me { tenant { id key } } }", json!({}))
        .await["me"]["tenant"]
        .clone();
    let node = app
        .query(
            &central,
            "query($id: ID!) { node(id: $id) { ... on Tenant { key } } }",
            json!({ "id": tenant["id"] }),
        )
        .await;
    assert_eq!(node["node"]["key"], tenant["key"]);
    let other = app.token("central_it", "kisa", None);
    let body = answer(
        &app,
        &other,
        "query($id: ID!) { node(id: $id) { id } }",
        json!({ "id": tenant["id"] }),
    )
    .await;
    assert_eq!(codes(&body), [("node".to_owned(), "NOT_FOUND".to_owned())]);
}

async fn work_items_share_one_fragment_and_audit_entries_link_their_subject(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let types = app
        .query(
            &central,
            "{ __type(name: \"WorkItem\") { kind possibleTypes { name } fields { name } } }",
            json!({}),
        )
        .await;
    let mut possible: Vec<String> = types["__type"]["possibleTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    possible.sort();
    assert_eq!(types["__type"]["kind"], "INTERFACE");
    assert_eq!(possible, ["Measure", "Project", "SubProject"]);

    // One fragment on `WorkItem` reads the subject of every status report, whatever it is.
    let reports = app
        .query(
            &central,
            "fragment Status on WorkItem { id title status rag progress derivedRag viewerCanEdit orgUnit { code } statusReports(first: 1) { totalCount } } { statusReports(first: 100) { edges { node { subject { __typename ...Status } } } } }",
            json!({}),
        )
        .await;
    let subjects: Vec<Value> = nodes(&reports["statusReports"])
        .into_iter()
        .map(|r| r["subject"].clone())
        .collect();
    let mut kinds: Vec<&str> = subjects
        .iter()
        .map(|s| s["__typename"].as_str().unwrap())
        .collect();
    kinds.sort();
    kinds.dedup();
    assert!(
        kinds.len() >= 2,
        "reports on several kinds of work: {kinds:?}"
    );
    for subject in &subjects {
        assert!(subject["title"].is_string() && subject["orgUnit"]["code"].is_string());
        assert!(subject["statusReports"]["totalCount"].as_i64().unwrap() >= 1);
    }

    // An audit entry links the row it describes, as it is now.
    let measure = app.first_measure(&central).await;
    app.query(
        &central,
        "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { id } } }",
        json!({ "i": { "id": measure["id"], "version": measure["version"], "title": "Neuer Titel" } }),
    )
    .await;
    let log = app
        .query(
            &central,
            "query($id: ID!) { auditLog(subjectId: $id, first: 1) { edges { node { id actorRole actionKind subjectKind subjectId subject { __typename ... on Measure { title } } } } } }",
            json!({ "id": measure["id"] }),
        )
        .await;
    let entry = nodes(&log["auditLog"]).remove(0);
    assert_eq!(entry["subjectId"], measure["id"]);
    assert_eq!(
        (
            &entry["actorRole"],
            &entry["actionKind"],
            &entry["subjectKind"]
        ),
        (&json!("CENTRAL_IT"), &json!("UPDATE"), &json!("MEASURE"))
    );
    assert_eq!(
        entry["subject"],
        json!({ "__typename": "Measure", "title": "Neuer Titel" })
    );
    let node = app
        .query(
            &central,
            "query($id: ID!) { node(id: $id) { __typename } }",
            json!({ "id": entry["id"] }),
        )
        .await;
    assert_eq!(node["node"]["__typename"], "AuditEntry");
}

async fn the_council_report_links_the_rows_it_describes(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let report = app
        .query(
            &central,
            "{ councilReport(period: \"2026\") { totals { goalCount goals measureCount measures } goals { code goal { id code } measures { number measure { id number } } ragChanges { subjectKind title subject { __typename id title } } } } }",
            json!({}),
        )
        .await;
    let goals = report["councilReport"]["goals"].as_array().unwrap().clone();
    assert!(!goals.is_empty());
    // The counts under their new names, and the deprecated ones still answered alike.
    let totals = &report["councilReport"]["totals"];
    assert_eq!(totals["goalCount"], json!(goals.len()));
    assert_eq!(totals["goals"], totals["goalCount"]);
    assert_eq!(totals["measures"], totals["measureCount"]);
    let mut changes = 0;
    for goal in &goals {
        assert_eq!(goal["goal"]["code"], goal["code"], "{goal}");
        for measure in goal["measures"].as_array().unwrap() {
            assert_eq!(measure["measure"]["number"], measure["number"]);
        }
        for change in goal["ragChanges"].as_array().unwrap() {
            changes += 1;
            let kind = change["subject"]["__typename"].as_str().unwrap();
            let expected = match kind {
                "Measure" => "MEASURE",
                "Project" => "PROJECT",
                _ => "SUB_PROJECT",
            };
            assert_eq!(change["subjectKind"], expected);
            assert_eq!(change["subject"]["title"], change["title"]);
        }
    }
    assert!(
        changes > 0,
        "the demo year 2026 has traffic lights that changed"
    );
}

async fn null_in_an_update_clears_a_nullable_field_and_is_refused_for_a_required_one(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let measure = app.first_measure(&central).await;
    let update = "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { version title description dueDate } } }";
    let set = app
        .query(
            &central,
            update,
            json!({ "i": { "id": measure["id"], "version": measure["version"], "description": "Beschreibung", "dueDate": "2027-06-30" } }),
        )
        .await["updateMeasure"]["measure"]
        .clone();
    assert_eq!(set["description"], "Beschreibung");

    // `null` for a required field: refused, naming the field, and nothing changes.
    for field in ["title", "status", "orgUnitId", "goalIds"] {
        let mut input =
            json!({ "id": measure["id"], "version": set["version"], "description": null });
        input[field] = Value::Null;
        let body = answer(&app, &central, update, json!({ "i": input })).await;
        assert_eq!(
            body["data"],
            json!({ "updateMeasure": null }),
            "{field}: {body}"
        );
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], field);
    }
    // Left out: kept. `null` for a nullable field: cleared.
    let cleared = app
        .query(
            &central,
            update,
            json!({ "i": { "id": measure["id"], "version": set["version"], "description": null, "dueDate": null } }),
        )
        .await["updateMeasure"]["measure"]
        .clone();
    assert_eq!(cleared["description"], Value::Null);
    assert_eq!(cleared["dueDate"], Value::Null);
    assert_eq!(cleared["title"], set["title"]);
    assert_eq!(cleared["version"], set["version"].as_i64().unwrap() + 1);
}

async fn every_list_takes_an_order(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    // Make sure the audit log has a few entries.
    for _ in 0..2 {
        let measure = app.first_measure(&central).await;
        app.query(
            &central,
            "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { id } } }",
            json!({ "i": { "id": measure["id"], "version": measure["version"], "priority": "HIGH" } }),
        )
        .await;
    }
    let read = |list: &'static str,
                field: &'static str,
                key: &'static str,
                direction: &'static str| {
        let query = format!(
            "{{ {list}(first: 100, orderBy: {{ field: {field}, direction: {direction} }}) {{ edges {{ node {{ {key} }} }} }} }}"
        );
        let app = &app;
        let central = central.clone();
        async move {
            let data = app.query(&central, &query, json!({})).await;
            nodes(&data[list])
                .into_iter()
                .map(|n| n[key].as_str().unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        }
    };
    // Dates and instants sort as their ISO text does.
    for (list, field, key) in [
        ("steeringMeetings", "HELD_ON", "heldOn"),
        ("auditLog", "AT", "at"),
        ("strategies", "PERIOD_START", "periodStart"),
    ] {
        let ascending = read(list, field, key, "ASC").await;
        assert!(ascending.len() >= 2, "{list}: {ascending:?}");
        assert!(ascending.is_sorted(), "{list} by {field}: {ascending:?}");
        let mut descending = read(list, field, key, "DESC").await;
        descending.reverse();
        assert!(descending.is_sorted(), "{list} by {field} DESC");
    }
    // Text: the database's collation decides; descending is ascending reversed.
    for (list, field, key) in [
        ("categories", "NAME", "name"),
        ("strategies", "TITLE", "title"),
        ("reuseCatalogue", "TITLE", "title"),
    ] {
        let ascending = read(list, field, key, "ASC").await;
        let mut descending = read(list, field, key, "DESC").await;
        descending.reverse();
        assert!(ascending.len() >= 2, "{list}: {ascending:?}");
        assert_eq!(ascending, descending, "{list} by {field}");
        assert_ne!(
            ascending,
            read(list, field, key, "DESC").await,
            "{list}: the order applies"
        );
    }
}

async fn dashboards_are_nodes_so_that_their_lists_can_be_paged(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let department = app.token("department", "aachen", Some("FB 36"));
    let portfolio = app
        .query(
            &central,
            "{ portfolioDashboard { id overdueMilestones(first: 1) { totalCount } } }",
            json!({}),
        )
        .await["portfolioDashboard"]
        .clone();
    let refetched = app
        .query(
            &central,
            "query($id: ID!) { node(id: $id) { __typename id ... on PortfolioDashboard { overdueMilestones(first: 1) { totalCount } } } }",
            json!({ "id": portfolio["id"] }),
        )
        .await["node"]
        .clone();
    assert_eq!(refetched["__typename"], "PortfolioDashboard");
    assert_eq!(refetched["id"], portfolio["id"]);
    assert_eq!(
        refetched["overdueMilestones"],
        portfolio["overdueMilestones"]
    );

    // A department may not open the portfolio: the node is not there for it.
    let body = answer(
        &app,
        &department,
        "query($id: ID!) { node(id: $id) { id } }",
        json!({ "id": portfolio["id"] }),
    )
    .await;
    assert_eq!(codes(&body), [("node".to_owned(), "NOT_FOUND".to_owned())]);

    // Its own dashboard is, with the same id as the root field gives.
    let own = app
        .query(
            &department,
            "{ departmentDashboard { id orgUnit { code } } }",
            json!({}),
        )
        .await["departmentDashboard"]
        .clone();
    let refetched = app
        .query(
            &department,
            "query($id: ID!) { node(id: $id) { ... on DepartmentDashboard { id orgUnit { code } } } }",
            json!({ "id": own["id"] }),
        )
        .await["node"]
        .clone();
    assert_eq!(refetched, own);
    assert_eq!(own["orgUnit"]["code"], "FB 36");
}

async fn council_reports_are_nodes_live_and_published(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let council = app.token("council", "aachen", None);
    let department = app.token("department", "aachen", Some("FB 36"));
    let fields = "period from to asOf totals { goalCount measureCount } goals { code }";
    let by_node = format!(
        "query($id: ID!) {{ node(id: $id) {{ __typename id ... on CouncilReport {{ {fields} }} }} \
         nodes(ids: [$id]) {{ id }} }}"
    );

    // The live report, as asked for (a named period, and a range of days on a day in it) ...
    for arguments in [
        "period: \"2026-Q3\"",
        "from: \"2026-02-01\", to: \"2026-05-31\", asOf: \"2026-04-30\"",
    ] {
        let live = app
            .query(
                &central,
                &format!("{{ councilReport({arguments}) {{ id {fields} }} }}"),
                json!({}),
            )
            .await["councilReport"]
            .clone();
        // ... comes back through node(id:) and nodes(ids:) as the same report.
        let again = app
            .query(&central, &by_node, json!({ "id": live["id"] }))
            .await;
        assert_eq!(again["node"]["__typename"], "CouncilReport");
        for field in ["id", "period", "from", "to", "asOf", "totals", "goals"] {
            assert_eq!(again["node"][field], live[field], "{arguments}: {field}");
        }
        assert_eq!(again["nodes"][0]["id"], live["id"]);

        // The council reads it once central IT released the live report; a department never.
        let body = answer(&app, &department, &by_node, json!({ "id": live["id"] })).await;
        assert!(body["data"]["node"].is_null(), "{body}");
        assert!(body["data"]["nodes"][0].is_null(), "{body}");
        let body = answer(&app, &council, &by_node, json!({ "id": live["id"] })).await;
        assert!(body["data"]["node"].is_null(), "{body}");
    }
    app.release_live_report(&central).await;
    let live = app
        .query(
            &council,
            "{ councilReport(period: \"2026-Q3\") { id } }",
            json!({}),
        )
        .await["councilReport"]["id"]
        .clone();
    let again = app.query(&council, &by_node, json!({ "id": live })).await;
    assert_eq!(again["node"]["id"], live);

    // A published report is a node by its row.
    let published = app
        .query(
            &central,
            &format!(
                "mutation {{ publishCouncilReport(input: {{ period: \"2026-Q3\" }}) \
                 {{ report {{ id {fields} }} }} }}"
            ),
            json!({}),
        )
        .await["publishCouncilReport"]["report"]
        .clone();
    assert_ne!(published["id"], live);
    let again = app
        .query(&council, &by_node, json!({ "id": published["id"] }))
        .await;
    assert_eq!(again["node"]["goals"], published["goals"]);
    assert_eq!(again["node"]["id"], published["id"]);
    let body = answer(
        &app,
        &department,
        &by_node,
        json!({ "id": published["id"] }),
    )
    .await;
    assert!(body["data"]["node"].is_null(), "{body}");
}

async fn one_name_per_concept_and_the_old_names_still_answer(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    // Every kind of work has `code` and `dueDate`, also through the interface; the old names
    // answer the same values for one release.
    let read = app
        .query(
            &central,
            "{ measures(first: 5) { edges { node { code number dueDate } } } \
               projects(first: 5, orderBy: { field: DUE_DATE }) { edges { node { code dueDate endDate } } } \
               byEnd: projects(first: 5, orderBy: { field: END_DATE }) { edges { node { code } } } \
               subProjects(first: 5) { edges { node { code dueDate endDate } } } \
               statusReports(first: 10) { edges { node { subject { code dueDate } } } } }",
            json!({}),
        )
        .await;
    for measure in nodes(&read["measures"]) {
        assert!(measure["code"].is_string());
        assert_eq!(measure["code"], measure["number"]);
    }
    for list in ["projects", "subProjects"] {
        for work in nodes(&read[list]) {
            assert_eq!(work["dueDate"], work["endDate"], "{list}");
        }
    }
    // DUE_DATE and the deprecated END_DATE sort alike.
    let codes_of = |list: &str| -> Vec<Value> {
        nodes(&read[list])
            .iter()
            .map(|p| p["code"].clone())
            .collect()
    };
    assert_eq!(codes_of("projects"), codes_of("byEnd"));
    assert!(
        nodes(&read["statusReports"])
            .iter()
            .any(|r| r["subject"]["code"].is_string()),
        "{read}"
    );

    // Writes take the new names, and the old ones for one release; both at once must agree.
    let unit = nodes(
        &app.query(
            &central,
            "{ orgUnits(first: 1, filter: { search: \"FB 36\" }) { edges { node { id } } } }",
            json!({}),
        )
        .await["orgUnits"],
    )
    .remove(0);
    let create =
        "mutation($i: CreateMeasureInput!) { createMeasure(input: $i) { measure { code } } }";
    for (given, code) in [
        (json!({ "code": "N-1" }), "N-1"),
        (json!({ "number": "N-2" }), "N-2"),
        (json!({ "code": "N-3", "number": "N-3" }), "N-3"),
    ] {
        let mut input = json!({ "title": "Namen", "orgUnitId": unit["id"] });
        input
            .as_object_mut()
            .unwrap()
            .extend(given.as_object().unwrap().clone());
        let made = app.query(&central, create, json!({ "i": input })).await;
        assert_eq!(made["createMeasure"]["measure"]["code"], code);
    }
    for given in [json!({}), json!({ "code": "N-4", "number": "N-5" })] {
        let mut input = json!({ "title": "Namen", "orgUnitId": unit["id"] });
        input
            .as_object_mut()
            .unwrap()
            .extend(given.as_object().unwrap().clone());
        let code = app
            .error_code(Some(&central), create, json!({ "i": input }))
            .await;
        assert_eq!(code, "BAD_USER_INPUT", "{given}");
    }

    let project = nodes(
        &app.query(
            &central,
            "{ projects(first: 1) { edges { node { id version } } } }",
            json!({}),
        )
        .await["projects"],
    )
    .remove(0);
    let update = "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { version dueDate } } }";
    let mut version = project["version"].clone();
    for (given, due) in [
        (json!({ "dueDate": "2031-03-31" }), json!("2031-03-31")),
        (json!({ "endDate": "2031-06-30" }), json!("2031-06-30")),
        (json!({ "dueDate": null }), Value::Null),
    ] {
        let mut input = json!({ "id": project["id"], "version": version });
        input
            .as_object_mut()
            .unwrap()
            .extend(given.as_object().unwrap().clone());
        let changed = app.query(&central, update, json!({ "i": input })).await;
        assert_eq!(
            changed["updateProject"]["project"]["dueDate"], due,
            "{given}"
        );
        version = changed["updateProject"]["project"]["version"].clone();
    }
    let input = json!({ "id": project["id"], "version": version, "dueDate": "2031-03-31", "endDate": null });
    let code = app
        .error_code(Some(&central), update, json!({ "i": input }))
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
}
