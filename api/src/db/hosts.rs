//! PostgreSQL URLs with several hosts, as libpq reads them:
//! `postgres://user@h1:5432,h2:5433/db?target_session_attrs=read-write`.
//!
//! sqlx takes one host per URL, so such a URL is split here into one URL per host; which of
//! them is connected to is decided by [`super::failover`], by what each server says it is.

/// What kind of server a URL asks for (`target_session_attrs`, with libpq's values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// The first server that answers.
    Any,
    /// A server that accepts writes (`read-write`: `transaction_read_only` is off).
    ReadWrite,
    /// A server that does not accept writes (`read-only`).
    ReadOnly,
    /// A server not in recovery (`primary`).
    Primary,
    /// A server in recovery (`standby`).
    Standby,
    /// A standby if one answers, else any server (`prefer-standby`).
    PreferStandby,
}

impl Want {
    fn parse(value: &str) -> Result<Self, String> {
        Ok(match value {
            "any" => Self::Any,
            "read-write" => Self::ReadWrite,
            "read-only" => Self::ReadOnly,
            "primary" => Self::Primary,
            "standby" => Self::Standby,
            "prefer-standby" => Self::PreferStandby,
            other => {
                return Err(format!(
                    "target_session_attrs={other} is not one of any, read-write, read-only, primary, standby, prefer-standby"
                ));
            }
        })
    }

    /// Whether a server in this state will do; `PreferStandby` takes any server on its second
    /// pass ([`super::failover`]).
    pub fn accepts(self, state: ServerState) -> bool {
        match self {
            Self::Any => true,
            Self::ReadWrite => !state.read_only,
            Self::ReadOnly => state.read_only,
            Self::Primary => !state.in_recovery,
            Self::Standby | Self::PreferStandby => state.in_recovery,
        }
    }

    /// Whether a server of this kind may take writes (what `DATABASE_URL` needs).
    pub fn writable(self) -> bool {
        matches!(self, Self::Any | Self::ReadWrite | Self::Primary)
    }
}

/// What a server said about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerState {
    /// `pg_is_in_recovery()`: a standby.
    pub in_recovery: bool,
    /// `transaction_read_only` of a new session: a standby, or a primary set read-only.
    pub read_only: bool,
}

/// One host of a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub host: String,
    pub port: u16,
}

impl std::fmt::Display for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// A PostgreSQL URL split by host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostList {
    pub hosts: Vec<Host>,
    pub want: Want,
    /// The URL with `{host}` for the host part and without `target_session_attrs`.
    template: String,
}

const HOST_SLOT: &str = "{host}";

/// Whether `url` lists several hosts; a URL with one is left to sqlx as it is.
pub fn names_several(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    let hosts = authority
        .rsplit_once('@')
        .map_or(authority, |(_, hosts)| hosts);
    hosts.contains(',')
}

impl HostList {
    /// Splits `url`; `default_want` applies when it has no `target_session_attrs`. A URL with
    /// one host is a list of one.
    pub fn parse(url: &str, default_want: Want) -> Result<Self, String> {
        let (scheme, rest) = url
            .split_once("://")
            .ok_or("a PostgreSQL URL starts with postgres://")?;
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        let (userinfo, hosts) = match authority.rsplit_once('@') {
            Some((userinfo, hosts)) => (Some(userinfo), hosts),
            None => (None, authority),
        };
        let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
        let mut want = default_want;
        let mut default_port = 5432;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            match pair.split_once('=') {
                Some(("target_session_attrs", value)) => want = Want::parse(value)?,
                Some(("port", value)) if !value.contains(',') => {
                    default_port = value
                        .parse()
                        .map_err(|_| format!("port={value} is not a port number"))?;
                    kept.push(pair);
                }
                Some(("port", _)) => {
                    return Err("several ports go with their hosts: h1:5432,h2:5433".into());
                }
                _ => kept.push(pair),
            }
        }
        let hosts = hosts
            .split(',')
            .map(|host| parse_host(host, default_port))
            .collect::<Result<Vec<_>, _>>()?;
        let mut template = format!("{scheme}://");
        if let Some(userinfo) = userinfo {
            template.push_str(userinfo);
            template.push('@');
        }
        template.push_str(HOST_SLOT);
        template.push_str(path);
        if !kept.is_empty() {
            template.push('?');
            template.push_str(&kept.join("&"));
        }
        Ok(Self {
            hosts,
            want,
            template,
        })
    }

    /// The URL of one host alone, as sqlx reads it.
    pub fn url(&self, index: usize) -> String {
        self.template
            .replacen(HOST_SLOT, &self.hosts[index].to_string(), 1)
    }
}

