//! Paging as a client lives with it: cursors that hold their place while rows are added,
//! `last`/`before` backwards, and every order of every list paged through from its cursors
//! to exactly the list it reads whole.

use api::graphql::connection::cursor::{Cursor, Key};
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
};

on_both!(
    a_newest_first_page_stays_exact_while_reports_are_added,
    pages_go_backwards_with_last_and_before,
    every_order_of_every_list_pages_through_to_the_whole_list,
    cursors_of_another_list_or_order_are_refused,
    nested_lists_sort_as_the_top_level_lists_do,
);

fn ids(connection: &Value) -> Vec<String> {
    nodes(connection)
        .iter()
        .map(|node| node["id"].as_str().expect("an id").to_owned())
        .collect()
}

fn cursors(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["cursor"].as_str().expect("a cursor").to_owned())
        .collect()
}

const PAGE: &str = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } \
                    edges { cursor node { id } }";

async fn submit_report(app: &TestApp, token: &str, subject: &Value, summary: &str) {
    app.query(
        token,
        "mutation($i: SubmitStatusReportInput!) { \
         submitStatusReport(input: $i) { statusReport { id } } }",
        json!({ "i": { "subjectId": subject, "progress": 40, "rag": "GREEN", "summary": summary } }),
    )
    .await;
}

async fn a_newest_first_page_stays_exact_while_reports_are_added(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let measure = app.first_measure(&central).await["id"].clone();
    for n in 0..3 {
        submit_report(&app, &central, &measure, &format!("Bericht {n}")).await;
    }
    let top =
        format!("query($after: String) {{ statusReports(first: 2, after: $after) {{ {PAGE} }} }}");
    let nested = format!(
        "query($m: ID!, $after: String) {{ measure(id: $m) {{ \
         statusReports(first: 2, after: $after) {{ {PAGE} }} }} }}"
    );
    let read = |query: String, after: Value| {
        let app = &app;
        let central = &central;
        let measure = &measure;
        async move {
            let data = app
                .query(central, &query, json!({ "m": measure, "after": after }))
                .await;
            match data.get("measure") {
                Some(measure) => measure["statusReports"].clone(),
                None => data["statusReports"].clone(),
            }
        }
    };
    for query in [top, nested] {
        let first = read(query.clone(), Value::Null).await;
        let cursor = first["pageInfo"]["endCursor"].clone();
        let second = read(query.clone(), cursor.clone()).await;
        assert_eq!(ids(&second).len(), 2, "{second}");
        assert_eq!(second["pageInfo"]["hasPreviousPage"], true);
        // A report submitted meanwhile goes to the top of the list ...
        submit_report(&app, &central, &measure, "Neu dazwischen").await;
        let top_now = read(query.clone(), Value::Null).await;
        assert!(!ids(&first).contains(&ids(&top_now)[0]), "{top_now}");
        // ... and the next page after the cursor read before is the same as before.
        let again = read(query.clone(), cursor).await;
        assert_eq!(ids(&again), ids(&second), "{query}");
    }
}

