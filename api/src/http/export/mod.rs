//! The file exports, with the same bearer token and the same policy as `/graphql`:
//!
//! - `GET /exports/measures.{csv,xlsx}`, `GET /exports/projects.{csv,xlsx}`: the rows of the
//!   `measures` / `projects` lists for the caller; `filter` (the GraphQL filter input as
//!   JSON), `orderBy` (the GraphQL order input as JSON), `lang=de|en`.
//! - `GET /exports/portfolio.xlsx`: the tenant's whole portfolio as the caller may see it, one
//!   worksheet per kind of row (see [`service::export::portfolio`]); `lang`.
//! - `GET /exports/council-report.{csv,xlsx,pdf}`: `period=2026-Q3`, or `from` and `to`, or
//!   `report=ID` of a published report; `lang`.

mod council_report;
mod file;
mod list;

use axum::{
    Router,
    body::Body,
    extract::{Path, RawQuery, State},
    response::Response,
    routing::get,
};
use serde::Deserialize;

use council_report::{council_query, council_report_for_export, render_council_report};
pub use file::CSV_CONTENT_TYPE;
use file::{Format, file_response};
use list::{list_export, list_xlsx, stream_csv};

use super::{AppState, trace};
use crate::{
    auth::Access,
    error::{ApiError, ApiResult, http::error_response},
    replicas::Consistency,
};
use service::export::{labels::Lang, xlsx};

/// `GET /exports/...` (bodies are not read, so the common body limit applies).
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/exports/{file}", get(export))
}

/// The query parameters of the exports.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ExportParams {
    pub(super) lang: Option<String>,
    pub(super) filter: Option<String>,
    pub(super) order_by: Option<String>,
    pub(super) period: Option<String>,
    pub(super) from: Option<String>,
    pub(super) to: Option<String>,
    pub(super) report: Option<String>,
}

/// Reads the query string of an export.
fn params(query: Option<&str>) -> ApiResult<ExportParams> {
    serde_urlencoded::from_str(query.unwrap_or_default())
        .map_err(|err| ApiError::bad_input("query", format!("unreadable query string: {err}")))
}

/// `GET /exports/{file}`: the file, or an error body with the status of its code.
async fn export(
    State(state): State<AppState>,
    access: Access,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    trace::record_viewer(&access);
    match export_file(&state, &access, &file, query.as_deref()).await {
        Ok(response) => response,
        Err(err) => error_response(&err),
    }
}

/// The file `file` (`measures.csv`, `council-report.pdf`, ...) for the caller.
async fn export_file(
    state: &AppState,
    access: &Access,
    file: &str,
    query: Option<&str>,
) -> ApiResult<Response> {
    let (name, format) = match file.rsplit_once('.') {
        Some((name, "csv")) => (name, Format::Csv),
        Some((name, "xlsx")) => (name, Format::Xlsx),
        Some((name, "pdf")) => (name, Format::Pdf),
        _ => return Err(ApiError::NotFound("export")),
    };
    if !matches!(
        name,
        "measures" | "projects" | "council-report" | "portfolio"
    ) {
        return Err(ApiError::NotFound("export"));
    }
    if name == "portfolio" && format != Format::Xlsx {
        return Err(ApiError::NotFound("export"));
    }
    if format == Format::Pdf && name != "council-report" {
        return Err(ApiError::NotFound("export"));
    }
    let viewer = access.viewer()?.clone();
    let params = params(query)?;
    let lang = Lang::parse_or(params.lang.as_deref(), viewer.settings.export_language)?;
    // An export is a read: a replica that has caught up with the viewer may serve it.
    let db = state.reader(&viewer, Consistency::CaughtUp).await;
    if name == "council-report" {
        let query = council_query(&params)?;
        let report = council_report_for_export(&db, &viewer, &query).await?;
        return render_council_report(&report, format, lang);
    }
    if name == "portfolio" {
        let bytes = service::export::portfolio::export(&db, &viewer, lang).await?;
        let file = format!(
            "digidash-{}-portfolio-{}.xlsx",
            viewer.tenant_key,
            chrono::Utc::now().date_naive(),
        );
        return Ok(file_response(xlsx::CONTENT_TYPE, &file, Body::from(bytes)));
    }
    let list = list_export(state, &db, &viewer, name, &params).await?;
    let file = format!(
        "digidash-{}-{}-{}.{}",
        viewer.tenant_key,
        list.file_word(lang),
        chrono::Utc::now().date_naive(),
        format.extension()
    );
    match format {
        Format::Csv => {
            let body = stream_csv(db, viewer, list, lang).await?;
            Ok(file_response(CSV_CONTENT_TYPE, &file, body))
        }
        _ => {
            let bytes = list_xlsx(&db, &viewer, &list, lang).await?;
            Ok(file_response(xlsx::CONTENT_TYPE, &file, Body::from(bytes)))
        }
    }
}
