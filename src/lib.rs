//! zhengwu-kiosk (政务自助终端): the firmware and touch application of a county's 24-hour
//! government self-service kiosks. The `kiosk` binary is a thin shell over this library so that
//! tests, benchmarks and tools use exactly the code the kiosk runs.
//!
//! - `app`: configuration, logging, the decision core, availability, UI bridge, demo mode.
//! - `session`: the applicant's state machines (pure).
//! - `devices`: the device status vocabulary; one folder per device as they land.
//! - `storage`: the SQLite database and its migrations.
//! - `privacy`: personal data types that mask themselves.
//! - `ui`: the Slint UI compiled from `ui/*.slint`.

pub mod app;
pub mod demo;
pub mod devices;
pub mod privacy;
pub mod session;
pub mod storage;

/// The Slint UI (generated from `ui/app.slint` by `build.rs`).
#[allow(missing_docs, clippy::all)]
pub mod ui {
    slint::include_modules!();
}
