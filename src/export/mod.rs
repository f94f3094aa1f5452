//! `export sqlite`: the catalog and the partners given, as rows of the
//! tables of [`schema`]. Rows are made from the results `score` makes (on
//! the scoring threads, one partner at a time), checked against their
//! columns and encoded there as SQLite records ([`btree`]); [`sqlite`]
//! writes them on one thread. Money is in cents, dates ISO text.

pub mod btree;
pub mod schema;
pub mod sqlite;

use chrono::NaiveDate;

use crate::batch::{FileResult, Scored};
use crate::competency::Catalog;
use crate::competency::answer::{PathRequest, Want, answer_with, premier_need_in};
use crate::money::Cents;
use crate::rules::{Quantity, RuleSet};
use schema::Name;

pub use btree::Value;

impl<'a> From<&'a str> for Value<'a> {
    fn from(text: &'a str) -> Value<'a> {
        Value::Text(text)
    }
}

impl<'a> From<Option<&'a str>> for Value<'a> {
    fn from(text: Option<&'a str>) -> Value<'a> {
        text.map_or(Value::Null, Value::Text)
    }
}

impl From<NaiveDate> for Value<'_> {
    /// ISO text.
    fn from(day: NaiveDate) -> Self {
        Value::Date(day)
    }
}

impl From<Option<NaiveDate>> for Value<'_> {
    fn from(day: Option<NaiveDate>) -> Self {
        day.map_or(Value::Null, Value::Date)
    }
}

impl From<bool> for Value<'_> {
    fn from(value: bool) -> Self {
        Value::Int(i64::from(value))
    }
}

impl From<Cents> for Value<'_> {
    fn from(cents: Cents) -> Self {
        Value::Int(cents.0)
    }
}

impl From<usize> for Value<'_> {
    fn from(value: usize) -> Self {
        Value::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<Option<usize>> for Value<'_> {
    fn from(value: Option<usize>) -> Self {
        value.map_or(Value::Null, Value::from)
    }
}

/// A quantity's unit and integer value: a count, or cents.
fn quantity(value: Quantity) -> (&'static str, Value<'static>) {
    match value {
        Quantity::Count(count) => (
            "count",
            Value::Int(i64::try_from(count).unwrap_or(i64::MAX)),
        ),
        Quantity::Money(cents) => ("cents", Value::Int(cents.0)),
    }
}

/// A row that does not fit its table's columns: a fault of this program
/// (or a value longer than SQLite reads).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a row of `{table}` does not fit column `{column}`: {problem}")]
pub struct RowFault {
    /// The table.
    pub table: &'static str,
    /// The column (`*`: the row as a whole).
    pub column: String,
    /// What is wrong.
    pub problem: &'static str,
}

/// Rows to write, encoded as SQLite records where they are made (on the
/// scoring threads) and checked against their columns, in the order
/// given, each as its table's position in [`schema::TABLES`] (one byte),
/// its record's length (four bytes, little-endian), and the record. A
/// partner's tables' rows are given without their first column, `partner`:
/// it is written as a four-byte slot the writer fills, as it numbers
/// partners in input order.
#[derive(Debug, Default)]
pub struct Rows {
    bytes: Vec<u8>,
    partner: bool,
    fault: Option<RowFault>,
}

impl Rows {
    /// Adds a row of `table`; a row that does not fit its columns is kept
    /// as the rows' fault instead. Made in place where each row is given
    /// (a few million rows an export), its values' kinds known there.
    #[inline(always)]
    pub fn push<const N: usize>(&mut self, table: Name, values: &[Value<'_>; N]) {
        if self.fault.is_some() {
            return;
        }
        let owner = table.table().owner;
        let checks = table.checks();
        let columns = match owner {
            schema::Owner::Partner => &checks.columns[1..],
            schema::Owner::Export => &checks.columns[..],
        };
        let fault = |column: &str, problem| RowFault {
            table: table.table().name,
            column: column.to_owned(),
            problem,
        };
        if values.len() != columns.len() {
            self.fault = Some(fault("*", "the row has another number of values"));
            return;
        }
        for (value, column) in values.iter().zip(columns) {
            let problem = match value {
                Value::Null if column.not_null => "it is NOT NULL",
                Value::Int(_) if !column.integer => "it is TEXT",
                Value::Text(_) | Value::Date(_) if column.integer => "it is INTEGER",
                Value::Fixed(_) => "a slot is the writer's",
                _ => continue,
            };
            self.fault = Some(fault(column.name, problem));
            return;
        }
        if self.bytes.capacity() == 0 {
            // A partner's rows take some tens of kilobytes.
            self.bytes.reserve(1 << 15);
        }
        let start = self.bytes.len();
        self.bytes.push(table as u8);
        self.bytes.extend_from_slice(&[0; 4]);
        // A partner's table's first column is its number, a slot the
        // writer fills; the rowid itself for `partners`.
        let first = match owner {
            schema::Owner::Export => None,
            schema::Owner::Partner => {
                self.partner |= table == Name::Partners;
                Some(if checks.rowid_alias {
                    Value::Null
                } else {
                    Value::Fixed(0)
                })
            }
        };
        let length = btree::put_record(&mut self.bytes, first, values);
        // Within SQLite's limit, a record's length fits four bytes.
        match u32::try_from(length)
            .ok()
            .filter(|length| (*length as usize) <= btree::MOST_BYTES)
        {
            Some(length) => {
                self.bytes[start + 1..start + 5].copy_from_slice(&length.to_le_bytes());
            }
            None => {
                self.bytes.truncate(start);
                self.fault = Some(fault(
                    columns.first().map_or("*", |column| column.name),
                    "the row is longer than SQLite reads (1,000,000,000 bytes)",
                ));
            }
        }
    }

    /// The first row that did not fit its columns, if any.
    pub fn fault(&self) -> Option<&RowFault> {
        self.fault.as_ref()
    }

    /// Whether there is a row of `partners`: these are a partner's rows.
    pub fn of_partner(&self) -> bool {
        self.partner
    }

    /// Each row's table (its position in [`schema::TABLES`]) and record,
    /// in the order given.
    pub fn iter(&self) -> RowsIter<'_> {
        RowsIter(&self.bytes)
    }
}

