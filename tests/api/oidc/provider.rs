//! The harness of the identity-provider test: a throw-away CA made with the `openssl` command,
//! and the npm `oidc-provider` run by `tests/oidc/provider.mjs` with a certificate of it.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::Value;
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

/// The audience the provider issues its access tokens for (a resource indicator).
pub(super) const RESOURCE: &str = "urn:digidash";

fn script_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

/// What is missing to run a provider: Node.js, the npm packages or openssl; `None` when ready.
pub(super) fn missing() -> Option<&'static str> {
    let runs = |program: &str, arg: &str| {
        std::process::Command::new(program)
            .arg(arg)
            .output()
            .is_ok_and(|out| out.status.success())
    };
    if !runs("node", "--version") {
        Some("Node.js (`node`) is not installed")
    } else if !script_dir().join("node_modules/oidc-provider").exists() {
        Some("the provider's packages are not installed: `npm ci --prefix tests/oidc`")
    } else if !runs("openssl", "version") {
        Some("the `openssl` command is not installed")
    } else {
        None
    }
}

/// A temporary directory with a test CA, a certificate it issued for 127.0.0.1, and the
/// provider's signing keys; all of it removed on drop.
pub(super) struct Pki {
    pub(super) dir: PathBuf,
}

impl Pki {
    pub(super) fn new() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("digidash_oidc_{}_{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let pki = Self { dir };
        pki.openssl(
            "req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=digidash-test-CA \
             -keyout ca.key -out ca.pem -addext basicConstraints=critical,CA:TRUE \
             -addext keyUsage=critical,keyCertSign,cRLSign",
        );
        pki.openssl(
            "req -new -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
             -keyout server.key -out server.csr",
        );
        std::fs::write(
            pki.dir.join("server.ext"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .expect("write extensions");
        pki.openssl(
            "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 \
             -extfile server.ext -out server.pem",
        );
        pki
    }

    /// Runs `openssl` with `args` (split at whitespace) in the directory.
    fn openssl(&self, args: &str) {
        let out = std::process::Command::new("openssl")
            .args(args.split_whitespace())
            .current_dir(&self.dir)
            .output()
            .expect("run openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The CA certificate digidash is told to trust.
    pub(super) fn ca(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// A new RSA signing key whose key id is `kid`.
    pub(super) fn signing_key(&self, kid: &str) -> PathBuf {
        self.openssl(&format!(
            "genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out {kid}.pem"
        ));
        self.dir.join(format!("{kid}.pem"))
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A running `oidc-provider` on `https://127.0.0.1:<port>`.
pub(super) struct Provider {
    child: Child,
    pub(super) issuer: String,
    http: reqwest::Client,
}

impl Provider {
    /// Starts the provider; the first of `keys` signs, all are published at `/jwks`.
    pub(super) async fn start(pki: &Pki, port: u16, keys: &[&Path]) -> Self {
        let mut command = Command::new("node");
        command
            .arg(script_dir().join("provider.mjs"))
            .arg(port.to_string())
            .arg(pki.dir.join("server.pem"))
            .arg(pki.dir.join("server.key"))
            .args(keys)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().expect("start node");
        // Its warnings (an in-memory store) are noise, its errors needed when it fails.
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let sink = stderr.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = err_lines.next_line().await {
                sink.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let listening = tokio::time::timeout(Duration::from_secs(30), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(issuer) = line.strip_prefix("listening ") {
                    return Some(issuer.to_owned());
                }
            }
            None
        })
        .await;
        let Ok(Some(issuer)) = listening else {
            panic!(
                "the provider did not listen within 30 s: {}",
                stderr.lock().unwrap()
            );
        };
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let ca = std::fs::read(pki.ca()).expect("read CA");
        let http = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&ca).expect("CA certificate"))
            .build()
            .expect("client");
        Self {
            child,
            issuer,
            http,
        }
    }

    pub(super) fn jwks_url(&self) -> String {
        format!("{}/jwks", self.issuer)
    }

    /// An access token for `client` by the client credentials grant.
    pub(super) async fn token(&self, client: &str) -> String {
        let response = self
            .http
            .post(format!("{}/token", self.issuer))
            .basic_auth(client, Some(format!("{client}-secret")))
            .form(&[
                ("grant_type", "client_credentials"),
                ("resource", RESOURCE),
                ("scope", "api"),
            ])
            .send()
            .await
            .expect("token request");
        let body: Value = response.json().await.expect("token response");
        body["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no access token: {body}"))
            .to_owned()
    }

    /// Stops the provider at once; its port is free afterwards.
    pub(super) async fn stop(mut self) {
        self.child.kill().await.expect("stop the provider");
    }
}

/// The key id in a token's header.
pub(super) fn kid(token: &str) -> String {
    jsonwebtoken::decode_header(token)
        .expect("a JWT")
        .kid
        .expect("a kid")
}
