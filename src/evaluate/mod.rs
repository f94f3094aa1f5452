//! Evaluation: a partner's data, a rule set and an as-of date in, a
//! scorecard out. Pure: no I/O, no clock. Each requirement kind is counted
//! by one function below; thresholds come from the rule set.

use std::collections::{BTreeSet, HashMap};

use chrono::{Days, NaiveDate};

use crate::calendar::{Window, first_anniversary_on_or_after, latest_anniversary_on_or_before};
use crate::money::Cents;
use crate::partner::{AccreditationKind, Origin, Partner, Program, Stage, Via, normalize_domain};
use crate::rules::{Kind, Level, Quantity, Requirement, RuleSet, normalize_name};
use crate::scorecard::{
    Gap, Measure, NextTier, RequirementResult, Scorecard, Shortfall, Status, TierResult,
};
use crate::tiers::Tier;

/// Scores `partner` against `rules` as of `as_of`.
pub fn score(partner: &Partner, rules: &RuleSet, as_of: NaiveDate) -> Scorecard {
    let day = Day::new(partner, rules, as_of);
    let track = partner.info.track;
    let current = partner.info.tier;
    let tiers: Vec<TierResult> = rules
        .tiers(track)
        .iter()
        .map(|&tier| day.evaluate_tier(tier))
        .collect();
    let eligible_tier = tiers
        .iter()
        .filter(|result| result.met)
        .map(|result| result.tier)
        .max()
        .unwrap_or(Tier::Registered);
    let compliant = current == Tier::Registered
        || tiers
            .iter()
            .any(|result| result.tier == current && result.met);
    let next_tier = rules
        .tiers(track)
        .iter()
        .find(|&&tier| tier > current)
        .and_then(|&tier| tiers.iter().find(|result| result.tier == tier))
        .map(next_tier_gaps);
    Scorecard {
        partner: partner.info.name.clone(),
        track,
        current_tier: current,
        as_of,
        window_start: day.window.start,
        review_date: review_date(partner, rules, as_of),
        eligible_tier,
        compliant,
        tiers,
        next_tier,
        rules: rules.name.clone(),
    }
}

/// The first renewal anniversary on or after `as_of`, moved by the rule
/// set's review grace when it falls inside it.
pub fn review_date(partner: &Partner, rules: &RuleSet, as_of: NaiveDate) -> NaiveDate {
    let review = first_anniversary_on_or_after(partner.info.renewal_date, as_of);
    match rules.review_grace {
        Some(grace) if (grace.from..=grace.to).contains(&review) => grace.review_on,
        _ => review,
    }
}

fn next_tier_gaps(tier: &TierResult) -> NextTier {
    let gaps = tier
        .unmet()
        .map(|requirement| Gap {
            id: requirement.id.clone(),
            alternative: requirement.alternative.clone(),
            measures: requirement
                .measures
                .iter()
                .filter_map(|measure| {
                    measure.shortfall().map(|shortfall| Shortfall {
                        name: measure.name,
                        value: measure.value,
                        required: measure.required,
                        shortfall,
                        spec: measure.spec,
                    })
                })
                .collect(),
        })
        .collect();
    NextTier {
        tier: tier.tier,
        gaps,
    }
}

/// Whether every requirement counts as met and every alternative group has
/// a member that does.
fn all_met(requirements: &[RequirementResult]) -> bool {
    requirements
        .iter()
        .all(|requirement| match &requirement.alternative {
            None => requirement.status.counts_as_met(),
            Some(group) => requirements.iter().any(|member| {
                member.alternative.as_ref() == Some(group) && member.status.counts_as_met()
            }),
        })
}

/// Whether a credential is active on `day`.
fn active(earned_on: NaiveDate, expires_on: Option<NaiveDate>, day: NaiveDate) -> bool {
    earned_on <= day && expires_on.is_none_or(|expires| expires > day)
}

/// One evaluation day: the partner, the rules, the as-of date and its window.
struct Day<'a> {
    partner: &'a Partner,
    rules: &'a RuleSet,
    as_of: NaiveDate,
    window: Window,
}

/// What a requirement kind counted, before a tier's thresholds apply.
enum Counted {
    Fee(Cents),
    Accredited {
        technical_only: u64,
        business_only: u64,
        both: u64,
    },
    Technical {
        individuals: u64,
        professional_or_specialty: u64,
    },
    Launched {
        count: u64,
        mrr: Cents,
    },
    Validations {
        designations: u64,
        msp_or_devops: u64,
    },
    /// One count (or amount) against one threshold.
    Single(Quantity),
    /// Sustained attainment: counted per tier by looking back day by day.
    LookBack,
}

