//! The rule set as tables: the program's settings, then per track one row
//! per requirement and one column per tier with the thresholds, then the
//! certification catalog.

use crate::escape::shown;
use std::io;

use comfy_table::Cell;

use crate::kinds::Quantity;
use crate::program::Level;
use crate::rules::RuleSet;
use crate::tiers::Track;

fn quantity(value: Quantity) -> String {
    match value {
        Quantity::Count(count) => count.to_string(),
        Quantity::Money(cents) => cents.to_string(),
    }
}

/// The rule set as text, ending in a newline; only `track` when given.
pub fn write(
    rules: &RuleSet,
    source: &str,
    track: Option<Track>,
    width: Option<u16>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    writeln!(
        out,
        "{}\nsource: {}\n",
        shown(&rules.program.name),
        shown(source)
    )?;
    writeln!(
        out,
        "window:               {} months, start excluded",
        rules.program.window_months
    )?;
    writeln!(
        out,
        "fee grace:            {} days after the renewal anniversary",
        rules.program.fee_grace_days
    )?;
    writeln!(
        out,
        "legacy credits until: {}",
        rules.program.legacy_credit_until
    )?;
    writeln!(
        out,
        "credits not reducing direct revenue: {}",
        shown(rules.program.non_reducing_credit_names.join(", "))
    )?;
    writeln!(
        out,
        "key competencies (with MSP, for msp_or_devops): {}",
        shown(rules.program.key_competency_names.join(", "))
    )?;
    if let Some(grace) = rules.program.review_grace {
        writeln!(
            out,
            "review grace:         reviews due {} to {} move to {}",
            grace.from, grace.to, grace.review_on
        )?;
    }
    for listed in rules
        .program
        .tracks()
        .filter(|listed| track.is_none_or(|track| track == *listed))
    {
        let tiers = rules.program.tiers(listed);
        let mut table = crate::report::grid(width, false);
        let mut header = vec![Cell::new("requirement"), Cell::new("kind")];
        header.extend(tiers.iter().map(Cell::new));
        table.set_header(header);
        for requirement in &rules.requirements {
            if !tiers
                .iter()
                .any(|&tier| requirement.applies_to(listed, tier))
            {
                continue;
            }
            let mut label = shown(&requirement.id).to_string();
            if requirement.time_bound {
                label.push_str(" *");
            }
            if let Some(group) = requirement.alternative(listed) {
                label.push_str(&format!(" † {}", shown(group)));
            }
            if requirement.applicants_only {
                label.push_str(" ‡");
            }
            let mut row = vec![Cell::new(label), Cell::new(requirement.kind.as_str())];
            for &tier in tiers {
                let cell = requirement.thresholds(listed, tier).map_or_else(
                    || "—".to_owned(),
                    |values| {
                        requirement
                            .kind
                            .threshold_keys()
                            .iter()
                            .zip(values)
                            .map(|(spec, value)| format!("{} {}", spec.name, quantity(*value)))
                            .collect::<Vec<_>>()
                            .join("\n")
                    },
                );
                row.push(Cell::new(cell));
            }
            table.add_row(row);
        }
        writeln!(out, "\n{listed}\n{table}")?;
    }
    writeln!(
        out,
        "* time-bound (the window's records only)   † alternative group   ‡ exempt for partners already at the tier\n"
    )?;
    let mut catalog = crate::report::grid(width, false);
    catalog.set_header(["certification", "name", "level"]);
    for certification in &rules.program.certifications {
        let level = match certification.level {
            Level::Foundational => "foundational",
            Level::Associate => "associate",
            Level::Professional => "professional",
            Level::Specialty => "specialty",
        };
        catalog.add_row([
            shown(&certification.id).to_string(),
            shown(&certification.name).to_string(),
            level.to_owned(),
        ]);
    }
    writeln!(out, "{catalog}")?;
    Ok(())
}
