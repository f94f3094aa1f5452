//! `public-references`: distinct customers with a public reference, dated by
//! submission. How it was submitted decides whether it counts: via ACE, its
//! opportunity must be launched, not a marketplace transaction, and
//! launched on or before the reference (the customer counted is the
//! opportunity's when it names one); via the reference tool, an http(s) URL
//! and approval; legacy references count as they are.

use chrono::NaiveDate;
use compact_str::CompactString;

use super::ledger::{Reason, Record};
use super::{Context, End, Entry, KindRule, MeasureSpec, PlanAsk, PlanStep, Sink, Warning, When};
use crate::calendar::Window;
use crate::partner::{OpportunityLink, Origin, Reference, Stage, Via};

/// The kind.
pub struct PublicReferences;

/// Why a public reference does not count by how it was submitted, or the
/// customer it counts as: normalised, and as written when it is not the
/// reference's own.
fn counts_as<'p>(
    context: &'p Context,
    reference: &Reference,
) -> Result<(CompactString, Option<&'p str>), Reason> {
    let id = || reference.opportunity.clone().unwrap_or_default();
    match (reference.via, reference.link) {
        (Via::Ace, OpportunityLink::At(at)) => {
            let Some(opportunity) = context.partner.opportunities.get(at) else {
                return Err(Reason::OpportunityUnknown(id()));
            };
            match (opportunity.stage, opportunity.launched_on) {
                (Stage::Launched, Some(_)) if opportunity.origin == Origin::Marketplace => {
                    Err(Reason::OpportunityMarketplace(id()))
                }
                (Stage::Launched, Some(launched)) if launched > reference.submitted_on => {
                    Err(Reason::OpportunityLaunchedAfter(id(), launched))
                }
                (Stage::Launched, Some(_)) => Ok(
                    match (&opportunity.customer, &reference.linked_customer_key) {
                        (Some(customer), Some(key)) => {
                            let other =
                                (*key != reference.customer_key).then_some(customer.as_str());
                            (key.clone(), other)
                        }
                        _ => (reference.customer_key.clone(), None),
                    },
                ),
                _ => Err(Reason::OpportunityNotLaunched(id())),
            }
        }
        (Via::Ace, _) => Err(Reason::OpportunityUnknown(id())),
        (Via::ReferenceTool, _) => {
            let http = reference
                .url
                .as_deref()
                .is_some_and(|url| url.starts_with("http://") || url.starts_with("https://"));
            if !http {
                Err(Reason::NoHttpUrl)
            } else if !reference.approved {
                Err(Reason::PendingApproval)
            } else {
                Ok((reference.customer_key.clone(), None))
            }
        }
        (Via::Legacy, _) => Ok((reference.customer_key.clone(), None)),
    }
}

impl KindRule for PublicReferences {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[count!(
            "customers",
            "publicly referenceable customer",
            "publicly referenceable customers"
        )]
    }

    fn can_be_time_bound(&self) -> bool {
        true
    }

    fn table(&self) -> &'static str {
        "references"
    }

    fn lay_out(&self, context: &Context, sink: &mut dyn Sink) {
        let references = &context.partner.references;
        let mut customers: foldhash::HashMap<CompactString, u64> =
            foldhash::HashMap::with_capacity_and_hasher(
                references.len(),
                foldhash::fast::RandomState::default(),
            );
        let already = |_| Reason::CustomerAlreadyCounted;
        for reference in references {
            let record = || Record::of_reference(reference);
            if !reference.public {
                sink.entry(Entry::new(When::Never(Reason::NotPublic), &record));
                continue;
            }
            let entry = Entry::new(When::Dated(reference.submitted_on), &record);
            match counts_as(context, reference) {
                Err(reason) => sink.entry(entry.ending(End::always(reason))),
                Ok((customer, other)) => {
                    let next = customers.len() as u64;
                    let key = *customers.entry(customer).or_insert(next);
                    let note = |_| match &other {
                        Some(customer) => {
                            format!("counted as the opportunity's customer `{customer}`")
                        }
                        None => String::new(),
                    };
                    let mut entry = entry.adds(0, &[1]).once_per(key, &already);
                    if other.is_some() {
                        entry = entry.noted(&note);
                    }
                    sink.entry(entry);
                }
            }
        }
    }

    fn counted_entries_measure(&self) -> Option<&'static str> {
        Some("customers")
    }

    /// An ACE reference whose customer is not its opportunity's: it counts
    /// as the opportunity's customer.
    fn warnings(&self, context: &Context, _as_of: NaiveDate, _window: Window) -> Vec<Warning> {
        let opportunities = &context.partner.opportunities;
        let mut warnings = Vec::new();
        for (index, reference) in context.partner.references.iter().enumerate() {
            let OpportunityLink::At(at) = reference.link else {
                continue;
            };
            let Some(opportunity) = opportunities.get(at) else {
                continue;
            };
            let (Some(customer), Some(key)) =
                (&opportunity.customer, &reference.linked_customer_key)
            else {
                continue;
            };
            if *key != reference.customer_key {
                warnings.push(Warning {
                    code: "reference-customer-differs",
                    message: format!(
                        "reference for `{}` names opportunity `{}` of customer `{customer}`; it counts as `{customer}`",
                        reference.customer, opportunity.id
                    ),
                    line: None,
                    record: ("references", index),
                });
            }
        }
        warnings
    }

    fn plan_step(&self, _ask: &PlanAsk) -> PlanStep {
        PlanStep::MoreRecords
    }
}