fn parse_host(text: &str, default_port: u16) -> Result<Host, String> {
    let bad = || format!("`{text}` is not a host or host:port");
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        // An IPv6 address: [::1]:5432
        let (host, after) = rest.split_once(']').ok_or_else(bad)?;
        (host, after.strip_prefix(':'))
    } else {
        match text.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    if host.is_empty() {
        return Err(bad());
    }
    let port = match port {
        Some(port) => port.parse().map_err(|_| bad())?,
        None => default_port,
    };
    Ok(Host {
        host: host.to_owned(),
        port,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_hosts_become_one_url_each() {
        let list = HostList::parse(
            "postgres://app:s3cret@db1:5432,db2:5433,[::1]/digidash?sslmode=prefer&target_session_attrs=read-write",
            Want::Any,
        )
        .unwrap();
        assert_eq!(list.want, Want::ReadWrite);
        assert_eq!(
            list.url(0),
            "postgres://app:s3cret@db1:5432/digidash?sslmode=prefer"
        );
        assert_eq!(
            list.url(1),
            "postgres://app:s3cret@db2:5433/digidash?sslmode=prefer"
        );
        assert_eq!(
            list.url(2),
            "postgres://app:s3cret@[::1]:5432/digidash?sslmode=prefer"
        );
    }

    #[test]
    fn one_host_and_defaults() {
        assert!(names_several("postgres://u:p,w@a,b/db"));
        assert!(!names_several("postgres://u:p,w@a/db?options=a,b"));
        assert!(!names_several("postgres:///db?host=/run/postgresql"));
        let list = HostList::parse("postgresql://db/x?port=6432", Want::ReadWrite).unwrap();
        assert_eq!(list.want, Want::ReadWrite);
        assert_eq!(list.url(0), "postgresql://db:6432/x?port=6432");
        let list = HostList::parse("postgres://u@a,b", Want::Any).unwrap();
        assert_eq!(list.url(1), "postgres://u@b:5432");
    }

    #[test]
    fn bad_lists_are_refused_without_showing_the_password() {
        for url in [
            "postgres://u:pw@a,:5/db",
            "postgres://u:pw@a:x/db",
            "postgres://u:pw@a,b/db?target_session_attrs=fastest",
            "postgres://u:pw@a,b/db?port=1,2",
        ] {
            let err = HostList::parse(url, Want::Any).unwrap_err();
            assert!(!err.contains("pw"), "{err}");
        }
    }

    #[test]
    fn what_each_kind_accepts() {
        let primary = ServerState {
            in_recovery: false,
            read_only: false,
        };
        let standby = ServerState {
            in_recovery: true,
            read_only: true,
        };
        assert!(Want::ReadWrite.accepts(primary) && !Want::ReadWrite.accepts(standby));
        assert!(Want::Primary.accepts(primary) && !Want::Primary.accepts(standby));
        assert!(Want::Standby.accepts(standby) && !Want::Standby.accepts(primary));
        assert!(Want::ReadOnly.accepts(standby) && Want::Any.accepts(standby));
        assert!(!Want::Standby.writable() && Want::ReadWrite.writable());
    }
}
