//! Checking and planning the workbook's rows: which row of the tenant each one is, what it
//! creates or changes, and everything wrong with it, before anything is written.

use std::collections::{BTreeSet, HashMap};

use super::{
    column::{Kind, split_list},
    current::{Current, Existing},
    read::FileSheet,
    sheet::Sheet,
};
use crate::export::{
    import::{
        grid::Raw,
        report::{CellError, Change, RowAction, RowReport},
    },
    labels::Lang,
};

/// One row of the workbook, checked.
pub struct Planned {
    pub sheet: Sheet,
    pub line: u32,
    /// Its key, lower-case, parts joined: what other rows' references name.
    pub key: String,
    /// The row of the tenant it changes (id and version), `None` for a new one.
    pub existing: Option<(i32, i32)>,
    /// Every column's value as the row leaves it: the file's, else the tenant's (or the
    /// default, for a new row).
    pub values: Vec<Option<String>>,
    /// The columns the row changes (every column with a value, for a new row).
    pub changed: Vec<bool>,
    pub report: RowReport,
}

impl Planned {
    /// A column's value by its field.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.values[self.sheet.col(field)].as_deref()
    }

    /// Whether the row changes a field.
    pub fn changes(&self, field: &str) -> bool {
        self.changed[self.sheet.col(field)]
    }
}

/// The key of a row from its values: the key columns (the fallback for an empty last one),
/// lower-case, joined; `None` when a part is empty.
pub fn key_of(sheet: Sheet, values: &[Option<String>]) -> Option<(String, String)> {
    let def = sheet.def();
    let mut parts = Vec::new();
    for (n, &col) in def.key.iter().enumerate() {
        let last = n + 1 == def.key.len();
        // A part before the last that need not be given may be empty (an indicator names
        // one of its four possible parents).
        let value = values[col]
            .clone()
            .or_else(|| {
                def.fallback
                    .filter(|_| last)
                    .and_then(|f| values[f].clone())
            })
            .or_else(|| (!last && !def.columns[col].required).then(String::new))?;
        parts.push(value);
    }
    Some((key_text(&parts), parts.join(" / ")))
}

/// A key from its parts.
pub fn key_text(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| p.trim().to_lowercase())
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// The key a reference of column `col` names from a row's values.
pub fn target_key(values: &[Option<String>], scope: &[usize], value: &str) -> Option<String> {
    let mut parts = Vec::new();
    for &s in scope {
        // An empty scope column is an empty part of the key (see [`key_of`]).
        parts.push(values[s].clone().unwrap_or_default());
    }
    parts.push(value.to_owned());
    Some(key_text(&parts))
}

/// Goals by code: the strategy titles that have a goal of each lower-case code.
pub type GoalCodes = HashMap<String, BTreeSet<String>>;

/// The goals a goals cell names, as keys, or what is wrong with each item.
pub fn resolve_goals(text: &str, codes: &GoalCodes) -> Result<BTreeSet<String>, Vec<String>> {
    let mut keys = BTreeSet::new();
    let mut errors = Vec::new();
    for item in split_list(text) {
        let (code, strategy) = match item.strip_suffix(')').and_then(|i| i.split_once(" (")) {
            Some((code, strategy)) if codes.contains_key(&code.trim().to_lowercase()) => {
                (code.trim().to_owned(), Some(strategy.trim().to_owned()))
            }
            _ => (item.clone(), None),
        };
        let Some(strategies) = codes.get(&code.to_lowercase()) else {
            errors.push(format!("there is no goal with the code \"{code}\""));
            continue;
        };
        let strategy = match strategy {
            Some(s) => strategies
                .iter()
                .find(|t| t.to_lowercase() == s.to_lowercase()),
            None if strategies.len() == 1 => strategies.first(),
            None => {
                errors.push(format!(
                    "several strategies have a goal with the code \"{code}\"; write it as \"{code} (strategy title)\""
                ));
                continue;
            }
        };
        match strategy {
            Some(s) => {
                keys.insert(key_text(&[s.clone(), code]));
            }
            None => errors.push(format!("there is no goal \"{item}\"")),
        }
    }
    if errors.is_empty() {
        Ok(keys)
    } else {
        Err(errors)
    }
}

/// The tenant's rows of each sheet by key (one key may name several rows), and the keys of
/// the rows the file has.
struct Index<'a> {
    existing: HashMap<Sheet, HashMap<String, Vec<&'a Existing>>>,
    file: HashMap<Sheet, HashMap<String, u32>>,
    goal_codes: GoalCodes,
}

impl Index<'_> {
    fn knows(&self, sheet: Sheet, key: &str) -> bool {
        self.file[&sheet].contains_key(key) || self.existing[&sheet].contains_key(key)
    }
}

