//! The equivalence check of the compared pages, before they are measured: digidash's answer
//! and each PostGraphile's, for every tenant, decoded to their rows (the ids of each level in
//! order, the measures page's goal codes, total count and whether there is a next page) must
//! be the same, or that PostGraphile is left out of the page's comparison with the reason.

use std::fmt::Write as _;

use serde_json::Value;

use crate::{
    operations::{Op, Pg},
    requests::{Bench, Target},
};

/// What identifies a row of a level.
#[derive(Clone, Copy)]
enum Key {
    /// digidash's global id (`base64url("Goal:12")`), decoded to the row id.
    GlobalId,
    /// The row id itself, in this field (`id` in PostGraphile 4, `rowId` in 5).
    RowId(&'static str),
    /// A field of the row, e.g. a goal's code.
    Field(&'static str),
}

/// One level of a page's rows: the path to its list from a row of the level above (from
/// `data` for the first), the path to the row from an item of the list, and its key.
struct Level {
    name: &'static str,
    list: &'static [&'static str],
    row: &'static [&'static str],
    key: Key,
    /// Whether the order counts. Only the measures page's goals of a measure are compared as a
    /// set: digidash lists them by position, PostGraphile in the join table's order (neither
    /// 4 nor 5 orders a join table by a column of the joined one without another plugin).
    /// Such a level must be the last.
    ordered: bool,
}

/// The levels of `op`'s answer on digidash (`None`) or a PostGraphile, and the paths of the
/// scalars that must agree too (total count, next page).
fn shape(op: Op, system: Option<Pg>) -> (Vec<Level>, Vec<&'static [&'static str]>) {
    let key = system.map_or(Key::GlobalId, |pg| Key::RowId(pg.row_id_field()));
    let level = |name, list, row, key| Level {
        name,
        list,
        row,
        key,
        ordered: true,
    };
    let set_of = |level: Level| Level {
        ordered: false,
        ..level
    };
    match (op, system) {
        (Op::MeasuresPage, None) => (
            vec![
                level("measure", &["measures", "edges"], &["node"], key),
                set_of(level("goal", &["goals"], &[], Key::Field("code"))),
            ],
            vec![
                &["measures", "totalCount"],
                &["measures", "pageInfo", "hasNextPage"],
            ],
        ),
        (Op::MeasuresPage, Some(_)) => (
            vec![
                level("measure", &["allMeasures", "edges"], &["node"], key),
                set_of(level(
                    "goal",
                    &["measureGoalsByMeasureId", "nodes"],
                    &["goalByGoalId"],
                    Key::Field("code"),
                )),
            ],
            vec![
                &["allMeasures", "totalCount"],
                &["allMeasures", "pageInfo", "hasNextPage"],
            ],
        ),
        (_, None) => (
            vec![
                level("goal", &["goals", "edges"], &["node"], key),
                level("measure", &["measures", "edges"], &["node"], key),
                level("project", &["projects", "edges"], &["node"], key),
                level("sub-project", &["subProjects", "edges"], &["node"], key),
            ],
            Vec::new(),
        ),
        (_, Some(_)) => (
            vec![
                level("goal", &["allGoals", "edges"], &["node"], key),
                level(
                    "measure",
                    &["measureGoalsByGoalId", "edges"],
                    &["node", "measureByMeasureId"],
                    key,
                ),
                level("project", &["projectsByMeasureId", "edges"], &["node"], key),
                level(
                    "sub-project",
                    &["subProjectsByProjectId", "edges"],
                    &["node"],
                    key,
                ),
            ],
            Vec::new(),
        ),
    }
}

fn at<'v>(value: &'v Value, path: &[&str]) -> &'v Value {
    path.iter().fold(value, |v, key| &v[*key])
}

