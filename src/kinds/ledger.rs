//! The ledger: what counting reports about each record it considers, named
//! so a person can find it ([`Record`]), counted or excluded with why
//! ([`Reason`]). Scoring passes a [`Tally`] that records nothing (its
//! closures are never called), `explain` passes a [`Recorder`], so the two
//! always agree.

use std::fmt;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::money::Cents;
use crate::partner::{Accreditation, HeldCertification, Person, Reference, Validation};
use crate::program::Program;

/// A record of the partner file, named so a person can find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "record", rename_all = "kebab-case")]
pub enum Record {
    /// A person (knowledge requirements count people).
    Person {
        /// The person's email.
        email: String,
    },
    /// A certification a person holds.
    Certification {
        /// The person's email.
        email: String,
        /// The catalog id.
        cert: String,
        /// Earned on.
        earned_on: NaiveDate,
    },
    /// An accreditation a person holds.
    Accreditation {
        /// The person's email.
        email: String,
        /// `technical` or `business`.
        kind: &'static str,
        /// Earned on.
        earned_on: NaiveDate,
    },
    /// A fee payment.
    FeePayment {
        /// Paid on.
        paid_on: NaiveDate,
        /// The amount.
        amount_usd: Cents,
    },
    /// An ACE opportunity.
    Opportunity {
        /// Its id.
        id: String,
        /// Launched on, if launched.
        #[serde(skip_serializing_if = "Option::is_none")]
        launched_on: Option<NaiveDate>,
        /// What `launched_on` was estimated from, when it was imported
        /// rather than written by hand.
        #[serde(skip_serializing_if = "Option::is_none")]
        launched_on_source: Option<crate::partner::LaunchedOnSource>,
        /// Estimated MRR.
        mrr_usd: Cents,
    },
    /// A legacy Revenue tool submission: +1 launched opportunity.
    LegacyCredit {
        /// The AWS account ID.
        account_id: String,
        /// Submitted on.
        submitted_on: NaiveDate,
    },
    /// A revenue line.
    RevenueLine {
        /// The AWS account ID.
        account_id: String,
        /// The account's domain.
        domain: String,
        /// Billed on.
        billed_on: NaiveDate,
        /// The billed amount.
        amount_usd: Cents,
    },
    /// A product.
    Product {
        /// Its name.
        name: String,
    },
    /// The business plan.
    BusinessPlan {
        /// The last sign-off.
        #[serde(skip_serializing_if = "Option::is_none")]
        signed_off_on: Option<NaiveDate>,
    },
    /// A program validation.
    Validation {
        /// The program.
        program: &'static str,
        /// Its name.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Achieved on.
        achieved_on: NaiveDate,
    },
    /// An executive business review.
    ExecutiveBusinessReview {
        /// Completed on.
        completed_on: NaiveDate,
    },
    /// A customer reference.
    Reference {
        /// The customer.
        customer: String,
        /// How it was submitted.
        via: &'static str,
        /// Submitted on.
        submitted_on: NaiveDate,
    },
    /// A CSAT response.
    CsatResponse {
        /// The customer.
        customer: String,
        /// Who answered.
        #[serde(skip_serializing_if = "Option::is_none")]
        respondent: Option<String>,
        /// Submitted on.
        submitted_on: NaiveDate,
    },
}

impl Record {
    /// A person's certification.
    pub fn of_certification(
        program: &Program,
        person: &Person,
        certification: &HeldCertification,
    ) -> Record {
        Record::Certification {
            email: person.email.clone(),
            cert: program.certifications[certification.catalog_index]
                .id
                .clone(),
            earned_on: certification.earned_on,
        }
    }

    /// A person's accreditation.
    pub fn of_accreditation(person: &Person, accreditation: &Accreditation) -> Record {
        Record::Accreditation {
            email: person.email.clone(),
            kind: accreditation.kind.as_str(),
            earned_on: accreditation.earned_on,
        }
    }

    /// A program validation.
    pub fn of_validation(validation: &Validation) -> Record {
        Record::Validation {
            program: validation.program.as_str(),
            name: validation.name.clone(),
            achieved_on: validation.achieved_on,
        }
    }

