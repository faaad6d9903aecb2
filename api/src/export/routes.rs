//! HTTP routes of the exports and the measure import, with the same bearer token and the same
//! policy as `/graphql`.
//!
//! - `GET /exports/measures.{csv,xlsx}`, `GET /exports/projects.{csv,xlsx}`: the rows of the
//!   `measures` / `projects` lists for the caller; `filter` (the GraphQL filter input as
//!   JSON), `orderBy` (the GraphQL order input as JSON), `lang=de|en`.
//! - `GET /exports/council-report.{csv,xlsx,pdf}`: `period=2026-Q3`, or `from` and `to`, or
//!   `report=ID` of a published report; `lang`.
//! - `POST /imports/measures?dryRun=true|false`: see [`super::import`].

use async_graphql::{
    InputType,
    futures_util::{StreamExt, stream},
};
use axum::{
    Json, Router,
    body::{Body, Bytes},
    extract::{DefaultBodyLimit, FromRequest, Multipart, Path, RawQuery, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use chrono::NaiveDate;
use entity::{measure, project};
use sea_orm::{DatabaseConnection, QueryFilter};
use serde::Deserialize;
use serde_json::json;
use tower_http::limit::RequestBodyLimitLayer;

use super::{
    council::{self, CouncilReportQuery},
    csv,
    import::{self, ImportFile, MAX_IMPORT_BYTES},
    labels::Lang,
    lists::{ListExport, PAGE_SIZE},
    pdf, xlsx,
};
use crate::{
    auth::{Access, Viewer},
    error::{ApiError, ApiResult},
    graphql::{
        context::RequestScope,
        input::{
            measure::{MeasureFilter, MeasureOrder},
            project::{ProjectFilter, ProjectOrder},
        },
        loader::batch::batch_channel,
    },
    policy::{FindVisible, writes},
    replicas::Consistency,
    report::{model::CouncilReport, period::Period},
    server::AppState,
};

/// The CSV content type.
pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// `GET /exports/...` (bodies are not read, so the common body limit applies).
pub fn export_routes() -> Router<AppState> {
    Router::new().route("/exports/{file}", get(export))
}

/// `POST /imports/measures`, with a body limit of its own.
pub fn import_routes() -> Router<AppState> {
    Router::new()
        .route("/imports/measures", post(import_measures))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_IMPORT_BYTES))
}

/// An error as JSON in the shape GraphQL errors have, with the matching HTTP status.
pub fn error_response(err: &ApiError) -> Response {
    let status = match err {
        ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
        ApiError::NotFound(_) => StatusCode::NOT_FOUND,
        ApiError::BadInput { .. } => StatusCode::BAD_REQUEST,
        ApiError::Conflict(_) => StatusCode::CONFLICT,
        ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ApiError::Timeout => StatusCode::GATEWAY_TIMEOUT,
        ApiError::Internal(cause) => {
            tracing::error!(error = ?cause, "internal error");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    let mut extensions = json!({ "code": err.code() });
    if let ApiError::BadInput { field, .. } = err {
        extensions["field"] = json!(field);
    }
    (
        status,
        Json(json!({ "errors": [{ "message": err.to_string(), "extensions": extensions }] })),
    )
        .into_response()
}

/// 415 for a body of a type the route does not read.
fn unsupported_media_type(message: &str) -> Response {
    (
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Json(json!({ "errors": [{
            "message": message,
            "extensions": { "code": "BAD_USER_INPUT" },
        }] })),
    )
        .into_response()
}

/// The query parameters of the exports.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExportParams {
    lang: Option<String>,
    filter: Option<String>,
    order_by: Option<String>,
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
    report: Option<String>,
}

fn params(query: Option<&str>) -> ApiResult<ExportParams> {
    serde_urlencoded::from_str(query.unwrap_or_default())
        .map_err(|err| ApiError::bad_input("query", format!("unreadable query string: {err}")))
}

/// A GraphQL input object given as JSON in query parameter `field`.
fn graphql_input<T: InputType + Default>(json: Option<&str>, field: &str) -> ApiResult<T> {
    let Some(json) = json.filter(|j| !j.trim().is_empty()) else {
        return Ok(T::default());
    };
    let value: serde_json::Value = serde_json::from_str(json)
        .map_err(|err| ApiError::bad_input(field, format!("not JSON: {err}")))?;
    let value = async_graphql::Value::from_json(value)
        .map_err(|err| ApiError::bad_input(field, err.to_string()))?;
    T::parse(Some(value)).map_err(|err| {
        ApiError::bad_input(field, err.into_server_error(Default::default()).message)
    })
}

/// `Content-Disposition: attachment` with an ASCII name and its UTF-8 form.
fn attachment(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

fn file_response(content_type: &'static str, name: &str, body: Body) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_DISPOSITION, attachment(name));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    (headers, body).into_response()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
    Pdf,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Pdf => "pdf",
        }
    }
}

