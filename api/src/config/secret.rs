//! The HS256 signing secret: `JWT_SECRET`, or for the embedded SQLite database a development
//! secret generated once and kept next to the database file, readable by its owner only.

use std::path::{Path, PathBuf};

use secrecy::SecretString;

use super::{Config, DatabaseTarget};

/// Reads `JWT_SECRET`, which must be at least 16 characters.
pub(super) fn parse_secret(value: &str) -> Result<SecretString, String> {
    if value.len() < 16 {
        return Err("JWT_SECRET must be at least 16 characters".into());
    }
    Ok(SecretString::from(value.to_owned()))
}

/// Where the signing secret came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretSource {
    /// `JWT_SECRET`.
    Configured,
    /// Generated for the embedded database and kept next to it.
    Development,
}

impl Config {
    /// The HS256 secret: `JWT_SECRET`, or for the embedded SQLite database a development
    /// secret generated once and kept next to the database file. PostgreSQL without a
    /// configured secret is refused.
    pub fn jwt_secret(
        &self,
        target: &DatabaseTarget,
    ) -> anyhow::Result<Option<(SecretString, SecretSource)>> {
        if let Some(secret) = &self.jwt_secret {
            return Ok(Some((secret.clone(), SecretSource::Configured)));
        }
        if self.jwt_jwks.is_some() {
            // Tokens come from an identity provider; there is nothing to sign with.
            return Ok(None);
        }
        let DatabaseTarget::Sqlite(path) = target else {
            anyhow::bail!(
                "no token configuration: with PostgreSQL set JWT_SECRET (at least 16 characters) or JWT_JWKS (the identity provider's keys)"
            );
        };
        let secret = development_secret(&dev_secret_path(path))?;
        Ok(Some((secret, SecretSource::Development)))
    }
}

/// The development secret kept in `file`, generated and written there the first time.
fn development_secret(file: &Path) -> anyhow::Result<SecretString> {
    if let Ok(secret) = std::fs::read_to_string(file) {
        let secret = secret.trim().to_owned();
        anyhow::ensure!(
            secret.len() >= 16,
            "{} is damaged: delete it to generate a new one",
            file.display()
        );
        return Ok(SecretString::from(secret));
    }
    let secret: String = {
        use rand::Rng;
        let bytes: [u8; 32] = rand::rng().random();
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    };
    write_private(file, &secret)?;
    Ok(SecretString::from(secret))
}

/// `digidash.db` keeps its development secret in `digidash.db.jwt-secret`.
fn dev_secret_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".jwt-secret");
    PathBuf::from(name)
}

/// Writes a new file only its owner may read (mode 0600 on Unix); never overwrites one.
fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|err| {
        anyhow::anyhow!(
            "cannot write the development secret {}: {err}",
            path.display()
        )
    })?;
    file.write_all(content.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn the_development_secret_is_made_once_and_kept_private() {
        let database =
            std::env::temp_dir().join(format!("digidash-secret-{}.db", std::process::id()));
        let file = dev_secret_path(&database);
        let _ = std::fs::remove_file(&file);
        let config = Config::for_tests();
        let target = DatabaseTarget::Sqlite(database);
        let (first, source) = config.jwt_secret(&target).unwrap().unwrap();
        assert_eq!(source, SecretSource::Development);
        assert_eq!(first.expose_secret().len(), 64);
        let (again, _) = config.jwt_secret(&target).unwrap().unwrap();
        assert_eq!(again.expose_secret(), first.expose_secret());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_file(&file).unwrap();
        let postgres = DatabaseTarget::Postgres("postgres://db/x".into());
        assert!(config.jwt_secret(&postgres).is_err());
    }
}
