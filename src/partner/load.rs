//! Reading a partner file: the top-level tables as written, then the checks
//! that need the whole file or the rule set (unique people and
//! opportunities, known certifications, a tier the track has, sums that fit).

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use super::OpportunityIndex;
use super::spans::{RecordRef, span_of};
use super::{
    Accreditation, BusinessPlan, CsatResponse, ExecutiveBusinessReview, FeePayment, Format,
    HeldCertification, LegacySubmission, Partner, PartnerInfo, Person, Product, RevenueLine,
    normalize_domain, normalize_email, yes,
};
use crate::calendar::{deserialize_date, deserialize_optional_date};
use crate::deserialize::{from_json, from_toml};
use crate::error::{
    Excerpt, LoadError, Location, PartnerProblem, json_error_span, json_message, toml_error_parts,
};
use crate::money::Cents;
use crate::program::Program;

/// A partner file as written; `P` is the partner table, optional only in a
/// record read alone (see `toml_pieces`).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a partner file")]
#[schemars(rename = "RawPartnerFile")]
struct RawPartnerFile<P = PartnerInfo> {
    /// JSON has no comments: a top-level `_comment` string is accepted and ignored.
    #[serde(default, rename = "_comment")]
    _comment: Option<String>,
    /// An editor's JSON Schema reference (`apn-check schema`), accepted and ignored.
    #[serde(default, rename = "$schema")]
    _schema: Option<String>,
    partner: P,
    #[serde(default)]
    fee_payments: Vec<FeePayment>,
    #[serde(default)]
    people: Vec<RawPerson>,
    #[serde(default)]
    opportunities: Vec<super::Opportunity>,
    #[serde(default)]
    legacy_account_submissions: Vec<LegacySubmission>,
    #[serde(default)]
    revenue: Vec<RevenueLine>,
    #[serde(default)]
    products: Vec<Product>,
    business_plan: Option<BusinessPlan>,
    #[serde(default)]
    validations: Vec<super::RawValidation>,
    #[serde(default)]
    executive_business_reviews: Vec<ExecutiveBusinessReview>,
    #[serde(default)]
    references: Vec<super::RawReference>,
    #[serde(default)]
    csat_responses: Vec<CsatResponse>,
    #[serde(default)]
    requirement_evidence: Vec<super::RequirementEvidence>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a person table")]
struct RawPerson {
    name: Option<String>,
    email: String,
    tc_email: Option<String>,
    #[serde(default = "yes")]
    registered: bool,
    #[serde(default)]
    certifications: Vec<RawCertification>,
    #[serde(default)]
    accreditations: Vec<Accreditation>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a certification table")]
struct RawCertification {
    #[schemars(with = "String")]
    cert: compact_str::CompactString,
    #[serde(deserialize_with = "deserialize_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    earned_on: NaiveDate,
    #[serde(default, deserialize_with = "deserialize_optional_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    expires_on: Option<NaiveDate>,
    account_email: Option<String>,
}

/// Why TOML text could not be read.
enum TomlFailure {
    /// The text is not a partner file: the error, and the offset to add to
    /// its span to find it in the text.
    Parse(toml::de::Error, usize),
    /// The largest document would not fit in the memory free.
    Memory { needed: u64, available: u64 },
}

/// A record read in parts that fails is read again whole, for TOML's own
/// first error, up to this size (its tree, some 40 times this, stays
/// small); a larger one reports its part's error.
const WHOLE_RECORD_LIMIT: usize = 4 << 20;

/// A person's certifications or accreditations, or a revenue line's
/// credits, read apart from their record (see `toml_pieces`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordParts {
    #[serde(default)]
    certifications: Vec<RawCertification>,
    #[serde(default)]
    accreditations: Vec<Accreditation>,
    #[serde(default)]
    credits: Vec<super::Credit>,
}

/// Parses one piece of a TOML text; an error is located in `text` (the
/// offset to add to its span).
fn read_piece<T: serde::de::DeserializeOwned>(
    text: &str,
    piece: &super::toml_pieces::Piece,
) -> Result<T, (toml::de::Error, usize)> {
    let Some(document) = piece.document(text) else {
        // A piece is cut from `text` at token boundaries, so it is there;
        // were it not, the whole text is read as TOML reads it.
        return from_toml(text).map_err(|error| (error, 0));
    };
    read_document(&document)
}

/// Parses one document cut from a TOML text; an error is located in the
/// text (the offset to add to its span).
fn read_document<T: serde::de::DeserializeOwned>(
    document: &super::toml_pieces::Document<'_>,
) -> Result<T, (toml::de::Error, usize)> {
    from_toml(&document.text).map_err(|error| {
        let offset = error.span().map_or(0, |span| {
            document.in_text(span.start).saturating_sub(span.start)
        });
        (error, offset)
    })
}

impl RawPartnerFile {
    /// Adds the records of a piece read alone, after those already read.
    fn append(&mut self, piece: RawPartnerFile<Option<PartnerInfo>>) {
        let RawPartnerFile {
            _comment: _,
            _schema: _,
            partner: _,
            fee_payments,
            people,
            opportunities,
            legacy_account_submissions,
            revenue,
            products,
            business_plan: _,
            validations,
            executive_business_reviews,
            references,
            csat_responses,
            requirement_evidence,
        } = piece;
        self.fee_payments.extend(fee_payments);
        self.people.extend(people);
        self.opportunities.extend(opportunities);
        self.legacy_account_submissions
            .extend(legacy_account_submissions);
        self.revenue.extend(revenue);
        self.products.extend(products);
        self.validations.extend(validations);
        self.executive_business_reviews
            .extend(executive_business_reviews);
        self.references.extend(references);
        self.csat_responses.extend(csat_responses);
        self.requirement_evidence.extend(requirement_evidence);
    }

