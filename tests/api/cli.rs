//! The `digidash` command line.

use std::process::Command;

fn digidash() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_digidash"));
    command
        .env_remove("DATABASE_URL")
        .env_remove("JWT_SECRET")
        .env("RUST_LOG", "warn");
    command
}

#[test]
fn export_schema_prints_the_checked_in_sdl() {
    let output = digidash()
        .arg("export-schema")
        .output()
        .expect("run digidash");
    assert!(output.status.success());
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
            .expect("schema.graphql");
    assert_eq!(String::from_utf8(output.stdout).expect("utf-8"), checked_in);
}

#[tokio::test]
async fn token_mints_what_the_server_accepts() {
    let output = digidash()
        .args([
            "token",
            "--role",
            "department",
            "--tenant",
            "aachen",
            "--org-unit",
            "FB 15",
            "--hours",
            "2",
        ])
        .env("JWT_SECRET", crate::helpers::SECRET)
        .output()
        .expect("run digidash");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout).expect("utf-8");
    let keys = api::auth::TokenKeys::hs256(&secrecy::SecretString::from(
        crate::helpers::SECRET.to_owned(),
    ));
    let api::auth::Claimed::Tenant(identity) =
        keys.verify(token.trim()).await.expect("valid token")
    else {
        panic!("a tenant's token");
    };
    assert_eq!(identity.tenant_key, "aachen");
    assert_eq!(identity.org_unit_code.as_deref(), Some("FB 15"));

    let refused = digidash()
        .args(["token", "--role", "department", "--tenant", "aachen"])
        .env("JWT_SECRET", crate::helpers::SECRET)
        .output()
        .expect("run digidash");
    assert!(
        !refused.status.success(),
        "a department token needs an org unit"
    );
}

#[test]
fn postgres_without_jwt_configuration_refuses_to_start() {
    let output = digidash()
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none")
        .output()
        .expect("run digidash");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("JWT_SECRET"));
}
