//! One operation of a request: its persisted query resolved, its document checked, then run.

use axum::response::Response;

use super::{
    document::check_document, execute::execute_recorded, persisted_query::resolve_persisted,
};
use crate::{
    auth::Access,
    http::{
        AppState, RequestLog,
        protocol::{MediaType, Params, respond},
        trace,
    },
};

/// What the operations of one HTTP request (one, or a batch) learn from each other.
#[derive(Debug, Default)]
pub(super) struct Sequence {
    /// A mutation has run: the viewer's data version was read before it, so the operations
    /// after it read the primary and skip the response cache.
    wrote: bool,
}

impl Sequence {
    /// Whether the next operation may come from the response cache or a replica: a query
    /// after no mutation. Notes a mutation for the operations after it. (`None`: the
    /// document does not parse, and execution runs nothing.)
    fn admit(&mut self, mutates: Option<bool>) -> bool {
        let cacheable = mutates == Some(false) && !self.wrote;
        self.wrote |= mutates == Some(true);
        cacheable
    }
}

/// Runs one operation and answers it in the client's media type.
pub(super) async fn run_operation(
    state: &AppState,
    access: Access,
    media: MediaType,
    params: Params,
    by_get: bool,
    sequence: &mut Sequence,
    log: &mut RequestLog,
) -> Response {
    let request = match resolve_persisted(&state.persisted, params, media, log) {
        Ok(request) => request,
        Err(stop) => return *stop,
    };
    let document = match check_document(
        request,
        by_get,
        media,
        &state.config.limits,
        state.config.introspection(),
    ) {
        Ok(document) => document,
        Err(stop) => return *stop,
    };
    let cacheable = sequence.admit(document.mutates) && !document.volatile;
    trace::record_operations(&log.operations_with(document.operation.as_deref()));
    let wrote_tenant = match &access {
        Access::Granted(viewer) if document.mutates == Some(true) => Some(viewer.tenant_id),
        _ => None,
    };
    let answer = execute_recorded(
        state,
        access,
        document.request,
        document.operation,
        cacheable,
        log,
    )
    .await;
    if let Some(tenant) = wrote_tenant {
        state.live.after_write(&state.db, tenant).await;
    }
    respond(media, answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_after_a_mutation_is_cached() {
        let mut sequence = Sequence::default();
        assert!(sequence.admit(Some(false)));
        assert!(!sequence.admit(None), "a document that does not parse");
        assert!(!sequence.admit(Some(true)));
        assert!(!sequence.admit(Some(false)), "a query after a mutation");
    }
}