async fn pages_go_backwards_with_last_and_before(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let query = format!(
        "query($first: Int, $after: String, $last: Int, $before: String) {{ \
         measures(first: $first, after: $after, last: $last, before: $before) {{ {PAGE} }} }}"
    );
    let page =
        |first: Option<i32>, after: Option<&str>, last: Option<i32>, before: Option<&str>| {
            let variables =
                json!({ "first": first, "after": after, "last": last, "before": before });
            let app = &app;
            let central = &central;
            let query = &query;
            async move { app.query(central, query, variables).await["measures"].clone() }
        };
    let whole = page(Some(100), None, None, None).await;
    let all = ids(&whole);
    let all_cursors = cursors(&whole);
    let n = all.len();
    assert!(n >= 8, "the demo data has enough measures: {n}");

    // The end of the list, then the page before it.
    let end = page(None, None, Some(3), None).await;
    assert_eq!(ids(&end), all[n - 3..]);
    assert_eq!(end["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(end["pageInfo"]["hasNextPage"], false);
    let start = end["pageInfo"]["startCursor"].as_str().unwrap().to_owned();
    let before_end = page(None, None, Some(3), Some(&start)).await;
    assert_eq!(ids(&before_end), all[n - 6..n - 3]);
    assert_eq!(before_end["pageInfo"]["hasNextPage"], true);

    // `last` larger than what lies before the cursor: the start of the list, and no more.
    let head = page(None, None, Some(50), Some(&all_cursors[2])).await;
    assert_eq!(ids(&head), all[..2]);
    assert_eq!(head["pageInfo"]["hasPreviousPage"], false);

    // A window between two cursors, read from either end.
    let after = Some(all_cursors[1].as_str());
    let before = Some(all_cursors[6].as_str());
    assert_eq!(ids(&page(Some(10), after, None, before).await), all[2..6]);
    assert_eq!(ids(&page(Some(2), after, None, before).await), all[2..4]);
    assert_eq!(ids(&page(None, after, Some(2), before).await), all[4..6]);

    // Nested lists too: a project's status reports, newest first.
    let project = app
        .query(
            &central,
            "{ projects(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let project = nodes(&project["projects"])[0]["id"].clone();
    for n in 0..5 {
        submit_report(&app, &central, &project, &format!("Bericht {n}")).await;
    }
    let nested = format!(
        "query($p: ID!, $first: Int, $last: Int, $before: String) {{ project(id: $p) {{ \
         statusReports(first: $first, last: $last, before: $before) {{ {PAGE} }} }} }}"
    );
    let read = |variables: Value| {
        let app = &app;
        let central = &central;
        let nested = &nested;
        async move { app.query(central, nested, variables).await["project"]["statusReports"].clone() }
    };
    let whole = read(json!({ "p": project, "first": 100 })).await;
    let all = ids(&whole);
    let n = all.len();
    let end = read(json!({ "p": project, "last": 2 })).await;
    assert_eq!(ids(&end), all[n - 2..]);
    assert_eq!(end["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(end["pageInfo"]["hasNextPage"], false);
    let before = end["pageInfo"]["startCursor"].clone();
    let earlier = read(json!({ "p": project, "last": 2, "before": before })).await;
    assert_eq!(ids(&earlier), all[n - 4..n - 2]);
    assert_eq!(earlier["pageInfo"]["hasNextPage"], true);
}

/// The top-level lists with an `orderBy`, each with the values of its order field.
async fn orders(app: &TestApp, token: &str) -> Vec<(String, Vec<String>)> {
    let schema = app
        .query(
            token,
            "{ __schema { queryType { fields { name args { name type { name } } } } } }",
            json!({}),
        )
        .await;
    let mut lists = Vec::new();
    for field in schema["__schema"]["queryType"]["fields"]
        .as_array()
        .unwrap()
    {
        let args = field["args"].as_array().unwrap();
        let Some(order) = args.iter().find(|arg| arg["name"] == "orderBy") else {
            continue;
        };
        let input = order["type"]["name"].as_str().unwrap();
        let name = field["name"].as_str().unwrap();
        let values = app
            .query(
                token,
                "query($t: String!) { __type(name: $t) { inputFields { name type { \
                 ofType { enumValues { name } } enumValues { name } } } } }",
                json!({ "t": input }),
            )
            .await;
        let field = values["__type"]["inputFields"]
            .as_array()
            .and_then(|fields| fields.iter().find(|field| field["name"] == "field"))
            .unwrap_or_else(|| panic!("{input}: no field to sort by"));
        let values = field["type"]["enumValues"]
            .as_array()
            .or_else(|| field["type"]["ofType"]["enumValues"].as_array())
            .unwrap_or_else(|| panic!("{input}: no enum values"))
            .iter()
            .map(|value| value["name"].as_str().unwrap().to_owned())
            .collect();
        lists.push((name.to_owned(), values));
    }
    lists
}

async fn every_order_of_every_list_pages_through_to_the_whole_list(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    // Enough history that the audit log and the reports have rows.
    let measure = app.first_measure(&central).await["id"].clone();
    submit_report(&app, &central, &measure, "Für die Reihenfolge").await;
    let lists = orders(&app, &central).await;
    assert!(lists.len() >= 13, "{lists:?}");
    // The tenants are the operator's list.
    let operator = app.operator_token();
    const SIZE: usize = 7;
    // A top-level list's cursor is its row's values of the sort keys: the same row has the
    // same cursor on every page, and rows without an id (reuse offers) can be told apart.
    const KEYS: &str = "pageInfo { hasPreviousPage startCursor endCursor } edges { cursor }";
    for (list, fields) in lists {
        for field in fields {
            for direction in ["ASC", "DESC"] {
                let query = format!(
                    "query($first: Int, $after: String, $last: Int, $before: String) {{ \
                     {list}(first: $first, after: $after, last: $last, before: $before, \
                     orderBy: {{ field: {field}, direction: {direction} }}) {{ {KEYS} }} }}"
                );
                let token = if list == "tenants" {
                    &operator
                } else {
                    &central
                };
                let read = |variables: Value| {
                    let app = &app;
                    let query = &query;
                    let list = list.as_str();
                    async move { app.query(token, query, variables).await[list].clone() }
                };
                let whole = read(json!({ "first": 100 })).await;
                let all = cursors(&whole);
                let label = format!("{list} by {field} {direction}");
                assert!(!all.is_empty(), "{label}: no rows to page");

                let mut forward = Vec::new();
                let mut after = Value::Null;
                while forward.len() < all.len() {
                    let page = read(json!({ "first": SIZE, "after": after })).await;
                    let got = cursors(&page);
                    assert!(
                        !got.is_empty(),
                        "{label}: an empty page after {} rows",
                        forward.len()
                    );
                    forward.extend(got);
                    after = page["pageInfo"]["endCursor"].clone();
                }
                assert_eq!(forward, all, "{label}, forwards");

                // Backwards from the last row read whole, towards the start.
                let last_cursor = cursors(&whole).pop().unwrap();
                let mut backward = Vec::new();
                let mut before = Value::String(last_cursor);
                loop {
                    let page = read(json!({ "last": SIZE, "before": before })).await;
                    let mut got = cursors(&page);
                    got.extend(backward);
                    backward = got;
                    if page["pageInfo"]["hasPreviousPage"] != true {
                        break;
                    }
                    before = page["pageInfo"]["startCursor"].clone();
                }
                assert_eq!(backward, all[..all.len() - 1], "{label}, backwards");
            }
        }
    }
}

async fn cursors_of_another_list_or_order_are_refused(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let page = app
        .query(
            &central,
            &format!("{{ measures(first: 2) {{ {PAGE} }} }}"),
            json!({}),
        )
        .await;
    let cursor = page["measures"]["pageInfo"]["endCursor"].clone();
    let refused = [
        // The same list in another order.
        "query($c: String) { measures(after: $c, orderBy: { field: TITLE }) { totalCount } }",
        // Another list, whose keys are other columns.
        "query($c: String) { strategies(after: $c) { totalCount } }",
        // A nested list, whose cursors name rows.
        "query($c: String) { orgUnits(first: 1) { edges { node { measures(after: $c) { totalCount } } } } }",
        // Both ends at once.
        "query($c: String) { measures(first: 2, last: 2, after: $c) { totalCount } }",
    ];
    for query in refused {
        let code = app
            .error_code(Some(&central), query, json!({ "c": cursor }))
            .await;
        assert_eq!(code, "BAD_USER_INPUT", "{query}");
    }

    // A cursor whose row was deleted still has its place: the values of its keys.
    let Ok(Cursor::Keys { order, mut values }) = Cursor::decode(cursor.as_str().unwrap()) else {
        panic!("a keyset cursor: {cursor}");
    };
    let Some(Key::Int(id)) = values.pop() else {
        panic!("the id ends the keys: {values:?}");
    };
    // The same keys with a smaller id (as if a row before it) and one beyond every row.
    for gone in [id - 1_000_000, i64::from(i32::MAX)] {
        let mut forged = values.clone();
        forged.push(Key::Int(gone));
        let forged = Cursor::Keys {
            order: order.clone(),
            values: forged,
        }
        .encode();
        let next = app
            .query(
                &central,
                "query($c: String) { measures(first: 3, after: $c) { edges { node { id } } } }",
                json!({ "c": forged }),
            )
            .await;
        let real = app
            .query(
                &central,
                "query($c: String) { measures(first: 3, after: $c) { edges { node { id } } } }",
                json!({ "c": cursor }),
            )
            .await;
        let next = ids(&next["measures"]);
        let real = ids(&real["measures"]);
        if gone < id {
            // The row itself follows the forged place, then the page goes on as after it.
            assert_eq!(next[1..], real[..2], "{next:?} {real:?}");
        } else {
            assert_eq!(next, real);
        }
    }
}

/// The values of the order field of `input` (e.g. `MeasureOrder`).
async fn order_fields(app: &TestApp, token: &str, input: &str) -> Vec<String> {
    let read = app
        .query(
            token,
            "query($t: String!) { __type(name: $t) { inputFields { name type { \
             ofType { enumValues(includeDeprecated: false) { name } } } } } }",
            json!({ "t": input }),
        )
        .await;
    read["__type"]["inputFields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|field| field["name"] == "field")
        .unwrap()["type"]["ofType"]["enumValues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|value| value["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn nested_lists_sort_as_the_top_level_lists_do(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    // The unit owning the most measures: lists long enough to tell orders apart.
    let units = app
        .query(
            &central,
            "{ orgUnits(first: 100) { edges { node { id measures(first: 100) { totalCount } } } } }",
            json!({}),
        )
        .await;
    let unit = nodes(&units["orgUnits"])
        .into_iter()
        .max_by_key(|unit| unit["measures"]["totalCount"].as_i64())
        .unwrap()["id"]
        .clone();
    // A unit's own measures, projects and sub-projects, nested (sorted in memory) and at the
    // top (sorted by the database), in every order: the same rows in the same order.
    for (nested, top, input) in [
        ("measures", "measures", "MeasureOrder"),
        ("projects", "projects", "ProjectOrder"),
        ("subProjects", "subProjects", "SubProjectOrder"),
    ] {
        for field in order_fields(&app, &central, input).await {
            for direction in ["ASC", "DESC"] {
                let order = format!("orderBy: {{ field: {field}, direction: {direction} }}");
                let read = app
                    .query(
                        &central,
                        &format!(
                            "query($u: ID!) {{ orgUnit(id: $u) {{ {nested}(first: 100, {order}) \
                             {{ edges {{ node {{ id }} }} }} }} \
                             {top}(first: 100, {order}, filter: {{ orgUnitId: $u, \
                             includeSubUnits: false }}) {{ edges {{ node {{ id }} }} }} }}"
                        ),
                        json!({ "u": unit }),
                    )
                    .await;
                let in_memory = ids(&read["orgUnit"][nested]);
                let in_sql = ids(&read[top]);
                assert!(!in_sql.is_empty(), "{nested}: no rows");
                assert_eq!(in_memory, in_sql, "{nested} by {field} {direction}");
            }
        }
    }
    // Without an order, a nested list keeps its own (status reports newest first), and an
    // order turns it round.
    let measure = app.first_measure(&central).await["id"].clone();
    for n in 0..3 {
        submit_report(&app, &central, &measure, &format!("Bericht {n}")).await;
    }
    let read = app
        .query(
            &central,
            "query($m: ID!) { measure(id: $m) { \
             newest: statusReports(first: 100) { edges { node { id } } } \
             oldest: statusReports(first: 100, orderBy: { field: REPORTED_ON, direction: ASC }) \
             { edges { node { id } } } } }",
            json!({ "m": measure }),
        )
        .await;
    let newest = ids(&read["measure"]["newest"]);
    let mut oldest = ids(&read["measure"]["oldest"]);
    assert!(newest.len() >= 3);
    // Newest first is by date and id, both descending: its exact reverse.
    oldest.reverse();
    assert_eq!(oldest, newest);
}