impl<'a> Day<'a> {
    fn new(partner: &'a Partner, rules: &'a RuleSet, as_of: NaiveDate) -> Self {
        Day {
            partner,
            rules,
            as_of,
            window: Window::ending_on(as_of, rules.window_months),
        }
    }

    /// Whether a record dated `date` counts for `requirement`: in the window
    /// when time-bound, else on or before the as-of date.
    fn in_scope(&self, requirement: &Requirement, date: NaiveDate) -> bool {
        if requirement.time_bound {
            self.window.contains(date)
        } else {
            date <= self.as_of
        }
    }

    fn evaluate_tier(&self, tier: Tier) -> TierResult {
        let requirements = self.judge_tier(tier, |_| true);
        TierResult {
            tier,
            met: all_met(&requirements),
            requirements,
        }
    }

    /// Whether every requirement of `tier` except sustained attainment and
    /// the applicants-only ones counts as met on this day.
    fn tier_met_without_look_back(&self, tier: Tier) -> bool {
        all_met(&self.judge_tier(tier, |requirement| {
            requirement.kind != Kind::SustainedAttainment && !requirement.applicants_only
        }))
    }

    /// Evaluates the requirements of `tier` that `include` selects.
    fn judge_tier(
        &self,
        tier: Tier,
        include: impl Fn(&Requirement) -> bool,
    ) -> Vec<RequirementResult> {
        let track = self.partner.info.track;
        self.rules
            .requirements
            .iter()
            .filter(|requirement| include(requirement))
            .filter_map(|requirement| {
                requirement
                    .thresholds(track, tier)
                    .map(|thresholds| self.judge(requirement, tier, thresholds))
            })
            .collect()
    }

    /// Evaluates one requirement for one tier.
    fn judge(
        &self,
        requirement: &Requirement,
        tier: Tier,
        thresholds: &[Quantity],
    ) -> RequirementResult {
        let exempt = requirement.applicants_only && self.partner.info.tier >= tier;
        let values = self.values(requirement, tier, thresholds, exempt);
        let measures: Vec<Measure> = requirement
            .kind
            .measures()
            .iter()
            .zip(values)
            .map(|(spec, (value, required))| Measure {
                name: spec.name,
                value,
                required,
                spec,
            })
            .collect();
        let reached = measures.iter().all(|measure| measure.shortfall().is_none());
        let mut grace_until = None;
        let status = if exempt {
            Status::Exempt
        } else if reached {
            Status::Met
        } else if requirement.kind == Kind::ProgramFee {
            grace_until = self.fee_grace_until();
            if grace_until.is_some() {
                Status::Grace
            } else {
                Status::NotMet
            }
        } else {
            Status::NotMet
        };
        RequirementResult {
            id: requirement.id.clone(),
            title: requirement.title.clone(),
            status,
            time_bound: requirement.time_bound,
            alternative: requirement
                .alternative(self.partner.info.track)
                .map(str::to_owned),
            measures,
            grace_until,
        }
    }

    /// The last day of the fee's grace period, if the as-of date is in it.
    fn fee_grace_until(&self) -> Option<NaiveDate> {
        let anniversary =
            latest_anniversary_on_or_before(self.partner.info.renewal_date, self.as_of);
        let grace_days = u64::from(self.rules.fee_grace_days);
        let last = anniversary.checked_add_days(Days::new(grace_days.checked_sub(1)?))?;
        (self.as_of <= last).then_some(last)
    }

    /// Each measure's value and threshold, in the kind's measure order.
    fn values(
        &self,
        requirement: &Requirement,
        tier: Tier,
        thresholds: &[Quantity],
        exempt: bool,
    ) -> Vec<(Quantity, Quantity)> {
        let count = Quantity::Count;
        let threshold = |index: usize| thresholds.get(index).copied().unwrap_or(Quantity::Count(0));
        match self.count(requirement) {
            Counted::Fee(paid) => vec![(Quantity::Money(paid), threshold(0))],
            Counted::Accredited {
                technical_only,
                business_only,
                both,
            } => {
                let technical_minimum = match threshold(1) {
                    Quantity::Count(minimum) => minimum,
                    Quantity::Money(_) => 0,
                };
                // Those holding both fill the technical minimum first, as
                // few as needed; the rest go to business.
                let to_technical = both.min(technical_minimum.saturating_sub(technical_only));
                vec![
                    (count(technical_only + business_only + both), threshold(0)),
                    (count(technical_only + to_technical), threshold(1)),
                    (count(business_only + both - to_technical), threshold(2)),
                ]
            }
            Counted::Technical {
                individuals,
                professional_or_specialty,
            } => vec![
                (count(individuals), threshold(0)),
                (count(professional_or_specialty), threshold(1)),
            ],
            Counted::Launched {
                count: launched,
                mrr,
            } => vec![
                (count(launched), threshold(0)),
                (Quantity::Money(mrr), threshold(1)),
            ],
            Counted::Validations {
                designations,
                msp_or_devops,
            } => vec![
                (count(designations), threshold(0)),
                (count(msp_or_devops), threshold(1)),
            ],
            Counted::Single(value) => vec![(value, threshold(0))],
            Counted::LookBack => {
                let months = match threshold(0) {
                    Quantity::Count(months) => u32::try_from(months).unwrap_or(u32::MAX),
                    Quantity::Money(_) => 0,
                };
                let required =
                    u64::try_from(Window::ending_on(self.as_of, months).days()).unwrap_or(0);
                let days = if exempt {
                    0
                } else {
                    self.sustained_days(tier, required)
                };
                vec![(count(days), count(required))]
            }
        }
    }

