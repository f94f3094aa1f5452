//! Requirement kinds: what each kind of requirement counts and means, one
//! file per kind, each behind the [`KindRule`] trait.
//!
//! A kind lays each record of the partner file on the line of as-of dates
//! ([`KindRule::lay_out`]): an [`Entry`] says on which as-of dates the record
//! counts ([`When`], with an optional extra [`End`]), what it adds to the
//! kind's counters, whether it counts once per person, customer or
//! designation ([`Once`]), and how `explain` names it and why it does not
//! count. Evaluation reads the entries through a [`Sink`]: on one date it asks
//! whether the date is in the record's interval (and the ledger hears why
//! not); on many dates it sweeps the intervals. So one-date scoring,
//! `explain`, the sustained-attainment look-back and `history` all read one
//! definition. The numbers (thresholds, window, dates) come from the rule
//! file; the meaning lives here.
//!
//! Adding a kind: a file here implementing [`KindRule`], one line in
//! [`registry!`] below, the requirement in the rule file, the partner model
//! if it reads new data, and a test (see `docs/architecture.md`).

pub mod interval;
pub mod ledger;

// Macros, not functions: struct literals of constants are promoted to
// `'static`, so the kinds' measure tables need no named constants.
macro_rules! count {
    ($name:expr, $one:expr, $many:expr) => {
        count!($name, $one, $many, short = $name)
    };
    ($name:expr, $one:expr, $many:expr, short = $short:expr) => {
        $crate::kinds::MeasureSpec {
            name: $name,
            unit: $crate::kinds::Unit::Count,
            one: $one,
            many: $many,
            short: $short,
        }
    };
}

macro_rules! money {
    ($name:expr, $one:expr, $many:expr) => {
        money!($name, $one, $many, short = $name)
    };
    ($name:expr, $one:expr, $many:expr, short = $short:expr) => {
        $crate::kinds::MeasureSpec {
            name: $name,
            unit: $crate::kinds::Unit::Money,
            one: $one,
            many: $many,
            short: $short,
        }
    };
}

mod accredited_professionals;
mod business_plan;
mod csat_responses;
mod direct_revenue;
mod executive_business_review;
mod foundational_certified;
mod launched_opportunities;
pub(crate) mod people;
mod product_listing;
mod program_fee;
mod program_validations;
mod public_references;
mod sustained_attainment;
mod technical_baseline_review;
mod technical_certified;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use interval::Interval;
use ledger::{Reason, Record};

use crate::calendar::Window;
use crate::money::Cents;
use crate::partner::Partner;
use crate::program::Program;
use crate::tiers::Tier;

/// Whether a quantity is a count or money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A whole number.
    Count,
    /// USD in cents.
    Money,
}

/// A measured value or a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quantity {
    /// A whole number.
    Count(u64),
    /// An amount of USD.
    Money(Cents),
}

impl Quantity {
    /// A counter's value as a quantity of `unit` (a counter is never
    /// negative: it sums records that count; a negative one reads 0).
    pub fn of_counter(unit: Unit, value: i64) -> Quantity {
        match unit {
            Unit::Count => Quantity::Count(u64::try_from(value).unwrap_or(0)),
            Unit::Money => Quantity::Money(Cents(value.max(0))),
        }
    }

    /// The whole number, for a count (0 for money).
    pub fn count(self) -> u64 {
        match self {
            Quantity::Count(count) => count,
            Quantity::Money(_) => 0,
        }
    }
}

/// What a kind measures: a measure's name, unit and the words for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasureSpec {
    /// The name in the output contract.
    pub name: &'static str,
    /// Count or money.
    pub unit: Unit,
    /// Words for one ("launched opportunity"), for the table's gap list.
    pub one: &'static str,
    /// Words for several ("launched opportunities").
    pub many: &'static str,
    /// The measure's name in a table cell ("MRR").
    pub short: &'static str,
}

/// Data that is legal but likely wrong, or a case the guide is silent
/// about: said, and never changing a count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// A stable code for tools.
    pub code: &'static str,
    /// What is odd, in plain words.
    pub message: String,
    /// The line of the record in its file, when known.
    pub line: Option<usize>,
    /// The record: its list in the partner file and its place in the list.
    #[serde(skip)]
    pub record: (&'static str, usize),
}

