//! Who is asking: the roles, what a token asserts ([`Identity`]) and the [`Viewer`] it
//! resolves to. Plain types, known to every layer.

mod resolve;
mod shares;
mod standing;

use std::{collections::HashSet, sync::Arc};

pub use resolve::{public, resolve, stored};
pub use shares::{Share, Shares, Work};
pub use standing::{Standing, Standings};

/// The roles digidash knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Central IT steering unit: reads and writes everything of its tenant.
    CentralIt,
    /// Head of a department or project area: reads the portfolio, edits what its units own.
    Department,
    /// Council and political reporting: reads what was released for it.
    Council,
    /// No token: reads what was released as public.
    Public,
}

impl Role {
    /// The name used in tokens and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CentralIt => "central_it",
            Self::Department => "department",
            Self::Council => "council",
            Self::Public => "public",
        }
    }

    /// Lower is more privileged: when a token carries several roles, the strongest wins.
    pub fn rank(self) -> u8 {
        match self {
            Self::CentralIt => 0,
            Self::Department => 1,
            Self::Council => 2,
            Self::Public => 3,
        }
    }

    /// The role a stored name (`as_str`, as the audit trail keeps it) stands for.
    pub fn from_stored(name: &str) -> Option<Self> {
        match name {
            "public" => Some(Self::Public),
            claim => Self::from_claim(claim),
        }
    }

    /// Reads a role claim; `public` is never accepted from a token.
    pub fn from_claim(value: &str) -> Option<Self> {
        match value {
            "central_it" => Some(Self::CentralIt),
            "department" => Some(Self::Department),
            "council" => Some(Self::Council),
            _ => None,
        }
    }
}

/// Who is asking, resolved against the database.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The token's subject.
    pub sub: String,
    /// Display name from the token, if it carries one.
    pub name: Option<String>,
    /// The role the viewer acts in.
    pub role: Role,
    /// The viewer's tenant.
    pub tenant_id: i32,
    /// The key of the viewer's tenant (`aachen`).
    pub tenant_key: String,
    /// The viewer's own org unit (departments).
    pub org_unit_id: Option<i32>,
    /// The viewer's org unit and every unit below it.
    pub units: Arc<HashSet<i32>>,
    /// The tenant's data version when the request began (see the response cache).
    pub data_version: i64,
    /// The tenant's settings when the request began.
    pub settings: Arc<crate::tenant::Settings>,
    /// What the viewer's unit subtree takes part in beyond what it owns (departments).
    pub shares: Arc<Shares>,
    /// The viewer's own org unit as it was read with its subtree (departments).
    pub unit: Option<Arc<entity::org_unit::Model>>,
}

/// An operator of the installation (`platform_admin`, a token without a tenant): creates and
/// configures tenants, and reads none of their rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    /// The token's subject.
    pub sub: String,
    /// Display name, if the token carries one.
    pub name: Option<String>,
}

/// Who a valid token names: someone of a tenant, or an operator of the installation.
#[derive(Debug, Clone)]
pub enum Claimed {
    /// A role in a tenant, resolved against the database into a [`Viewer`].
    Tenant(Identity),
    /// `platform_admin` without a tenant.
    Operator(Operator),
}

/// What a valid token asserts, before it is resolved against the database.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The token's subject.
    pub sub: String,
    /// Display name, if the token carries one.
    pub name: Option<String>,
    /// The strongest role the token carries.
    pub role: Role,
    /// The tenant key the token names.
    pub tenant_key: String,
    /// The code of the org unit the token names (departments).
    pub org_unit_code: Option<String>,
}
