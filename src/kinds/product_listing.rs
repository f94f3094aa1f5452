//! `product-listing`: products listed as generally available on AWS.

use super::ledger::{Reason, Record};
use super::{Context, Entry, KindRule, MeasureSpec, PlanAsk, PlanStep, Sink, When};

/// The kind.
pub struct ProductListing;

impl KindRule for ProductListing {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[count!(
            "products",
            "GA product listing",
            "GA product listings"
        )]
    }

    fn table(&self) -> &'static str {
        "products"
    }

    fn lay_out(&self, context: &Context, sink: &mut dyn Sink) {
        for product in &context.partner.products {
            let record = || Record::Product {
                name: product.name.clone(),
            };
            let when = if product.ga {
                When::Always
            } else {
                When::Never(Reason::NotGa)
            };
            sink.entry(Entry::new(when, &record).adds(0, &[1]));
        }
    }

    fn counted_entries_measure(&self) -> Option<&'static str> {
        Some("products")
    }

    fn plan_step(&self, _ask: &PlanAsk) -> PlanStep {
        PlanStep::Task("list a product as generally available on AWS".to_owned())
    }
}
