//! The knowledge part of the plan: free fixes, the fewest new people, then
//! the fewest exams per requirement (an exact search over small counts),
//! and who could take which exam.

use chrono::NaiveDate;

use super::{Action, ActionKind, KnowledgePlan};
use crate::kinds::{KnowledgeNeeds, people};
use crate::partner::{AccreditationKind, Partner, Person};
use crate::program::Level;
use crate::rules::RuleSet;
use crate::tiers::Tier;

/// A person's knowledge on the target date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Holds {
    technical_accreditation: bool,
    business_accreditation: bool,
    foundational: bool,
    /// 0 none, 1 associate, 2 professional or specialty.
    technical_level: u8,
}

impl Holds {
    fn is_empty(self) -> bool {
        self == Holds::default()
    }

    /// Whether holding `self` holds everything `other` holds.
    fn covers(self, other: Holds) -> bool {
        (self.technical_accreditation || !other.technical_accreditation)
            && (self.business_accreditation || !other.business_accreditation)
            && (self.foundational || !other.foundational)
            && self.technical_level >= other.technical_level
    }

    fn describe_gain(self, before: Holds) -> Vec<&'static str> {
        let mut gains = Vec::new();
        if self.technical_accreditation && !before.technical_accreditation {
            gains.push("a technical accreditation");
        }
        if self.business_accreditation && !before.business_accreditation {
            gains.push("a business accreditation");
        }
        if self.foundational && !before.foundational {
            gains.push("a foundational certification");
        }
        if self.technical_level > before.technical_level {
            gains.push(if self.technical_level == 2 {
                "a professional or specialty certification"
            } else {
                "an associate certification"
            });
        }
        gains
    }
}

fn level_rank(level: Level) -> u8 {
    match level {
        Level::Foundational => 0,
        Level::Associate => 1,
        Level::Professional | Level::Specialty => 2,
    }
}

/// What `person` holds on `by` when their linked emails are their `email`
/// and `tc_email` (the one they have, or another chosen by the plan),
/// ignoring registration: a credential counts while it is active and its
/// exam email is linked, as the kinds count it.
fn holds_on(person: &Person, by: NaiveDate, tc_email: Option<&str>) -> Holds {
    let linked_to = |account: Option<&str>| {
        account.is_none_or(|account| account == person.email || Some(account) == tc_email)
    };
    let counts = |from: NaiveDate, expires_on: Option<NaiveDate>, account: Option<&str>| {
        people::active_on(from, expires_on, by) && linked_to(account)
    };
    let mut holds = Holds::default();
    for accreditation in &person.accreditations {
        if counts(
            accreditation.earned_on,
            accreditation.expires_on,
            accreditation.account_email.as_deref(),
        ) {
            match accreditation.kind {
                AccreditationKind::Technical => holds.technical_accreditation = true,
                AccreditationKind::Business => holds.business_accreditation = true,
            }
        }
    }
    for certification in &person.certifications {
        if counts(
            certification.earned_on,
            certification.expires_on,
            certification.account_email.as_deref(),
        ) {
            if certification.level == Level::Foundational {
                holds.foundational = true;
            } else {
                holds.technical_level = holds.technical_level.max(level_rank(certification.level));
            }
        }
    }
    holds
}

/// Each `tc_email` a person could have for free, with what they would hold
/// on `by`: the one they have (or none) and each other email an exam of
/// theirs was taken under. A choice that holds no more than another is left
/// out; the first is the one to prefer on a tie (what they have, unless
/// another email holds all of it and more).
fn tc_email_options(person: &Person, by: NaiveDate) -> Vec<(Option<&str>, Holds)> {
    let current = person.tc_email.as_deref();
    let mut options = vec![(current, holds_on(person, by, current))];
    let exam_emails = person
        .certifications
        .iter()
        .filter_map(|c| c.account_email.as_deref())
        .chain(
            person
                .accreditations
                .iter()
                .filter_map(|a| a.account_email.as_deref()),
        );
    for email in exam_emails {
        if email == person.email || options.iter().any(|(tc, _)| *tc == Some(email)) {
            continue;
        }
        let holds = holds_on(person, by, Some(email));
        if !options.iter().any(|(_, other)| other.covers(holds)) {
            options.retain(|(_, other)| !holds.covers(*other));
            options.push((Some(email), holds));
        }
    }
    options
}