    /// Parses TOML: record by record where the file allows it (see
    /// `toml_pieces`), else whole. An error is located in `text`.
    fn from_toml(
        text: &str,
        available: impl FnOnce() -> Option<u64>,
    ) -> Result<RawPartnerFile, TomlFailure> {
        let pieces = super::toml_pieces::Pieces::split(text);
        // The largest document `toml` is given decides its peak: a file
        // whose tree would not fit is this file's error.
        let largest = pieces
            .as_ref()
            .map_or(text.len(), super::toml_pieces::Pieces::largest_document);
        crate::files::toml_tree_fits_in_memory(largest as u64, available)
            .map_err(|(needed, available)| TomlFailure::Memory { needed, available })?;
        let Some(pieces) = pieces else {
            return from_toml(text).map_err(|error| TomlFailure::Parse(error, 0));
        };
        RawPartnerFile::from_pieces(text, &pieces)
            .map_err(|(error, offset)| TomlFailure::Parse(error, offset))
    }

    /// Parses TOML cut into `pieces`. An error is located in `text`.
    fn from_pieces(
        text: &str,
        pieces: &super::toml_pieces::Pieces,
    ) -> Result<RawPartnerFile, (toml::de::Error, usize)> {
        let mut raw: RawPartnerFile = from_toml(&pieces.rest).map_err(|error| {
            let offset = error.span().map_or(0, |span| {
                pieces.in_text(span.start).saturating_sub(span.start)
            });
            (error, offset)
        })?;
        for piece in &pieces.records {
            let whole = |error| {
                // A record read in parts that fails is read whole, so the
                // error is the one TOML gives first (a value's, in the
                // file's order, before a field missing from the record).
                match piece.whole_document(text) {
                    Some(document)
                        if !piece.parts().is_empty() && piece.range.len() <= WHOLE_RECORD_LIMIT =>
                    {
                        read_document::<RawPartnerFile<Option<PartnerInfo>>>(&document)
                            .err()
                            .unwrap_or(error)
                    }
                    _ => error,
                }
            };
            let record: RawPartnerFile<Option<PartnerInfo>> =
                read_piece(text, piece).map_err(whole)?;
            raw.append(record);
            for part in piece.parts() {
                let parts: RecordParts = read_piece(text, part).map_err(whole)?;
                // A piece with parts is a person or a revenue line, read just
                // above: the last of its list.
                match piece.list {
                    "people" => {
                        if let Some(person) = raw.people.last_mut() {
                            person.certifications.extend(parts.certifications);
                            person.accreditations.extend(parts.accreditations);
                        }
                    }
                    "revenue" => {
                        if let Some(line) = raw.revenue.last_mut() {
                            line.credits.extend(parts.credits);
                        }
                    }
                    // `toml_pieces::parts_of` cuts parts out of these two
                    // lists only.
                    _ => {}
                }
            }
        }
        Ok(raw)
    }
}

impl Partner {
    /// Reads and checks a partner file; the extension says TOML or JSON.
    pub fn load(path: &Path, program: &impl AsRef<Program>) -> Result<Partner, LoadError> {
        Partner::load_with_limit(path, program, DEFAULT_MAX_FILE_SIZE)
    }

