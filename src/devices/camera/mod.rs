//! The document camera (高拍仪): a UVC camera above the desk that photographs paper materials.
//!
//! - `frame`: frames and YUYV → luma/RGB (pure).
//! - `still`: still detection for auto-capture (pure).
//! - `jpeg`: a still → JPEG within a size bound (pure).
//! - `pipeline`: frames → pages (still detection + JPEG), auto or manual.
//! - `capture`: live V4L2 capture; `replay`: recorded frames, the same `FrameSource`.
//! - `monitor`: the camera's presence as a device status.
//! - `diag`: `kiosk diag camera`, one still to a file.

pub mod capture;
pub mod diag;
pub mod frame;
pub mod jpeg;
pub mod monitor;
pub mod pipeline;
pub mod replay;
pub mod still;

pub use frame::{Frame, FrameError, PixelFormat};
pub use pipeline::{Page, PipelineConfig, auto_capture, capture_one};

use std::path::PathBuf;

/// Why the camera gave no frame.
#[derive(Debug, thiserror::Error)]
pub enum CameraError {
    /// The device cannot be opened or failed while streaming.
    #[error(
        "camera {device}: {message}. Check the cable, the device name and its permissions (group video)"
    )]
    Device {
        /// The device.
        device: PathBuf,
        /// What happened.
        message: String,
    },
    /// The camera does not offer what the kiosk needs.
    #[error("camera {device}: {message}")]
    Unsupported {
        /// The device.
        device: PathBuf,
        /// What is missing.
        message: String,
    },
    /// The driver delivered a frame of the wrong size.
    #[error(transparent)]
    Frame(#[from] FrameError),
}

/// Something that delivers frames: a live camera or a replayed recording.
pub trait FrameSource {
    /// The next frame, or `None` at the end of a recording.
    fn next_frame(&mut self) -> Result<Option<Frame>, CameraError>;
}
