//! `kiosk diag scanner`: listen on a serial scanner and print each scan with its classification
//! (`kind` plus the parsed fields, personal fields masked) for a technician. Runs the real
//! driver, so what it shows is what the kiosk would do.

use super::driver::{ScannerEvent, SerialConfig, SerialDriver};
use super::framing::Frame;
use super::hid::{HidConfig, HidDriver, Layout, record};
use super::payload::{Classifier, Scan};
use crate::devices::DeviceState;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Why the diagnostic could not listen.
#[derive(Debug, thiserror::Error)]
pub enum DiagError {
    /// The port does not open.
    #[error(
        "cannot open {port}: {message}. Check the cable, the port name and its permissions (group dialout); a keyboard-wedge scanner has no serial port"
    )]
    NoPort {
        /// The port.
        port: PathBuf,
        /// Why.
        message: String,
    },
    /// The driver thread could not start.
    #[error("cannot start the scanner driver: {0}")]
    Thread(#[from] std::io::Error),
    /// A recorded event stream could not be read.
    #[error("cannot read the recording {path}: {message}")]
    Recording {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// One scan as the technician sees it: the JSON fields and the time since listening began.
#[derive(Debug, Clone)]
pub struct DiagScan {
    /// The classified scan.
    pub scan: Scan,
    /// Milliseconds from start of listening to the scan.
    pub at_ms: u128,
}

impl DiagScan {
    /// JSON: `kind`, the parsed fields, `bytes`, `encoding`, `symbology`.
    pub fn to_json(&self) -> Value {
        self.scan.to_json()
    }

    /// One line: the kind, then `key=value` pairs.
    pub fn to_text(&self) -> String {
        let json = self.to_json();
        let mut line = format!("{:8}", json["kind"].as_str().unwrap_or("?"));
        if let Value::Object(m) = &json {
            for (k, v) in m {
                if k == "kind" || v.is_null() {
                    continue;
                }
                let shown = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                line.push_str(&format!(" {k}={shown}"));
            }
        }
        line
    }
}

/// Listen on `config.port` until `count` scans arrived or `wait` passed; `each` is called per
/// scan as it comes. Returns the scans.
pub fn listen(
    config: SerialConfig,
    count: usize,
    wait: Duration,
    each: impl FnMut(&DiagScan),
) -> Result<Vec<DiagScan>, DiagError> {
    check_port(&config.port, config.baud)?;
    let (tx, rx) = mpsc::channel();
    let driver = SerialDriver::spawn(config, move |e| {
        let _ = tx.send(e);
    })?;
    let scans = collect(&rx, count, wait, each);
    driver.stop();
    Ok(scans)
}

/// Listen on a keyboard-wedge scanner's evdev node (grabbed while listening), like `listen`.
pub fn listen_hid(
    config: HidConfig,
    count: usize,
    wait: Duration,
    each: impl FnMut(&DiagScan),
) -> Result<Vec<DiagScan>, DiagError> {
    let (tx, rx) = mpsc::channel();
    let driver = HidDriver::spawn(config, move |e| {
        let _ = tx.send(e);
    })?;
    let scans = collect(&rx, count, wait, each);
    driver.stop();
    Ok(scans)
}

/// Decode a recorded evdev stream (`cat /dev/input/eventN > FILE` on the kiosk) with `layout`
/// and classify every scan in it: how a technician checks a scanner's layout setting from a
/// capture. Scans without Enter end on 300 ms of silence, as in the driver.
pub fn replay_hid(
    path: &Path,
    layout: Layout,
    classifier: &Classifier,
) -> Result<Vec<DiagScan>, DiagError> {
    let bytes = std::fs::read(path).map_err(|e| DiagError::Recording {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    let (events, rest) = record::parse(&bytes);
    if rest != 0 {
        tracing::warn!(bytes = rest, "recording ends with a partial event");
    }
    let mut scans = Vec::new();
    for frame in record::play(&events, layout, Some(300_000)) {
        let (bytes, total) = match frame {
            Frame::Scan(b) => {
                let n = b.len();
                (b, n)
            }
            Frame::Overflow { head, total } => (head, total),
        };
        let mut scan = classifier.classify(&bytes);
        scan.bytes = total;
        scans.push(DiagScan { scan, at_ms: 0 });
    }
    Ok(scans)
}

fn collect(
    rx: &mpsc::Receiver<ScannerEvent>,
    count: usize,
    wait: Duration,
    mut each: impl FnMut(&DiagScan),
) -> Vec<DiagScan> {
    let started = Instant::now();
    let deadline = started + wait;
    let mut scans = Vec::new();
    while scans.len() < count {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            break;
        };
        match rx.recv_timeout(left) {
            Ok(ScannerEvent::Scanned(s)) => {
                let d = DiagScan {
                    scan: s.scan,
                    at_ms: started.elapsed().as_millis(),
                };
                each(&d);
                scans.push(d);
            }
            Ok(ScannerEvent::Status(s)) if s.state != DeviceState::Online => {
                tracing::warn!(state = %s.state.describe(), "scanner status");
            }
            Ok(ScannerEvent::Status(_)) => {}
            Err(_) => break,
        }
    }
    scans
}

fn check_port(port: &Path, baud: u32) -> Result<(), DiagError> {
    serialport::new(port.to_string_lossy(), baud)
        .open()
        .map(drop)
        .map_err(|e| DiagError::NoPort {
            port: port.to_owned(),
            message: e.to_string(),
        })
}