/// How many exams the candidates' holdings need to meet `needs` (none when
/// they cannot be met with these people).
fn exams_needed(holds: &[Holds], needs: &KnowledgeNeeds) -> Option<u64> {
    let count_of = |test: &dyn Fn(&Holds) -> bool| holds.iter().filter(|h| test(h)).count() as u64;
    let [
        none_technical,
        none_business,
        none_both,
        upgrade_technical,
        upgrade_business,
    ] = accreditation_exams(
        count_of(&|h| h.technical_accreditation && !h.business_accreditation),
        count_of(&|h| !h.technical_accreditation && h.business_accreditation),
        count_of(&|h| h.technical_accreditation && h.business_accreditation),
        count_of(&|h| !h.technical_accreditation && !h.business_accreditation),
        needs,
    )?;
    let foundational = needs
        .foundational
        .saturating_sub(count_of(&|h| h.foundational));
    let [professional_new, upgrades, associate_new] = certification_exams(
        count_of(&|h| h.technical_level == 2),
        count_of(&|h| h.technical_level == 1),
        count_of(&|h| h.technical_level == 0),
        needs,
    )?;
    Some(
        none_technical
            + none_business
            + 2 * none_both
            + upgrade_technical
            + upgrade_business
            + foundational
            + professional_new
            + upgrades
            + associate_new,
    )
}

/// The most choices [`choose_tc_emails`] tries one by one; past it, each
/// person's choice is improved in turn until none helps.
const EXHAUSTIVE_CHOICES: usize = 4096;

/// For each person with options, the option that makes the fewest exams
/// needed, given `fixed` (everyone else's holdings, new people included).
/// Exact: every combination is tried when there are at most
/// [`EXHAUSTIVE_CHOICES`]; beyond, one person at a time until no change
/// lowers the count. A tie keeps the earlier option (what the person has).
fn choose_tc_emails(options: &[Vec<Holds>], fixed: &[Holds], needs: &KnowledgeNeeds) -> Vec<usize> {
    let cost = |choice: &[usize]| {
        let mut holds: Vec<Holds> = fixed.to_vec();
        holds.extend(options.iter().zip(choice).map(|(each, &at)| each[at]));
        exams_needed(&holds, needs).unwrap_or(u64::MAX)
    };
    let mut choice = vec![0; options.len()];
    let combinations = options
        .iter()
        .try_fold(1_usize, |product, each| product.checked_mul(each.len()))
        .filter(|&product| product <= EXHAUSTIVE_CHOICES);
    match combinations {
        Some(combinations) => {
            let mut best = (cost(&choice), choice.clone());
            for _ in 1..combinations {
                // The next combination, as an odometer over the options.
                for (digit, each) in choice.iter_mut().zip(options) {
                    *digit += 1;
                    if *digit < each.len() {
                        break;
                    }
                    *digit = 0;
                }
                let exams = cost(&choice);
                if exams < best.0 {
                    best = (exams, choice.clone());
                }
            }
            best.1
        }
        None => {
            let mut current = cost(&choice);
            let mut improved = true;
            while improved {
                improved = false;
                for person in 0..options.len() {
                    for option in 0..options[person].len() {
                        let mut trial = choice.clone();
                        trial[person] = option;
                        let exams = cost(&trial);
                        if exams < current {
                            (current, choice, improved) = (exams, trial, true);
                        }
                    }
                }
            }
            choice
        }
    }
}

/// One person in the knowledge plan: listed or new.
struct Candidate<'a> {
    name: String,
    person: Option<&'a Person>,
    holds: Holds,
    /// Registered after the free fixes.
    registered: bool,
}

/// The knowledge thresholds of the target tier (0 where a requirement does not apply).
fn knowledge_needs(rules: &RuleSet, partner: &Partner, tier: Tier) -> KnowledgeNeeds {
    let track = partner.info.track;
    let mut needs = KnowledgeNeeds::default();
    for requirement in &rules.requirements {
        if let Some(thresholds) = requirement.thresholds(track, tier) {
            requirement
                .kind
                .rule()
                .knowledge_needs(thresholds, &mut needs);
        }
    }
    needs
}

