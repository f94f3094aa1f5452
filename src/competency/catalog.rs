//! The catalog of checklists and blocks (the competency contract, section
//! 2): read from the embedded `rules/competencies/` or a directory given
//! with `--catalog`, checked once (strict fields, ids, unknown blocks and
//! designations, `requires` cycles), each error at its file, line and
//! caret. Every requirement's identity is `(scope, id)`; a designation's
//! requirements `R(X)` are its own and its blocks', as identity indices.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use fixedbitset::FixedBitSet;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::id;
use crate::calendar::deserialize_optional_date;
use crate::error::list;
use crate::error::{Excerpt, QUOTE_LIMIT, shorten, toml_error_parts};
use crate::program::normalize_competency;

/// The catalog the project ships, `rules/competencies/`.
static EMBEDDED: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/rules/competencies");

/// The embedded catalog's files: each path (`blocks/x.toml`) and text.
pub fn embedded_files() -> Vec<(std::path::PathBuf, &'static str)> {
    ["blocks", "checklists"]
        .iter()
        .filter_map(|folder| EMBEDDED.get_dir(folder))
        .flat_map(|dir| dir.files())
        .filter_map(|file| Some((file.path().to_path_buf(), file.contents_utf8()?)))
        .collect()
}

/// The name the embedded catalog's files are shown under.
pub const EMBEDDED_NAME: &str = "<embedded>";

/// The most files a catalog directory may hold (of each kind).
const MAX_FILES: usize = 10_000;

/// The largest catalog file read.
const MAX_FILE_SIZE: u64 = 4 << 20;

/// A designation's program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DesignationProgram {
    /// An AWS Competency.
    Competency,
    /// A service delivery specialization.
    ServiceDelivery,
    /// A service ready specialization.
    ServiceReady,
    /// The Managed Service Provider program.
    Msp,
    /// A Foundational Technical Review.
    Ftr,
}

impl DesignationProgram {
    /// The name as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            DesignationProgram::Competency => "competency",
            DesignationProgram::ServiceDelivery => "service-delivery",
            DesignationProgram::ServiceReady => "service-ready",
            DesignationProgram::Msp => "msp",
            DesignationProgram::Ftr => "ftr",
        }
    }
}

/// Which path of the partner program a checklist belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CatalogPath {
    /// Services (consulting partners).
    Consulting,
    /// Software (technology partners).
    Software,
}

impl CatalogPath {
    /// The name as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            CatalogPath::Consulting => "consulting",
            CatalogPath::Software => "software",
        }
    }
}

/// One requirement, by identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The block's id for a block requirement, else the designation's.
    pub scope: String,
    /// The id, such as `ACCT-001`.
    pub id: String,
    /// Its category (the checklist's heading).
    pub category: String,
    /// A few words of our own, when written.
    pub label: Option<String>,
}

/// A block: requirements pasted into many checklists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its requirements (identity indices, in file order).
    pub requirements: Vec<usize>,
    /// The file it came from.
    pub file: String,
}

/// A checklist: one designation's requirements for one path and release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    /// The designation's id.
    pub id: String,
    /// The designation's name.
    pub name: String,
    /// Its program.
    pub program: DesignationProgram,
    /// Its path.
    pub path: CatalogPath,
    /// The release it describes, as written (`2025-02`).
    pub release: String,
    /// The first day it is valid, when known.
    pub valid_from: Option<NaiveDate>,
    /// The last day it may be used, when known.
    pub usable_until: Option<NaiveDate>,
    /// Where it is published.
    pub url: Option<String>,
    /// The blocks it includes (indices into [`Catalog::blocks`]), in order.
    pub blocks: Vec<usize>,
    /// The designations that must be held first (indices into
    /// [`Catalog::checklists`]).
    pub requires: Vec<usize>,
    /// The customer case studies it asks for.
    pub case_studies: u32,
    /// Its own requirements (identity indices, in file order).
    pub own: Vec<usize>,
    /// `R(X)`: its own requirements and its blocks', each identity once, sorted.
    pub all: Vec<usize>,
    /// The file it came from.
    pub file: String,
}

