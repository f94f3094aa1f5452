//! What each requirement kind counts on one day. Every record considered is
//! reported to a [`Ledger`]: counted, or excluded with its reason. Scoring
//! and `explain` share this code, so they cannot disagree.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::{Counted, Day};
use crate::explain::{
    BOTH_ACCREDITATIONS, BUSINESS_ONLY, CountedEntry, Ledger, Reason, Record, TECHNICAL_ONLY,
};
use crate::money::Cents;
use crate::partner::{
    AccreditationKind, HeldCertification, OpportunityLink, Origin, Person, Program, Reference,
    Stage, Via,
};
use crate::rules::{Kind, Level, Quantity, Requirement, normalize_name};

fn counted(record: Record) -> CountedEntry {
    CountedEntry {
        record,
        note: None,
        counts_usd: None,
    }
}

fn noted(record: Record, note: String) -> CountedEntry {
    CountedEntry {
        record,
        note: Some(note),
        counts_usd: None,
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Foundational => "foundational",
        Level::Associate => "associate",
        Level::Professional => "professional",
        Level::Specialty => "specialty",
    }
}

impl<'a> Day<'a> {
    /// Counts what a requirement's kind counts on this day, reporting every
    /// record considered to `ledger`.
    pub(crate) fn count<L: Ledger>(&self, requirement: &Requirement, ledger: &mut L) -> Counted {
        let single = |count: u64| Counted::Single(Quantity::Count(count));
        match requirement.kind {
            Kind::ProgramFee => Counted::Fee(self.count_fee(requirement, ledger)),
            Kind::AccreditedProfessionals => self.count_accredited(ledger),
            Kind::FoundationalCertified => single(self.count_foundational(ledger)),
            Kind::TechnicalCertified => self.count_technical(ledger),
            Kind::LaunchedOpportunities => self.count_launched(requirement, ledger),
            Kind::DirectRevenue => Counted::Single(Quantity::Money(
                self.count_direct_revenue(requirement, ledger),
            )),
            Kind::ProductListing => single(self.count_products(ledger)),
            Kind::BusinessPlan => single(self.count_business_plan(requirement, ledger)),
            Kind::TechnicalBaselineReview => single(self.count_baseline_reviews(ledger)),
            Kind::ProgramValidations => self.count_validations(ledger),
            Kind::SustainedAttainment => Counted::LookBack,
            Kind::ExecutiveBusinessReview => single(self.count_reviews(ledger)),
            Kind::PublicReferences => single(self.count_reference_customers(requirement, ledger)),
            Kind::CsatResponses => single(self.count_csat(requirement, ledger)),
        }
    }

    /// Why a record dated `date` is out of scope for `requirement`, if it is:
    /// after the as-of date, or, when time-bound, outside the window.
    fn out_of_scope(&self, requirement: &Requirement, date: NaiveDate) -> Option<Reason> {
        if date > self.as_of {
            Some(Reason::AfterAsOf)
        } else if requirement.time_bound && !self.window.contains(date) {
            Some(Reason::OutsideWindow {
                start: self.window.start,
                end: self.as_of,
            })
        } else {
            None
        }
    }

    /// Why a credential or validation is not active on this day, if it is not.
    fn inactive(&self, from: NaiveDate, expires_on: Option<NaiveDate>) -> Option<Reason> {
        if from > self.as_of {
            Some(Reason::NotActiveYet(from))
        } else {
            expires_on
                .filter(|expires| *expires <= self.as_of)
                .map(Reason::Expired)
        }
    }

    /// Why a person's credential does not count, if it does not.
    fn credential_excluded(
        &self,
        person: &Person,
        from: NaiveDate,
        expires_on: Option<NaiveDate>,
        account_email: Option<&str>,
    ) -> Option<Reason> {
        if !person.registered {
            return Some(Reason::PersonNotRegistered);
        }
        self.inactive(from, expires_on).or_else(|| {
            (!person.is_linked(account_email))
                .then(|| Reason::UnlinkedEmail(account_email.unwrap_or_default().to_owned()))
        })
    }

    fn count_fee<L: Ledger>(&self, requirement: &Requirement, ledger: &mut L) -> Cents {
        let mut paid = Cents::ZERO;
        for fee in &self.partner.fee_payments {
            let record = || Record::FeePayment {
                paid_on: fee.paid_on,
                amount_usd: fee.amount_usd,
            };
            match self.out_of_scope(requirement, fee.paid_on) {
                Some(reason) => ledger.excluded(record, || reason),
                None => {
                    // Cannot overflow: the loader checked the list's total.
                    paid = Cents(paid.0 + fee.amount_usd.0);
                    ledger.counted(|| CountedEntry {
                        counts_usd: Some(fee.amount_usd),
                        ..counted(record())
                    });
                }
            }
        }
        paid
    }

