//! apn-check: scores an AWS Partner Network partner's data against the APN
//! tier requirements of a declarative rule file.
//!
//! The pipeline: [`rules::RuleSet`] (the program) and [`partner::Partner`]
//! (the data) are loaded and checked once; [`evaluate::score`] turns them and
//! an as-of date into a [`scorecard::Scorecard`]; a renderer in [`report`]
//! prints it; [`cli`] ties these to the command line.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod ace;
pub mod batch;
pub mod calendar;
pub mod cli;
pub mod competency;
pub mod deserialize;
pub mod error;
pub mod escape;
pub mod evaluate;
pub mod explain;
pub mod export;
pub mod files;
pub mod forecast;
pub mod fuzzing;
pub mod history;
pub mod kinds;
pub mod money;
pub mod outcome;
pub mod partner;
pub mod plan;
pub mod program;
pub mod report;
pub mod rules;
pub mod scorecard;
pub mod starter;
pub mod tiers;
