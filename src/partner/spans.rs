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
        Format::Json => match Wanted::of(records).pick(text) {
            Some(picked) => records
                .iter()
                .map(|&record| json_span(text, &picked, record))
                .collect(),
            None => vec![None; records.len()],
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

fn json_span(text: &str, picked: &Picked, record: RecordRef) -> Option<Range<usize>> {
    match record {
        RecordRef::PartnerTier => {
            let partner: JsonPartner =
                serde_json::from_str(text.get(picked.partner.clone()?)?).ok()?;
            partner.tier.map(|tier| offset(text, tier))
        }
        RecordRef::Person(index) => picked.item("people", index),
        RecordRef::Certification(person, index) => {
            let person: JsonPerson =
                serde_json::from_str(text.get(picked.item("people", person)?)?).ok()?;
            person
                .certifications
                .get(index)
                .map(|raw| offset(text, raw))
        }
        RecordRef::Item(list, index) => picked.item(list, index),
    }
}

/// What a JSON reading keeps: the partner table, and each top-level list's
/// places that a record names.
struct Wanted {
    partner: bool,
    lists: HashMap<&'static str, std::collections::BTreeSet<usize>>,
}

/// The places in the text [`Wanted`] asked for.
struct Picked {
    partner: Option<Range<usize>>,
    items: HashMap<(&'static str, usize), Range<usize>>,
}

impl Picked {
    fn item(&self, list: &'static str, index: usize) -> Option<Range<usize>> {
        self.items.get(&(list, index)).cloned()
    }
}

impl Wanted {
    fn of(records: &[RecordRef]) -> Self {
        let mut wanted = Wanted {
            partner: false,
            lists: HashMap::new(),
        };
        for &record in records {
            let (list, index) = match record {
                RecordRef::PartnerTier => {
                    wanted.partner = true;
                    continue;
                }
                RecordRef::Person(index) | RecordRef::Certification(index, _) => ("people", index),
                RecordRef::Item(list, index) => (list, index),
            };
            wanted.lists.entry(list).or_default().insert(index);
        }
        wanted
    }

    /// Passes over the text once, by its structure alone, keeping only the
    /// places wanted, and stops when it has them all. The text has been
    /// read by serde_json already, so it is well-formed JSON; were it not,
    /// the places are not found (`None`), never wrongly found.
    fn pick(&self, text: &str) -> Option<Picked> {
        let mut picked = Picked {
            partner: None,
            items: HashMap::new(),
        };
        let mut scan = Scan { text, at: 0 };
        let mut lists_left = self.lists.len();
        let mut partner_left = self.partner;
        scan.eat(b'{')?;
        if scan.peek()? == b'}' {
            return Some(picked);
        }
        loop {
            let key = scan.key()?;
            scan.eat(b':')?;
            if key == "partner" && partner_left {
                picked.partner = Some(scan.value()?);
                partner_left = false;
            } else if let Some((&name, indices)) = self.lists.get_key_value(key.as_ref()) {
                if scan.peek()? == b'[' {
                    scan.list(|index, range| {
                        if indices.contains(&index) {
                            picked.items.insert((name, index), range);
                        }
                    })?;
                } else {
                    scan.value()?;
                }
                lists_left = lists_left.saturating_sub(1);
            } else {
                scan.value()?;
            }
            if lists_left == 0 && !partner_left {
                return Some(picked);
            }
            match scan.peek()? {
                b',' => scan.at += 1,
                b'}' => return Some(picked),
                _ => return None,
            }
        }
    }
}

/// The place just past the string whose opening quote is before `at`: its
/// bytes are passed one by one (most are short ids and dates), an escape
/// with the byte it escapes.
fn past_string(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(&byte) = bytes.get(at) {
        at += 1;
        match byte {
            b'\\' => at += 1,
            b'"' => return Some(at),
            _ => {}
        }
    }
    None
}

/// A cursor over well-formed JSON text that passes over values by their
/// brackets and quotes, without reading them.
struct Scan<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
    fn bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// The next byte after white space, not taken.
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes().get(self.at) {
            self.at += 1;
        }
        self.bytes().get(self.at).copied()
    }

    /// Takes `byte`, after white space.
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Passes a string; its range, quotes included.
    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.at;
        self.eat(b'"')?;
        self.at = past_string(self.bytes(), self.at)?;
        Some(start..self.at)
    }

    /// An object's key, its escapes read.
    fn key(&mut self) -> Option<std::borrow::Cow<'a, str>> {
        self.peek()?;
        let range = self.string()?;
        let text: &'a str = self.text;
        let quoted = text.get(range)?;
        if quoted.contains('\\') {
            serde_json::from_str::<String>(quoted).ok().map(Into::into)
        } else {
            quoted.get(1..quoted.len() - 1).map(Into::into)
        }
    }

    /// Passes one value; its range.
    fn value(&mut self) -> Option<Range<usize>> {
        let start = match self.peek()? {
            b'"' => return self.string(),
            b'{' | b'[' => self.at,
            _ => {
                let start = self.at;
                while let Some(&byte) = self.bytes().get(self.at) {
                    if matches!(byte, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.at += 1;
                }
                return (self.at > start).then_some(start..self.at);
            }
        };
        // Only the opening bracket's own kind is counted: the other kind
        // nests inside it.
        let (open, close) = match self.bytes().get(start)? {
            b'{' => (b'{', b'}'),
            _ => (b'[', b']'),
        };
        let bytes = self.text.as_bytes();
        let mut at = start;
        let mut depth = 0_usize;
        while let Some(&byte) = bytes.get(at) {
            at += 1;
            if byte == b'"' {
                at = past_string(bytes, at)?;
            } else if byte == open {
                depth += 1;
            } else if byte == close {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    self.at = at;
                    return Some(start..at);
                }
            }
        }
        None
    }

    /// Passes a list, telling `each` every item's place and range.
    fn list(&mut self, mut each: impl FnMut(usize, Range<usize>)) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.at += 1;
            return Some(());
        }
        let mut index = 0;
        loop {
            each(index, self.value()?);
            index += 1;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
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

#[cfg(test)]
mod json_tests {
    use super::*;

    /// In JSON each record is found at its own text, whatever else the file
    /// holds around it (a nested list of the same name, a string holding
    /// the list's name), and a place past a list's end is not found.
    #[test]
    fn json_records_are_found_at_their_text() {
        let text = r#"{"_comment": "\"opportunities\": [",
 "people": [{"email": "a@p", "certifications": [{"cert": "x"}, {"cert": "y"}]},
            {"email": "b@p", "opportunities": [{"id": "nested"}]}],
 "partner": {"name": "P", "tier": "select"},
 "opportunities": [{"id": "O-1"}, {"id": "O-2", "note": "]}"}, {"id": "O-3"}],
 "csat_responses": [{"customer": "c"}]}"#;
        let cases = [
            (RecordRef::PartnerTier, Some("\"select\"")),
            (RecordRef::Person(1), Some("{\"email\": \"b@p\"")),
            (RecordRef::Certification(0, 1), Some("{\"cert\": \"y\"}")),
            (
                RecordRef::Item("opportunities", 2),
                Some("{\"id\": \"O-3\"}"),
            ),
            (
                RecordRef::Item("opportunities", 1),
                Some("{\"id\": \"O-2\""),
            ),
            (RecordRef::Item("opportunities", 3), None),
            (
                RecordRef::Item("csat_responses", 0),
                Some("{\"customer\": \"c\"}"),
            ),
            (RecordRef::Item("revenue", 0), None),
        ];
        let records: Vec<RecordRef> = cases.iter().map(|(record, _)| *record).collect();
        let spans = spans_of(text, Format::Json, &records);
        for ((record, expected), span) in cases.iter().zip(spans) {
            let found = span.map(|span| &text[span]);
            match expected {
                Some(expected) => assert!(
                    found.is_some_and(|found| found.starts_with(expected)),
                    "{record:?}: {found:?}"
                ),
                None => assert_eq!(found, None, "{record:?}"),
            }
        }
    }

    /// The structural pass finds each item of each top-level list at the
    /// range serde_json's own raw values have, whatever the items hold
    /// (escaped quotes, backslashes, brackets in strings, nesting, any
    /// spacing), and a key written with escapes is read as its name.
    mod scan {
        use super::*;
        use proptest::prelude::*;
        use serde_json::{Value, json};

        fn any_value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(|n| json!(n)),
                (-1e9_f64..1e9).prop_map(|f| json!(f)),
                "[\\\\\"\\[\\]{}, a-z\\u{e9}\\n]{0,8}".prop_map(Value::String),
            ];
            leaf.prop_recursive(3, 24, 4, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                    prop::collection::btree_map("[a-z\\\\\"]{1,4}", inner, 0..4)
                        .prop_map(|map| Value::Object(map.into_iter().collect())),
                ]
            })
        }

        proptest! {
            #[test]
            fn items_are_found_where_serde_json_finds_them(
                opportunities in prop::collection::vec(any_value(), 0..5),
                references in prop::collection::vec(any_value(), 0..5),
                other in any_value(),
                pretty in any::<bool>(),
            ) {
                let document = json!({
                    "other": other,
                    "opportunities": opportunities,
                    "references": references,
                });
                let text = if pretty {
                    serde_json::to_string_pretty(&document)
                } else {
                    serde_json::to_string(&document)
                }
                .unwrap_or_else(|error| panic!("{error}"));
                let text = text.replacen("\"references\"", "\"referenc\\u0065s\"", 1);
                #[derive(serde::Deserialize)]
                struct Lists<'a> {
                    #[serde(borrow)]
                    opportunities: Vec<&'a RawValue>,
                    #[serde(borrow)]
                    references: Vec<&'a RawValue>,
                }
                let lists: Lists = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}"));
                let mut records = Vec::new();
                let mut expected = Vec::new();
                for (name, items) in [("opportunities", &lists.opportunities), ("references", &lists.references)] {
                    for (index, raw) in items.iter().enumerate() {
                        records.push(RecordRef::Item(name, index));
                        expected.push(Some(offset(&text, raw)));
                    }
                    records.push(RecordRef::Item(name, items.len()));
                    expected.push(None);
                }
                prop_assert_eq!(spans_of(&text, Format::Json, &records), expected, "{}", text);
            }
        }
    }

    /// The lines of records named in any order, some twice, are those a
    /// count of line breaks before each gives, in TOML and JSON alike.
    #[test]
    fn lines_of_records_in_any_order() {
        let json = "{\n\"partner\": {\"name\": \"P\"},\n\"opportunities\": [\n{\"id\": \"O-1\"},\n\n{\"id\": \"O-2\"}\n],\n\"references\": [{\"customer\": \"a\"},\n{\"customer\": \"b\"}]\n}";
        let toml = "[partner]\nname = \"P\"\n[[opportunities]]\nid = \"O-1\"\n\n[[opportunities]]\nid = \"O-2\"\n[[references]]\ncustomer = \"a\"\n[[references]]\ncustomer = \"b\"\n";
        let records = [
            ("references", 1),
            ("opportunities", 0),
            ("references", 1),
            ("opportunities", 1),
            ("opportunities", 7),
            ("references", 0),
        ];
        assert_eq!(
            crate::partner::lines_of_records(json, Format::Json, &records),
            [Some(9), Some(4), Some(9), Some(6), None, Some(8)]
        );
        assert_eq!(
            crate::partner::lines_of_records(toml, Format::Toml, &records),
            [Some(10), Some(3), Some(10), Some(6), None, Some(8)]
        );
    }
}
