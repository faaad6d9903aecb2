//! The spreadsheet imports, for central IT, each with a body limit of its own:
//!
//! - `POST /imports/measures?dryRun=true|false&lang=de|en`: measures from CSV or XLSX (see
//!   [`service::export::import`]);
//! - `POST /imports/portfolio?dryRun=true|false&lang=de|en`: the portfolio workbook (see
//!   [`service::export::portfolio`]).

use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, FromRequest, Multipart, RawQuery, Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use serde::Deserialize;
use tower_http::limit::RequestBodyLimitLayer;

use super::{AppState, idempotency, trace};
use crate::{
    auth::Access,
    error::{
        ApiError, ErrorCode,
        http::{error_response, json_error},
    },
};
use service::{
    export::{
        import::{self, ImportFile, MAX_IMPORT_BYTES},
        labels::Lang,
        portfolio::{self, MAX_PORTFOLIO_BYTES},
        xlsx,
    },
    policy::writes,
};

/// `POST /imports/measures` and `POST /imports/portfolio`, with body limits of their own.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/imports/measures", post(import_measures))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_IMPORT_BYTES))
        .merge(
            Router::new()
                .route("/imports/portfolio", post(import_portfolio))
                .layer(DefaultBodyLimit::max(MAX_PORTFOLIO_BYTES))
                .layer(RequestBodyLimitLayer::new(MAX_PORTFOLIO_BYTES)),
        )
}

/// What an import reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Measures,
    Portfolio,
}

/// 415 for a body of a type the route does not read.
fn unsupported_media_type(message: &str) -> Response {
    json_error(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::BadUserInput,
        message,
        None,
    )
}

/// The query parameters of the import.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ImportParams {
    dry_run: Option<String>,
    lang: Option<String>,
}

/// `POST /imports/measures`: the import's report, or an error body.
async fn import_measures(
    State(state): State<AppState>,
    access: Access,
    RawQuery(query): RawQuery,
    request: Request,
) -> Response {
    import(Kind::Measures, &state, &access, query.as_deref(), request).await
}

/// `POST /imports/portfolio`: the import's report, or an error body.
async fn import_portfolio(
    State(state): State<AppState>,
    access: Access,
    RawQuery(query): RawQuery,
    request: Request,
) -> Response {
    import(Kind::Portfolio, &state, &access, query.as_deref(), request).await
}

async fn import(
    kind: Kind,
    state: &AppState,
    access: &Access,
    query: Option<&str>,
    request: Request,
) -> Response {
    trace::record_viewer(access);
    if request.headers().contains_key(idempotency::KEY_HEADER) {
        // The key stands for the query and the file: read the body once, hash it, and hand
        // it on.
        let (parts, body) = request.into_parts();
        let limit = match kind {
            Kind::Measures => MAX_IMPORT_BYTES,
            Kind::Portfolio => MAX_PORTFOLIO_BYTES,
        };
        let bytes = match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => bytes,
            Err(err) => {
                return error_response(&ApiError::bad_input(
                    "file",
                    format!("the upload could not be read: {err}"),
                ));
            }
        };
        let target = format!("POST {}?{}", parts.uri.path(), query.unwrap_or_default());
        let headers = parts.headers.clone();
        let request = Request::from_parts(parts, axum::body::Body::from(bytes.clone()));
        let run = answer(kind, state, access, query, request);
        return idempotency::guarded(state, &headers, access, &target, &bytes, run).await;
    }
    answer(kind, state, access, query, request).await
}

/// The import's answer: its report, or an error body.
async fn answer(
    kind: Kind,
    state: &AppState,
    access: &Access,
    query: Option<&str>,
    request: Request,
) -> Response {
    match import_request(kind, state, access, query, request).await {
        Ok(response) => {
            if let Ok(viewer) = access.viewer() {
                state.live.after_write(&state.db, viewer.tenant_id).await;
            }
            response
        }
        Err(refusal) => {
            let mut response = match refusal {
                Refusal::Api(err) => error_response(&err),
                Refusal::MediaType(message) => unsupported_media_type(&message),
            };
            // A refusal may come before the upload is read; the server then drops the
            // connection with the unread rest, and a client that took it for kept alive would
            // lose its next request on it. Said in the answer, the client opens a new one.
            response.headers_mut().insert(
                axum::http::header::CONNECTION,
                axum::http::HeaderValue::from_static("close"),
            );
            response
        }
    }
}

/// Why an import is refused.
enum Refusal {
    /// With the status of the error's code.
    Api(ApiError),
    /// `415`: the upload is neither CSV nor XLSX.
    MediaType(String),
}

impl From<ApiError> for Refusal {
    fn from(err: ApiError) -> Self {
        Self::Api(err)
    }
}

/// Checks the caller and the parameters, reads the upload and runs the import.
async fn import_request(
    kind: Kind,
    state: &AppState,
    access: &Access,
    query: Option<&str>,
    request: Request,
) -> Result<Response, Refusal> {
    let viewer = access.viewer()?.clone();
    let what = match kind {
        Kind::Measures => "import measures",
        Kind::Portfolio => "import the portfolio",
    };
    writes::require_central_it(&viewer, what)?;
    let params: ImportParams = serde_urlencoded::from_str(query.unwrap_or_default())
        .map_err(|err| ApiError::bad_input("query", format!("unreadable query string: {err}")))?;
    let dry_run = match params.dry_run.as_deref().map(str::trim) {
        None | Some("false" | "0") => false,
        Some("true" | "1" | "") => true,
        Some(_) => return Err(ApiError::bad_input("dryRun", "expected true or false").into()),
    };
    let lang = Lang::parse_or(params.lang.as_deref(), viewer.settings.export_language)?;
    let file = read_upload(state, request).await?;
    let report = match (kind, file) {
        (Kind::Measures, file) => import::run(&state.db, &viewer, file, dry_run, lang).await?,
        (Kind::Portfolio, ImportFile::Xlsx(bytes)) => {
            portfolio::import(&state.db, &viewer, bytes, dry_run, lang).await?
        }
        (Kind::Portfolio, ImportFile::Csv(_)) => {
            return Err(Refusal::MediaType(format!(
                "the portfolio is one workbook: send it as {} or as the multipart field file",
                xlsx::CONTENT_TYPE
            )));
        }
    };
    let status = if report.refused() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
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