    /// A customer reference.
    pub fn of_reference(reference: &Reference) -> Record {
        Record::Reference {
            customer: reference.customer.to_string(),
            via: reference.via.as_str(),
            submitted_on: reference.submitted_on,
        }
    }

    /// The record's own date, if it has one.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Record::Person { .. } | Record::Product { .. } => None,
            Record::Certification { earned_on, .. } | Record::Accreditation { earned_on, .. } => {
                Some(*earned_on)
            }
            Record::FeePayment { paid_on, .. } => Some(*paid_on),
            Record::Opportunity { launched_on, .. } => *launched_on,
            Record::LegacyCredit { submitted_on, .. }
            | Record::Reference { submitted_on, .. }
            | Record::CsatResponse { submitted_on, .. } => Some(*submitted_on),
            Record::RevenueLine { billed_on, .. } => Some(*billed_on),
            Record::BusinessPlan { signed_off_on } => *signed_off_on,
            Record::Validation { achieved_on, .. } => Some(*achieved_on),
            Record::ExecutiveBusinessReview { completed_on } => Some(*completed_on),
        }
    }
}

impl fmt::Display for Record {
    /// One line naming the record, such as "opportunity `O-1` launched 2019-05-01".
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Record::Person { email } => write!(formatter, "person `{email}`"),
            Record::Certification {
                email,
                cert,
                earned_on,
            } => {
                write!(formatter, "`{email}`: {cert}, earned {earned_on}")
            }
            Record::Accreditation {
                email,
                kind,
                earned_on,
            } => {
                write!(
                    formatter,
                    "`{email}`: {kind} accreditation, earned {earned_on}"
                )
            }
            Record::FeePayment {
                paid_on,
                amount_usd,
            } => {
                write!(formatter, "fee payment of {amount_usd} on {paid_on}")
            }
            Record::Opportunity {
                id,
                launched_on,
                launched_on_source,
                mrr_usd,
            } => match (launched_on, launched_on_source) {
                (Some(day), None) => write!(
                    formatter,
                    "opportunity `{id}` launched {day}, MRR {mrr_usd}"
                ),
                (Some(day), Some(source)) => write!(
                    formatter,
                    "opportunity `{id}` launched {day} (estimated from {}), MRR {mrr_usd}",
                    source.field()
                ),
                (None, _) => write!(formatter, "opportunity `{id}`"),
            },
            Record::LegacyCredit {
                account_id,
                submitted_on,
            } => {
                write!(
                    formatter,
                    "legacy submission `{account_id}` of {submitted_on}"
                )
            }
            Record::RevenueLine {
                account_id,
                domain,
                billed_on,
                amount_usd,
            } => write!(
                formatter,
                "revenue of `{account_id}` ({domain}) billed {billed_on}: {amount_usd}"
            ),
            Record::Product { name } => write!(formatter, "product `{name}`"),
            Record::BusinessPlan { signed_off_on } => match signed_off_on {
                Some(day) => write!(formatter, "business plan signed off {day}"),
                None => write!(formatter, "business plan"),
            },
            Record::Validation {
                program,
                name,
                achieved_on,
            } => match name {
                Some(name) => write!(formatter, "{program} `{name}`, achieved {achieved_on}"),
                None => write!(formatter, "{program}, achieved {achieved_on}"),
            },
            Record::ExecutiveBusinessReview { completed_on } => {
                write!(formatter, "executive business review of {completed_on}")
            }
            Record::Reference {
                customer,
                via,
                submitted_on,
            } => {
                write!(
                    formatter,
                    "reference `{customer}` via {via}, {submitted_on}"
                )
            }
            Record::CsatResponse {
                customer,
                respondent,
                submitted_on,
            } => match respondent {
                Some(who) => write!(
                    formatter,
                    "CSAT response of `{who}` ({customer}), {submitted_on}"
                ),
                None => write!(formatter, "CSAT response ({customer}), {submitted_on}"),
            },
        }
    }
}