async fn export(
    State(state): State<AppState>,
    access: Access,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    match export_file(&state, &access, &file, query.as_deref()).await {
        Ok(response) => response,
        Err(err) => error_response(&err),
    }
}

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
    if !matches!(name, "measures" | "projects" | "council-report") {
        return Err(ApiError::NotFound("export"));
    }
    if format == Format::Pdf && name != "council-report" {
        return Err(ApiError::NotFound("export"));
    }
    let viewer = access.viewer()?.clone();
    let params = params(query)?;
    let lang = Lang::parse(params.lang.as_deref())?;
    // An export is a read: a replica that has caught up with the viewer may serve it.
    let db = state.reader(&viewer, Consistency::CaughtUp).await;
    if name == "council-report" {
        let query = council_query(&params)?;
        let report = council_report_for_export(&db, &viewer, &query).await?;
        return render_council_report(&report, format, lang);
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

/// The caller's select for a list export: scope, filter and order as in GraphQL.
async fn list_export(
    state: &AppState,
    db: &DatabaseConnection,
    viewer: &Viewer,
    name: &str,
    params: &ExportParams,
) -> ApiResult<ListExport> {
    let (spawner, batches) = batch_channel();
    let scope = RequestScope::new(
        db,
        viewer.clone(),
        &spawner,
        state.config.reporting_cycle_days,
    );
    if name == "measures" {
        let filter: MeasureFilter = graphql_input(params.filter.as_deref(), "filter")?;
        let order: MeasureOrder = graphql_input(params.order_by.as_deref(), "orderBy")?;
        let condition = batches.run(filter.condition(&scope)).await?;
        let select = measure::Entity::find_visible_to(viewer).filter(condition);
        Ok(ListExport::Measures(order.apply(select)))
    } else {
        let filter: ProjectFilter = graphql_input(params.filter.as_deref(), "filter")?;
        let order: ProjectOrder = graphql_input(params.order_by.as_deref(), "orderBy")?;
        let condition = batches.run(filter.condition(&scope)).await?;
        let select = project::Entity::find_visible_to(viewer).filter(condition);
        Ok(ListExport::Projects(order.apply(select)))
    }
}

/// CSV streams page by page: the first page is read before the answer starts (so its errors
/// get a proper status), later pages while the client downloads. A failure on a later page
/// aborts the download (the client sees a broken transfer, never a silently short file).
async fn stream_csv(
    db: DatabaseConnection,
    viewer: Viewer,
    list: ListExport,
    lang: Lang,
) -> ApiResult<Body> {
    let first = list.page(&db, &viewer, 0, lang).await?;
    let mut head = csv::head(list.columns(), lang)?;
    head.extend(csv::rows(&first, lang)?);
    let more = first.len() as u64 == PAGE_SIZE;
    let rest = stream::unfold(
        (1u64, more, db, viewer, list),
        move |(page, more, db, viewer, list)| async move {
            if !more {
                return None;
            }
            let chunk = match list.page(&db, &viewer, page, lang).await {
                Ok(rows) => {
                    let more = rows.len() as u64 == PAGE_SIZE;
                    csv::rows(&rows, lang).map(|bytes| (bytes, more))
                }
                Err(err) => Err(err),
            };
            match chunk {
                Ok((bytes, more)) => {
                    Some((Ok(Bytes::from(bytes)), (page + 1, more, db, viewer, list)))
                }
                Err(err) => {
                    tracing::error!(error = %err, code = err.code(), "export page failed");
                    Some((
                        Err(std::io::Error::other("export failed")),
                        (page + 1, false, db, viewer, list),
                    ))
                }
            }
        },
    );
    let body = stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(head)) }).chain(rest);
    Ok(Body::from_stream(body))
}

/// XLSX: rows go page by page into a constant-memory worksheet.
async fn list_xlsx(
    db: &DatabaseConnection,
    viewer: &Viewer,
    list: &ListExport,
    lang: Lang,
) -> ApiResult<Vec<u8>> {
    let mut writer = xlsx::XlsxWriter::new(lang);
    writer.add_sheet(list.sheet_name(lang), list.columns(), lang)?;
    let mut page = 0;
    loop {
        let rows = list.page(db, viewer, page, lang).await?;
        writer.append(&rows)?;
        if (rows.len() as u64) < PAGE_SIZE {
            break;
        }
        page += 1;
    }
    writer.finish()
}

