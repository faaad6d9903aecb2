//! Participants and reuse (#19): units of other departments taking part in a project or
//! sub-project (the KISA project group), what each role of participation lets them read and
//! do, and taking over another municipality's project from the reuse catalogue.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
    portfolio::{col, export, import, read, sheet, write},
};

on_both!(
    the_kisa_group_works_together_in_the_demo_data,
    participants_read_and_report_as_their_role_allows,
    central_it_names_participants_and_bad_input_changes_nothing,
    municipalities_adopt_from_the_catalogue,
    the_workbook_carries_the_participants,
);

const ADD: &str = "mutation($i: AddParticipantInput!) { addParticipant(input: $i) \
                   { participant { id version role financialsGranted orgUnit { code } } } }";
const UPDATE: &str = "mutation($i: UpdateParticipantInput!) { updateParticipant(input: $i) \
                      { participant { id version role } } }";
const REMOVE: &str = "mutation($i: RemoveParticipantInput!) { removeParticipant(input: $i) \
                      { removedParticipantId } }";
const ADOPT: &str = "mutation($i: AdoptFromCatalogueInput!) { adoptFromCatalogue(input: $i) \
                     { application { id status title orgUnit { code } \
                     adoptedFrom { tenantKey tenantName title projectId } } } }";
const CATALOGUE: &str = "{ reuseCatalogue(first: 100) { edges { node { projectId title tenantKey \
                         adoptionCount adoptions { tenantKey tenantName title adoptedOn } } } } }";

/// Global ids of a tenant's projects, sub-projects and org units, by code (central IT's view).
async fn ids(app: &TestApp, tenant: &str) -> HashMap<String, String> {
    let central = app.token("central_it", tenant, None);
    let data = app
        .query(
            &central,
            "{ projects(first: 100) { edges { node { id code } } } \
               subProjects(first: 100) { edges { node { id code } } } \
               orgUnits(first: 100) { edges { node { id code } } } }",
            json!({}),
        )
        .await;
    let mut ids = HashMap::new();
    for list in ["projects", "subProjects", "orgUnits"] {
        for node in nodes(&data[list]) {
            if let Some(code) = node["code"].as_str() {
                ids.insert(code.to_owned(), node["id"].as_str().unwrap().to_owned());
            }
        }
    }
    ids
}