impl Checklist {
    /// The day its release begins: `valid_from`, else the release read as
    /// `YYYY-MM` (its first day), when it reads so.
    pub fn release_date(&self) -> Option<NaiveDate> {
        self.valid_from.or_else(|| {
            let (year, month) = self.release.get(..7)?.split_once('-')?;
            NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
        })
    }

    /// Whether it is past `usable_until` on `day`.
    pub fn is_stale(&self, day: NaiveDate) -> bool {
        self.usable_until.is_some_and(|until| day > until)
    }

    /// The name as validations are compared with it (tier contract 5.4).
    pub fn normalized_name(&self) -> String {
        normalize_competency(&self.name)
    }
}

/// A loaded, checked catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Every requirement identity; an index here is the identity.
    pub requirements: Vec<Requirement>,
    /// The blocks, sorted by id.
    pub blocks: Vec<Block>,
    /// The checklists, sorted by id.
    pub checklists: Vec<Checklist>,
    identities: HashMap<(String, String), usize>,
    ids: HashMap<String, Designation>,
}

/// What an id of the catalog names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Designation {
    /// A block, by index.
    Block(usize),
    /// A checklist, by index.
    Checklist(usize),
}

/// Why a catalog could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("catalog file `{file}`{}: {message}", place(excerpt))]
pub struct CatalogError {
    /// The file (or directory).
    pub file: String,
    /// What is wrong and what would be right.
    pub message: String,
    /// The offending line, when known.
    pub excerpt: Option<Box<Excerpt>>,
}

fn place(excerpt: &Option<Box<Excerpt>>) -> String {
    excerpt
        .as_ref()
        .map(|excerpt| format!(" {}", excerpt.location))
        .unwrap_or_default()
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a block file with `[block]` and `[[requirements]]`"
)]
struct RawBlockFile {
    block: RawBlock,
    #[serde(default)]
    requirements: Vec<RawRequirement>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "the [block] table with `id` and `name`"
)]
struct RawBlock {
    id: Spanned<String>,
    name: String,
}

/// A checklist file as written. The loader reads it, and the importer
/// writes one through the same types, so the format has one definition.
#[derive(Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a checklist file with `[checklist]` and `[[requirements]]`"
)]
pub(super) struct RawChecklistFile {
    pub(super) checklist: RawChecklist,
    #[serde(default)]
    pub(super) requirements: Vec<RawRequirement>,
}

/// The `[checklist]` table as written; values keep their spans for errors
/// (a written one has none: see [`unspanned`]).
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields, expecting = "the [checklist] table")]
pub(super) struct RawChecklist {
    pub(super) id: Spanned<String>,
    pub(super) name: Spanned<String>,
    pub(super) program: DesignationProgram,
    pub(super) path: CatalogPath,
    pub(super) release: Spanned<String>,
    #[serde(
        default,
        deserialize_with = "deserialize_optional_date",
        serialize_with = "serialize_optional_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub(super) valid_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) usable_until: Option<Spanned<OptionalDate>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) url: Option<String>,
    #[serde(default)]
    pub(super) blocks: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) requires: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) case_studies: u32,
}

/// A date read by [`deserialize_optional_date`], kept with its span.
#[derive(Deserialize, Serialize)]
#[serde(transparent)]
pub(super) struct OptionalDate(
    #[serde(
        deserialize_with = "deserialize_optional_date",
        serialize_with = "serialize_optional_date"
    )]
    pub(super) Option<NaiveDate>,
);

/// A `[[requirements]]` entry as written.
#[derive(Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a requirement with `id`, `category` and an optional `label`"
)]
pub(super) struct RawRequirement {
    pub(super) id: Spanned<String>,
    pub(super) category: Spanned<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) label: Option<String>,
}

/// A value to write, which has no place in a file yet.
pub(super) fn unspanned<T>(value: T) -> Spanned<T> {
    Spanned::new(0..0, value)
}

