//! The dashboards' lists of counts, written as JSON when their selection is plain
//! (`api/src/graphql/object/dashboard/count_list.rs`), answer exactly as the resolvers do:
//! compared, shape by shape and for central IT and a department, with a second server on the
//! same database that answers through the resolvers only (`PLANNED_PAGES=false`).

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, spawn_app},
    on_both,
};

on_both!(dashboard_counts_answer_as_the_resolvers_do);

/// The counts of a dashboard in the shapes a client may send: the selection on the dashboard,
/// and the document's fragments.
const SHAPES: &[(&str, &str, &str)] = &[
    (
        "plain lists",
        "measuresByStatus { status count } measuresByRag { rag count } \
         projectsByStatus { status count } projectsByRag { rag count } \
         riskMatrix { probability impact count }",
        "",
    ),
    (
        "aliases, __typename, a field twice, fragments named and inline",
        "s: measuresByStatus { __typename n: count status count } \
         projectsByRag { ...Light ... on RagCount { again: rag } ... { count } } \
         riskMatrix { impact probability }",
        "fragment Light on RagCount { rag __typename }",
    ),
    (
        "a list selected twice under one key (merged by the resolvers)",
        "measuresByStatus { status } measuresByStatus { count } projectsByStatus { count }",
        "",
    ),
    (
        "@skip and @include",
        "measuresByRag @include(if: true) { rag count @skip(if: true) } \
         projectsByRag @skip(if: true) { rag } \
         measuresByStatus { status @include(if: false) count }",
        "",
    ),
];

/// The breakdowns of the portfolio dashboard, whose counts are most of its answer.
const BREAKDOWNS: &str = "{ portfolioDashboard { \
    byGoal { goal { code } rolledUpProgress measuresByStatus { status count } \
      measuresByRag { rag count } projectsByStatus { status count } projectsByRag { rag count } } \
    byOrgUnit { orgUnit { code } k: measuresByRag { count rag } \
      projectsByStatus { ... on StatusCount { status } count } } } }";

async fn answer(app: &TestApp, token: &str, query: &str) -> Value {
    let (status, body) = app.post(Some(token), json!({ "query": query })).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{query}: {body}");
    body
}

async fn dashboard_counts_answer_as_the_resolvers_do(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let resolvers = app.resolvers_only().await;
    let central = app.token("central_it", "aachen", None);
    let department = app.token("department", "aachen", Some("FB 36"));
    let mut counted = 0;
    for (reader, token, dashboard) in [
        ("central IT", &central, "portfolioDashboard"),
        ("a department", &department, "departmentDashboard"),
    ] {
        for (shape, selection, fragments) in SHAPES {
            let query = format!("query {{ {dashboard} {{ {selection} }} }} {fragments}");
            let got = answer(&app, token, &query).await;
            let expected = answer(&resolvers, token, &query).await;
            assert_eq!(
                got, expected,
                "{shape}, for {reader}, answers as the resolvers do"
            );
            counted += got.to_string().matches("\"count\":").count();
        }
    }
    let got = answer(&app, &central, BREAKDOWNS).await;
    assert_eq!(got, answer(&resolvers, &central, BREAKDOWNS).await);
    let goals = got["data"]["portfolioDashboard"]["byGoal"]
        .as_array()
        .expect("byGoal");
    assert!(!goals.is_empty(), "{got}");
    // The demo data counts something: the comparison is not between empty answers.
    assert!(
        got.to_string().contains("\"count\":1") || got.to_string().contains("\"count\":2"),
        "{got}"
    );
    assert!(counted > 0);
}
