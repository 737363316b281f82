//! The serial scanner simulator: a pseudo-terminal that "scans" payloads the way a reader in
//! CDC-ACM/RS-232 mode sends them (payload + suffix, or no suffix for idle framing). Driven
//! from tests, the demo dock and `kiosk sim scanner`: scan any bytes, send line noise, send at
//! real baud timing, unplug and replug (the link disappears and comes back).

use serialport::{SerialPort, TTYPort};
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
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

/// A running simulator. Dropping it stops it and removes the link.
pub struct Simulator {
    control: SimControl,
    link: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Start a simulated scanner whose serial port appears at `link` (a symlink to the PTY).
    pub fn start(link: &Path, suffix: Suffix) -> Result<Self, SimError> {
        let control = SimControl {
            state: Arc::new(Mutex::new(State {
                plugged: true,
                suffix,
                ..State::default()
            })),
        };
        let stop = Arc::new(AtomicBool::new(false));
        let pty = Pty::create(link)?;
        let (c2, s2, l2) = (control.clone(), stop.clone(), link.to_owned());
        let thread = std::thread::Builder::new()
            .name("scanner-sim".into())
            .spawn(move || serve(pty, &l2, &c2, &s2))?;
        Ok(Self {
            control,
            link: link.to_owned(),
            stop,
            thread: Some(thread),
        })
    }

    /// The control handle.
    pub fn control(&self) -> SimControl {
        self.control.clone()
    }

    /// Where the port appears.
    pub fn link(&self) -> &Path {
        &self.link
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_file(&self.link);
    }
}

struct Pty {
    master: TTYPort,
    // Held open so that the master never sees EIO while no driver has the port open.
    _slave: TTYPort,
}

impl Pty {
    fn create(link: &Path) -> std::io::Result<Self> {
        let (mut master, slave) = TTYPort::pair().map_err(std::io::Error::other)?;
        master
            .set_timeout(Duration::from_millis(10))
            .map_err(std::io::Error::other)?;
        let name = slave
            .name()
            .ok_or_else(|| std::io::Error::other("pseudo-terminal has no name"))?;
        let tmp = link.with_extension("tmp-link");
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(&name, &tmp)?;
        std::fs::rename(&tmp, link)?;
        Ok(Self {
            master,
            _slave: slave,
        })
    }
}

fn serve(first: Pty, link: &Path, control: &SimControl, stop: &AtomicBool) {
    let mut pty = Some(first);
    let mut sink = [0u8; 256];
    while !stop.load(Ordering::Relaxed) {
        let plugged = control.lock().plugged;
        match (&mut pty, plugged) {
            (Some(_), false) => {
                pty = None;
                let _ = std::fs::remove_file(link);
                continue;
            }
            (None, true) => match Pty::create(link) {
                Ok(p) => pty = Some(p),
                Err(e) => {
                    tracing::warn!(error = %e, "scanner simulator: cannot replug");
                    std::thread::sleep(Duration::from_millis(100));
                }
            },
            (None, false) => {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
            (Some(_), true) => {}
        }
        let Some(p) = pty.as_mut() else { continue };
        let (next, baud, suffix) = {
            let mut s = control.lock();
            (s.queue.pop_front(), s.baud, s.suffix)
        };
        match next {
            Some(bytes) => {
                send(p, &bytes, baud);
                control.lock().sent += 1;
                if suffix == Suffix::None {
                    // Without a suffix only silence separates scans; nobody scans two codes
                    // within this time.
                    std::thread::sleep(IDLE_SEPARATION);
                }
            }
            // Nothing to send: swallow whatever the host writes (a scanner ignores it) and
            // wait a little.
            None => match p.master.read(&mut sink) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            },
        }
    }
    let _ = std::fs::remove_file(link);
}

fn send(pty: &mut Pty, bytes: &[u8], baud: Option<u32>) {
    match baud {
        None => {
            let _ = pty.master.write_all(bytes);
        }
        Some(bps) => {
            for chunk in bytes.chunks(16) {
                let _ = pty.master.write_all(chunk);
                let _ = pty.master.flush();
                let secs = chunk.len() as f64 * 10.0 / f64::from(bps.max(1));
                std::thread::sleep(Duration::from_secs_f64(secs));
            }
        }
    }
    let _ = pty.master.flush();
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
