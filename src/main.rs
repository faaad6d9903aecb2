//! The `digidash` binary; everything lives in the `api` crate.

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