/// The fewest accreditation exams: (none → technical, none → business,
/// none → both, business-only → technical, technical-only → business).
/// `a`, `b`, `d` are the people holding only the technical, only the
/// business, or both accreditations; `n` those holding neither. On a tie
/// in exams, the most upgrades of listed people; then the fewest people
/// taking both, then the fewest new technical ones.
///
/// One pass over the number taking both; for each, the rest is closed
/// form (the unit tests compare it with a search of every choice).
pub(super) fn accreditation_exams(
    a: u64,
    b: u64,
    d: u64,
    n: u64,
    needs: &KnowledgeNeeds,
) -> Option<[u64; 5]> {
    let (t, bn) = (needs.technical_side, needs.business_side);
    let union_needed = needs.accredited_individuals.max(t + bn);
    let limit = union_needed.max(t).max(bn);
    let mut best: Option<([u64; 5], (u64, u64))> = None;
    for both in 0..=limit.min(n) {
        // What is still short once `both` people take both exams.
        let technical_short = t.saturating_sub(a + d + both);
        let business_short = bn.saturating_sub(b + d + both);
        let union_short = union_needed.saturating_sub(a + b + d + both);
        let people = n - both;
        let sides = technical_short + business_short;
        let (technical_new, business_new) = if union_short <= sides {
            // Each side is met exactly: new people where upgrades run out,
            // as few as the union allows; the rest are upgrades.
            let technical_least = technical_short.saturating_sub(b);
            let business_least = business_short.saturating_sub(a);
            let total = union_short.max(technical_least + business_least);
            if total > people {
                continue;
            }
            let technical_new = technical_least.max(total - business_short.min(total));
            (technical_new, total - technical_new)
        } else {
            // The union is what is short: one new person per missing one.
            if union_short > people {
                continue;
            }
            (technical_short, union_short - technical_short)
        };
        let upgrade_technical = technical_short.saturating_sub(technical_new);
        let upgrade_business = business_short.saturating_sub(business_new);
        let exams = technical_new + business_new + 2 * both + upgrade_technical + upgrade_business;
        let key = (exams, u64::MAX - (upgrade_technical + upgrade_business));
        if best.is_none_or(|(_, best_key)| key < best_key) {
            best = Some((
                [
                    technical_new,
                    business_new,
                    both,
                    upgrade_technical,
                    upgrade_business,
                ],
                key,
            ));
        }
    }
    best.map(|(choice, _)| choice)
}

/// The fewest certification exams: (professional for people without a
/// technical certification, professional upgrades of associate holders,
/// associate for people without one).
fn certification_exams(
    professionals: u64,
    associates_only: u64,
    without: u64,
    needs: &KnowledgeNeeds,
) -> Option<[u64; 3]> {
    let individuals = professionals + associates_only;
    let professional_gap = needs.professional.saturating_sub(professionals);
    let individual_gap = needs.technical_individuals.saturating_sub(individuals);
    let mut best: Option<([u64; 3], (u64, u64))> = None;
    for professional_new in 0..=professional_gap.max(individual_gap).min(without) {
        let upgrades = professional_gap.saturating_sub(professional_new);
        if upgrades > associates_only {
            continue;
        }
        let associate_new = individual_gap.saturating_sub(professional_new);
        if professional_new + associate_new > without {
            continue;
        }
        let exams = professional_new + upgrades + associate_new;
        let key = (exams, u64::MAX - upgrades);
        if best.is_none_or(|(_, best_key)| key < best_key) {
            best = Some(([professional_new, upgrades, associate_new], key));
        }
    }
    best.map(|(choice, _)| choice)
}

/// An exam the plan asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exam {
    TechnicalAccreditation,
    BusinessAccreditation,
    CloudPractitioner,
    Associate,
    Professional,
}

impl Exam {
    fn words(self) -> &'static str {
        match self {
            Exam::TechnicalAccreditation => "the AWS Technical Professional accreditation",
            Exam::BusinessAccreditation => "the AWS Business Professional accreditation",
            Exam::CloudPractitioner => "the Cloud Practitioner certification",
            Exam::Associate => "an associate certification",
            Exam::Professional => "a professional or specialty certification",
        }
    }

    /// Whether the person held such a credential on the as-of date that
    /// lapses by the target date: then the exam is a renewal.
    fn renews(self, person: &Person, as_of: NaiveDate, by: NaiveDate) -> Option<NaiveDate> {
        let lapsing = |earned: NaiveDate, expires: Option<NaiveDate>| {
            expires.filter(|expires| earned <= as_of && *expires > as_of && *expires <= by)
        };
        let accreditation = |kind: AccreditationKind| {
            person
                .accreditations
                .iter()
                .filter(|a| a.kind == kind)
                .find_map(|a| lapsing(a.earned_on, a.expires_on))
        };
        let certification = |wanted: &dyn Fn(Level) -> bool| {
            person
                .certifications
                .iter()
                .filter(|c| wanted(c.level))
                .find_map(|c| lapsing(c.earned_on, c.expires_on))
        };
        match self {
            Exam::TechnicalAccreditation => accreditation(AccreditationKind::Technical),
            Exam::BusinessAccreditation => accreditation(AccreditationKind::Business),
            Exam::CloudPractitioner => certification(&|level| level == Level::Foundational),
            Exam::Associate => certification(&|level| level == Level::Associate),
            Exam::Professional => certification(&|level| level_rank(level) == 2),
        }
    }
}

