//! The integration tests, one binary (as ripgrep and just do): each module
//! runs the library or the real `apn-check` binary on files of `tests/`.

mod bad_inputs;
mod cli;
mod commands;
mod common;
mod competencies;
mod explain_agrees;
mod export_sqlite;
mod formats;
mod fuzz_corpus;
mod generator;
mod hostile_output;
mod import_opportunities;
mod pictures;
mod properties;
mod rule_file_changes;
mod schema;
mod vectors;