/// The rows of [`Rows`], in the order given.
#[derive(Debug, Clone)]
pub struct RowsIter<'a>(&'a [u8]);

impl<'a> Iterator for RowsIter<'a> {
    type Item = (usize, &'a [u8]);

    fn next(&mut self) -> Option<(usize, &'a [u8])> {
        // Rows::push wrote each row's table, length and record.
        let (&table, rest) = self.0.split_first()?;
        let (length, rest) = rest.split_first_chunk::<4>()?;
        let length = u32::from_le_bytes(*length) as usize;
        let (record, rest) = rest.split_at_checked(length)?;
        self.0 = rest;
        Some((usize::from(table), record))
    }
}

/// The export's facts and the catalog.
pub fn catalog_rows(catalog: &Catalog, meta: &[(&str, String)]) -> Rows {
    let mut rows = Rows::default();
    let version = schema::SCHEMA_VERSION.to_string();
    rows.push(
        Name::Meta,
        &["schema_version".into(), Value::Text(&version)],
    );
    for (key, value) in meta {
        rows.push(Name::Meta, &[Value::Text(key), Value::Text(value)]);
    }
    for block in &catalog.blocks {
        rows.push(
            Name::Blocks,
            &[Value::Text(&block.id), Value::Text(&block.name)],
        );
    }
    for requirement in &catalog.requirements {
        let parts = crate::competency::id::parse(&requirement.id);
        let number = parts
            .and_then(|parts| parts.number)
            .and_then(|number| number.parse::<i64>().ok())
            .map_or(Value::Null, Value::Int);
        rows.push(
            Name::Requirements,
            &[
                Value::Text(&requirement.scope),
                Value::Text(&requirement.id),
                Value::Text(crate::competency::id::prefix(&requirement.id)),
                number,
                parts.and_then(|parts| parts.suffix).into(),
                Value::Text(&requirement.category),
                requirement.label.as_deref().into(),
            ],
        );
    }
    for checklist in &catalog.checklists {
        rows.push(
            Name::Designations,
            &[
                Value::Text(&checklist.id),
                Value::Text(&checklist.name),
                checklist.program.as_str().into(),
                checklist.path.as_str().into(),
                Value::Text(&checklist.release),
                checklist.valid_from.into(),
                checklist.usable_until.into(),
                checklist.url.as_deref().into(),
                Value::Int(i64::from(checklist.case_studies)),
            ],
        );
    }
    for checklist in &catalog.checklists {
        for (position, block) in checklist.blocks.iter().enumerate() {
            rows.push(
                Name::DesignationBlocks,
                &[
                    Value::Text(&checklist.id),
                    Value::Text(&catalog.blocks[*block].id),
                    (position + 1).into(),
                ],
            );
        }
        for identity in &checklist.all {
            let requirement = &catalog.requirements[*identity];
            rows.push(
                Name::DesignationRequirements,
                &[
                    Value::Text(&checklist.id),
                    Value::Text(&requirement.scope),
                    Value::Text(&requirement.id),
                ],
            );
        }
        for required in &checklist.requires {
            rows.push(
                Name::DesignationPrerequisites,
                &[
                    Value::Text(&checklist.id),
                    Value::Text(&catalog.checklists[*required].id),
                ],
            );
        }
    }
    rows
}

/// A result's rows: a partner scored (with its records, which the result
/// must keep), or an input that could not be.
pub fn result_rows(result: &FileResult, rules: &RuleSet, catalog: &Catalog) -> Rows {
    match result {
        FileResult::Scored(scored) => partner_rows(scored, rules, catalog),
        FileResult::Failed { file, error } => {
            let mut rows = Rows::default();
            let message = error.message();
            rows.push(
                Name::InputErrors,
                &[
                    Value::Text(file),
                    Value::Text(&message),
                    error.location().map(|location| location.line).into(),
                ],
            );
            rows
        }
    }
}

fn partner_rows(scored: &Scored, rules: &RuleSet, catalog: &Catalog) -> Rows {
    let mut rows = Rows::default();
    let scorecard = scored.report.scorecard();
    let Some(partner) = scored.partner.as_deref() else {
        // Without its records a result is still a partner row.
        rows.push(
            Name::InputErrors,
            &[
                Value::Text(&scored.file),
                "the partner's records were not kept".into(),
                Value::Null,
            ],
        );
        return rows;
    };
    // The competency standing and premier's least work, as `competencies
    // path --premier` answers them.
    let premier_path;
    let mut held = Vec::new();
    let mut choice = Vec::new();
    match crate::competency::standing::standing(catalog, partner, scorecard.as_of) {
        Err(error) => premier_path = Some(format!("unknown evidence: {}", error.message)),
        Ok(standing) => {
            let request = PathRequest {
                want: Want::Premier,
                among: None,
                must: Vec::new(),
            };
            let need = premier_need_in(rules, scorecard);
            let answered = need
                .map(|need| answer_with(catalog, rules, partner, &standing, &request, Some(need)));
            held = standing.held;
            match answered {
                None => {
                    premier_path = Some(format!(
                        "the rules have no premier program-validations requirement for a {} partner",
                        partner.info.track
                    ));
                }
                Some(Ok(answer)) => {
                    for (step, taken) in answer.steps.iter().enumerate() {
                        let own = answer
                            .chosen
                            .iter()
                            .position(|chosen| *chosen == taken.designation)
                            .map_or(0, |at| answer.own_outstanding[at]);
                        choice.push((taken.designation, step + 1, own));
                    }
                    premier_path = Some(if answer.chosen.is_empty() {
                        "met".to_owned()
                    } else {
                        format!("{} outstanding", answer.outstanding.count_ones(..))
                    });
                }
                Some(Err(error)) => premier_path = Some(error.to_string()),
            }
        }
    }
    rows.push(
        Name::Partners,
        &[
            Value::Text(&scored.file),
            Value::Text(&partner.info.name),
            partner.info.track.as_str().into(),
            partner.info.tier.as_str().into(),
            partner.info.renewal_date.into(),
            scorecard.as_of.into(),
            scorecard.window_start.into(),
            scorecard.review_date.into(),
            scorecard.eligible_tier.as_str().into(),
            scorecard.compliant.into(),
            scored.gate.tier.as_str().into(),
            scored.gate.passed.into(),
            premier_path.as_deref().into(),
        ],
    );
    for tier in &scorecard.tiers {
        for requirement in &tier.requirements {
            rows.push(
                Name::Scorecard,
                &[
                    tier.tier.as_str().into(),
                    Value::Text(&requirement.id),
                    Value::Text(&requirement.title),
                    status(requirement.status).into(),
                    requirement.time_bound.into(),
                    requirement.alternative.as_deref().into(),
                    requirement.grace_until.into(),
                    tier.met.into(),
                ],
            );
            for measure in &requirement.measures {
                let (unit, value) = quantity(measure.value);
                let (_, required) = quantity(measure.required);
                rows.push(
                    Name::ScorecardMeasures,
                    &[
                        tier.tier.as_str().into(),
                        Value::Text(&requirement.id),
                        measure.name.into(),
                        unit.into(),
                        value,
                        required,
                    ],
                );
            }
        }
    }
    let current =
        std::iter::repeat((scorecard.current_tier, "current")).zip(&scorecard.current_gaps);
    let next = scorecard
        .next_tier
        .iter()
        .flat_map(|next| std::iter::repeat((next.tier, "next")).zip(&next.gaps));
    for ((tier, toward), gap) in current.chain(next) {
        for shortfall in &gap.measures {
            let (unit, value) = quantity(shortfall.value);
            let (_, required) = quantity(shortfall.required);
            let (_, short) = quantity(shortfall.shortfall);
            rows.push(
                Name::Gaps,
                &[
                    tier.as_str().into(),
                    toward.into(),
                    Value::Text(&gap.id),
                    gap.alternative.as_deref().into(),
                    shortfall.name.into(),
                    unit.into(),
                    value,
                    required,
                    short,
                ],
            );
        }
    }
    for warning in &scored.warnings {
        rows.push(
            Name::Warnings,
            &[
                warning.code.into(),
                Value::Text(&warning.message),
                warning.line.into(),
            ],
        );
    }
    for index in held {
        rows.push(
            Name::HeldDesignations,
            &[Value::Text(&catalog.checklists[index].id)],
        );
    }
    for (index, step, own) in choice {
        rows.push(
            Name::PremierChoice,
            &[
                Value::Text(&catalog.checklists[index].id),
                step.into(),
                own.into(),
            ],
        );
    }
    record_rows(partner, rules, &mut rows);
    rows
}

/// A status as JSON names it (`not_met`).
fn status(status: crate::scorecard::Status) -> &'static str {
    match status {
        crate::scorecard::Status::Met => "met",
        crate::scorecard::Status::NotMet => "not_met",
        crate::scorecard::Status::Grace => "grace",
        crate::scorecard::Status::Exempt => "exempt",
    }
}