/// Why a record did not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Dated after the as-of date.
    AfterAsOf,
    /// Outside the rolling window `(start, end]`.
    OutsideWindow {
        /// The excluded first day.
        start: NaiveDate,
        /// The as-of date.
        end: NaiveDate,
    },
    /// Expired on this day.
    Expired(NaiveDate),
    /// Earned (or achieved) after the as-of date.
    NotActiveYet(NaiveDate),
    /// The person is not registered to the Partner Central account.
    PersonNotRegistered,
    /// Taken under an email that is not the person's email or tc_email.
    UnlinkedEmail(String),
    /// A foundational certification, which does not count as a technical one.
    FoundationalNotTechnical,
    /// The person already counts under this requirement.
    CountedOnce(String),
    /// A Marketplace transaction.
    Marketplace,
    /// Not launched.
    NotLaunched(&'static str),
    /// Legacy credits ended on this day.
    LegacyCreditEnded(NaiveDate),
    /// The account's domain is not on file.
    DomainNotOnFile(String),
    /// Not listed as generally available.
    NotGa,
    /// The business plan has no sign-off date.
    NoSignOff,
    /// The designation already counted.
    DesignationAlreadyCounted,
    /// The review is not approved.
    NotApproved,
    /// The reference is not public.
    NotPublic,
    /// The reference names an opportunity the file does not have.
    OpportunityUnknown(String),
    /// The reference's opportunity was not launched by the as-of date.
    OpportunityNotLaunched(String),
    /// The reference's opportunity is a marketplace transaction.
    OpportunityMarketplace(String),
    /// The reference's opportunity was launched after the reference, on this day.
    OpportunityLaunchedAfter(String, NaiveDate),
    /// A fee paid for an earlier membership year: a new one began on this day.
    EarlierMembershipYear(NaiveDate),
    /// A legacy account submitted before, on this day: it gives one credit.
    AccountSubmittedBefore(NaiveDate),
    /// A reference-tool entry without an http(s) URL.
    NoHttpUrl,
    /// A reference-tool entry not approved yet.
    PendingApproval,
    /// The customer already counted.
    CustomerAlreadyCounted,
    /// The response's email was not confirmed.
    NotEmailConfirmed,
    /// The respondent is not an AWS customer.
    NotAwsCustomer,
}

