//! The serial scanner simulator: a pseudo-terminal that "scans" payloads the way a reader in
//! CDC-ACM/RS-232 mode sends them (payload + suffix, or no suffix for idle framing). Driven
//! from tests, the demo dock and `kiosk sim scanner`: scan any bytes, send line noise, send at
//! real baud timing, unplug and replug (the link disappears and comes back).

use crate::devices::simport::{SimDevice, SimPort};
use crate::devices::worker::StopFlag;
use serialport::TTYPort;
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// What the simulated scanner appends to each scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Suffix {
    /// CR LF (the usual factory default).
    #[default]
    CrLf,
    /// CR only.
    Cr,
    /// LF only.
    Lf,
    /// Nothing (idle framing).
    None,
}

impl Suffix {
    /// The suffix for a `[devices.scanner] profile` (`serial-crlf`, `serial-cr`, `serial-lf`,
    /// `serial-idle`).
    pub fn from_profile(profile: &str) -> Option<Self> {
        match profile {
            "serial-crlf" => Some(Suffix::CrLf),
            "serial-cr" => Some(Suffix::Cr),
            "serial-lf" => Some(Suffix::Lf),
            "serial-idle" => Some(Suffix::None),
            _ => None,
        }
    }

    fn bytes(self) -> &'static [u8] {
        match self {
            Suffix::CrLf => b"\r\n",
            Suffix::Cr => b"\r",
            Suffix::Lf => b"\n",
            Suffix::None => b"",
        }
    }
}

/// Silence the simulator keeps after each scan when it sends no suffix.
pub const IDLE_SEPARATION: Duration = Duration::from_millis(150);

#[derive(Debug, Default)]
struct State {
    queue: VecDeque<Vec<u8>>,
    suffix: Suffix,
    baud: Option<u32>,
    plugged: bool,
    sent: u64,
}

/// Controls a running simulator. Cheap to clone; usable from any thread.
#[derive(Clone, Debug)]
pub struct SimControl {
    state: Arc<Mutex<State>>,
}

impl SimControl {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Scan a code: its bytes followed by the configured suffix.
    pub fn scan(&self, payload: &[u8]) {
        let mut s = self.lock();
        let mut bytes = payload.to_vec();
        bytes.extend_from_slice(s.suffix.bytes());
        s.queue.push_back(bytes);
    }

    /// Send raw bytes as they are (noise, a half scan, a scan with a foreign suffix).
    pub fn send_raw(&self, bytes: &[u8]) {
        self.lock().queue.push_back(bytes.to_vec());
    }

    /// Change the suffix of later scans.
    pub fn suffix(&self, suffix: Suffix) {
        self.lock().suffix = suffix;
    }

    /// Send at this baud rate's wire speed (10 bits a byte), or instantly.
    pub fn baud_timing(&self, baud: Option<u32>) {
        self.lock().baud = baud;
    }

    /// Unplug: the pseudo-terminal closes and the link disappears; queued scans are lost.
    pub fn unplug(&self) {
        let mut s = self.lock();
        s.plugged = false;
        s.queue.clear();
    }

    /// Plug back in: a new pseudo-terminal appears at the link.
    pub fn replug(&self) {
        self.lock().plugged = true;
    }

    /// Whether the scanner is plugged in.
    pub fn plugged(&self) -> bool {
        self.lock().plugged
    }

    /// Writes completed so far (scans and raw sends).
    pub fn sent(&self) -> u64 {
        self.lock().sent
    }

    /// Whether everything queued has been written.
    pub fn idle(&self) -> bool {
        self.lock().queue.is_empty()
    }
}

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// Creating the pseudo-terminal or the link failed.
    #[error("scanner simulator I/O: {0}")]
    Io(#[from] std::io::Error),
}

/// A running simulated scanner. Dropping it stops it and removes the link.
pub type Simulator = SimDevice<SimControl>;

impl SimDevice<SimControl> {
    /// Start a simulated scanner whose serial port appears at `link` (a symlink to the PTY).
    pub fn start(link: &Path, suffix: Suffix) -> Result<Self, SimError> {
        let control = SimControl {
            state: Arc::new(Mutex::new(State {
                plugged: true,
                suffix,
                ..State::default()
            })),
        };
        let sim = SimDevice::spawn(
            "scanner-sim",
            link,
            Duration::from_millis(10),
            control,
            |port, control, stop| serve(port, &control, &stop),
        )?;
        Ok(sim)
    }
}

fn serve(mut port: SimPort, control: &SimControl, stop: &StopFlag) {
    let mut sink = [0u8; 256];
    while !stop.is_set() {
        let plugged = control.lock().plugged;
        let Some(master) = port.follow(plugged) else {
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let (next, baud, suffix) = {
            let mut s = control.lock();
            (s.queue.pop_front(), s.baud, s.suffix)
        };
        match next {
            Some(bytes) => {
                send(master, &bytes, baud);
                control.lock().sent += 1;
                if suffix == Suffix::None {
                    // Without a suffix only silence separates scans; nobody scans two codes
                    // within this time.
                    std::thread::sleep(IDLE_SEPARATION);
                }
            }
            // Nothing to send: swallow whatever the host writes (a scanner ignores it) and
            // wait a little.
            None => match master.read(&mut sink) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            },
        }
    }
}

fn send(master: &mut TTYPort, bytes: &[u8], baud: Option<u32>) {
    match baud {
        None => {
            let _ = master.write_all(bytes);
        }
        Some(bps) => {
            for chunk in bytes.chunks(16) {
                let _ = master.write_all(chunk);
                let _ = master.flush();
                let secs = chunk.len() as f64 * 10.0 / f64::from(bps.max(1));
                std::thread::sleep(Duration::from_secs_f64(secs));
            }
        }
    }
    let _ = master.flush();
}

/// Sample payloads for the dock, the CLI and tests (fictitious).
pub mod samples {
    use super::super::payload::LICENCE_ARC;
    use super::super::receipt_code::ReceiptCodec;

    /// A receipt code for a fictitious case printed at `kiosk`.
    pub fn receipt(codec: &ReceiptCodec, kiosk: &str) -> String {
        let kiosk: String = kiosk
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .take(super::super::receipt_code::MAX_KIOSK)
            .collect();
        let kiosk = if kiosk.is_empty() {
            "DEMO".into()
        } else {
            kiosk
        };
        codec
            .make("411522-20261126-000042", &kiosk)
            .unwrap_or_default()
    }

    /// A login link of the platform's app (fictitious token).
    pub fn login(codec: &ReceiptCodec) -> String {
        format!("https://{}/l/demo-7Hq2xVb9KpL4mN3s", codec.host())
    }

    /// An e-licence identifier (fictitious holder code).
    pub fn licence() -> String {
        format!("{LICENCE_ARC}11100000000013338W011.11411522MA00000000.20261126.001.7")
    }

    /// Garbage: line noise, invalid bytes, an escape sequence.
    pub fn garbage() -> Vec<u8> {
        b"\xff\xfe\x00\x1b[2J\x80\x81gar\x07bage".to_vec()
    }
}