/// Writes a date as a TOML date (`2026-02-26`, unquoted), as catalog files
/// write them.
fn serialize_optional_date<S: serde::Serializer>(
    date: &Option<NaiveDate>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    let Some(date) = date else {
        return serializer.serialize_none();
    };
    let part = |value: u32| u8::try_from(value).map_err(S::Error::custom);
    toml::value::Datetime {
        date: Some(toml::value::Date {
            year: u16::try_from(date.year()).map_err(S::Error::custom)?,
            month: part(date.month())?,
            day: part(date.day())?,
        }),
        time: None,
        offset: None,
    }
    .serialize(serializer)
}

/// A catalog file's name and text.
struct Source {
    file: String,
    text: String,
}

impl Source {
    fn error(&self, message: String, span: Option<std::ops::Range<usize>>) -> CatalogError {
        CatalogError {
            file: self.file.clone(),
            message,
            excerpt: span.map(|span| Box::new(Excerpt::at(&self.text, span))),
        }
    }
}

impl Catalog {
    /// The embedded catalog.
    pub fn embedded() -> Result<Catalog, CatalogError> {
        let sources = |folder: &str| -> Vec<Source> {
            let mut files: Vec<Source> = EMBEDDED
                .get_dir(folder)
                .into_iter()
                .flat_map(|dir| dir.files())
                .filter(|file| file.path().extension().is_some_and(|e| e == "toml"))
                .map(|file| Source {
                    file: format!("{EMBEDDED_NAME}/{}", file.path().display()),
                    text: String::from_utf8_lossy(file.contents()).into_owned(),
                })
                .collect();
            files.sort_by(|a, b| a.file.cmp(&b.file));
            files
        };
        Catalog::from_sources(sources("blocks"), sources("checklists"))
    }

