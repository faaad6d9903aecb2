//! The audit trail as a hash chain: writes through the API verify; an entry changed, removed
//! or slipped in behind the API's back is named by `digidash audit verify`; `/metrics` and the
//! tenant file carry the chain's head; a tenant moved by its file verifies again.

use entity::{audit_entry, tenant};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde_json::json;

use crate::{
    helpers::{Backend, TestApp, spawn_app},
    on_both,
    tenants::run,
};

on_both!(a_changed_removed_or_inserted_entry_is_named);

async fn entries(app: &TestApp, tenant: i32) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::TenantId.eq(tenant))
        .order_by_asc(audit_entry::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn aachen(app: &TestApp) -> tenant::Model {
    tenant::Entity::find()
        .filter(tenant::Column::Key.eq("aachen"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

fn verify(app: &TestApp) -> (bool, String) {
    run(
        app.database_url(),
        &["audit", "verify", "--tenant", "aachen"],
    )
}

async fn a_changed_removed_or_inserted_entry_is_named(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    // A few writes: status reports, a renamed measure.
    let measure = app.first_measure(&central).await;
    for (n, summary) in ["Erster", "Zweiter", "Dritter"].iter().enumerate() {
        app.query(
            &central,
            "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) { statusReport { id } } }",
            json!({ "i": { "subjectId": measure["id"], "progress": 10 * (n + 1), "rag": "GREEN", "summary": summary } }),
        )
        .await;
    }
    let tenant = aachen(&app).await;
    let chain = entries(&app, tenant.id).await;
    assert!(chain.len() >= 3, "{}", chain.len());
    for pair in chain.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    assert_eq!(tenant.audit_head, chain.last().unwrap().hash);
    let (ok, text) = verify(&app);
    assert!(ok && text.contains("intact"), "{text}");

    // /metrics names the head.
    let metrics = app.metrics().await;
    let head = tenant.audit_head.clone().unwrap();
    assert!(
        metrics.contains(&format!(
            "digidash_audit_chain_head_info{{head=\"{head}\",tenant=\"aachen\"}} 1"
        )),
        "{metrics}"
    );

    // Changed: the summary of a report entry edited in the database.
    let middle = chain[chain.len() - 2].clone();
    let mut edited = middle.clone().into_active_model();
    edited.changes = Set(json!({ "summary": { "before": null, "after": "Geschönt" } }));
    edited.update(&app.state.db).await.unwrap();
    let (ok, text) = verify(&app);
    assert!(!ok, "{text}");
    assert!(
        text.contains(&format!("entry {} was changed", middle.id)),
        "{text}"
    );
    middle
        .clone()
        .into_active_model()
        .reset_all()
        .update(&app.state.db)
        .await
        .unwrap();
    assert!(verify(&app).0);

    // Removed in the middle: the next entry does not follow.
    audit_entry::Entity::delete_by_id(middle.id)
        .exec(&app.state.db)
        .await
        .unwrap();
    let (ok, text) = verify(&app);
    let last = chain.last().unwrap();
    assert!(!ok);
    assert!(
        text.contains(&format!("entry {} does not follow", last.id)),
        "{text}"
    );
    middle
        .clone()
        .into_active_model()
        .reset_all()
        .insert(&app.state.db)
        .await
        .unwrap();
    assert!(verify(&app).0, "{}", verify(&app).1);

    // Removed at the end: the head names an entry that is gone.
    audit_entry::Entity::delete_by_id(last.id)
        .exec(&app.state.db)
        .await
        .unwrap();
    let (ok, text) = verify(&app);
    assert!(
        !ok && text.contains("entries after it were removed"),
        "{text}"
    );
    last.clone()
        .into_active_model()
        .reset_all()
        .insert(&app.state.db)
        .await
        .unwrap();

    // Inserted: an entry without a hash, which no restart seals.
    let mut forged = last.clone().into_active_model().reset_all();
    forged.id = sea_orm::ActiveValue::NotSet;
    forged.prev_hash = Set(None);
    forged.hash = Set(None);
    let forged = forged.insert(&app.state.db).await.unwrap();
    let (ok, _) = run(app.database_url(), &["migrate"]);
    assert!(ok);
    let (ok, text) = verify(&app);
    assert!(!ok, "{text}");
    assert!(
        text.contains(&format!("entry {} has no hash", forged.id)),
        "{text}"
    );
    audit_entry::Entity::delete_by_id(forged.id)
        .exec(&app.state.db)
        .await
        .unwrap();
    assert!(verify(&app).0);

    // The tenant file carries the head; the tenant imported from it verifies.
    let dir =
        std::env::temp_dir().join(format!("digidash-chain-{}-{backend:?}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("aachen.json");
    let path = file.to_str().unwrap();
    let (ok, text) = run(
        app.database_url(),
        &["tenant", "export", "aachen", "--output", path],
    );
    assert!(ok, "{text}");
    let exported: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        exported["tenant"]["auditHead"]
            .as_str()
            .or(exported["tenant"]["audit_head"].as_str()),
        Some(head.as_str())
    );
    let (ok, text) = run(
        app.database_url(),
        &["tenant", "import", path, "--key", "aachen-kopie"],
    );
    assert!(ok, "{text}");
    let (ok, text) = run(
        app.database_url(),
        &["audit", "verify", "--tenant", "aachen-kopie"],
    );
    assert!(ok && text.contains("intact"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}
