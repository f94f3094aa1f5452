//! `competencies path` as data: a partner's request (how many designations,
//! among which, which must be in, or premier's program validations) turned
//! into candidates and a search, and the answer with everything a report
//! shows: the choice, its outstanding work, steps, what the shared work
//! saved, stale checklists and evidence shown against older releases.

use chrono::NaiveDate;
use fixedbitset::FixedBitSet;

use super::catalog::{Catalog, CatalogPath, DesignationProgram};
use super::path::{self, Search, Step, TooMuchWork};
use super::standing::{OlderRelease, Standing};
use crate::error::list;
use crate::error::{QUOTE_LIMIT, shorten};
use crate::kinds::Kind;
use crate::partner::Partner;
use crate::program::normalize_competency;
use crate::rules::RuleSet;
use crate::tiers::{Tier, Track};

/// How many designations a path request wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Exactly this many.
    Count(usize),
    /// As many as the 2019 premier program-validations requirement needs.
    Premier,
}

/// A path request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRequest {
    /// How many.
    pub want: Want,
    /// Only these designations are candidates, when given.
    pub among: Option<Vec<String>>,
    /// These must be chosen.
    pub must: Vec<String>,
}

/// Premier's program-validations requirement for the partner, as the tier
/// rules count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PremierNeed {
    /// Distinct active designations counted.
    pub validations: u64,
    /// Required.
    pub validations_required: u64,
    /// MSP or key competency designations counted.
    pub keys: u64,
    /// Required.
    pub keys_required: u64,
}

impl PremierNeed {
    /// Designations still to earn.
    pub fn more(&self) -> u64 {
        self.validations_required.saturating_sub(self.validations)
    }

    /// Key designations still to earn.
    pub fn more_keys(&self) -> u64 {
        self.keys_required.saturating_sub(self.keys)
    }
}

/// The answer to a path request.
#[derive(Debug, Clone)]
pub struct PathAnswer {
    /// The partner's name.
    pub partner: String,
    /// The day of the standing.
    pub as_of: NaiveDate,
    /// The partner's path.
    pub path: CatalogPath,
    /// Held designations of the catalog, by index.
    pub held: Vec<usize>,
    /// How many candidates there were.
    pub candidates: usize,
    /// Premier's need, for a premier request.
    pub premier: Option<PremierNeed>,
    /// The chosen designations, by index, sorted by id.
    pub chosen: Vec<usize>,
    /// Each chosen designation's own outstanding count, in `chosen`'s order.
    pub own_outstanding: Vec<usize>,
    /// The union of their outstanding work.
    pub outstanding: FixedBitSet,
    /// The members' own counts summed, minus the union.
    pub saved: usize,
    /// The order to pursue them in.
    pub steps: Vec<Step>,
    /// Customer case studies the chosen ask for (the largest: one set of
    /// case studies may serve several).
    pub case_studies: u32,
    /// Checklists in use (chosen, and what they require that is not held)
    /// past `usable_until` on the day, by index.
    pub stale: Vec<usize>,
    /// Evidence shown before the release of a chosen checklist.
    pub older_release: Vec<OlderRelease>,
    /// Requirements the partner's evidence shows met on the day.
    pub evidence: usize,
    /// Each candidate with its own outstanding count, least first (ties by
    /// id): what each would cost alone.
    pub alone: Vec<(usize, usize)>,
}

/// Why a path request has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// The request itself is wrong (an unknown id, a held designation).
    #[error("{0}")]
    Request(String),
    /// No choice meets the request.
    #[error("{0}")]
    Unmet(String),
    /// The search would take too long.
    #[error(
        "the search stopped after {explored} steps without proving the best choice among {candidates} candidates; narrow it with `--among` or `--must`, or ask for fewer with `--want`"
    )]
    TooMuchWork {
        /// Steps taken.
        explored: u64,
        /// Candidates.
        candidates: usize,
    },
}

/// The catalog path of a partner's track.
pub fn path_of(track: Track) -> CatalogPath {
    match track {
        Track::Consulting => CatalogPath::Consulting,
        Track::Technology => CatalogPath::Software,
    }
}

/// Premier's program-validations requirement for the partner on `as_of`,
/// read from the tier rules' own scorecard, so it counts as they count;
/// `None` when the rule file has none for the partner's track.
pub fn premier_need(rules: &RuleSet, partner: &Partner, as_of: NaiveDate) -> Option<PremierNeed> {
    let requirement = rules
        .requirements
        .iter()
        .find(|requirement| requirement.kind == Kind::ProgramValidations)?;
    requirement.thresholds(partner.info.track, Tier::Premier)?;
    premier_need_in(rules, &crate::evaluate::score(partner, rules, as_of))
}