/// A row as read from its cells, before it is matched.
struct ReadRow {
    line: u32,
    /// Per column: `None` where the file has no such column.
    cells: Vec<Option<Option<String>>>,
    key: Option<(String, String)>,
    errors: Vec<CellError>,
}

/// Plans every row of the workbook's sheets (in [`Sheet::ALL`] order); with the goals by code
/// of the tenant and the workbook.
pub fn plan(sheets: &[FileSheet], current: &Current, lang: Lang) -> (Vec<Planned>, GoalCodes) {
    let mut read: Vec<(Sheet, &FileSheet, Vec<ReadRow>)> = Vec::new();
    let mut index = Index {
        existing: HashMap::new(),
        file: HashMap::new(),
        goal_codes: current.goal_strategies(),
    };
    for sheet in Sheet::ALL {
        let mut by_key: HashMap<String, Vec<&Existing>> = HashMap::new();
        for row in &current.rows[&sheet] {
            if let Some((key, _)) = key_of(sheet, &row.values) {
                by_key.entry(key).or_default().push(row);
            }
        }
        index.existing.insert(sheet, by_key);
        index.file.insert(sheet, HashMap::new());
    }
    for file in sheets {
        let rows = read_rows(file, lang, &mut index);
        if file.sheet == Sheet::Goals {
            for row in &rows {
                if let (Some(Some(strategy)), Some(Some(code))) = (&row.cells[0], &row.cells[1]) {
                    index
                        .goal_codes
                        .entry(code.to_lowercase())
                        .or_default()
                        .insert(strategy.clone());
                }
            }
        }
        read.push((file.sheet, file, rows));
    }
    let mut planned = Vec::new();
    for (sheet, file, rows) in read {
        let roots = rows
            .iter()
            .filter(|r| sheet.def().parent.is_some_and(|p| r.cells[p] == Some(None)))
            .count();
        for row in rows {
            planned.push(plan_row(sheet, file, row, &index, roots == 1));
        }
    }
    for sheet in [Sheet::OrgUnits, Sheet::Goals] {
        check_cycles(sheet, &mut planned, current, sheets);
    }
    (planned, index.goal_codes)
}

/// The rows in the order they can be written: sheet after sheet, and in a tree each row after
/// the row of the workbook that becomes its parent.
pub fn in_write_order(planned: &[Planned]) -> Vec<&Planned> {
    let mut order = Vec::with_capacity(planned.len());
    for sheet in Sheet::ALL {
        let rows: Vec<&Planned> = planned.iter().filter(|p| p.sheet == sheet).collect();
        let Some(parent_col) = sheet.def().parent else {
            order.extend(rows);
            continue;
        };
        let Kind::Ref(_, scope) = sheet.def().columns[parent_col].kind else {
            order.extend(rows);
            continue;
        };
        let by_key: HashMap<&str, &Planned> = rows.iter().map(|p| (p.key.as_str(), *p)).collect();
        let mut done: BTreeSet<&str> = BTreeSet::new();
        for row in &rows {
            // The chain of parents still to write, the farthest first; planning excluded circles.
            let mut chain = Vec::new();
            let mut at = Some(*row);
            while let Some(p) = at.filter(|p| !done.contains(p.key.as_str())) {
                if chain.iter().any(|c: &&Planned| c.key == p.key) {
                    break;
                }
                chain.push(p);
                at = p.values[parent_col]
                    .as_deref()
                    .filter(|_| p.changed[parent_col])
                    .and_then(|v| target_key(&p.values, scope, v))
                    .and_then(|k| by_key.get(k.as_str()).copied());
            }
            for p in chain.into_iter().rev() {
                done.insert(p.key.as_str());
                order.push(p);
            }
        }
    }
    order
}

/// Reads the rows of a sheet, records their keys, and notes a key the sheet has twice.
fn read_rows(file: &FileSheet, lang: Lang, index: &mut Index<'_>) -> Vec<ReadRow> {
    let sheet = file.sheet;
    let def = sheet.def();
    let mut rows = Vec::new();
    for (line, raw) in &file.rows {
        if raw.iter().all(|c| c.text().is_none()) {
            continue;
        }
        let mut errors = Vec::new();
        let cells: Vec<Option<Option<String>>> = def
            .columns
            .iter()
            .enumerate()
            .map(|(n, col)| {
                let index = file.columns[n]?;
                let raw = raw.get(index).unwrap_or(&Raw::Empty);
                Some(col.parse(raw, lang).unwrap_or_else(|message| {
                    errors.push(file.error(*line, n, message));
                    None
                }))
            })
            .collect();
        let values: Vec<Option<String>> = cells.iter().map(|c| c.clone().flatten()).collect();
        let key = key_of(sheet, &values);
        match &key {
            None => {
                for &k in def.key {
                    if values[k].is_none() && !errors.iter().any(|e| e.column == file.header(k)) {
                        let fallback = def.fallback.filter(|_| Some(&k) == def.key.last());
                        if fallback.is_none_or(|f| values[f].is_none()) {
                            errors.push(file.error(*line, k, "must not be empty".into()));
                        }
                    }
                }
            }
            Some((key, shown)) => {
                let seen = index.file.get_mut(&sheet).expect("every sheet is indexed");
                if let Some(first) = seen.get(key) {
                    errors.push(file.error(
                        *line,
                        def.key[def.key.len() - 1],
                        format!("{shown} appears already in line {first}"),
                    ));
                } else {
                    seen.insert(key.clone(), *line);
                }
            }
        }
        rows.push(ReadRow {
            line: *line,
            cells,
            key,
            errors,
        });
    }
    rows
}