/// What the plan knows a tier asks of people: the knowledge requirements'
/// thresholds, gathered from the kinds that count people.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct KnowledgeNeeds {
    /// Accredited individuals.
    pub accredited_individuals: u64,
    /// Accredited individuals on the technical side.
    pub technical_side: u64,
    /// Accredited individuals on the business side.
    pub business_side: u64,
    /// Foundational certified individuals.
    pub foundational: u64,
    /// Technical certified individuals.
    pub technical_individuals: u64,
    /// Of those, professional or specialty.
    pub professional: u64,
}

/// What `plan` asks a kind about one unmet requirement of the target tier.
pub struct PlanAsk<'a> {
    /// The target tier.
    pub tier: Tier,
    /// The first day a new record would count on the plan's date.
    pub after: NaiveDate,
    /// The plan's date.
    pub by: NaiveDate,
    /// Each measure's value and threshold on the plan's date.
    pub values: &'a [(Quantity, Quantity)],
    /// The partner's data as known today.
    pub known: &'a Partner,
    /// The rule file's key competencies, as it names them.
    pub key_competencies: &'a [String],
}

/// What the plan should do about an unmet requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanStep {
    /// People: the plan's knowledge search covers it.
    People,
    /// More dated records: the shortfall, dated in the window of the plan's date.
    MoreRecords,
    /// A task in words.
    Task(String),
}

/// What a requirement kind means: its measures, how a record counts and
/// what `explain` and `plan` say about it.
pub trait KindRule: Sync {
    /// The measures the kind reports, in output order.
    fn measures(&self) -> &'static [MeasureSpec];

    /// The threshold keys a rule file gives for the kind (its measures unless
    /// a threshold is something else, such as sustained attainment's months).
    fn threshold_keys(&self) -> &'static [MeasureSpec] {
        self.measures()
    }

    /// Whether the kind counts dated records, and so can be time-bound.
    fn can_be_time_bound(&self) -> bool {
        false
    }

    /// The partner file's table (or field) the kind reads, for messages.
    fn table(&self) -> &'static str;

    /// How many counters [`lay_out`](KindRule::lay_out) adds to.
    fn counters(&self) -> usize {
        self.measures().len()
    }

    /// Lays every record the kind considers on the line of as-of dates.
    fn lay_out(&self, context: &Context, sink: &mut dyn Sink);

    /// Each measure's value and threshold, from the counters and a tier's
    /// thresholds (in the order of [`threshold_keys`](KindRule::threshold_keys)).
    fn values(&self, counters: &[i64], thresholds: &[Quantity]) -> Vec<(Quantity, Quantity)> {
        self.measures()
            .iter()
            .enumerate()
            .map(|(index, spec)| {
                let value = counters.get(index).copied().unwrap_or(0);
                (
                    Quantity::of_counter(spec.unit, value),
                    thresholds.get(index).copied().unwrap_or(Quantity::Count(0)),
                )
            })
            .collect()
    }

    /// The values that depend on no tier, in measure order (a prefix of
    /// the measures), for `explain`.
    fn tier_independent_values(&self, counters: &[i64]) -> Vec<Quantity> {
        self.measures()
            .iter()
            .zip(counters)
            .map(|(spec, &value)| Quantity::of_counter(spec.unit, value))
            .collect()
    }

    /// The measure whose value is the number of entries `explain` lists as
    /// counted, if there is one (a property the tests check).
    fn counted_entries_measure(&self) -> Option<&'static str> {
        None
    }

    /// Whether the kind is judged by looking back on the tier's other
    /// requirements day by day (sustained attainment), rather than counted.
    fn looks_back(&self) -> bool {
        false
    }

    /// When a shortfall on `as_of` is a grace period rather than a failure:
    /// the last day of the grace.
    fn grace_until(
        &self,
        _partner: &Partner,
        _program: &Program,
        _as_of: NaiveDate,
    ) -> Option<NaiveDate> {
        None
    }

    /// What a tier's `thresholds` ask of people, for the plan.
    fn knowledge_needs(&self, _thresholds: &[Quantity], _needs: &mut KnowledgeNeeds) {}

    /// What looks wrong in the records the kind reads, as of `as_of` (whose
    /// rolling window is `window`).
    fn warnings(&self, _context: &Context, _as_of: NaiveDate, _window: Window) -> Vec<Warning> {
        Vec::new()
    }

    /// What the plan does about this requirement when it is not met.
    fn plan_step(&self, ask: &PlanAsk) -> PlanStep;

    /// Rewrites the notes of `explain`'s counted entries once every record is
    /// laid out; `sides` gives, per tier, its thresholds.
    fn annotate(
        &self,
        _counters: &[i64],
        _sides: &[(Tier, &[Quantity])],
        _counted: &mut [ledger::CountedEntry],
    ) {
    }
}

