//! PostGraphile 4, the system the pages are compared with: installed with npm when missing,
//! started on the same database, checked on every compared operation before it is measured.

use std::{path::PathBuf, sync::Arc};

use serde_json::json;
use tokio::process::Command;

use crate::{
    Result,
    operations::Op,
    options::Options,
    requests::{Bench, Rng, Target},
    servers::{Server, spawn_server, wait_until_ready},
};

/// Starts PostGraphile on the benchmark's database, with the connection-filter plugin the
/// measures page's status list needs.
pub(crate) async fn start_postgraphile(options: &Options, log_name: &str) -> Result<Server> {
    let bin = postgraphile_bin(options);
    let server = spawn_server(options, log_name, "postgraphile", |port| {
        let mut command = Command::new(&bin);
        command
            .args(["--connection", &options.database_url])
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args([
                "--disable-graphiql",
                "--disable-query-log",
                "--dynamic-json",
            ])
            .args(["--append-plugins", "postgraphile-plugin-connection-filter"])
            .env("NODE_ENV", "production");
        command
    })?;
    wait_until_ready(
        &server.graphql_url(),
        Some(json!({ "query": "{ __typename }" })),
    )
    .await?;
    Ok(server)
}

fn postgraphile_bin(options: &Options) -> PathBuf {
    options
        .postgraphile_dir
        .join("node_modules/.bin/postgraphile")
}

/// Installs PostGraphile 4 and the connection-filter plugin with npm when they are missing.
pub(crate) async fn install_postgraphile_if_missing(options: &Options) -> Result<()> {
    if postgraphile_bin(options).exists() {
        return Ok(());
    }
    std::fs::create_dir_all(&options.postgraphile_dir)?;
    let package = options.postgraphile_dir.join("package.json");
    if !package.exists() {
        std::fs::write(&package, "{\"private\": true}\n")?;
    }
    println!(
        "installing PostGraphile 4 into {} (npm) ...",
        options.postgraphile_dir.display()
    );
    let output = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&options.postgraphile_dir)
        .args(["postgraphile@4", "postgraphile-plugin-connection-filter@2"])
        .output()
        .await
        .map_err(|err| format!("npm: {err}"))?;
    if !output.status.success() || !postgraphile_bin(options).exists() {
        return Err(format!(
            "npm install postgraphile@4 failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(())
}

/// PostGraphile for the compared operations, each of which it answered once for every
/// tenant (unmeasured: it checks the documents and warms up Node's JIT). Returns the server
/// and the operations it answered without error; the others are left out of the comparison
/// with a note.
pub(crate) async fn start_and_check_postgraphile(
    options: &Options,
    ops: &[Op],
    bench: &Arc<Bench>,
    notes: &mut Vec<String>,
) -> Option<(Server, Vec<Op>)> {
    let server = match start_postgraphile(options, "postgraphile.log").await {
        Ok(server) => server,
        Err(err) => {
            notes.push(format!("PostGraphile did not start: {err}"));
            return None;
        }
    };
    let target = Target::postgraphile(&server);
    let mut rng = Rng::seeded(13);
    let mut answered = Vec::new();
    for &op in ops {
        let mut failed = None;
        for t in 0..bench.tenants.len() {
            let outcome = bench.request(&target, op, 0, t as u64, &mut rng).await;
            if !outcome.ok {
                failed = outcome.error;
            }
        }
        match failed {
            Some(error) => notes.push(format!("PostGraphile {}: {error}", op.key())),
            None => answered.push(op),
        }
    }
    Some((server, answered))
}