/// The rows of an answer, depth first: one line per row (`measure 12`, indented by level)
/// and one per scalar (`total 140`); and the rows per level.
pub(crate) struct Rows {
    lines: Vec<String>,
    counts: Vec<(&'static str, usize)>,
}

impl Rows {
    /// The rows per level, e.g. `50 goal, 140 measure, 190 project, 760 sub-project`.
    pub(crate) fn counts(&self) -> String {
        self.counts
            .iter()
            .map(|(name, n)| format!("{n} {name}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Decodes `answer` (the whole response) of `op` from digidash (`None`) or a PostGraphile.
pub(crate) fn rows_of(answer: &Value, op: Op, system: Option<Pg>) -> Result<Rows, String> {
    let (levels, scalars) = shape(op, system);
    let data = &answer["data"];
    let mut rows = Rows {
        lines: Vec::new(),
        counts: levels.iter().map(|l| (l.name, 0)).collect(),
    };
    for path in scalars {
        let value = at(data, path);
        if value.is_null() {
            return Err(format!("no {}", path.join(".")));
        }
        rows.lines
            .push(format!("{} {value}", path.last().unwrap_or(&"value")));
    }
    flatten(data, &levels, 0, &mut rows)?;
    Ok(rows)
}

fn flatten(parent: &Value, levels: &[Level], depth: usize, rows: &mut Rows) -> Result<(), String> {
    let Some((level, deeper)) = levels.split_first() else {
        return Ok(());
    };
    let list = at(parent, level.list)
        .as_array()
        .ok_or_else(|| format!("no list at {}", level.list.join(".")))?;
    rows.counts[depth].1 += list.len();
    let mut lines = Vec::new();
    for item in list {
        let row = at(item, level.row);
        let key = match level.key {
            Key::GlobalId => {
                let id = row["id"].as_str().ok_or("a row without id")?;
                api::graphql::id::decode_any(&async_graphql::ID(id.to_owned()), "id")
                    .map_err(|_| format!("{id:?} is not a global id"))?
                    .1
                    .to_string()
            }
            Key::RowId(field) | Key::Field(field) => match &row[field] {
                Value::String(text) => text.clone(),
                Value::Null => return Err(format!("a {} without {field}", level.name)),
                other => other.to_string(),
            },
        };
        let line = format!("{}{} {key}", "  ".repeat(depth), level.name);
        if level.ordered {
            rows.lines.push(line);
            flatten(row, deeper, depth + 1, rows)?;
        } else {
            lines.push(line);
        }
    }
    lines.sort();
    rows.lines.extend(lines);
    Ok(())
}

/// What the check found for one page and one PostGraphile.
pub(crate) enum Verdict {
    /// The same rows for every tenant; the rows per level of each tenant.
    Same(Vec<String>),
    /// Not the same (or not answered): why.
    Different(String),
}

/// Asks digidash and PostGraphile `version` (at `theirs`) for `op` for every tenant and
/// compares their rows.
pub(crate) async fn check_page(
    bench: &Bench,
    ours: &Target,
    theirs: &Target,
    op: Op,
    version: Pg,
) -> Verdict {
    let mut counts = Vec::new();
    for (t, tenant) in bench.tenants.iter().enumerate() {
        let (mine, other) = match (
            answer_rows(bench, ours, op, t, None).await,
            answer_rows(bench, theirs, op, t, Some(version)).await,
        ) {
            (Ok(mine), Ok(other)) => (mine, other),
            (Err(err), _) => return Verdict::Different(format!("digidash's answer: {err}")),
            (_, Err(err)) => return Verdict::Different(format!("its answer: {err}")),
        };
        if let Some(difference) = first_difference(&mine, &other) {
            return Verdict::Different(format!(
                "tenant {}: {difference}; digidash {}, {} {}",
                tenant.key,
                mine.counts(),
                version.label(),
                other.counts()
            ));
        }
        counts.push(format!("{}: {}", tenant.key, mine.counts()));
    }
    Verdict::Same(counts)
}

/// The rows of `target`'s answer to `op` for the tenant at `t`.
async fn answer_rows(
    bench: &Bench,
    target: &Target,
    op: Op,
    t: usize,
    system: Option<Pg>,
) -> Result<Rows, String> {
    let (outcome, answer) = bench.page(target, op, t, true).await;
    if !outcome.ok {
        return Err(outcome.error.unwrap_or_default());
    }
    rows_of(&answer.unwrap_or_default(), op, system)
}

/// Where two answers' rows first differ, with the lines around it.
fn first_difference(mine: &Rows, other: &Rows) -> Option<String> {
    let at = mine
        .lines
        .iter()
        .zip(&other.lines)
        .position(|(a, b)| a != b)
        .or_else(|| {
            (mine.lines.len() != other.lines.len())
                .then_some(mine.lines.len().min(other.lines.len()))
        })?;
    let show = |lines: &[String]| {
        let mut text = String::new();
        for line in lines.iter().skip(at.saturating_sub(2)).take(4) {
            let _ = write!(text, "[{}] ", line.trim());
        }
        if text.is_empty() {
            "(end)".to_owned()
        } else {
            text
        }
    };
    Some(format!(
        "rows differ at line {at}: digidash {} vs {}",
        show(&mine.lines),
        show(&other.lines)
    ))
}