    /// The catalog in `directory` (`blocks/*.toml`, `checklists/*.toml`).
    pub fn from_directory(directory: &Path) -> Result<Catalog, CatalogError> {
        let shown = directory.display().to_string();
        let error = |message: String| CatalogError {
            file: shown.clone(),
            message,
            excerpt: None,
        };
        if !directory.is_dir() {
            return Err(error(
                "is not a directory; `--catalog` names a directory with `blocks/` and `checklists/`"
                    .to_owned(),
            ));
        }
        let (blocks_dir, checklists_dir) = (directory.join("blocks"), directory.join("checklists"));
        if !blocks_dir.is_dir() && !checklists_dir.is_dir() {
            return Err(error(
                "has neither `blocks/` nor `checklists/`; a catalog directory holds `blocks/*.toml` and `checklists/*.toml`".to_owned(),
            ));
        }
        let read = |folder: &Path| -> Result<Vec<Source>, CatalogError> {
            if !folder.is_dir() {
                return Ok(Vec::new());
            }
            let entries = std::fs::read_dir(folder).map_err(|source| CatalogError {
                file: folder.display().to_string(),
                message: format!("cannot list it: {}", crate::error::describe_io(&source)),
                excerpt: None,
            })?;
            let mut paths = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|source| CatalogError {
                    file: folder.display().to_string(),
                    message: format!("cannot list it: {}", crate::error::describe_io(&source)),
                    excerpt: None,
                })?;
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "toml") {
                    paths.push(path);
                }
                if paths.len() > MAX_FILES {
                    return Err(CatalogError {
                        file: folder.display().to_string(),
                        message: format!(
                            "holds more than {MAX_FILES} files; a catalog has a few hundred at most"
                        ),
                        excerpt: None,
                    });
                }
            }
            paths.sort();
            paths
                .into_iter()
                .map(|path| {
                    let file = path.display().to_string();
                    crate::files::read_small_text(&path, MAX_FILE_SIZE)
                        .map(|text| Source {
                            file: file.clone(),
                            text,
                        })
                        .map_err(|source| CatalogError {
                            file,
                            message: format!(
                                "cannot read it: {}",
                                crate::error::describe_io(&source)
                            ),
                            excerpt: None,
                        })
                })
                .collect()
        };
        Catalog::from_sources(read(&blocks_dir)?, read(&checklists_dir)?)
    }

    /// The catalog of these block and checklist files, each a name (shown
    /// in errors) and its text.
    pub fn from_texts(
        blocks: &[(&str, &str)],
        checklists: &[(&str, &str)],
    ) -> Result<Catalog, CatalogError> {
        let sources = |files: &[(&str, &str)]| {
            files
                .iter()
                .map(|(file, text)| Source {
                    file: (*file).to_owned(),
                    text: (*text).to_owned(),
                })
                .collect()
        };
        Catalog::from_sources(sources(blocks), sources(checklists))
    }

    /// The catalog of these block and checklist files.
    fn from_sources(blocks: Vec<Source>, checklists: Vec<Source>) -> Result<Catalog, CatalogError> {
        let mut builder = Builder::default();
        let mut raw_checklists = Vec::with_capacity(checklists.len());
        for source in &blocks {
            let raw: RawBlockFile = parse(source)?;
            builder.add_block(source, raw)?;
        }
        for source in &checklists {
            let raw: RawChecklistFile = parse(source)?;
            builder.claim_id(source, &raw.checklist.id)?;
            raw_checklists.push(raw);
        }
        for (source, raw) in checklists.iter().zip(raw_checklists) {
            builder.add_checklist(source, raw)?;
        }
        builder.finish(&checklists)
    }

    /// What `id` names, if anything.
    pub fn find(&self, id: &str) -> Option<Designation> {
        self.ids.get(id).copied()
    }

    /// The checklist `id`, by index.
    pub fn checklist_index(&self, id: &str) -> Option<usize> {
        match self.find(id)? {
            Designation::Checklist(index) => Some(index),
            Designation::Block(_) => None,
        }
    }

    /// The identity `(scope, id)`, if the catalog has it.
    pub fn identity(&self, scope: &str, id: &str) -> Option<usize> {
        self.identities
            .get(&(scope.to_owned(), id.to_owned()))
            .copied()
    }

    /// The requirements of the block or checklist `scope` (its own only).
    pub fn scope_requirements(&self, scope: Designation) -> &[usize] {
        match scope {
            Designation::Block(index) => &self.blocks[index].requirements,
            Designation::Checklist(index) => &self.checklists[index].own,
        }
    }

    /// The three ids of the catalog (blocks and checklists) closest to `text`.
    pub fn closest_ids(&self, text: &str) -> Vec<&str> {
        closest(text, self.ids.keys().map(String::as_str))
    }

    /// The three checklist ids closest to `text`.
    pub fn closest_checklists(&self, text: &str) -> Vec<&str> {
        closest(text, self.checklists.iter().map(|c| c.id.as_str()))
    }

    /// An empty set of identities, sized for this catalog.
    pub fn empty_set(&self) -> FixedBitSet {
        FixedBitSet::with_capacity(self.requirements.len())
    }

    /// `R(X)` as a set.
    pub fn requirement_set(&self, checklist: usize) -> FixedBitSet {
        let mut set = self.empty_set();
        set.extend(self.checklists[checklist].all.iter().copied());
        set
    }
}

/// The (at most) three of `candidates` closest to `text`, best first.
pub fn closest<'a>(text: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = text.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|candidate| {
            (
                strsim::jaro_winkler(&wanted, &candidate.to_lowercase()),
                candidate,
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, id)| id).collect()
}

/// One catalog file read with strict types; errors located in it.
fn parse<T: serde::de::DeserializeOwned>(source: &Source) -> Result<T, CatalogError> {
    crate::deserialize::from_toml(&source.text).map_err(|error| {
        let (_, message) = toml_error_parts(&source.text, &error, 0);
        source.error(message, error.span())
    })
}

#[derive(Default)]
struct Builder {
    requirements: Vec<Requirement>,
    identities: HashMap<(String, String), usize>,
    blocks: Vec<Block>,
    checklists: Vec<Checklist>,
    /// Each id of a block or checklist, with the file that has it.
    ids: HashMap<String, (Designation, String)>,
    /// Each checklist's `requires` entries with their spans, for cycles.
    requires_spans: Vec<Vec<std::ops::Range<usize>>>,
    /// How many checklist ids are claimed: the next checklist's index.
    checklists_claimed: usize,
    /// (program, path, normalised name) of each checklist, for duplicates.
    names: HashMap<(DesignationProgram, CatalogPath, String), String>,
}

