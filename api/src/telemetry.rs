//! Logging and tracing set-up: text or JSON lines on stderr, filtered by `RUST_LOG`, and, when
//! `OTEL_EXPORTER_OTLP_ENDPOINT` is set, every span (requests, top-level GraphQL fields, SQL
//! statements) exported to an OpenTelemetry collector over OTLP/HTTP (protobuf).

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, WithExportConfig};
use opentelemetry_sdk::{Resource, trace::SdkTracerProvider};
use tracing_subscriber::{
    EnvFilter, Layer, Registry, fmt, layer::SubscriberExt, registry::LookupSpan,
};

use crate::config::LogFormat;

/// Spans exported to the collector: ours and SeaORM's statements, not the exporter's own
/// HTTP client (that would trace itself).
const EXPORT_FILTER: &str = "info,hyper=off,hyper_util=off,reqwest=off,h2=off,opentelemetry=off,opentelemetry_sdk=off,opentelemetry_otlp=off";

/// Longest one export (and the last flush at exit) may take: an unreachable collector must
/// not hold up a shutdown.
const EXPORT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// What must be flushed before the process exits.
#[must_use = "call shutdown() before exiting, or buffered spans are lost"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Sends the spans still buffered and stops the exporter.
    pub fn shutdown(self) {
        if let Some(provider) = self.provider
            && let Err(err) = provider.shutdown_with_timeout(EXPORT_TIMEOUT)
        {
            eprintln!("digidash: exporting the last traces failed: {err}");
        }
    }
}

/// Installs the global subscriber; call once at start-up. A second call (tests) keeps the
/// first subscriber.
///
/// Without an export the filter is global, not the log layer's own: a request's span is
/// entered and left on every poll of a statement's row stream (sqlx instruments it with the
/// current span), thousands of times per dashboard, and a layer's own filter looks the span
/// up again each time.
pub fn init(format: LogFormat, otlp_endpoint: Option<&str>) -> anyhow::Result<Telemetry> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"));
    let endpoint = otlp_endpoint.map(str::trim).filter(|e| !e.is_empty());
    let provider = endpoint.map(tracer_provider).transpose()?;
    // A second initialisation (tests) is harmless, so its error is ignored.
    let _ = match &provider {
        None => tracing::subscriber::set_global_default(
            Registry::default().with(filter).with(logs(format)),
        ),
        Some(provider) => {
            let export = tracing_opentelemetry::layer()
                .with_tracer(provider.tracer("digidash"))
                .with_filter(EnvFilter::new(EXPORT_FILTER));
            tracing::subscriber::set_global_default(
                Registry::default()
                    .with(logs(format).with_filter(filter))
                    .with(export),
            )
        }
    };
    Ok(Telemetry { provider })
}

/// Text or JSON lines on stderr.
fn logs<S>(format: LogFormat) -> Box<dyn Layer<S> + Send + Sync>
where
    S: tracing::Subscriber + for<'span> LookupSpan<'span>,
{
    match format {
        LogFormat::Text => fmt::layer().with_writer(std::io::stderr).boxed(),
        LogFormat::Json => fmt::layer()
            .json()
            .flatten_event(true)
            .with_writer(std::io::stderr)
            .boxed(),
    }
}

/// A provider batching spans to `<endpoint>/v1/traces`.
fn tracer_provider(endpoint: &str) -> anyhow::Result<SdkTracerProvider> {
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
        .with_timeout(EXPORT_TIMEOUT)
        .build()
        .map_err(|err| anyhow::anyhow!("OTEL_EXPORTER_OTLP_ENDPOINT: {err}"))?;
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(
            Resource::builder_empty()
                .with_service_name("digidash")
                .build(),
        )
        .build())
}

/// What the process's allocator holds from the operating system, as the allocator counts it:
/// unlike the RSS, it tells memory the program still uses or keeps for reuse apart from
/// memory the kernel has not taken back yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocatorFigures {
    pub committed_bytes: u64,
    pub committed_peak_bytes: u64,
}

/// Reads the figures; set by the binary that chose the global allocator.
static ALLOCATOR: std::sync::OnceLock<fn() -> Option<AllocatorFigures>> =
    std::sync::OnceLock::new();

/// Lets `/metrics` report the global allocator's figures through `read`. Only the binary
/// knows its allocator (tests run with the system's), so it registers this before `cli::run`.
pub fn report_allocator(read: fn() -> Option<AllocatorFigures>) {
    let _ = ALLOCATOR.set(read);
}

/// Whether the binary registered a reader ([`report_allocator`]).
pub(crate) fn allocator_reported() -> bool {
    ALLOCATOR.get().is_some()
}

/// The allocator's figures now, when a reader is registered and could read them.
pub(crate) fn allocator_figures() -> Option<AllocatorFigures> {
    ALLOCATOR.get().and_then(|read| read())
}
