//! The PostgreSQL server log: which statements a request ran, with their parameters written
//! in and their durations (`log_min_duration_statement = 0`).

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::{Result, options::Options};

/// One statement as the PostgreSQL log recorded it, parameters written in.
#[derive(Debug, Clone)]
pub(crate) struct LoggedStatement {
    pub(crate) duration_ms: f64,
    pub(crate) sql: String,
}

/// Reads the statements that sessions of `database` logged (`log_min_duration_statement = 0`).
pub(crate) struct PgLog {
    pub(crate) path: PathBuf,
    database: String,
}

impl PgLog {
    /// The log at `BENCH_PG_LOG`, or the one the server says it writes, or the newest in
    /// Debian's log folder.
    pub(crate) async fn find(
        options: &Options,
        admin: &DatabaseConnection,
        database: &str,
    ) -> Result<Self> {
        let path = match &options.pg_log {
            Some(path) => path.clone(),
            None => {
                let row = admin
                    .query_one_raw(Statement::from_string(
                        DbBackend::Postgres,
                        "SELECT pg_current_logfile(), current_setting('data_directory')",
                    ))
                    .await?
                    .ok_or("no row")?;
                let current: Option<String> = row.try_get_by_index(0)?;
                let data: String = row.try_get_by_index(1)?;
                match current {
                    Some(file) => Path::new(&data).join(file),
                    // Without the logging collector Debian's pg_ctlcluster writes stderr here.
                    None => newest_log(Path::new("/var/log/postgresql"))
                        .ok_or("the PostgreSQL server log was not found (set BENCH_PG_LOG)")?,
                }
            }
        };
        std::fs::File::open(&path)
            .map_err(|err| format!("cannot read the PostgreSQL log {}: {err}", path.display()))?;
        Ok(Self {
            path,
            database: database.to_owned(),
        })
    }

    /// The file's length now: where the statements logged next will start.
    pub(crate) fn len(&self) -> u64 {
        std::fs::metadata(&self.path).map_or(0, |m| m.len())
    }

    /// The statements logged between two lengths of the file.
    pub(crate) fn statements(&self, from: u64, to: u64) -> Vec<LoggedStatement> {
        use std::io::{Read, Seek, SeekFrom};
        let mut text = String::new();
        if let Ok(mut file) = std::fs::File::open(&self.path)
            && file.seek(SeekFrom::Start(from)).is_ok()
        {
            let mut bytes = Vec::new();
            let _ = file.take(to.saturating_sub(from)).read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        parse_log(&text, &self.database)
    }
}

/// The newest `*.log` file in `dir`.
fn newest_log(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "log"))
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
}

/// Parses `duration: X ms  execute NAME: SQL` and `duration: X ms  statement: SQL` records
/// with their `DETAIL:  parameters: $1 = '...'` lines into statements with the values
/// written in. Continuation lines of a message start with a tab.
fn parse_log(text: &str, database: &str) -> Vec<LoggedStatement> {
    struct Record {
        duration_ms: f64,
        sql: String,
        parameters: Vec<Option<String>>,
    }
    let ours = format!("@{database} ");
    let filter_by_database = text.contains(&ours);
    let mut records: Vec<Record> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix('\t') {
            if open && let Some(record) = records.last_mut() {
                record.sql.push('\n');
                record.sql.push_str(rest);
            }
            continue;
        }
        if filter_by_database && !line.contains(&ours) {
            open = false;
            continue;
        }
        if let Some(at) = line.find("DETAIL:  parameters: ") {
            if open && let Some(record) = records.last_mut() {
                record.parameters = parse_parameters(&line[at + 21..]);
            }
            continue;
        }
        open = false;
        let Some(at) = line.find("LOG:  duration: ") else {
            continue;
        };
        let rest = &line[at + 16..];
        let Some((duration, rest)) = rest.split_once(" ms  ") else {
            continue;
        };
        let sql = if let Some(statement) = rest.strip_prefix("statement: ") {
            statement
        } else if let Some(execute) = rest.strip_prefix("execute ") {
            match execute.split_once(": ") {
                Some((_, sql)) => sql,
                None => continue,
            }
        } else {
            // parse and bind steps: the execute record follows.
            continue;
        };
        records.push(Record {
            duration_ms: duration.parse().unwrap_or(0.0),
            sql: sql.to_owned(),
            parameters: Vec::new(),
        });
        open = true;
    }
    records
        .into_iter()
        .map(|r| LoggedStatement {
            duration_ms: r.duration_ms,
            sql: inline_parameters(&r.sql, &r.parameters),
        })
        .collect()
}

/// `$1 = '5', $2 = NULL, $3 = 'it''s'` -> values by position.
fn parse_parameters(text: &str) -> Vec<Option<String>> {
    let mut values = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c != '=') {
            chars.next();
        }
        if chars.next().is_none() {
            break;
        }
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        if chars.peek() == Some(&'\'') {
            chars.next();
            let mut value = String::new();
            while let Some(c) = chars.next() {
                if c == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                        value.push('\'');
                    } else {
                        break;
                    }
                } else {
                    value.push(c);
                }
            }
            values.push(Some(value));
        } else {
            // NULL
            values.push(None);
            while chars.peek().is_some_and(|c| *c != ',') {
                chars.next();
            }
        }
    }
    values
}

/// Writes parameter values into the SQL as literals (`$3` -> `'value'`), outside quotes.
fn inline_parameters(sql: &str, values: &[Option<String>]) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                let index: usize = digits.parse().unwrap_or(0);
                match values.get(index.wrapping_sub(1)) {
                    Some(Some(value)) => {
                        let _ = write!(out, "'{}'", value.replace('\'', "''"));
                    }
                    Some(None) => out.push_str("NULL"),
                    None => {
                        out.push('$');
                        out.push_str(&digits);
                    }
                }
            }
            None => out.push(c),
        }
    }
    out
}
