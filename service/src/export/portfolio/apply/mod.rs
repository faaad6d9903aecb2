//! Writing the planned rows through the services, in one write: every row after the rows it
//! refers to, parents before their children, with versions and audit entries as for any
//! write. The rows' values are read through [`Row`]; `create` and `update` map them onto each
//! kind's service.

mod create;
mod indicators;
mod update;

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use self::{create::create, update::update};
use super::{
    column::{Kind, split_list},
    current::Current,
    plan::{GoalCodes, Planned, key_of, key_text, resolve_goals, target_key},
    sheet::Sheet,
};
use crate::{
    error::{ApiError, ApiResult},
    export::labels::Labelled,
    org_unit, project,
    write::{Change, Write},
};

/// The ids of the rows by sheet and key: the tenant's, and those the import creates.
pub struct Ids {
    ids: HashMap<(Sheet, String), i32>,
    goal_codes: GoalCodes,
}

impl Ids {
    /// The ids of the tenant's rows (a key several rows share names none).
    pub fn of(current: &Current, goal_codes: GoalCodes) -> Self {
        let mut ids = HashMap::new();
        let mut shared = Vec::new();
        for (sheet, rows) in &current.rows {
            for row in rows {
                if let Some((key, _)) = key_of(*sheet, &row.values)
                    && ids.insert((*sheet, key.clone()), row.id).is_some()
                {
                    shared.push((*sheet, key));
                }
            }
        }
        for key in shared {
            ids.remove(&key);
        }
        Self { ids, goal_codes }
    }

    fn get(&self, sheet: Sheet, key: &str) -> ApiResult<i32> {
        self.ids
            .get(&(sheet, key.to_owned()))
            .copied()
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("import: no id of {sheet:?} {key}")))
    }
}

/// Writes one planned row and records its id under its key.
pub async fn apply(w: &Write<'_>, row: &Planned, ids: &mut Ids) -> ApiResult<()> {
    let r = Row { p: row, ids };
    let id = match row.existing {
        None => create(w, &r).await?,
        Some((id, version)) => {
            if row.changed.iter().any(|c| *c) {
                update(w, &r, id, version).await?;
            }
            id
        }
    };
    ids.ids.insert((row.sheet, row.key.clone()), id);
    Ok(())
}

/// A planned row with typed access to its values.
struct Row<'a> {
    p: &'a Planned,
    ids: &'a Ids,
}

fn parsed<T: std::str::FromStr>(value: Option<&str>) -> Option<T> {
    value.and_then(|v| v.parse().ok())
}

impl Row<'_> {
    fn text(&self, field: &str) -> Option<String> {
        self.p.get(field).map(str::to_owned)
    }

    /// A value every row has once planned (required, or with a default).
    fn req(&self, field: &str) -> String {
        self.text(field).unwrap_or_default()
    }

    fn date(&self, field: &str) -> Option<NaiveDate> {
        parsed(self.p.get(field))
    }

    fn decimal(&self, field: &str) -> Option<Decimal> {
        parsed(self.p.get(field))
    }

    fn int(&self, field: &str) -> Option<i32> {
        parsed(self.p.get(field))
    }

    fn yes(&self, field: &str) -> bool {
        self.p.get(field) == Some("true")
    }

    fn choice<T: Labelled>(&self, field: &str) -> Option<T> {
        self.p.get(field).and_then(T::from_label)
    }

    /// An enum value every row has once planned (required, or with a default).
    fn must<T: Labelled>(&self, field: &str) -> ApiResult<T> {
        self.choice(field)
            .ok_or_else(|| ApiError::bad_input(field, "must not be empty"))
    }

    /// The id of the row a reference names.
    fn id(&self, field: &str) -> ApiResult<Option<i32>> {
        let col = self.p.sheet.col(field);
        let (Kind::Ref(target, scope), Some(value)) = (
            self.p.sheet.def().columns[col].kind,
            self.p.values[col].as_deref(),
        ) else {
            return Ok(None);
        };
        let key = target_key(&self.p.values, scope, value).unwrap_or_default();
        self.ids.get(target, &key).map(Some)
    }

    fn req_id(&self, field: &str) -> ApiResult<i32> {
        self.id(field)?
            .ok_or_else(|| ApiError::bad_input(field, "must not be empty"))
    }

    /// The ids of the rows a list names.
    fn list(&self, field: &str) -> ApiResult<Vec<i32>> {
        let col = self.p.sheet.col(field);
        let Some(value) = self.p.values[col].as_deref() else {
            return Ok(Vec::new());
        };
        match self.p.sheet.def().columns[col].kind {
            Kind::Refs(target) => split_list(value)
                .iter()
                .map(|item| self.ids.get(target, &key_text(std::slice::from_ref(item))))
                .collect(),
            Kind::Goals => resolve_goals(value, &self.ids.goal_codes)
                .map_err(|errors| ApiError::bad_input(field, errors.join("; ")))?
                .iter()
                .map(|key| self.ids.get(Sheet::Goals, key))
                .collect(),
            _ => Ok(Vec::new()),
        }
    }

    /// A value for a patch: `Some` where the row changes the field.
    fn set<T>(&self, field: &str, value: Option<T>) -> Option<T> {
        value.filter(|_| self.p.changes(field))
    }

    /// A nullable value for a patch: `Some(None)` empties the field.
    fn change<T>(&self, field: &str, value: Option<T>) -> Change<T> {
        self.p.changes(field).then_some(value)
    }
}

fn lead(r: &Row<'_>) -> Option<org_unit::Lead> {
    r.text("leadName").map(|name| org_unit::Lead {
        name,
        email: r.text("leadEmail"),
    })
}

fn contact(r: &Row<'_>) -> Option<project::Contact> {
    r.text("contactName").map(|name| project::Contact {
        name,
        email: r.text("contactEmail"),
        phone: r.text("contactPhone"),
    })
}
