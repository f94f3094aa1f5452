//! Writing the imported opportunities into a partner file's text, keeping
//! everything else as it was: a TOML file through `toml_edit` (comments,
//! order and formatting kept; a changed value keeps its trailing comment),
//! a JSON file by replacing only the opportunity objects that change and
//! adding the new ones after the last.

use chrono::NaiveDate;
use serde_json::value::RawValue;

use crate::money::Cents;
use crate::partner::{LaunchedOnSource, Opportunity, Origin, Stage};

/// An opportunity's fields as a partner file writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// `id`.
    pub id: String,
    /// `customer`.
    pub customer: Option<String>,
    /// `stage`.
    pub stage: Stage,
    /// `launched_on`.
    pub launched_on: Option<NaiveDate>,
    /// `launched_on_source`.
    pub launched_on_source: Option<LaunchedOnSource>,
    /// `mrr_usd`.
    pub mrr_usd: Cents,
    /// `origin`.
    pub origin: Origin,
}

/// One field's value, typed as a file writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A string.
    Text(String),
    /// A date.
    Date(NaiveDate),
    /// An amount of USD.
    Money(Cents),
}

impl std::fmt::Display for Value {
    fn fmt(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Value::Text(text) => write!(formatter, "{text}"),
            Value::Date(day) => write!(formatter, "{day}"),
            Value::Money(cents) => write!(formatter, "{cents}"),
        }
    }
}

impl Value {
    /// The amount as a file writes it: dollars with two decimals.
    fn money_literal(cents: Cents) -> String {
        format!("{}.{:02}", cents.0 / 100, cents.0 % 100)
    }
}

impl Fields {
    /// The fields of an opportunity as loaded.
    pub fn of(opportunity: &Opportunity) -> Fields {
        Fields {
            id: opportunity.id.to_string(),
            customer: opportunity.customer.as_ref().map(ToString::to_string),
            stage: opportunity.stage,
            launched_on: opportunity.launched_on,
            launched_on_source: opportunity.launched_on_source,
            mrr_usd: opportunity.mrr_usd,
            origin: opportunity.origin,
        }
    }

    /// Each field by its name in the file, in the order a new record is
    /// written; `None` for an absent optional field.
    pub fn named(&self) -> [(&'static str, Option<Value>); 7] {
        [
            ("id", Some(Value::Text(self.id.clone()))),
            ("customer", self.customer.clone().map(Value::Text)),
            ("stage", Some(Value::Text(self.stage.as_str().to_owned()))),
            ("launched_on", self.launched_on.map(Value::Date)),
            (
                "launched_on_source",
                self.launched_on_source
                    .map(|source| Value::Text(source.as_str().to_owned())),
            ),
            ("mrr_usd", Some(Value::Money(self.mrr_usd))),
            ("origin", Some(Value::Text(self.origin.as_str().to_owned()))),
        ]
    }
}

/// A field that changes, by name, with its value before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The field's name in the file.
    pub field: &'static str,
    /// Its value before (`None`: absent).
    pub before: Option<Value>,
    /// Its value after (`None`: removed).
    pub after: Option<Value>,
}

/// The fields that differ between `before` and `after`.
pub fn differences(before: &Fields, after: &Fields) -> Vec<FieldChange> {
    before
        .named()
        .into_iter()
        .zip(after.named())
        .filter(|((_, old), (_, new))| old != new)
        .map(|((field, before), (_, after))| FieldChange {
            field,
            before,
            after,
        })
        .collect()
}

/// What to write: for each changed record, its index in the file's list
/// and its changes; then the new records.
pub struct Edits<'a> {
    /// `(index in the file's opportunities, the new fields, what changes)`.
    pub updated: Vec<(usize, &'a Fields, &'a [FieldChange])>,
    /// Records to add after the last.
    pub added: Vec<&'a Fields>,
}

