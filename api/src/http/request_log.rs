//! [`RequestLog`]: the one log line of a GraphQL request.

use std::time::Duration;

use axum::http::StatusCode;

use crate::auth::Access;

/// What the request log line says about one request, filled in as the request goes.
#[derive(Debug, Default)]
pub struct RequestLog {
    /// The `X-Request-Id`.
    pub request_id: String,
    /// Names of the operations run (`-` for an anonymous one).
    pub operations: Vec<String>,
    /// The viewer's tenant.
    pub tenant: Option<String>,
    /// The viewer's role.
    pub role: Option<&'static str>,
    /// Error codes of the response, in order.
    pub codes: Vec<String>,
}

impl RequestLog {
    /// The log of the request with `request_id`.
    pub fn new(request_id: &str) -> Self {
        Self {
            request_id: request_id.to_owned(),
            ..Self::default()
        }
    }

    /// Notes who is asking.
    pub fn viewer(&mut self, access: &Access) {
        let (tenant, role) = access.log_labels();
        if let Some(tenant) = tenant {
            self.tenant = Some(tenant.to_owned());
        }
        self.role = Some(role);
    }

    /// The operations run so far and `next` (`-` when anonymous), as the log line names
    /// them.
    pub fn operations_with(&self, next: Option<&str>) -> String {
        let mut names = self.operations.clone();
        names.push(next.unwrap_or("-").to_owned());
        names.join(",")
    }

    /// `ok`, or the first error code (or the HTTP status when there is no code).
    pub fn outcome(&self, status: StatusCode) -> String {
        match self.codes.first() {
            Some(code) => code.clone(),
            None if status.is_success() => "ok".to_owned(),
            None => format!("http_{}", status.as_u16()),
        }
    }

    /// Writes the one line of a finished request.
    pub fn write(&self, status: StatusCode, duration: Duration) {
        tracing::info!(
            target: "digidash::request",
            request_id = %self.request_id,
            operation = %if self.operations.is_empty() { "-".to_owned() } else { self.operations.join(",") },
            tenant = self.tenant.as_deref().unwrap_or("-"),
            role = self.role.unwrap_or("-"),
            status = status.as_u16(),
            duration_ms = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
            outcome = %self.outcome(status),
            codes = %self.codes.join(","),
            "graphql request"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_line_names_the_outcome() {
        let mut log = RequestLog::default();
        assert_eq!(log.outcome(StatusCode::OK), "ok");
        assert_eq!(log.outcome(StatusCode::NOT_ACCEPTABLE), "http_406");
        log.codes.push("FORBIDDEN".into());
        assert_eq!(log.outcome(StatusCode::OK), "FORBIDDEN");
        log.operations.push("A".into());
        assert_eq!(log.operations_with(None), "A,-");
    }
}
