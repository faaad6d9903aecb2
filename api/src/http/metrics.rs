//! Prometheus metrics at `/metrics`: requests and latency by operation and outcome, errors by
//! code, SQL statements, database pool use, which database served the reads, the memory
//! the allocator holds, the e-mail digests sent, and webhook delivery attempts by outcome.

use std::{collections::HashSet, sync::Mutex, time::Duration};

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};

use entity::enums::DeliveryStatus;

use super::AppState;
use crate::replicas::Fallback;

/// Operation names are chosen by clients: beyond this many distinct ones they count as "other".
const MAX_OPERATION_NAMES: usize = 200;

/// What became of a digest (`digidash_mail_sent_total{outcome}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailOutcome {
    /// The SMTP server accepted it.
    Sent,
    /// Not sent after its retries; a later run sends it.
    Failed,
}

impl MailOutcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }
}

/// The metrics of one server.
pub struct Metrics {
    registry: Registry,
    operations: IntCounterVec,
    duration: HistogramVec,
    errors: IntCounterVec,
    statements: IntCounter,
    pool: IntGaugeVec,
    reads: IntCounterVec,
    fallbacks: IntCounterVec,
    pages: IntCounterVec,
    chain: IntGaugeVec,
    mail: IntCounterVec,
    mail_retries: IntCounter,
    webhooks: IntCounterVec,
    /// Committed now and at most, when the binary reports its allocator.
    allocator: Option<(IntGauge, IntGauge)>,
    names: Mutex<HashSet<String>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("digidash".into()), None)?;
        let operations = IntCounterVec::new(
            Opts::new(
                "graphql_requests_total",
                "GraphQL requests by operation name and outcome",
            ),
            &["operation", "outcome"],
        )?;
        let duration = HistogramVec::new(
            HistogramOpts::new(
                "graphql_request_duration_seconds",
                "Time to answer a GraphQL request",
            )
            .buckets(vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["operation"],
        )?;
        let errors = IntCounterVec::new(
            Opts::new("graphql_errors_total", "GraphQL errors by code"),
            &["code"],
        )?;
        let statements = IntCounter::new("db_statements_total", "SQL statements run")?;
        let pool = IntGaugeVec::new(
            Opts::new("db_pool_connections", "Database pool connections by state"),
            &["state"],
        )?;
        let reads = IntCounterVec::new(
            Opts::new(
                "db_reads_total",
                "Requests (GraphQL operations run against the database, exports) by the database that served their reads",
            ),
            &["database"],
        )?;
        let fallbacks = IntCounterVec::new(
            Opts::new(
                "db_replica_fallbacks_total",
                "Reads that could have gone to a replica but went to the primary, by reason",
            ),
            &["reason"],
        )?;
        let pages = IntCounterVec::new(
            Opts::new(
                "graphql_work_pages_total",
                "Pages of goals, measures, projects and sub-projects resolved, by the way they were answered: planned (written whole from their rows) or resolvers",
            ),
            &["way"],
        )?;
        let chain = IntGaugeVec::new(
            Opts::new(
                "audit_chain_head_info",
                "The head of each tenant's audit hash chain (the hash of its last entry), as a label",
            ),
            &["tenant", "head"],
        )?;
        let mail = IntCounterVec::new(
            Opts::new(
                "mail_sent_total",
                "E-mail digests by outcome: sent, or failed (not sent after retries; sent by a later run)",
            ),
            &["outcome"],
        )?;
        let mail_retries = IntCounter::new(
            "mail_retries_total",
            "Attempts to send a digest that failed for a temporary reason and were retried",
        )?;
        for outcome in [MailOutcome::Sent, MailOutcome::Failed] {
            mail.with_label_values(&[outcome.as_str()]);
        }
        let webhooks = IntCounterVec::new(
            Opts::new(
                "webhook_deliveries_total",
                "Attempts at webhook deliveries by outcome: delivered, pending (failed, tried again later), failed (failed, given up)",
            ),
            &["outcome"],
        )?;
        for outcome in [
            DeliveryStatus::Delivered,
            DeliveryStatus::Pending,
            DeliveryStatus::Failed,
        ] {
            webhooks.with_label_values(&[outcome.as_str()]);
        }
        for reason in [Fallback::Behind, Fallback::Down] {
            fallbacks.with_label_values(&[reason.as_str()]);
        }
        for database in ["primary", "replica"] {
            reads.with_label_values(&[database]);
        }
        registry.register(Box::new(operations.clone()))?;
        registry.register(Box::new(duration.clone()))?;
        registry.register(Box::new(errors.clone()))?;
        registry.register(Box::new(statements.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        registry.register(Box::new(reads.clone()))?;
        registry.register(Box::new(fallbacks.clone()))?;
        registry.register(Box::new(pages.clone()))?;
        registry.register(Box::new(chain.clone()))?;
        registry.register(Box::new(mail.clone()))?;
        registry.register(Box::new(mail_retries.clone()))?;
        registry.register(Box::new(webhooks.clone()))?;
        let allocator = if crate::telemetry::allocator_reported() {
            let now = IntGauge::new(
                "allocator_committed_bytes",
                "Memory the allocator holds committed from the operating system",
            )?;
            let peak = IntGauge::new(
                "allocator_committed_peak_bytes",
                "The most memory the allocator has held committed since the start",
            )?;
            registry.register(Box::new(now.clone()))?;
            registry.register(Box::new(peak.clone()))?;
            Some((now, peak))
        } else {
            None
        };
        Ok(Self {
            registry,
            operations,
            duration,
            errors,
            statements,
            pool,
            reads,
            fallbacks,
            pages,
            chain,
            mail,
            mail_retries,
            webhooks,
            allocator,
            names: Mutex::new(HashSet::new()),
        })
    }

    fn operation_label(&self, name: Option<&str>) -> String {
        let Some(name) = name
            .filter(|n| n.len() <= 64 && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        else {
            return "anonymous".into();
        };
        let Ok(mut names) = self.names.lock() else {
            return "other".into();
        };
        if names.contains(name) || names.len() < MAX_OPERATION_NAMES {
            names.insert(name.to_owned());
            name.to_owned()
        } else {
            "other".into()
        }
    }

    /// Records one answered GraphQL request.
    pub fn record(&self, operation: Option<&str>, elapsed: Duration, error_codes: &[String]) {
        let operation = self.operation_label(operation);
        let outcome = if error_codes.is_empty() {
            "ok"
        } else {
            "error"
        };
        self.operations
            .with_label_values(&[operation.as_str(), outcome])
            .inc();
        self.duration
            .with_label_values(&[operation.as_str()])
            .observe(elapsed.as_secs_f64());
        for code in error_codes {
            self.errors.with_label_values(&[code.as_str()]).inc();
        }
    }

    /// Records which database served the reads of one request, and why not a replica when one
    /// was asked for and refused.
    pub fn read_from(&self, replica: bool, fallback: Option<Fallback>) {
        let database = if replica { "replica" } else { "primary" };
        self.reads.with_label_values(&[database]).inc();
        if let Some(reason) = fallback {
            self.fallbacks.with_label_values(&[reason.as_str()]).inc();
        }
    }

    /// Counts the pages of work one request answered as planned wholes and through the
    /// resolvers.
    pub fn pages(&self, planned: usize, resolvers: usize) {
        for (way, count) in [("planned", planned), ("resolvers", resolvers)] {
            if count > 0 {
                self.pages.with_label_values(&[way]).inc_by(count as u64);
            }
        }
    }

    /// Counts a digest sent or given up.
    pub fn mail_sent(&self, outcome: MailOutcome) {
        self.mail.with_label_values(&[outcome.as_str()]).inc();
    }

    /// Counts a failed attempt to send a digest that is retried.
    pub fn mail_retried(&self) {
        self.mail_retries.inc();
    }

    /// Counts one attempt at a webhook delivery by the status it left the delivery in.
    pub fn webhook_attempt(&self, outcome: DeliveryStatus) {
        self.webhooks.with_label_values(&[outcome.as_str()]).inc();
    }

    /// The text exposition, with the gauges read now: the statement count, the pool, and
    /// the tenants' audit chain heads (`None` when they could not be read).
    pub fn render(
        &self,
        statements: u64,
        pool: Option<(u32, usize)>,
        heads: Option<Vec<(String, Option<String>)>>,
    ) -> String {
        if let Some(heads) = heads {
            // A head moves with every write: the old series go.
            self.chain.reset();
            for (tenant, head) in heads {
                let head = head.unwrap_or_default();
                self.chain
                    .with_label_values(&[tenant.as_str(), head.as_str()])
                    .set(1);
            }
        }
        let counted = self.statements.get();
        if statements > counted {
            self.statements.inc_by(statements - counted);
        }
        if let Some((size, idle)) = pool {
            let idle = i64::try_from(idle).unwrap_or(i64::MAX);
            self.pool.with_label_values(&["idle"]).set(idle);
            self.pool
                .with_label_values(&["in_use"])
                .set(i64::from(size) - idle);
        }
        if let Some((now, peak)) = &self.allocator
            && let Some(figures) = crate::telemetry::allocator_figures()
        {
            now.set(i64::try_from(figures.committed_bytes).unwrap_or(i64::MAX));
            peak.set(i64::try_from(figures.committed_peak_bytes).unwrap_or(i64::MAX));
        }
        let mut buffer = Vec::new();
        // Encoding into memory cannot fail for the text format.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buffer);
        String::from_utf8(buffer).unwrap_or_default()
    }
}

/// `/metrics`: the text exposition, with the statement count and the primary's pool read now.
pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    use sea_orm::DbBackend;
    let pool = match state.db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = state.db.get_postgres_connection_pool();
            Some((pool.size(), pool.num_idle()))
        }
        DbBackend::Sqlite => {
            let pool = state.db.get_sqlite_connection_pool();
            Some((pool.size(), pool.num_idle()))
        }
        _ => None,
    };
    let heads = {
        use sea_orm::{EntityTrait, QuerySelect};
        entity::tenant::Entity::find()
            .select_only()
            .column(entity::tenant::Column::Key)
            .column(entity::tenant::Column::AuditHead)
            .into_tuple::<(String, Option<String>)>()
            .all(&state.db)
            .await
            .ok()
    };
    let body = state.metrics.render(state.statements.get(), pool, heads);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}
