//! The applicant's side of the kiosk, as pure state machines: which screen is shown, the
//! session's life (start, inactivity prompt, end and wipe), elder mode and language. No I/O and
//! no clock: time arrives as `Tick`s, devices as the set of services they allow.

pub mod applicant;
pub mod shell;

pub use applicant::Applicant;
pub use shell::{EndReason, Input, Notice, Screen, Service, Shell, ShellEffect, ShellTimeouts};
