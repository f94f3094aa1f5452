//! `export sqlite`: the catalog and the partners given, as rows of the
//! tables of [`schema`]. Rows are made from the results `score` makes
//! (on the scoring threads, one partner at a time); [`sqlite`] writes them,
//! on one thread, into one transaction. Money is in cents, dates ISO text.

pub mod schema;
pub mod sqlite;

use chrono::NaiveDate;

use crate::batch::{FileResult, Scored};
use crate::competency::Catalog;
use crate::competency::answer::{PathRequest, Want, answer_with, premier_need_in};
use crate::money::Cents;
use crate::rules::{Quantity, RuleSet};
use schema::Name;

/// A value of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// NULL.
    Null,
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
    /// Text known when compiled (a tier, a status, a unit): no allocation.
    Static(&'static str),
}

impl From<&'static str> for Cell {
    fn from(text: &'static str) -> Cell {
        Cell::Static(text)
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<Option<&str>> for Cell {
    fn from(text: Option<&str>) -> Cell {
        text.map_or(Cell::Null, owned)
    }
}

/// Text of the data, copied.
fn owned(text: &str) -> Cell {
    Cell::Text(text.to_owned())
}

impl From<NaiveDate> for Cell {
    /// ISO text, formatted here on the scoring thread (the writer's thread
    /// is the export's bottleneck).
    fn from(day: NaiveDate) -> Cell {
        Cell::Text(day.to_string())
    }
}

impl From<Option<NaiveDate>> for Cell {
    fn from(day: Option<NaiveDate>) -> Cell {
        day.map_or(Cell::Null, Cell::from)
    }
}

impl From<bool> for Cell {
    fn from(value: bool) -> Cell {
        Cell::Int(i64::from(value))
    }
}

impl From<Cents> for Cell {
    fn from(cents: Cents) -> Cell {
        Cell::Int(cents.0)
    }
}

impl From<usize> for Cell {
    fn from(value: usize) -> Cell {
        Cell::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<Option<usize>> for Cell {
    fn from(value: Option<usize>) -> Cell {
        value.map_or(Cell::Null, Cell::from)
    }
}

/// A quantity's unit and integer value: a count, or cents.
fn quantity(value: Quantity) -> (&'static str, Cell) {
    match value {
        Quantity::Count(count) => ("count", Cell::Int(i64::try_from(count).unwrap_or(i64::MAX))),
        Quantity::Money(cents) => ("cents", Cell::Int(cents.0)),
    }
}

/// Rows to write: for a partner's tables, without the `partner` column
/// (the writer numbers partners in input order).
#[derive(Debug, Default)]
pub struct Rows(pub Vec<(Name, Vec<Cell>)>);

impl Rows {
    fn push(&mut self, table: Name, cells: Vec<Cell>) {
        self.0.push((table, cells));
    }

    /// The rows in table order (stable): each table's rows together, for
    /// one statement each, and rows referred to before those referring.
    fn sorted(mut self) -> Rows {
        self.0.sort_by_key(|(name, _)| *name as usize);
        self
    }
}

/// The export's facts and the catalog.
pub fn catalog_rows(catalog: &Catalog, meta: &[(&str, String)]) -> Rows {
    let mut rows = Rows::default();
    rows.push(
        Name::Meta,
        vec![
            "schema_version".into(),
            schema::SCHEMA_VERSION.to_string().into(),
        ],
    );
    for (key, value) in meta {
        rows.push(Name::Meta, vec![owned(key), value.clone().into()]);
    }
    for block in &catalog.blocks {
        rows.push(Name::Blocks, vec![owned(&block.id), owned(&block.name)]);
    }
    for requirement in &catalog.requirements {
        let parts = crate::competency::id::parse(&requirement.id);
        let number = parts
            .and_then(|parts| parts.number)
            .and_then(|number| number.parse::<i64>().ok())
            .map_or(Cell::Null, Cell::Int);
        rows.push(
            Name::Requirements,
            vec![
                owned(&requirement.scope),
                owned(&requirement.id),
                owned(crate::competency::id::prefix(&requirement.id)),
                number,
                parts.and_then(|parts| parts.suffix).into(),
                owned(&requirement.category),
                requirement.label.as_deref().into(),
            ],
        );
    }
    for checklist in &catalog.checklists {
        rows.push(
            Name::Designations,
            vec![
                owned(&checklist.id),
                owned(&checklist.name),
                checklist.program.as_str().into(),
                checklist.path.as_str().into(),
                owned(&checklist.release),
                checklist.valid_from.into(),
                checklist.usable_until.into(),
                checklist.url.as_deref().into(),
                Cell::Int(i64::from(checklist.case_studies)),
            ],
        );
    }
    for checklist in &catalog.checklists {
        for (position, block) in checklist.blocks.iter().enumerate() {
            rows.push(
                Name::DesignationBlocks,
                vec![
                    owned(&checklist.id),
                    owned(&catalog.blocks[*block].id),
                    (position + 1).into(),
                ],
            );
        }
        for identity in &checklist.all {
            let requirement = &catalog.requirements[*identity];
            rows.push(
                Name::DesignationRequirements,
                vec![
                    owned(&checklist.id),
                    owned(&requirement.scope),
                    owned(&requirement.id),
                ],
            );
        }
        for required in &checklist.requires {
            rows.push(
                Name::DesignationPrerequisites,
                vec![
                    owned(&checklist.id),
                    owned(&catalog.checklists[*required].id),
                ],
            );
        }
    }
    rows.sorted()
}

/// A result's rows: a partner scored (with its records, which the result
/// must keep), or an input that could not be.
pub fn result_rows(result: &FileResult, rules: &RuleSet, catalog: &Catalog) -> Rows {
    match result {
        FileResult::Scored(scored) => partner_rows(scored, rules, catalog),
        FileResult::Failed { file, error } => {
            let mut rows = Rows::default();
            rows.push(
                Name::InputErrors,
                vec![
                    owned(file),
                    error.message().into(),
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
            vec![
                owned(&scored.file),
                "the partner's records were not kept".into(),
                Cell::Null,
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
        vec![
            owned(&scored.file),
            owned(&partner.info.name),
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
                vec![
                    tier.tier.as_str().into(),
                    owned(&requirement.id),
                    owned(&requirement.title),
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
                    vec![
                        tier.tier.as_str().into(),
                        owned(&requirement.id),
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
                vec![
                    tier.as_str().into(),
                    toward.into(),
                    owned(&gap.id),
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
            vec![
                warning.code.into(),
                owned(&warning.message),
                warning.line.into(),
            ],
        );
    }
    for index in held {
        rows.push(
            Name::HeldDesignations,
            vec![owned(&catalog.checklists[index].id)],
        );
    }
    for (index, step, own) in choice {
        rows.push(
            Name::PremierChoice,
            vec![
                owned(&catalog.checklists[index].id),
                step.into(),
                own.into(),
            ],
        );
    }
    record_rows(partner, rules, &mut rows);
    rows.sorted()
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
            vec![payment.paid_on.into(), payment.amount_usd.into()],
        );
    }
    for person in &partner.people {
        rows.push(
            Name::People,
            vec![
                owned(&person.email),
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
                vec![
                    owned(&person.email),
                    "certification".into(),
                    owned(id),
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
                vec![
                    owned(&person.email),
                    "accreditation".into(),
                    accreditation.kind.as_str().into(),
                    Cell::Null,
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
            vec![
                owned(&opportunity.id),
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
            vec![
                owned(&reference.customer),
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
            vec![
                owned(&response.customer),
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
            vec![
                owned(&line.account_id),
                owned(&line.domain),
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
            vec![
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
            vec![
                owned(&evidence.scope),
                owned(&evidence.requirement),
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