    /// Reads and checks a partner file of at most `limit` bytes.
    pub fn load_with_limit(
        path: &Path,
        program: &impl AsRef<Program>,
        limit: u64,
    ) -> Result<Partner, LoadError> {
        let name = path.display().to_string();
        let format =
            Format::of_path(path).ok_or_else(|| LoadError::UnknownFormat { path: name.clone() })?;
        let text = read_text(path, &name, limit)?;
        Partner::parse(&text, format, &name, program)
    }

    /// Parses and checks partner-file text; `name` names it in errors.
    pub fn parse(
        text: &str,
        format: Format,
        name: &str,
        program: &impl AsRef<Program>,
    ) -> Result<Partner, LoadError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if format == Format::Json && text.trim_start().starts_with('[') {
            let start = text.len() - text.trim_start().len();
            return Err(LoadError::Invalid {
                path: name.to_owned(),
                problem: PartnerProblem::TopLevelArray,
                excerpt: Some(Box::new(Excerpt::at(text, start..start + 1))),
            });
        }
        let raw: RawPartnerFile = match format {
            Format::Toml => RawPartnerFile::from_toml(text, crate::files::memory_available)
                .map_err(|failure| match failure {
                    TomlFailure::Parse(source, offset) => {
                        let (location, message) = toml_error_parts(text, &source, offset);
                        let excerpt = source.span().map(|span| {
                            Box::new(Excerpt::at(text, span.start + offset..span.end + offset))
                        });
                        LoadError::Toml {
                            path: name.to_owned(),
                            location,
                            message,
                            source: Box::new(source),
                            excerpt,
                        }
                    }
                    TomlFailure::Memory { needed, available } => LoadError::OutOfMemory {
                        path: name.to_owned(),
                        size: text.len() as u64,
                        needed,
                        available,
                    },
                })?,
            Format::Json => from_json(text).map_err(|source| {
                let span = json_error_span(text, &source);
                let location = Location::of_offset(text, span.start);
                let message = json_message(&source, text);
                let excerpt = Some(Box::new(Excerpt::at(text, span)));
                LoadError::Json {
                    path: name.to_owned(),
                    location,
                    message,
                    source,
                    excerpt,
                }
            })?,
        };
        Partner::check(raw, program.as_ref()).map_err(|broken| LoadError::Invalid {
            path: name.to_owned(),
            problem: broken.problem,
            excerpt: span_of(text, format, broken.record)
                .map(|span| Box::new(Excerpt::at(text, span))),
        })
    }

