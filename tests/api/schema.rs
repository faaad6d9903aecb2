//! The checked-in SDL must match the code.

/// `schema.graphql` is the one checked-in SDL, so it is compared as it is rather than kept as
/// an insta snapshot beside itself; a drift fails with a unified diff of the two.
#[test]
fn schema_graphql_matches_the_code() {
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
            .expect("schema.graphql at the top of the repository");
    let generated = api::graphql::sdl();
    if checked_in != generated {
        let diff = similar::TextDiff::from_lines(&checked_in, &generated)
            .unified_diff()
            .context_radius(3)
            .header("schema.graphql (checked in)", "the code's SDL")
            .to_string();
        panic!(
            "schema.graphql is out of date: run `cargo run -- export-schema > schema.graphql`\n\n{diff}"
        );
    }
}

#[test]
fn schema_names_clients_rely_on() {
    let sdl = api::graphql::sdl();
    for needle in [
        "type OrgUnit",
        "type Measure",
        "type Project",
        "type SubProject",
        "type Milestone",
        "type StatusReport",
        "type Goal",
        "type Strategy",
        "type Application",
        "enum Status {",
        "IN_PROGRESS",
        "enum Rag {",
        "enum Visibility {",
        "viewerCanEdit: Boolean!",
        "viewerCanSeeFinancials: Boolean!",
        "interface Node",
        "totalCount: Int!",
        "interface WorkItem",
        "type Measure implements WorkItem & Node",
        "subject: WorkItem",
        "scalar Date @specifiedBy(url: ",
        "scalar DateTime @specifiedBy(url: ",
        "type Risk implements Node",
        "enum StatusDimension {",
        "enum RiskStatus {",
        "HIGH_RISK",
    ] {
        assert!(sdl.contains(needle), "schema lacks {needle}");
    }
    // The look-ups, nullable (a trailing space: no `!` follows the type).
    let fields = compact(&sdl);
    for needle in [
        "node(id: ID!): Node ",
        "nodes(ids: [ID!]!): [Node]! ",
        "goal(id: ID!): Goal ",
        "measure(id: ID!): Measure ",
        "project(id: ID!): Project ",
        "subProject(id: ID!): SubProject ",
        "milestone(id: ID!): Milestone ",
        "orgUnit(id: ID!): OrgUnit ",
        "application(id: ID!): Application ",
        "createMeasure(input: CreateMeasureInput!): CreateMeasurePayload ",
        "portfolioDashboard: PortfolioDashboard ",
        "createCalendarFeed(input: CreateCalendarFeedInput!): CreateCalendarFeedPayload ",
        "revokeCalendarFeed(input: RevokeCalendarFeedInput!): RevokeCalendarFeedPayload ",
        "createWebhook(input: CreateWebhookInput!): CreateWebhookPayload ",
        "updateWebhook(input: UpdateWebhookInput!): UpdateWebhookPayload ",
        "deleteWebhook(input: DeleteWebhookInput!): DeleteWebhookPayload ",
        "webhooks: [Webhook!]! ",
        "webhookDeliveries(",
        "targets: [IndicatorTarget!]! ",
        "direction: IndicatorDirection! ",
        "status: IndicatorStatus ",
        "series(from: Date, to: Date): [IndicatorSeriesPoint!]! ",
        "indicators: [Indicator!]! ",
        "type IndicatorTarget { date: Date! value: Decimal! }",
        "type IndicatorSeriesPoint { date: Date! target: Decimal actual: Decimal }",
        "createRisk(input: CreateRiskInput!): CreateRiskPayload ",
        "updateRisk(input: UpdateRiskInput!): UpdateRiskPayload ",
        "deleteRisk(input: DeleteRiskInput!): DeleteRiskPayload ",
        "risks: [Risk!] ",
        "dimensions: [StatusReportDimension!]! ",
        "riskMatrix: [RiskCount!]! ",
    ] {
        assert!(fields.contains(needle), "schema lacks {needle}");
    }
}

