//! apn-check: scores an AWS Partner Network partner's data against the APN
//! tier requirements of a declarative rule file.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod calendar;
pub mod error;
pub mod money;
pub mod partner;
pub mod rules;
pub mod tiers;
