//! Where a key set comes from and how it is read: a file, or an https URL fetched with the
//! system's roots plus the certificates of `JWT_JWKS_CA_FILE`.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use jsonwebtoken::{
    Algorithm, DecodingKey,
    jwk::{AlgorithmParameters, EllipticCurve, JwkSet, KeyAlgorithm, PublicKeyUse},
};

use super::VerifyingKey;

/// Longest wait for the provider's answer: while a fetch runs, lookups that need it wait.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

pub(super) enum Source {
    File(PathBuf),
    Url {
        url: String,
        client: reqwest::Client,
    },
}

impl Source {
    /// The source `JWT_JWKS` names; `ca_file` adds roots for its https URL.
    pub(super) fn new(location: &str, ca_file: Option<&Path>) -> anyhow::Result<Self> {
        if !(location.starts_with("https://") || is_local_http(location)) {
            anyhow::ensure!(
                !location.starts_with("http://"),
                "JWT_JWKS must be an https URL (plain http only for localhost)"
            );
            anyhow::ensure!(
                ca_file.is_none(),
                "JWT_JWKS_CA_FILE applies to an https JWT_JWKS, not to the file {location}"
            );
            return Ok(Self::File(PathBuf::from(location)));
        }
        let mut builder = reqwest::Client::builder().timeout(FETCH_TIMEOUT);
        if let Some(file) = ca_file {
            for certificate in ca_certificates(file)? {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let client = builder.build().map_err(|err| match ca_file {
            Some(file) => anyhow::anyhow!(
                "cannot set up the JWKS client with JWT_JWKS_CA_FILE {}: {err}",
                file.display()
            ),
            None => anyhow::anyhow!("cannot set up the JWKS client: {err}"),
        })?;
        Ok(Self::Url {
            url: location.to_owned(),
            client,
        })
    }

    /// The usable keys the source holds now.
    pub(super) async fn fetch(&self) -> anyhow::Result<Vec<VerifyingKey>> {
        let text = match self {
            Self::File(path) => tokio::fs::read_to_string(path).await.map_err(|err| {
                anyhow::anyhow!("cannot read JWT_JWKS file {}: {err}", path.display())
            })?,
            Self::Url { url, client } => client
                .get(url)
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .map_err(|err| anyhow::anyhow!("cannot fetch JWT_JWKS: {}", chain(&err)))?
                .text()
                .await
                .map_err(|err| anyhow::anyhow!("cannot read JWT_JWKS: {err}"))?,
        };
        parse(&text)
    }
}

/// The certificates of a PEM file; a file without one is a mistake worth stopping for.
fn ca_certificates(file: &Path) -> anyhow::Result<Vec<reqwest::Certificate>> {
    let pem = std::fs::read(file)
        .map_err(|err| anyhow::anyhow!("cannot read JWT_JWKS_CA_FILE {}: {err}", file.display()))?;
    let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|err| {
        anyhow::anyhow!(
            "JWT_JWKS_CA_FILE {} is not a PEM certificate file: {err}",
            file.display()
        )
    })?;
    anyhow::ensure!(
        !certificates.is_empty(),
        "JWT_JWKS_CA_FILE {} holds no PEM certificate",
        file.display()
    );
    Ok(certificates)
}

/// An error with its causes: reqwest's own message hides why TLS failed (an unknown issuer).
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

fn is_local_http(location: &str) -> bool {
    ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|prefix| location.starts_with(prefix))
}

/// The signing algorithms accepted from a provider; symmetric and unknown ones are not.
fn algorithm_of(alg: KeyAlgorithm) -> Option<Algorithm> {
    Some(match alg {
        KeyAlgorithm::RS256 => Algorithm::RS256,
        KeyAlgorithm::RS384 => Algorithm::RS384,
        KeyAlgorithm::RS512 => Algorithm::RS512,
        KeyAlgorithm::ES256 => Algorithm::ES256,
        KeyAlgorithm::ES384 => Algorithm::ES384,
        _ => return None,
    })
}

/// The usable signing keys of a JWK set; encryption keys and others are skipped.
fn parse(text: &str) -> anyhow::Result<Vec<VerifyingKey>> {
    let set: JwkSet = serde_json::from_str(text)
        .map_err(|err| anyhow::anyhow!("JWT_JWKS is not a JWK set: {err}"))?;
    Ok(set
        .keys
        .iter()
        .filter(|jwk| !matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)))
        .filter_map(|jwk| {
            let algorithm = match (&jwk.common.key_algorithm, &jwk.algorithm) {
                (Some(alg), _) => algorithm_of(*alg)?,
                (None, AlgorithmParameters::RSA(_)) => Algorithm::RS256,
                (None, AlgorithmParameters::EllipticCurve(ec)) => match ec.curve {
                    EllipticCurve::P256 => Algorithm::ES256,
                    EllipticCurve::P384 => Algorithm::ES384,
                    _ => return None,
                },
                _ => return None,
            };
            let key = DecodingKey::from_jwk(jwk).ok()?;
            Some(VerifyingKey {
                kid: jwk.common.key_id.clone(),
                algorithm,
                key: Arc::new(key),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_ca_file_is_named_at_start_up() {
        let url = "https://idp.example/certs";
        let missing = Path::new("/nonexistent/digidash-ca.pem");
        let err = Source::new(url, Some(missing)).err().unwrap().to_string();
        assert!(
            err.contains("JWT_JWKS_CA_FILE") && err.contains("digidash-ca.pem"),
            "{err}"
        );

        let file = std::env::temp_dir().join(format!("digidash-ca-{}.pem", std::process::id()));
        std::fs::write(&file, "not a certificate\n").unwrap();
        let err = Source::new(url, Some(&file)).err().unwrap().to_string();
        assert!(err.contains("holds no PEM certificate"), "{err}");
        std::fs::write(
            &file,
            "-----BEGIN CERTIFICATE-----\nbm90IGRlcg==\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let err = Source::new(url, Some(&file)).err().unwrap().to_string();
        assert!(err.contains("JWT_JWKS_CA_FILE"), "{err}");

        let err = Source::new("/etc/jwks.json", Some(&file))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("applies to an https JWT_JWKS"), "{err}");
        std::fs::remove_file(&file).unwrap();
    }
}
