//! The org-unit tree of a tenant.

use std::collections::{HashMap, HashSet};

use entity::org_unit;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::error::ApiResult;

/// `root` and every unit below it, in the tenant `tenant_id`.
#[tracing::instrument(skip(db))]
pub async fn subtree(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    root: i32,
) -> ApiResult<HashSet<i32>> {
    let edges: Vec<(i32, Option<i32>)> = org_unit::Entity::find()
        .select_only()
        .columns([org_unit::Column::Id, org_unit::Column::ParentId])
        .filter(org_unit::Column::TenantId.eq(tenant_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(descendants(&edges, root))
}

/// `root` and its descendants among `(id, parent)` edges.
pub fn descendants(edges: &[(i32, Option<i32>)], root: i32) -> HashSet<i32> {
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for &(id, parent) in edges {
        if let Some(parent) = parent {
            children.entry(parent).or_default().push(id);
        }
    }
    let mut found = HashSet::from([root]);
    let mut stack = vec![root];
    while let Some(unit) = stack.pop() {
        for &child in children.get(&unit).into_iter().flatten() {
            // The insert check also stops on a cycle in corrupt data.
            if found.insert(child) {
                stack.push(child);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_every_level_and_survives_cycles() {
        let edges = [
            (1, None),
            (2, Some(1)),
            (3, Some(2)),
            (4, Some(1)),
            (5, Some(6)),
            (6, Some(5)),
        ];
        assert_eq!(descendants(&edges, 2), HashSet::from([2, 3]));
        assert_eq!(descendants(&edges, 1), HashSet::from([1, 2, 3, 4]));
        assert_eq!(descendants(&edges, 5), HashSet::from([5, 6]));
    }
}
