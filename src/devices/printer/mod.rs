//! The receipt printer (回执打印机): ESC/POS over usblp, serial or TCP.
//!
//! - codec (pure): [`command`] (the command table, encoder and decoder), [`charset`] (which
//!   characters a font has), [`code128`], [`status`] (status bytes both ways), [`bitmap`],
//!   [`font`], [`symbols`];
//! - receipt: [`receipt`] (the model), [`layout`] (model → lines for a width), [`job`] (lines →
//!   commands for a [`profile`], with the per-line raster fallback);
//! - I/O: [`transport`] (usblp, serial, TCP with deadlines), [`driver`] (status before and
//!   after each job, typed errors mapped to the common device status), [`service`] (the
//!   driver as one task: status polling and print requests, results as events);
//! - [`emulator`] (decoder + renderer + status simulator on a TCP port or pseudo-terminal),
//!   [`diag`] (status and test page), [`cli`] (the `kiosk sim|escpos|diag` commands).
//!
//! For the app and the journeys: start the printer with [`service::RunningPrinter::start`] from
//! `[devices.printer]` (`port = "sim"` runs the emulator), forward [`PrinterEvent::Status`] to
//! the controller, and print a [`Receipt`] with `print`. When [`PrinterEvent::Printed`] carries
//! an error, the submission stands: show [`Receipt::tracking_qr`] and [`PrintError::message_zh`]
//! on screen, keep the `Receipt` with the submission, and print it again later.
//!
//! Decisions: `docs/decisions/0003-escpos-encoder.md`. Facts: `../shared/notes/escpos.md`.

pub mod bitmap;
pub mod charset;
pub mod cli;
pub mod code128;
pub mod command;
pub mod diag;
pub mod driver;
pub mod emulator;
pub mod font;
pub mod job;
pub mod layout;
pub mod profile;
pub mod receipt;
pub mod service;
pub mod status;
pub mod symbols;
pub mod transport;

pub use driver::{PrintError, Printed, PrinterDriver, Timeouts};
pub use profile::Profile;
pub use receipt::{Receipt, ReceiptNumber};
pub use service::{PrinterEvent, PrinterService};