/// Matches a row with the tenant's row of its key and checks it as a change of that row or
/// as a new one. `sole_root`: the row is the only one of its tree sheet without a parent.
fn plan_row(
    sheet: Sheet,
    file: &FileSheet,
    row: ReadRow,
    index: &Index<'_>,
    sole_root: bool,
) -> Planned {
    let def = sheet.def();
    let mut errors = row.errors;
    let (key, shown) = row.key.clone().unwrap_or_default();
    let mut found = index.existing[&sheet]
        .get(&key)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    // The tenant's root unit (made with the tenant) is the workbook's root, whatever its
    // code: a new tenant takes the tree of another one.
    let is_root = def.parent.is_some_and(|p| row.cells[p] == Some(None));
    let root = [root_of(
        sheet,
        index,
        row.key.is_some() && sole_root && is_root && found.is_empty(),
    )];
    if let [Some(root)] = &root {
        found = std::slice::from_ref(root);
    }
    let existing = match found {
        [] => None,
        [one] if one.archived => {
            let last = def.key[def.key.len() - 1];
            errors.push(file.error(
                row.line,
                last,
                "this row of the tenant is archived; restore it in the app first".into(),
            ));
            None
        }
        [one] => Some(*one),
        _ => {
            let last = def.key[def.key.len() - 1];
            errors.push(file.error(
                row.line,
                last,
                "several rows of the tenant have this key; make it unique in the app first".into(),
            ));
            None
        }
    };
    let mut values: Vec<Option<String>> = Vec::with_capacity(def.columns.len());
    let mut changed = Vec::with_capacity(def.columns.len());
    let mut changes = Vec::new();
    for (n, col) in def.columns.iter().enumerate() {
        let cell = row.cells[n].clone().filter(|_| col.read());
        let had_error = errors.iter().any(|e| e.column == file.header(n));
        let (value, change) = match existing {
            Some(e) => {
                let before = e.values[n].clone();
                match cell {
                    // A column with a default has a value in every row: it cannot be emptied.
                    Some(None) if (col.required || col.default.is_some()) && !had_error => {
                        errors.push(file.error(row.line, n, "must not be empty".into()));
                        (before, false)
                    }
                    Some(value) if !had_error => {
                        let differs = !same(col.kind, value.as_deref(), before.as_deref(), index);
                        if differs {
                            changes.push(Change {
                                field: col.field,
                                from: before,
                                to: value.clone(),
                            });
                        }
                        (value, differs)
                    }
                    _ => (before, false),
                }
            }
            None => {
                let value = cell
                    .flatten()
                    .or_else(|| col.default.map(str::to_owned))
                    .filter(|_| col.read());
                if value.is_none() && col.required && !had_error {
                    errors.push(file.error(row.line, n, "a new row needs a value here".into()));
                }
                if let Some(to) = &value {
                    changes.push(Change {
                        field: col.field,
                        from: None,
                        to: Some(to.clone()),
                    });
                }
                (value, col.read())
            }
        };
        values.push(value);
        changed.push(change);
    }
    check_refs(sheet, file, row.line, &values, &changed, index, &mut errors);
    let action = match existing {
        None => RowAction::Create,
        Some(_) if changes.is_empty() => RowAction::Unchanged,
        Some(_) => RowAction::Update,
    };
    Planned {
        sheet,
        line: row.line,
        key,
        existing: existing.map(|e| (e.id, e.version)),
        values,
        changed,
        report: RowReport {
            sheet: Some(file.name.clone()),
            line: row.line,
            number: Some(shown).filter(|s| !s.is_empty()),
            action,
            changes,
            errors,
        },
    }
}

