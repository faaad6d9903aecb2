//! The body of a delivery: the Standard Webhooks shape `{ type, timestamp, data }`, with
//! `data` holding the global id of the row and the tenant's key, nothing of the row itself
//! (see `service::policy::webhooks`). The same bytes on every attempt.

use chrono::SecondsFormat;
use entity::webhook_delivery;
use serde_json::json;

use crate::graphql::id;

/// The JSON body of `delivery` for the tenant `tenant`.
pub(crate) fn body(delivery: &webhook_delivery::Model, tenant: &str) -> Vec<u8> {
    let payload = json!({
        "type": delivery.event.as_str(),
        "timestamp": delivery.occurred_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "data": {
            "id": id::encode(&delivery.subject_type, delivery.subject_id).0,
            "tenant": tenant,
        },
    });
    // A `Value` of strings always serialises.
    serde_json::to_vec(&payload).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use entity::enums::{DeliveryStatus, WebhookEvent};
    use serde_json::Value;

    use super::*;

    #[test]
    fn the_payload_holds_the_event_the_global_id_and_the_tenant_only() {
        let delivery = webhook_delivery::Model {
            id: 1,
            tenant_id: 2,
            webhook_id: 3,
            message_id: "msg_x".into(),
            event: WebhookEvent::ReportApproved,
            subject_type: "StatusReport".into(),
            subject_id: 42,
            occurred_at: Utc.with_ymd_and_hms(2026, 12, 3, 9, 30, 0).unwrap(),
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: None,
            last_attempt_at: None,
            last_response_code: None,
            last_error: None,
            delivered_at: None,
        };
        let payload: Value = serde_json::from_slice(&body(&delivery, "aachen")).unwrap();
        assert_eq!(
            payload,
            json!({
                "type": "status_report.approved",
                "timestamp": "2026-12-03T09:30:00.000Z",
                "data": { "id": id::encode("StatusReport", 42).0, "tenant": "aachen" },
            })
        );
    }
}