/// The SDL without descriptions, on one line: `name(arg: Type, ...): Type next...`.
fn compact(sdl: &str) -> String {
    let without_descriptions: String = sdl.split("\"\"\"").step_by(2).collect::<Vec<_>>().join(" ");
    without_descriptions
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(" )", ")")
}

/// Every type, field, argument, input field and enum value says what it is: the schema is a
/// frontend team's only documentation of it.
#[test]
fn everything_in_the_schema_is_described() {
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};

    let sdl = api::graphql::sdl();
    let document = async_graphql::parser::parse_schema(&sdl).expect("the SDL parses");
    let mut missing = Vec::new();
    let mut check = |described: bool, what: String| {
        if !described {
            missing.push(what);
        }
    };
    for definition in &document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let ty = &ty.node;
        let name = ty.name.node.as_str();
        check(ty.description.is_some(), format!("type {name}"));
        let fields = match &ty.kind {
            TypeKind::Object(object) => &object.fields,
            TypeKind::Interface(interface) => &interface.fields,
            TypeKind::InputObject(input) => {
                for field in &input.fields {
                    let field = &field.node;
                    check(
                        field.description.is_some(),
                        format!("input field {name}.{}", field.name.node),
                    );
                }
                continue;
            }
            TypeKind::Enum(values) => {
                for value in &values.values {
                    let value = &value.node;
                    check(
                        value.description.is_some(),
                        format!("enum value {name}.{}", value.value.node),
                    );
                }
                continue;
            }
            _ => continue,
        };
        for field in fields {
            let field = &field.node;
            let path = format!("{name}.{}", field.name.node);
            check(field.description.is_some(), format!("field {path}"));
            for argument in &field.arguments {
                let argument = &argument.node;
                check(
                    argument.description.is_some(),
                    format!("argument {path}({})", argument.name.node),
                );
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} without a description:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

/// A root field that fails answers `null` in `data`, with its error beside it, and the other
/// fields of the query are answered (async-graphql by itself would leave the field out, and
/// make `data` null when it is the only one). Here without a viewer, so every one of them fails.
#[tokio::test]
async fn a_failing_root_field_is_null_and_the_rest_is_answered() {
    let schema = api::graphql::build_schema();
    let id = "TWVhc3VyZTox"; // Measure:1
    for field in [
        format!("goal(id: \"{id}\") {{ id }}"),
        format!("measure(id: \"{id}\") {{ id }}"),
        format!("project(id: \"{id}\") {{ id }}"),
        format!("subProject(id: \"{id}\") {{ id }}"),
        format!("milestone(id: \"{id}\") {{ id }}"),
        format!("orgUnit(id: \"{id}\") {{ id }}"),
        format!("application(id: \"{id}\") {{ id }}"),
        format!("strategy(id: \"{id}\") {{ id }}"),
        format!("statusReport(id: \"{id}\") {{ id }}"),
        format!("node(id: \"{id}\") {{ id }}"),
        "portfolioDashboard { asOf }".to_owned(),
        "departmentDashboard { asOf }".to_owned(),
        "councilReport(period: \"2026\") { period }".to_owned(),
        "councilReports { period }".to_owned(),
        format!("publishedCouncilReport(id: \"{id}\") {{ period }}"),
    ] {
        let name = field
            .split(['(', ' '])
            .next()
            .unwrap_or_default()
            .to_owned();
        let query = format!("{{ {field} __typename }}");
        let response = serde_json::to_value(schema.execute(query.as_str()).await).unwrap();
        assert_eq!(
            response["data"],
            serde_json::json!({ name.as_str(): null, "__typename": "Query" }),
            "{query}: {response}"
        );
        assert_eq!(
            response["errors"][0]["path"][0],
            name.as_str(),
            "{response}"
        );
    }
}
