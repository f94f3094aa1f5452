//! Finding a record in a partner file's text, to point at it when a check
//! fails after parsing (a duplicate id, an unknown certification). Read
//! only then, from the same text: TOML with its spans, JSON with borrowed
//! raw values, whose place in the text is their offset.

use std::ops::Range;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use toml::Spanned;

use super::Format;

/// A record of the partner file, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RecordRef {
    /// The partner table's `tier`.
    PartnerTier,
    /// The `index`th person.
    Person(usize),
    /// A person's certification.
    Certification(usize, usize),
    /// The `index`th opportunity.
    Opportunity(usize),
    /// The `index`th revenue line.
    RevenueLine(usize),
    /// The `index`th validation.
    Validation(usize),
    /// The `index`th reference.
    Reference(usize),
    /// A top-level list.
    List(&'static str),
    /// The `index`th record of a top-level list.
    Item(&'static str, usize),
}

#[derive(Deserialize)]
struct TomlPartner {
    tier: Option<Spanned<IgnoredAny>>,
}

#[derive(Deserialize)]
struct TomlPerson {
    #[serde(default)]
    certifications: Vec<Spanned<IgnoredAny>>,
}

#[derive(Deserialize)]
struct TomlRecords {
    partner: Option<TomlPartner>,
    #[serde(default)]
    people: Vec<Spanned<TomlPerson>>,
    #[serde(default)]
    opportunities: Vec<Spanned<IgnoredAny>>,
    #[serde(default)]
    revenue: Vec<Spanned<IgnoredAny>>,
    #[serde(default)]
    fee_payments: Vec<Spanned<IgnoredAny>>,
    #[serde(default)]
    validations: Vec<Spanned<IgnoredAny>>,
    #[serde(default)]
    references: Vec<Spanned<IgnoredAny>>,
    #[serde(default)]
    csat_responses: Vec<Spanned<IgnoredAny>>,
}

#[derive(Deserialize)]
struct JsonPartner<'a> {
    #[serde(borrow)]
    tier: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct JsonPerson<'a> {
    #[serde(borrow, default)]
    certifications: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct JsonRecords<'a> {
    #[serde(borrow)]
    partner: Option<&'a RawValue>,
    #[serde(borrow, default)]
    people: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    opportunities: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    revenue: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    fee_payments: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    validations: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    references: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    csat_responses: Vec<&'a RawValue>,
}

/// The byte range of `record` in `text`, if it can be found.
pub(super) fn span_of(text: &str, format: Format, record: RecordRef) -> Option<Range<usize>> {
    spans_of(text, format, &[record]).pop().flatten()
}

/// The byte range of each of `records` in `text`, where it can be found;
/// the text is parsed once for all of them.
pub(super) fn spans_of(
    text: &str,
    format: Format,
    records: &[RecordRef],
) -> Vec<Option<Range<usize>>> {
    match format {
        Format::Toml => match toml::from_str::<TomlRecords>(text) {
            Ok(parsed) => records
                .iter()
                .map(|&record| toml_span(&parsed, record))
                .collect(),
            Err(_) => vec![None; records.len()],
        },
        Format::Json => match serde_json::from_str::<JsonRecords>(text) {
            Ok(parsed) => records
                .iter()
                .map(|&record| json_span(text, &parsed, record))
                .collect(),
            Err(_) => vec![None; records.len()],
        },
    }
}

fn toml_span(records: &TomlRecords, record: RecordRef) -> Option<Range<usize>> {
    let first = |list: &[Spanned<IgnoredAny>]| list.first().map(Spanned::span);
    match record {
        RecordRef::PartnerTier => records.partner.as_ref()?.tier.as_ref().map(Spanned::span),
        RecordRef::Person(index) => records.people.get(index).map(Spanned::span),
        RecordRef::Certification(person, index) => records
            .people
            .get(person)?
            .get_ref()
            .certifications
            .get(index)
            .map(Spanned::span),
        RecordRef::Opportunity(index) => records.opportunities.get(index).map(Spanned::span),
        RecordRef::RevenueLine(index) => records.revenue.get(index).map(Spanned::span),
        RecordRef::Validation(index) => records.validations.get(index).map(Spanned::span),
        RecordRef::Reference(index) => records.references.get(index).map(Spanned::span),
        RecordRef::List("opportunities") => first(&records.opportunities),
        RecordRef::List("revenue") => first(&records.revenue),
        RecordRef::List(_) => first(&records.fee_payments),
        RecordRef::Item(list, index) => {
            let list = match list {
                "fee_payments" => &records.fee_payments,
                "references" => &records.references,
                "csat_responses" => &records.csat_responses,
                "validations" => &records.validations,
                "revenue" => &records.revenue,
                _ => &records.opportunities,
            };
            list.get(index).map(Spanned::span)
        }
    }
}

/// The offset of a raw value borrowed from `text`.
fn offset(text: &str, raw: &RawValue) -> Range<usize> {
    let start = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    start..start + raw.get().len()
}

fn json_span(text: &str, records: &JsonRecords, record: RecordRef) -> Option<Range<usize>> {
    let first = |list: &[&RawValue]| list.first().map(|raw| offset(text, raw));
    match record {
        RecordRef::PartnerTier => {
            let partner: JsonPartner = serde_json::from_str(records.partner?.get()).ok()?;
            partner.tier.map(|tier| offset(text, tier))
        }
        RecordRef::Person(index) => records.people.get(index).map(|raw| offset(text, raw)),
        RecordRef::Certification(person, index) => {
            let person: JsonPerson =
                serde_json::from_str(records.people.get(person)?.get()).ok()?;
            person
                .certifications
                .get(index)
                .map(|raw| offset(text, raw))
        }
        RecordRef::Opportunity(index) => records
            .opportunities
            .get(index)
            .map(|raw| offset(text, raw)),
        RecordRef::RevenueLine(index) => records.revenue.get(index).map(|raw| offset(text, raw)),
        RecordRef::Validation(index) => records.validations.get(index).map(|raw| offset(text, raw)),
        RecordRef::Reference(index) => records.references.get(index).map(|raw| offset(text, raw)),
        RecordRef::List("opportunities") => first(&records.opportunities),
        RecordRef::List("revenue") => first(&records.revenue),
        RecordRef::List(_) => first(&records.fee_payments),
        RecordRef::Item(list, index) => {
            let list = match list {
                "fee_payments" => &records.fee_payments,
                "references" => &records.references,
                "csat_responses" => &records.csat_responses,
                "validations" => &records.validations,
                "revenue" => &records.revenue,
                _ => &records.opportunities,
            };
            list.get(index).map(|raw| offset(text, raw))
        }
    }
}
