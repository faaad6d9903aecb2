//! The `digidash` binary; everything lives in the `api` crate.

use api::telemetry::AllocatorFigures;

/// A GraphQL response is thousands of small allocations (values, names, strings) made and
/// freed per request on every worker thread; mimalloc's thread-local free lists serve that
/// pattern markedly faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    api::telemetry::report_allocator(mimalloc_figures);
    match api::cli::run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("digidash: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// mimalloc's own count of the memory it holds committed (its statistics as JSON; the
/// process figures are kept in release builds too).
fn mimalloc_figures() -> Option<AllocatorFigures> {
    let stats = mimalloc::MiMalloc::stats_json().ok()?;
    let stats: serde_json::Value = serde_json::from_slice(stats.to_bytes()).ok()?;
    let process = stats.get("process")?;
    Some(AllocatorFigures {
        committed_bytes: process.get("commit_current")?.as_u64()?,
        committed_peak_bytes: process.get("commit_peak")?.as_u64()?,
    })
}
