//! Pages executed as planned wholes (`api/src/graphql/plan`) answer exactly as the resolvers
//! do: every shape of selection, for every role, compared with a second server on the same
//! database that answers through the resolvers only (`PLANNED_PAGES=false`), errors and
//! their paths included; and `/metrics` shows which way each page went.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, spawn_app, spawn_app_with},
    on_both,
};

on_both!(
    planned_pages_answer_as_the_resolvers_do,
    the_public_reads_planned_pages_as_the_resolvers_do,
    nested_pages_go_on_after_their_cursors,
    planned_pages_run_the_statements_of_the_resolvers,
);

/// A selection of the work types in one of the shapes the plan covers (`true`) or leaves to
/// the resolvers (`false`), in a document with `$after` and `$deep`.
const CASES: &[(&str, bool, &str)] = &[
    (
        "the deep page with every level's columns",
        true,
        "goals(first: 5) { edges { node { id code title description status visibility \
           measures(first: 3) { edges { node { id code number title description kind priority \
             status rag progress startDate dueDate completedOn isOverdue visibility archivedAt \
             version createdAt updatedAt targetGroup channel organiser \
             projects(first: 3) { edges { node { id code title summary description status rag \
               progress visibility startDate dueDate endDate isOverdue transferable \
               transferableFrom goLiveOn closedOn \
               subProjects(first: 3) { edges { node { id code title description status rag \
                 progress startDate dueDate isOverdue visibility updatedAt } } } } } } } } } } } }",
    ),
    (
        "the measures page: a filter, a count, cursors, relations left to their resolvers",
        true,
        "measures(first: 7, after: $after, filter: { status: [PLANNED, IN_PROGRESS] }, \
           orderBy: { field: DUE_DATE }) { totalCount edges { cursor node { id code title \
           status rag progress dueDate orgUnit { code name } goals { code title } } } \
           pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }",
    ),
    (
        "fragments, aliases, a key twice, __typename, pageInfo and nodes",
        true,
        "projects(first: 6, after: $after) { __typename t: totalCount ...Page \
           edges { __typename c: cursor node { ...ProjectColumns ... on Node { id } \
             ... on Project { title again: title } \
             subProjects(first: 2) { totalCount } \
             subProjects(first: 2) { edges { node { __typename code } } } } } } \
         } fragment Page on ProjectConnection { pageInfo { __typename hasNextPage endCursor } \
         } fragment ProjectColumns on Project { code status rag progress ",
    ),
    (
        "@skip and @include by variables",
        true,
        "goals(first: 4) { totalCount @skip(if: $deep) edges { node { code \
           title @include(if: $deep) measures(first: 2) @include(if: $deep) { edges { node { \
             number projects(first: 1) @skip(if: $deep) { totalCount } } } } } } }",
    ),
    (
        "fields with rules: nulls for those who may not see, relations, arguments",
        true,
        "projects(first: 8) { nodes { code title budget { planned approved spent } \
           contact { name } risks { title } participants { role orgUnit { code } } \
           measure { number goals { code } } milestones(first: 2) { totalCount edges { node { code } } } \
           latestStatusReport { progress rag } subProjects { nodes { code parent: project { code } \
             participants { role financialsGranted } latestStatusReport { rag } } } } }",
    ),
    (
        "nested lists sorted and paged from the end",
        true,
        "goals(first: 4) { edges { node { code \
           measures(last: 2, orderBy: { field: TITLE, direction: DESC }) { totalCount \
             pageInfo { hasPreviousPage hasNextPage startCursor endCursor } edges { cursor node { \
               title projects(first: 2, orderBy: { field: TITLE }) { edges { node { title \
                 subProjects(last: 1) { edges { cursor node { code } } } } } } } } } } } }",
    ),
    (
        "a page inside a field left to its resolver, and a department's lists",
        true,
        "measures(first: 3) { edges { node { code orgUnit { code measures(first: 2) { \
           totalCount edges { node { code } } } } } } }",
    ),
    (
        "pages planned per parent under a list the resolvers answer (strategies)",
        true,
        "strategies(first: 5) { edges { node { title goals(first: 3) { totalCount edges { node { \
           code measures(first: 2) { edges { node { number projects(first: 2) { totalCount \
             edges { node { code } } } } } } } } } } } }",
    ),
    (
        "pages planned per parent under a list the resolvers answer (org units)",
        true,
        "orgUnits(first: 10) { nodes { code measures(first: 3) { edges { node { number \
           projects(first: 2) { totalCount } } } } projects(first: 2) { nodes { title \
             subProjects(first: 2) { nodes { code } } } } } }",
    ),
    (
        "a nested page size out of bounds: the resolvers' errors",
        false,
        "projects(first: 3, after: $after) { edges { cursor node { code \
           subProjects(first: 101) { totalCount } } } }",
    ),
    (
        "the nodes in two places",
        false,
        "goals(first: 3) { edges { node { code } } again: edges { node { title } } }",
    ),
    (
        "a top-level key selected twice, merged as values",
        false,
        "subProjects(first: 3) { totalCount } subProjects(first: 3) { edges { node { code } } }",
    ),
];

