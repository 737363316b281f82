//! Wiring of the terminal application: configuration, logging, the kiosk's decision core and
//! availability, the bridge between that core and the Slint UI, demo mode and the headless
//! screenshot renderer.

pub mod availability;
pub mod config;
pub mod core;
pub mod devices;
pub mod logging;
pub mod screenshots;
pub mod ui_bridge;

pub use availability::{Availability, AvailabilityEvent, AvailabilityMachine};
pub use config::Config;
pub use core::{KioskCore, View};
