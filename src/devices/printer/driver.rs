//! The printer driver: owns the transport, asks `DLE EOT 1/2/4` before a job (and 3 when 2
//! reports an error), sends the job followed by `GS r 1` as an end-of-job marker, and waits for
//! its reply (notes §4.2, §7.4). Every failure is a typed [`PrintError`] that maps onto the common
//! device status, so the journey can keep the submission, show the receipt QR on screen instead
//! and reprint later. After a transport failure the port is re-opened on the next call.

use super::command::Command;
use super::job::{self, Job, JobStats};
use super::profile::PresenterKind;
use super::profile::Profile;
use super::receipt::Receipt;
use super::status::{Demux, FULL_STATUS, FullStatus, PrinterCondition, Reply};
use super::symbols::SymbolError;
use super::transport::{self, Transport, TransportError};
use crate::devices::{DeviceState, DeviceStatus, MediaState};
use std::collections::VecDeque;
use std::time::{Duration, Instant};
use thiserror::Error;

/// Deadlines of the driver.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Opening the port.
    pub open: Duration,
    /// Waiting for one status reply.
    pub status: Duration,
    /// Sending a job.
    pub write: Duration,
    /// Waiting for the `GS r` reply after a job (printing a receipt takes a few seconds).
    pub job: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            open: Duration::from_secs(2),
            status: Duration::from_millis(500),
            write: Duration::from_secs(10),
            job: Duration::from_secs(15),
        }
    }
}

/// Why a receipt did not print. The submission is never affected: show the tracking QR on
/// screen ([`Receipt::tracking_url`]) and keep the receipt for a reprint.
#[derive(Debug, Error)]
pub enum PrintError {
    /// The port could not be opened or the connection broke.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The printer does not answer status requests.
    #[error(
        "printer at {device} does not answer DLE EOT {n} within {after:?}: is it switched on, and is this the right port and profile?"
    )]
    NoReply {
        /// The device string.
        device: String,
        /// The request.
        n: u8,
        /// The deadline.
        after: Duration,
    },
    /// The printer reports it cannot print now (checked before sending anything).
    #[error("printer not ready: {}", .0.describe())]
    NotReady(PrinterCondition),
    /// The printer stopped during the job (paper ran out, cover opened).
    #[error("printer stopped during the job: {}", .0.describe())]
    Interrupted(PrinterCondition),
    /// The job was sent but the printer never confirmed it, and status looks normal.
    #[error(
        "printer did not confirm the end of the job within {0:?} (status looks normal; check the receipt)"
    )]
    Unconfirmed(Duration),
    /// The receipt could not be composed (QR payload too long, bad barcode text).
    #[error("cannot compose the receipt: {0}")]
    Compose(SymbolError),
}

impl From<SymbolError> for PrintError {
    fn from(e: SymbolError) -> Self {
        PrintError::Compose(e)
    }
}

impl PrintError {
    /// The device status this failure means for the availability logic and the dock.
    pub fn device_status(&self) -> DeviceStatus {
        match self {
            PrintError::Transport(TransportError::NoPaper { .. }) => DeviceStatus::new(
                DeviceState::UserError(crate::devices::UserErrorReason::PaperOut),
            ),
            PrintError::Transport(_) | PrintError::NoReply { .. } => {
                DeviceStatus::new(DeviceState::Offline)
            }
            PrintError::NotReady(c) | PrintError::Interrupted(c) => c.device_status(),
            PrintError::Unconfirmed(_) => DeviceStatus::new(DeviceState::Offline),
            PrintError::Compose(_) => DeviceStatus::online(MediaState::Unknown),
        }
    }

    /// Chinese for the applicant's screen (the QR is offered next to it).
    pub fn message_zh(&self) -> &'static str {
        match self {
            PrintError::Compose(_) => "回执生成失败，请扫描屏幕上的二维码查询办理进度",
            _ => {
                "打印机暂时无法打印回执，您的申请已成功提交。请扫描屏幕上的二维码查询办理进度，或稍后到工作人员处补打回执"
            }
        }
    }
}