/// The TOML text with the edits made, or why the file's opportunities
/// cannot be edited.
pub fn toml(text: &str, edits: &Edits<'_>) -> Result<String, String> {
    use toml_edit::{DocumentMut, Item, Table};
    let mut document: DocumentMut = text.parse().map_err(|error: toml_edit::TomlError| {
        format!("cannot edit the file: {}", error.message())
    })?;
    if document.get("opportunities").is_none() {
        document.insert("opportunities", Item::ArrayOfTables(Default::default()));
    }
    match document.get_mut("opportunities") {
        Some(Item::ArrayOfTables(tables)) => {
            for (index, _, changes) in &edits.updated {
                let Some(table) = tables.get_mut(*index) else {
                    return Err(format!("the file has no opportunity number {}", index + 1));
                };
                apply_toml(table, changes);
            }
            let position = tables.iter().filter_map(Table::position).max();
            for fields in &edits.added {
                let mut table = Table::new();
                for (field, value) in fields.named() {
                    if let Some(value) = value {
                        table.insert(field, Item::Value(toml_value(&value, None)));
                    }
                }
                if let Some(position) = position {
                    table.set_position(Some(position));
                }
                tables.push(table);
            }
            Ok(document.to_string())
        }
        Some(Item::Value(toml_edit::Value::Array(array))) => {
            for (index, _, changes) in &edits.updated {
                let Some(toml_edit::Value::InlineTable(table)) = array.get_mut(*index) else {
                    return Err(format!("the file has no opportunity table number {}", index + 1));
                };
                for change in *changes {
                    set_inline(table, change);
                }
            }
            // New tables start a line as the first one does (when it does).
            let prefix = array
                .get(0)
                .and_then(|first| first.decor().prefix())
                .and_then(|prefix| prefix.as_str())
                .filter(|prefix| prefix.contains('\n'))
                .map(ToOwned::to_owned);
            for fields in &edits.added {
                let mut table = toml_edit::InlineTable::new();
                for (field, value) in fields.named() {
                    if let Some(value) = value {
                        table.insert(field, toml_value(&value, None));
                    }
                }
                let mut value = toml_edit::Value::InlineTable(table);
                if let Some(prefix) = &prefix {
                    value.decor_mut().set_prefix(prefix.as_str());
                }
                array.push_formatted(value);
            }
            Ok(document.to_string())
        }
        _ => Err("`opportunities` is neither a list of `[[opportunities]]` tables nor an array of inline tables".to_owned()),
    }
}

/// Makes `changes` in a `[[opportunities]]` table; a changed value keeps
/// its comment and a date keeps its style (TOML date or string).
fn apply_toml(table: &mut toml_edit::Table, changes: &[FieldChange]) {
    use toml_edit::Item;
    for change in changes {
        match &change.after {
            None => {
                table.remove(change.field);
            }
            Some(value) => match table.get_mut(change.field) {
                Some(Item::Value(old)) => {
                    let decor = old.decor().clone();
                    *old = toml_value(value, Some(old));
                    *old.decor_mut() = decor;
                }
                _ => {
                    table.insert(change.field, Item::Value(toml_value(value, None)));
                }
            },
        }
    }
}

/// Makes one change in an inline opportunity table.
fn set_inline(table: &mut toml_edit::InlineTable, change: &FieldChange) {
    match &change.after {
        None => {
            table.remove(change.field);
        }
        Some(value) => match table.get_mut(change.field) {
            Some(old) => {
                let decor = old.decor().clone();
                *old = toml_value(value, Some(old));
                *old.decor_mut() = decor;
            }
            None => {
                table.insert(change.field, toml_value(value, None));
            }
        },
    }
}

/// A TOML value; a date is written as a string when the value it
/// replaces was one.
fn toml_value(value: &Value, replacing: Option<&toml_edit::Value>) -> toml_edit::Value {
    match value {
        Value::Text(text) => text.as_str().into(),
        Value::Date(day) => {
            if matches!(replacing, Some(toml_edit::Value::String(_))) {
                day.to_string().into()
            } else {
                toml_edit::Value::Datetime(toml_edit::Formatted::new(toml_edit::Datetime {
                    date: Some(toml_edit::Date {
                        year: u16::try_from(chrono::Datelike::year(day)).unwrap_or(0),
                        month: chrono::Datelike::month(day) as u8,
                        day: chrono::Datelike::day(day) as u8,
                    }),
                    time: None,
                    offset: None,
                }))
            }
        }
        // `12500.00` is a float literal TOML reads back as written.
        Value::Money(cents) => Value::money_literal(*cents)
            .parse()
            .unwrap_or_else(|_| toml_edit::Value::from(cents.as_dollars())),
    }
}

