//! The `competencies` commands: load the catalog (and for `path` the
//! partner file and the tier rules), run the library, render.

use std::io::Write;
use std::path::Path;

use super::commands::{load_rules, write_human, write_out, write_words};
use super::destination::{Existing, write_file};
use super::{
    CatalogArg, CliError, CompetenciesCommand, Environment, GraphFormat, ImportArgs, Outcome,
    PathArgs,
};
use crate::competency::Catalog;
use crate::competency::answer::{PathError, PathRequest, Want, answer};
use crate::competency::import;
use crate::competency::path::overlap;
use crate::competency::standing::{EvidenceError, standing};
use crate::error::list;
use crate::error::{LoadError, PartnerProblem, QUOTE_LIMIT, shorten};
use crate::partner::{Format, Partner, read_text, record_excerpt};
use crate::report::competencies as render;

/// Writes a picture to `path`, or to standard output.
fn picture(out: &mut dyn Write, path: Option<&Path>, text: &str) -> Result<Outcome, CliError> {
    match path {
        Some(path) => write_file(path, text, Existing::Replace)?,
        None => write_out(out, text)?,
    }
    Ok(Outcome::Compliant)
}

/// Runs a `competencies` subcommand.
pub(super) fn run(
    command: &CompetenciesCommand,
    environment: &Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    match command {
        CompetenciesCommand::Chart(args) => {
            let catalog = load_catalog(&args.catalog)?;
            let svg = crate::report::picture::chart(&catalog, args.path.map(Into::into));
            picture(out, args.out.as_deref(), &svg)
        }
        CompetenciesCommand::Graph(args) => {
            let catalog = load_catalog(&args.catalog)?;
            let by_name = args.out.as_deref().and_then(|path| {
                match path.extension().and_then(|extension| extension.to_str()) {
                    Some("dot" | "gv") => Some(GraphFormat::Dot),
                    Some("svg") => Some(GraphFormat::Svg),
                    _ => None,
                }
            });
            let format = match (by_name, args.format) {
                (Some(named), Some(asked)) if named != asked => {
                    return Err(CliError::Usage(
                        "`--format` and the file's extension disagree; drop `--format` or rename the file".to_owned(),
                    ));
                }
                (named, asked) => named.or(asked).unwrap_or(GraphFormat::Svg),
            };
            let text = match format {
                GraphFormat::Svg => crate::report::picture::graph_svg(&catalog),
                GraphFormat::Dot => crate::report::picture::graph_dot(&catalog),
            };
            picture(out, args.out.as_deref(), &text)
        }
        CompetenciesCommand::List(args) => {
            let catalog = load_catalog(&args.catalog)?;
            let as_of = args.as_of.unwrap_or(environment.today);
            write_words(out, args.json, |out| {
                if args.json {
                    render::list_json(&catalog, as_of, out)
                } else {
                    render::list_table(&catalog, as_of, environment.width, out)
                }
            })?;
            Ok(Outcome::Compliant)
        }
        CompetenciesCommand::Show(args) => {
            let catalog = load_catalog(&args.view.catalog)?;
            let index = designation(&catalog, &args.id)?;
            let as_of = args.view.as_of.unwrap_or(environment.today);
            write_words(out, args.view.json, |out| {
                if args.view.json {
                    render::show_json(&catalog, index, as_of, out)
                } else {
                    render::show_text(&catalog, index, as_of, environment.width, out)
                }
            })?;
            Ok(Outcome::Compliant)
        }
        CompetenciesCommand::Overlap(args) => {
            let catalog = load_catalog(&args.catalog)?;
            let mut designations = Vec::with_capacity(args.ids.len());
            for id in &args.ids {
                let index = designation(&catalog, id)?;
                if designations.contains(&index) {
                    return Err(CliError::Usage(format!(
                        "`{}` is named twice; name each designation once",
                        shorten(id, QUOTE_LIMIT)
                    )));
                }
                designations.push(index);
            }
            let overlap = overlap(&catalog, &designations);
            write_words(out, args.json, |out| {
                if args.json {
                    render::overlap_json(&catalog, &overlap, out)
                } else {
                    render::overlap_text(&catalog, &overlap, environment.width, out)
                }
            })?;
            Ok(Outcome::Compliant)
        }
        CompetenciesCommand::Path(args) => path_command(args, environment, out, err),
        CompetenciesCommand::Import(args) => import_command(args, out, err),
    }
}

/// The catalog named by `--catalog`, or the embedded one.
pub(super) fn load_catalog(arg: &CatalogArg) -> Result<Catalog, CliError> {
    Ok(match &arg.catalog {
        Some(directory) => Catalog::from_directory(directory)?,
        None => Catalog::embedded()?,
    })
}

/// The checklist `id`, or a usage error naming the closest.
fn designation(catalog: &Catalog, id: &str) -> Result<usize, CliError> {
    catalog.checklist_index(id).ok_or_else(|| {
        CliError::Usage(format!(
            "`{}` is not a designation of the catalog; closest: {}",
            shorten(id, QUOTE_LIMIT),
            list(catalog.closest_checklists(id).into_iter())
        ))
    })
}

/// An evidence entry the catalog does not know, as the partner file's
/// error at that entry's line.
fn evidence_error(path: &Path, text: &str, format: Format, error: EvidenceError) -> CliError {
    CliError::Load(LoadError::Invalid {
        path: path.display().to_string(),
        problem: PartnerProblem::UnknownEvidence(error.message),
        excerpt: record_excerpt(text, format, "requirement_evidence", error.index).map(Box::new),
    })
}

