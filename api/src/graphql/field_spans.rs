//! A tracing span per top-level field (`graphql.field`), inside the request's span.
//!
//! Top-level fields only: a span per nested field would cost more than the field itself on a
//! page of a hundred rows, and the database spans below already show where the time goes.

use std::sync::Arc;

use async_graphql::{
    ServerResult, Value,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo},
};
use tracing::Instrument;

/// Installs [`FieldSpan`] on a schema.
pub struct FieldSpans;

impl ExtensionFactory for FieldSpans {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(FieldSpan)
    }
}

/// Wraps each top-level resolver in a span named after its field.
struct FieldSpan;

#[async_graphql::async_trait::async_trait]
impl Extension for FieldSpan {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.path_node.parent.is_some() || info.is_for_introspection {
            return next.run(ctx, info).await;
        }
        let span = tracing::info_span!(
            "graphql.field",
            field = info.name,
            parent_type = info.parent_type
        );
        next.run(ctx, info).instrument(span).await
    }
}
