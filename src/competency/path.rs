//! Outstanding work and the least of it (the competency contract, sections
//! 4 and 5): `outstanding(X)` with `requires` expanded, overlaps between
//! designations, and the exact choice of designations to pursue, found by
//! branch and bound with a lower bound and a bounded amount of work.

use std::collections::BTreeMap;

use fixedbitset::FixedBitSet;

use super::catalog::{Catalog, CatalogPath, DesignationProgram};
use super::standing::Standing;

/// `outstanding(X)`: `R(X)` and, for each designation `X` requires that the
/// partner does not hold, its outstanding work (recursively), minus every
/// identity with evidence.
pub fn outstanding(catalog: &Catalog, standing: &Standing, checklist: usize) -> FixedBitSet {
    let mut set = catalog.empty_set();
    let mut seen = vec![false; catalog.checklists.len()];
    let mut stack = vec![checklist];
    seen[checklist] = true;
    while let Some(next) = stack.pop() {
        set.extend(catalog.checklists[next].all.iter().copied());
        for &required in &catalog.checklists[next].requires {
            if !seen[required] && standing.held.binary_search(&required).is_err() {
                seen[required] = true;
                stack.push(required);
            }
        }
    }
    set.difference_with(&standing.met);
    set
}

/// What designations share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    /// The designations compared, by index, as asked.
    pub designations: Vec<usize>,
    /// The identities all of them have, sorted.
    pub common: Vec<usize>,
    /// Every pair: its two designations, shared and union counts.
    pub pairs: Vec<Pair>,
}

/// Two designations compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    /// The first, by index.
    pub a: usize,
    /// The second, by index.
    pub b: usize,
    /// Identities both have.
    pub shared: usize,
    /// Identities either has.
    pub union: usize,
}

/// What `designations` share, by identity (`R` only).
pub fn overlap(catalog: &Catalog, designations: &[usize]) -> Overlap {
    let sets: Vec<FixedBitSet> = designations
        .iter()
        .map(|&index| catalog.requirement_set(index))
        .collect();
    let mut common = sets.first().cloned().unwrap_or_else(|| catalog.empty_set());
    for set in &sets[1.min(sets.len())..] {
        common.intersect_with(set);
    }
    let mut pairs = Vec::new();
    for (i, a) in sets.iter().enumerate() {
        for (j, b) in sets.iter().enumerate().skip(i + 1) {
            pairs.push(Pair {
                a: designations[i],
                b: designations[j],
                shared: a.intersection_count(b),
                union: a.union_count(b),
            });
        }
    }
    Overlap {
        designations: designations.to_vec(),
        common: common.ones().collect(),
        pairs,
    }
}

/// What a path request asks for, over candidates sorted by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// Each candidate's outstanding work.
    pub sets: Vec<FixedBitSet>,
    /// Whether each candidate is a key designation (MSP or a key competency).
    pub is_key: Vec<bool>,
    /// Candidates that must be chosen (positions).
    pub must: Vec<usize>,
    /// How many to choose.
    pub size: usize,
    /// How many of the chosen must be key designations.
    pub need_keys: usize,
}

/// The least work found: positions of the chosen candidates (ascending) and
/// the size of their outstanding union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The chosen candidates' positions, ascending.
    pub chosen: Vec<usize>,
    /// `|outstanding(chosen)|`.
    pub cost: usize,
}

/// The search would take more work than its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooMuchWork {
    /// The nodes visited before stopping.
    pub explored: u64,
}

/// The most work a path request may take, in machine words of the sets
/// read (a union, a count): about a second on a slow machine.
pub const SEARCH_BUDGET: u64 = 1_200_000_000;

