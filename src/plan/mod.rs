//! The plan: the least work that makes the partner meet a tier on a date,
//! given the data as it stands today (forecast rules: records dated after
//! the as-of date left out, everything evaluated as of the target date).
//!
//! Knowledge is planned exactly. A listed person can take any exam and one
//! person counts once under each knowledge requirement, so the fewest new
//! people is what the largest person count lacks beyond the listed people;
//! with those people, the three requirements use disjoint exams, so each is
//! minimised on its own (a small integer search), preferring upgrades of
//! people already listed when the count ties. Free fixes come first:
//! registering a listed person, linking an exam's email as `tc_email`.

use chrono::{Days, NaiveDate};
use serde::Serialize;

mod knowledge;

use knowledge::plan_knowledge;

use crate::evaluate::score;
use crate::kinds::{PlanAsk, PlanStep, Quantity};
use crate::partner::Partner;
use crate::rules::RuleSet;
use crate::scorecard::{Scorecard, Status};
use crate::tiers::Tier;
/// What one step of the plan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    /// Register a listed person to the Partner Central account (free).
    Register,
    /// Set an exam's email as the person's `tc_email` (free).
    LinkEmail,
    /// Take (or renew) an exam.
    Exam,
    /// Add a new person to the account.
    NewPerson,
    /// More launched opportunities, MRR, revenue, references or responses.
    More,
    /// Anything else: fee, business plan, reviews, validations.
    Task,
    /// Nothing to do.
    None,
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    /// What kind of step.
    #[serde(rename = "type")]
    pub kind: ActionKind,
    /// The requirement it serves, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirement: Option<String>,
    /// The person (an email, or `new person N`), if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// The step in words.
    pub text: String,
}

/// The knowledge part of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KnowledgePlan {
    /// The fewest new people, after the free fixes.
    pub new_people: u64,
    /// The fewest exams given those people (renewals included).
    pub exams: u64,
    /// Free fixes first, then the exams, person by person.
    pub actions: Vec<Action>,
}

/// The least work to meet a tier on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The partner's name.
    pub partner: String,
    /// The tier to meet.
    pub tier: Tier,
    /// The date to meet it on.
    pub by: NaiveDate,
    /// The data as it stands on this day.
    pub as_of: NaiveDate,
    /// Whether the tier is met on that date with today's data and no work.
    pub already_met: bool,
    /// Certifications and accreditations.
    pub knowledge: KnowledgePlan,
    /// Experience, customer success and the other tasks.
    pub actions: Vec<Action>,
    /// For premier's program validations: the designations `competencies
    /// path --premier` would pursue, when the catalog can tell (see
    /// [`advise_designations`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub designations: Option<DesignationAdvice>,
}

/// The designations to pursue for premier's program validations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DesignationAdvice {
    /// Each designation (an id of the catalog) with its own outstanding
    /// requirement count, in the order to pursue them.
    pub chosen: Vec<AdvisedDesignation>,
    /// Their outstanding requirements together (shared work once).
    pub outstanding: usize,
}

/// One designation to pursue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdvisedDesignation {
    /// Its id in the catalog.
    pub id: String,
    /// The outstanding requirements it adds, in the order of the steps.
    pub new_requirements: usize,
}

/// Adds to a premier plan whose program-validations requirement is short
/// the designations `competencies path --premier` chooses with `catalog`;
/// leaves the plan as it is when the catalog cannot tell (no candidates
/// meet the need, or the partner's evidence names what it does not know).
pub fn advise_designations(
    plan: &mut Plan,
    catalog: &crate::competency::Catalog,
    partner: &Partner,
    rules: &RuleSet,
) {
    use crate::competency::answer::{PathRequest, Want, answer};
    let Some(requirement) = rules
        .requirements
        .iter()
        .find(|requirement| requirement.kind == crate::kinds::Kind::ProgramValidations)
    else {
        return;
    };
    let short = plan
        .actions
        .iter()
        .any(|action| action.requirement.as_deref() == Some(requirement.id.as_str()));
    if plan.tier != Tier::Premier || !short {
        return;
    }
    let Ok(standing) = crate::competency::standing::standing(catalog, partner, plan.as_of) else {
        return;
    };
    let request = PathRequest {
        want: Want::Premier,
        among: None,
        must: Vec::new(),
    };
    let Ok(found) = answer(catalog, rules, partner, &standing, &request) else {
        return;
    };
    if found.chosen.is_empty() {
        return;
    }
    plan.designations = Some(DesignationAdvice {
        chosen: found
            .steps
            .iter()
            .map(|step| AdvisedDesignation {
                id: catalog.checklists[step.designation].id.clone(),
                new_requirements: step.new_requirements,
            })
            .collect(),
        outstanding: found.outstanding.count_ones(..),
    });
}

