//! Reading the portfolio through GraphQL.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, nodes, spawn_app},
    on_both,
};

on_both!(
    deep_query_runs_a_bounded_number_of_statements,
    pages_walk_the_whole_list_once,
    relations_lead_both_ways,
    node_resolves_every_listed_row,
    filters_narrow_the_list,
    tenants_never_see_each_other,
    council_sees_only_released_rows,
    restricted_fields_are_null_for_departments_outside_their_subtree,
    me_names_the_viewer,
    column_pages_answer_as_the_resolvers_do,
    connections_answer_as_async_graphql_does,
);

const DEEP: &str = "query($first: Int!) {
  projects(first: $first) {
    totalCount
    edges { node {
      title orgUnit { code name parent { code } } measure { number goals { code } indicators { name } risks { title } }
      indicators { name status target direction targets { date value } series { date target actual } values { value } }
      risks { title probability impact }
      budget { planned approved spent }
      participants { role orgUnit { code } }
      subProjects(first: 50) { edges { node {
        title orgUnit { code }
        participants { role financialsGranted }
        milestones(first: 50) { edges { node { code dueDate project { title } } } }
        latestStatusReport { progress rag }
      } } }
      milestones(first: 50) { totalCount }
      statusReports(first: 5) { edges { node { reportedOn progress rag } } }
    } }
  }
}";

async fn deep_query_runs_a_bounded_number_of_statements(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    // The first project (in both pages) gets an indicator with a path and a value, so that
    // both pages load indicators, their targets and their values.
    let first = app
        .query(
            &token,
            "{ projects(first: 1) { edges { node { id startDate } } } }",
            json!({}),
        )
        .await;
    let project = nodes(&first["projects"]).remove(0);
    // Within the project's period (it has begun in the demo).
    let day = project["startDate"]
        .as_str()
        .unwrap_or("2020-01-01")
        .to_owned();
    let indicator = app
        .query(
            &token,
            "mutation($i: CreateIndicatorInput!) { createIndicator(input: $i) { indicator { id } } }",
            json!({ "i": { "projectId": project["id"], "name": "Nutzende",
                "unit": "Anzahl", "targets": [{ "date": day, "value": "10" }] } }),
        )
        .await["createIndicator"]["indicator"]["id"]
        .clone();
    app.query(
        &token,
        "mutation($i: RecordIndicatorValueInput!) { recordIndicatorValue(input: $i) { indicatorValue { id } } }",
        json!({ "i": { "indicatorId": indicator, "measuredOn": day, "value": "4" } }),
    )
    .await;
    let measure = |first: i64| {
        let app = &app;
        let token = token.clone();
        async move {
            let before = app.statements();
            let data = app.query(&token, DEEP, json!({ "first": first })).await;
            (app.statements() - before, nodes(&data["projects"]).len())
        }
    };
    // In the demo data both pages reach every relation of the query (a sub-project with a
    // milestone, a measure with goals), so the same loaders run; only the rows differ.
    let (small, small_rows) = measure(3).await;
    let (large, large_rows) = measure(12).await;
    assert_eq!(
        (small_rows, large_rows),
        (3, 12),
        "the demo tenant has at least 12 projects"
    );
    assert_eq!(
        small, large,
        "statements must not grow with the page size ({small} for 3 rows, {large} for 12)"
    );
    // One statement per relation and level (the measure-goal link joined to the goals), plus
    // the list, its count and the viewer's tenant: 23 for this query (4 of them indicators of
    // projects and measures, their targets and values; 2 the participants of projects and
    // sub-projects; 2 the risk registers of the projects and of their measures), whatever
    // the data.
    assert!(large <= 23, "{large} statements for a five-level query");
}

async fn pages_walk_the_whole_list_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "tuk", None);
    let query = "query($after: String) { projects(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }";
    let mut after = Value::Null;
    let mut seen = Vec::new();
    let total = loop {
        let data = app.query(&token, query, json!({ "after": after })).await;
        let page = &data["projects"];
        let total = page["totalCount"].as_i64().unwrap();
        seen.extend(
            nodes(page)
                .into_iter()
                .map(|n| n["id"].as_str().unwrap().to_owned()),
        );
        if !page["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break total;
        }
        after = page["pageInfo"]["endCursor"].clone();
    };
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no project twice");
    assert_eq!(seen.len() as i64, total);
    assert!(total >= 30);
}

