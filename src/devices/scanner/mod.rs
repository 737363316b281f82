//! QR/barcode scanners: what a scanned code is for, and the readers that deliver codes.
//!
//! - `text`, `payload`, `receipt_code`: bytes → clean text → receipt / login / licence /
//!   unknown (pure, fuzzed); the receipt-code format the printer puts in its QR.
//! - `framing`: the serial byte stream → one payload per scan (pure).
//! - `driver`: the serial reader (CDC-ACM / RS-232) on its own thread, with the common status.
//! - `sim`: a serial scanner on a pseudo-terminal, for tests, demo and bench.
//! - `setup`: settings from the kiosk configuration (host, receipt key, framing).
//! - `diag`: `kiosk diag scanner`, each scan printed with its classification.

pub mod cli;
pub mod diag;
pub mod driver;
pub mod framing;
pub mod hid;
pub mod payload;
pub mod receipt_code;
pub mod setup;
pub mod sim;
pub mod text;

pub use driver::{Scanned, ScannerEvent, SerialConfig, SerialDriver};
pub use framing::{Frame, Framer, Framing};
pub use payload::{
    Classifier, LicenceRef, LoginCode, Payload, Scan, Shape, Unknown, UnknownReason,
};
pub use receipt_code::{ReceiptCodec, ReceiptKey, ReceiptRef};

/// A running scanner driver of either kind; dropping it stops it.
pub enum ScannerDriver {
    /// A serial (CDC-ACM / RS-232) scanner.
    Serial(SerialDriver),
    /// A keyboard-wedge scanner read through evdev.
    Hid(hid::HidDriver),
}
