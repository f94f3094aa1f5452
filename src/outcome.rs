//! How a run ended, as the process's exit status: 0 compliant (or nothing to
//! gate), 1 a gate failed, 2 the run could not do its job.

use std::process::{ExitCode, Termination};

/// How a run ended; the binary's exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Every partner meets its gate, or the command had nothing to gate (exit 0).
    Compliant,
    /// Some partner does not meet its gate (exit 1).
    GateFailed,
    /// A usage or input error: something could not be done (exit 2).
    CouldNotRun,
}

impl Outcome {
    /// The exit status.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Compliant => 0,
            Outcome::GateFailed => 1,
            Outcome::CouldNotRun => 2,
        }
    }
}

impl Termination for Outcome {
    fn report(self) -> ExitCode {
        ExitCode::from(self.code())
    }
}
