//! The serial scanner's driver: one thread that owns the port (USB CDC-ACM or RS-232), frames
//! the byte stream, classifies each scan and publishes `ScannerEvent`s and a status in the
//! common vocabulary. A scanner only talks, so "online" means the port is open; after any port
//! failure (unplug) the driver re-opens it every `reopen` interval, so a replugged scanner is
//! back within 2 s. The same code held under the scanner for a second is one scan, not ten.

use super::framing::{Frame, Framer, Framing};
use super::payload::{Classifier, Payload, Scan};
use crate::devices::worker::{StopFlag, Worker};
use crate::devices::{DeviceState, DeviceStatus, MediaState};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Driver settings.
#[derive(Debug, Clone)]
pub struct SerialConfig {
    /// Serial port (a stable udev name such as `/dev/kiosk-scanner`).
    pub port: PathBuf,
    /// Baud rate (ignored by CDC-ACM; 9600 is the RS-232 factory default).
    pub baud: u32,
    /// How scans are delimited.
    pub framing: Framing,
    /// Silence that ends a scan in `Idle` framing.
    pub idle_gap: Duration,
    /// Silence after which an unterminated scan is dropped in `Terminator` framing.
    pub partial_timeout: Duration,
    /// Time between attempts to re-open a lost port.
    pub reopen: Duration,
    /// The same payload again within this time is the same scan.
    pub repeat_suppress: Duration,
    /// How payloads are classified.
    pub classifier: Classifier,
}

impl SerialConfig {
    /// Defaults: 9600 baud, 60 ms idle gap, 500 ms partial timeout, re-open every 500 ms,
    /// repeats suppressed for 1.5 s.
    pub fn new(port: impl Into<PathBuf>, framing: Framing, classifier: Classifier) -> Self {
        Self {
            port: port.into(),
            baud: 9600,
            framing,
            idle_gap: Duration::from_millis(60),
            partial_timeout: Duration::from_millis(500),
            reopen: Duration::from_millis(500),
            repeat_suppress: Duration::from_millis(1500),
            classifier,
        }
    }
}

/// A classified scan and when its last byte arrived.
#[derive(Debug, Clone)]
pub struct Scanned {
    /// The classified payload (personal fields masked in `Debug`).
    pub scan: Scan,
    /// When the scan's last byte was read from the port.
    pub received: Instant,
}

/// What the driver reports.
#[derive(Debug, Clone)]
pub enum ScannerEvent {
    /// The scanner's status changed.
    Status(DeviceStatus),
    /// A code was scanned.
    Scanned(Box<Scanned>),
}

/// A running driver. Dropping it stops the thread.
pub struct SerialDriver {
    thread: Worker,
}

impl SerialDriver {
    /// Start the driver thread; `sink` receives every event (it must not block for long).
    pub fn spawn(
        config: SerialConfig,
        sink: impl Fn(ScannerEvent) + Send + 'static,
    ) -> std::io::Result<Self> {
        let thread = Worker::spawn("scanner-driver", move |stop| run(&config, &sink, &stop))?;
        Ok(Self { thread })
    }

    /// Stop the thread and wait for it.
    pub fn stop(self) {
        self.thread.stop();
    }
}

/// Suppresses the same payload repeated within a window (a code held under the scanner).
#[derive(Debug, Default)]
pub struct RepeatFilter {
    last: Option<(Vec<u8>, Instant)>,
}

impl RepeatFilter {
    /// Whether `bytes` at `now` is a new scan (and remember it).
    pub fn is_new(&mut self, bytes: &[u8], now: Instant, window: Duration) -> bool {
        let repeat = self
            .last
            .as_ref()
            .is_some_and(|(b, t)| b == bytes && now.duration_since(*t) < window);
        self.last = Some((bytes.to_vec(), now));
        !repeat
    }
}

struct State<'a> {
    config: &'a SerialConfig,
    sink: &'a dyn Fn(ScannerEvent),
    status: Option<DeviceStatus>,
    ever_opened: bool,
}

impl State<'_> {
    fn set_status(&mut self, status: DeviceStatus) {
        if self.status != Some(status) {
            self.status = Some(status);
            (self.sink)(ScannerEvent::Status(status));
        }
    }
}

