//! Calendar feeds: `createCalendarFeed`, `revokeCalendarFeed`, `me { calendarFeeds }` and
//! `GET /calendar/<token>.ics`. A feed holds what its owner's GraphQL lists hold (a
//! department: its subtree's work), is valid RFC 5545, and ends with its revocation.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use api::auth::Claims;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::NaiveDate;
use icalendar::{Component, DatePerhapsTime};
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
};

on_both!(
    a_departments_feed_holds_its_subtree_and_nothing_else,
    the_councils_feed_holds_what_the_council_reads,
    a_feed_ends_with_its_revocation_and_only_its_owner_or_central_it_ends_it,
);

const CREATE: &str = "mutation($name: String!) { createCalendarFeed(input: { name: $name }) \
    { url token calendarFeed { id name ownerRole orgUnit { code } revokedAt } } }";
const REVOKE: &str = "mutation($id: ID!) { revokeCalendarFeed(input: { id: $id }) \
    { calendarFeed { id revokedAt } } }";

async fn create(app: &TestApp, token: &str, name: &str) -> Value {
    app.query(token, CREATE, json!({ "name": name })).await["createCalendarFeed"].clone()
}

/// One event of a feed: its day and summary, by UID.
type Events = BTreeMap<String, (NaiveDate, String)>;

/// Fetches a feed, checks the answer and the RFC 5545 structure, and reads it back with the
/// `icalendar` parser.
async fn read_feed(app: &TestApp, url: &str) -> Events {
    let response = app
        .client
        .get(format!("{}{url}", app.address))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        response.headers()[name]
            .to_str()
            .expect("ASCII header")
            .to_owned()
    };
    assert_eq!(header("content-type"), "text/calendar; charset=utf-8");
    assert!(header("cache-control").starts_with("private"));
    let text = response.text().await.expect("body");
    check_structure(&text);
    let calendar: icalendar::Calendar = text.parse().expect("the feed parses");
    let mut events = Events::new();
    for event in calendar.events() {
        let uid = event.get_uid().expect("every event has a UID").to_owned();
        let Some(DatePerhapsTime::Date(day)) = event.get_start() else {
            panic!("{uid}: not an all-day event");
        };
        let summary = event.get_summary().expect("a summary").to_owned();
        assert!(event.get_description().is_some(), "{uid}");
        assert!(
            events.insert(uid.clone(), (day, summary)).is_none(),
            "{uid} twice"
        );
    }
    events
}

/// CRLF line ends, lines of at most 75 octets, BEGIN/END in pairs, one UID per event.
fn check_structure(text: &str) {
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{text}"
    );
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let body = text.strip_suffix("\r\n").expect("CRLF at the end");
    let mut open: Vec<&str> = Vec::new();
    let mut uids = 0;
    for line in body.split("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line end in {line:?}"
        );
        assert!(line.len() <= 75, "{line:?}: {} octets", line.len());
        if let Some(name) = line.strip_prefix("BEGIN:") {
            open.push(name);
        } else if let Some(name) = line.strip_prefix("END:") {
            assert_eq!(open.pop(), Some(name), "END:{name} without its BEGIN");
        } else if line.starts_with("UID:") {
            assert_eq!(open.last(), Some(&"VEVENT"));
            uids += 1;
        }
    }
    assert!(open.is_empty(), "unclosed {open:?}");
    assert_eq!(uids, text.matches("BEGIN:VEVENT").count());
    for needle in [
        "X-WR-CALNAME:",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }
}

/// The row id in a global id.
fn number(id: &Value) -> i32 {
    let raw = URL_SAFE_NO_PAD
        .decode(id.as_str().expect("an id"))
        .expect("base64");
    let text = String::from_utf8(raw).expect("UTF-8");
    text.split_once(':')
        .expect("kind:number")
        .1
        .parse()
        .expect("a number")
}

/// The events of one kind (`milestone`, `report-measure`, ...) by row id.
fn of_kind(events: &Events, kind: &str) -> BTreeMap<i32, NaiveDate> {
    events
        .iter()
        .filter_map(|(uid, (day, _))| {
            let (id, host) = uid.strip_prefix(kind)?.strip_prefix('-')?.split_once('@')?;
            assert_eq!(host, "aachen.digidash");
            Some((id.parse().ok()?, *day))
        })
        .collect()
}