/// The partner's records, as loaded.
fn record_rows(partner: &crate::partner::Partner, rules: &RuleSet, rows: &mut Rows) {
    for payment in &partner.fee_payments {
        rows.push(
            Name::FeePayments,
            &[payment.paid_on.into(), payment.amount_usd.into()],
        );
    }
    for person in &partner.people {
        rows.push(
            Name::People,
            &[
                Value::Text(&person.email),
                person.name.as_deref().into(),
                person.tc_email.as_deref().into(),
                person.registered.into(),
            ],
        );
        for certification in &person.certifications {
            let id = rules
                .program
                .certifications
                .get(certification.catalog_index)
                .map_or("", |entry| entry.id.as_str());
            rows.push(
                Name::Credentials,
                &[
                    Value::Text(&person.email),
                    "certification".into(),
                    Value::Text(id),
                    certification.level.as_str().into(),
                    certification.earned_on.into(),
                    certification.expires_on.into(),
                    certification.account_email.as_deref().into(),
                ],
            );
        }
        for accreditation in &person.accreditations {
            rows.push(
                Name::Credentials,
                &[
                    Value::Text(&person.email),
                    "accreditation".into(),
                    accreditation.kind.as_str().into(),
                    Value::Null,
                    accreditation.earned_on.into(),
                    accreditation.expires_on.into(),
                    accreditation.account_email.as_deref().into(),
                ],
            );
        }
    }
    for opportunity in &partner.opportunities {
        rows.push(
            Name::Opportunities,
            &[
                Value::Text(&opportunity.id),
                opportunity.customer.as_deref().into(),
                opportunity.stage.as_str().into(),
                opportunity.launched_on.into(),
                opportunity
                    .launched_on_source
                    .map(|source| source.as_str())
                    .into(),
                opportunity.mrr_usd.into(),
                opportunity.origin.as_str().into(),
            ],
        );
    }
    for reference in &partner.references {
        rows.push(
            Name::PublicReferences,
            &[
                Value::Text(&reference.customer),
                reference.public.into(),
                reference.via.as_str().into(),
                reference.opportunity.as_deref().into(),
                reference.url.as_deref().into(),
                reference.approved.into(),
                reference.submitted_on.into(),
            ],
        );
    }
    for response in &partner.csat_responses {
        rows.push(
            Name::CsatResponses,
            &[
                Value::Text(&response.customer),
                response.respondent.as_deref().into(),
                response.submitted_on.into(),
                response.email_confirmed.into(),
                response.aws_customer.into(),
            ],
        );
    }
    for line in &partner.revenue {
        let credits: Cents = line.credits.iter().map(|credit| credit.amount_usd).sum();
        rows.push(
            Name::RevenueLines,
            &[
                Value::Text(&line.account_id),
                Value::Text(&line.domain),
                line.billed_on.into(),
                line.amount_usd.into(),
                revenue_kind(line.kind).into(),
                credits.into(),
            ],
        );
    }
    for validation in &partner.validations {
        rows.push(
            Name::Validations,
            &[
                validation.program.as_str().into(),
                validation.name.as_deref().into(),
                validation.achieved_on.into(),
                validation.expires_on.into(),
            ],
        );
    }
    for evidence in &partner.requirement_evidence {
        rows.push(
            Name::RequirementEvidence,
            &[
                Value::Text(&evidence.scope),
                Value::Text(&evidence.requirement),
                evidence.met_on.into(),
                evidence.evidence.as_deref().into(),
            ],
        );
    }
}

fn revenue_kind(kind: crate::partner::RevenueKind) -> &'static str {
    match kind {
        crate::partner::RevenueKind::Usage => "usage",
        crate::partner::RevenueKind::ReservedInstance => "reserved-instance",
        crate::partner::RevenueKind::Other => "other",
    }
}
