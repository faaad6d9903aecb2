//! Calendar feeds: who may make one, whose feeds a viewer sees (and so may revoke), and what a
//! feed shows.
//!
//! Everyone signed in to a tenant may make feeds for themselves: a feed shows what its owner
//! may see, read later with the owner's view as it was stored, never more. A department's feed
//! shows the work its unit subtree owns (what its dashboard calls its own), central IT's and
//! the council's everything their role may read. Owners see and revoke their own feeds;
//! central IT sees and revokes every feed of its tenant (someone left, a URL leaked). For
//! anyone else another person's feed does not exist.

use std::collections::HashSet;

use entity::calendar_feed;
use sea_orm::{ColumnTrait, Condition, sea_query::Expr};

use super::rows::Scoped;
use crate::{
    error::{ApiError, ApiResult},
    viewer::{Role, Viewer},
};

/// Making a feed of one's own view.
pub fn require_create(viewer: &Viewer) -> ApiResult<()> {
    match viewer.role {
        Role::CentralIt | Role::Council => Ok(()),
        // Its feed shows its unit's subtree: without a unit there is nothing to show.
        Role::Department if viewer.org_unit_id.is_some() => Ok(()),
        Role::Department => Err(ApiError::Forbidden(
            "your token names no org unit, so a feed of your unit's work has nothing to show"
                .into(),
        )),
        Role::Public => Err(ApiError::Forbidden(
            "calendar feeds are for people signed in to a tenant".into(),
        )),
    }
}

/// Listing the feeds of every person of the tenant, not only one's own.
pub fn require_list_all(viewer: &Viewer) -> ApiResult<()> {
    match viewer.role {
        Role::CentralIt => Ok(()),
        _ => Err(ApiError::Forbidden(
            "only the central IT steering unit sees the feeds of others".into(),
        )),
    }
}

impl Scoped for calendar_feed::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        use calendar_feed::Column as C;
        let in_tenant = Condition::all().add(C::TenantId.eq(viewer.tenant_id));
        match viewer.role {
            Role::CentralIt => in_tenant,
            Role::Department | Role::Council => in_tenant.add(C::Subject.eq(viewer.sub.as_str())),
            Role::Public => Condition::all().add(Expr::cust("1 = 0")),
        }
    }
}

/// The units whose work the feed of `viewer` shows; `None`: all the viewer may see.
pub fn feed_units(viewer: &Viewer) -> Option<&HashSet<i32>> {
    match viewer.role {
        Role::Department => Some(&viewer.units),
        Role::CentralIt | Role::Council | Role::Public => None,
    }
}

/// Whether a row of work owned by `owner` (a measure, project or sub-project; a milestone
/// through its project or sub-project) is in the feed of `viewer`, which may see the row.
pub fn shows_work(viewer: &Viewer, owner: i32) -> bool {
    feed_units(viewer).is_none_or(|units| units.contains(&owner))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sea_orm::{DbBackend, QueryTrait};

    use super::*;
    use crate::policy::FindVisible;

    fn viewer(role: Role, unit: Option<i32>) -> Viewer {
        Viewer {
            sub: "anna".into(),
            name: None,
            role,
            tenant_id: 7,
            tenant_key: "aachen".into(),
            org_unit_id: unit,
            units: Arc::new(unit.into_iter().chain([9]).collect()),
            data_version: 0,
            settings: Default::default(),
            shares: Default::default(),
            unit: None,
        }
    }

    #[test]
    fn everyone_signed_in_may_make_a_feed_the_public_not() {
        assert!(require_create(&viewer(Role::CentralIt, None)).is_ok());
        assert!(require_create(&viewer(Role::Council, None)).is_ok());
        assert!(require_create(&viewer(Role::Department, Some(3))).is_ok());
        assert!(require_create(&viewer(Role::Department, None)).is_err());
        assert!(require_create(&viewer(Role::Public, None)).is_err());
        assert!(require_list_all(&viewer(Role::Department, Some(3))).is_err());
    }

    #[test]
    fn owners_see_their_feeds_central_it_every_feed_of_its_tenant() {
        let sql = |role| {
            calendar_feed::Entity::find_visible_to(&viewer(role, Some(3)))
                .build(DbBackend::Postgres)
                .to_string()
        };
        assert!(sql(Role::CentralIt).ends_with(r#"WHERE "calendar_feed"."tenant_id" = 7"#));
        assert!(
            sql(Role::Department)
                .ends_with(r#""tenant_id" = 7 AND "calendar_feed"."subject" = 'anna'"#)
        );
        assert!(sql(Role::Public).ends_with("WHERE 1 = 0"));
    }

    #[test]
    fn a_department_feed_shows_its_subtree_the_others_all_they_see() {
        assert!(shows_work(&viewer(Role::CentralIt, Some(3)), 12));
        assert!(shows_work(&viewer(Role::Council, None), 12));
        let department = viewer(Role::Department, Some(3));
        assert!(shows_work(&department, 3) && shows_work(&department, 9));
        assert!(!shows_work(&department, 12));
    }
}
