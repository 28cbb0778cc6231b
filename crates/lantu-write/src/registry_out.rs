//! `registry.json`: the output registry of one run (its layers and every field, with this
//! run's kinds), for the QGIS plugin and any other reader of the folder.

use crate::{LayerData, Result, WriteError};
use lantu_core::registry::{column_label, column_short, column_type, ColumnType, LAYERS};
use lantu_core::{Kinds, Lang};
use serde_json::{json, Map, Value};
use std::path::Path;

/// The registry of the layers written, as JSON: `layers` (top to bottom, each with its
/// titles, first visibility and fields) and `columns` (each field's labels, meaning and
/// type), then the gap classes' colours and labels.
pub fn registry_json(layers: &[LayerData], kinds: &Kinds) -> Value {
    let mut columns = Map::new();
    let mut listed = Vec::new();
    for entry in LAYERS {
        let Some(layer) = layers.iter().find(|l| l.name == entry.code) else { continue };
        let fields: Vec<&str> = layer.columns.iter().map(|(c, _)| c.as_str()).collect();
        for f in &fields {
            columns.entry(f.to_string()).or_insert_with(|| {
                let (l, s) = (column_label(f, kinds), column_short(f, kinds));
                json!({
                    "zh": l.zh, "en": l.en, "short_zh": s.zh, "short_en": s.en,
                    "about_zh": l.about_zh, "about_en": l.about_en,
                    "type": match column_type(f) { ColumnType::Text => "text", ColumnType::Int => "integer", ColumnType::Real => "real" },
                })
            });
        }
        listed.push(json!({
            "code": entry.code, "zh": entry.zh, "en": entry.en, "visible": entry.visible, "fields": fields,
        }));
    }
    let gap_classes: Vec<Value> = lantu_engine::style::GAP_CLASSES
        .iter()
        .enumerate()
        .map(|(i, (_, (r, g, b)))| {
            json!({
                "class": i,
                "colour": format!("#{r:02x}{g:02x}{b:02x}"),
                "zh": lantu_engine::style::gap_class_label(i, Lang::Zh),
                "en": lantu_engine::style::gap_class_label(i, Lang::En),
            })
        })
        .collect();
    json!({ "layers": listed, "columns": columns, "gap_classes": gap_classes })
}

/// Writes `registry.json` into `dir`.
pub fn write_registry(dir: &Path, layers: &[LayerData], kinds: &Kinds) -> Result<()> {
    let path = dir.join("registry.json");
    let text = serde_json::to_string_pretty(&registry_json(layers, kinds)).expect("JSON of strings and numbers");
    std::fs::write(&path, text + "\n").map_err(|e| WriteError::Write { path, source: e.into() })
}
