//! The plan as text: the target, the knowledge totals and steps, then the
//! other steps.

use crate::escape::shown;
use std::fmt::Write as _;

use crate::plan::Plan;

/// The plan as text, ending in a newline.
pub fn render(plan: &Plan) -> String {
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        text,
        "{}: the least work to meet {} on {} (the data as it stands on {})",
        shown(&plan.partner),
        plan.tier,
        plan.by,
        plan.as_of
    );
    if plan.already_met {
        let _ = writeln!(text, "\nnothing to do: {} is met on {}", plan.tier, plan.by);
        return text;
    }
    let knowledge = &plan.knowledge;
    let _ = writeln!(
        text,
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
    );
    for action in &knowledge.actions {
        let _ = writeln!(text, "  - {}", shown(&action.text));
    }
    if plan.actions.is_empty() {
        let _ = writeln!(text, "\nnothing else to do");
    } else {
        let _ = writeln!(text, "\nexperience, customer success and other tasks:");
        for action in &plan.actions {
            match &action.requirement {
                Some(id) => {
                    let _ = writeln!(text, "  - {}: {}", shown(id), shown(&action.text));
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
                        let _ = writeln!(
                            text,
                            "    the least checklist work (`apn-check competencies path --premier`): {}, {} outstanding requirements in all",
                            chosen.join(" then "),
                            advice.outstanding
                        );
                    }
                }
                None => {
                    let _ = writeln!(text, "  - {}", shown(&action.text));
                }
            }
        }
    }
    text
}