async fn relations_lead_both_ways(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    let data = app
        .query(
            &token,
            "{ measures(first: 100) { edges { node { id number projects(first: 100) { edges { node { id measure { id } } } } goals { id measures(first: 100) { edges { node { id } } } } } } } }",
            json!({}),
        )
        .await;
    let measures = nodes(&data["measures"]);
    assert!(!measures.is_empty());
    let mut with_projects = 0;
    for measure in &measures {
        for project in nodes(&measure["projects"]) {
            assert_eq!(project["measure"]["id"], measure["id"]);
            with_projects += 1;
        }
        for goal in measure["goals"].as_array().unwrap() {
            let back: Vec<_> = nodes(&goal["measures"])
                .iter()
                .map(|m| m["id"].clone())
                .collect();
            assert!(back.contains(&measure["id"]), "goal lists its measure");
        }
    }
    assert!(
        with_projects > 0,
        "the demo data links projects to measures"
    );

    let tree = app
        .query(&token, "{ orgUnits(first: 100, filter: { root: true }) { edges { node { code children { code parent { code } children { code } } } } } }", json!({}))
        .await;
    let roots = nodes(&tree["orgUnits"]);
    assert_eq!(roots.len(), 1, "one root unit");
    let children = roots[0]["children"].as_array().unwrap();
    assert!(!children.is_empty());
    assert!(
        children
            .iter()
            .all(|c| c["parent"]["code"] == roots[0]["code"])
    );
    assert!(
        children
            .iter()
            .any(|c| !c["children"].as_array().unwrap().is_empty()),
        "a tree at least two levels deep"
    );
}

async fn node_resolves_every_listed_row(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "kisa", None);
    let data = app
        .query(&token, "{ subProjects(first: 5) { edges { node { id title } } } milestones(first: 5) { edges { node { id code } } } statusReports(first: 5) { edges { node { id summary } } } goals(first: 5) { edges { node { id title } } } }", json!({}))
        .await;
    for (list, field) in [
        ("subProjects", "title"),
        ("milestones", "code"),
        ("statusReports", "summary"),
        ("goals", "title"),
    ] {
        let rows = nodes(&data[list]);
        assert!(!rows.is_empty(), "kisa has {list}");
        for row in rows {
            let query = "query($id: ID!) { node(id: $id) { id ... on SubProject { title } ... on Milestone { code } ... on StatusReport { summary } ... on Goal { title } } }";
            let found = app.query(&token, query, json!({ "id": row["id"] })).await;
            assert_eq!(found["node"]["id"], row["id"]);
            assert_eq!(found["node"][field], row[field]);
        }
    }
}