impl Reason {
    /// A stable code for tools.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::AfterAsOf => "after-as-of",
            Reason::OutsideWindow { .. } => "outside-window",
            Reason::Expired(_) => "expired",
            Reason::NotActiveYet(_) => "not-active-yet",
            Reason::PersonNotRegistered => "person-not-registered",
            Reason::UnlinkedEmail(_) => "unlinked-email",
            Reason::FoundationalNotTechnical => "foundational-not-technical",
            Reason::CountedOnce(_) => "counted-once",
            Reason::Marketplace => "marketplace",
            Reason::NotLaunched(_) => "not-launched",
            Reason::LegacyCreditEnded(_) => "legacy-credit-ended",
            Reason::DomainNotOnFile(_) => "domain-not-on-file",
            Reason::NotGa => "not-ga",
            Reason::NoSignOff => "no-sign-off",
            Reason::DesignationAlreadyCounted => "designation-already-counted",
            Reason::NotApproved => "not-approved",
            Reason::NotPublic => "not-public",
            Reason::OpportunityUnknown(_) => "opportunity-unknown",
            Reason::OpportunityNotLaunched(_) => "opportunity-not-launched",
            Reason::OpportunityMarketplace(_) => "opportunity-marketplace",
            Reason::OpportunityLaunchedAfter(..) => "opportunity-launched-after",
            Reason::EarlierMembershipYear(_) => "earlier-membership-year",
            Reason::AccountSubmittedBefore(_) => "account-submitted-before",
            Reason::NoHttpUrl => "no-http-url",
            Reason::PendingApproval => "pending-approval",
            Reason::CustomerAlreadyCounted => "customer-already-counted",
            Reason::NotEmailConfirmed => "not-email-confirmed",
            Reason::NotAwsCustomer => "not-aws-customer",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Reason::AfterAsOf => write!(formatter, "dated after the as-of date"),
            Reason::OutsideWindow { start, end } => write!(
                formatter,
                "outside the window ({start} excluded, through {end})"
            ),
            Reason::Expired(day) => write!(formatter, "expired {day}"),
            Reason::NotActiveYet(day) => write!(formatter, "not active yet (from {day})"),
            Reason::PersonNotRegistered => write!(formatter, "person not registered"),
            Reason::UnlinkedEmail(email) => write!(
                formatter,
                "exam taken under `{email}`, an email not linked to the person"
            ),
            Reason::FoundationalNotTechnical => {
                write!(
                    formatter,
                    "foundational certification does not count as technical"
                )
            }
            Reason::CountedOnce(how) => write!(formatter, "counted once already ({how})"),
            Reason::Marketplace => write!(formatter, "marketplace transaction"),
            Reason::NotLaunched(stage) => write!(formatter, "not launched (stage `{stage}`)"),
            Reason::LegacyCreditEnded(day) => write!(formatter, "legacy credit ended {day}"),
            Reason::DomainNotOnFile(domain) => write!(formatter, "domain `{domain}` not on file"),
            Reason::NotGa => write!(formatter, "not listed as generally available"),
            Reason::NoSignOff => write!(formatter, "no sign-off date"),
            Reason::DesignationAlreadyCounted => write!(formatter, "designation already counted"),
            Reason::NotApproved => write!(formatter, "not approved"),
            Reason::NotPublic => write!(formatter, "reference not public"),
            Reason::OpportunityUnknown(id) => {
                write!(
                    formatter,
                    "reference's opportunity `{id}` is not in the file"
                )
            }
            Reason::OpportunityNotLaunched(id) => {
                write!(formatter, "reference's opportunity `{id}` is not launched")
            }
            Reason::OpportunityMarketplace(id) => write!(
                formatter,
                "its opportunity `{id}` is a marketplace transaction"
            ),
            Reason::OpportunityLaunchedAfter(id, day) => write!(
                formatter,
                "its opportunity `{id}` was launched after the reference, on {day}"
            ),
            Reason::EarlierMembershipYear(day) => write!(
                formatter,
                "paid for an earlier membership year (a new one began {day})"
            ),
            Reason::AccountSubmittedBefore(day) => {
                write!(formatter, "account submitted before, on {day}")
            }
            Reason::NoHttpUrl => write!(formatter, "reference-tool entry without an http(s) URL"),
            Reason::PendingApproval => write!(formatter, "reference-tool entry pending approval"),
            Reason::CustomerAlreadyCounted => write!(formatter, "customer already counted"),
            Reason::NotEmailConfirmed => write!(formatter, "CSAT response not email-confirmed"),
            Reason::NotAwsCustomer => write!(formatter, "respondent not an AWS customer"),
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A record that counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountedEntry {
    /// The record.
    #[serde(flatten)]
    pub record: Record,
    /// How it counted, when there is more to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What it added to a money measure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts_usd: Option<Cents>,
    /// The first counter of its kind it added to (not shown: for the kind
    /// to tell its entries apart).
    #[serde(skip)]
    pub counter: usize,
}

/// A record that did not count, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExcludedEntry {
    /// The record.
    #[serde(flatten)]
    pub record: Record,
    /// A stable code for the reason.
    pub code: &'static str,
    /// Why, in plain words.
    pub reason: Reason,
}

/// Where counting reports the records it considers.
pub trait Ledger {
    /// A record counted.
    fn counted(&mut self, entry: impl FnOnce() -> CountedEntry);
    /// A record did not count.
    fn excluded(&mut self, record: impl FnOnce() -> Record, reason: impl FnOnce() -> Reason);
}

/// A ledger that records nothing: scoring's.
pub struct Tally;

impl Ledger for Tally {
    fn counted(&mut self, _entry: impl FnOnce() -> CountedEntry) {}
    fn excluded(&mut self, _record: impl FnOnce() -> Record, _reason: impl FnOnce() -> Reason) {}
}

/// A ledger that keeps every entry: `explain`'s.
#[derive(Debug, Default)]
pub struct Recorder {
    /// The records that counted.
    pub counted: Vec<CountedEntry>,
    /// The records that did not, with why.
    pub excluded: Vec<ExcludedEntry>,
}

impl Ledger for Recorder {
    fn counted(&mut self, entry: impl FnOnce() -> CountedEntry) {
        self.counted.push(entry());
    }

    fn excluded(&mut self, record: impl FnOnce() -> Record, reason: impl FnOnce() -> Reason) {
        let reason = reason();
        self.excluded.push(ExcludedEntry {
            record: record(),
            code: reason.code(),
            reason,
        });
    }
}
