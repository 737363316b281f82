//! The reader's driver: one thread that owns the serial port. It checks the SAM periodically,
//! polls find → select → read without spinning (one command per poll interval), reports one
//! `CardRead` per placement and `CardRemoved` when the card leaves, and re-opens the port after
//! any failure (unplug, garbage, timeouts) without taking the kiosk down. Its status is in the
//! common device vocabulary.
//!
//! Presence: after a successful read a card no longer answers *find* until it is taken away and
//! put back (§9.2), so while a card is believed present the driver polls *select* instead: a
//! select failure means the card left.

use super::card::Card;
use super::frame::Command;
use super::link::{Link, LinkError};
use super::payload::{ReadData, appended_addresses, sam_id};
use super::sw::Sw3;
use crate::devices::worker::{StopFlag, Worker as Thread};
use crate::devices::{DeviceState, DeviceStatus, MediaState};
use crate::privacy::Address;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Driver settings.
#[derive(Debug, Clone)]
pub struct DriverConfig {
    /// Serial port.
    pub port: PathBuf,
    /// Baud rate (115200 unless the reader was switched).
    pub baud: u32,
    /// Time between polls.
    pub poll: Duration,
    /// Time between SAM status checks.
    pub sam_check: Duration,
    /// Timeout of one short command.
    pub timeout: Duration,
    /// Timeout of a read command (1295+ bytes plus the card's RF time).
    pub read_timeout: Duration,
    /// Time between attempts to re-open a lost port.
    pub reopen: Duration,
    /// Read text + photo + fingerprint (30 10) instead of text + photo (30 01).
    pub fingerprint: bool,
    /// Record every byte to this file (only with the `record` build feature).
    pub record: Option<PathBuf>,
}

impl DriverConfig {
    /// Defaults for a port: 115200 baud, 200 ms polls, SAM check every 3 s, 1 s command timeout,
    /// 2 s read timeout, re-open every 500 ms.
    pub fn new(port: impl Into<PathBuf>) -> Self {
        Self {
            port: port.into(),
            baud: 115_200,
            poll: Duration::from_millis(200),
            sam_check: Duration::from_secs(3),
            timeout: Duration::from_secs(1),
            read_timeout: Duration::from_secs(2),
            reopen: Duration::from_millis(500),
            fingerprint: false,
            record: None,
        }
    }
}

/// A card that was read.
#[derive(Debug, Clone)]
pub struct CardRead {
    /// The decoded card (personal fields masked in `Debug`).
    pub card: Card,
    /// The WLT photo bytes (decoding needs a licensed vendor library).
    pub photo: Vec<u8>,
    /// The decoded photo, when a decoder plug-in is configured (filled in by the app).
    pub portrait: Option<super::photo::Photo>,
    /// The SAM id of the reader, if it answered.
    pub sam_id: Option<String>,
    /// Time from the find that saw the card to the decoded text.
    pub read_time: Duration,
}

/// What the driver reports.
#[derive(Debug, Clone)]
pub enum ReaderEvent {
    /// The reader's status changed.
    Status(DeviceStatus),
    /// A card was placed and read (once per placement).
    CardRead(Box<CardRead>),
    /// The card that was read left the reader.
    CardRemoved,
    /// A card was seen but could not be read (moved away mid-read, unreadable); English reason.
    ReadFailed(String),
}

/// A running driver. Dropping it stops the thread.
pub struct Driver {
    thread: Thread,
}

impl Driver {
    /// Start the driver thread; `sink` receives every event (it must not block for long).
    pub fn spawn(
        config: DriverConfig,
        sink: impl Fn(ReaderEvent) + Send + 'static,
    ) -> std::io::Result<Self> {
        let thread = Thread::spawn("idcard-driver", move |stop| {
            Worker::new(config, Box::new(sink), stop).run()
        })?;
        Ok(Self { thread })
    }

    /// Stop the thread and wait for it.
    pub fn stop(self) {
        self.thread.stop();
    }
}

struct Worker {
    config: DriverConfig,
    sink: Box<dyn Fn(ReaderEvent) + Send>,
    stop: StopFlag,
    link: Option<Link>,
    status: Option<DeviceStatus>,
    ever_opened: bool,
    card_present: bool,
    last_sam_check: Option<Instant>,
    sam_id: Option<String>,
    timeouts_in_a_row: u32,
}

