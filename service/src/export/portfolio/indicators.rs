//! The indicator sheets: indicators (each on a goal, a measure or a project), their measured
//! values and their target paths. A row names its indicator's parent in one of four columns
//! (strategy and goal code, measure number, project code), the others empty.

use std::collections::HashMap;

use entity::{indicator, indicator_target, indicator_value};

use super::{
    column::{Col, Kind},
    current::{Existing, day, num, opt, row, text, yes},
    sheet::Sheet,
    sheet::{SheetDef, date, description, shown},
};
use crate::export::labels::Header;

/// The four columns naming an indicator's parent, first on each indicator sheet.
const fn parents() -> [Col; 4] {
    [
        Col::new(
            "Strategie",
            "Strategy",
            "strategy",
            Kind::Ref(Sheet::Strategies, &[]),
        )
        .width(30.0),
        Col::new("Ziel", "Goal", "goal", Kind::Ref(Sheet::Goals, &[0])).width(10.0),
        Col::new(
            "Maßnahme",
            "Measure",
            "measure",
            Kind::Ref(Sheet::Measures, &[]),
        )
        .width(10.0),
        Col::new(
            "Projekt",
            "Project",
            "project",
            Kind::Ref(Sheet::Projects, &[]),
        )
        .width(14.0),
    ]
}

const P: [Col; 4] = parents();

/// The indicator a value or a target belongs to, by name beside its parent.
const fn indicator_ref() -> Col {
    Col::new(
        "Indikator",
        "Indicator",
        "indicator",
        Kind::Ref(Sheet::Indicators, &[0, 1, 2, 3]),
    )
    .required()
    .width(40.0)
}

pub(super) static INDICATORS: SheetDef = SheetDef {
    name: Header::new("Indikatoren", "Indicators"),
    columns: &[
        P[0],
        P[1],
        P[2],
        P[3],
        super::sheet::text("Indikator", "Indicator", "name")
            .required()
            .width(40.0),
        super::sheet::text("Einheit", "Unit", "unit")
            .required()
            .width(10.0),
        Col::new("Ausgangswert", "Baseline", "baseline", Kind::Number),
        date("Ausgangsdatum", "Baseline date", "baselineDate"),
        Col::new("Zielwert", "Target", "target", Kind::Number),
        date("Zieldatum", "Target date", "targetDate"),
        Col::new(
            "Höher ist besser",
            "Higher is better",
            "higherIsBetter",
            Kind::Bool,
        )
        .default("true"),
        shown("Richtung", "Direction", "direction").width(18.0),
        description(),
    ],
    key: &[0, 1, 2, 3, 4],
    fallback: None,
    parent: None,
};

pub(super) static INDICATOR_VALUES: SheetDef = SheetDef {
    name: Header::new("Indikatorwerte", "Indicator values"),
    columns: &[
        P[0],
        P[1],
        P[2],
        P[3],
        indicator_ref(),
        date("Gemessen am", "Measured on", "measuredOn").required(),
        Col::new("Wert", "Value", "value", Kind::Number).required(),
        super::sheet::text("Notiz", "Note", "note").width(30.0),
    ],
    key: &[0, 1, 2, 3, 4, 5],
    fallback: None,
    parent: None,
};

pub(super) static INDICATOR_TARGETS: SheetDef = SheetDef {
    name: Header::new("Indikatorziele", "Indicator targets"),
    columns: &[
        P[0],
        P[1],
        P[2],
        P[3],
        indicator_ref(),
        date("Zieldatum", "Target date", "date").required(),
        Col::new("Zielwert", "Target", "value", Kind::Number).required(),
    ],
    key: &[0, 1, 2, 3, 4, 5],
    fallback: None,
    parent: None,
};

/// The rows of the three indicator sheets. `parent` gives the four parent cells of an
/// indicator (strategy and goal, measure, project).
pub(super) fn rows(
    indicators: &[indicator::Model],
    values: &[indicator_value::Model],
    targets: &[indicator_target::Model],
    parent: impl Fn(&indicator::Model) -> [Option<String>; 4],
) -> [(Sheet, Vec<Existing>); 3] {
    let by_id: HashMap<i32, &indicator::Model> = indicators.iter().map(|i| (i.id, i)).collect();
    // The key of an indicator, as values and targets begin.
    let named = |id: i32| {
        by_id.get(&id).map(|i| {
            let mut cells = parent(i).to_vec();
            cells.push(text(&i.name));
            (cells, i.archived_at.is_some())
        })
    };
    let indicator_rows = indicators
        .iter()
        .map(|i| {
            let mut cells = parent(i).to_vec();
            cells.extend([
                text(&i.name),
                text(&i.unit),
                num(i.baseline),
                day(i.baseline_date),
                num(i.target),
                day(i.target_date),
                yes(i.higher_is_better),
                Some(direction(i.higher_is_better).to_owned()),
                opt(i.description.as_ref()),
            ]);
            row(i.id, i.version, i.archived_at.is_some(), cells)
        })
        .collect();
    let value_rows = values
        .iter()
        .filter_map(|v| {
            let (mut cells, archived) = named(v.indicator_id)?;
            cells.extend([
                day(Some(v.measured_on)),
                num(Some(v.value)),
                opt(v.note.as_ref()),
            ]);
            Some(row(v.id, v.version, archived, cells))
        })
        .collect();
    let target_rows = targets
        .iter()
        .filter_map(|t| {
            let (mut cells, archived) = named(t.indicator_id)?;
            cells.extend([day(Some(t.target_date)), num(Some(t.value))]);
            // Targets carry no version: the import replaces a point, it never races one.
            Some(row(t.id, 0, archived, cells))
        })
        .collect();
    [
        (Sheet::Indicators, indicator_rows),
        (Sheet::IndicatorValues, value_rows),
        (Sheet::IndicatorTargets, target_rows),
    ]
}

/// The direction as the GraphQL enum names it (written for people, not read back: the
/// column `higherIsBetter` carries it).
fn direction(higher_is_better: bool) -> &'static str {
    if higher_is_better {
        "HIGHER_IS_BETTER"
    } else {
        "LOWER_IS_BETTER"
    }
}
