//! The ID-card reader: the SAM serial protocol (`notes/idcard-protocol.md`), hand-written
//! because no Rust implementation exists and vendor DLLs are not an option.
//!
//! - `frame`, `sw`: frames and status codes (pure codec).
//! - `card`, `idnumber`, `tables`, `payload`: the card text of all four card types (pure).
//! - `driver`: owns the serial port, polls for cards, publishes `ReaderEvent`s and a status.
//! - `sim`: a reader on a pseudo-terminal with fictitious cards, for tests, demo and bench.
//! - `photo`: the optional run-time WLT photo decoder plug-in.
//! - `diag`: `kiosk diag idcard`, one read printed for a technician.
//! - `record`: byte-level recordings of a session for replay tests.

pub mod card;
pub mod diag;
pub mod driver;
pub mod frame;
pub mod idnumber;
pub mod link;
pub mod payload;
pub mod photo;
pub mod record;
pub mod sim;
pub mod sw;
pub mod tables;

pub use card::{Card, CardFields, CardType, ValidTo};
pub use driver::{Driver, DriverConfig, ReaderEvent};
pub use frame::{Command, Decoder, Response};
pub use sw::Sw3;