/// What a printed job reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    /// Status before the job (near-end is a warning here).
    pub before: PrinterCondition,
    /// Whether the end-of-job marker came back (false if the profile has no `GS r`).
    pub confirmed: bool,
    /// What went into the job.
    pub stats: JobStats,
}

/// A receipt printer on one port.
pub struct PrinterDriver {
    device: String,
    profile: Profile,
    timeouts: Timeouts,
    transport: Option<Box<dyn Transport>>,
    /// The last ASB block seen, if the profile enables ASB.
    last_asb: Option<PrinterCondition>,
    demux: Demux,
    replies: VecDeque<Reply>,
}

impl PrinterDriver {
    /// A driver for `device` (see [`transport::open`]); the port is opened on first use.
    pub fn new(device: impl Into<String>, profile: Profile, timeouts: Timeouts) -> Self {
        Self {
            device: device.into(),
            profile,
            timeouts,
            transport: None,
            last_asb: None,
            demux: Demux::default(),
            replies: VecDeque::new(),
        }
    }

    /// The profile.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The last ASB report, if any arrived (profiles with `status.asb`).
    pub fn last_asb(&self) -> Option<PrinterCondition> {
        self.last_asb
    }

    fn port(&mut self) -> Result<&mut Box<dyn Transport>, PrintError> {
        if self.transport.is_none() {
            let mut t = transport::open(&self.device, self.timeouts.open)?;
            if self.profile.status.asb {
                // Paper and cover changes arrive by themselves (notes §4.3).
                t.write_all(
                    &Command::AutoStatusBack(0x0F).to_bytes(),
                    self.timeouts.write,
                )?;
            }
            self.transport = Some(t);
        }
        self.transport
            .as_mut()
            .ok_or(PrintError::Transport(TransportError::Gone {
                device: String::new(),
            }))
    }