enum Step {
    Continue,
    PortLost(LinkError),
}

impl Worker {
    fn new(config: DriverConfig, sink: Box<dyn Fn(ReaderEvent) + Send>, stop: StopFlag) -> Self {
        Self {
            config,
            sink,
            stop,
            link: None,
            status: None,
            ever_opened: false,
            card_present: false,
            last_sam_check: None,
            sam_id: None,
            timeouts_in_a_row: 0,
        }
    }

    fn set_status(&mut self, status: DeviceStatus) {
        if self.status != Some(status) {
            self.status = Some(status);
            (self.sink)(ReaderEvent::Status(status));
        }
    }

    fn sleep(&self, d: Duration) {
        self.stop.sleep(d);
    }

    fn run(mut self) {
        tracing::info!(port = %self.config.port.display(), "id-card driver started");
        while !self.stop.is_set() {
            if self.link.is_none() && !self.open() {
                self.sleep(self.config.reopen);
                continue;
            }
            match self.step() {
                Step::Continue => self.sleep(self.config.poll),
                Step::PortLost(e) => {
                    tracing::warn!(port = %self.config.port.display(), error = %e, "id-card reader lost; re-opening");
                    self.link = None;
                    if self.card_present {
                        self.card_present = false;
                        (self.sink)(ReaderEvent::CardRemoved);
                    }
                    self.set_status(DeviceStatus::new(DeviceState::Offline));
                    self.sleep(self.config.reopen);
                }
            }
        }
        tracing::info!("id-card driver stopped");
    }

    fn open(&mut self) -> bool {
        match Link::open(&self.config.port, self.config.baud) {
            Ok(mut link) => {
                self.attach_recorder(&mut link);
                self.link = Some(link);
                self.ever_opened = true;
                self.last_sam_check = None;
                self.timeouts_in_a_row = 0;
                tracing::info!(port = %self.config.port.display(), "id-card reader port open");
                true
            }
            Err(e) => {
                let state = if self.ever_opened {
                    DeviceState::Offline
                } else {
                    DeviceState::NoDevice
                };
                if self.status.map(|s| s.state) != Some(state) {
                    tracing::warn!(error = %e, "id-card reader not available");
                }
                self.set_status(DeviceStatus::new(state));
                false
            }
        }
    }

    #[cfg(feature = "record")]
    fn attach_recorder(&self, link: &mut Link) {
        if let Some(path) = &self.config.record {
            match std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
            {
                Ok(f) => link.record(super::record::Recorder::new(Box::new(f))),
                Err(e) => tracing::warn!(error = %e, "cannot open the id-card recording file"),
            }
        }
    }

    #[cfg(not(feature = "record"))]
    fn attach_recorder(&self, _link: &mut Link) {
        if self.config.record.is_some() {
            tracing::warn!(
                "id-card recording asked for, but this build lacks the `record` feature"
            );
        }
    }

    /// Send one command; classify timeouts (two in a row = the reader stopped answering).
    fn cmd(
        &mut self,
        command: Command,
        timeout: Duration,
    ) -> Result<Option<super::Response>, Step> {
        let Some(link) = self.link.as_mut() else {
            return Err(Step::Continue);
        };
        match link.transact(command, timeout) {
            Ok(r) => {
                self.timeouts_in_a_row = 0;
                Ok(Some(r))
            }
            Err(e) if e.port_lost() => Err(Step::PortLost(e)),
            Err(e) => {
                self.timeouts_in_a_row += 1;
                tracing::debug!(error = %e, "id-card reader command failed");
                if self.timeouts_in_a_row >= 2 {
                    Err(Step::PortLost(e))
                } else {
                    Ok(None)
                }
            }
        }
    }

    fn step(&mut self) -> Step {
        match self.try_step() {
            Ok(()) => Step::Continue,
            Err(s) => s,
        }
    }

    fn try_step(&mut self) -> Result<(), Step> {
        let due = self
            .last_sam_check
            .is_none_or(|t| t.elapsed() >= self.config.sam_check);
        if due {
            self.check_sam()?;
        }
        if self
            .status
            .is_some_and(|s| s.state == DeviceState::HardwareError)
        {
            return Ok(());
        }
        if self.card_present {
            self.poll_presence()
        } else {
            self.poll_card()
        }
    }

