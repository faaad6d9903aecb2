//! Automatic persisted queries: the document a request's hash stands for.

use super::Stop;
use crate::http::{
    RequestLog,
    persisted::PersistedQueries,
    protocol::{MediaType, Params, refusal},
};
use async_graphql::Request;

/// The request to run: its query as sent, or the stored document its hash names (a query
/// sent with its hash is checked against it and stored). Refused with a
/// `PERSISTED_QUERY_*` code; "not found" answers `200`, as clients then send the query.
pub(super) fn resolve_persisted(
    store: &PersistedQueries,
    params: Params,
    media: MediaType,
    log: &mut RequestLog,
) -> Result<Request, Stop> {
    let Params {
        mut request,
        persisted_hash,
    } = params;
    let Some(hash) = persisted_hash else {
        return Ok(request);
    };
    match store.resolve(&hash, &request.query) {
        Ok(Some(document)) => request.query = document,
        Ok(None) => {}
        Err(refused) => {
            log.codes.push(refused.code().as_str().to_owned());
            return Err(Box::new(refusal(media, refused.code(), refused.message())));
        }
    }
    Ok(request)
}
