//! The node limit (`MAX_QUERY_COMPLEXITY`, refused with `COMPLEXITY_LIMIT`): the nodes an
//! operation could fetch, counted as GitHub counts them, checked before anything runs.

use api::http::persisted::sha256_hex;
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app, spawn_app_with},
    on_both,
};

/// The benchmark's documents themselves, so that the pages tested here are the pages measured.
#[path = "../../benches/load/operations.rs"]
#[allow(dead_code)]
mod operations;

on_both!(
    the_benchmark_pages_pass_with_the_default_limit,
    three_nested_pages_of_100_are_refused_with_their_count,
    variables_fragments_and_aliases_count,
    the_limit_is_configurable
);

/// Three nested pages of 100: 100 + 100 x 100 + 100 x 100 x 100 nodes.
const THREE_PAGES: &str = "{ measures(first: 100) { edges { node { projects(first: 100) { edges { node { subProjects(first: 100) { edges { node { id title } } } } } } } } } }";

/// Posts `body`; asserts that it was refused with `COMPLEXITY_LIMIT` naming `nodes`, and
/// that nothing ran but the token's viewer lookup.
async fn assert_refused(app: &TestApp, token: &str, body: Value, nodes: u64) {
    let statements = app.statements();
    let (status, answer) = app.post(Some(token), body).await;
    assert_eq!(status, 200, "{answer}");
    let error = &answer["errors"][0];
    assert_eq!(error["extensions"]["code"], "COMPLEXITY_LIMIT", "{answer}");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("could fetch {nodes} nodes"))
            && message.contains("at most 500000"),
        "{message}"
    );
    assert!(app.statements() - statements <= 3);
}

async fn the_benchmark_pages_pass_with_the_default_limit(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let department = app.token("department", "aachen", Some("FB 36"));
    let council = app.token("council", "aachen", None);
    app.release_live_report(&central).await;
    let deep = app.query(&central, operations::DEEP_PAGE, json!({})).await;
    let goals = nodes(&deep["goals"]);
    assert!(
        goals
            .iter()
            .any(|goal| !nodes(&goal["measures"]).is_empty()),
        "the demo's goals come with their measures: {deep}"
    );
    for (token, document) in [
        (&central, operations::MEDIUM_PAGE),
        (&central, operations::MEASURES_PAGE),
        (&central, operations::PORTFOLIO_DASHBOARD),
        (&department, operations::DEPARTMENT_DASHBOARD),
        (&council, operations::COUNCIL_REPORT),
    ] {
        let data = app.query(token, document, json!({})).await;
        assert!(data.as_object().is_some_and(|data| !data.is_empty()));
    }
    // Two levels of 100, and a page of 100 below a list: 100 + 100 x (100 + 20 x 100) =
    // 210,100 nodes.
    app.query(&central, "{ measures(first: 100) { edges { node { id projects(first: 100) { edges { node { id } } } goals { id measures(first: 100) { edges { node { id } } } } } } } }", json!({})).await;
}

async fn three_nested_pages_of_100_are_refused_with_their_count(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    assert_refused(&app, &token, json!({ "query": THREE_PAGES }), 1_010_100).await;
    // A client of the GraphQL-over-HTTP media type gets 400 without `data`.
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&token)
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": THREE_PAGES }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "COMPLEXITY_LIMIT");
    assert!(body.get("data").is_none(), "{body}");
    // A persisted query is counted as the document its hash stands for, sent or stored.
    let persisted =
        json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256_hex(THREE_PAGES) } });
    let with_query = json!({ "query": THREE_PAGES, "extensions": persisted.clone() });
    assert_refused(&app, &token, with_query, 1_010_100).await;
    let hash_alone = json!({ "extensions": persisted });
    assert_refused(&app, &token, hash_alone, 1_010_100).await;
    // The same shape with pages of 5 passes.
    let small = THREE_PAGES.replace("100", "5");
    app.query(&token, &small, json!({})).await;
}

async fn variables_fragments_and_aliases_count(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    let by_variable = "query($n: Int, $m: Int = 100) { measures(first: $n) { edges { node { projects(first: $m) { edges { node { subProjects(first: $n) { totalCount } } } } } } } }";
    let with = |n: u64| json!({ "query": by_variable, "variables": { "n": n } });
    assert_refused(&app, &token, with(100), 1_010_100).await;
    // 5 + 5 x 100 + 5 x 100 x 5: `$m` takes its default.
    let small = app.post(Some(&token), with(5)).await.1;
    assert!(small.get("errors").is_none(), "{small}");
    // Named and inline fragments count what they select where they are spread.
    let fragments = "query { measures(first: 100) { ...Rows } } \
        fragment Rows on MeasureConnection { edges { node { projects(first: 100) { edges { node { \
        ... on Project { subProjects(first: 100) { totalCount } } } } } } } }";
    assert_refused(&app, &token, json!({ "query": fragments }), 1_010_100).await;
    // One page of 100 x 100 x 40 passes (410,100 nodes); under two aliases it counts twice.
    let page = |directive: &str| {
        format!(
            "goals(first: 100) {directive} {{ edges {{ node {{ measures(first: 100) {{ edges {{ node {{ projects(first: 40) {{ totalCount }} }} }} }} }} }} }}"
        )
    };
    app.query(&token, &format!("{{ {} }}", page("")), json!({}))
        .await;
    let twice = format!("{{ a: {} b: {} }}", page(""), page(""));
    assert_refused(&app, &token, json!({ "query": twice }), 820_200).await;
    // Left out by `@include(if: false)`, the second counts nothing.
    let maybe_twice = format!(
        "query($both: Boolean!) {{ a: {} b: {} }}",
        page(""),
        page("@include(if: $both)")
    );
    let data = app
        .query(&token, &maybe_twice, json!({ "both": false }))
        .await;
    assert!(data.get("b").is_none(), "{data}");
    let both = json!({ "query": maybe_twice, "variables": { "both": true } });
    assert_refused(&app, &token, both, 820_200).await;
}

async fn the_limit_is_configurable(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |config| config.limits.max_nodes = 2_000_000).await
    else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    app.query(&token, THREE_PAGES, json!({})).await;
}
