//! The forecast section of the table format: the partner on its review
//! date, what is at risk and why, and what expires soon.

use crate::escape::shown;
use std::io;

use crate::explain::Reason;
use crate::forecast::{EXPIRY_HORIZON_DAYS, Forecast};

/// The forecast section, ending in a newline.
pub fn write(forecast: &Forecast, out: &mut dyn io::Write) -> io::Result<()> {
    let then = &forecast.forecast;
    let today = &forecast.today;
    writeln!(
        out,
        "\nforecast for the review date {} (the data as it stands on {}):",
        then.as_of, today.as_of
    )?;
    let verdict = match then.tier(then.current_tier) {
        _ if then.compliant => format!("compliant with {}", then.current_tier),
        Some(tier) => {
            let failing: Vec<&str> = tier.unmet().map(|r| r.id.as_str()).collect();
            format!(
                "NOT compliant with {} (not met: {})",
                then.current_tier,
                shown(failing.join(", "))
            )
        }
        None => format!("NOT compliant with {}", then.current_tier),
    };
    writeln!(out, "  verdict then:       {verdict}")?;
    writeln!(out, "  eligible tier then: {}", then.eligible_tier)?;
    if forecast.at_risk.is_empty() {
        writeln!(
            out,
            "  at risk:            nothing the current tier holds today lapses by then"
        )?;
    } else {
        writeln!(
            out,
            "  at risk:            {}",
            shown(forecast.at_risk.join(", "))
        )?;
        for entry in &forecast.aging_out {
            let why = match entry.reason {
                Reason::OutsideWindow { .. } => "leaves the window".to_owned(),
                ref other => shown(other).to_string(),
            };
            let when = entry
                .leaves_on
                .map(|day| format!(" on {day}"))
                .unwrap_or_default();
            writeln!(
                out,
                "    - {}: {}: {why}{when}",
                shown(&entry.requirement),
                shown(&entry.record)
            )?;
        }
    }
    if forecast.expiring.is_empty() {
        writeln!(out, "  expiring within {EXPIRY_HORIZON_DAYS} days: none")?;
    } else {
        writeln!(out, "  expiring within {EXPIRY_HORIZON_DAYS} days:")?;
        for entry in &forecast.expiring {
            writeln!(
                out,
                "    - {} expires {}",
                shown(&entry.record),
                entry.expires_on
            )?;
        }
    }
    Ok(())
}