    fn count_accredited<L: Ledger>(&self, ledger: &mut L) -> Counted {
        let (mut technical_only, mut business_only, mut both) = (0, 0, 0);
        for person in &self.partner.people {
            let mut holds = |kind: AccreditationKind| {
                let mut found = false;
                for accreditation in person.accreditations.iter().filter(|a| a.kind == kind) {
                    let record = || Record::of_accreditation(person, accreditation);
                    let excluded = self.credential_excluded(
                        person,
                        accreditation.earned_on,
                        accreditation.expires_on,
                        accreditation.account_email.as_deref(),
                    );
                    match excluded {
                        Some(reason) => ledger.excluded(record, || reason),
                        None if found => ledger.excluded(record, || {
                            Reason::CountedOnce(format!(
                                "the person holds another {} accreditation",
                                kind.as_str()
                            ))
                        }),
                        None => found = true,
                    }
                }
                found
            };
            let technical = holds(AccreditationKind::Technical);
            let business = holds(AccreditationKind::Business);
            let note = match (technical, business) {
                (true, true) => {
                    both += 1;
                    BOTH_ACCREDITATIONS
                }
                (true, false) => {
                    technical_only += 1;
                    TECHNICAL_ONLY
                }
                (false, true) => {
                    business_only += 1;
                    BUSINESS_ONLY
                }
                (false, false) => continue,
            };
            ledger.counted(|| {
                noted(
                    Record::Person {
                        email: person.email.clone(),
                    },
                    note.to_owned(),
                )
            });
        }
        Counted::Accredited {
            technical_only,
            business_only,
            both,
        }
    }

    fn count_foundational<L: Ledger>(&self, ledger: &mut L) -> u64 {
        let mut individuals = 0;
        for person in &self.partner.people {
            let mut counted_as: Option<&HeldCertification> = None;
            for certification in person
                .certifications
                .iter()
                .filter(|certification| certification.level == Level::Foundational)
            {
                let record = || Record::of_certification(self.rules, person, certification);
                let excluded = self.credential_excluded(
                    person,
                    certification.earned_on,
                    certification.expires_on,
                    certification.account_email.as_deref(),
                );
                match (excluded, counted_as) {
                    (Some(reason), _) => ledger.excluded(record, || reason),
                    (None, Some(_)) => ledger.excluded(record, || {
                        Reason::CountedOnce("the person counts already".to_owned())
                    }),
                    (None, None) => counted_as = Some(certification),
                }
            }
            if let Some(certification) = counted_as {
                individuals += 1;
                ledger.counted(|| {
                    let id = &self.rules.certifications[certification.catalog_index].id;
                    noted(
                        Record::Person {
                            email: person.email.clone(),
                        },
                        format!("holds {id}"),
                    )
                });
            }
        }
        individuals
    }

    fn count_technical<L: Ledger>(&self, ledger: &mut L) -> Counted {
        let (mut individuals, mut professional_or_specialty) = (0, 0);
        for person in &self.partner.people {
            let mut candidates: Vec<&HeldCertification> = Vec::new();
            for certification in &person.certifications {
                let record = || Record::of_certification(self.rules, person, certification);
                let excluded = if certification.level == Level::Foundational {
                    Some(Reason::FoundationalNotTechnical)
                } else {
                    self.credential_excluded(
                        person,
                        certification.earned_on,
                        certification.expires_on,
                        certification.account_email.as_deref(),
                    )
                };
                match excluded {
                    Some(reason) => ledger.excluded(record, || reason),
                    None => candidates.push(certification),
                }
            }
            // The highest level counts (professional and specialty rank
            // equal); the first of equals in the file is the one named.
            let Some(highest) = candidates.iter().copied().reduce(|best, next| {
                if rank(next.level) > rank(best.level) {
                    next
                } else {
                    best
                }
            }) else {
                continue;
            };
            individuals += 1;
            if rank(highest.level) == rank(Level::Professional) {
                professional_or_specialty += 1;
            }
            let highest_id = &self.rules.certifications[highest.catalog_index].id;
            ledger.counted(|| {
                noted(
                    Record::Person {
                        email: person.email.clone(),
                    },
                    format!(
                        "counted at {} level ({highest_id})",
                        level_name(highest.level)
                    ),
                )
            });
            for other in candidates.iter().filter(|c| !std::ptr::eq(**c, highest)) {
                ledger.excluded(
                    || Record::of_certification(self.rules, person, other),
                    || {
                        Reason::CountedOnce(format!(
                            "the person counts at {} level",
                            level_name(highest.level)
                        ))
                    },
                );
            }
        }
        Counted::Technical {
            individuals,
            professional_or_specialty,
        }
    }

