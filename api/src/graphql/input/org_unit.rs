//! Filter of `orgUnits`.

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::{enums as db, org_unit};
use sea_orm::{ColumnTrait, Condition};

use super::{
    and_if,
    command::{change, change_id, kept, optional_id},
    one_of, search,
};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{enums::OrgUnitKind, id},
};
use service::org_unit::{Lead, NewOrgUnit, OrgUnitPatch};

/// Which org units to list.
#[derive(InputObject, Default)]
pub struct OrgUnitFilter {
    /// Only units of these kinds.
    pub kind: Option<Vec<OrgUnitKind>>,
    /// Only the units directly below this one.
    pub parent_id: Option<ID>,
    /// Only root units (true) or only units with a parent (false).
    pub root: Option<bool>,
    /// Also archived units (default false).
    #[graphql(default = false)]
    pub include_archived: bool,
    /// Only units whose name or code contains this text (case-insensitive).
    pub search: Option<String>,
}

impl OrgUnitFilter {
    /// The filter as a condition on top of the policy's scope.
    pub fn condition(&self) -> ApiResult<Condition> {
        use org_unit::Column as C;
        let mut condition = Condition::all();
        condition = and_if(
            condition,
            one_of::<_, _, db::OrgUnitKind>(C::Kind, &self.kind),
        );
        if let Some(parent) = &self.parent_id {
            condition =
                condition.add(C::ParentId.eq(id::decode(parent, "OrgUnit", "filter.parentId")?));
        }
        if let Some(root) = self.root {
            condition = condition.add(if root {
                C::ParentId.is_null()
            } else {
                C::ParentId.is_not_null()
            });
        }
        if !self.include_archived {
            condition = condition.add(C::ArchivedAt.is_null());
        }
        if let Some(text) = &self.search {
            condition = condition.add(
                Condition::any()
                    .add(search(C::Name, text)?)
                    .add(search(C::Code, text)?),
            );
        }
        Ok(condition)
    }
}

order_input! {
    /// Sort order of `orgUnits`.
    OrgUnitOrder, OrgUnitOrderField on org_unit {
        /// Code.
        Code => Code,
        /// Name.
        Name => Name,
        /// Position among siblings.
        Position => Position,
    }
}

/// A new org unit (central IT).
#[derive(async_graphql::InputObject)]
pub struct CreateOrgUnitInput {
    /// Short code, unique in the tenant, e.g. "FB 15/300".
    pub code: String,
    /// Name.
    pub name: String,
    /// What kind of unit it is.
    pub kind: OrgUnitKind,
    /// The unit above it; none for a root.
    pub parent_id: Option<ID>,
    /// Sort position among its siblings.
    #[graphql(default)]
    pub position: i32,
    /// The person leading the unit.
    pub lead: Option<LeadInput>,
}

/// The person leading an org unit.
#[derive(async_graphql::InputObject)]
pub struct LeadInput {
    /// Name (at most 300 characters).
    pub name: String,
    /// E-mail address, where reminders go.
    pub email: Option<String>,
}

impl From<LeadInput> for Lead {
    fn from(input: LeadInput) -> Self {
        Self {
            name: input.name,
            email: input.email,
        }
    }
}

/// Changes to an org unit (central IT); moving it below one of its own sub-units is refused.
#[derive(async_graphql::InputObject)]
pub struct UpdateOrgUnitInput {
    /// The unit.
    pub id: ID,
    /// The `version` the unit was read at.
    pub version: i32,
    /// Short code, unique in the tenant, e.g. "FB 15/300".
    pub code: MaybeUndefined<String>,
    /// Name (at most 300 characters).
    pub name: MaybeUndefined<String>,
    /// What kind of unit it is.
    pub kind: MaybeUndefined<OrgUnitKind>,
    /// Moves the unit; `null` makes it a root.
    pub parent_id: async_graphql::MaybeUndefined<ID>,
    /// Sort position among its siblings.
    pub position: MaybeUndefined<i32>,
    /// A new lead; `null` leaves the unit without one.
    pub lead: async_graphql::MaybeUndefined<LeadInput>,
}

impl TryFrom<CreateOrgUnitInput> for NewOrgUnit {
    type Error = ApiError;

    fn try_from(input: CreateOrgUnitInput) -> ApiResult<Self> {
        Ok(Self {
            parent_id: optional_id(input.parent_id.as_ref(), "OrgUnit", "parentId")?,
            code: input.code,
            name: input.name,
            kind: input.kind.into(),
            position: input.position,
            lead: input.lead.map(Into::into),
        })
    }
}

impl TryFrom<UpdateOrgUnitInput> for OrgUnitPatch {
    type Error = ApiError;

    fn try_from(input: UpdateOrgUnitInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "OrgUnit", "id")?,
            version: input.version,
            parent_id: change_id(input.parent_id, "OrgUnit", "parentId")?,
            code: kept(input.code, "code")?,
            name: kept(input.name, "name")?,
            kind: kept(input.kind, "kind")?.map(Into::into),
            position: kept(input.position, "position")?,
            lead: change(input.lead, Into::into),
        })
    }
}