/// The JSON text of one opportunity object, its lines indented by `indent`
/// after the first.
fn json_object(fields: &Fields, indent: &str) -> String {
    let members: Vec<String> = fields
        .named()
        .into_iter()
        .filter_map(|(field, value)| {
            let value = value?;
            let written = match &value {
                Value::Text(text) => serde_json::Value::from(text.as_str()).to_string(),
                Value::Date(day) => format!("\"{day}\""),
                Value::Money(cents) => Value::money_literal(*cents),
            };
            Some(format!("{indent}  \"{field}\": {written}"))
        })
        .collect();
    format!("{{\n{}\n{indent}}}", members.join(",\n"))
}

/// The top-level members of a partner file the JSON edit needs.
#[derive(serde::Deserialize)]
struct Top<'a> {
    #[serde(borrow, default)]
    opportunities: Option<&'a RawValue>,
}

/// Where `part` (a slice of `text`) starts in `text`.
fn offset_in(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(text.as_ptr() as usize)
        .min(text.len())
}

/// The spaces before `at` on its line (its indentation).
fn indentation(text: &str, at: usize) -> String {
    text[crate::error::line_start(text, at)..at]
        .chars()
        .take_while(|character| *character == ' ' || *character == '\t')
        .collect()
}

/// The JSON text with the edits made: changed objects rewritten whole (in
/// the order a new record is written), new ones added after the last, and
/// every other byte as it was.
pub fn json(text: &str, edits: &Edits<'_>) -> Result<String, String> {
    let top: Top =
        serde_json::from_str(text).map_err(|error| format!("cannot edit the file: {error}"))?;
    let mut splices: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    match top.opportunities {
        Some(list) => {
            let items: Vec<&RawValue> = serde_json::from_str::<Option<Vec<&RawValue>>>(list.get())
                .map_err(|_| "`opportunities` is not a list".to_owned())?
                .unwrap_or_default();
            let list_start = offset_in(text, list.get());
            for (index, fields, _) in &edits.updated {
                let Some(item) = items.get(*index) else {
                    return Err(format!("the file has no opportunity number {}", index + 1));
                };
                let start = offset_in(text, item.get());
                let indent = indentation(text, start);
                splices.push((
                    start..start + item.get().len(),
                    json_object(fields, &indent),
                ));
            }
            if !edits.added.is_empty() {
                match items.last() {
                    Some(last) => {
                        let start = offset_in(text, last.get());
                        let indent = indentation(text, start);
                        let end = start + last.get().len();
                        let added: String = edits
                            .added
                            .iter()
                            .map(|fields| format!(",\n{indent}{}", json_object(fields, &indent)))
                            .collect();
                        splices.push((end..end, added));
                    }
                    None => {
                        let indent = indentation(text, list_start);
                        let inner = format!("{indent}    ");
                        let added: Vec<String> = edits
                            .added
                            .iter()
                            .map(|fields| format!("{inner}{}", json_object(fields, &inner)))
                            .collect();
                        splices.push((
                            list_start..list_start + list.get().len(),
                            format!("[\n{}\n{indent}  ]", added.join(",\n")),
                        ));
                    }
                }
            }
        }
        None if !edits.added.is_empty() => {
            let close = text.rfind('}').ok_or("the file is not a JSON object")?;
            let last = text[..close].trim_end();
            let end = last.len();
            let separator = if last.ends_with('{') { "" } else { "," };
            let added: Vec<String> = edits
                .added
                .iter()
                .map(|fields| format!("    {}", json_object(fields, "    ")))
                .collect();
            splices.push((
                end..end,
                format!(
                    "{separator}\n  \"opportunities\": [\n{}\n  ]",
                    added.join(",\n")
                ),
            ));
        }
        None => {}
    }
    splices.sort_by_key(|(range, _)| range.start);
    let mut edited = String::with_capacity(text.len() + 256);
    let mut at = 0;
    for (range, replacement) in splices {
        edited.push_str(&text[at..range.start]);
        edited.push_str(&replacement);
        at = range.end;
    }
    edited.push_str(&text[at..]);
    Ok(edited)
}
