//! Typing a table's text cells by the column registry ([`lantu_engine::registry`]).

pub use lantu_engine::registry::{column_label, column_type, ColumnLabel};

/// A table's text cells typed by their column codes (empty cells become nulls).
pub fn typed_row(header: &[String], row: Vec<String>) -> Vec<crate::Value> {
    use crate::{ColumnType, Value};
    row.into_iter()
        .zip(header)
        .map(|(cell, h)| match (cell.is_empty(), column_type(h)) {
            (true, _) => Value::Null,
            (false, ColumnType::Text) => Value::Text(cell),
            (false, ColumnType::Int) => cell.parse().map_or(Value::Text(cell), Value::Int),
            (false, ColumnType::Real) => cell.parse().map_or(Value::Text(cell), Value::Real),
        })
        .collect()
}
