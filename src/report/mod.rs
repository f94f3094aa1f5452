//! Renderers of a scorecard: one module per output format, each turning the
//! same [`Scorecard`](crate::scorecard::Scorecard) into text.

pub mod diagnostic;
pub mod explain;
pub mod forecast;
pub mod github;
pub mod history;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod plan;
pub mod rules;
pub mod sarif;
pub mod summary;
pub mod table;