impl Builder {
    fn check_slug(source: &Source, id: &Spanned<String>, what: &str) -> Result<(), CatalogError> {
        if id::is_slug(id.get_ref()) {
            return Ok(());
        }
        Err(source.error(
            format!(
                "{what} id `{}` is not a lowercase slug; expected words of lowercase letters and digits joined by hyphens, such as `{}`",
                shorten(id.get_ref(), QUOTE_LIMIT),
                shorten(&id::slug_of(id.get_ref()), QUOTE_LIMIT).replace('`', "")
            ),
            Some(id.span()),
        ))
    }

    /// Records a block or checklist id, refusing one used already.
    fn claim(
        &mut self,
        source: &Source,
        id: &Spanned<String>,
        designation: Designation,
    ) -> Result<(), CatalogError> {
        if let Some((_, first)) = self.ids.get(id.get_ref()) {
            return Err(source.error(
                format!(
                    "id `{}` is used already by `{}`; ids are unique across blocks and checklists",
                    shorten(id.get_ref(), QUOTE_LIMIT),
                    shorten(first, QUOTE_LIMIT)
                ),
                Some(id.span()),
            ));
        }
        self.ids
            .insert(id.get_ref().clone(), (designation, source.file.clone()));
        Ok(())
    }

    /// Records a checklist's id before any checklist is built, so that
    /// `requires` can name a checklist of any file.
    fn claim_id(&mut self, source: &Source, id: &Spanned<String>) -> Result<(), CatalogError> {
        Builder::check_slug(source, id, "checklist")?;
        let index = self.checklists_claimed;
        self.claim(source, id, Designation::Checklist(index))?;
        self.checklists_claimed += 1;
        Ok(())
    }

    /// Adds a file's requirements under `scope`, refusing an id twice.
    fn add_requirements(
        &mut self,
        source: &Source,
        scope: &str,
        requirements: Vec<RawRequirement>,
    ) -> Result<Vec<usize>, CatalogError> {
        let mut indices = Vec::with_capacity(requirements.len());
        for requirement in requirements {
            let text = requirement.id.get_ref();
            if !id::is_valid(text) {
                return Err(source.error(
                    format!(
                        "requirement id `{}` is not one; expected a prefix of capitals and digits, a hyphen and three or four digits, with an optional suffix, such as `ACCT-001` or `DOC-002-CUSTOMER-DEPLOY`",
                        shorten(text, QUOTE_LIMIT)
                    ),
                    Some(requirement.id.span()),
                ));
            }
            if requirement.category.get_ref().trim().is_empty() {
                return Err(source.error(
                    format!(
                        "requirement `{text}` has an empty `category`; write the checklist heading it is under"
                    ),
                    Some(requirement.category.span()),
                ));
            }
            let key = (scope.to_owned(), text.clone());
            if self.identities.contains_key(&key) {
                return Err(source.error(
                    format!(
                        "requirement `{text}` is listed twice in `{}`; each id appears once in a file",
                        shorten(scope, QUOTE_LIMIT)
                    ),
                    Some(requirement.id.span()),
                ));
            }
            let index = self.requirements.len();
            self.identities.insert(key, index);
            self.requirements.push(Requirement {
                scope: scope.to_owned(),
                id: requirement.id.into_inner(),
                category: requirement.category.into_inner().trim().to_owned(),
                label: requirement.label.filter(|label| !label.trim().is_empty()),
            });
            indices.push(index);
        }
        Ok(indices)
    }

    fn add_block(&mut self, source: &Source, raw: RawBlockFile) -> Result<(), CatalogError> {
        Builder::check_slug(source, &raw.block.id, "block")?;
        self.claim(source, &raw.block.id, Designation::Block(self.blocks.len()))?;
        let id = raw.block.id.into_inner();
        let requirements = self.add_requirements(source, &id, raw.requirements)?;
        self.blocks.push(Block {
            id,
            name: raw.block.name,
            requirements,
            file: source.file.clone(),
        });
        Ok(())
    }

