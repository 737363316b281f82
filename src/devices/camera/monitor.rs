//! The camera's presence for the kiosk's availability: a thread that checks every interval
//! whether the V4L2 node opens and answers `VIDIOC_QUERYCAP` as a capture device, and reports
//! changes in the common status vocabulary. It never streams, so it does not compete with a
//! capture in progress.

use crate::devices::{DeviceState, DeviceStatus, MediaState};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Whether `device` is a V4L2 video-capture device right now.
pub fn present(device: &Path) -> bool {
    linuxvideo::Device::open(device)
        .and_then(|d| d.capabilities())
        .is_ok_and(|c| {
            c.device_capabilities()
                .contains(linuxvideo::CapabilityFlags::VIDEO_CAPTURE)
        })
}

/// A running monitor. Dropping it stops the thread.
pub struct Monitor {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Monitor {
    /// Check `device` every `interval`; `sink` gets each status change.
    pub fn spawn(
        device: PathBuf,
        interval: Duration,
        sink: impl Fn(DeviceStatus) + Send + 'static,
    ) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let thread = std::thread::Builder::new()
            .name("camera-monitor".into())
            .spawn(move || {
                let mut last: Option<DeviceStatus> = None;
                let mut seen = false;
                while !stop2.load(Ordering::Relaxed) {
                    let status = if present(&device) {
                        seen = true;
                        DeviceStatus::online(MediaState::NotApplicable)
                    } else if seen {
                        DeviceStatus::new(DeviceState::Offline)
                    } else {
                        DeviceStatus::new(DeviceState::NoDevice)
                    };
                    if last != Some(status) {
                        tracing::info!(device = %device.display(), state = %status.state.describe(), "camera");
                        sink(status);
                        last = Some(status);
                    }
                    let end = Instant::now() + interval;
                    while !stop2.load(Ordering::Relaxed) && Instant::now() < end {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
            })?;
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