/// The exact least-work choice: `size` candidates including every `must`
/// and at least `need_keys` key ones, minimising the union of their sets;
/// ties go to the first in the order of the candidates (ids sorted), so the
/// alphabetically first sorted list of ids. `None` when no choice meets
/// the request.
///
/// Branch and bound: candidates are taken in order (so choices are visited
/// in that lexicographic order, and a later one never wins a tie), and a
/// branch is cut when its union so far plus a lower bound on what the
/// candidates still to pick must add reaches the best found.
pub fn least_work(search: &Search, budget: u64) -> Result<Option<Found>, TooMuchWork> {
    let count = search.sets.len();
    let universe = search.sets.first().map_or(0, FixedBitSet::len);
    if search.must.len() > search.size || search.size > count {
        return Ok(None);
    }
    let mut union = FixedBitSet::with_capacity(universe);
    let mut keys = 0;
    let mut is_must = vec![false; count];
    for &must in &search.must {
        if !is_must[must] {
            is_must[must] = true;
            union.union_with(&search.sets[must]);
            keys += usize::from(search.is_key[must]);
        }
    }
    let must_count = is_must.iter().filter(|&&m| m).count();
    if must_count != search.must.len() {
        return Ok(None);
    }
    let free: Vec<usize> = (0..count).filter(|&i| !is_must[i]).collect();
    let mut keys_after = vec![0; free.len() + 1];
    for position in (0..free.len()).rev() {
        keys_after[position] =
            keys_after[position + 1] + usize::from(search.is_key[free[position]]);
    }
    // A first answer from a greedy choice bounds the search from the start:
    // only choices costing no more are looked for (strictly less than its
    // cost plus one, so that an equal choice earlier in the order wins).
    let seed = greedy(search, &free, &union, keys).map(|cost| (cost + 1, Vec::new()));
    let mut state = Dfs {
        search,
        free: &free,
        keys_after: &keys_after,
        left_total: search.size - must_count,
        picked: Vec::with_capacity(search.size),
        best: seed,
        explored: 0,
        work: 0,
        budget,
        increments: Vec::with_capacity(free.len()),
        exclusive: Vec::with_capacity(free.len()),
        once: FixedBitSet::with_capacity(universe),
        twice: FixedBitSet::with_capacity(universe),
    };
    state.visit(0, &union, keys)?;
    Ok(state
        .best
        .filter(|(_, picked)| picked.len() == state.left_total)
        .map(|(cost, picked)| {
            let mut chosen: Vec<usize> = search.must.clone();
            chosen.extend(picked.iter().map(|&position| free[position]));
            chosen.sort_unstable();
            Found { chosen, cost }
        }))
}

struct Dfs<'a> {
    search: &'a Search,
    free: &'a [usize],
    keys_after: &'a [usize],
    left_total: usize,
    picked: Vec<usize>,
    best: Option<(usize, Vec<usize>)>,
    explored: u64,
    work: u64,
    budget: u64,
    increments: Vec<usize>,
    exclusive: Vec<usize>,
    once: FixedBitSet,
    twice: FixedBitSet,
}

impl Dfs<'_> {
    fn visit(&mut self, start: usize, union: &FixedBitSet, keys: usize) -> Result<(), TooMuchWork> {
        self.explored += 1;
        if self.work > self.budget {
            return Err(TooMuchWork {
                explored: self.explored,
            });
        }
        let cost = union.count_ones(..);
        let left = self.left_total - self.picked.len();
        let key_deficit = self.search.need_keys.saturating_sub(keys);
        if left == 0 {
            if key_deficit == 0 && self.best.as_ref().is_none_or(|(best, _)| cost < *best) {
                self.best = Some((cost, self.picked.clone()));
            }
            return Ok(());
        }
        let remaining = self.free.len() - start;
        if remaining < left || self.keys_after[start] < key_deficit || key_deficit > left {
            return Ok(());
        }
        if let Some(best) = self.best.as_ref().map(|(best, _)| *best)
            && cost + self.lower_bound(start, union, left) >= best
        {
            return Ok(());
        }
        for position in start..self.free.len() {
            if self.free.len() - position < left {
                break;
            }
            let candidate = self.free[position];
            let is_key = self.search.is_key[candidate];
            // With as many places left as keys missing, only keys will do.
            if !is_key && key_deficit >= left {
                continue;
            }
            let mut next = union.clone();
            next.union_with(&self.search.sets[candidate]);
            self.work += words(union);
            self.picked.push(position);
            let result = self.visit(position + 1, &next, keys + usize::from(is_key));
            self.picked.pop();
            result?;
        }
        Ok(())
    }
}

impl Dfs<'_> {
    /// At least what `left` more candidates from `start` on add to `union`:
    /// the larger of two bounds. The union grows by at least the largest
    /// increment among those added, so by the `left`-th smallest increment;
    /// and by at least the requirements only one remaining candidate has,
    /// summed over those added, so by the `left` smallest such counts.
    fn lower_bound(&mut self, start: usize, union: &FixedBitSet, left: usize) -> usize {
        let rest = &self.free[start..];
        self.work += 3 * rest.len() as u64 * words(union);
        let (once, twice) = (self.once.as_mut_slice(), self.twice.as_mut_slice());
        once.fill(0);
        twice.fill(0);
        for &candidate in rest {
            for ((once, twice), &block) in once
                .iter_mut()
                .zip(twice.iter_mut())
                .zip(self.search.sets[candidate].as_slice())
            {
                *twice |= *once & block;
                *once |= block;
            }
        }
        // Requirements that exactly one remaining candidate adds.
        for ((once, &twice), &done) in once.iter_mut().zip(twice.iter()).zip(union.as_slice()) {
            *once &= !twice & !done;
        }
        self.increments.clear();
        self.exclusive.clear();
        for &candidate in rest {
            let (mut increment, mut exclusive) = (0, 0);
            for ((&block, &done), &only) in self.search.sets[candidate]
                .as_slice()
                .iter()
                .zip(union.as_slice())
                .zip(once.iter())
            {
                increment += (block & !done).count_ones() as usize;
                exclusive += (block & only).count_ones() as usize;
            }
            self.increments.push(increment);
            self.exclusive.push(exclusive);
        }
        let (_, &mut kth, _) = self.increments.select_nth_unstable(left - 1);
        self.exclusive.select_nth_unstable(left - 1);
        let smallest: usize = self.exclusive[..left].iter().sum();
        kth.max(smallest)
    }
}