    /// Consecutive days ending on the as-of date, at most `limit`, on which
    /// the tier's other requirements were all met, each as of that day.
    fn sustained_days(&self, tier: Tier, limit: u64) -> u64 {
        let mut days = 0;
        while days < limit {
            let Some(day) = self.as_of.checked_sub_days(Days::new(days)) else {
                break;
            };
            if !Day::new(self.partner, self.rules, day).tier_met_without_look_back(tier) {
                break;
            }
            days += 1;
        }
        days
    }

    /// Counts what a requirement's kind counts on this day.
    fn count(&self, requirement: &Requirement) -> Counted {
        let partner = self.partner;
        let as_of = self.as_of;
        let single_count = |count: usize| Counted::Single(Quantity::Count(count as u64));
        match requirement.kind {
            Kind::ProgramFee => Counted::Fee(
                partner
                    .fee_payments
                    .iter()
                    .filter(|fee| self.in_scope(requirement, fee.paid_on))
                    .map(|fee| fee.amount_usd)
                    .sum(),
            ),
            Kind::AccreditedProfessionals => self.count_accredited(),
            Kind::FoundationalCertified => single_count(
                self.registered_people()
                    .filter(|person| {
                        person.certifications.iter().any(|certification| {
                            certification.level == Level::Foundational
                                && active(certification.earned_on, certification.expires_on, as_of)
                                && person.is_linked(certification.account_email.as_deref())
                        })
                    })
                    .count(),
            ),
            Kind::TechnicalCertified => self.count_technical(),
            Kind::LaunchedOpportunities => self.count_launched(requirement),
            Kind::DirectRevenue => {
                Counted::Single(Quantity::Money(self.direct_revenue(requirement)))
            }
            Kind::ProductListing => single_count(partner.products.iter().filter(|p| p.ga).count()),
            Kind::BusinessPlan => single_count(usize::from(
                partner
                    .business_plan
                    .as_ref()
                    .and_then(|plan| plan.signed_off_on)
                    .is_some_and(|signed| self.in_scope(requirement, signed)),
            )),
            Kind::TechnicalBaselineReview => single_count(
                partner
                    .validations
                    .iter()
                    .filter(|validation| {
                        validation.program == Program::TechnicalBaselineReview
                            && active(validation.achieved_on, validation.expires_on, as_of)
                    })
                    .count(),
            ),
            Kind::ProgramValidations => self.count_validations(),
            Kind::SustainedAttainment => Counted::LookBack,
            Kind::ExecutiveBusinessReview => single_count(
                partner
                    .executive_business_reviews
                    .iter()
                    .filter(|review| review.approved && review.completed_on <= as_of)
                    .count(),
            ),
            Kind::PublicReferences => single_count(self.count_reference_customers(requirement)),
            Kind::CsatResponses => single_count(
                partner
                    .csat_responses
                    .iter()
                    .filter(|response| {
                        self.in_scope(requirement, response.submitted_on)
                            && response.email_confirmed
                            && response.aws_customer
                    })
                    .count(),
            ),
        }
    }

