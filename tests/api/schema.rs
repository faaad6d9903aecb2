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
    ] {
        assert!(sdl.contains(needle), "schema lacks {needle}");
    }
}
