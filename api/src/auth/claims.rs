//! Reading who a token names: claim paths and role names differ between identity providers.

use std::collections::HashMap;

use serde_json::Value;

use super::{Claimed, Identity, Operator, Role};
use crate::{config::Config, error::ApiError};

/// Where the claims are and what the provider's role names mean.
#[derive(Debug, Clone)]
pub struct ClaimRules {
    role: Vec<String>,
    tenant: Vec<String>,
    org_unit: Vec<String>,
    /// Provider role name -> our role; empty means the names are ours.
    role_map: HashMap<String, RoleName>,
}

/// A role a token may carry: one in a tenant, or the installation's operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleName {
    /// A role in the tenant the token names.
    Tenant(Role),
    /// `platform_admin`: manages the tenants, names none.
    Operator,
}

impl RoleName {
    /// Our name of a role.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            service::audit::OPERATOR_ROLE => Some(Self::Operator),
            name => Role::from_claim(name).map(Self::Tenant),
        }
    }
}

impl Default for ClaimRules {
    fn default() -> Self {
        Self {
            role: vec!["role".into()],
            tenant: vec!["tenant".into()],
            org_unit: vec!["org_unit".into()],
            role_map: HashMap::new(),
        }
    }
}

fn path(dotted: &str) -> Vec<String> {
    dotted.split('.').map(str::to_owned).collect()
}

impl ClaimRules {
    /// The rules of `JWT_ROLE_CLAIM`, `JWT_TENANT_CLAIM`, `JWT_ORG_UNIT_CLAIM` and `JWT_ROLE_MAP`.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let mut role_map = HashMap::new();
        for pair in config
            .jwt_role_map
            .iter()
            .flat_map(|map| map.split(','))
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let (theirs, ours) = pair
                .rsplit_once(':')
                .ok_or_else(|| anyhow::anyhow!("JWT_ROLE_MAP entry {pair:?} is not name:role"))?;
            let role = RoleName::parse(ours.trim()).ok_or_else(|| {
                anyhow::anyhow!(
                    "JWT_ROLE_MAP maps to unknown role {ours:?} \
                     (central_it, department, council, platform_admin)"
                )
            })?;
            role_map.insert(theirs.trim().to_owned(), role);
        }
        Ok(Self {
            role: path(&config.jwt_role_claim),
            tenant: path(&config.jwt_tenant_claim),
            org_unit: path(&config.jwt_org_unit_claim),
            role_map,
        })
    }

    fn role_of(&self, name: &str) -> Option<RoleName> {
        if self.role_map.is_empty() {
            RoleName::parse(name)
        } else {
            self.role_map.get(name).copied()
        }
    }

    /// Who verified claims name. A token with a tenant acts in the strongest tenant role it
    /// carries; a token without one is an operator's if it carries `platform_admin`.
    pub fn identity(&self, claims: &Value) -> Result<Claimed, ApiError> {
        let sub = text(claims.get("sub"))
            .ok_or_else(|| unauthenticated("token names no subject (sub)"))?;
        let roles: Vec<RoleName> = match lookup(claims, &self.role) {
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(|name| name.as_str().and_then(|name| self.role_of(name)))
                .collect(),
            Some(Value::String(name)) => self.role_of(name).into_iter().collect(),
            _ => Vec::new(),
        };
        let tenant = text(lookup(claims, &self.tenant));
        let role = roles
            .iter()
            .filter_map(|role| match role {
                RoleName::Tenant(role) => Some(*role),
                RoleName::Operator => None,
            })
            .min_by_key(|role| role.rank());
        let Some(tenant) = tenant else {
            if roles.contains(&RoleName::Operator) {
                return Ok(Claimed::Operator(Operator {
                    sub,
                    name: text(claims.get("name")),
                }));
            }
            return Err(unauthenticated("token names no tenant"));
        };
        let role = role.ok_or_else(|| {
            if roles.contains(&RoleName::Operator) {
                unauthenticated("a platform_admin token names no tenant")
            } else {
                unauthenticated("token has no known role (central_it, department or council)")
            }
        })?;
        let org_unit_code = text(lookup(claims, &self.org_unit));
        if role == Role::Department && org_unit_code.is_none() {
            return Err(unauthenticated("a department token must name its org_unit"));
        }
        Ok(Claimed::Tenant(Identity {
            sub,
            name: text(claims.get("name")),
            role,
            tenant_key: tenant,
            org_unit_code,
        }))
    }
}

fn unauthenticated(message: &str) -> ApiError {
    ApiError::Unauthenticated(message.to_owned())
}

fn lookup<'a>(claims: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(claims, |value, key| value.get(key))
}

/// A non-empty string claim (the first of a list).
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Array(items) => text(items.first()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keycloak_roles_are_mapped_and_the_strongest_wins() {
        let rules = ClaimRules {
            role: path("realm_access.roles"),
            tenant: path("tenant"),
            org_unit: path("org_unit"),
            role_map: HashMap::from([
                (
                    "digidash-admin".to_owned(),
                    RoleName::Tenant(Role::CentralIt),
                ),
                ("rat".to_owned(), RoleName::Tenant(Role::Council)),
                ("plattform".to_owned(), RoleName::Operator),
            ]),
        };
        let claims = json!({"sub": "u1", "tenant": "aachen", "realm_access": {"roles": ["offline_access", "rat", "digidash-admin"]}});
        let Claimed::Tenant(identity) = rules.identity(&claims).unwrap() else {
            panic!("a tenant identity");
        };
        assert_eq!(identity.role, Role::CentralIt);
        // The operator's role counts only without a tenant.
        let claims = json!({"sub": "u1", "tenant": "aachen", "realm_access": {"roles": ["plattform", "rat"]}});
        assert!(
            matches!(rules.identity(&claims), Ok(Claimed::Tenant(i)) if i.role == Role::Council)
        );
        let claims = json!({"sub": "op", "realm_access": {"roles": ["plattform"]}});
        assert!(matches!(rules.identity(&claims), Ok(Claimed::Operator(o)) if o.sub == "op"));
        let claims =
            json!({"sub": "op", "tenant": "aachen", "realm_access": {"roles": ["plattform"]}});
        assert!(rules.identity(&claims).is_err());
        let unmapped =
            json!({"sub": "u1", "tenant": "aachen", "realm_access": {"roles": ["central_it"]}});
        assert!(
            rules.identity(&unmapped).is_err(),
            "with a map only mapped names count"
        );
    }

    #[test]
    fn missing_claims_are_named() {
        let rules = ClaimRules::default();
        let err = rules
            .identity(&json!({"sub": "u", "role": "department", "tenant": "aachen"}))
            .unwrap_err();
        assert!(err.to_string().contains("org_unit"));
        let err = rules
            .identity(&json!({"sub": "u", "role": "council"}))
            .unwrap_err();
        assert!(err.to_string().contains("tenant"));
    }
}
