//! The opportunities of a file by id, found through one hash table of
//! positions: for the repeated-id check at load and for linking each ACE
//! reference to its opportunity.

use super::{Opportunity, OpportunityLink, Reference, Via};

/// The opportunities by id: built once at load to find a repeated id and to
/// link references, in a table of positions (four bytes per opportunity)
/// rather than a map of strings.
pub(super) struct OpportunityIndex<'a> {
    opportunities: &'a [Opportunity],
    table: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl<'a> OpportunityIndex<'a> {
    /// The index of `opportunities`, or the position of the first one whose
    /// id an earlier one has.
    pub(super) fn new(opportunities: &'a [Opportunity]) -> Result<Self, usize> {
        let mut index = OpportunityIndex {
            opportunities,
            table: hashbrown::HashTable::with_capacity(opportunities.len()),
            hasher: foldhash::fast::RandomState::default(),
        };
        for (position, opportunity) in opportunities.iter().enumerate() {
            // A file holds far fewer than 2^32 opportunities (each takes
            // dozens of bytes); were there more, the first beyond would be
            // refused as a repeat rather than go unchecked.
            let Ok(stored) = u32::try_from(position) else {
                return Err(position);
            };
            let hash = index.hash(&opportunity.id);
            let id_of = |at: &u32| hash_id(&index.hasher, &opportunities[*at as usize].id);
            let same = |at: &u32| opportunities[*at as usize].id == opportunity.id;
            match index.table.entry(hash, same, id_of) {
                hashbrown::hash_table::Entry::Occupied(_) => return Err(position),
                hashbrown::hash_table::Entry::Vacant(vacant) => {
                    vacant.insert(stored);
                }
            }
        }
        Ok(index)
    }

    fn hash(&self, id: &str) -> u64 {
        hash_id(&self.hasher, id)
    }

    /// The place in the list of the opportunity with `id`, if there is one.
    fn position(&self, id: &str) -> Option<usize> {
        let opportunities = self.opportunities;
        self.table
            .find(self.hash(id), |&at| opportunities[at as usize].id == id)
            .map(|&at| at as usize)
    }

    /// Links each ACE reference to its opportunity, and keeps that
    /// opportunity's customer normalised.
    pub(super) fn link(&self, references: &mut [Reference]) {
        for reference in references {
            reference.link = match (reference.via, reference.opportunity.as_deref()) {
                (Via::Ace, Some(id)) => self
                    .position(id)
                    .map_or(OpportunityLink::Unknown, OpportunityLink::At),
                (Via::Ace, None) => OpportunityLink::Unknown,
                _ => OpportunityLink::NotAce,
            };
            reference.linked_customer_key = match reference.link {
                OpportunityLink::At(at) => self
                    .opportunities
                    .get(at)
                    .and_then(|opportunity| opportunity.customer.as_deref())
                    .map(|customer| crate::program::normalize_name(customer).into()),
                OpportunityLink::NotAce | OpportunityLink::Unknown => None,
            };
        }
    }
}

fn hash_id(hasher: &foldhash::fast::RandomState, id: &str) -> u64 {
    std::hash::BuildHasher::hash_one(hasher, id)
}