    fn count_launched<L: Ledger>(&self, requirement: &Requirement, ledger: &mut L) -> Counted {
        let mut count = 0;
        let mut mrr = Cents::ZERO;
        for opportunity in &self.partner.opportunities {
            let record = || Record::Opportunity {
                id: opportunity.id.to_string(),
                launched_on: opportunity.launched_on,
                mrr_usd: opportunity.mrr_usd,
            };
            let excluded = match (opportunity.stage, opportunity.launched_on) {
                (Stage::Launched, Some(_)) if opportunity.origin == Origin::Marketplace => {
                    Some(Reason::Marketplace)
                }
                (Stage::Launched, Some(launched)) => self.out_of_scope(requirement, launched),
                (stage, _) => Some(Reason::NotLaunched(stage.as_str())),
            };
            match excluded {
                Some(reason) => ledger.excluded(record, || reason),
                None => {
                    count += 1;
                    // Cannot overflow: the loader checked that all
                    // opportunities' MRR adds up within range.
                    mrr = Cents(mrr.0 + opportunity.mrr_usd.0);
                    ledger.counted(|| CountedEntry {
                        counts_usd: Some(opportunity.mrr_usd),
                        ..counted(record())
                    });
                }
            }
        }
        let credits_ended = self.as_of > self.rules.legacy_credit_until;
        for submission in &self.partner.legacy_account_submissions {
            let record = || Record::LegacyCredit {
                account_id: submission.account_id.clone(),
                submitted_on: submission.submitted_on,
            };
            let excluded = self
                .out_of_scope(requirement, submission.submitted_on)
                .or_else(|| {
                    credits_ended
                        .then_some(Reason::LegacyCreditEnded(self.rules.legacy_credit_until))
                });
            match excluded {
                Some(reason) => ledger.excluded(record, || reason),
                None => {
                    count += 1;
                    ledger.counted(|| noted(record(), "+1 launched opportunity credit".to_owned()));
                }
            }
        }
        Counted::Launched { count, mrr }
    }

    fn count_direct_revenue<L: Ledger>(&self, requirement: &Requirement, ledger: &mut L) -> Cents {
        let mut total = Cents::ZERO;
        for line in &self.partner.revenue {
            let record = || Record::RevenueLine {
                account_id: line.account_id.to_string(),
                domain: line.domain.to_string(),
                billed_on: line.billed_on,
                amount_usd: line.amount_usd,
            };
            let excluded = self.out_of_scope(requirement, line.billed_on).or_else(|| {
                (!line.domain_on_file).then(|| Reason::DomainNotOnFile(line.domain.to_string()))
            });
            if let Some(reason) = excluded {
                ledger.excluded(record, || reason);
                continue;
            }
            let reduces = |credit_type: &str| {
                !self
                    .rules
                    .non_reducing_credit_types
                    .contains(&normalize_name(credit_type))
            };
            let reducing: Cents = line
                .credits
                .iter()
                .filter(|credit| reduces(&credit.credit_type))
                .map(|credit| credit.amount_usd)
                .sum();
            let value = line.amount_usd.saturating_sub(reducing);
            // Cannot overflow: each value is at most its line's amount, and
            // the loader checked the lines' total.
            total = Cents(total.0 + value.0);
            ledger.counted(|| {
                let credits: Vec<String> = line
                    .credits
                    .iter()
                    .map(|credit| {
                        let effect = if reduces(&credit.credit_type) {
                            "reduced it"
                        } else {
                            "exempt"
                        };
                        format!(
                            "{} credit {}: {effect}",
                            credit.credit_type, credit.amount_usd
                        )
                    })
                    .collect();
                CountedEntry {
                    record: record(),
                    note: (!credits.is_empty()).then(|| credits.join("; ")),
                    counts_usd: Some(value),
                }
            });
        }
        total
    }

    fn count_products<L: Ledger>(&self, ledger: &mut L) -> u64 {
        let mut products = 0;
        for product in &self.partner.products {
            let record = || Record::Product {
                name: product.name.clone(),
            };
            if product.ga {
                products += 1;
                ledger.counted(|| counted(record()));
            } else {
                ledger.excluded(record, || Reason::NotGa);
            }
        }
        products
    }

    fn count_business_plan<L: Ledger>(&self, requirement: &Requirement, ledger: &mut L) -> u64 {
        let Some(plan) = &self.partner.business_plan else {
            return 0;
        };
        let record = || Record::BusinessPlan {
            signed_off_on: plan.signed_off_on,
        };
        let excluded = match plan.signed_off_on {
            None => Some(Reason::NoSignOff),
            Some(signed) => self.out_of_scope(requirement, signed),
        };
        match excluded {
            Some(reason) => {
                ledger.excluded(record, || reason);
                0
            }
            None => {
                ledger.counted(|| counted(record()));
                1
            }
        }
    }

