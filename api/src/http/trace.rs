//! The span every request runs in. It carries the request id, method and path from the
//! start, and the operation, tenant and role once they are known; never headers or the token.

use tracing::{Span, field::Empty};

use super::request_id::request_id;
use crate::auth::Access;

/// The span of one request (`TraceLayer::make_span_with`).
pub(crate) fn request_span<B>(request: &axum::http::Request<B>) -> Span {
    tracing::info_span!(
        "request",
        request_id = request_id(request.headers()),
        method = %request.method(),
        path = loggable_path(request.uri().path()),
        operation = Empty,
        tenant = Empty,
        role = Empty,
    )
}

/// The path as logged: a calendar feed's path is its secret, and is left out.
fn loggable_path(path: &str) -> &str {
    if path.starts_with(super::calendar::PREFIX) {
        "/calendar/{token}.ics"
    } else {
        path
    }
}

/// Records the caller's tenant and role on the current request's span, named as in the
/// request log.
pub(crate) fn record_viewer(access: &Access) {
    let (tenant, role) = access.log_labels();
    let span = Span::current();
    if let Some(tenant) = tenant {
        span.record("tenant", tenant);
    }
    span.record("role", role);
}

/// Records the operations of the current request (comma-separated for a batch).
pub(crate) fn record_operations(operations: &str) {
    Span::current().record("operation", operations);
}

#[cfg(test)]
mod tests {
    use std::{
        collections::HashMap,
        sync::{Arc, Mutex},
    };

    use tracing::{
        Subscriber,
        field::{Field, Visit},
        span::{Attributes, Id, Record},
    };
    use tracing_subscriber::{Layer, layer::Context, prelude::*, registry::LookupSpan};

    use super::*;
    use crate::auth::{Role, Viewer};

    /// Collects every field recorded on spans, by name.
    #[derive(Clone, Default)]
    struct Fields(Arc<Mutex<HashMap<String, String>>>);

    impl Visit for Fields {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0.lock().unwrap().insert(
                field.name().to_owned(),
                format!("{value:?}").trim_matches('"').to_owned(),
            );
        }
    }

    impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Fields {
        fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
            attrs.record(&mut self.clone());
        }

        fn on_record(&self, _: &Id, values: &Record<'_>, _: Context<'_, S>) {
            values.record(&mut self.clone());
        }
    }

    #[test]
    fn the_span_carries_operation_tenant_and_role_never_the_token() {
        let fields = Fields::default();
        let subscriber = tracing_subscriber::registry().with(fields.clone());
        tracing::subscriber::with_default(subscriber, || {
            let request = axum::http::Request::builder()
                .uri("/graphql")
                .header("x-request-id", "abc")
                .header("authorization", "Bearer secret-token")
                .body(())
                .unwrap();
            let span = request_span(&request);
            let _entered = span.enter();
            record_viewer(&Access::Denied("missing token".into()));
            assert_eq!(fields.0.lock().unwrap()["role"], "unauthenticated");
            record_viewer(&Access::Granted(Viewer {
                sub: "s".into(),
                name: None,
                role: Role::Council,
                tenant_id: 1,
                tenant_key: "aachen".into(),
                org_unit_id: None,
                units: Arc::default(),
                data_version: 1,
                settings: Default::default(),
                shares: Default::default(),
                unit: None,
            }));
            record_operations("WhoAmI");
        });
        let fields = fields.0.lock().unwrap();
        assert_eq!(fields["request_id"], "abc");
        assert_eq!(fields["operation"], "WhoAmI");
        assert_eq!(fields["tenant"], "aachen");
        assert_eq!(fields["role"], "council");
        assert!(!fields.values().any(|value| value.contains("secret-token")));
    }

    #[test]
    fn the_span_never_carries_a_calendar_token() {
        let fields = Fields::default();
        let subscriber = tracing_subscriber::registry().with(fields.clone());
        tracing::subscriber::with_default(subscriber, || {
            let request = axum::http::Request::builder()
                .uri("/calendar/c2VjcmV0LWNhbGVuZGFyLXRva2Vu.ics")
                .body(())
                .unwrap();
            let _span = request_span(&request);
        });
        let fields = fields.0.lock().unwrap();
        assert_eq!(fields["path"], "/calendar/{token}.ics");
    }
}
