//! `kiosk diag scanner`: listen on a serial scanner and print each scan with its classification
//! (`kind` plus the parsed fields, personal fields masked) for a technician. Runs the real
//! driver, so what it shows is what the kiosk would do.

use super::driver::{ScannerEvent, SerialConfig, SerialDriver};
use super::payload::Scan;
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
    mut each: impl FnMut(&DiagScan),
) -> Result<Vec<DiagScan>, DiagError> {
    check_port(&config.port, config.baud)?;
    let (tx, rx) = mpsc::channel();
    let driver = SerialDriver::spawn(config, move |e| {
        let _ = tx.send(e);
    })?;
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
    driver.stop();
    Ok(scans)
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