/// The machine words of a set, the unit of the search's work.
fn words(set: &FixedBitSet) -> u64 {
    set.as_slice().len().max(1) as u64
}

/// The cost of a greedy choice meeting the request (the must ones, then
/// each time the candidate adding least, keys first while they are
/// needed), if it finds one: an upper bound on the least.
fn greedy(search: &Search, free: &[usize], union: &FixedBitSet, keys: usize) -> Option<usize> {
    let mut union = union.clone();
    let mut keys = keys;
    let mut left: Vec<usize> = free.to_vec();
    let picks = search.size.checked_sub(search.sets.len() - free.len())?;
    for picked in 0..picks {
        let deficit = search.need_keys.saturating_sub(keys);
        let only_keys = deficit >= picks - picked;
        let (slot, _) = left
            .iter()
            .enumerate()
            .filter(|&(_, &candidate)| !only_keys || search.is_key[candidate])
            .map(|(slot, &candidate)| (slot, search.sets[candidate].difference_count(&union)))
            .min_by_key(|&(slot, increment)| (increment, slot))?;
        let candidate = left.remove(slot);
        union.union_with(&search.sets[candidate]);
        keys += usize::from(search.is_key[candidate]);
    }
    (keys >= search.need_keys).then(|| union.count_ones(..))
}

/// One step of a path: the designation, the requirements it adds, the
/// requirements it shares with earlier steps, and the total so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The checklist, by index.
    pub designation: usize,
    /// Outstanding requirements it adds.
    pub new_requirements: usize,
    /// Its outstanding requirements that earlier steps already do.
    pub already_done: usize,
    /// Outstanding requirements after this step.
    pub cumulative: usize,
}

/// The chosen designations in order: each time, the one adding the fewest
/// new outstanding requirements (ties: by id, the order of `chosen`), so
/// shared work comes first. `sets[i]` is `chosen[i]`'s outstanding work.
pub fn steps(chosen: &[usize], sets: &[FixedBitSet]) -> Vec<Step> {
    let mut done = FixedBitSet::with_capacity(sets.first().map_or(0, FixedBitSet::len));
    let mut left: Vec<usize> = (0..chosen.len()).collect();
    let mut steps = Vec::with_capacity(chosen.len());
    while !left.is_empty() {
        let (slot, new) = left
            .iter()
            .enumerate()
            .map(|(slot, &i)| (slot, sets[i].difference_count(&done)))
            .min_by_key(|&(slot, new)| (new, slot))
            .unwrap_or((0, 0));
        let i = left.remove(slot);
        done.union_with(&sets[i]);
        steps.push(Step {
            designation: chosen[i],
            new_requirements: new,
            already_done: sets[i].count_ones(..) - new,
            cumulative: done.count_ones(..),
        });
    }
    steps
}

/// The candidates of a path request: designations of `path` the partner
/// does not hold, not FTRs (reached through `requires`), limited to
/// `programs` when given; sorted by id (the catalog's order).
pub fn candidates(
    catalog: &Catalog,
    standing: &Standing,
    path: CatalogPath,
    programs: Option<&[DesignationProgram]>,
) -> Vec<usize> {
    catalog
        .checklists
        .iter()
        .enumerate()
        .filter(|(index, checklist)| {
            checklist.path == path
                && checklist.program != DesignationProgram::Ftr
                && programs.is_none_or(|programs| programs.contains(&checklist.program))
                && standing.held.binary_search(index).is_err()
        })
        .map(|(index, _)| index)
        .collect()
}

/// The outstanding identities of `set` counted by (scope, category), in the
/// catalog's order of scopes and categories' first appearance.
pub fn by_category(catalog: &Catalog, set: &FixedBitSet) -> Vec<(String, String, Vec<usize>)> {
    let mut groups: BTreeMap<(usize, usize), (String, String, Vec<usize>)> = BTreeMap::new();
    let mut firsts: std::collections::HashMap<(&str, &str), usize> = Default::default();
    let mut scopes: std::collections::HashMap<&str, usize> = Default::default();
    for identity in set.ones() {
        let requirement = &catalog.requirements[identity];
        let scope_order = {
            let next = scopes.len();
            *scopes.entry(requirement.scope.as_str()).or_insert(next)
        };
        let category_order = {
            let next = firsts.len();
            *firsts
                .entry((requirement.scope.as_str(), requirement.category.as_str()))
                .or_insert(next)
        };
        groups
            .entry((scope_order, category_order))
            .or_insert_with(|| {
                (
                    requirement.scope.clone(),
                    requirement.category.clone(),
                    Vec::new(),
                )
            })
            .2
            .push(identity);
    }
    groups.into_values().collect()
}

#[cfg(test)]
mod tests;
