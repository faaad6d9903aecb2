//! PostGraphile 4 and 5, the systems the pages are compared with: installed with npm when
//! missing (5 with the Node.js 22 it needs, from the npm package `node`), started on the same
//! database, and checked on every compared page before it is measured (see `equivalence`).

use std::path::{Path, PathBuf};

use serde_json::json;
use tokio::process::Command;

use crate::{
    Result,
    operations::Pg,
    options::Options,
    servers::{Server, spawn_server, wait_until_ready},
};

/// PostGraphile 5's configuration: the amber preset, the connection-filter plugin for the
/// measures page's status list, and every column filterable and orderable as in PostGraphile
/// 4 (whose CLI ignores indexes by default; 5 otherwise offers only indexed columns). The
/// database comes from `DATABASE_URL`; GraphiQL and `explain` are off, as `NODE_ENV=production`
/// and `--disable-graphiql` have them in 4.
const PG5_CONFIG: &str = r#"import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

export default {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({ connectionString: process.env.DATABASE_URL, schemas: ["public"] }),
  ],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
};
"#;

/// The npm packages of each version.
fn packages(version: Pg) -> &'static [&'static str] {
    match version {
        Pg::V4 => &["postgraphile@4", "postgraphile-plugin-connection-filter@2"],
        Pg::V5 => &[
            "node@22",
            "postgraphile@5",
            "postgraphile-plugin-connection-filter@4",
        ],
    }
}

fn directory(options: &Options, version: Pg) -> &Path {
    match version {
        Pg::V4 => &options.postgraphile_dir,
        Pg::V5 => &options.postgraphile5_dir,
    }
}

/// The files that show an installation is complete.
fn installed_files(options: &Options, version: Pg) -> Vec<PathBuf> {
    let dir = directory(options, version);
    match version {
        Pg::V4 => vec![dir.join("node_modules/.bin/postgraphile")],
        Pg::V5 => vec![node22(dir), pg5_cli(dir)],
    }
}

/// The Node.js 22 binary the npm package `node` installs (the machine's may be older;
/// PostGraphile 5 needs 22 or later).
fn node22(dir: &Path) -> PathBuf {
    dir.join("node_modules/.bin/node")
}

fn pg5_cli(dir: &Path) -> PathBuf {
    dir.join("node_modules/postgraphile/dist/cli-run.js")
}

/// Starts PostGraphile `version` on the benchmark's database.
pub(crate) async fn start_postgraphile(
    options: &Options,
    version: Pg,
    log_name: &str,
) -> Result<Server> {
    let dir = directory(options, version).to_path_buf();
    let server = spawn_server(options, log_name, version.system(), |port| {
        let mut command = match version {
            Pg::V4 => {
                let mut command = Command::new(dir.join("node_modules/.bin/postgraphile"));
                command
                    .args(["--connection", &options.database_url])
                    .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                    .args([
                        "--disable-graphiql",
                        "--disable-query-log",
                        "--dynamic-json",
                    ])
                    .args(["--append-plugins", "postgraphile-plugin-connection-filter"]);
                command
            }
            Pg::V5 => {
                let mut command = Command::new(node22(&dir));
                command
                    .arg(pg5_cli(&dir))
                    .arg("--config")
                    .arg(dir.join("graphile.config.mjs"))
                    .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                    .env("DATABASE_URL", &options.database_url)
                    // The packages of the folder, whatever the benchmark's working directory.
                    .current_dir(&dir);
                command
            }
        };
        command.env("NODE_ENV", "production");
        command
    })?;
    wait_until_ready(
        &server.graphql_url(),
        Some(json!({ "query": "{ __typename }" })),
    )
    .await?;
    Ok(server)
}

/// Installs PostGraphile `version` (and for 5 Node.js 22 and its configuration file) with npm
/// when it is missing.
pub(crate) async fn install_postgraphile_if_missing(options: &Options, version: Pg) -> Result<()> {
    let dir = directory(options, version);
    if !installed_files(options, version).iter().all(|f| f.exists()) {
        std::fs::create_dir_all(dir)?;
        let package = dir.join("package.json");
        if !package.exists() {
            std::fs::write(&package, "{\"private\": true}\n")?;
        }
        println!(
            "installing {} into {} (npm) ...",
            version.label(),
            dir.display()
        );
        let output = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(dir)
            .args(packages(version))
            .output()
            .await
            .map_err(|err| format!("npm: {err}"))?;
        if !output.status.success() || !installed_files(options, version).iter().all(|f| f.exists())
        {
            return Err(format!(
                "npm install {} failed: {}",
                packages(version).join(" "),
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
    }
    if version == Pg::V5 {
        // Written every time: the configuration is the benchmark's, not the folder's.
        std::fs::write(dir.join("graphile.config.mjs"), PG5_CONFIG)?;
    }
    Ok(())
}
