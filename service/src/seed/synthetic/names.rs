//! The words titles are made of: what digital work in a town hall is about, and what is
//! done to it.

/// Topics of goals, measures, projects and applications.
pub(super) const TOPICS: [&str; 20] = [
    "Onlinezugang",
    "E-Akte",
    "Serviceportal",
    "Schulnetz",
    "Geodaten",
    "Open Data",
    "Bürgerkonto",
    "Rechnungseingang",
    "Terminvergabe",
    "Ratsinformation",
    "Fachverfahren",
    "Breitband",
    "Smart City Sensorik",
    "IT-Sicherheit",
    "Personalportal",
    "Digitale Bauakte",
    "Kfz-Zulassung",
    "Wohngeld digital",
    "Kita-Portal",
    "Kommunikationsplattform",
];

/// What a measure or project does to its topic.
pub(super) const ACTIONS: [&str; 10] = [
    "Einführung",
    "Ausbau",
    "Modernisierung",
    "Pilotierung",
    "Konsolidierung",
    "Migration",
    "Rollout",
    "Konzeption",
    "Betrieb",
    "Evaluation",
];