    fn registered_people(&self) -> impl Iterator<Item = &'a crate::partner::Person> {
        self.partner
            .people
            .iter()
            .filter(|person| person.registered)
    }

    fn count_accredited(&self) -> Counted {
        let (mut technical_only, mut business_only, mut both) = (0, 0, 0);
        for person in self.registered_people() {
            let holds = |kind: AccreditationKind| {
                person.accreditations.iter().any(|accreditation| {
                    accreditation.kind == kind
                        && active(
                            accreditation.earned_on,
                            accreditation.expires_on,
                            self.as_of,
                        )
                        && person.is_linked(accreditation.account_email.as_deref())
                })
            };
            match (
                holds(AccreditationKind::Technical),
                holds(AccreditationKind::Business),
            ) {
                (true, true) => both += 1,
                (true, false) => technical_only += 1,
                (false, true) => business_only += 1,
                (false, false) => {}
            }
        }
        Counted::Accredited {
            technical_only,
            business_only,
            both,
        }
    }

    fn count_technical(&self) -> Counted {
        let (mut individuals, mut professional_or_specialty) = (0, 0);
        for person in self.registered_people() {
            let highest = person
                .certifications
                .iter()
                .filter(|certification| {
                    certification.level != Level::Foundational
                        && active(
                            certification.earned_on,
                            certification.expires_on,
                            self.as_of,
                        )
                        && person.is_linked(certification.account_email.as_deref())
                })
                .map(|certification| certification.level)
                .max();
            if let Some(level) = highest {
                individuals += 1;
                if level >= Level::Professional {
                    professional_or_specialty += 1;
                }
            }
        }
        Counted::Technical {
            individuals,
            professional_or_specialty,
        }
    }

    fn count_launched(&self, requirement: &Requirement) -> Counted {
        let mut count = 0;
        let mut mrr = Cents::ZERO;
        for opportunity in &self.partner.opportunities {
            let counts = opportunity.stage == Stage::Launched
                && opportunity.origin != Origin::Marketplace
                && opportunity
                    .launched_on
                    .is_some_and(|launched| self.in_scope(requirement, launched));
            if counts {
                count += 1;
                // Cannot overflow: the loader checked that all opportunities'
                // MRR adds up within range (`partner::check_total`).
                mrr = Cents(mrr.0 + opportunity.mrr_usd.0);
            }
        }
        if self.as_of <= self.rules.legacy_credit_until {
            count += self
                .partner
                .legacy_account_submissions
                .iter()
                .filter(|submission| self.in_scope(requirement, submission.submitted_on))
                .count() as u64;
        }
        Counted::Launched { count, mrr }
    }

    fn direct_revenue(&self, requirement: &Requirement) -> Cents {
        let domains = &self.partner.info.domains;
        let reduces = |credit_type: &str| {
            let credit_type = normalize_name(credit_type);
            !self.rules.non_reducing_credit_types.contains(&credit_type)
        };
        self.partner
            .revenue
            .iter()
            .filter(|line| {
                self.in_scope(requirement, line.billed_on)
                    && domains.contains(&normalize_domain(&line.domain))
            })
            .map(|line| {
                let reducing: Cents = line
                    .credits
                    .iter()
                    .filter(|credit| reduces(&credit.credit_type))
                    .map(|credit| credit.amount_usd)
                    .sum();
                line.amount_usd.saturating_sub(reducing)
            })
            .sum()
    }

    fn count_validations(&self) -> Counted {
        let mut designations = BTreeSet::new();
        let mut key = BTreeSet::new();
        for validation in &self.partner.validations {
            if !active(validation.achieved_on, validation.expires_on, self.as_of) {
                continue;
            }
            let (designation, is_key) = match validation.program {
                Program::Competency => {
                    let name = normalize_name(validation.name.as_deref().unwrap_or_default());
                    let is_key = self.rules.key_competencies.contains(&name);
                    (format!("competency:{name}"), is_key)
                }
                Program::Msp => ("msp".to_owned(), true),
                Program::WellArchitected => ("well-architected".to_owned(), false),
                Program::TechnicalBaselineReview => continue,
            };
            if is_key {
                key.insert(designation.clone());
            }
            designations.insert(designation);
        }
        Counted::Validations {
            designations: designations.len() as u64,
            msp_or_devops: key.len() as u64,
        }
    }

    fn count_reference_customers(&self, requirement: &Requirement) -> usize {
        let launched: HashMap<&str, NaiveDate> = self
            .partner
            .opportunities
            .iter()
            .filter_map(|opportunity| {
                opportunity
                    .launched_on
                    .map(|launched| (opportunity.id.as_str(), launched))
            })
            .collect();
        self.partner
            .references
            .iter()
            .filter(|reference| {
                reference.public
                    && self.in_scope(requirement, reference.submitted_on)
                    && match reference.via {
                        Via::Ace => reference
                            .opportunity
                            .as_deref()
                            .and_then(|id| launched.get(id))
                            .is_some_and(|launched| *launched <= self.as_of),
                        Via::ReferenceTool => {
                            reference.approved
                                && reference.url.as_deref().is_some_and(|url| {
                                    url.starts_with("http://") || url.starts_with("https://")
                                })
                        }
                        Via::Legacy => true,
                    }
            })
            .map(|reference| normalize_name(&reference.customer))
            .collect::<BTreeSet<_>>()
            .len()
    }
}

#[cfg(test)]
mod tests;