    /// Reads TOML text whole, as `toml` alone reads it: the oracle the
    /// record-by-record reading is tested against.
    #[cfg(test)]
    pub(super) fn parse_toml_whole(text: &str, program: &impl AsRef<Program>) -> Option<Partner> {
        let raw: RawPartnerFile = toml::from_str(text).ok()?;
        Partner::check(raw, program.as_ref()).ok()
    }

    /// Checks what needs the whole file or the rule set; an error names the
    /// record that breaks the check.
    fn check(raw: RawPartnerFile, program: &Program) -> Result<Partner, Broken> {
        let mut info = raw.partner;
        if !program.has_tier(info.track, info.tier) {
            return Err(Broken::at(
                RecordRef::PartnerTier,
                PartnerProblem::NoSuchTier {
                    name: info.name.to_string(),
                    track: info.track,
                    tier: info.tier,
                    expected: program.tier_names(info.track),
                },
            ));
        }
        info.domains = info
            .domains
            .iter()
            .map(|domain| normalize_domain(domain))
            .collect();

        // Each address (an `email` or a `tc_email`), with the person using it.
        let mut emails: foldhash::HashMap<String, String> = foldhash::HashMap::default();
        let mut people = Vec::with_capacity(raw.people.len());
        for (index, person) in raw.people.into_iter().enumerate() {
            let email = normalize_email(&person.email);
            if email.is_empty() {
                return Err(Broken::at(
                    RecordRef::Person(index),
                    PartnerProblem::EmptyEmail { number: index + 1 },
                ));
            }
            let tc_email = person.tc_email.as_deref().map(normalize_email);
            let addresses = std::iter::once(email.clone())
                .chain(tc_email.clone().filter(|tc_email| *tc_email != email));
            for address in addresses {
                match emails.get(&address) {
                    Some(first) if address == email && *first == email => {
                        return Err(Broken::at(
                            RecordRef::Person(index),
                            PartnerProblem::PersonTwice { email },
                        ));
                    }
                    Some(first) => {
                        return Err(Broken::at(
                            RecordRef::Person(index),
                            PartnerProblem::EmailShared {
                                address,
                                first: first.clone(),
                                second: email,
                            },
                        ));
                    }
                    None => {
                        emails.insert(address, email.clone());
                    }
                }
            }
            let mut certifications = Vec::with_capacity(person.certifications.len());
            for (held, certification) in person.certifications.into_iter().enumerate() {
                let catalog_index =
                    program
                        .find_certification(&certification.cert)
                        .ok_or_else(|| {
                            Broken::at(
                                RecordRef::Certification(index, held),
                                PartnerProblem::UnknownCertification {
                                    person: email.clone(),
                                    closest: program
                                        .closest_certifications(&certification.cert)
                                        .into_iter()
                                        .map(str::to_owned)
                                        .collect(),
                                    certification: certification.cert.to_string(),
                                },
                            )
                        })?;
                certifications.push(HeldCertification {
                    catalog_index,
                    level: program.certifications[catalog_index].level,
                    earned_on: certification.earned_on,
                    expires_on: certification.expires_on,
                    account_email: certification.account_email.as_deref().map(normalize_email),
                });
            }
            let accreditations = person
                .accreditations
                .into_iter()
                .map(|accreditation| Accreditation {
                    account_email: accreditation.account_email.as_deref().map(normalize_email),
                    ..accreditation
                })
                .collect();
            people.push(Person {
                name: person.name,
                email,
                tc_email,
                registered: person.registered,
                certifications,
                accreditations,
            });
        }

        // Checks of one record, each located at its record.
        // Checked where they were read: a large file's list is not copied.
        let mut opportunities = raw.opportunities;
        for (at, opportunity) in opportunities.iter_mut().enumerate() {
            opportunity
                .check()
                .map_err(|problem| Broken::at(RecordRef::Item("opportunities", at), problem))?;
        }
        let validations = checked_each(raw.validations, "validations")?;
        let references = checked_each(raw.references, "references")?;
        let index = OpportunityIndex::new(&opportunities).map_err(|position| {
            Broken::at(
                RecordRef::Item("opportunities", position),
                PartnerProblem::OpportunityTwice {
                    id: opportunities[position].id.to_string(),
                },
            )
        })?;

        let total = |what: &str, record: RecordRef, amounts: &mut dyn Iterator<Item = Cents>| {
            check_total(what, amounts).map_err(|problem| Broken::at(record, problem))
        };
        total(
            "fee_payments",
            RecordRef::Item("fee_payments", 0),
            &mut raw.fee_payments.iter().map(|fee| fee.amount_usd),
        )?;
        total(
            "opportunities",
            RecordRef::Item("opportunities", 0),
            &mut opportunities.iter().map(|o| o.mrr_usd),
        )?;
        total(
            "revenue",
            RecordRef::Item("revenue", 0),
            &mut raw.revenue.iter().map(|line| line.amount_usd),
        )?;
        for (index, line) in raw.revenue.iter().enumerate() {
            total(
                &format!(
                    "credits of revenue line `{}` {}",
                    line.account_id, line.billed_on
                ),
                RecordRef::Item("revenue", index),
                &mut line.credits.iter().map(|credit| credit.amount_usd),
            )?;
        }

        let mut revenue = raw.revenue;
        for line in &mut revenue {
            line.domain_on_file = info.domains.contains(&normalize_domain(&line.domain));
        }

        let mut references = references;
        index.link(&mut references);
        drop(index);
        Ok(Partner {
            info,
            fee_payments: raw.fee_payments,
            people,
            opportunities,
            legacy_account_submissions: raw.legacy_account_submissions,
            revenue,
            products: raw.products,
            business_plan: raw.business_plan,
            validations,
            executive_business_reviews: raw.executive_business_reviews,
            references,
            csat_responses: raw.csat_responses,
            requirement_evidence: raw.requirement_evidence,
        })
    }
}