/// Premier's program-validations requirement as `scorecard` (the tier
/// rules' scorecard of the partner) counts it; `None` when the rule file
/// has none for the partner's track.
pub fn premier_need_in(
    rules: &RuleSet,
    scorecard: &crate::scorecard::Scorecard,
) -> Option<PremierNeed> {
    let requirement = rules
        .requirements
        .iter()
        .find(|requirement| requirement.kind == Kind::ProgramValidations)?;
    let result = scorecard
        .tier(Tier::Premier)?
        .requirements
        .iter()
        .find(|result| result.id == requirement.id)?;
    let measure = |name: &str| {
        result
            .measures
            .iter()
            .find(|measure| measure.name == name)
            .map(|measure| (measure.value.count(), measure.required.count()))
    };
    let (validations, validations_required) = measure("validations")?;
    let (keys, keys_required) = measure("msp_or_devops").unwrap_or((0, 0));
    Some(PremierNeed {
        validations,
        validations_required,
        keys,
        keys_required,
    })
}

/// Whether a checklist is a key designation of the tier rules: MSP, or a
/// competency named in `key_competencies`.
fn is_key(catalog: &Catalog, rules: &RuleSet, checklist: usize) -> bool {
    let checklist = &catalog.checklists[checklist];
    match checklist.program {
        DesignationProgram::Msp => true,
        DesignationProgram::Competency => rules
            .program
            .key_competencies
            .contains(&normalize_competency(&checklist.name)),
        _ => false,
    }
}

/// Answers a path request for `partner` on the day of `standing`.
pub fn answer(
    catalog: &Catalog,
    rules: &RuleSet,
    partner: &Partner,
    standing: &Standing,
    request: &PathRequest,
) -> Result<PathAnswer, PathError> {
    let premier = match request.want {
        Want::Premier => Some(
            premier_need(rules, partner, standing.as_of)
                .ok_or_else(|| no_premier_requirement(partner.info.track))?,
        ),
        Want::Count(_) => None,
    };
    answer_with(catalog, rules, partner, standing, request, premier)
}

fn no_premier_requirement(track: Track) -> PathError {
    PathError::Request(format!(
        "the rule file has no premier program-validations requirement for a {track} partner; ask for a number of designations with `--want`"
    ))
}

