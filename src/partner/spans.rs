//! Finding a record in a partner file's text, to point at it when a check
//! fails after parsing (a duplicate id, an unknown certification). Read
//! only then, from the same text: TOML with its spans, JSON with borrowed
//! raw values, whose place in the text is their offset.

use std::collections::HashMap;
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
    /// The `index`th record of a top-level list (`opportunities`, `revenue`,
    /// `fee_payments`, `validations`, `references`, `csat_responses`).
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
struct JsonPartner<'a> {
    #[serde(borrow)]
    tier: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct JsonPerson<'a> {
    #[serde(borrow, default)]
    certifications: Vec<&'a RawValue>,
}

/// The records an error or a warning can name: the partner table as `P`,
/// each person as `Q`, and each record of a top-level list as `T` (a TOML
/// span, a JSON raw value). Not flattened: spans and raw values are only
/// kept when read directly.
#[derive(Deserialize)]
#[serde(bound(deserialize = "P: Deserialize<'de>, Q: Deserialize<'de>, T: Deserialize<'de>"))]
struct Records<P, Q, T> {
    partner: Option<P>,
    #[serde(default = "Vec::new")]
    people: Vec<Q>,
    #[serde(default = "Vec::new")]
    opportunities: Vec<T>,
    #[serde(default = "Vec::new")]
    revenue: Vec<T>,
    #[serde(default = "Vec::new")]
    fee_payments: Vec<T>,
    #[serde(default = "Vec::new")]
    validations: Vec<T>,
    #[serde(default = "Vec::new")]
    references: Vec<T>,
    #[serde(default = "Vec::new")]
    csat_responses: Vec<T>,
    #[serde(default = "Vec::new")]
    requirement_evidence: Vec<T>,
}

type TomlRecords = Records<TomlPartner, Spanned<TomlPerson>, Spanned<IgnoredAny>>;

type JsonRecords<'a> = Records<&'a RawValue, &'a RawValue, &'a RawValue>;

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
        Format::Toml => match super::toml_pieces::Pieces::split(text) {
            Some(pieces) => toml_spans_in_pieces(text, &pieces, records),
            None => match toml::from_str::<TomlRecords>(text) {
                Ok(parsed) => records
                    .iter()
                    .map(|&record| toml_span(&parsed, record))
                    .collect(),
                Err(_) => vec![None; records.len()],
            },
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

impl<P, Q, T> Records<P, Q, T> {
    /// The top-level list named `name`.
    fn named(&self, name: &str) -> &[T] {
        match name {
            "opportunities" => &self.opportunities,
            "revenue" => &self.revenue,
            "validations" => &self.validations,
            "references" => &self.references,
            "csat_responses" => &self.csat_responses,
            "requirement_evidence" => &self.requirement_evidence,
            _ => &self.fee_payments,
        }
    }
}

fn toml_span(records: &TomlRecords, record: RecordRef) -> Option<Range<usize>> {
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
        RecordRef::Item(list, index) => records.named(list).get(index).map(Spanned::span),
    }
}

/// The spans of `records` in a TOML text read record by record: a record
/// of a top-level list is its piece; a certification is found in its
/// person's piece; the rest is parsed once, only when asked.
fn toml_spans_in_pieces(
    text: &str,
    pieces: &super::toml_pieces::Pieces,
    records: &[RecordRef],
) -> Vec<Option<Range<usize>>> {
    // Each list's records in order.
    let mut lists: HashMap<&str, Vec<&super::toml_pieces::Piece>> = HashMap::new();
    for piece in &pieces.records {
        lists.entry(piece.list).or_default().push(piece);
    }
    let mut rest: Option<Option<TomlRecords>> = None;
    let mut in_rest = |record: RecordRef| {
        let parsed = rest.get_or_insert_with(|| toml::from_str::<TomlRecords>(&pieces.rest).ok());
        let span = toml_span(parsed.as_ref()?, record)?;
        let start = pieces.in_text(span.start);
        Some(start..start + span.len())
    };
    let mut spans = Vec::with_capacity(records.len());
    for &record in records {
        let (list, index) = match record {
            RecordRef::PartnerTier => {
                spans.push(in_rest(record));
                continue;
            }
            RecordRef::Person(index) | RecordRef::Certification(index, _) => ("people", index),
            RecordRef::Item(list, index) => (list, index),
        };
        let Some(ranges) = lists.get(list) else {
            spans.push(in_rest(record));
            continue;
        };
        let span = ranges.get(index).and_then(|&piece| match record {
            RecordRef::Certification(_, certification) if !piece.parts().is_empty() => piece
                .parts()
                .iter()
                .filter(|part| part.list == "certifications")
                .nth(certification)
                .map(super::toml_pieces::Piece::span),
            RecordRef::Certification(_, certification) => {
                let document = piece.document(text)?;
                let parsed = toml::from_str::<TomlRecords>(&document.text).ok()?;
                let span = toml_span(&parsed, RecordRef::Certification(0, certification))?;
                Some(document.in_text(span.start)..document.in_text(span.start) + span.len())
            }
            _ => Some(piece.range.clone()),
        });
        spans.push(span);
    }
    spans
}

/// The offset of a raw value borrowed from `text`.
fn offset(text: &str, raw: &RawValue) -> Range<usize> {
    let start = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    start..start + raw.get().len()
}

fn json_span(text: &str, records: &JsonRecords, record: RecordRef) -> Option<Range<usize>> {
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
        RecordRef::Item(list, index) => records.named(list).get(index).map(|raw| offset(text, raw)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read record by record, every record is found on the line a reading
    /// of the whole document finds it on.
    #[test]
    fn records_read_alone_are_found_where_the_whole_document_has_them() {
        let text = "# top\n[partner]\nname = \"P\"\ntier = \"select\"\n\n[[people]]\nemail = \"a@p\"\n  [[people.certifications]]\n  cert = \"x\"\n  [[people.certifications]]\n  cert = \"y\"\n\n[[opportunities]]\nid = \"O-1\"\n[[csat_responses]]\ncustomer = \"c\"\n[[people]]\nemail = \"b@p\"\n  [[people.certifications]]\n  cert = \"z\"\n[business_plan]\nsigned = 1\n[[csat_responses]]\ncustomer = \"d\"\n";
        let records = [
            RecordRef::PartnerTier,
            RecordRef::Person(0),
            RecordRef::Person(1),
            RecordRef::Certification(0, 1),
            RecordRef::Certification(1, 0),
            RecordRef::Item("opportunities", 0),
            RecordRef::Item("csat_responses", 0),
            RecordRef::Item("csat_responses", 1),
            RecordRef::Item("csat_responses", 2),
            RecordRef::Item("revenue", 0),
        ];
        let line = |offset: usize| text[..offset].matches('\n').count() + 1;
        let whole: TomlRecords = toml::from_str(text).unwrap_or_else(|error| panic!("{error}"));
        let pieces =
            crate::partner::toml_pieces::Pieces::split(text).unwrap_or_else(|| panic!("cut"));
        let found = toml_spans_in_pieces(text, &pieces, &records);
        for (record, span) in records.iter().zip(found) {
            let expected = toml_span(&whole, *record).map(|span| line(span.start));
            assert_eq!(span.map(|span| line(span.start)), expected, "{record:?}");
        }
        assert_eq!(line(pieces.records[0].range.start), 6);
    }
}
