//! The SQL the row rules make, for each role.

use std::{collections::HashSet, sync::Arc};

use sea_orm::{DbBackend, QueryTrait};

use super::*;

fn viewer(role: Role) -> Viewer {
    Viewer {
        sub: "t".into(),
        name: None,
        role,
        tenant_id: 7,
        tenant_key: "aachen".into(),
        org_unit_id: Some(3),
        units: Arc::new(HashSet::from([3, 4])),
        data_version: 0,
        settings: Default::default(),
        shares: Default::default(),
        unit: None,
    }
}

fn sql_of<E: Scoped>(role: Role) -> String {
    E::find_visible_to(&viewer(role))
        .build(DbBackend::Postgres)
        .to_string()
}

#[test]
fn every_role_gets_its_own_measure_condition() {
    let condition = |role| {
        let sql = sql_of::<measure::Entity>(role);
        sql[sql.find(" WHERE ").expect("a condition")..].to_owned()
    };
    assert_eq!(
        condition(Role::CentralIt),
        r#" WHERE "measure"."tenant_id" = 7"#
    );
    assert_eq!(
        condition(Role::Department),
        r#" WHERE "measure"."tenant_id" = 7 AND "measure"."archived_at" IS NULL AND ("measure"."status" <> 'draft' OR "measure"."org_unit_id" IN (3, 4))"#
    );
    assert_eq!(
        condition(Role::Council),
        r#" WHERE "measure"."tenant_id" = 7 AND "measure"."archived_at" IS NULL AND "measure"."visibility" IN ('council', 'public') AND "measure"."status" <> 'draft'"#
    );
    assert_eq!(
        condition(Role::Public),
        r#" WHERE "measure"."tenant_id" = 7 AND "measure"."archived_at" IS NULL AND "measure"."visibility" = 'public' AND "measure"."status" <> 'draft'"#
    );
}

#[test]
fn reports_follow_their_subject() {
    let sql = sql_of::<status_report::Entity>(Role::Council);
    for subject in ["measure", "project", "sub_project"] {
        assert!(
            sql.contains(&format!(
                r#""status_report"."{subject}_id" IN (SELECT "{subject}"."id" FROM "{subject}""#
            )),
            "{sql}"
        );
    }
}

#[test]
fn central_it_sees_its_tenant() {
    assert!(
        sql_of::<measure::Entity>(Role::CentralIt).ends_with(r#"WHERE "measure"."tenant_id" = 7"#)
    );
}

#[test]
fn central_it_sees_every_child_row_of_its_tenant() {
    fn condition<E: Scoped>() -> String {
        let sql = sql_of::<E>(Role::CentralIt);
        sql[sql.find(" WHERE ").expect("a condition")..].to_owned()
    }
    let tenant_only = |table: &str| format!(r#" WHERE "{table}"."tenant_id" = 7"#);
    assert_eq!(
        condition::<sub_project::Entity>(),
        tenant_only("sub_project")
    );
    assert_eq!(condition::<milestone::Entity>(), tenant_only("milestone"));
    assert_eq!(
        condition::<status_report::Entity>(),
        tenant_only("status_report")
    );
    assert_eq!(
        condition::<budget_line::Entity>(),
        tenant_only("budget_line")
    );
    assert_eq!(
        condition::<measure_goal::Entity>(),
        tenant_only("measure_goal")
    );
    assert_eq!(condition::<goal::Entity>(), tenant_only("goal"));
    // Every other role still asks for the parent.
    for role in [Role::Department, Role::Council, Role::Public] {
        let sql = sql_of::<milestone::Entity>(role);
        assert!(
            sql.contains(r#""milestone"."project_id" IN (SELECT "project"."id""#)
                && sql.contains(r#"("milestone"."sub_project_id" IS NULL OR "milestone"."sub_project_id" IN (SELECT "sub_project"."id""#),
            "{sql}"
        );
    }
}

#[test]
fn departments_see_non_drafts_and_their_own_drafts() {
    let sql = sql_of::<measure::Entity>(Role::Department);
    assert!(
        sql.ends_with(r#"WHERE "measure"."tenant_id" = 7 AND "measure"."archived_at" IS NULL AND ("measure"."status" <> 'draft' OR "measure"."org_unit_id" IN (3, 4))"#),
        "{sql}"
    );
}

#[test]
fn council_sees_released_non_drafts() {
    let sql = sql_of::<project::Entity>(Role::Council);
    assert!(
        sql.ends_with(r#"WHERE "project"."tenant_id" = 7 AND "project"."archived_at" IS NULL AND "project"."visibility" IN ('council', 'public') AND "project"."status" <> 'draft'"#),
        "{sql}"
    );
}

#[test]
fn public_sees_public_non_drafts() {
    let sql = sql_of::<sub_project::Entity>(Role::Public);
    assert!(
        sql.contains(
            r#""sub_project"."archived_at" IS NULL AND "sub_project"."visibility" = 'public' AND "sub_project"."status" <> 'draft'"#
        ),
        "{sql}"
    );
    assert!(sql.contains(r#""sub_project"."project_id" IN (SELECT "project"."id" FROM "project" WHERE "project"."tenant_id" = 7 AND "project"."archived_at" IS NULL AND "project"."visibility" = 'public'"#), "{sql}");
}

#[test]
fn department_financials_only_for_owned_projects() {
    let sql = sql_of::<budget_line::Entity>(Role::Department);
    assert!(
        sql.contains(r#"AND "project"."org_unit_id" IN (3, 4))"#),
        "{sql}"
    );
    let public = sql_of::<budget_line::Entity>(Role::Public);
    assert!(
        public.ends_with(r#"WHERE "budget_line"."tenant_id" = 7 AND (1 = 0)"#),
        "{public}"
    );
}

#[test]
fn risks_only_for_central_it_and_the_owning_department() {
    assert!(sql_of::<risk::Entity>(Role::CentralIt).ends_with(r#"WHERE "risk"."tenant_id" = 7"#));
    let department = sql_of::<risk::Entity>(Role::Department);
    for parent in ["project", "measure"] {
        assert!(
            department.contains(&format!(r#""risk"."{parent}_id" IN (SELECT "{parent}"."id" FROM "{parent}" WHERE "{parent}"."tenant_id" = 7 AND "{parent}"."archived_at" IS NULL"#))
                && department.contains(&format!(r#"AND "{parent}"."org_unit_id" IN (3, 4))"#)),
            "{department}"
        );
    }
    for role in [Role::Council, Role::Public] {
        assert!(sql_of::<risk::Entity>(role).ends_with("WHERE 1 = 0"));
    }
}

#[test]
fn council_never_sees_applications() {
    assert!(sql_of::<application::Entity>(Role::Council).ends_with("WHERE 1 = 0"));
}