    /// Run `f` on the port; a transport failure drops the port so the next call re-opens it.
    fn with_port<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, PrintError>,
    ) -> Result<T, PrintError> {
        let r = f(self);
        if matches!(
            r,
            Err(PrintError::Transport(_)) | Err(PrintError::NoReply { .. })
        ) {
            self.transport = None;
        }
        r
    }

    /// Discard stale replies (late answers) before a query, keeping ASB news (notes §4.4).
    fn drain(&mut self) -> Result<(), PrintError> {
        self.replies.clear();
        let mut buf = [0u8; 256];
        loop {
            let n = self.port()?.read(&mut buf, Duration::from_millis(1))?;
            if n == 0 {
                self.replies.clear();
                return Ok(());
            }
            self.absorb(&buf[..n]);
        }
    }

    /// Split bytes into replies; ASB blocks update `last_asb`, the rest wait in `replies`.
    fn absorb(&mut self, bytes: &[u8]) {
        for b in bytes {
            match self.demux.push(*b) {
                Some(Reply::Asb(block)) => self.last_asb = PrinterCondition::from_asb(block),
                Some(r) => self.replies.push_back(r),
                None => {}
            }
        }
    }

    /// Wait for a reply that `pick` accepts, skipping others; `None` on timeout.
    fn await_reply(
        &mut self,
        timeout: Duration,
        pick: fn(Reply) -> Option<u8>,
    ) -> Result<Option<u8>, PrintError> {
        let deadline = Instant::now() + timeout;
        let mut buf = [0u8; 64];
        loop {
            while let Some(r) = self.replies.pop_front() {
                if let Some(b) = pick(r) {
                    return Ok(Some(b));
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            let n = self.port()?.read(&mut buf, left)?;
            self.absorb(&buf[..n]);
        }
    }

    fn query(&mut self, n: u8) -> Result<u8, PrintError> {
        let t = self.timeouts;
        self.port()?
            .write_all(&Command::StatusRequest(n).to_bytes(), t.write)?;
        self.await_reply(t.status, |r| match r {
            Reply::RealTime(b) => Some(b),
            _ => None,
        })?
        .ok_or_else(|| PrintError::NoReply {
            device: self.device.clone(),
            n,
            after: t.status,
        })
    }

    /// Custom `DLE EOT 20`: presenter and paper details (notes §4.5).
    fn full_status(&mut self) -> Result<FullStatus, PrintError> {
        let t = self.timeouts;
        self.demux.expect_full = true;
        self.port()?
            .write_all(&Command::StatusRequest(FULL_STATUS).to_bytes(), t.write)?;
        let mut buf = [0u8; 64];
        let deadline = Instant::now() + t.status;
        loop {
            let found = self
                .replies
                .iter()
                .position(|r| matches!(r, Reply::Full(_)));
            if let Some(Reply::Full(f)) = found.and_then(|i| self.replies.remove(i)) {
                return Ok(f);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.demux.expect_full = false;
                return Err(PrintError::NoReply {
                    device: self.device.clone(),
                    n: FULL_STATUS,
                    after: t.status,
                });
            }
            let n = self.port()?.read(&mut buf, left)?;
            self.absorb(&buf[..n]);
        }
    }

    /// Ask the printer how it is (`DLE EOT 1, 2, 4`, and 3 when 2 reports an error).
    pub fn condition(&mut self) -> Result<PrinterCondition, PrintError> {
        self.with_port(|d| {
            let mut c = PrinterCondition::default();
            if !d.profile.status.dle_eot {
                // Nothing to ask: the port opened, which is all we can know.
                d.port()?;
                return Ok(c);
            }
            d.drain()?;
            for n in [1u8, 2, 4] {
                let b = d.query(n)?;
                c.apply_real_time(n, b);
            }
            if c.other_error {
                let b = d.query(3)?;
                c.apply_real_time(3, b);
            }
            if d.profile.presenter.kind == PresenterKind::CustomFsp {
                d.full_status()?.apply(&mut c);
            }
            Ok(c)
        })
    }

    /// The common device status (offline when the printer cannot be reached).
    pub fn status(&mut self) -> DeviceStatus {
        match self.condition() {
            Ok(c) => c.device_status(),
            Err(e) => e.device_status(),
        }
    }

    /// Print a receipt.
    pub fn print_receipt(&mut self, receipt: &Receipt) -> Result<Printed, PrintError> {
        let job = job::receipt_job(receipt, &self.profile)?;
        self.print_job(&job)
    }

    /// Print a composed job: status first, then the job and `GS r 1`, then wait for the reply.
    pub fn print_job(&mut self, job: &Job) -> Result<Printed, PrintError> {
        let before = self.condition()?;
        if !before.can_print() {
            return Err(PrintError::NotReady(before));
        }
        let t = self.timeouts;
        let gs_r = self.profile.status.gs_r;
        let mut bytes = job.bytes();
        if gs_r {
            Command::TransmitStatus(1).encode(&mut bytes);
        }
        self.with_port(|d| {
            let port = d.port()?;
            let budget = t.write + port.wire_time(bytes.len());
            port.write_all(&bytes, budget)?;
            Ok(())
        })?;
        let confirmed = if gs_r {
            self.with_port(|d| {
                d.await_reply(t.job, |r| match r {
                    Reply::Transmit(b) => Some(b),
                    _ => None,
                })
            })?
            .is_some()
        } else {
            false
        };
        if !confirmed || self.profile.status.dle_eot {
            let after = self.condition()?;
            // An untaken receipt after presenting is the expected outcome, not a failure.
            if after.stopped() {
                return Err(PrintError::Interrupted(after));
            }
            if gs_r && !confirmed {
                return Err(PrintError::Unconfirmed(t.job));
            }
        }
        Ok(Printed {
            before,
            confirmed,
            stats: job.stats.clone(),
        })
    }

    /// Send raw bytes (diagnostics), no status handling.
    pub fn send_raw(&mut self, bytes: &[u8]) -> Result<(), PrintError> {
        let t = self.timeouts;
        self.with_port(|d| Ok(d.port()?.write_all(bytes, t.write)?))
    }
}
