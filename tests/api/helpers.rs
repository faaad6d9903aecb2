//! Spawning a digidash server on a fresh database for one test.

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    },
};

use api::{
    auth::{Claims, TokenKeys},
    config::Config,
    http::AppState,
};
use secrecy::SecretString;
use serde_json::{Value, json};

pub const SECRET: &str = "integration-test-secret-0123456789";

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The PostgreSQL server tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A throw-away database: a temporary SQLite file or a new PostgreSQL database, removed on drop.
pub struct TestDatabase {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Postgres { admin: String, name: String },
}

/// `name` on the server of the admin URL `admin`.
pub fn database_url(admin: &str, name: &str) -> String {
    let base = admin.rsplit_once('/').map_or(admin, |(base, _)| base);
    format!("{base}/{name}")
}

impl TestDatabase {
    /// Creates an empty database; `None` when PostgreSQL is not reachable outside CI.
    pub async fn create(backend: Backend) -> Option<Self> {
        Self::new(backend, false).await
    }

    /// Creates a database for a server: on PostgreSQL a copy of the migrated template (see
    /// `template`), on SQLite an empty file, which the server migrates in little time; `None`
    /// when PostgreSQL is not reachable outside CI.
    pub async fn from_template(backend: Backend) -> Option<Self> {
        Self::new(backend, true).await
    }

    async fn new(backend: Backend, from_template: bool) -> Option<Self> {
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("{}.db", unique("digidash_test")));
                Some(Self {
                    url: format!("sqlite://{}", path.display()),
                    cleanup: Cleanup::File(path),
                })
            }
            Backend::Postgres => {
                let admin = postgres_admin_url();
                let name = unique("digidash_test");
                match sea_orm::Database::connect(&admin).await {
                    Ok(db) => {
                        use sea_orm::ConnectionTrait;
                        let create = if from_template {
                            let template = crate::template::ensure(&db, &admin).await;
                            format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"")
                        } else {
                            format!("CREATE DATABASE \"{name}\"")
                        };
                        db.execute_unprepared(&create)
                            .await
                            .expect("create test database");
                        let _ = db.close().await;
                    }
                    Err(err) => {
                        assert!(
                            std::env::var("CI").as_deref() != Ok("true"),
                            "PostgreSQL tests must run in CI, but PostgreSQL is not reachable: {err}"
                        );
                        eprintln!("skipping a PostgreSQL test: {err}");
                        return None;
                    }
                }
                Some(Self {
                    url: database_url(&admin, &name),
                    cleanup: Cleanup::Postgres { admin, name },
                })
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm", ".jwt-secret"] {
                    let mut name = path.as_os_str().to_owned();
                    name.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(name));
                }
            }
            Cleanup::Postgres { admin, name } => {
                let (admin, name) = (admin.clone(), name.clone());
                // Drop runs outside any runtime we may block, so the clean-up gets its own.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    runtime.block_on(async {
                        use sea_orm::ConnectionTrait;
                        let db = sea_orm::Database::connect(&admin).await.ok()?;
                        db.execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await
                        .ok()?;
                        db.close().await.ok()
                    })
                })
                .join();
            }
        }
    }
}

/// A running server with the demo data, and a client.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub keys: TokenKeys,
    // Dropped last: the server's pool must close before the database is removed. Shared
    // with the app's twin (`resolvers_only`).
    _database: Arc<TestDatabase>,
}

/// Starts a server on a fresh database with the demo data; `None` if the backend is unavailable.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

/// Like [`spawn_app`], with a chance to change the configuration.
pub async fn spawn_app_with(
    backend: Backend,
    configure: impl FnOnce(&mut Config),
) -> Option<TestApp> {
    let database = TestDatabase::from_template(backend).await?;
    let mut config = Config {
        database_url: Some(database.url.clone()),
        jwt_secret: Some(SecretString::from(SECRET.to_owned())),
        ..Config::for_tests()
    };
    // The suites send hundreds of requests a minute with one token; the rate-limit tests
    // switch the limits on for themselves.
    config.serving.rate_limit_per_minute = 0;
    config.serving.rate_limit_per_address_per_minute = 0;
    configure(&mut config);
    let (state, _) = api::cli::prepare(config).await.expect("server state");
    service::seed::load_demo(&state.db)
        .await
        .expect("demo data");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(api::http::serve(listener, state.clone()));
    Some(TestApp {
        address,
        client: reqwest::Client::new(),
        keys: TokenKeys::hs256(&SecretString::from(SECRET.to_owned())),
        state,
        _database: Arc::new(database),
    })
}

impl TestApp {
    /// The server's database, for the command line.
    pub fn database_url(&self) -> &str {
        &self._database.url
    }