    fn add_checklist(
        &mut self,
        source: &Source,
        raw: RawChecklistFile,
    ) -> Result<(), CatalogError> {
        let header = raw.checklist;
        let id = header.id.get_ref().clone();
        let normalized = normalize_competency(header.name.get_ref());
        if normalized.is_empty() {
            return Err(source.error(
                "the checklist's `name` is empty; write the designation's name, such as `AWS WAF`"
                    .to_owned(),
                Some(header.name.span()),
            ));
        }
        if let Some(first) = self.names.insert(
            (header.program, header.path, normalized.clone()),
            id.clone(),
        ) {
            return Err(source.error(
                format!(
                    "checklist `{id}` has the name of `{first}` for the same program and path; a validation could not tell them apart: rename one, or remove the older file"
                ),
                Some(header.name.span()),
            ));
        }
        if header.release.get_ref().trim().is_empty() {
            return Err(source.error(
                "`release` is empty; write the release the checklist describes, such as `2025-08`"
                    .to_owned(),
                Some(header.release.span()),
            ));
        }
        let usable_until = header
            .usable_until
            .as_ref()
            .and_then(|date| date.get_ref().0);
        if let (Some(from), Some(until)) = (header.valid_from, usable_until)
            && until < from
        {
            return Err(source.error(
                format!(
                    "`usable_until` {until} is before `valid_from` {from}; expected a later date"
                ),
                header.usable_until.as_ref().map(Spanned::span),
            ));
        }
        let mut blocks = Vec::with_capacity(header.blocks.len());
        for block in &header.blocks {
            match self.ids.get(block.get_ref()) {
                Some((Designation::Block(index), _)) if !blocks.contains(index) => {
                    blocks.push(*index);
                }
                Some((Designation::Block(_), _)) => {
                    return Err(source.error(
                        format!(
                            "block `{}` is included twice; include it once",
                            block.get_ref()
                        ),
                        Some(block.span()),
                    ));
                }
                found => {
                    let what = if found.is_some() {
                        "is a checklist, not a block (a designation held first goes in `requires`)"
                    } else {
                        "is not a block of the catalog"
                    };
                    return Err(source.error(
                        format!(
                            "`blocks`: `{}` {what}; closest: {}",
                            shorten(block.get_ref(), QUOTE_LIMIT),
                            list(
                                closest(block.get_ref(), self.blocks.iter().map(|b| b.id.as_str()))
                                    .into_iter()
                            )
                        ),
                        Some(block.span()),
                    ));
                }
            }
        }
        let mut requires = Vec::with_capacity(header.requires.len());
        for required in &header.requires {
            match self.ids.get(required.get_ref()) {
                Some((Designation::Checklist(index), _)) => requires.push(*index),
                found => {
                    let what = if found.is_some() {
                        "is a block, not a designation (a block goes in `blocks`)"
                    } else {
                        "is not a designation of the catalog"
                    };
                    let checklists = self.ids.iter().filter_map(|(id, (designation, _))| {
                        matches!(designation, Designation::Checklist(_)).then_some(id.as_str())
                    });
                    return Err(source.error(
                        format!(
                            "`requires`: `{}` {what}; closest: {}",
                            shorten(required.get_ref(), QUOTE_LIMIT),
                            list(closest(required.get_ref(), checklists).into_iter())
                        ),
                        Some(required.span()),
                    ));
                }
            }
        }
        let own = self.add_requirements(source, &id, raw.requirements)?;
        let mut all: Vec<usize> = own
            .iter()
            .copied()
            .chain(
                blocks
                    .iter()
                    .flat_map(|&b| self.blocks[b].requirements.iter().copied()),
            )
            .collect();
        all.sort_unstable();
        all.dedup();
        self.requires_spans
            .push(header.requires.iter().map(Spanned::span).collect());
        self.checklists.push(Checklist {
            id,
            name: header.name.into_inner(),
            program: header.program,
            path: header.path,
            release: header.release.into_inner(),
            valid_from: header.valid_from,
            usable_until,
            url: header.url,
            blocks,
            requires,
            case_studies: header.case_studies,
            own,
            all,
            file: source.file.clone(),
        });
        Ok(())
    }