/// One step of handing out exams: who is eligible, how many, which exams.
type GiveStep = (fn(&Holds) -> bool, u64, &'static [Exam]);

/// Gives `count` exams of `exam` to the candidates that `eligible` selects,
/// listed registered people first, then listed unregistered ones, then new
/// people; the chosen are marked in `busy` so a later pick skips them.
fn give(
    candidates: &[Candidate],
    exams: &mut [Vec<Exam>],
    busy: &mut [bool],
    eligible: impl Fn(&Holds) -> bool,
    count: u64,
    exam: &[Exam],
) {
    let rank = |candidate: &Candidate| match (candidate.person.is_some(), candidate.registered) {
        (true, true) => 0,
        (true, false) => 1,
        (false, _) => 2,
    };
    let mut order: Vec<usize> = (0..candidates.len())
        .filter(|&index| !busy[index] && eligible(&candidates[index].holds))
        .collect();
    order.sort_by_key(|&index| rank(&candidates[index]));
    for index in order
        .into_iter()
        .take(usize::try_from(count).unwrap_or(usize::MAX))
    {
        busy[index] = true;
        exams[index].extend_from_slice(exam);
    }
}

/// Plans the knowledge requirements of `tier` on `by`.
pub(super) fn plan_knowledge(
    known: &Partner,
    rules: &RuleSet,
    tier: Tier,
    as_of: NaiveDate,
    by: NaiveDate,
) -> KnowledgePlan {
    let needs = knowledge_needs(rules, known, tier);
    let mut actions = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();

    // The fewest new people: what the largest person count lacks.
    let people_needed = needs
        .accredited_individuals
        .max(needs.technical_side + needs.business_side)
        .max(needs.foundational)
        .max(needs.technical_individuals);
    let new_people = people_needed.saturating_sub(known.people.len() as u64);

    // Free fixes first: register listed people, and point each person's
    // `tc_email` at the exam email that leaves the fewest exams to take.
    let options: Vec<Vec<(Option<&str>, Holds)>> = known
        .people
        .iter()
        .map(|person| tc_email_options(person, by))
        .collect();
    let new_holds = vec![Holds::default(); usize::try_from(new_people).unwrap_or(0)];
    let chosen = choose_tc_emails(
        &options
            .iter()
            .map(|each| each.iter().map(|&(_, holds)| holds).collect())
            .collect::<Vec<_>>(),
        &new_holds,
        &needs,
    );
    for ((person, each), &at) in known.people.iter().zip(&options).zip(&chosen) {
        let own = holds_on(person, by, person.tc_email.as_deref());
        let current = if person.registered {
            own
        } else {
            Holds::default()
        };
        let (tc_email, potential) = each[at];
        let linking = tc_email.filter(|&email| Some(email) != person.tc_email.as_deref());
        let gains = potential.describe_gain(current).join(", ");
        let losses = own.describe_gain(potential).join(", ");
        let loses = if losses.is_empty() {
            String::new()
        } else {
            format!(
                "; loses {losses} taken under `{}`",
                person.tc_email.as_deref().unwrap_or_default()
            )
        };
        if !person.registered && !potential.is_empty() {
            let also = linking
                .map(|email| format!(" and set `tc_email = \"{email}\"`"))
                .unwrap_or_default();
            actions.push(Action {
                kind: ActionKind::Register,
                requirement: None,
                person: Some(person.email.clone()),
                text: format!(
                    "register `{}` to the Partner Central account{also} (free): adds {gains}{loses}",
                    person.email
                ),
            });
        } else if let (true, Some(email)) = (person.registered, linking) {
            let instead = person
                .tc_email
                .as_deref()
                .map(|old| format!(" instead of `{old}`"))
                .unwrap_or_default();
            actions.push(Action {
                kind: ActionKind::LinkEmail,
                requirement: None,
                person: Some(person.email.clone()),
                text: format!("set `tc_email = \"{email}\"`{instead} for `{}`, the email their exams were taken under (free): adds {gains}{loses}", person.email),
            });
        }
        candidates.push(Candidate {
            name: person.email.clone(),
            person: Some(person),
            holds: potential,
            registered: person.registered || !potential.is_empty(),
        });
    }

    for index in 1..=new_people {
        candidates.push(Candidate {
            name: format!("new person {index}"),
            person: None,
            holds: Holds::default(),
            registered: true,
        });
    }

    // The fewest exams per requirement, given the people.
    let mut exams: Vec<Vec<Exam>> = vec![Vec::new(); candidates.len()];
    let count_of =
        |test: &dyn Fn(&Holds) -> bool| candidates.iter().filter(|c| test(&c.holds)).count() as u64;

    let technical_only: fn(&Holds) -> bool =
        |h| h.technical_accreditation && !h.business_accreditation;
    let business_only: fn(&Holds) -> bool =
        |h| !h.technical_accreditation && h.business_accreditation;
    let unaccredited: fn(&Holds) -> bool =
        |h| !h.technical_accreditation && !h.business_accreditation;
    let both = count_of(&|h| h.technical_accreditation && h.business_accreditation);
    if let Some(
        [
            none_technical,
            none_business,
            none_both,
            upgrade_technical,
            upgrade_business,
        ],
    ) = accreditation_exams(
        count_of(&technical_only),
        count_of(&business_only),
        both,
        count_of(&unaccredited),
        &needs,
    ) {
        let mut busy = vec![false; candidates.len()];
        // Upgrades of people holding one accreditation first, then people with none.
        let steps: [GiveStep; 5] = [
            (
                business_only,
                upgrade_technical,
                &[Exam::TechnicalAccreditation],
            ),
            (
                technical_only,
                upgrade_business,
                &[Exam::BusinessAccreditation],
            ),
            (
                unaccredited,
                none_technical,
                &[Exam::TechnicalAccreditation],
            ),
            (unaccredited, none_business, &[Exam::BusinessAccreditation]),
            (
                unaccredited,
                none_both,
                &[Exam::TechnicalAccreditation, Exam::BusinessAccreditation],
            ),
        ];
        for (eligible, count, exam) in steps {
            give(&candidates, &mut exams, &mut busy, eligible, count, exam);
        }
    }

    let foundational_gap = needs
        .foundational
        .saturating_sub(count_of(&|h| h.foundational));
    let mut busy = vec![false; candidates.len()];
    give(
        &candidates,
        &mut exams,
        &mut busy,
        |h| !h.foundational,
        foundational_gap,
        &[Exam::CloudPractitioner],
    );

    if let Some([professional_new, upgrades, associate_new]) = certification_exams(
        count_of(&|h| h.technical_level == 2),
        count_of(&|h| h.technical_level == 1),
        count_of(&|h| h.technical_level == 0),
        &needs,
    ) {
        let mut busy = vec![false; candidates.len()];
        // Upgrades of associate holders first, then people with no technical certification.
        let steps: [GiveStep; 3] = [
            (|h| h.technical_level == 1, upgrades, &[Exam::Professional]),
            (
                |h| h.technical_level == 0,
                professional_new,
                &[Exam::Professional],
            ),
            (
                |h| h.technical_level == 0,
                associate_new,
                &[Exam::Associate],
            ),
        ];
        for (eligible, count, exam) in steps {
            give(&candidates, &mut exams, &mut busy, eligible, count, exam);
        }
    }

    // One action per person, in the candidates' order.
    let mut total = 0;
    for (candidate, taken) in candidates.iter().zip(&exams) {
        if taken.is_empty() {
            continue;
        }
        total += taken.len() as u64;
        let phrases: Vec<String> = taken
            .iter()
            .map(|exam| {
                match candidate
                    .person
                    .and_then(|person| exam.renews(person, as_of, by))
                {
                    Some(expires) => format!("renew {} (it expires {expires})", exam.words()),
                    None => exam.words().to_owned(),
                }
            })
            .collect();
        let (kind, text) = match candidate.person {
            None => (
                ActionKind::NewPerson,
                format!(
                    "add {}, registered, who takes {}",
                    candidate.name,
                    phrases.join(" and ")
                ),
            ),
            Some(person) if !candidate.registered => (
                ActionKind::Exam,
                format!(
                    "register `{}` (free), who takes {}",
                    person.email,
                    phrases.join(" and ")
                ),
            ),
            Some(person) => (
                ActionKind::Exam,
                format!("`{}` takes {}", person.email, phrases.join(" and ")),
            ),
        };
        actions.push(Action {
            kind,
            requirement: None,
            person: Some(candidate.name.clone()),
            text,
        });
    }
    KnowledgePlan {
        new_people,
        exams: total,
        actions,
    }
}