fn run(config: &SerialConfig, sink: &dyn Fn(ScannerEvent), stop: &StopFlag) {
    tracing::info!(port = %config.port.display(), framing = ?config.framing, "scanner driver started");
    let mut st = State {
        config,
        sink,
        status: None,
        ever_opened: false,
    };
    let mut repeats = RepeatFilter::default();
    while !stop.is_set() {
        let port = serialport::new(config.port.to_string_lossy(), config.baud)
            .timeout(Duration::from_millis(20))
            .open();
        let mut port = match port {
            Ok(p) => p,
            Err(e) => {
                let state = if st.ever_opened {
                    DeviceState::Offline
                } else {
                    DeviceState::NoDevice
                };
                if st.status.map(|s| s.state) != Some(state) {
                    tracing::warn!(port = %config.port.display(), error = %e, "scanner not available");
                }
                st.set_status(DeviceStatus::new(state));
                stop.sleep(config.reopen);
                continue;
            }
        };
        // Whatever sat in the port before we opened it is stale.
        let _ = port.clear(serialport::ClearBuffer::Input);
        st.ever_opened = true;
        tracing::info!(port = %config.port.display(), "scanner port open");
        st.set_status(DeviceStatus::online(MediaState::NotApplicable));
        let error = serve(&mut st, &mut *port, &mut repeats, stop);
        if let Some(e) = error {
            tracing::warn!(port = %config.port.display(), error = %e, "scanner lost; re-opening");
            st.set_status(DeviceStatus::new(DeviceState::Offline));
            stop.sleep(config.reopen.min(Duration::from_millis(200)));
        }
    }
    tracing::info!("scanner driver stopped");
}

/// Read until the port fails (returns the error) or a stop is asked (returns `None`).
fn serve(
    st: &mut State<'_>,
    port: &mut dyn serialport::SerialPort,
    repeats: &mut RepeatFilter,
    stop: &StopFlag,
) -> Option<std::io::Error> {
    let config = st.config;
    let mut framer = Framer::new(config.framing);
    let mut buf = [0u8; 1024];
    let mut frames = Vec::new();
    let mut last_byte = Instant::now();
    while !stop.is_set() {
        match port.read(&mut buf) {
            Ok(0) => {
                return Some(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "port closed",
                ));
            }
            Ok(n) => {
                last_byte = Instant::now();
                framer.push(&buf[..n], &mut frames);
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                let quiet = last_byte.elapsed();
                if quiet >= config.idle_gap {
                    frames.extend(framer.idle());
                }
                if quiet >= config.partial_timeout {
                    let n = framer.expire();
                    if n > 0 {
                        tracing::debug!(bytes = n, "scanner: dropped an unterminated scan");
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Some(e),
        }
        for frame in frames.drain(..) {
            deliver(st, frame, last_byte, repeats);
        }
    }
    None
}

fn deliver(st: &mut State<'_>, frame: Frame, received: Instant, repeats: &mut RepeatFilter) {
    let config = st.config;
    publish(
        &config.classifier,
        config.repeat_suppress,
        frame,
        received,
        repeats,
        st.sink,
    );
}

/// Classify a framed scan and hand it to `sink`, unless it repeats the last one within
/// `window`. Shared by the serial and HID drivers.
pub(crate) fn publish(
    classifier: &Classifier,
    window: Duration,
    frame: Frame,
    received: Instant,
    repeats: &mut RepeatFilter,
    sink: &dyn Fn(ScannerEvent),
) {
    let (bytes, total) = match frame {
        Frame::Scan(b) => {
            let n = b.len();
            (b, n)
        }
        Frame::Overflow { head, total } => (head, total),
    };
    if !repeats.is_new(&bytes, received, window) {
        tracing::debug!("scanner: repeated scan suppressed");
        return;
    }
    let mut scan = classifier.classify(&bytes);
    scan.bytes = total;
    match &scan.payload {
        Payload::Unknown(u) => {
            tracing::info!(kind = "unknown", reason = ?u.reason, shape = ?u.shape, bytes = total, "code scanned")
        }
        p => tracing::info!(kind = p.kind(), bytes = total, "code scanned"),
    }
    sink(ScannerEvent::Scanned(Box::new(Scanned { scan, received })));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_within_the_window_are_one_scan() {
        let mut f = RepeatFilter::default();
        let t0 = Instant::now();
        let w = Duration::from_millis(1500);
        assert!(f.is_new(b"A", t0, w));
        assert!(!f.is_new(b"A", t0 + Duration::from_millis(400), w));
        // The window runs from the last sighting: held longer, still one scan.
        assert!(!f.is_new(b"A", t0 + Duration::from_millis(1800), w));
        assert!(f.is_new(b"B", t0 + Duration::from_millis(1900), w));
        assert!(f.is_new(b"A", t0 + Duration::from_millis(2000), w));
        assert!(f.is_new(b"A", t0 + Duration::from_millis(3600), w));
    }
}