/// The tenant's only root unit, when the workbook's only root matches nothing and the tenant's
/// root is not a row of the workbook.
fn root_of<'a>(sheet: Sheet, index: &Index<'a>, wanted: bool) -> Option<&'a Existing> {
    if sheet != Sheet::OrgUnits || !wanted {
        return None;
    }
    let parent = sheet.def().parent?;
    let roots: Vec<&Existing> = index.existing[&sheet]
        .values()
        .flatten()
        .filter(|e| e.values[parent].is_none() && !e.archived)
        .copied()
        .collect();
    match roots.as_slice() {
        [root] => {
            let (key, _) = key_of(sheet, &root.values)?;
            (!index.file[&sheet].contains_key(&key)).then_some(*root)
        }
        _ => None,
    }
}

/// Whether two canonical values are the same: references compared without case, lists as
/// sets, goals by the goals they name.
fn same(kind: Kind, a: Option<&str>, b: Option<&str>, index: &Index<'_>) -> bool {
    match (kind, a, b) {
        (_, None, None) => true,
        (Kind::Ref(..) | Kind::Refs(_), Some(a), Some(b)) => a.to_lowercase() == b.to_lowercase(),
        (Kind::Goals, Some(a), Some(b)) => {
            resolve_goals(a, &index.goal_codes).ok() == resolve_goals(b, &index.goal_codes).ok()
        }
        _ => a == b,
    }
}

/// Every reference the row sets must name a row of the tenant or of the workbook.
fn check_refs(
    sheet: Sheet,
    file: &FileSheet,
    line: u32,
    values: &[Option<String>],
    changed: &[bool],
    index: &Index<'_>,
    errors: &mut Vec<CellError>,
) {
    for (n, col) in sheet.def().columns.iter().enumerate() {
        let Some(value) = values[n].as_deref().filter(|_| changed[n]) else {
            continue;
        };
        let what = |target: Sheet| target.def().name.en.to_lowercase();
        match col.kind {
            Kind::Ref(target, scope) => {
                let Some(key) = target_key(values, scope, value) else {
                    continue;
                };
                if !index.knows(target, &key) {
                    errors.push(file.error(
                        line,
                        n,
                        format!("there is no row \"{value}\" in the {}", what(target)),
                    ));
                } else if index.existing[&target]
                    .get(&key)
                    .is_some_and(|rows| rows.len() > 1)
                {
                    errors.push(file.error(
                        line,
                        n,
                        format!("several {} are \"{value}\"", what(target)),
                    ));
                }
            }
            Kind::Refs(target) => {
                for item in split_list(value) {
                    if !index.knows(target, &key_text(std::slice::from_ref(&item))) {
                        errors.push(file.error(
                            line,
                            n,
                            format!("there is no row \"{item}\" in the {}", what(target)),
                        ));
                    }
                }
            }
            Kind::Goals => {
                if let Err(messages) = resolve_goals(value, &index.goal_codes) {
                    for message in messages {
                        errors.push(file.error(line, n, message));
                    }
                }
            }
            _ => {}
        }
    }
}

/// A parent column that would close a circle in the tree of its sheet is an error.
fn check_cycles(sheet: Sheet, planned: &mut [Planned], current: &Current, files: &[FileSheet]) {
    let (Some(parent_col), Some(file)) =
        (sheet.def().parent, files.iter().find(|f| f.sheet == sheet))
    else {
        return;
    };
    let Kind::Ref(_, scope) = sheet.def().columns[parent_col].kind else {
        return;
    };
    let parent_of = |values: &[Option<String>]| {
        values[parent_col]
            .as_deref()
            .and_then(|p| target_key(values, scope, p))
    };
    let mut parents: HashMap<String, Option<String>> = HashMap::new();
    for row in &current.rows[&sheet] {
        if let Some((key, _)) = key_of(sheet, &row.values) {
            parents.insert(key, parent_of(&row.values));
        }
    }
    for row in planned.iter().filter(|p| p.sheet == sheet) {
        parents.insert(row.key.clone(), parent_of(&row.values));
    }
    for row in planned.iter_mut().filter(|p| p.sheet == sheet) {
        if !row.changed[parent_col] {
            continue;
        }
        let mut path = vec![row.report.number.clone().unwrap_or_default()];
        let mut seen = BTreeSet::new();
        let mut at = parents.get(&row.key).cloned().flatten();
        while let Some(key) = at {
            if key == row.key {
                path.push(path[0].clone());
                row.report.errors.push(file.error(
                    row.line,
                    parent_col,
                    format!("this parent closes a circle: {}", path.join(" → ")),
                ));
                break;
            }
            if !seen.insert(key.clone()) {
                break;
            }
            path.push(key.rsplit('\u{1f}').next().unwrap_or_default().to_owned());
            at = parents.get(&key).cloned().flatten();
        }
    }
}
