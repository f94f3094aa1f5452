//! Renderers of a scorecard: one module per output format, each turning the
//! same [`Scorecard`](crate::scorecard::Scorecard) into text.

pub mod explain;
pub mod forecast;
pub mod history;
pub mod json;
pub mod plan;
pub mod table;