fn day(text: Option<&str>, field: &str) -> ApiResult<Option<NaiveDate>> {
    text.map(|t| {
        NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
            .map_err(|_| ApiError::bad_input(field, "expected a date such as 2026-09-30"))
    })
    .transpose()
}

fn council_query(params: &ExportParams) -> ApiResult<CouncilReportQuery> {
    if let Some(id) = params.report.as_deref() {
        if params.period.is_some() || params.from.is_some() || params.to.is_some() {
            return Err(ApiError::bad_input(
                "report",
                "give either a published report or a period, not both",
            ));
        }
        let id = crate::graphql::id::decode(
            &async_graphql::ID(id.to_owned()),
            "CouncilReport",
            "report",
        )?;
        return Ok(CouncilReportQuery::Published(id));
    }
    let from = day(params.from.as_deref(), "from")?;
    let to = day(params.to.as_deref(), "to")?;
    Ok(CouncilReportQuery::Live(Period::from_arguments(
        params.period.as_deref(),
        from,
        to,
    )?))
}

/// ADAPTER to the council report builder of `crate::report::council`, which is written on
/// `main` at the same time as this branch. After the merge its body becomes
/// `crate::report::council::for_export(state, viewer, query).await`: the live report of the
/// period for the caller, or the published report (`NOT_FOUND` for an unknown or invisible
/// id). Until then this build has no council report to render and says so.
async fn council_report_for_export(
    db: &DatabaseConnection,
    viewer: &Viewer,
    query: &CouncilReportQuery,
) -> ApiResult<CouncilReport> {
    match query {
        CouncilReportQuery::Live(period) => {
            crate::report::council::live(db, viewer, period, None).await
        }
        CouncilReportQuery::Published(id) => {
            crate::report::council::published_one(db, viewer, *id).await
        }
    }
}