/// What a kind counts with: the partner's data and the program's facts.
pub struct Context<'a> {
    /// The partner's data.
    pub partner: &'a Partner,
    /// The program's facts.
    pub program: &'a Program,
}

/// On which as-of dates a record counts.
#[derive(Debug, Clone)]
pub enum When<'e> {
    /// A dated record: from its date on; when the requirement is time-bound,
    /// until the rolling window leaves the date behind.
    Dated(NaiveDate),
    /// A credential or validation: from the day it was earned until the day
    /// it expires (for ever without one).
    Active {
        /// Earned or achieved on.
        from: NaiveDate,
        /// Expires on: no longer active from this day.
        expires_on: Option<NaiveDate>,
    },
    /// Every as-of date.
    Always,
    /// On the dates of these disjoint intervals, in order (what a person
    /// counts for, from the credentials that count).
    During(&'e [Interval]),
    /// No as-of date, for this reason.
    Never(Reason),
}

/// An end of a record's interval besides the window's (the legacy credits'
/// last day, the fee's membership year): from `on`, it no longer counts.
#[derive(Debug, Clone)]
pub struct End {
    /// The first as-of date it no longer counts on.
    pub on: Option<NaiveDate>,
    /// Why, on that date and after.
    pub reason: Reason,
}

/// A record that counts once per something (a person, a customer, a
/// designation): on a date, the first entry of its key that counts is the
/// one counted; the others are excluded for `reason`.
#[derive(Clone, Copy)]
pub struct Once<'e> {
    /// What it counts once per.
    pub key: u64,
    /// Why a later entry of the key does not count.
    pub reason: OnDate<'e, Reason>,
}

/// When `explain` lists an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Whether it counts or not.
    Always,
    /// Only when it counts (a person counted from their credentials).
    WhenCounted,
    /// Only when it does not (a credential: the person is listed instead).
    WhenExcluded,
    /// Only when it is excluded because its key counted already.
    WhenRepeated,
    /// Never: it only adds to a counter.
    Never,
}

/// Makes a record's name, for `explain`.
pub type RecordOf<'e> = &'e dyn Fn() -> Record;
/// Makes a note or a reason that may depend on the as-of date.
pub type OnDate<'e, T> = &'e dyn Fn(NaiveDate) -> T;

/// One record of a kind, on the line of as-of dates.
pub struct Entry<'e> {
    /// When it counts.
    pub when: When<'e>,
    /// An end besides the window's.
    pub end: Option<End>,
    /// The first counter it adds to.
    pub counter: usize,
    /// What it adds to that counter and the next ones (none: it only
    /// explains).
    pub amounts: &'e [i64],
    /// The record's name.
    pub record: RecordOf<'e>,
    /// A note for a counted entry.
    pub note: Option<OnDate<'e, String>>,
    /// Whether it counts once per key.
    pub once: Option<Once<'e>>,
    /// What it adds to a money measure, for `explain`.
    pub counts_usd: Option<Cents>,
    /// When `explain` lists it.
    pub shown: Shown,
}

impl End {
    /// An end on the first day: the record never counts, for `reason`, once
    /// it is in the window (the date's own reasons come first).
    pub fn always(reason: Reason) -> End {
        End {
            on: Some(NaiveDate::MIN),
            reason,
        }
    }
}

