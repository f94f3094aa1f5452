//! The partner's side of the catalog (the competency contract, section 3):
//! the designations it holds on a day, from its active validations, and the
//! requirement identities its evidence shows met by then.

use chrono::NaiveDate;
use fixedbitset::FixedBitSet;

use super::catalog::{Catalog, DesignationProgram, closest};
use crate::error::list;
use crate::error::{QUOTE_LIMIT, shorten};
use crate::partner::{Partner, Program, RequirementEvidence};
use crate::program::normalize_competency;

/// What the partner holds and has shown, on a day.
#[derive(Debug, Clone)]
pub struct Standing {
    /// The day.
    pub as_of: NaiveDate,
    /// The checklists whose designation it holds, by index, sorted.
    pub held: Vec<usize>,
    /// The identities its evidence shows met on or before the day.
    pub met: FixedBitSet,
    /// Evidence shown before a checklist's release that includes it: still
    /// counted, reported.
    pub older_release: Vec<OlderRelease>,
}

/// Evidence shown before the release of a checklist that includes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OlderRelease {
    /// The identity.
    pub identity: usize,
    /// When it was shown met.
    pub met_on: NaiveDate,
    /// The checklist, by index.
    pub checklist: usize,
}

/// An evidence entry the catalog does not know: which one, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceError {
    /// Its position in `requirement_evidence`.
    pub index: usize,
    /// What is wrong and what would be right.
    pub message: String,
}

/// The identity each evidence entry names, in order. The first entry the
/// catalog does not know is an error naming the closest ids, and saying
/// which other entries it does not know either, so that all are fixed at
/// once.
pub fn identities_of(
    catalog: &Catalog,
    evidence: &[RequirementEvidence],
) -> Result<Vec<usize>, EvidenceError> {
    let mut identities = Vec::with_capacity(evidence.len());
    let mut first: Option<EvidenceError> = None;
    let mut others = Vec::new();
    for (index, shown) in evidence.iter().enumerate() {
        match identity_of(catalog, shown) {
            Ok(identity) => identities.push(identity),
            Err(message) if first.is_none() => first = Some(EvidenceError { index, message }),
            Err(_) => others.push(format!("{} {}", shown.scope, shown.requirement)),
        }
    }
    match first {
        None => Ok(identities),
        Some(mut error) => {
            if !others.is_empty() {
                error.message.push_str(&format!(
                    "; {} more entries name what the catalog does not know: {}",
                    others.len(),
                    list(others.iter().map(String::as_str))
                ));
            }
            Err(error)
        }
    }
}

fn identity_of(catalog: &Catalog, shown: &RequirementEvidence) -> Result<usize, String> {
    let Some(scope) = catalog.find(&shown.scope) else {
        return Err(format!(
            "requirement evidence for `{}`: scope `{}` is not a block or designation of the catalog; closest: {}",
            shorten(&shown.requirement, QUOTE_LIMIT),
            shorten(&shown.scope, QUOTE_LIMIT),
            list(catalog.closest_ids(&shown.scope).into_iter())
        ));
    };
    if let Some(identity) = catalog.identity(&shown.scope, &shown.requirement) {
        return Ok(identity);
    }
    // A block requirement named under a designation that includes it.
    if let super::catalog::Designation::Checklist(index) = scope {
        let checklist = &catalog.checklists[index];
        if let Some(block) = checklist
            .blocks
            .iter()
            .map(|&b| &catalog.blocks[b])
            .find(|block| catalog.identity(&block.id, &shown.requirement).is_some())
        {
            return Err(format!(
                "requirement `{}` of `{}` belongs to its block `{}`; write `scope = \"{}\"`",
                shorten(&shown.requirement, QUOTE_LIMIT),
                checklist.id,
                block.id,
                block.id
            ));
        }
    }
    let ids = catalog
        .scope_requirements(scope)
        .iter()
        .map(|&identity| catalog.requirements[identity].id.as_str());
    Err(format!(
        "requirement `{}` is not in `{}`; closest: {}",
        shorten(&shown.requirement, QUOTE_LIMIT),
        shorten(&shown.scope, QUOTE_LIMIT),
        list(closest(&shown.requirement, ids).into_iter())
    ))
}

/// The partner's standing on `as_of`: held designations (an active
/// validation whose program matches and whose normalised name is the
/// checklist's; MSP by its program alone) and met identities.
pub fn standing(
    catalog: &Catalog,
    partner: &Partner,
    as_of: NaiveDate,
) -> Result<Standing, EvidenceError> {
    let identities = identities_of(catalog, &partner.requirement_evidence)?;
    let mut held = Vec::new();
    for validation in &partner.validations {
        let active = validation.achieved_on <= as_of
            && validation.expires_on.is_none_or(|expires| as_of < expires);
        if !active {
            continue;
        }
        let program = match validation.program {
            Program::Competency => DesignationProgram::Competency,
            Program::ServiceDelivery => DesignationProgram::ServiceDelivery,
            Program::ServiceReady => DesignationProgram::ServiceReady,
            Program::Ftr => DesignationProgram::Ftr,
            Program::Msp => DesignationProgram::Msp,
            Program::WellArchitected | Program::TechnicalBaselineReview => continue,
        };
        let name = normalize_competency(validation.name.as_deref().unwrap_or_default());
        for (index, checklist) in catalog.checklists.iter().enumerate() {
            if checklist.program == program
                && (program == DesignationProgram::Msp || checklist.normalized_name() == name)
            {
                held.push(index);
            }
        }
    }
    held.sort_unstable();
    held.dedup();
    let mut met = catalog.empty_set();
    let mut older_release = Vec::new();
    for (shown, &identity) in partner.requirement_evidence.iter().zip(&identities) {
        if shown.met_on > as_of {
            continue;
        }
        met.insert(identity);
        for (index, checklist) in catalog.checklists.iter().enumerate() {
            if checklist.all.binary_search(&identity).is_ok()
                && checklist
                    .release_date()
                    .is_some_and(|release| release > shown.met_on)
            {
                older_release.push(OlderRelease {
                    identity,
                    met_on: shown.met_on,
                    checklist: index,
                });
            }
        }
    }
    Ok(Standing {
        as_of,
        held,
        met,
        older_release,
    })
}
