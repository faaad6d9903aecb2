//! The requests the workers send: what each operation asks of which server, with whose
//! token, and how an answer counts.

use std::sync::Mutex;

use serde_json::{Value, json};

use crate::{
    graphql_client::{Outcome, send_graphql},
    operations::{
        COUNCIL_REPORT, DEEP_PAGE, DEPARTMENT_DASHBOARD, MEASURE_VERSION, MEASURES_PAGE,
        MEDIUM_PAGE, NODE_LOOKUP, Op, PORTFOLIO_DASHBOARD, Pg, SUBMIT_STATUS_REPORT,
        UPDATE_MEASURE,
    },
    servers::Server,
    tenants::{OwnedMeasure, Tenant},
};

/// Everything the workers share.
pub(crate) struct Bench {
    pub(crate) client: reqwest::Client,
    pub(crate) tenants: Vec<Tenant>,
    /// Measures by worker.
    pub(crate) owned: Vec<Mutex<Vec<OwnedMeasure>>>,
}

/// Which server a run talks to: the URL of its GraphQL endpoint (and which PostGraphile).
#[derive(Clone)]
pub(crate) enum Target {
    Digidash(String),
    PostGraphile(String, Pg),
}

impl Target {
    pub(crate) fn digidash(server: &Server) -> Self {
        Self::Digidash(server.graphql_url())
    }

    pub(crate) fn postgraphile(server: &Server, version: Pg) -> Self {
        Self::PostGraphile(server.graphql_url(), version)
    }
}

/// digidash's document of a compared page, asked for with the central IT's token.
fn page_document(op: Op) -> Option<&'static str> {
    match op {
        Op::MeasuresPage => Some(MEASURES_PAGE),
        Op::DeepPage => Some(DEEP_PAGE),
        Op::MediumPage => Some(MEDIUM_PAGE),
        _ => None,
    }
}

/// A small deterministic generator (xorshift), one per worker.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn seeded(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

impl Bench {
    /// One request of `op`; the worker's `iteration` spreads the requests over the tenants.
    pub(crate) async fn request(
        &self,
        target: &Target,
        op: Op,
        worker: usize,
        iteration: u64,
        rng: &mut Rng,
    ) -> Outcome {
        let tenant_index = (worker + usize::try_from(iteration).unwrap_or(0)) % self.tenants.len();
        let tenant = &self.tenants[tenant_index];
        match target {
            Target::PostGraphile(..) => self.page(target, op, tenant_index, false).await.0,
            Target::Digidash(url) => {
                let (token, body) = match op {
                    Op::MeasuresPage | Op::DeepPage | Op::MediumPage => {
                        return self.page(target, op, tenant_index, false).await.0;
                    }
                    Op::PortfolioDashboard => {
                        (&tenant.central_it, json!({ "query": PORTFOLIO_DASHBOARD }))
                    }
                    Op::DepartmentDashboard => {
                        (&tenant.department, json!({ "query": DEPARTMENT_DASHBOARD }))
                    }
                    Op::CouncilReport => (&tenant.council, json!({ "query": COUNCIL_REPORT })),
                    Op::NodeLookup => {
                        let id = &tenant.nodes[rng.below(tenant.nodes.len())];
                        (
                            &tenant.central_it,
                            json!({ "query": NODE_LOOKUP, "variables": { "id": id } }),
                        )
                    }
                    // The write mix alternates: status reports on even iterations, measure
                    // updates on odd ones.
                    Op::WriteMix if iteration.is_multiple_of(2) => {
                        let subject = &tenant.projects[rng.below(tenant.projects.len())];
                        let rag = ["GREEN", "AMBER", "RED"][rng.below(3)];
                        let input = json!({
                            "subjectId": subject,
                            "progress": rng.below(101),
                            "rag": rag,
                            "summary": format!("Benchmark report {worker}/{iteration}"),
                        });
                        (
                            &tenant.central_it,
                            json!({ "query": SUBMIT_STATUS_REPORT, "variables": { "input": input } }),
                        )
                    }
                    Op::WriteMix => return self.update_measure(url, worker, iteration).await,
                };
                send_graphql(&self.client, url, Some(token), &body, false)
                    .await
                    .0
            }
        }
    }

    /// One request of the compared page `op` for the tenant at `tenant_index`, its answer
    /// parsed when `parse` is set (for the equivalence check).
    pub(crate) async fn page(
        &self,
        target: &Target,
        op: Op,
        tenant_index: usize,
        parse: bool,
    ) -> (Outcome, Option<Value>) {
        let tenant = &self.tenants[tenant_index];
        match target {
            Target::PostGraphile(url, version) => {
                let Some(query) = op.postgraphile_document(*version) else {
                    return (Outcome::failed("no PostGraphile equivalent".into()), None);
                };
                let body = json!({ "query": query, "variables": { "tenant": tenant.id } });
                send_graphql(&self.client, url, None, &body, parse).await
            }
            Target::Digidash(url) => {
                let Some(query) = page_document(op) else {
                    return (Outcome::failed("not a compared page".into()), None);
                };
                let body = json!({ "query": query });
                send_graphql(&self.client, url, Some(&tenant.central_it), &body, parse).await
            }
        }
    }

    /// Moves one of the worker's own measures between PLANNED and IN_PROGRESS.
    async fn update_measure(&self, url: &str, worker: usize, iteration: u64) -> Outcome {
        let measure = {
            let Ok(owned) = self.owned[worker].lock() else {
                return Outcome::failed("poisoned".into());
            };
            if owned.is_empty() {
                return Outcome::failed("this worker owns no measure".into());
            }
            owned[usize::try_from(iteration / 2).unwrap_or(0) % owned.len()].clone()
        };
        let token = &self.tenants[measure.tenant].central_it;
        let status = if measure.in_progress {
            "PLANNED"
        } else {
            "IN_PROGRESS"
        };
        let body = json!({ "query": UPDATE_MEASURE, "variables": { "input": {
            "id": measure.id, "version": measure.version, "status": status,
        } } });
        let (outcome, answer) = send_graphql(&self.client, url, Some(token), &body, true).await;
        let version = answer
            .as_ref()
            .and_then(|a| a["data"]["updateMeasure"]["measure"]["version"].as_i64());
        if let Ok(mut owned) = self.owned[worker].lock()
            && let Some(m) = owned.iter_mut().find(|m| m.id == measure.id)
        {
            match version {
                Some(version) => {
                    m.version = version;
                    m.in_progress = !measure.in_progress;
                }
                // A failed update is counted; the version is read again before the next.
                None => m.version = -1,
            }
        }
        outcome
    }

    /// Reads the versions of the worker's measures that a failed update left unknown.
    pub(crate) async fn refresh_versions(&self, url: &str, worker: usize) {
        let stale: Vec<OwnedMeasure> = match self.owned[worker].lock() {
            Ok(owned) => owned.iter().filter(|m| m.version < 0).cloned().collect(),
            Err(_) => return,
        };
        for measure in stale {
            let token = &self.tenants[measure.tenant].central_it;
            let body = json!({
                "query": MEASURE_VERSION,
                "variables": { "id": measure.id },
            });
            let (_, answer) = send_graphql(&self.client, url, Some(token), &body, true).await;
            if let Some(node) = answer.as_ref().map(|a| &a["data"]["node"])
                && let Some(version) = node["version"].as_i64()
                && let Ok(mut owned) = self.owned[worker].lock()
                && let Some(m) = owned.iter_mut().find(|m| m.id == measure.id)
            {
                m.version = version;
                m.in_progress = node["status"] == json!("IN_PROGRESS");
            }
        }
    }
}