/// A check that fails: what is wrong, and the record that breaks it.
#[derive(Debug)]
struct Broken {
    record: RecordRef,
    problem: PartnerProblem,
}

impl Broken {
    fn at(record: RecordRef, problem: PartnerProblem) -> Self {
        Broken { record, problem }
    }
}

/// Each record of the top-level list `list` made into the model by its own
/// check; the first that fails names its record.
fn checked_each<R, T>(records: Vec<R>, list: &'static str) -> Result<Vec<T>, Broken>
where
    T: TryFrom<R, Error = PartnerProblem>,
{
    // Sized once: collecting into a `Result` would grow the list by
    // doubling, copying a large file's records several times.
    let mut checked = Vec::with_capacity(records.len());
    for (at, record) in records.into_iter().enumerate() {
        checked.push(
            T::try_from(record)
                .map_err(|problem| Broken::at(RecordRef::Item(list, at), problem))?,
        );
    }
    Ok(checked)
}

/// The largest partner file read unless told otherwise: 1 GiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1 << 30;

/// Reads a partner file's text, refusing one larger than `limit` bytes before
/// reading it (and stopping past the limit for files whose size the system
/// does not tell, such as devices), and one that is not UTF-8.
pub fn read_text(path: &Path, name: &str, limit: u64) -> Result<String, LoadError> {
    let read_error = |source| LoadError::Read {
        path: name.to_owned(),
        source,
    };
    crate::files::check_regular(path).map_err(read_error)?;
    let file = std::fs::File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    if size > limit {
        return Err(LoadError::TooLarge {
            path: name.to_owned(),
            size,
            limit,
        });
    }
    // A file that would not fit is this file's error, not the end of the
    // run (an allocation failure would abort every other file's result).
    if let Err((needed, available)) =
        crate::files::fits_in_memory(size, crate::files::memory_available)
    {
        return Err(LoadError::OutOfMemory {
            path: name.to_owned(),
            size,
            needed,
            available,
        });
    }
    // The size is known: one allocation of the right size, not a doubling
    // buffer that would hold up to twice the file.
    let capacity = usize::try_from(size.saturating_add(1)).unwrap_or(0);
    read_into(file, Vec::with_capacity(capacity), name, limit)
}

/// Reads text from `reader` (a file, standard input) up to `limit` bytes.
pub fn read_limited(
    reader: impl std::io::Read,
    name: &str,
    limit: u64,
) -> Result<String, LoadError> {
    read_into(reader, Vec::new(), name, limit)
}

/// Reads text from `reader` into `bytes` up to `limit` bytes.
fn read_into(
    reader: impl std::io::Read,
    mut bytes: Vec<u8>,
    name: &str,
    limit: u64,
) -> Result<String, LoadError> {
    std::io::Read::read_to_end(&mut reader.take(limit.saturating_add(1)), &mut bytes).map_err(
        |source| LoadError::Read {
            path: name.to_owned(),
            source,
        },
    )?;
    if bytes.len() as u64 > limit {
        return Err(LoadError::TooLarge {
            path: name.to_owned(),
            size: bytes.len() as u64,
            limit,
        });
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        // The bytes before the first invalid one are valid UTF-8.
        let prefix = std::str::from_utf8(&error.as_bytes()[..valid]).unwrap_or_default();
        LoadError::NotUtf8 {
            path: name.to_owned(),
            location: Location::of_offset(prefix, prefix.len()),
        }
    })
}

