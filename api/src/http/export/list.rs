//! The list exports (`measures`, `projects`): the caller's rows with the filter and order of
//! the GraphQL lists, as CSV streamed page by page or as XLSX.

use async_graphql::{
    InputType,
    futures_util::{StreamExt, stream},
};
use axum::body::{Body, Bytes};
use entity::{measure, project};
use sea_orm::{DatabaseConnection, QueryFilter};

use super::ExportParams;
use crate::{
    auth::Viewer,
    error::{ApiError, ApiResult},
    graphql::{
        context::RequestScope,
        input::{
            measure::{MeasureFilter, MeasureOrder},
            project::{ProjectFilter, ProjectOrder},
        },
        loader::batch::batch_channel,
    },
    http::AppState,
};
use service::{
    export::{
        csv,
        labels::Lang,
        lists::{ListExport, PAGE_SIZE},
        xlsx,
    },
    policy::FindVisible,
};

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

/// The caller's select for a list export: scope, filter and order as in GraphQL.
pub(super) async fn list_export(
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
        Ok(ListExport::Measures(order.sort().order(select)))
    } else {
        let filter: ProjectFilter = graphql_input(params.filter.as_deref(), "filter")?;
        let order: ProjectOrder = graphql_input(params.order_by.as_deref(), "orderBy")?;
        let condition = batches.run(filter.condition(&scope)).await?;
        let select = project::Entity::find_visible_to(viewer).filter(condition);
        Ok(ListExport::Projects(order.sort().order(select)))
    }
}

/// CSV streams page by page: the first page is read before the answer starts (so its errors
/// get a proper status), later pages while the client downloads. A failure on a later page
/// aborts the download (the client sees a broken transfer, never a silently short file).
pub(super) async fn stream_csv(
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
                    tracing::error!(error = %err, code = err.code().as_str(), "export page failed");
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
pub(super) async fn list_xlsx(
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