/// The fragments' documents end in an open fragment body closed by the document's `}`.
/// The variables are declared where the selection uses them.
fn document(selection: &str) -> String {
    let mut variables = Vec::new();
    if selection.contains("$after") {
        variables.push("$after: String");
    }
    if selection.contains("$deep") {
        variables.push("$deep: Boolean!");
    }
    if variables.is_empty() {
        format!("query {{ {selection} }}")
    } else {
        format!("query({}) {{ {selection} }}", variables.join(", "))
    }
}

async fn answer(app: &TestApp, token: &str, query: &str, variables: &Value) -> Value {
    let (status, mut body) = app
        .post(
            Some(token),
            json!({ "query": query, "variables": variables }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // Sibling fields finish in no fixed order, and so do their errors.
    if let Some(errors) = body.get_mut("errors").and_then(Value::as_array_mut) {
        errors.sort_by_key(ToString::to_string);
    }
    body
}

/// The pages answered so far, planned and by the resolvers, from `/metrics`.
async fn pages(app: &TestApp) -> (u64, u64) {
    let text = app.metrics().await;
    let count = |way: &str| {
        let prefix = format!("digidash_graphql_work_pages_total{{way=\"{way}\"}} ");
        text.lines()
            .find_map(|line| line.strip_prefix(&prefix))
            .map_or(0, |count| count.trim().parse().expect("a count"))
    };
    (count("planned"), count("resolvers"))
}

/// Readers of every kind: central IT (archived rows too), a department, a department that
/// leads and takes part in other units' projects, and the council.
fn readers(app: &TestApp) -> Vec<(&'static str, String)> {
    vec![
        ("central IT", app.token("central_it", "aachen", None)),
        (
            "a department",
            app.token("department", "aachen", Some("FB 36")),
        ),
        (
            "a participating department",
            app.token("department", "kisa", Some("AP")),
        ),
        ("the council", app.token("council", "aachen", None)),
        ("KISA's central IT", app.token("central_it", "kisa", None)),
    ]
}

async fn planned_pages_answer_as_the_resolvers_do(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let resolvers = app.resolvers_only().await;
    let mut errors_seen = false;
    for (reader, token) in readers(&app) {
        for (case, planned, selection) in CASES {
            let query = document(selection);
            // The first page, and for lists with `$after` the page after their first row (in
            // the list's own order: the arguments up to the first parenthesis).
            let later = if selection.contains("$after") {
                let list = selection.split('(').next().unwrap_or_default();
                let arguments = selection.split(')').next().unwrap_or_default();
                let first = document(&format!("{arguments}) {{ edges {{ cursor }} }}"));
                let first = answer(&app, &token, &first, &json!({ "after": null })).await;
                first["data"][list]["edges"][0]["cursor"].clone()
            } else {
                Value::Null
            };
            for (after, deep) in [(Value::Null, true), (later, false)] {
                let variables = json!({ "after": after, "deep": deep });
                let before = pages(&app).await;
                let got = answer(&app, &token, &query, &variables).await;
                let after = pages(&app).await;
                let expected = answer(&resolvers, &token, &query, &variables).await;
                assert_eq!(
                    got, expected,
                    "{case}, for {reader}, answers as the resolvers do"
                );
                assert!(got["data"].is_object(), "{case}, for {reader}: {got}");
                errors_seen |= got.get("errors").is_some();
                if *planned {
                    assert!(after.0 > before.0, "{case} is planned for {reader}");
                } else {
                    assert!(
                        after.1 > before.1,
                        "{case} goes to the resolvers for {reader}"
                    );
                }
                // The planned server's own response cache answers the same again.
                let again = answer(&app, &token, &query, &variables).await;
                assert_eq!(again, got, "{case}, for {reader}, again from the cache");
            }
        }
    }
    assert!(errors_seen, "the out-of-bounds case reports errors");
}

/// Readers without a token (`PUBLIC_ACCESS`), who see only what is released as public and no
/// budgets or contacts, get the same pages both ways.
async fn the_public_reads_planned_pages_as_the_resolvers_do(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |config| config.public_access = true).await else {
        return;
    };
    let resolvers = app.resolvers_only().await;
    let public = |app: &TestApp, query: String| {
        let request = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("x-tenant", "aachen")
            .json(&json!({ "query": query, "variables": { "after": null, "deep": true } }));
        async move {
            let mut body: Value = request
                .send()
                .await
                .expect("request")
                .json()
                .await
                .expect("json");
            if let Some(errors) = body.get_mut("errors").and_then(Value::as_array_mut) {
                errors.sort_by_key(ToString::to_string);
            }
            body
        }
    };
    let mut listed = false;
    for (case, _, selection) in CASES {
        let got = public(&app, document(selection)).await;
        let expected = public(&resolvers, document(selection)).await;
        assert_eq!(
            got, expected,
            "{case}, for the public, answers as the resolvers do"
        );
        listed |= got["data"]["projects"]["nodes"]
            .as_array()
            .is_some_and(|rows| !rows.is_empty());
    }
    assert!(listed, "the public sees released projects");
}

/// Cursors of nested pages (the edges of one goal's measures) lead on to the next page and
/// back, planned as by the resolvers.
async fn nested_pages_go_on_after_their_cursors(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let resolvers = app.resolvers_only().await;
    let token = app.token("central_it", "aachen", None);
    let page = |measures: &str| {
        document(&format!(
            "goals(first: 6) {{ edges {{ node {{ code measures({measures}) {{ \
               pageInfo {{ hasNextPage hasPreviousPage endCursor }} edges {{ cursor node {{ code \
                 projects(first: 1) {{ edges {{ cursor node {{ title }} }} }} }} }} }} }} }} }}"
        ))
    };
    let variables = json!({ "after": null, "deep": true });
    let first = answer(&app, &token, &page("first: 1"), &variables).await;
    let mut went_on = false;
    for goal in first["data"]["goals"]["edges"].as_array().expect("goals") {
        let measures = &goal["node"]["measures"];
        let Some(cursor) = measures["pageInfo"]["endCursor"].as_str() else {
            continue;
        };
        for arguments in [
            format!("first: 1, after: \"{cursor}\""),
            format!("last: 1, before: \"{cursor}\""),
        ] {
            let query = page(&arguments);
            let got = answer(&app, &token, &query, &variables).await;
            let expected = answer(&resolvers, &token, &query, &variables).await;
            assert_eq!(got, expected, "{arguments} answers as the resolvers do");
            assert!(got.get("errors").is_none(), "{got}");
        }
        went_on |= measures["pageInfo"]["hasNextPage"] == json!(true);
    }
    assert!(went_on, "some goal has a second page of measures");
}

/// A planned page fetches each nested level once for all parents, through the loaders the
/// resolvers use: the same statements, also where pages are planned per parent under a list
/// the resolvers answer (their loads batch together).
async fn planned_pages_run_the_statements_of_the_resolvers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let resolvers = app.resolvers_only().await;
    let token = app.token("central_it", "aachen", None);
    let variables = json!({ "after": null, "deep": true });
    for (case, planned, selection) in CASES.iter().filter(|(_, planned, _)| *planned) {
        let query = document(selection);
        // Statements are counted on the shared pool: one request at a time. Each server's
        // first request warms what a server keeps (the viewer's standing).
        answer(&app, &token, &query, &variables).await;
        answer(&resolvers, &token, &query, &variables).await;
        let count = |app: &TestApp| app.statements();
        let start = count(&app);
        let uncached = json!({ "after": null, "deep": true, "n": 1 });
        answer(&app, &token, &query, &uncached).await;
        let planned_statements = count(&app) - start;
        let start = count(&app);
        answer(&resolvers, &token, &query, &uncached).await;
        let resolver_statements = count(&app) - start;
        assert!(*planned);
        assert_eq!(
            planned_statements, resolver_statements,
            "{case}: statements planned and by the resolvers"
        );
    }
}