/// The JSON Schema of the partner file, generated from the types the parser
/// reads it with (unknown fields refused, closed sets enumerated), so that
/// editors check TOML and JSON files as they are typed.
pub fn partner_schema() -> String {
    let mut schema = schemars::schema_for!(RawPartnerFile);
    schema.insert("title".to_owned(), "apn-check partner file".into());
    schema.insert(
        "description".to_owned(),
        "An AWS Partner Network partner's data, scored by apn-check against the APN tier requirements.".into(),
    );
    {
        // A schema is strings, booleans, lists and string-keyed maps only,
        // which JSON always holds.
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Checks that a list's amounts add up to a sum that fits, so that every
/// sum evaluation takes over a subset of it fits too.
fn check_total(what: &str, amounts: &mut dyn Iterator<Item = Cents>) -> Result<(), PartnerProblem> {
    let mut total = Cents::ZERO;
    for amount in amounts {
        total = total
            .checked_add(amount)
            .ok_or_else(|| PartnerProblem::TotalTooLarge {
                what: what.to_owned(),
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARTNER: &str = "[partner]\nname = \"P\"\ntrack = \"consulting\"\ntier = \"select\"\nrenewal_date = 2020-01-01\n";

    /// Memory is asked for by the largest document `toml` is given, not
    /// the file: many small records are read without asking; one large
    /// table whose tree would not fit is refused before it is parsed.
    #[test]
    fn the_largest_document_decides_whether_toml_fits() {
        let records: String = (0..200_000)
            .map(|_| "[[fee_payments]]\npaid_on = 2019-01-10\namount_usd = 1\n")
            .collect();
        let many = format!("{PARTNER}{records}");
        assert!(many.len() > 8 << 20);
        let raw = RawPartnerFile::from_toml(&many, || panic!("not asked"));
        assert_eq!(raw.map(|raw| raw.fee_payments.len()).ok(), Some(200_000));

        let domains: String = (0..400_000)
            .map(|n| format!("\"d{n}.example\",\n"))
            .collect();
        let one = format!("{PARTNER}domains = [\n{domains}]\n");
        let refused = RawPartnerFile::from_toml(&one, || Some(100 << 20));
        assert!(
            matches!(refused, Err(TomlFailure::Memory { needed, available })
                if needed >= one.len() as u64 * 40 && available == 100 << 20),
        );
        let read = RawPartnerFile::from_toml(&one, || Some(64 << 30));
        assert!(read.is_ok());
    }
}