/// The codes of `code` and every unit below it.
async fn subtree(app: &TestApp, token: &str, code: &str) -> BTreeSet<String> {
    let units = app
        .query(
            token,
            "{ orgUnits(first: 100) { totalCount edges { node { code parent { code } } } } }",
            json!({}),
        )
        .await;
    let parents: HashMap<String, Option<String>> = nodes(&units["orgUnits"])
        .iter()
        .map(|unit| {
            (
                unit["code"].as_str().unwrap().to_owned(),
                unit["parent"]["code"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        parents.len() as i64,
        units["orgUnits"]["totalCount"].as_i64().unwrap()
    );
    parents
        .keys()
        .filter(|unit| {
            let mut at = Some((*unit).clone());
            while let Some(unit) = at {
                if unit == code {
                    return true;
                }
                at = parents.get(&unit).cloned().flatten();
            }
            false
        })
        .cloned()
        .collect()
}

/// What `token` lists: milestones by id with their due dates and owning units, and the
/// running measures, projects and sub-projects with theirs.
struct Lists {
    milestones: Vec<(i32, NaiveDate, Vec<String>)>,
    running: BTreeMap<&'static str, Vec<(i32, String)>>,
}

async fn lists(app: &TestApp, token: &str) -> Lists {
    let data = app
        .query(
            token,
            "{ milestones(first: 100) { totalCount edges { node { id dueDate \
               project { orgUnit { code } } subProject { orgUnit { code } } } } } \
               measures(first: 100) { totalCount edges { node { id status orgUnit { code } } } } \
               projects(first: 100) { totalCount edges { node { id status orgUnit { code } } } } \
               subProjects(first: 100) { totalCount edges { node { id status orgUnit { code } } } } }",
            json!({}),
        )
        .await;
    for list in ["milestones", "measures", "projects", "subProjects"] {
        assert!(
            data[list]["totalCount"].as_i64().unwrap() <= 100,
            "{list}: a second page"
        );
    }
    let milestones = nodes(&data["milestones"])
        .iter()
        .map(|m| {
            let units = [
                &m["project"]["orgUnit"]["code"],
                &m["subProject"]["orgUnit"]["code"],
            ]
            .into_iter()
            .filter_map(|code| code.as_str().map(str::to_owned))
            .collect();
            let due = m["dueDate"].as_str().unwrap().parse().unwrap();
            (number(&m["id"]), due, units)
        })
        .collect();
    let running = [
        ("report-measure", "measures"),
        ("report-project", "projects"),
        ("report-sub-project", "subProjects"),
    ]
    .into_iter()
    .map(|(kind, list)| {
        let rows = nodes(&data[list])
            .iter()
            .filter(|row| row["status"] == "IN_PROGRESS")
            .map(|row| {
                (
                    number(&row["id"]),
                    row["orgUnit"]["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        (kind, rows)
    })
    .collect();
    Lists {
        milestones,
        running,
    }
}

async fn a_departments_feed_holds_its_subtree_and_nothing_else(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let department = app.token("department", "aachen", Some("FB 36"));
    let created = create(&app, &department, "Meilensteine FB 36").await;
    assert_eq!(created["calendarFeed"]["ownerRole"], "DEPARTMENT");
    assert_eq!(created["calendarFeed"]["orgUnit"]["code"], "FB 36");
    let url = created["url"].as_str().unwrap();
    assert_eq!(
        url,
        format!("/calendar/{}.ics", created["token"].as_str().unwrap())
    );
    let events = read_feed(&app, url).await;

    let mine = subtree(&app, &department, "FB 36").await;
    let lists = lists(&app, &department).await;
    // Milestones: exactly those of projects or sub-projects the subtree owns, on their due
    // dates; the department sees others in its lists, and none of them is in the feed.
    let expected: BTreeMap<i32, NaiveDate> = lists
        .milestones
        .iter()
        .filter(|(_, _, units)| units.iter().any(|unit| mine.contains(unit)))
        .map(|(id, due, _)| (*id, *due))
        .collect();
    assert!(!expected.is_empty(), "FB 36 owns milestones in the demo");
    assert!(
        expected.len() < lists.milestones.len(),
        "others own milestones too"
    );
    assert_eq!(of_kind(&events, "milestone"), expected);
    // Reports: the running work the subtree owns, nothing else.
    let mut reports = 0;
    for (kind, rows) in &lists.running {
        let expected: BTreeSet<i32> = rows
            .iter()
            .filter(|(_, unit)| mine.contains(unit))
            .map(|(id, _)| *id)
            .collect();
        let found: BTreeSet<i32> = of_kind(&events, kind).into_keys().collect();
        assert_eq!(found, expected, "{kind}");
        reports += found.len();
    }
    assert!(reports > 0, "FB 36 runs work in the demo");
    assert_eq!(events.len(), expected.len() + reports, "{events:?}");

    // The same rule as the dashboard's: every measure that needs a report is due by today,
    // and every measure due before today needs one.
    let dashboard = app
        .query(
            &department,
            "{ departmentDashboard { measuresNeedingReport(first: 100) { edges { node { id } } } } }",
            json!({}),
        )
        .await;
    let needing: BTreeSet<i32> = nodes(&dashboard["departmentDashboard"]["measuresNeedingReport"])
        .iter()
        .map(|m| number(&m["id"]))
        .collect();
    let today = chrono::Utc::now().date_naive();
    let due = of_kind(&events, "report-measure");
    for id in &needing {
        assert!(due.get(id).is_some_and(|day| *day <= today), "measure {id}");
    }
    for (id, day) in &due {
        assert!(
            *day >= today || needing.contains(id),
            "measure {id} due {day}"
        );
    }
    // German by default.
    assert!(
        events
            .values()
            .any(|(_, summary)| summary.starts_with("Meilenstein: "))
    );
    assert!(
        events
            .values()
            .any(|(_, summary)| summary.starts_with("Statusbericht fällig: "))
    );
}

async fn the_councils_feed_holds_what_the_council_reads(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let council = app.token("council", "aachen", None);
    let central = app.token("central_it", "aachen", None);
    let created = create(&app, &council, "Ratskalender").await;
    let events = read_feed(&app, created["url"].as_str().unwrap()).await;
    let lists_council = lists(&app, &council).await;
    let expected: BTreeMap<i32, NaiveDate> = lists_council
        .milestones
        .iter()
        .map(|(id, due, _)| (*id, *due))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(of_kind(&events, "milestone"), expected);
    for (kind, rows) in &lists_council.running {
        let expected: BTreeSet<i32> = rows.iter().map(|(id, _)| *id).collect();
        let found: BTreeSet<i32> = of_kind(&events, kind).into_keys().collect();
        assert_eq!(found, expected, "{kind}");
    }
    // Central IT reads more, and its own feed has it.
    let central_lists = lists(&app, &central).await;
    assert!(central_lists.milestones.len() > lists_council.milestones.len());
    let created = create(&app, &central, "Portfolio").await;
    let central_events = read_feed(&app, created["url"].as_str().unwrap()).await;
    assert_eq!(
        of_kind(&central_events, "milestone").len(),
        central_lists.milestones.len()
    );
}

async fn a_feed_ends_with_its_revocation_and_only_its_owner_or_central_it_ends_it(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let owner = app.token("department", "aachen", Some("FB 36"));
    let colleague = app
        .keys
        .mint(&Claims {
            sub: "zweite-person".into(),
            role: "department".into(),
            tenant: Some("aachen".into()),
            org_unit: Some("FB 36".into()),
            name: None,
            exp: chrono::Utc::now().timestamp() + 3600,
            iat: None,
        })
        .expect("token");
    let council = app.token("council", "aachen", None);
    let central = app.token("central_it", "aachen", None);
    let fetch = |url: String| {
        let client = app.client.clone();
        let address = app.address.clone();
        async move {
            let response = client
                .get(format!("{address}{url}"))
                .send()
                .await
                .expect("request");
            let status = response.status().as_u16();
            (status, response.text().await.expect("body"))
        }
    };

    let first = create(&app, &owner, "Meine Termine").await;
    let second = create(&app, &owner, "Für das Handy").await;
    let (first_id, token) = (
        first["calendarFeed"]["id"].clone(),
        first["token"].as_str().unwrap().to_owned(),
    );
    let first_url = first["url"].as_str().unwrap().to_owned();
    assert_eq!(fetch(first_url.clone()).await.0, 200);

    // Only a hash of the token is kept.
    {
        use sea_orm::EntityTrait;
        use sha2::{Digest, Sha256};
        let rows = entity::calendar_feed::Entity::find()
            .all(&app.state.db)
            .await
            .expect("rows");
        assert_eq!(rows.len(), 2);
        let row = rows
            .iter()
            .find(|row| row.name == "Meine Termine")
            .expect("the feed");
        assert_eq!(
            row.token_hash,
            format!("{:x}", Sha256::digest(token.as_bytes()))
        );
        assert!(!format!("{rows:?}").contains(&token));
        assert!(row.last_used_at.is_some(), "the fetch is noted");
    }

    // Each person lists their own feeds; central IT may list everyone's.
    let listed = |data: Value| -> Vec<String> {
        data["me"]["calendarFeeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|feed| feed["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let mine = "{ me { calendarFeeds { name lastUsedAt } } }";
    assert_eq!(
        listed(app.query(&owner, mine, json!({})).await),
        ["Meine Termine", "Für das Handy"]
    );
    assert!(listed(app.query(&colleague, mine, json!({})).await).is_empty());
    let everyone = "{ me { calendarFeeds(everyone: true) { name ownerSub } } }";
    assert_eq!(
        listed(app.query(&central, everyone, json!({})).await).len(),
        2
    );
    assert_eq!(
        app.error_code(Some(&owner), everyone, json!({})).await,
        "FORBIDDEN"
    );

    // Another person's feed does not exist for them; the public cannot make feeds.
    for other in [&colleague, &council] {
        let code = app
            .error_code(Some(other), REVOKE, json!({ "id": first_id }))
            .await;
        assert_eq!(code, "NOT_FOUND");
    }
    assert_eq!(fetch(first_url.clone()).await.0, 200);
    let (_, body) = app
        .post(
            None,
            json!({ "query": CREATE, "variables": { "name": "x" } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{body}"
    );
    for name in ["", "   "] {
        let code = app
            .error_code(Some(&owner), CREATE, json!({ "name": name }))
            .await;
        assert_eq!(code, "BAD_USER_INPUT");
    }
    let bad_id = app
        .error_code(Some(&owner), REVOKE, json!({ "id": "kein-id" }))
        .await;
    assert_eq!(bad_id, "BAD_USER_INPUT");

    // The owner revokes: the URL is gone, and revoking again changes nothing.
    let revoked = app.query(&owner, REVOKE, json!({ "id": first_id })).await;
    let at = revoked["revokeCalendarFeed"]["calendarFeed"]["revokedAt"].clone();
    assert!(at.is_string(), "{revoked}");
    let (status, body) = fetch(first_url.clone()).await;
    assert_eq!(status, 404);
    let body: Value = serde_json::from_str(&body).expect("an error body");
    assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND");
    let again = app.query(&owner, REVOKE, json!({ "id": first_id })).await;
    assert_eq!(again["revokeCalendarFeed"]["calendarFeed"]["revokedAt"], at);
    assert_eq!(
        listed(app.query(&owner, mine, json!({})).await),
        ["Für das Handy"]
    );

    // Central IT ends any feed of its tenant.
    let second_url = second["url"].as_str().unwrap().to_owned();
    assert_eq!(fetch(second_url.clone()).await.0, 200);
    app.query(
        &central,
        REVOKE,
        json!({ "id": second["calendarFeed"]["id"] }),
    )
    .await;
    assert_eq!(fetch(second_url).await.0, 404);

    // Unknown and malformed tokens: 404, never a crash.
    let unknown = URL_SAFE_NO_PAD.encode([7u8; 32]);
    for path in [
        format!("/calendar/{unknown}.ics"),
        format!("/calendar/{token}"),
        format!("/calendar/{token}.ics.ics"),
        "/calendar/abc.ics".into(),
        "/calendar/.ics".into(),
        "/calendar/%00%ff.ics".into(),
        format!("/calendar/{}.ics", "A".repeat(5000)),
        format!("/calendar/{}.ics", &token[..42]),
    ] {
        let (status, body) = fetch(path.clone()).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
}