    /// A second server on the same database that answers every field through its resolvers
    /// (`PLANNED_PAGES=false`), with a response cache of its own: what planned pages are
    /// compared with.
    pub async fn resolvers_only(&self) -> TestApp {
        let mut config = (*self.state.config).clone();
        config.serving.planned_pages = false;
        let state = AppState {
            config: Arc::new(config),
            responses: Arc::new(api::http::cache::ResponseCache::new(0, 0)),
            ..self.state.clone()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(api::http::serve(listener, state.clone()));
        TestApp {
            address,
            client: reqwest::Client::new(),
            keys: TokenKeys::hs256(&SecretString::from(SECRET.to_owned())),
            state,
            _database: self._database.clone(),
        }
    }

    /// A token of `role` in `tenant`, valid for an hour.
    pub fn token(&self, role: &str, tenant: &str, org_unit: Option<&str>) -> String {
        self.keys
            .mint(&Claims {
                sub: format!("{role}-tester"),
                role: role.into(),
                tenant: Some(tenant.into()),
                org_unit: org_unit.map(str::to_owned),
                name: Some("Test".into()),
                exp: chrono::Utc::now().timestamp() + 3600,
                iat: None,
            })
            .expect("token")
    }

    /// A token of the installation's operator (`platform_admin`, no tenant), valid for an hour.
    pub fn operator_token(&self) -> String {
        self.keys
            .mint(&Claims {
                sub: "operator-tester".into(),
                role: "platform_admin".into(),
                tenant: None,
                org_unit: None,
                name: Some("Plattformbetrieb".into()),
                exp: chrono::Utc::now().timestamp() + 3600,
                iat: None,
            })
            .expect("token")
    }

    /// Posts a GraphQL request; returns HTTP status and body.
    pub async fn post(&self, token: Option<&str>, body: Value) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or_else(|_| json!({ "raw": text }));
        (status, body)
    }

    /// Central IT (`central`) lets the council read the live council report.
    pub async fn release_live_report(&self, central: &str) {
        let version = self
            .query(central, "{ me { tenant { version } } }", json!({}))
            .await["me"]["tenant"]["version"]
            .clone();
        self.query(
            central,
            "mutation($v: Int!) { setCouncilLiveReport(input: { allowed: true, version: $v }) { tenant { councilLiveReport } } }",
            json!({ "v": version }),
        )
        .await;
    }

    /// Runs a query that must succeed; returns `data`.
    pub async fn query(&self, token: &str, query: &str, variables: Value) -> Value {
        let (status, body) = self
            .post(
                Some(token),
                json!({ "query": query, "variables": variables }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// The first measure `token` lists, with its id and version.
    pub async fn first_measure(&self, token: &str) -> Value {
        let first = self
            .query(
                token,
                "{ measures(first: 1) { edges { node { id version } } } }",
                json!({}),
            )
            .await;
        nodes(&first["measures"]).remove(0)
    }

    pub async fn error_code(&self, token: Option<&str>, query: &str, variables: Value) -> String {
        let (status, body) = self
            .post(token, json!({ "query": query, "variables": variables }))
            .await;
        assert!(status < 500, "server error {status}: {body}");
        body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code in {body}"))
            .to_owned()
    }

    /// The text of the server's `/metrics`.
    pub async fn metrics(&self) -> String {
        self.client
            .get(format!("{}/metrics", self.address))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text")
    }

    /// SQL statements the server has run so far.
    pub fn statements(&self) -> u64 {
        self.state.statements.get()
    }
}

/// The nodes of a connection in a response.
pub fn nodes(connection: &Value) -> Vec<Value> {
    connection["edges"]
        .as_array()
        .map(|edges| edges.iter().map(|edge| edge["node"].clone()).collect())
        .unwrap_or_default()
}

/// Runs a test once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::helpers::Backend::Postgres).await;
            }
        }
    )+};
}

/// The npm package `package` installed under `dir` (by `npm ci --prefix <dir>`) with
/// Node.js to run it, for the tests that drive real JavaScript clients. Outside CI a missing
/// one skips the test (`false`, with a line saying how to install it); in CI it fails.
pub fn npm_package_ready(dir: &std::path::Path, package: &str) -> bool {
    let ready = dir.join("node_modules").join(package).exists()
        && std::process::Command::new("node")
            .arg("--version")
            .output()
            .is_ok();
    if !ready {
        let install = format!("`npm ci --prefix {}` and Node.js", dir.display());
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "npm {package} must run in CI: {install} are needed"
        );
        eprintln!("skipping a test of npm {package}: run {install}");
    }
    ready
}
