//! The kiosk's peripherals. `status` is the one vocabulary every device speaks; each device
//! (ID-card reader, printer, scanner, camera, GPIO) gets its own folder with a pure codec, a
//! driver that owns the port, and a simulator that speaks the same wire protocol.

pub mod camera;
pub mod idcard;
pub mod printer;
pub mod scanner;
pub mod simport;
pub mod status;
pub mod worker;

pub use status::{DeviceKind, DeviceState, DeviceStatus, MediaState, UserErrorReason};
