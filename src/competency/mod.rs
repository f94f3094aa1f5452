//! apn-check's second job: the AWS competency and specialization programs
//! (the competency contract). The catalog of checklists and the blocks they
//! share, the partner's evidence and held designations, outstanding work,
//! overlaps, the least work to earn the next designations, and importing a
//! saved checklist page or self-assessment spreadsheet.

pub mod answer;
pub mod catalog;
pub mod id;
pub mod import;
pub mod path;
pub mod standing;

pub use catalog::{Catalog, CatalogError, CatalogPath, Checklist, DesignationProgram};