    fn count_baseline_reviews<L: Ledger>(&self, ledger: &mut L) -> u64 {
        let mut reviews = 0;
        for validation in self
            .partner
            .validations
            .iter()
            .filter(|validation| validation.program == Program::TechnicalBaselineReview)
        {
            match self.inactive(validation.achieved_on, validation.expires_on) {
                Some(reason) => ledger.excluded(|| Record::of_validation(validation), || reason),
                None => {
                    reviews += 1;
                    ledger.counted(|| counted(Record::of_validation(validation)));
                }
            }
        }
        reviews
    }

    fn count_validations<L: Ledger>(&self, ledger: &mut L) -> Counted {
        let mut designations = BTreeSet::new();
        let mut key = 0;
        for validation in &self.partner.validations {
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
            let record = || Record::of_validation(validation);
            if let Some(reason) = self.inactive(validation.achieved_on, validation.expires_on) {
                ledger.excluded(record, || reason);
            } else if designations.contains(&designation) {
                ledger.excluded(record, || Reason::DesignationAlreadyCounted);
            } else {
                designations.insert(designation);
                key += u64::from(is_key);
                ledger.counted(|| match is_key {
                    true => noted(record(), "counts toward MSP or DevOps".to_owned()),
                    false => counted(record()),
                });
            }
        }
        Counted::Validations {
            designations: designations.len() as u64,
            msp_or_devops: key,
        }
    }

    fn count_reviews<L: Ledger>(&self, ledger: &mut L) -> u64 {
        let mut reviews = 0;
        for review in &self.partner.executive_business_reviews {
            let record = || Record::ExecutiveBusinessReview {
                completed_on: review.completed_on,
            };
            if review.completed_on > self.as_of {
                ledger.excluded(record, || Reason::AfterAsOf);
            } else if !review.approved {
                ledger.excluded(record, || Reason::NotApproved);
            } else {
                reviews += 1;
                ledger.counted(|| counted(record()));
            }
        }
        reviews
    }

    fn count_reference_customers<L: Ledger>(
        &self,
        requirement: &Requirement,
        ledger: &mut L,
    ) -> u64 {
        let mut customers: foldhash::HashSet<&str> = foldhash::HashSet::with_capacity_and_hasher(
            self.partner.references.len(),
            foldhash::fast::RandomState::default(),
        );
        for reference in &self.partner.references {
            let record = || Record::of_reference(reference);
            let excluded = if reference.public {
                self.out_of_scope(requirement, reference.submitted_on)
                    .or_else(|| self.via_excluded(reference))
            } else {
                Some(Reason::NotPublic)
            };
            if let Some(reason) = excluded {
                ledger.excluded(record, || reason);
            } else if !customers.insert(&reference.customer_key) {
                ledger.excluded(record, || Reason::CustomerAlreadyCounted);
            } else {
                ledger.counted(|| counted(record()));
            }
        }
        customers.len() as u64
    }

    /// Why a public reference in scope does not count by how it was submitted.
    fn via_excluded(&self, reference: &Reference) -> Option<Reason> {
        let id = || reference.opportunity.clone().unwrap_or_default();
        match (reference.via, reference.link) {
            (Via::Ace, OpportunityLink::Launched(day)) if day <= self.as_of => None,
            (Via::Ace, OpportunityLink::Unknown) => Some(Reason::OpportunityUnknown(id())),
            (Via::Ace, _) => Some(Reason::OpportunityNotLaunched(id())),
            (Via::ReferenceTool, _) => {
                let http = reference
                    .url
                    .as_deref()
                    .is_some_and(|url| url.starts_with("http://") || url.starts_with("https://"));
                if !http {
                    Some(Reason::NoHttpUrl)
                } else if !reference.approved {
                    Some(Reason::PendingApproval)
                } else {
                    None
                }
            }
            (Via::Legacy, _) => None,
        }
    }

    fn count_csat<L: Ledger>(&self, requirement: &Requirement, ledger: &mut L) -> u64 {
        let mut responses = 0;
        for response in &self.partner.csat_responses {
            let record = || Record::CsatResponse {
                customer: response.customer.to_string(),
                respondent: response.respondent.clone(),
                submitted_on: response.submitted_on,
            };
            let excluded = self.out_of_scope(requirement, response.submitted_on).or(
                match (response.email_confirmed, response.aws_customer) {
                    (false, _) => Some(Reason::NotEmailConfirmed),
                    (true, false) => Some(Reason::NotAwsCustomer),
                    (true, true) => None,
                },
            );
            match excluded {
                Some(reason) => ledger.excluded(record, || reason),
                None => {
                    responses += 1;
                    ledger.counted(|| counted(record()));
                }
            }
        }
        responses
    }
}

/// Professional and specialty rank equal, above associate.
fn rank(level: Level) -> u8 {
    match level {
        Level::Foundational => 0,
        Level::Associate => 1,
        Level::Professional | Level::Specialty => 2,
    }
}