    fn check_sam(&mut self) -> Result<(), Step> {
        let Some(r) = self.cmd(Command::SamStatus, self.config.timeout)? else {
            return Ok(());
        };
        self.last_sam_check = Some(Instant::now());
        if r.sw3 == Sw3::Success {
            if self.sam_id.is_none()
                && let Some(id) = self.cmd(Command::SamId, self.config.timeout)?
            {
                self.sam_id = sam_id(&id.data);
            }
            let media = if self.card_present {
                MediaState::Present
            } else {
                MediaState::NotApplicable
            };
            self.set_status(DeviceStatus::online(media));
        } else {
            tracing::error!(sw3 = %r.sw3.describe(), "id-card reader SAM fault; resetting the SAM");
            // One reset per check; if the SAM still fails, it needs a technician.
            let _ = self.cmd(Command::ResetSam, self.config.timeout)?;
            let again = self.cmd(Command::SamStatus, self.config.timeout)?;
            if again.is_some_and(|a| a.sw3 == Sw3::Success) {
                tracing::info!("id-card reader SAM recovered after reset");
                self.set_status(DeviceStatus::online(MediaState::NotApplicable));
            } else {
                self.set_status(DeviceStatus::new(DeviceState::HardwareError));
            }
        }
        Ok(())
    }

    fn poll_presence(&mut self) -> Result<(), Step> {
        let Some(r) = self.cmd(Command::SelectCard, self.config.timeout)? else {
            return Ok(());
        };
        if r.sw3 != Sw3::Success {
            self.card_present = false;
            (self.sink)(ReaderEvent::CardRemoved);
            self.set_status(DeviceStatus::online(MediaState::NotApplicable));
        }
        Ok(())
    }

    fn poll_card(&mut self) -> Result<(), Step> {
        let started = Instant::now();
        let Some(find) = self.cmd(Command::FindCard, self.config.timeout)? else {
            return Ok(());
        };
        if find.sw3 != Sw3::FindOk {
            return Ok(());
        }
        let Some(select) = self.cmd(Command::SelectCard, self.config.timeout)? else {
            return Ok(());
        };
        if select.sw3 != Sw3::Success {
            (self.sink)(ReaderEvent::ReadFailed(format!(
                "card found but select failed: {}",
                select.sw3.describe()
            )));
            return Ok(());
        }
        let (command, fp) = if self.config.fingerprint {
            (Command::ReadTextAndFingerprint, true)
        } else {
            (Command::ReadText, false)
        };
        let Some(read) = self.cmd(command, self.config.read_timeout)? else {
            (self.sink)(ReaderEvent::ReadFailed("card read timed out".into()));
            return Ok(());
        };
        if read.sw3 != Sw3::Success {
            (self.sink)(ReaderEvent::ReadFailed(format!(
                "card read failed: {}",
                read.sw3.describe()
            )));
            return Ok(());
        }
        let data = match ReadData::parse(&read.data, fp) {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "id-card read answer malformed");
                (self.sink)(ReaderEvent::ReadFailed(e.to_string()));
                return Ok(());
            }
        };
        let mut card = Card::decode(&data.text);
        let read_time = started.elapsed();
        if let Some(addr) = self.cmd(Command::ReadAppendedAddress, self.config.timeout)?
            && addr.sw3 == Sw3::Success
        {
            card.appended_addresses = appended_addresses(&addr.data)
                .into_iter()
                .map(Address::new)
                .collect();
        }
        for w in &card.warnings {
            tracing::warn!(card_type = card.card_type.key(), warning = %w, "id-card content");
        }
        tracing::info!(
            card_type = card.card_type.key(),
            read_ms = read_time.as_secs_f64() * 1000.0,
            "id card read"
        );
        self.card_present = true;
        self.set_status(DeviceStatus::online(MediaState::Present));
        (self.sink)(ReaderEvent::CardRead(Box::new(CardRead {
            card,
            photo: data.photo,
            portrait: None,
            sam_id: self.sam_id.clone(),
            read_time,
        })));
        Ok(())
    }
}
