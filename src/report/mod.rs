//! Renderers of a scorecard: one module per output format, each turning the
//! same [`Scorecard`](crate::scorecard::Scorecard) into text.

pub mod explain;
pub mod json;
pub mod table;