/// The answer for a council report in `format`.
fn render_council_report(
    report: &CouncilReport,
    format: Format,
    lang: Lang,
) -> ApiResult<Response> {
    let file = format!(
        "digidash-{}-{}-{}.{}",
        report.tenant_key,
        lang.pick("ratsbericht", "council-report"),
        council::file_period(report),
        format.extension()
    );
    Ok(match format {
        Format::Csv => {
            let bytes = csv::render(&council::sheets(report, lang), lang)?;
            file_response(CSV_CONTENT_TYPE, &file, Body::from(bytes))
        }
        Format::Xlsx => {
            let bytes = xlsx::render(&council::sheets(report, lang), lang)?;
            file_response(xlsx::CONTENT_TYPE, &file, Body::from(bytes))
        }
        Format::Pdf => file_response(
            pdf::CONTENT_TYPE,
            &file,
            Body::from(pdf::render(report, lang)),
        ),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ImportParams {
    dry_run: Option<String>,
    lang: Option<String>,
}

async fn import_measures(
    State(state): State<AppState>,
    access: Access,
    RawQuery(query): RawQuery,
    request: Request,
) -> Response {
    match import_request(&state, &access, query.as_deref(), request).await {
        Ok(response) => response,
        Err(Refusal::Api(err)) => error_response(&err),
        Err(Refusal::MediaType(message)) => unsupported_media_type(&message),
    }
}

enum Refusal {
    Api(ApiError),
    MediaType(String),
}

impl From<ApiError> for Refusal {
    fn from(err: ApiError) -> Self {
        Self::Api(err)
    }
}

async fn import_request(
    state: &AppState,
    access: &Access,
    query: Option<&str>,
    request: Request,
) -> Result<Response, Refusal> {
    let viewer = access.viewer()?.clone();
    writes::require_central_it(&viewer, "import measures")?;
    let params: ImportParams = serde_urlencoded::from_str(query.unwrap_or_default())
        .map_err(|err| ApiError::bad_input("query", format!("unreadable query string: {err}")))?;
    let dry_run = match params.dry_run.as_deref().map(str::trim) {
        None | Some("false" | "0") => false,
        Some("true" | "1" | "") => true,
        Some(_) => return Err(ApiError::bad_input("dryRun", "expected true or false").into()),
    };
    let lang = Lang::parse(params.lang.as_deref())?;
    let file = read_upload(state, request).await?;
    let (status, report) = import::run(&state.db, &viewer, file, dry_run, lang).await?;
    Ok((status, Json(report)).into_response())
}

/// The uploaded file: the body as `text/csv` or XLSX, or the multipart field `file`.
async fn read_upload(state: &AppState, request: Request) -> Result<ImportFile, Refusal> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let too_large = |err: &dyn std::fmt::Display| {
        ApiError::bad_input("file", format!("the upload could not be read: {err}"))
    };
    match essence.as_str() {
        "text/csv" | "application/csv" => {
            let body = Bytes::from_request(request, state)
                .await
                .map_err(|err| too_large(&err))?;
            Ok(ImportFile::Csv(body.to_vec()))
        }
        xlsx::CONTENT_TYPE => {
            let body = Bytes::from_request(request, state)
                .await
                .map_err(|err| too_large(&err))?;
            Ok(ImportFile::Xlsx(body.to_vec()))
        }
        "multipart/form-data" => {
            let mut multipart = Multipart::from_request(request, state)
                .await
                .map_err(|err| too_large(&err))?;
            while let Some(field) = multipart
                .next_field()
                .await
                .map_err(|err| too_large(&err))?
            {
                if field.name() != Some("file") {
                    continue;
                }
                let name = field.file_name().unwrap_or_default().to_ascii_lowercase();
                let kind = field
                    .content_type()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let bytes = field.bytes().await.map_err(|err| too_large(&err))?.to_vec();
                return if kind.starts_with(xlsx::CONTENT_TYPE) || name.ends_with(".xlsx") {
                    Ok(ImportFile::Xlsx(bytes))
                } else if kind.starts_with("text/csv") || name.ends_with(".csv") {
                    Ok(ImportFile::Csv(bytes))
                } else {
                    Err(Refusal::MediaType(
                        "the field file must be a CSV (text/csv, .csv) or XLSX file".into(),
                    ))
                };
            }
            Err(ApiError::bad_input("file", "the multipart field file is missing").into())
        }
        _ => Err(Refusal::MediaType(format!(
            "send the file as text/csv, as {} or as the multipart field file",
            xlsx::CONTENT_TYPE
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::council::sample;

    async fn body(response: Response) -> Vec<u8> {
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec()
    }

    #[tokio::test]
    async fn council_report_files_have_names_types_and_content() {
        let report = sample::report(2, 3);
        let response = render_council_report(&report, Format::Pdf, Lang::De).unwrap();
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/pdf");
        assert_eq!(
            response.headers()[header::CONTENT_DISPOSITION],
            "attachment; filename=\"digidash-aachen-ratsbericht-2026-Q3.pdf\"; filename*=UTF-8''digidash-aachen-ratsbericht-2026-Q3.pdf"
        );
        assert!(body(response).await.starts_with(b"%PDF-"));

        let response = render_council_report(&report, Format::Xlsx, Lang::En).unwrap();
        assert_eq!(response.headers()[header::CONTENT_TYPE], xlsx::CONTENT_TYPE);
        assert!(
            response.headers()[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains("digidash-aachen-council-report-2026-Q3.xlsx")
        );
        let response = render_council_report(&report, Format::Csv, Lang::De).unwrap();
        assert_eq!(response.headers()[header::CONTENT_TYPE], CSV_CONTENT_TYPE);
        assert!(body(response).await.starts_with(csv::BOM));
    }

    #[test]
    fn council_queries_take_a_period_a_range_or_a_report() {
        let params = |q: &str| params(Some(q)).unwrap();
        assert!(matches!(
            council_query(&params("period=2026-Q3")).unwrap(),
            CouncilReportQuery::Live(p) if p.label == "2026-Q3"
        ));
        assert!(matches!(
            council_query(&params("from=2026-07-01&to=2026-08-15")).unwrap(),
            CouncilReportQuery::Live(p) if p.label == "2026-07-01..2026-08-15"
        ));
        assert_eq!(
            council_query(&params("report=Q291bmNpbFJlcG9ydDox")).unwrap(),
            CouncilReportQuery::Published(1)
        );
        for bad in [
            "",
            "period=2026-Q9",
            "report=x&period=2026",
            "from=2026-07-01",
            "from=1.7.2026&to=2026-08-01",
        ] {
            assert_eq!(
                council_query(&params(bad)).unwrap_err().code(),
                "BAD_USER_INPUT",
                "{bad}"
            );
        }
    }

    #[test]
    fn non_ascii_file_names_get_an_ascii_fallback() {
        assert_eq!(
            attachment("bericht-köln.csv"),
            "attachment; filename=\"bericht-k_ln.csv\"; filename*=UTF-8''bericht-k%C3%B6ln.csv"
        );
    }
}