/// Answers a path request whose premier need (for [`Want::Premier`]) is
/// known already, read from the partner's scorecard with
/// [`premier_need_in`].
pub fn answer_with(
    catalog: &Catalog,
    rules: &RuleSet,
    partner: &Partner,
    standing: &Standing,
    request: &PathRequest,
    premier: Option<PremierNeed>,
) -> Result<PathAnswer, PathError> {
    let path = path_of(partner.info.track);
    let premier = match (request.want, premier) {
        (Want::Premier, None) => return Err(no_premier_requirement(partner.info.track)),
        (Want::Premier, need) => need,
        (Want::Count(_), _) => None,
    };
    let programs: Option<&[DesignationProgram]> = premier
        .is_some()
        .then_some(&[DesignationProgram::Competency, DesignationProgram::Msp]);
    let all = path::candidates(catalog, standing, path, programs);
    let resolve = |id: &str, what: &str| -> Result<usize, PathError> {
        let index = catalog.checklist_index(id).ok_or_else(|| {
            PathError::Request(format!(
                "`{what} {}`: no such designation in the catalog; closest: {}",
                shorten(id, QUOTE_LIMIT),
                list(catalog.closest_checklists(id).into_iter())
            ))
        })?;
        if all.contains(&index) {
            return Ok(index);
        }
        let checklist = &catalog.checklists[index];
        let why = if standing.held.contains(&index) {
            "the partner holds it already (an active validation names it)".to_owned()
        } else if checklist.path != path {
            format!(
                "it is a {} checklist, and the partner is on the {} path",
                checklist.path.as_str(),
                path.as_str()
            )
        } else if checklist.program == DesignationProgram::Ftr {
            "an FTR is reached through the `requires` of what needs it".to_owned()
        } else {
            format!(
                "premier counts competency and MSP validations, and it is {}",
                checklist.program.as_str()
            )
        };
        Err(PathError::Request(format!(
            "`{what} {id}` cannot be chosen: {why}; expected one of the candidates: {}",
            list(
                all.iter()
                    .map(|&index| catalog.checklists[index].id.as_str())
            )
        )))
    };
    let mut candidates = match &request.among {
        Some(among) => among
            .iter()
            .map(|id| resolve(id, "--among"))
            .collect::<Result<Vec<usize>, PathError>>()?,
        None => all.clone(),
    };
    let mut must = Vec::with_capacity(request.must.len());
    for id in &request.must {
        let index = resolve(id, "--must")?;
        if !candidates.contains(&index) {
            return Err(PathError::Request(format!(
                "`--must {id}` is not in `--among`; add it there"
            )));
        }
        must.push(index);
    }
    candidates.sort_unstable();
    candidates.dedup();
    must.sort_unstable();
    must.dedup();
    let sets: Vec<FixedBitSet> = candidates
        .iter()
        .map(|&index| path::outstanding(catalog, standing, index))
        .collect();
    let is_key: Vec<bool> = candidates
        .iter()
        .map(|&index| is_key(catalog, rules, index))
        .collect();
    let must_positions: Vec<usize> = must
        .iter()
        .filter_map(|index| candidates.iter().position(|c| c == index))
        .collect();
    let (size, need_keys) = match (request.want, premier) {
        (Want::Premier, Some(need)) => {
            let more = usize::try_from(need.more()).unwrap_or(usize::MAX);
            let more_keys = usize::try_from(need.more_keys()).unwrap_or(usize::MAX);
            let must_keys = must_positions.iter().filter(|&&p| is_key[p]).count();
            let size = more
                .max(more_keys)
                .max(must.len() + more_keys.saturating_sub(must_keys));
            (size, more_keys)
        }
        (Want::Count(count), _) => (count, 0),
        (Want::Premier, None) => (0, 0),
    };
    if size < must.len() {
        return Err(PathError::Request(format!(
            "`--must` names {} designations and `--want` asks for {size}; ask for at least {}",
            must.len(),
            must.len()
        )));
    }
    let search = Search {
        sets,
        is_key,
        must: must_positions,
        size,
        need_keys,
    };
    let found =
        path::least_work(&search, path::SEARCH_BUDGET).map_err(|TooMuchWork { explored }| {
            PathError::TooMuchWork {
                explored,
                candidates: candidates.len(),
            }
        })?;
    let Some(found) = found else {
        let keys = search.is_key.iter().filter(|&&key| key).count();
        let message = if size > candidates.len() {
            format!(
                "no choice of {size} designations: there are {} candidates on the {} path that the partner does not hold; ask for at most {} with `--want`, or add checklists with `--catalog`",
                candidates.len(),
                path.as_str(),
                candidates.len()
            )
        } else {
            format!(
                "no choice of {size} designations includes {need_keys} MSP or key competency designations: the candidates have {keys}; widen `--among`, or add an MSP or key competency checklist with `--catalog`"
            )
        };
        return Err(PathError::Unmet(message));
    };
    let mut alone: Vec<(usize, usize)> = candidates
        .iter()
        .zip(&search.sets)
        .map(|(&index, set)| (index, set.count_ones(..)))
        .collect();
    alone.sort_by_key(|&(index, count)| (count, index));
    let chosen: Vec<usize> = found.chosen.iter().map(|&p| candidates[p]).collect();
    let chosen_sets: Vec<FixedBitSet> = found
        .chosen
        .iter()
        .map(|&p| search.sets[p].clone())
        .collect();
    let own_outstanding: Vec<usize> = chosen_sets.iter().map(|set| set.count_ones(..)).collect();
    let mut outstanding = catalog.empty_set();
    for set in &chosen_sets {
        outstanding.union_with(set);
    }
    let saved = own_outstanding.iter().sum::<usize>() - found.cost;
    let steps = path::steps(&chosen, &chosen_sets);
    // Checklists in use: the chosen and what they require, not held.
    let mut in_use = Vec::new();
    let mut stack = chosen.clone();
    while let Some(index) = stack.pop() {
        if in_use.contains(&index) {
            continue;
        }
        in_use.push(index);
        stack.extend(
            catalog.checklists[index]
                .requires
                .iter()
                .filter(|required| standing.held.binary_search(required).is_err()),
        );
    }
    in_use.sort_unstable();
    let stale = in_use
        .iter()
        .copied()
        .filter(|&index| catalog.checklists[index].is_stale(standing.as_of))
        .collect();
    let older_release = standing
        .older_release
        .iter()
        .filter(|older| in_use.contains(&older.checklist))
        .cloned()
        .collect();
    Ok(PathAnswer {
        partner: partner.info.name.clone(),
        as_of: standing.as_of,
        path,
        held: standing.held.clone(),
        candidates: candidates.len(),
        premier,
        case_studies: chosen
            .iter()
            .map(|&index| catalog.checklists[index].case_studies)
            .max()
            .unwrap_or(0),
        chosen,
        own_outstanding,
        outstanding,
        saved,
        steps,
        stale,
        older_release,
        evidence: standing.met.count_ones(..),
        alone,
    })
}