impl<'e> Entry<'e> {
    /// A record that counts as `when` says, adding nothing yet.
    pub fn new(when: When<'e>, record: RecordOf<'e>) -> Self {
        Entry {
            when,
            end: None,
            counter: 0,
            amounts: &[],
            record,
            note: None,
            once: None,
            counts_usd: None,
            shown: Shown::Always,
        }
    }

    /// Adds `amounts` to the counters from `counter` on.
    pub fn adds(self, counter: usize, amounts: &'e [i64]) -> Self {
        Entry {
            counter,
            amounts,
            ..self
        }
    }

    /// Counts once per `key`; `once` says why a later one does not.
    pub fn once_per(self, key: u64, reason: OnDate<'e, Reason>) -> Self {
        Entry {
            once: Some(Once { key, reason }),
            ..self
        }
    }

    /// Ends besides the window.
    pub fn ending(self, end: End) -> Self {
        Entry {
            end: Some(end),
            ..self
        }
    }

    /// With a note when it counts.
    pub fn noted(self, note: OnDate<'e, String>) -> Self {
        Entry {
            note: Some(note),
            ..self
        }
    }

    /// Adds `usd` to a money measure, as `explain` shows.
    pub fn usd(self, usd: Cents) -> Self {
        Entry {
            counts_usd: Some(usd),
            ..self
        }
    }

    /// Listed by `explain` only as `shown` says.
    pub fn shown(self, shown: Shown) -> Self {
        Entry { shown, ..self }
    }
}

/// Where a kind lays its entries: one-date scoring and `explain`, or the
/// many-date timeline.
pub trait Sink {
    /// One record on the line of as-of dates.
    fn entry(&mut self, entry: Entry<'_>);
}

/// Declares the kinds: each variant, its name in rule files and the file
/// that defines it. This is the one place that lists them.
macro_rules! registry {
    ($($variant:ident = $name:literal => $rule:path,)+) => {
        /// A requirement kind, as named in rule files.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
        pub enum Kind {
            $(
                #[doc = concat!("`", $name, "`.")]
                #[serde(rename = $name)]
                $variant,
            )+
        }

        impl Kind {
            /// Every kind, in registration order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),+];

            /// The kind's name as written in rule files.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)+
                }
            }

            /// What the kind means.
            pub fn rule(self) -> &'static dyn KindRule {
                match self {
                    $(Kind::$variant => &$rule,)+
                }
            }
        }
    };
}

registry! {
    ProgramFee = "program-fee" => program_fee::ProgramFee,
    AccreditedProfessionals = "accredited-professionals" => accredited_professionals::AccreditedProfessionals,
    FoundationalCertified = "foundational-certified" => foundational_certified::FoundationalCertified,
    TechnicalCertified = "technical-certified" => technical_certified::TechnicalCertified,
    LaunchedOpportunities = "launched-opportunities" => launched_opportunities::LaunchedOpportunities,
    DirectRevenue = "direct-revenue" => direct_revenue::DirectRevenue,
    ProductListing = "product-listing" => product_listing::ProductListing,
    BusinessPlan = "business-plan" => business_plan::BusinessPlan,
    TechnicalBaselineReview = "technical-baseline-review" => technical_baseline_review::TechnicalBaselineReview,
    ProgramValidations = "program-validations" => program_validations::ProgramValidations,
    SustainedAttainment = "sustained-attainment" => sustained_attainment::SustainedAttainment,
    ExecutiveBusinessReview = "executive-business-review" => executive_business_review::ExecutiveBusinessReview,
    PublicReferences = "public-references" => public_references::PublicReferences,
    CsatResponses = "csat-responses" => csat_responses::CsatResponses,
}

impl Kind {
    /// The measures the kind reports, in output order.
    pub fn measures(self) -> &'static [MeasureSpec] {
        self.rule().measures()
    }

    /// The threshold keys a rule file gives for the kind.
    pub fn threshold_keys(self) -> &'static [MeasureSpec] {
        self.rule().threshold_keys()
    }

    /// Whether the kind counts dated records, and so can be time-bound.
    pub fn can_be_time_bound(self) -> bool {
        self.rule().can_be_time_bound()
    }
}
