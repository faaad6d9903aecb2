//! The `digidash` binary; everything lives in the `api` crate.

/// A GraphQL response is thousands of small allocations (values, names, strings) made and
/// freed per request on every worker thread; mimalloc's thread-local free lists serve that
/// pattern markedly faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match api::cli::run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("digidash: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