    /// Refuses a `requires` cycle, then sorts blocks and checklists by id.
    fn finish(mut self, sources: &[Source]) -> Result<Catalog, CatalogError> {
        if let Some((checklist, entry, cycle)) = find_cycle(&self.checklists) {
            let names: Vec<&str> = cycle
                .iter()
                .map(|&index| self.checklists[index].id.as_str())
                .collect();
            return Err(sources[checklist].error(
                format!(
                    "`requires` makes a cycle: {}; a designation cannot need itself first: remove one of these",
                    names
                        .iter()
                        .map(|name| format!("`{name}`"))
                        .collect::<Vec<_>>()
                        .join(" requires ")
                ),
                self.requires_spans[checklist].get(entry).cloned(),
            ));
        }
        // Sort by id, renumbering the references.
        let mut block_order: Vec<usize> = (0..self.blocks.len()).collect();
        block_order.sort_by(|&a, &b| self.blocks[a].id.cmp(&self.blocks[b].id));
        let mut checklist_order: Vec<usize> = (0..self.checklists.len()).collect();
        checklist_order.sort_by(|&a, &b| self.checklists[a].id.cmp(&self.checklists[b].id));
        let renumber = |order: &[usize]| {
            let mut new = vec![0; order.len()];
            for (position, &old) in order.iter().enumerate() {
                new[old] = position;
            }
            new
        };
        let (new_block, new_checklist) = (renumber(&block_order), renumber(&checklist_order));
        for checklist in &mut self.checklists {
            for block in &mut checklist.blocks {
                *block = new_block[*block];
            }
            for required in &mut checklist.requires {
                *required = new_checklist[*required];
            }
        }
        let blocks: Vec<Block> = take(self.blocks, &block_order);
        let checklists: Vec<Checklist> = take(self.checklists, &checklist_order);
        let mut ids = HashMap::with_capacity(blocks.len() + checklists.len());
        for (index, block) in blocks.iter().enumerate() {
            ids.insert(block.id.clone(), Designation::Block(index));
        }
        for (index, checklist) in checklists.iter().enumerate() {
            ids.insert(checklist.id.clone(), Designation::Checklist(index));
        }
        Ok(Catalog {
            requirements: self.requirements,
            blocks,
            checklists,
            identities: self.identities,
            ids,
        })
    }
}

/// `items` in `order` (each a position in `items`).
fn take<T>(items: Vec<T>, order: &[usize]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.iter().filter_map(|&old| slots[old].take()).collect()
}

/// A `requires` cycle, if any: the checklist whose entry closes it, that
/// entry's position, and the cycle's checklists from there around.
fn find_cycle(checklists: &[Checklist]) -> Option<(usize, usize, Vec<usize>)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut marks = vec![Mark::New; checklists.len()];
    for root in 0..checklists.len() {
        if marks[root] != Mark::New {
            continue;
        }
        // An explicit stack of (checklist, next entry) keeps deep chains
        // from overflowing the call stack.
        let mut stack = vec![(root, 0_usize)];
        marks[root] = Mark::Open;
        while let Some(top) = stack.last_mut() {
            let (node, entry) = *top;
            top.1 += 1;
            let Some(&target) = checklists[node].requires.get(entry) else {
                marks[node] = Mark::Done;
                stack.pop();
                continue;
            };
            match marks[target] {
                Mark::Open => {
                    let from = stack
                        .iter()
                        .position(|&(open, _)| open == target)
                        .unwrap_or(0);
                    let mut cycle: Vec<usize> =
                        stack[from..].iter().map(|&(open, _)| open).collect();
                    cycle.push(target);
                    return Some((node, entry, cycle));
                }
                Mark::New => {
                    marks[target] = Mark::Open;
                    stack.push((target, 0));
                }
                Mark::Done => {}
            }
        }
    }
    None
}

/// The last day of the month of `day`.
pub fn end_of_month(day: NaiveDate) -> NaiveDate {
    let (year, month) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|first| first.pred_opt())
        .unwrap_or(day)
}