async fn filters_narrow_the_list(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    let all = app
        .query(&token, "{ measures(first: 100) { totalCount edges { node { status rag dueDate isOverdue title orgUnit { id code } } } } }", json!({}))
        .await;
    let all = nodes(&all["measures"]);
    let in_progress = all.iter().filter(|m| m["status"] == "IN_PROGRESS").count();
    let data = app
        .query(&token, "{ measures(filter: { status: [IN_PROGRESS] }, first: 100) { totalCount edges { node { status } } } }", json!({}))
        .await;
    assert_eq!(
        data["measures"]["totalCount"].as_u64().unwrap() as usize,
        in_progress
    );
    assert!(
        nodes(&data["measures"])
            .iter()
            .all(|m| m["status"] == "IN_PROGRESS")
    );

    let overdue = all.iter().filter(|m| m["isOverdue"] == true).count();
    let data = app
        .query(
            &token,
            "{ measures(filter: { overdue: true }, first: 100) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data["measures"]["totalCount"].as_u64().unwrap() as usize,
        overdue
    );

    let title = all[0]["title"].as_str().unwrap();
    let word: String = title
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .to_uppercase();
    let data = app
        .query(&token, "query($q: String!) { measures(filter: { search: $q }, first: 100) { edges { node { title } } } }", json!({ "q": word }))
        .await;
    let found = nodes(&data["measures"]);
    assert!(
        found.iter().any(|m| m["title"] == all[0]["title"]),
        "search is case-insensitive"
    );

    // The subtree filter includes the units below the given one.
    let root = app
        .query(
            &token,
            "{ orgUnits(filter: { root: true }) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let root_id = nodes(&root["orgUnits"])[0]["id"].clone();
    let data = app
        .query(&token, "query($u: ID!) { measures(filter: { orgUnitId: $u }, first: 100) { totalCount } direct: measures(filter: { orgUnitId: $u, includeSubUnits: false }, first: 100) { totalCount } }", json!({ "u": root_id }))
        .await;
    assert_eq!(
        data["measures"]["totalCount"].as_u64().unwrap() as usize,
        all.len()
    );
    assert!(data["direct"]["totalCount"].as_u64().unwrap() < all.len() as u64);

    let ordered = app
        .query(&token, "{ measures(first: 100, orderBy: { field: DUE_DATE, direction: DESC }) { edges { node { dueDate } } } }", json!({}))
        .await;
    let dates: Vec<String> = nodes(&ordered["measures"])
        .iter()
        .filter_map(|m| m["dueDate"].as_str().map(str::to_owned))
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
}

async fn tenants_never_see_each_other(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let aachen = app.token("central_it", "aachen", None);
    let tuk = app.token("central_it", "tuk", None);
    let data = app
        .query(
            &aachen,
            "{ projects(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let id = nodes(&data["projects"])[0]["id"].clone();
    let code = app
        .error_code(
            Some(&tuk),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(code, "NOT_FOUND");
    let missing = app
        .error_code(
            Some(&tuk),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": "UHJvamVjdDo5OTk5OTk" }),
        )
        .await;
    assert_eq!(
        missing, "NOT_FOUND",
        "a hidden row and a missing row look the same"
    );
    let titles = app
        .query(
            &tuk,
            "{ projects(first: 100) { edges { node { title } } } }",
            json!({}),
        )
        .await;
    assert!(
        nodes(&titles["projects"])
            .iter()
            .all(|p| p["title"] != "egov multidigital")
    );
}

async fn council_sees_only_released_rows(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let council = app.token("council", "aachen", None);
    let query = "{ projects(first: 100) { totalCount edges { node { visibility status contact { name } budget { planned } } } } subProjects(first: 100) { edges { node { visibility status } } } applications { totalCount } }";
    let all = app.query(&central, query, json!({})).await;
    let seen = app.query(&council, query, json!({})).await;
    let released = |p: &Value| p["visibility"] != "INTERNAL" && p["status"] != "DRAFT";
    let expected = nodes(&all["projects"])
        .iter()
        .filter(|p| released(p))
        .count();
    assert!(
        expected < nodes(&all["projects"]).len(),
        "the demo data has internal or draft projects"
    );
    assert_eq!(
        seen["projects"]["totalCount"].as_u64().unwrap() as usize,
        expected
    );
    for project in nodes(&seen["projects"]) {
        assert!(released(&project));
        assert!(
            project["contact"].is_null(),
            "the council never sees contact persons"
        );
        assert!(!project["budget"].is_null(), "the council sees budgets");
    }
    assert!(nodes(&seen["subProjects"]).iter().all(released));
    assert_eq!(seen["applications"]["totalCount"], 0);
}

async fn restricted_fields_are_null_for_departments_outside_their_subtree(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let units = app.query(&central, "{ orgUnits(first: 100) { edges { node { code projects(first: 100) { totalCount } } } } }", json!({})).await;
    let owner = nodes(&units["orgUnits"])
        .into_iter()
        .find(|u| u["projects"]["totalCount"].as_u64().unwrap() > 0)
        .expect("a unit that leads projects");
    let code = owner["code"].as_str().unwrap();
    let department = app.token("department", "aachen", Some(code));
    let data = app
        .query(&department, "{ projects(first: 100) { edges { node { orgUnit { code } viewerCanEdit viewerCanSeeFinancials contact { name } budget { planned } budgetLines { year } } } } }", json!({}))
        .await;
    let projects = nodes(&data["projects"]);
    let own: Vec<_> = projects
        .iter()
        .filter(|p| p["viewerCanEdit"] == true)
        .collect();
    let other: Vec<_> = projects
        .iter()
        .filter(|p| p["viewerCanEdit"] == false)
        .collect();
    assert!(!own.is_empty() && !other.is_empty());
    for p in other {
        assert_eq!(p["viewerCanSeeFinancials"], false);
        assert!(
            p["contact"].is_null() && p["budget"].is_null() && p["budgetLines"].is_null(),
            "{p}"
        );
    }
    for p in own {
        assert_eq!(p["viewerCanSeeFinancials"], true);
        assert!(!p["budget"].is_null());
    }
}

async fn me_names_the_viewer(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("department", "aachen", Some("FB 15"));
    let data = app
        .query(
            &token,
            "{ me { sub role tenant { key name } orgUnit { code name } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["me"]["role"], "DEPARTMENT");
    assert_eq!(data["me"]["tenant"]["key"], "aachen");
    assert_eq!(data["me"]["orgUnit"]["code"], "FB 15");
    assert_eq!(
        data["me"]["orgUnit"]["name"],
        "Digitale Verwaltung und IT Steuerung"
    );
}

on_both!(health_endpoints_and_get_queries);

async fn health_endpoints_and_get_queries(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    for path in ["/healthz", "/readyz"] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 200, "{path}");
    }
    let token = app.token("central_it", "sachsen", None);
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", "{ milestones(first: 100, orderBy: { field: DUE_DATE, direction: DESC }) { edges { node { code dueDate } } } }")])
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    let body: Value = response.json().await.expect("json");
    let milestones = nodes(&body["data"]["milestones"]);
    let codes: Vec<&str> = milestones
        .iter()
        .filter_map(|m| m["code"].as_str())
        .collect();
    for code in ["M_50", "M_77"] {
        assert!(
            codes.contains(&code),
            "sachsen has milestone {code}: {codes:?}"
        );
    }
    let dates: Vec<&str> = milestones
        .iter()
        .filter_map(|m| m["dueDate"].as_str())
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "ordered by due date, newest first"
    );
    let page = app
        .client
        .get(format!("{}/graphql", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    assert!(
        page.text().await.expect("html").contains("graphiql"),
        "a browser gets GraphiQL"
    );
}

on_both!(many_lists_in_one_request_share_the_pool);

async fn many_lists_in_one_request_share_the_pool(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    // More concurrent lists than the pool has connections, each with nested relations: the
    // lists' own queries must finish while the relation batches wait for connections.
    let query = format!(
        "{{ {} }}",
        (0..12)
            .map(|i| format!("l{i}: projects(first: 100) {{ totalCount edges {{ node {{ id orgUnit {{ id }} subProjects(first: 5) {{ totalCount }} }} }} }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    // A starved pool shows as INTERNAL errors after its acquire timeout; `query` fails on them.
    let data = app.query(&token, &query, json!({})).await;
    assert_eq!(data.as_object().map(|o| o.len()), Some(12));
}

on_both!(readiness_needs_every_migration);

async fn readiness_needs_every_migration(backend: Backend) {
    use migration::MigratorTrait;
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let ready = |app: &crate::helpers::TestApp| {
        let url = format!("{}/readyz", app.address);
        let client = app.client.clone();
        async move {
            client
                .get(url)
                .send()
                .await
                .expect("request")
                .status()
                .as_u16()
        }
    };
    assert_eq!(ready(&app).await, 200);
    // A newer build's migration that is not applied yet: the last one rolled back.
    migration::Migrator::down(&app.state.db, Some(1))
        .await
        .expect("down");
    assert_eq!(ready(&app).await, 503);
    migration::Migrator::up(&app.state.db, None)
        .await
        .expect("up");
    assert_eq!(ready(&app).await, 200);
}

on_both!(metrics_count_requests_errors_and_statements);

async fn metrics_count_requests_errors_and_statements(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    app.query(
        &token,
        "query Portfolio { projects(first: 3) { totalCount } }",
        json!({}),
    )
    .await;
    app.post(None, json!({ "query": "query Portfolio { me { sub } }" }))
        .await;
    let text = app.metrics().await;
    for needle in [
        r#"digidash_graphql_requests_total{operation="Portfolio",outcome="ok"} 1"#,
        r#"digidash_graphql_requests_total{operation="Portfolio",outcome="error"} 1"#,
        r#"digidash_graphql_errors_total{code="UNAUTHENTICATED"} 1"#,
        "digidash_graphql_request_duration_seconds_bucket",
        r#"digidash_db_pool_connections{state="idle"}"#,
    ] {
        assert!(text.contains(needle), "/metrics lacks {needle}:\n{text}");
    }
    let statements: u64 = text
        .lines()
        .find_map(|line| line.strip_prefix("digidash_db_statements_total "))
        .and_then(|n| n.trim().parse().ok())
        .expect("statement counter");
    assert!(statements > 0);
}

/// The columns of each work type that the fast path answers without a resolver
/// (`api/src/graphql/object/plain.rs`), and a relation to select beside them.
const COLUMNS: [(&str, &str, &str, &[&str]); 4] = [
    (
        "goals",
        "Goal",
        "__typename id code title description status visibility position archivedAt version createdAt updatedAt",
        &["measures(first: 3) { totalCount edges { node { number } } }"],
    ),
    (
        "measures",
        "Measure",
        "__typename id number title description kind priority startDate dueDate completedOn isOverdue status rag progress targetGroup channel organiser visibility archivedAt version createdAt updatedAt",
        &["orgUnit { code }", "goals { code } goals { title }"],
    ),
    (
        "projects",
        "Project",
        "__typename id code title summary description status rag progress visibility archivedAt version createdAt updatedAt uniqueSellingPoint benefitForAll transferable transferableResults transferableFrom fundingRecipient modelRegion pilotAreas startDate endDate isOverdue applicationApprovedOn implementationCommissionedOn goLiveOn closedOn",
        &[
            "measure { number }",
            "budget { planned }",
            "contact { name }",
        ],
    ),
    (
        "subProjects",
        "SubProject",
        "__typename id code title description status rag progress startDate endDate isOverdue visibility archivedAt version createdAt updatedAt",
        &["project { title }", "latestStatusReport { progress }"],
    ),
];

/// Selections of columns (with or without relations beside them) take the fast paths (the
/// planned page, the columns of `plain.rs`); the same selections inside an inline fragment,
/// asked of a server without planned pages, go through the resolvers (`@include` would not
/// do: async-graphql removes it before execution). Both must
/// answer alike for every column, for central IT (with archived rows), a department and the
/// council, under aliases and with a field selected twice.
async fn column_pages_answer_as_the_resolvers_do(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let resolvers = app.resolvers_only().await;
    let tokens = [
        (app.token("central_it", "aachen", None), true),
        (app.token("department", "aachen", Some("FB 36")), false),
        (app.token("council", "aachen", None), false),
    ];
    for (list, type_name, columns, relation) in COLUMNS {
        for with_relation in [false, true] {
            let fields: Vec<String> = columns
                .split(' ')
                .map(str::to_owned)
                .chain(["again: title".to_owned(), "title".to_owned()])
                .chain(
                    relation
                        .iter()
                        .filter(|_| with_relation)
                        .map(|field| (*field).to_owned()),
                )
                .collect();
            let resolved = [format!("... on {type_name} {{ {} }}", fields.join(" "))];
            for (token, archived) in &tokens {
                let query = |selection: &[String]| {
                    let filter = if *archived {
                        "filter: { includeArchived: true }"
                    } else {
                        ""
                    };
                    format!(
                        "{{ {list}(first: 100 {filter}) {{ edges {{ node {{ {} }} }} }} }}",
                        selection.join(" ")
                    )
                };
                let fast = app.query(token, &query(&fields), json!({})).await;
                let slow = resolvers.query(token, &query(&resolved), json!({})).await;
                assert!(!nodes(&fast[list]).is_empty(), "{list} are listed");
                assert_eq!(
                    fast, slow,
                    "{list} (relation: {with_relation}) answer as the resolvers do"
                );
            }
        }
    }
}

/// Connection selections as the SPA writes them, each in a form the connection fast path
/// answers (`api/src/graphql/connection/edges.rs`): later pages, `pageInfo` and `totalCount`,
/// aliases, a key selected twice (lists merge item by item), `__typename`, and nested
/// connections of every work type.
const CONNECTIONS: [(&str, &str); 5] = [
    (
        "goals(first: 3, after: $after)",
        "__typename totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } \
         edges { __typename cursor node { code } } again: edges { cursor node { title } } \
         nodes { id } \
         edges { node { measures(first: 2) { totalCount edges { cursor node { number \
           projects(first: 2) { edges { cursor node { code \
             subProjects(first: 3) { pageInfo { endCursor } edges { cursor node { code } } } \
           } } } } } } } }",
    ),
    (
        "measures(first: 5, after: $after)",
        "edges { cursor } edges { node { number } } \
         edges { node { statusReports(first: 2) { edges { cursor node { reportedOn } } } } }",
    ),
    (
        "projects(first: 4, after: $after)",
        "edges { node { code milestones(first: 2) { totalCount edges { cursor node { code } } } } }",
    ),
    (
        "subProjects(first: 4, after: $after)",
        "e: edges { c: cursor n: node { code project { code } } } t: totalCount",
    ),
    (
        // A page size out of bounds in every nested list: the errors and their paths.
        "projects(first: 3, after: $after)",
        "edges { cursor node { code subProjects(first: 101) { totalCount } } }",
    ),
];

/// The same selections inside a fragment on the connection type, asked of a server without
/// planned pages, go async-graphql's own way; both must give the same answer, errors and their paths included, for central IT, a
/// department and the council, on the first and a later page. So must an edge selection
/// inside a fragment on the edge type, which the fast path leaves to async-graphql too.
async fn connections_answer_as_async_graphql_does(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let resolvers = app.resolvers_only().await;
    let tokens = [
        app.token("central_it", "aachen", None),
        app.token("department", "aachen", Some("FB 36")),
        app.token("council", "aachen", None),
    ];
    let mut cases: Vec<(String, String)> = CONNECTIONS
        .iter()
        .map(|(field, selection)| {
            let type_name = match field.split('(').next() {
                Some("goals") => "Goal",
                Some("measures") => "Measure",
                Some("projects") => "Project",
                _ => "SubProject",
            };
            // Padded to the fragment's length, so that error locations agree too.
            let fragment = format!("... on {type_name}Connection {{ ");
            let pad = " ".repeat(fragment.len());
            (
                format!("{field} {{ {pad}{selection} }}"),
                format!("{field} {{ {fragment}{selection} }} }}"),
            )
        })
        .collect();
    cases.push((
        "goals(first: 3, after: $after) { edges {                cursor node { code } } }".into(),
        "goals(first: 3, after: $after) { edges { ... on GoalEdge { cursor node { code } } } }"
            .into(),
    ));
    let answer = |server: &'static str, token: &str, field: &str, after: &Value| {
        let body = json!({
            "query": format!("query($after: String) {{ {field} }}"),
            "variables": { "after": after },
        });
        let app = if server == "resolvers" {
            &resolvers
        } else {
            &app
        };
        let token = token.to_owned();
        async move {
            let (status, mut body) = app.post(Some(&token), body).await;
            assert_eq!(status, 200, "{body}");
            // Sibling fields finish in no fixed order, and so do their errors.
            if let Some(errors) = body.get_mut("errors").and_then(Value::as_array_mut) {
                errors.sort_by_key(ToString::to_string);
            }
            body
        }
    };
    let mut errors_seen = false;
    for (fast, resolved) in &cases {
        for token in &tokens {
            // The first page, and the page after the first row.
            for after in [Value::Null, json!(first_cursor(&app, token, fast).await)] {
                let expected = answer("resolvers", token, resolved, &after).await;
                let got = answer("planned", token, fast, &after).await;
                let list = fast.split('(').next().unwrap_or_default();
                assert!(got["data"][list].is_object(), "{fast} answered: {got}");
                errors_seen |= got.get("errors").is_some();
                assert_eq!(got, expected, "{fast} answers as async-graphql does");
            }
        }
    }
    assert!(errors_seen, "the out-of-bounds case reports errors");
}

/// The cursor of the first row of the list `field` names, for a later page.
async fn first_cursor(app: &crate::helpers::TestApp, token: &str, field: &str) -> Value {
    let list = field.split('(').next().unwrap_or_default();
    let data = app
        .query(
            token,
            &format!("{{ {list}(first: 1) {{ edges {{ cursor }} }} }}"),
            json!({}),
        )
        .await;
    data[list]["edges"][0]["cursor"].clone()
}
