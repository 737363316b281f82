//! The printer as one task: a thread that owns the [`PrinterDriver`], polls the status every few
//! seconds (reporting only changes), and prints receipts on request, reporting each result. This
//! is what the kiosk's device wiring and the journeys use: `print` never blocks the UI, and a
//! failed print comes back as a typed [`PrintError`] with the status it implies, so the journey
//! shows the receipt QR on screen instead and keeps the receipt for a reprint.

use super::driver::{PrintError, Printed, PrinterDriver, Timeouts};
use super::profile::Profile;
use super::receipt::Receipt;
use crate::devices::{DeviceState, DeviceStatus};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

/// What the printer task reports.
#[derive(Debug)]
pub enum PrinterEvent {
    /// The status changed (also sent once at start).
    Status(DeviceStatus),
    /// A print request finished.
    Printed {
        /// The id [`PrinterService::print`] returned.
        job: u64,
        /// The outcome.
        result: Result<Printed, PrintError>,
    },
}

enum Request {
    Print(u64, Box<Receipt>),
    Poll,
    Stop,
}

/// A running printer task; dropping it stops the task.
pub struct PrinterService {
    tx: Sender<Request>,
    next: u64,
    thread: Option<JoinHandle<()>>,
}

impl PrinterService {
    /// Start the task for `device` with `profile`; `on_event` runs on the task's thread.
    pub fn spawn(
        device: impl Into<String>,
        profile: Profile,
        poll_every: Duration,
        mut on_event: impl FnMut(PrinterEvent) + Send + 'static,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let mut driver = PrinterDriver::new(device, profile, Timeouts::default());
        let thread = std::thread::Builder::new()
            .name("printer".into())
            .spawn(move || {
                let mut last: Option<DeviceStatus> = None;
                let mut report = |status: DeviceStatus, on_event: &mut dyn FnMut(PrinterEvent)| {
                    if last != Some(status) {
                        last = Some(status);
                        on_event(PrinterEvent::Status(status));
                    }
                };
                report(driver.status(), &mut on_event);
                loop {
                    match rx.recv_timeout(poll_every) {
                        Ok(Request::Print(job, receipt)) => {
                            report(DeviceStatus::new(DeviceState::Busy), &mut on_event);
                            let result = driver.print_receipt(&receipt);
                            let status = match &result {
                                Ok(p) => p.before.device_status(),
                                Err(e) => e.device_status(),
                            };
                            if let Err(e) = &result {
                                tracing::warn!(job, error = %e, "receipt not printed");
                            }
                            on_event(PrinterEvent::Printed { job, result });
                            report(status, &mut on_event);
                        }
                        Ok(Request::Poll) | Err(RecvTimeoutError::Timeout) => {
                            report(driver.status(), &mut on_event)
                        }
                        Ok(Request::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
            })?;
        Ok(Self {
            tx,
            next: 1,
            thread: Some(thread),
        })
    }

    /// Queue a receipt; the result arrives as [`PrinterEvent::Printed`] with this id.
    pub fn print(&mut self, receipt: Receipt) -> u64 {
        let id = self.next;
        self.next += 1;
        let _ = self.tx.send(Request::Print(id, Box::new(receipt)));
        id
    }

    /// Ask for a status poll now (after a technician changed something).
    pub fn poll_now(&self) {
        let _ = self.tx.send(Request::Poll);
    }
}

impl Drop for PrinterService {
    fn drop(&mut self) {
        let _ = self.tx.send(Request::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// An emulated printer on a loopback port with its task: what `kiosk demo` (and `port = "sim"`)
/// runs. Jobs are rendered to PNGs in the output folder.
pub struct SimulatedPrinter {
    /// The emulator (change its condition to play faults).
    pub sim: super::emulator::server::SimPrinter,
    /// The task driving it through the real driver over TCP.
    pub service: PrinterService,
}

impl SimulatedPrinter {
    /// Start the emulator on `127.0.0.1:0` and the task against it.
    pub fn start(
        profile: Profile,
        out_dir: &std::path::Path,
        poll_every: Duration,
        on_event: impl FnMut(PrinterEvent) + Send + 'static,
    ) -> Result<Self, super::cli::CliError> {
        let sim =
            super::emulator::server::SimPrinter::listen("127.0.0.1:0", profile.clone(), out_dir)?;
        let service = PrinterService::spawn(sim.endpoint(), profile, poll_every, on_event)
            .map_err(|cause| super::cli::CliError::Io {
                path: sim.endpoint().to_owned(),
                cause,
            })?;
        Ok(Self { sim, service })
    }

    /// Apply a demo-dock action (`online`, `offline`, `hardware-error`, `paper-out`,
    /// `cover-open`, `near-end`) to the emulator and poll at once; false if unknown.
    pub fn apply(&self, action: &str) -> bool {
        use super::status::{Paper, PrinterCondition};
        let c = match action {
            "online" => PrinterCondition::default(),
            "offline" => PrinterCondition {
                offline: true,
                ..Default::default()
            },
            "hardware-error" => PrinterCondition {
                cutter_error: true,
                ..Default::default()
            },
            "paper-out" => PrinterCondition {
                paper: Paper::Out,
                ..Default::default()
            },
            "near-end" => PrinterCondition {
                paper: Paper::NearEnd,
                ..Default::default()
            },
            "cover-open" => PrinterCondition {
                cover_open: true,
                ..Default::default()
            },
            _ => return false,
        };
        self.sim.set_condition(c);
        self.service.poll_now();
        true
    }
}

/// The printer as the kiosk runs it: the real device, or the emulator for `port = "sim"`.
pub enum RunningPrinter {
    /// A real printer at a device string.
    Real(PrinterService),
    /// The emulator and the task driving it.
    Simulated(SimulatedPrinter),
}

impl RunningPrinter {
    /// Start from the `[devices.printer]` configuration: `port` is a device string (see
    /// [`super::transport::open`]) or `sim`; `profile` a profile name, looked up in
    /// `profiles_dir` first, then built in. Simulated receipts go to `data_dir/receipts`.
    pub fn start(
        port: &str,
        profile: &str,
        profiles_dir: Option<&std::path::Path>,
        data_dir: &std::path::Path,
        on_event: impl FnMut(PrinterEvent) + Send + 'static,
    ) -> Result<Self, super::cli::CliError> {
        let profile = Profile::load(profile, profiles_dir)?;
        let poll = Duration::from_secs(5);
        if port == "sim" {
            let out = data_dir.join("receipts");
            Ok(Self::Simulated(SimulatedPrinter::start(
                profile, &out, poll, on_event,
            )?))
        } else {
            let service =
                PrinterService::spawn(port, profile, poll, on_event).map_err(|cause| {
                    super::cli::CliError::Io {
                        path: port.to_owned(),
                        cause,
                    }
                })?;
            Ok(Self::Real(service))
        }
    }

    /// Queue a receipt; the result arrives as [`PrinterEvent::Printed`] with this id.
    pub fn print(&mut self, receipt: Receipt) -> u64 {
        match self {
            Self::Real(s) => s.print(receipt),
            Self::Simulated(s) => s.service.print(receipt),
        }
    }

    /// The emulator, when simulated (the demo dock plays faults on it).
    pub fn simulated(&self) -> Option<&SimulatedPrinter> {
        match self {
            Self::Real(_) => None,
            Self::Simulated(s) => Some(s),
        }
    }
}