/// `node(id)` as read by a department of `unit`, with what participants are decided on;
/// null when it may not see it (`NOT_FOUND`).
async fn as_department(app: &TestApp, unit: &str, id: &str) -> Value {
    let token = app.token("department", "kisa", Some(unit));
    let query = "query($id: ID!) { node(id: $id) { \
         ... on Project { id viewerCanEdit viewerCanSeeFinancials contact { name } budget { planned } } \
         ... on SubProject { id viewerCanEdit viewerCanSeeFinancials } } }";
    let (status, body) = app
        .post(
            Some(&token),
            json!({ "query": query, "variables": { "id": id } }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    if let Some(error) = body.get("errors") {
        assert_eq!(error[0]["extensions"]["code"], "NOT_FOUND", "{body}");
    }
    body["data"]["node"].clone()
}

/// The first error's code and field.
async fn refused(app: &TestApp, token: &str, query: &str, variables: Value) -> (String, Value) {
    let (status, body) = app
        .post(
            Some(token),
            json!({ "query": query, "variables": variables }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let error = &body["errors"][0]["extensions"];
    (
        error["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_owned(),
        error["field"].clone(),
    )
}

async fn the_kisa_group_works_together_in_the_demo_data(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let ids = ids(&app, "kisa").await;
    let central = app.token("central_it", "kisa", None);
    let data = app
        .query(
            &central,
            "query($p: ID!, $s: ID!) { \
             project: node(id: $p) { ... on Project { participants { role financialsGranted orgUnit { code } } } } \
             sub: node(id: $s) { ... on SubProject { participants { role financialsGranted orgUnit { code } } } } \
             applications(first: 100) { edges { node { title status adoptedFrom { tenantKey title } } } } }",
            json!({ "p": ids["EAKTE-VB"], "s": ids["TP-VIS2"] }),
        )
        .await;
    let roles = |participants: &Value| -> Vec<(String, String)> {
        participants
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["orgUnit"]["code"].as_str().unwrap().to_owned(),
                    p["role"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    // Leads first, then by unit.
    assert_eq!(
        roles(&data["project"]["participants"]),
        [
            ("PG1".to_owned(), "LEAD".to_owned()),
            ("PG1-B".to_owned(), "PARTICIPANT".to_owned()),
            ("DHGE".to_owned(), "PARTICIPANT".to_owned()),
        ]
    );
    assert_eq!(
        roles(&data["sub"]["participants"]),
        [
            ("AP".to_owned(), "LEAD".to_owned()),
            ("SOK".to_owned(), "PARTICIPANT".to_owned()),
        ]
    );
    assert_eq!(data["sub"]["participants"][1]["financialsGranted"], true);
    let adopted: Vec<(Value, Value)> = nodes(&data["applications"])
        .into_iter()
        .filter(|a| !a["adoptedFrom"].is_null())
        .map(|a| (a["status"].clone(), a["adoptedFrom"]["title"].clone()))
        .collect();
    // Newest first.
    assert_eq!(
        adopted,
        [
            (
                json!("SUBMITTED"),
                json!("Serviceportal Aachen: Top-50-Leistungen Ende-zu-Ende digital")
            ),
            (json!("APPROVED"), json!("egov multidigital")),
        ]
    );
    // Aachen's offers count the adoption KISA released publicly, not the one still undecided.
    let council = app.token("council", "aachen", None);
    let catalogue = app.query(&council, CATALOGUE, json!({})).await;
    let offer = |title: &str| {
        nodes(&catalogue["reuseCatalogue"])
            .into_iter()
            .find(|o| o["title"] == title)
            .unwrap_or_else(|| panic!("{title} in the catalogue"))
    };
    let egov = offer("egov multidigital");
    assert_eq!(egov["adoptionCount"], 1);
    assert_eq!(egov["adoptions"][0]["tenantKey"], "kisa");
    assert_eq!(
        egov["adoptions"][0]["title"],
        "Nachnutzung »egov multidigital« für die Prozessbibliothek des Verbunds"
    );
    assert_eq!(
        offer("Serviceportal Aachen: Top-50-Leistungen Ende-zu-Ende digital")["adoptionCount"],
        0
    );
}

async fn participants_read_and_report_as_their_role_allows(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let ids = ids(&app, "kisa").await;
    // The project group leads the project with KISA: it edits and reads the budget.
    let lead = as_department(&app, "PG1", &ids["EAKTE-VB"]).await;
    assert_eq!(lead["viewerCanEdit"], true);
    assert_eq!(lead["viewerCanSeeFinancials"], true);
    assert!(!lead["budget"].is_null() && !lead["contact"].is_null());
    // The further participating administrations: read the contact, not the budget, and do
    // not edit. (A participation counts for the unit's department and those above it, as
    // ownership does; the districts below it take part through it only as it reports.)
    let participant = as_department(&app, "PG1-B", &ids["EAKTE-VB"]).await;
    assert_eq!(participant["viewerCanEdit"], false);
    assert_eq!(participant["viewerCanSeeFinancials"], false);
    assert!(participant["budget"].is_null());
    assert!(!participant["contact"].is_null());
    // Not taking part: neither.
    let outsider = as_department(&app, "PG2", &ids["EAKTE-VB"]).await;
    assert!(outsider["budget"].is_null() && outsider["contact"].is_null());
    assert_eq!(outsider["viewerCanEdit"], false);

    // The shared sub-project: AP co-leads and reports, SOK reads its budgets but not more.
    let sub = &ids["TP-VIS2"];
    assert_eq!(as_department(&app, "AP", sub).await["viewerCanEdit"], true);
    let granted = as_department(&app, "SOK", sub).await;
    assert_eq!(granted["viewerCanEdit"], false);
    assert_eq!(granted["viewerCanSeeFinancials"], true);
    assert_eq!(
        as_department(&app, "GTH", sub).await["viewerCanSeeFinancials"],
        false
    );
    let submit = "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) \
                  { statusReport { id reviewState } } }";
    let report = json!({ "i": { "subjectId": sub, "progress": 40, "rag": "AMBER",
                                "summary": "Schnittstelle im Test", "internalNotes": "nur intern" } });
    let co_lead = app.token("department", "kisa", Some("AP"));
    let written = app.query(&co_lead, submit, report.clone()).await;
    assert_eq!(
        written["submitStatusReport"]["statusReport"]["reviewState"],
        "SUBMITTED"
    );
    let sok = app.token("department", "kisa", Some("SOK"));
    assert_eq!(refused(&app, &sok, submit, report).await.0, "FORBIDDEN");
    // The waiting report and its notes are the co-leader's business, not the participant's.
    let pending = "query($id: ID!) { node(id: $id) { ... on SubProject { pendingStatusReport { internalNotes } } } }";
    let seen = app.query(&co_lead, pending, json!({ "id": sub })).await;
    assert_eq!(
        seen["node"]["pendingStatusReport"]["internalNotes"],
        "nur intern"
    );
    let seen = app.query(&sok, pending, json!({ "id": sub })).await;
    assert!(seen["node"]["pendingStatusReport"].is_null());

    // A draft is seen by the units taking part in it, and by nobody else outside its owner.
    let draft = &ids["PG2-EAKTE"];
    assert!(as_department(&app, "DHGE", draft).await.is_null());
    let central = app.token("central_it", "kisa", None);
    let added = app
        .query(
            &central,
            ADD,
            json!({ "i": { "projectId": draft, "orgUnitId": ids["DHGE"], "role": "REUSER" } }),
        )
        .await;
    let seen = as_department(&app, "DHGE", draft).await;
    assert_eq!(seen["id"], draft.as_str());
    assert!(seen["budget"].is_null());
    let participant = &added["addParticipant"]["participant"];
    app.query(
        &central,
        REMOVE,
        json!({ "i": { "id": participant["id"], "version": participant["version"] } }),
    )
    .await;
    assert!(as_department(&app, "DHGE", draft).await.is_null());
}

async fn central_it_names_participants_and_bad_input_changes_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let ids = ids(&app, "kisa").await;
    let aachen = ids_of_units(&app, "aachen").await;
    let central = app.token("central_it", "kisa", None);
    let project = &ids["EAKTE-VB"];
    let count = || async {
        app.query(
            &central,
            "query($id: ID!) { node(id: $id) { ... on Project { participants { id } } } }",
            json!({ "id": project }),
        )
        .await["node"]["participants"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = count().await;
    for (input, field) in [
        // A unit of another tenant.
        (
            json!({ "projectId": project, "orgUnitId": aachen, "role": "PARTICIPANT" }),
            "orgUnitId",
        ),
        // The owner itself.
        (
            json!({ "projectId": project, "orgUnitId": ids["KISA-BDO"], "role": "LEAD" }),
            "orgUnitId",
        ),
        // A unit taking part already.
        (
            json!({ "projectId": project, "orgUnitId": ids["PG1"], "role": "REUSER" }),
            "orgUnitId",
        ),
        // Both a project and a sub-project, or neither.
        (
            json!({ "projectId": project, "subProjectId": ids["TP-VIS2"], "orgUnitId": ids["G"], "role": "LEAD" }),
            "projectId",
        ),
        (
            json!({ "orgUnitId": ids["G"], "role": "LEAD" }),
            "projectId",
        ),
    ] {
        let (code, named) = refused(&app, &central, ADD, json!({ "i": input })).await;
        assert_eq!(
            (code.as_str(), named),
            ("BAD_USER_INPUT", json!(field)),
            "{input}"
        );
    }
    let department = app.token("department", "kisa", Some("PG1"));
    let input = json!({ "i": { "projectId": project, "orgUnitId": ids["G"], "role": "LEAD" } });
    assert_eq!(refused(&app, &department, ADD, input).await.0, "FORBIDDEN");
    assert_eq!(count().await, before, "nothing was written");

    // Gera joins, is made a co-lead, and leaves; a stale version is a conflict.
    let gera = app.token("department", "kisa", Some("G"));
    let added = app
        .query(
            &central,
            ADD,
            json!({ "i": { "projectId": project, "orgUnitId": ids["G"], "role": "PARTICIPANT" } }),
        )
        .await["addParticipant"]["participant"]
        .clone();
    assert_eq!(added["orgUnit"]["code"], "G");
    assert_eq!(
        as_department(&app, "G", project).await["viewerCanEdit"],
        false
    );
    let promoted = app
        .query(
            &central,
            UPDATE,
            json!({ "i": { "id": added["id"], "version": added["version"], "role": "LEAD" } }),
        )
        .await["updateParticipant"]["participant"]
        .clone();
    assert_eq!(promoted["role"], "LEAD");
    assert_eq!(
        as_department(&app, "G", project).await["viewerCanEdit"],
        true
    );
    let stale = json!({ "i": { "id": added["id"], "version": added["version"] } });
    assert_eq!(refused(&app, &central, REMOVE, stale).await.0, "CONFLICT");
    assert_eq!(
        refused(
            &app,
            &gera,
            REMOVE,
            json!({ "i": { "id": added["id"], "version": promoted["version"] } })
        )
        .await
        .0,
        "FORBIDDEN"
    );
    app.query(
        &central,
        REMOVE,
        json!({ "i": { "id": added["id"], "version": promoted["version"] } }),
    )
    .await;
    assert_eq!(count().await, before);
    assert_eq!(
        as_department(&app, "G", project).await["viewerCanEdit"],
        false
    );
}

/// The id of some org unit of `tenant`.
async fn ids_of_units(app: &TestApp, tenant: &str) -> String {
    let central = app.token("central_it", tenant, None);
    let data = app
        .query(
            &central,
            "{ orgUnits(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    nodes(&data["orgUnits"])[0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn municipalities_adopt_from_the_catalogue(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let tuk = app.token("central_it", "tuk", None);
    let catalogue = app.query(&tuk, CATALOGUE, json!({})).await;
    let offer = nodes(&catalogue["reuseCatalogue"])
        .into_iter()
        .find(|o| o["title"] == "Digitaler Klimaschutz-Monitor Aachen")
        .expect("Aachen's climate monitor in the catalogue");
    assert_eq!(offer["adoptionCount"], 0);
    let adopt = json!({ "i": { "projectId": offer["projectId"] } });

    // Only central IT adopts; not its own projects, nor ones outside the catalogue.
    let department = app.token(
        "department",
        "tuk",
        Some(&first_unit_code(&app, "tuk").await),
    );
    assert_eq!(
        refused(&app, &department, ADOPT, adopt.clone()).await.0,
        "FORBIDDEN"
    );
    let aachen = app.token("central_it", "aachen", None);
    let own = refused(&app, &aachen, ADOPT, adopt.clone()).await;
    assert_eq!(own, ("BAD_USER_INPUT".to_owned(), json!("projectId")));
    let aachen_ids = ids(&app, "aachen").await;
    // Released to Aachen's council only: not in the catalogue, and refused as if unknown.
    let internal = json!({ "i": { "projectId": aachen_ids["EAKTE-ROLL"] } });
    let unknown = json!({ "i": { "projectId": "UHJvamVjdDoxOTk5OTk5OQ" } });
    for input in [internal, unknown] {
        assert_eq!(
            refused(&app, &tuk, ADOPT, input).await,
            ("BAD_USER_INPUT".to_owned(), json!("projectId"))
        );
    }

    let made =
        app.query(&tuk, ADOPT, adopt.clone()).await["adoptFromCatalogue"]["application"].clone();
    assert_eq!(made["status"], "SUBMITTED");
    assert_eq!(made["title"], "Digitaler Klimaschutz-Monitor Aachen");
    assert_eq!(
        made["adoptedFrom"],
        json!({ "tenantKey": "aachen", "tenantName": made["adoptedFrom"]["tenantName"],
                "title": "Digitaler Klimaschutz-Monitor Aachen", "projectId": offer["projectId"] })
    );
    assert!(
        made["adoptedFrom"]["tenantName"]
            .as_str()
            .unwrap()
            .contains("Aachen")
    );
    // Once is enough while the application stands.
    assert_eq!(
        refused(&app, &tuk, ADOPT, adopt).await,
        ("BAD_USER_INPUT".to_owned(), json!("projectId"))
    );

    // The adoption counts for the offer once TU Kaiserslautern released its project publicly.
    let count = || async {
        let catalogue = app.query(&aachen, CATALOGUE, json!({})).await;
        nodes(&catalogue["reuseCatalogue"])
            .into_iter()
            .find(|o| o["projectId"] == offer["projectId"])
            .unwrap()["adoptions"]
            .clone()
    };
    let decided = app
        .query(
            &tuk,
            "mutation($i: DecideApplicationInput!) { decideApplication(input: $i) \
             { application { project { id version } } } }",
            json!({ "i": { "id": made["id"], "decision": "APPROVED" } }),
        )
        .await;
    let project = decided["decideApplication"]["application"]["project"].clone();
    assert_eq!(
        count().await,
        json!([]),
        "an internal project is not announced"
    );
    app.query(
        &tuk,
        "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { visibility } } }",
        json!({ "i": { "id": project["id"], "version": project["version"], "visibility": "PUBLIC" } }),
    )
    .await;
    let adoptions = count().await;
    assert_eq!(adoptions.as_array().unwrap().len(), 1, "{adoptions}");
    assert_eq!(adoptions[0]["tenantKey"], "tuk");
}

/// The code of the first org unit of `tenant` that owns a project.
async fn first_unit_code(app: &TestApp, tenant: &str) -> String {
    let central = app.token("central_it", tenant, None);
    let data = app
        .query(
            &central,
            "{ projects(first: 1) { edges { node { orgUnit { code } } } } }",
            json!({}),
        )
        .await;
    nodes(&data["projects"])[0]["orgUnit"]["code"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The workbook carries the participants (sheet `Beteiligte`): exported as the caller sees
/// them, read back unchanged as no change, and a changed role and a new participant written
/// through the participant service; an unknown role refuses the whole file.
async fn the_workbook_carries_the_participants(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "kisa", None);
    let mut book = read(&export(&app, &central, "de").await);
    let rows = sheet(&mut book, "Beteiligte");
    let (project, sub, unit, role) = (
        col(rows, "Projekt"),
        col(rows, "Teilprojekt"),
        col(rows, "Organisationseinheit"),
        col(rows, "Rolle"),
    );
    let named = |rows: &[Vec<String>], p: &str, s: &str, u: &str| {
        rows.iter()
            .position(|r| r[project] == p && r[sub] == s && r[unit] == u)
    };
    assert_eq!(rows.len() - 1, 11, "the demo participations: {rows:?}");
    let at = named(rows, "EAKTE-VB", "", "PG1-B").expect("PG1-B on EAKTE-VB");
    assert_eq!(rows[at][role], "beteiligt");
    assert!(named(rows, "EAKTE-VB", "TP-VIS2", "AP").is_some());
    let (status, same) = import(&app, &central, "", write(&book)).await;
    assert_eq!(status, 200, "{same}");
    assert_eq!(
        (
            same["totals"]["create"].as_u64(),
            same["totals"]["update"].as_u64()
        ),
        (Some(0), Some(0)),
        "{same}"
    );

    let rows = sheet(&mut book, "Beteiligte");
    rows[at][role] = "federführend".into();
    let mut new = rows[at].clone();
    new[unit] = "G".into();
    new[role] = "Chef".into();
    rows.push(new);
    let (status, refused) = import(&app, &central, "", write(&book)).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["errors"][0]["column"], "Rolle", "{refused}");
    let rows = sheet(&mut book, "Beteiligte");
    let last = rows.len() - 1;
    rows[last][role] = "nachnutzend".into();
    let (status, done) = import(&app, &central, "", write(&book)).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        (
            done["totals"]["create"].as_u64(),
            done["totals"]["update"].as_u64()
        ),
        (Some(1), Some(1)),
        "{done}"
    );
    let ids = ids(&app, "kisa").await;
    let data = app
        .query(
            &central,
            "query($id: ID!) { node(id: $id) { ... on Project { participants { role orgUnit { code } } } } }",
            json!({ "id": ids["EAKTE-VB"] }),
        )
        .await;
    let roles: Vec<(String, String)> = data["node"]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["orgUnit"]["code"].as_str().unwrap().to_owned(),
                p["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for expected in [("PG1-B", "LEAD"), ("G", "REUSER")] {
        assert!(
            roles.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{roles:?}"
        );
    }
}
