//! The camera's presence for the kiosk's availability: a thread that checks every interval
//! whether the V4L2 node opens and answers `VIDIOC_QUERYCAP` as a capture device, and reports
//! changes in the common status vocabulary. It never streams, so it does not compete with a
//! capture in progress.

use crate::devices::worker::Worker;
use crate::devices::{DeviceState, DeviceStatus, MediaState};
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    _thread: Worker,
}

impl Monitor {
    /// Check `device` every `interval`; `sink` gets each status change.
    pub fn spawn(
        device: PathBuf,
        interval: Duration,
        sink: impl Fn(DeviceStatus) + Send + 'static,
    ) -> std::io::Result<Self> {
        let thread = Worker::spawn("camera-monitor", move |stop| {
            let mut last: Option<DeviceStatus> = None;
            let mut seen = false;
            while !stop.is_set() {
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
                stop.sleep(interval);
            }
        })?;
        Ok(Self { _thread: thread })
    }
}
