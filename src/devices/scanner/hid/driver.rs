//! The keyboard-wedge scanner's driver: one thread that opens the scanner's evdev node (a
//! stable udev name such as `/dev/kiosk/scanner`), grabs it exclusively so that its
//! keystrokes never reach the UI or a console, decodes key events into scans, classifies them
//! and publishes `ScannerEvent`s and a status in the common vocabulary. After the device goes
//! away (ENODEV on unplug) it is re-opened every `reopen` interval, so a replugged scanner is
//! back within 2 s.
//!
//! This machine has no input devices; the decoding is tested on recorded event streams
//! (`record`, `tests/scanner_hid.rs`) and the device handling in the image's qemu test with a
//! USB HID gadget (`hardware/scanners.md`).

use super::keymap::Layout;
use super::wedge::WedgeDecoder;
use crate::devices::scanner::driver::{RepeatFilter, ScannerEvent, publish};
use crate::devices::scanner::payload::Classifier;
use crate::devices::worker::{StopFlag, Worker};
use crate::devices::{DeviceState, DeviceStatus, MediaState};
use evdev::EventType;
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Driver settings.
#[derive(Debug, Clone)]
pub struct HidConfig {
    /// The evdev node.
    pub device: PathBuf,
    /// The layout the scanner types in.
    pub layout: Layout,
    /// Silence that ends a scan without Enter (scanners set to send no suffix).
    pub idle_gap: Duration,
    /// Time between attempts to re-open a lost device.
    pub reopen: Duration,
    /// The same payload again within this time is the same scan.
    pub repeat_suppress: Duration,
    /// How payloads are classified.
    pub classifier: Classifier,
}

impl HidConfig {
    /// Defaults: 300 ms idle gap, re-open every 500 ms, repeats suppressed for 1.5 s.
    pub fn new(device: impl Into<PathBuf>, layout: Layout, classifier: Classifier) -> Self {
        Self {
            device: device.into(),
            layout,
            idle_gap: Duration::from_millis(300),
            reopen: Duration::from_millis(500),
            repeat_suppress: Duration::from_millis(1500),
            classifier,
        }
    }
}

/// A running driver. Dropping it stops the thread (and releases the grab).
pub struct HidDriver {
    thread: Worker,
}

impl HidDriver {
    /// Start the driver thread; `sink` receives every event (it must not block for long).
    pub fn spawn(
        config: HidConfig,
        sink: impl Fn(ScannerEvent) + Send + 'static,
    ) -> std::io::Result<Self> {
        let thread = Worker::spawn("scanner-hid", move |stop| run(&config, &sink, &stop))?;
        Ok(Self { thread })
    }

    /// Stop the thread and wait for it.
    pub fn stop(self) {
        self.thread.stop();
    }
}

fn run(config: &HidConfig, sink: &dyn Fn(ScannerEvent), stop: &StopFlag) {
    tracing::info!(device = %config.device.display(), layout = ?config.layout, "HID scanner driver started");
    let mut status: Option<DeviceStatus> = None;
    let set = |status: &mut Option<DeviceStatus>, s: DeviceStatus| {
        if *status != Some(s) {
            *status = Some(s);
            sink(ScannerEvent::Status(s));
        }
    };
    let mut ever_opened = false;
    let mut repeats = RepeatFilter::default();
    while !stop.is_set() {
        let opened = evdev::Device::open(&config.device).and_then(|mut d| {
            // Exclusive: no other reader (the UI's libinput, a console) sees the keys.
            d.grab()?;
            d.set_nonblocking(true)?;
            Ok(d)
        });
        let mut device = match opened {
            Ok(d) => d,
            Err(e) => {
                let state = if e.raw_os_error() == Some(rustix::io::Errno::BUSY.raw_os_error()) {
                    // Someone else holds the grab: the scanner is there but not ours.
                    DeviceState::HardwareError
                } else if ever_opened {
                    DeviceState::Offline
                } else {
                    DeviceState::NoDevice
                };
                if status.map(|s| s.state) != Some(state) {
                    tracing::warn!(device = %config.device.display(), error = %e, "HID scanner not available");
                }
                set(&mut status, DeviceStatus::new(state));
                stop.sleep(config.reopen);
                continue;
            }
        };
        ever_opened = true;
        tracing::info!(device = %config.device.display(), name = device.name().unwrap_or("?"), "HID scanner grabbed");
        set(&mut status, DeviceStatus::online(MediaState::NotApplicable));
        let mut decoder = WedgeDecoder::new(config.layout);
        let mut last_key = Instant::now();
        let lost = loop {
            if stop.is_set() {
                break None;
            }
            let ready = {
                let mut fds = [PollFd::new(&device, PollFlags::IN)];
                let ts = Timespec {
                    tv_sec: 0,
                    tv_nsec: 20_000_000,
                };
                match poll(&mut fds, Some(&ts)) {
                    Ok(0) => false,
                    Ok(_) => {
                        let r = fds[0].revents();
                        if r.intersects(PollFlags::ERR | PollFlags::HUP | PollFlags::NVAL) {
                            break Some(std::io::Error::other("device gone"));
                        }
                        true
                    }
                    Err(rustix::io::Errno::INTR) => false,
                    Err(e) => break Some(e.into()),
                }
            };
            if !ready {
                if decoder.pending()
                    && last_key.elapsed() >= config.idle_gap
                    && let Some(f) = decoder.idle()
                {
                    publish(
                        &config.classifier,
                        config.repeat_suppress,
                        f,
                        last_key,
                        &mut repeats,
                        sink,
                    );
                }
                continue;
            }
            let mut frames = Vec::new();
            match device.fetch_events() {
                Ok(events) => {
                    for ev in events {
                        if ev.event_type() == EventType::KEY {
                            last_key = Instant::now();
                            frames.extend(decoder.key(ev.code(), ev.value()));
                        }
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => break Some(e),
            }
            for f in frames {
                publish(
                    &config.classifier,
                    config.repeat_suppress,
                    f,
                    last_key,
                    &mut repeats,
                    sink,
                );
            }
        };
        match lost {
            Some(e) => {
                tracing::warn!(device = %config.device.display(), error = %e, "HID scanner lost; re-opening");
                set(&mut status, DeviceStatus::new(DeviceState::Offline));
                stop.sleep(config.reopen.min(Duration::from_millis(200)));
            }
            None => {
                let _ = device.ungrab();
            }
        }
    }
    tracing::info!("HID scanner driver stopped");
}