fn path_command(
    args: &PathArgs,
    environment: &Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let catalog = load_catalog(&args.catalog)?;
    let rules = load_rules(args.partner.rules.as_deref())?;
    let file = &args.partner.file;
    let name = file.display().to_string();
    let format =
        Format::of_path(file).ok_or_else(|| LoadError::UnknownFormat { path: name.clone() })?;
    let text = read_text(file, &name, args.partner.max_file_size)?;
    let partner = Partner::parse(&text, format, &name, &rules)?;
    let as_of = args.as_of.unwrap_or(environment.today);
    let standing = standing(&catalog, &partner, as_of)
        .map_err(|error| evidence_error(file, &text, format, error))?;
    let request = PathRequest {
        want: if args.premier {
            Want::Premier
        } else {
            Want::Count(args.want.map_or(1, |want| want as usize))
        },
        among: args.among.clone(),
        must: args.must.clone(),
    };
    match answer(&catalog, &rules, &partner, &standing, &request) {
        Ok(answer) => {
            write_words(out, args.json, |out| {
                if args.json {
                    render::path_json(&catalog, &answer, out)
                } else {
                    render::path_text(&catalog, &answer, environment.width, out)
                }
            })?;
            Ok(Outcome::Compliant)
        }
        Err(PathError::Unmet(message)) => {
            // The request is understood and has no answer: the gate's status.
            let line = format!("{}\n", crate::error::bounded(&message));
            let _ = err.write_all(crate::escape::terminal_output(&line).as_bytes());
            Ok(Outcome::GateFailed)
        }
        Err(error) => Err(error.into()),
    }
}

fn import_command(
    args: &ImportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let catalog = load_catalog(&args.catalog)?;
    let imported = import::read(&args.file, &catalog)?;
    for problem in &imported.problems {
        let line = format!(
            "warning: {}: {}\n",
            crate::escape::shown(&args.file.display().to_string()),
            crate::error::bounded(problem)
        );
        let _ = err.write_all(crate::escape::terminal_output(&line).as_bytes());
    }
    let text = imported.to_toml();
    match &args.out {
        None => write_out(out, &text)?,
        Some(directory) => {
            let written = write_into(directory, &args.catalog, &imported, &text)?;
            write_human(out, &written)?;
        }
    }
    Ok(Outcome::Compliant)
}

/// Writes an imported checklist into the catalog directory `directory`:
/// a directory without a catalog first gets a copy of the current one (the
/// embedded catalog, or `--catalog`), so that its blocks are there; an
/// earlier file of the same designation is replaced. The directory must
/// load as a catalog afterwards, else the earlier file is put back. Says
/// what it did.
fn write_into(
    directory: &Path,
    source: &CatalogArg,
    imported: &import::Imported,
    text: &str,
) -> Result<String, CliError> {
    let mut said = String::new();
    let has_catalog = directory.join("blocks").is_dir() || directory.join("checklists").is_dir();
    if !has_catalog {
        let files: Vec<(std::path::PathBuf, String)> = match &source.catalog {
            None => crate::competency::catalog::embedded_files()
                .into_iter()
                .map(|(path, text)| (path, text.to_owned()))
                .collect(),
            Some(from) => {
                let mut files = Vec::new();
                for folder in ["blocks", "checklists"] {
                    let Ok(entries) = std::fs::read_dir(from.join(folder)) else {
                        continue;
                    };
                    for entry in entries.flatten() {
                        let path = entry.path();
                        if path.extension().is_some_and(|e| e == "toml") {
                            let text = crate::files::read_small_text(&path, 4 << 20).map_err(
                                |source| CliError::Write {
                                    path: path.display().to_string(),
                                    source,
                                },
                            )?;
                            files.push((Path::new(folder).join(entry.file_name()), text));
                        }
                    }
                }
                files
            }
        };
        for (relative, text) in &files {
            let path = directory.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| CliError::Write {
                    path: parent.display().to_string(),
                    source,
                })?;
            }
            write_file(&path, text, Existing::Keep)?;
        }
        said.push_str(&format!(
            "made the catalog `{}` from the {} catalog ({} files)\n",
            crate::escape::shown(&directory.display().to_string()),
            if source.catalog.is_some() {
                "given"
            } else {
                "embedded"
            },
            files.len()
        ));
    }
    let folder = directory.join("checklists");
    std::fs::create_dir_all(&folder).map_err(|source| CliError::Write {
        path: folder.display().to_string(),
        source,
    })?;
    let target = folder.join(format!("{}.toml", imported.id));
    let earlier = std::fs::read_to_string(&target).ok();
    write_file(&target, text, Existing::Replace)?;
    if let Err(error) = Catalog::from_directory(directory) {
        // Put the directory back as it was, then say why.
        match &earlier {
            Some(earlier) => write_file(&target, earlier, Existing::Replace)?,
            None => {
                let _ = std::fs::remove_file(&target);
            }
        }
        return Err(error.into());
    }
    said.push_str(&format!(
        "{} `{}`: {} {} requirements of its own{}; release {}\n",
        if earlier.is_some() {
            "replaced"
        } else {
            "wrote"
        },
        crate::escape::shown(&target.display().to_string()),
        imported.id,
        imported.requirements.len(),
        if imported.blocks.is_empty() {
            String::new()
        } else {
            format!(", blocks {}", imported.blocks.join(", "))
        },
        imported.release
    ));
    said.push_str(&format!(
        "see it with `apn-check competencies list --catalog {}`\n",
        crate::escape::shown(&directory.display().to_string())
    ));
    Ok(said)
}
