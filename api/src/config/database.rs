//! Where the data lives: `DATABASE_URL` and the read replicas of `DATABASE_REPLICA_URLS`.

use std::path::PathBuf;

use super::Config;

/// The SQLite file used when no `DATABASE_URL` is given.
const DEFAULT_SQLITE_FILE: &str = "digidash.db";

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// An SQLite file, created when missing.
    Sqlite(PathBuf),
    /// A PostgreSQL server.
    Postgres(String),
}

impl DatabaseTarget {
    /// The SeaORM connection URL.
    pub fn url(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}?mode=rwc", path.display()),
            Self::Postgres(url) => url.clone(),
        }
    }
}

/// The read replicas of `DATABASE_REPLICA_URLS`. Their URLs may hold passwords: `Debug` shows
/// how many there are, never the URLs.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ReplicaUrls(pub Vec<String>);

impl std::fmt::Debug for ReplicaUrls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReplicaUrls({} configured)", self.0.len())
    }
}

/// Reads `DATABASE_REPLICA_URLS`: comma-separated `postgres://` URLs, blanks ignored. A URL
/// may list several hosts itself (`postgres://r1,r2:5433/db`): a piece without `://`
/// continues the URL before it.
pub(super) fn parse_replica_urls(value: &str) -> Result<ReplicaUrls, String> {
    let mut urls: Vec<String> = Vec::new();
    for piece in value.split(',').map(str::trim) {
        match urls.last_mut() {
            Some(url) if !piece.is_empty() && !piece.contains("://") => {
                url.push(',');
                url.push_str(piece);
            }
            _ if piece.is_empty() => {}
            _ => urls.push(piece.to_owned()),
        }
    }
    if let Some(position) = urls
        .iter()
        .position(|url| !(url.starts_with("postgres://") || url.starts_with("postgresql://")))
    {
        // The URL itself is not shown: it may hold a password.
        return Err(format!(
            "replica {} does not start with postgres:// or postgresql://",
            position + 1
        ));
    }
    Ok(ReplicaUrls(urls))
}

impl Config {
    /// The database this process talks to. Read replicas and PgBouncer are refused with an
    /// SQLite database, which has neither.
    pub fn database(&self) -> anyhow::Result<DatabaseTarget> {
        let target = self.primary_database()?;
        if matches!(target, DatabaseTarget::Sqlite(_)) {
            anyhow::ensure!(
                self.database_replica_urls.0.is_empty(),
                "DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL: an SQLite database has no read replicas"
            );
            anyhow::ensure!(
                !self.pool.pgbouncer,
                "DATABASE_PGBOUNCER needs a PostgreSQL DATABASE_URL"
            );
            anyhow::ensure!(
                self.pool.listen_url.is_none(),
                "DATABASE_LISTEN_URL needs a PostgreSQL DATABASE_URL: an SQLite database has one process"
            );
        }
        if let Some(url) = &self.pool.listen_url {
            anyhow::ensure!(
                url.starts_with("postgres://") || url.starts_with("postgresql://"),
                "DATABASE_LISTEN_URL must start with postgres:// or postgresql://"
            );
        }
        Ok(target)
    }

    fn primary_database(&self) -> anyhow::Result<DatabaseTarget> {
        match self.database_url.as_deref().map(str::trim) {
            None | Some("") => Ok(DatabaseTarget::Sqlite(PathBuf::from(DEFAULT_SQLITE_FILE))),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(DatabaseTarget::Postgres(url.to_owned()))
            }
            Some(url) if url.starts_with("sqlite:") => {
                let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
                let path = path.split('?').next().unwrap_or(path);
                anyhow::ensure!(!path.is_empty(), "DATABASE_URL names no SQLite file");
                Ok(DatabaseTarget::Sqlite(PathBuf::from(path)))
            }
            Some(_) => anyhow::bail!(
                "DATABASE_URL must start with postgres://, postgresql:// or sqlite: (the URL itself is not shown because it may hold a password)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replica_urls_are_a_list_of_postgres_urls() {
        assert_eq!(parse_replica_urls(""), Ok(ReplicaUrls::default()));
        assert_eq!(
            parse_replica_urls(" postgres://a@r1/db , ,postgresql://r2:5433/db").unwrap(),
            ReplicaUrls(vec![
                "postgres://a@r1/db".into(),
                "postgresql://r2:5433/db".into()
            ])
        );
        assert_eq!(
            parse_replica_urls(
                "postgres://u@r1:5432,r2:5433/db?target_session_attrs=standby, postgres://r3/db"
            )
            .unwrap(),
            ReplicaUrls(vec![
                "postgres://u@r1:5432,r2:5433/db?target_session_attrs=standby".into(),
                "postgres://r3/db".into()
            ])
        );
        let refused = parse_replica_urls("postgres://r1/db,mysql://u:secret@r2/db").unwrap_err();
        assert!(refused.contains("replica 2"), "{refused}");
        assert!(!refused.contains("secret"), "{refused}");
        let debug = format!(
            "{:?}",
            parse_replica_urls("postgres://u:secret@r1/db").unwrap()
        );
        assert!(!debug.contains("secret"), "{debug}");
    }

    #[test]
    fn replicas_and_pgbouncer_need_postgres() {
        use clap::Parser;
        let parse = |args: &[&str]| {
            crate::cli::Cli::try_parse_from(std::iter::once("digidash").chain(args.iter().copied()))
                .expect("arguments parse")
                .config
        };
        let config = parse(&[
            "--database-url",
            "sqlite://x.db",
            "--database-replica-urls",
            "postgres://r1/db",
        ]);
        let refused = config.database().unwrap_err().to_string();
        assert!(refused.contains("DATABASE_REPLICA_URLS"), "{refused}");
        let config = parse(&["--database-url", "sqlite://x.db", "--pgbouncer", "true"]);
        assert!(config.database().is_err());
        let config = parse(&[
            "--database-url",
            "postgres://primary/db",
            "--database-replica-urls",
            "postgres://r1/db,postgres://r2/db",
            "--pgbouncer",
            "true",
        ]);
        assert!(matches!(config.database(), Ok(DatabaseTarget::Postgres(_))));
        assert_eq!(config.database_replica_urls.0.len(), 2);
        assert!(config.pool.pgbouncer);
    }
}
