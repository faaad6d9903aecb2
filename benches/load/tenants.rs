//! The synthetic tenants the requests are spread over: their tokens, and the ids to look up
//! and to write to, read through a first server.

use std::sync::Mutex;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde_json::{Value, json};
use service::seed::synthetic::LARGE_TENANT;

use crate::{
    Result, graphql_client::send_graphql, options::Options, servers::run_digidash_command,
};

/// One synthetic tenant: its row id, tokens and ids to look up and write to.
#[derive(Debug, Clone)]
pub(crate) struct Tenant {
    pub(crate) key: String,
    pub(crate) id: i32,
    pub(crate) central_it: String,
    pub(crate) department: String,
    pub(crate) council: String,
    /// Global ids of measures, projects and sub-projects.
    pub(crate) nodes: Vec<String>,
    /// Global ids of projects (subjects of status reports).
    pub(crate) projects: Vec<String>,
}

/// A measure one worker alone updates, so that its version is always known.
#[derive(Debug, Clone)]
pub(crate) struct OwnedMeasure {
    /// Index of its tenant in [`crate::requests::Bench::tenants`].
    pub(crate) tenant: usize,
    pub(crate) id: String,
    pub(crate) version: i64,
    pub(crate) in_progress: bool,
}

/// The ids a tenant's requests use, and whether the council may read the live report.
const TENANT_IDS: &str = "{ me { tenant { version councilLiveReport } } measures(first: 100) { edges { node { id version status } } } projects(first: 100) { edges { node { id } } } subProjects(first: 100) { edges { node { id } } } }";

const ALLOW_COUNCIL_LIVE_REPORT: &str = "mutation($input: SetCouncilLiveReportInput!) { setCouncilLiveReport(input: $input) { tenant { version } } }";

/// Reads the first `options.tenants` synthetic tenants (by key), or the large tenant alone,
/// through the digidash server at `url`: their tokens, ids, and the measures the workers will
/// update.
pub(crate) async fn load_tenants(
    options: &Options,
    db: &DatabaseConnection,
    client: &reqwest::Client,
    url: &str,
) -> Result<(Vec<Tenant>, Vec<OwnedMeasure>)> {
    // The large tenant is the only one of a run with `BENCH_LARGE_TENANT`, and none of the
    // others'.
    let which = if options.large_tenant {
        format!("key = '{LARGE_TENANT}'")
    } else {
        format!("key LIKE 'synth-%' AND key <> '{LARGE_TENANT}'")
    };
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT id, key FROM tenant WHERE {which} ORDER BY key"),
        ))
        .await?;
    let mut tenants = Vec::new();
    let mut measures = Vec::new();
    for row in rows.iter().take(options.tenants as usize) {
        let id: i32 = row.try_get_by_index(0)?;
        let key: String = row.try_get_by_index(1)?;
        let database = &options.database_url;
        let central_it = issue_token(database, &key, "central_it", None).await?;
        let department = issue_token(database, &key, "department", Some("FB 1")).await?;
        let council = issue_token(database, &key, "council", None).await?;
        let ids = setup_query(client, url, &central_it, TENANT_IDS, json!({})).await?;
        // The council reads the live report only once central IT allows it.
        let tenant_row = &ids["data"]["me"]["tenant"];
        if tenant_row["councilLiveReport"] != json!(true) {
            setup_query(
                client,
                url,
                &central_it,
                ALLOW_COUNCIL_LIVE_REPORT,
                json!({ "input": { "allowed": true, "version": tenant_row["version"] } }),
            )
            .await?;
        }
        let data = &ids["data"];
        let text = |v: &Value| v["id"].as_str().unwrap_or_default().to_owned();
        let measure_nodes = edge_nodes(data, &["measures"]);
        let projects: Vec<String> = edge_nodes(data, &["projects"]).iter().map(text).collect();
        let mut nodes: Vec<String> = measure_nodes.iter().map(text).collect();
        nodes.extend(projects.iter().cloned());
        nodes.extend(edge_nodes(data, &["subProjects"]).iter().map(text));
        for node in &measure_nodes {
            measures.push(OwnedMeasure {
                tenant: tenants.len(),
                id: text(node),
                version: node["version"].as_i64().unwrap_or(1),
                in_progress: node["status"] == json!("IN_PROGRESS"),
            });
        }
        tenants.push(Tenant {
            key,
            id,
            central_it,
            department,
            council,
            nodes,
            projects,
        });
    }
    if tenants.is_empty() {
        return Err("the database holds no synthetic tenants".into());
    }
    Ok((tenants, measures))
}

/// Deals the measures out to the workers in turn, each worker's list behind its own lock.
pub(crate) fn share_among_workers(
    measures: Vec<OwnedMeasure>,
    workers: usize,
) -> Vec<Mutex<Vec<OwnedMeasure>>> {
    let mut owned: Vec<Vec<OwnedMeasure>> = vec![Vec::new(); workers];
    for (i, measure) in measures.into_iter().enumerate() {
        owned[i % workers].push(measure);
    }
    owned.into_iter().map(Mutex::new).collect()
}

/// A token of `role` in the tenant `key` (of `org_unit` when given), from `digidash token`.
async fn issue_token(
    database_url: &str,
    key: &str,
    role: &str,
    org_unit: Option<&str>,
) -> Result<String> {
    let mut args = vec!["token", "--role", role, "--tenant", key];
    if let Some(org_unit) = org_unit {
        args.extend(["--org-unit", org_unit]);
    }
    run_digidash_command(database_url, &args).await
}

/// Runs one GraphQL request whose answer the setup needs, failing on any error.
async fn setup_query(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Result<Value> {
    let body = json!({ "query": query, "variables": variables });
    let (outcome, answer) =
        send_graphql(client, &format!("{url}/graphql"), Some(token), &body, true).await;
    if !outcome.ok {
        return Err(format!(
            "setup request failed: {}",
            outcome.error.unwrap_or_default()
        )
        .into());
    }
    answer.ok_or_else(|| "setup request: no JSON".into())
}

/// The nodes of the connection at `path` in `value` (empty when there is none).
fn edge_nodes(value: &Value, path: &[&str]) -> Vec<Value> {
    let mut v = value;
    for key in path {
        v = &v[*key];
    }
    v["edges"]
        .as_array()
        .map(|edges| edges.iter().map(|e| e["node"].clone()).collect())
        .unwrap_or_default()
}