/// The tier `plan` aims at when none is named: the current tier when it is
/// not met today, else the next tier, else (at the top) the current one.
pub fn default_target(today: &Scorecard, rules: &RuleSet) -> Tier {
    if !today.compliant {
        return today.current_tier;
    }
    rules
        .program
        .tiers(today.track)
        .iter()
        .copied()
        .find(|&tier| tier > today.current_tier)
        .unwrap_or(today.current_tier)
}

/// "+3 launched opportunities and +$4,250.00 launched MRR".
fn shortfall_words(requirement: &crate::scorecard::RequirementResult) -> String {
    requirement
        .measures
        .iter()
        .filter_map(|measure| {
            measure.shortfall().map(|shortfall| {
                let (amount, words) = match shortfall {
                    Quantity::Count(1) => ("1".to_owned(), measure.spec.one),
                    Quantity::Count(count) => (count.to_string(), measure.spec.many),
                    Quantity::Money(cents) => (cents.to_string(), measure.spec.many),
                };
                format!("{amount} more {words}")
            })
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The steps for the requirements other than knowledge, from the forecast.
fn other_actions(
    then: &Scorecard,
    known: &Partner,
    rules: &RuleSet,
    tier: Tier,
    by: NaiveDate,
) -> Vec<Action> {
    let Some(result) = then.tier(tier) else {
        return Vec::new();
    };
    let after = then
        .window_start
        .checked_add_days(Days::new(1))
        .unwrap_or(then.window_start);
    let mut actions = Vec::new();
    let mut groups_done: Vec<&str> = Vec::new();
    for requirement in &result.requirements {
        let Some(rule) = rules
            .requirements
            .iter()
            .find(|rule| rule.id == requirement.id)
        else {
            continue;
        };
        let task = |kind: ActionKind, text: String| Action {
            kind,
            requirement: Some(requirement.id.clone()),
            person: None,
            text,
        };
        if requirement.status == Status::Grace {
            let until = requirement
                .grace_until
                .map(|day| format!(" before its grace ends on {day}"))
                .unwrap_or_default();
            actions.push(task(
                ActionKind::Task,
                format!("pay the program fee{until}"),
            ));
            continue;
        }
        if requirement.status.counts_as_met() {
            continue;
        }
        if let Some(group) = requirement.alternative.as_deref() {
            if result.group_met(group) || groups_done.contains(&group) {
                continue;
            }
            groups_done.push(group);
            let options: Vec<String> = result
                .requirements
                .iter()
                .filter(|member| member.alternative.as_deref() == Some(group))
                .map(|member| format!("{} ({})", shortfall_words(member), member.id))
                .collect();
            actions.push(task(
                ActionKind::More,
                format!(
                    "{group}: either {}, dated {after} to {by}",
                    options.join(", or ")
                ),
            ));
            continue;
        }
        let values: Vec<(Quantity, Quantity)> = requirement
            .measures
            .iter()
            .map(|measure| (measure.value, measure.required))
            .collect();
        let shortfall = shortfall_words(requirement);
        let ask = PlanAsk {
            tier,
            after,
            by,
            values: &values,
            known,
            key_competencies: &rules.program.key_competency_names,
        };
        let text = match rule.kind.rule().plan_step(&ask) {
            PlanStep::People => continue,
            PlanStep::MoreRecords => {
                actions.push(task(
                    ActionKind::More,
                    format!(
                        "{shortfall}, dated {after} to {by} (what ages out before then is already left out)"
                    ),
                ));
                continue;
            }
            PlanStep::Task(text) => text,
        };
        actions.push(task(ActionKind::Task, text));
    }
    actions
}

/// Plans the least work for the partner to meet `tier` on `by`.
pub fn plan(
    partner: &Partner,
    rules: &RuleSet,
    as_of: NaiveDate,
    tier: Tier,
    by: NaiveDate,
) -> Plan {
    let known = partner.known_on(as_of);
    let then = score(&known, rules, by);
    let already_met = then.meets(tier);
    let (knowledge, actions) = if already_met {
        let nothing = Action {
            kind: ActionKind::None,
            requirement: None,
            person: None,
            text: format!(
                "nothing to do: the partner meets {tier} on {by} with the data as it stands"
            ),
        };
        (
            KnowledgePlan {
                new_people: 0,
                exams: 0,
                actions: vec![nothing.clone()],
            },
            vec![nothing],
        )
    } else {
        (
            plan_knowledge(&known, rules, tier, as_of, by),
            other_actions(&then, &known, rules, tier, by),
        )
    };
    Plan {
        partner: partner.info.name.clone(),
        tier,
        by,
        as_of,
        already_met,
        knowledge,
        actions,
        designations: None,
    }
}

#[cfg(test)]
mod tests;
