//! The plan as text: the target, the knowledge totals and steps, then the
//! other steps.

use crate::escape::shown;
use std::io;

use crate::plan::Plan;

/// The plan as text, ending in a newline.
pub fn write(plan: &Plan, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(
        out,
        "{}: the least work to meet {} on {} (the data as it stands on {})",
        shown(&plan.partner),
        plan.tier,
        plan.by,
        plan.as_of
    )?;
    if plan.already_met {
        writeln!(out, "\nnothing to do: {} is met on {}", plan.tier, plan.by)?;
        return Ok(());
    }
    let knowledge = &plan.knowledge;
    writeln!(
        out,
        "\nknowledge: {} new {}, {} {} (after the free fixes)",
        knowledge.new_people,
        if knowledge.new_people == 1 {
            "person"
        } else {
            "people"
        },
        knowledge.exams,
        if knowledge.exams == 1 {
            "exam"
        } else {
            "exams"
        }
    )?;
    for action in &knowledge.actions {
        writeln!(out, "  - {}", shown(&action.text))?;
    }
    if plan.actions.is_empty() {
        writeln!(out, "\nnothing else to do")?;
    } else {
        writeln!(out, "\nexperience, customer success and other tasks:")?;
        for action in &plan.actions {
            match &action.requirement {
                Some(id) => {
                    writeln!(out, "  - {}: {}", shown(id), shown(&action.text))?;
                    if let Some(advice) = plan
                        .designations
                        .as_ref()
                        .filter(|_| id == "program-validations")
                    {
                        let chosen: Vec<String> = advice
                            .chosen
                            .iter()
                            .map(|d| {
                                format!("{} ({} requirements)", shown(&d.id), d.new_requirements)
                            })
                            .collect();
                        writeln!(
                            out,
                            "    the least checklist work (`apn-check competencies path --premier`): {}, {} outstanding requirements in all",
                            chosen.join(" then "),
                            advice.outstanding
                        )?;
                    }
                }
                None => {
                    writeln!(out, "  - {}", shown(&action.text))?;
                }
            }
        }
    }
    Ok(())
}
