//! The daily work: projects, sub-projects, milestones, applications and their decisions, and
//! the audit trail they leave.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
};

on_both!(
    projects_and_sub_projects_by_role,
    milestones_are_added_and_achieved,
    applications_go_from_idea_to_project,
    every_write_leaves_an_audit_entry,
);

/// The first project of aachen led by a unit with a sibling, as central IT sees it.
async fn project(app: &TestApp) -> (Value, String, String) {
    let central = app.token("central_it", "aachen", None);
    let data = app
        .query(&central, "{ projects(first: 100, filter: { status: [IN_PROGRESS] }) { edges { node { id version title orgUnit { id code parent { children { code } } } } } } }", json!({}))
        .await;
    for project in nodes(&data["projects"]) {
        let owner = project["orgUnit"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let sibling = project["orgUnit"]["parent"]["children"]
            .as_array()
            .and_then(|units| {
                units
                    .iter()
                    .filter_map(|u| u["code"].as_str())
                    .find(|code| *code != owner)
            })
            .map(str::to_owned);
        if let Some(sibling) = sibling {
            return (project, owner, sibling);
        }
    }
    panic!("aachen has a running project led by a unit with a sibling");
}

async fn projects_and_sub_projects_by_role(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let (project, owner, sibling) = project(&app).await;
    let create = "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id title status contact { name } version } } }";
    let input = json!({ "title": "Digitale Ratsarbeit", "orgUnitId": project["orgUnit"]["id"], "contact": { "name": "Anna Schmitz", "email": "anna.schmitz@mail.aachen.de" }, "startDate": "2027-01-01", "endDate": "2027-12-31" });
    let created =
        app.query(&central, create, json!({ "input": input })).await["createProject"]["project"]
            .clone();
    assert_eq!(created["status"], "DRAFT");
    assert_eq!(created["contact"]["name"], "Anna Schmitz");
    let head = app.token("department", "aachen", Some(&owner));
    assert_eq!(
        app.error_code(Some(&head), create, json!({ "input": input }))
            .await,
        "FORBIDDEN"
    );
    let mut bad = input.clone();
    bad["endDate"] = json!("2026-12-31");
    assert_eq!(
        app.error_code(Some(&central), create, json!({ "input": bad }))
            .await,
        "BAD_USER_INPUT"
    );

    let update = "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { status version } } }";
    let on_hold = json!({ "input": { "id": project["id"], "version": project["version"], "status": "ON_HOLD" } });
    let outsider = app.token("department", "aachen", Some(&sibling));
    assert_eq!(
        app.error_code(Some(&outsider), update, on_hold.clone())
            .await,
        "FORBIDDEN"
    );
    let updated = app.query(&head, update, on_hold.clone()).await;
    assert_eq!(updated["updateProject"]["project"]["status"], "ON_HOLD");
    assert_eq!(
        app.error_code(Some(&central), update, on_hold).await,
        "CONFLICT"
    );

    let add = "mutation($input: CreateSubProjectInput!) { createSubProject(input: $input) { subProject { id title version orgUnit { code } project { id } } } }";
    let sub_input =
        json!({ "projectId": project["id"], "title": "Schnittstelle zum Ratsinformationssystem" });
    assert_eq!(
        app.error_code(Some(&outsider), add, json!({ "input": sub_input }))
            .await,
        "FORBIDDEN"
    );
    let council = app.token("council", "aachen", None);
    let code = app
        .error_code(Some(&council), add, json!({ "input": sub_input }))
        .await;
    assert!(code == "FORBIDDEN" || code == "NOT_FOUND", "{code}");
    let sub = app.query(&head, add, json!({ "input": sub_input })).await["createSubProject"]["subProject"].clone();
    assert_eq!(sub["orgUnit"]["code"], owner.as_str());
    assert_eq!(sub["project"]["id"], project["id"]);
    let change = "mutation($input: UpdateSubProjectInput!) { updateSubProject(input: $input) { subProject { title version } } }";
    let renamed = app.query(&head, change, json!({ "input": { "id": sub["id"], "version": sub["version"], "title": "Schnittstelle RIS" } })).await;
    assert_eq!(renamed["updateSubProject"]["subProject"]["version"], 2);
    let public = json!({ "input": { "id": sub["id"], "version": 2, "visibility": "PUBLIC" } });
    assert_eq!(
        app.error_code(Some(&head), change, public).await,
        "FORBIDDEN",
        "only central IT releases rows"
    );
    let empty = json!({ "input": { "id": sub["id"], "version": 2, "title": "" } });
    assert_eq!(
        app.error_code(Some(&head), change, empty).await,
        "BAD_USER_INPUT"
    );
}

async fn milestones_are_added_and_achieved(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (project, owner, sibling) = project(&app).await;
    let head = app.token("department", "aachen", Some(&owner));
    let outsider = app.token("department", "aachen", Some(&sibling));
    let add = "mutation($input: CreateMilestoneInput!) { createMilestone(input: $input) { milestone { id code version isAchieved isOverdue project { id } } } }";
    let input = json!({ "projectId": project["id"], "code": "M_90", "title": "Abnahme", "dueDate": "2026-01-31" });
    assert_eq!(
        app.error_code(Some(&outsider), add, json!({ "input": input }))
            .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.error_code(
            Some(&head),
            add,
            json!({ "input": { "code": "M_91", "title": "x", "dueDate": "2027-01-01" } })
        )
        .await,
        "BAD_USER_INPUT"
    );
    let milestone =
        app.query(&head, add, json!({ "input": input })).await["createMilestone"]["milestone"]
            .clone();
    assert_eq!(milestone["isOverdue"], true);
    let achieve = "mutation($input: UpdateMilestoneInput!) { updateMilestone(input: $input) { milestone { achievedOn isAchieved isOverdue version } } }";
    let future =
        json!({ "input": { "id": milestone["id"], "version": 1, "achievedOn": "2999-01-01" } });
    assert_eq!(
        app.error_code(Some(&head), achieve, future).await,
        "BAD_USER_INPUT"
    );
    let done = app
        .query(
            &head,
            achieve,
            json!({ "input": { "id": milestone["id"], "version": 1, "achievedOn": "2026-02-03" } }),
        )
        .await;
    assert_eq!(done["updateMilestone"]["milestone"]["isAchieved"], true);
    assert_eq!(done["updateMilestone"]["milestone"]["isOverdue"], false);
    let stale = json!({ "input": { "id": milestone["id"], "version": 1, "achievedOn": null } });
    assert_eq!(
        app.error_code(Some(&head), achieve, stale).await,
        "CONFLICT"
    );
}

async fn applications_go_from_idea_to_project(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (_, owner, _) = project(&app).await;
    let head = app.token("department", "aachen", Some(&owner));
    let central = app.token("central_it", "aachen", None);
    let council = app.token("council", "aachen", None);
    let submit = "mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { application { id status version orgUnit { code } } } }";
    let input = json!({ "title": "Chatbot für das Bürgerbüro", "description": "Fragen rund um Termine automatisiert beantworten.", "estimatedCost": "48000.00" });
    assert_eq!(
        app.error_code(Some(&council), submit, json!({ "input": input }))
            .await,
        "FORBIDDEN"
    );
    let mut bad = input.clone();
    bad["estimatedCost"] = json!("-5");
    assert_eq!(
        app.error_code(Some(&head), submit, json!({ "input": bad }))
            .await,
        "BAD_USER_INPUT"
    );
    let application = app.query(&head, submit, json!({ "input": input })).await["submitApplication"]["application"].clone();
    assert_eq!(application["status"], "SUBMITTED");
    assert_eq!(
        application["orgUnit"]["code"],
        owner.as_str(),
        "the org unit defaults to the submitter's"
    );

    let meeting = app
        .query(&central, "mutation { createSteeringMeeting(input: { title: \"Lenkungsausschuss, 14. Sitzung\", heldOn: \"2026-12-10\" }) { steeringMeeting { id } } }", json!({}))
        .await["createSteeringMeeting"]["steeringMeeting"]["id"]
        .clone();
    let review = "mutation($input: ReviewApplicationInput!) { reviewApplication(input: $input) { application { status version meeting { id } } } }";
    let reviewing =
        json!({ "input": { "id": application["id"], "version": 1, "meetingId": meeting } });
    assert_eq!(
        app.error_code(Some(&head), review, reviewing.clone()).await,
        "FORBIDDEN"
    );
    let reviewed =
        app.query(&central, review, reviewing).await["reviewApplication"]["application"].clone();
    assert_eq!(reviewed["status"], "IN_REVIEW");

    let decide = "mutation($input: DecideApplicationInput!) { decideApplication(input: $input) { application { status decidedOn budgetReleased project { id title status application { id } } } } }";
    let approve = json!({ "input": { "id": application["id"], "decision": "APPROVED", "note": "Pilot im Bürgerbüro Mitte", "meetingId": meeting, "budgetReleased": "40000" } });
    assert_eq!(
        app.error_code(Some(&head), decide, approve.clone()).await,
        "FORBIDDEN"
    );
    let decided =
        app.query(&central, decide, approve.clone()).await["decideApplication"]["application"]
            .clone();
    assert_eq!(decided["status"], "APPROVED");
    assert_eq!(decided["decidedOn"], "2026-12-10", "the meeting's date");
    assert_eq!(decided["budgetReleased"], "40000.00");
    assert_eq!(decided["project"]["title"], "Chatbot für das Bürgerbüro");
    assert_eq!(decided["project"]["application"]["id"], application["id"]);
    assert_eq!(
        app.error_code(Some(&central), decide, approve).await,
        "CONFLICT",
        "decided once"
    );
}

async fn every_write_leaves_an_audit_entry(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let (project, owner, sibling) = project(&app).await;
    let head = app.token("department", "aachen", Some(&owner));
    app.query(&head, "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { id } } }", json!({ "input": { "id": project["id"], "version": project["version"], "status": "ON_HOLD" } }))
        .await;
    let log = "query($id: ID) { auditLog(subjectId: $id, first: 10) { totalCount edges { node { actor actorName role action subjectId changes } } } }";
    let entries = app
        .query(&central, log, json!({ "id": project["id"] }))
        .await;
    let entry = &nodes(&entries["auditLog"])[0];
    assert_eq!(entry["actor"], "department-tester");
    assert_eq!(entry["role"], "department");
    assert_eq!(entry["action"], "update");
    assert_eq!(entry["subjectId"], project["id"]);
    assert_eq!(entry["changes"]["status"]["before"], "in_progress");
    assert_eq!(entry["changes"]["status"]["after"], "on_hold");
    assert!(entry["changes"].get("version").is_none());
    let own = app.query(&head, log, json!({ "id": project["id"] })).await;
    assert_eq!(
        own["auditLog"]["totalCount"], 1,
        "a department reads what its subtree owns"
    );
    let outsider = app.token("department", "aachen", Some(&sibling));
    let theirs = app
        .query(&outsider, log, json!({ "id": project["id"] }))
        .await;
    assert_eq!(theirs["auditLog"]["totalCount"], 0);
    let council = app.token("council", "aachen", None);
    assert_eq!(
        app.query(&council, log, json!({ "id": null })).await["auditLog"]["totalCount"],
        0
    );
}
