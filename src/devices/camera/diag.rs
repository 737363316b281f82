//! `kiosk diag camera`: take one still from the document camera (or a recording) and write it
//! as a JPEG within the size bound, printing what was captured.

use super::capture::V4lCamera;
use super::pipeline::{PipelineError, capture_one};
use super::replay::{Replay, parse};
use super::{CameraError, FrameSource};
use std::path::Path;

/// Why no still was written.
#[derive(Debug, thiserror::Error)]
pub enum DiagError {
    /// Capture or encoding failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// The camera failed.
    #[error(transparent)]
    Camera(#[from] CameraError),
    /// The recording is not readable.
    #[error("recording {path}: {message}")]
    Recording {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// The source ended before a frame came.
    #[error("no frame from the camera")]
    NoFrame,
    /// The output file cannot be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Capture one still from `device` (a V4L2 node, or a `ZKFR1` recording when the path ends in
/// `.zkfr`) into `out`. Returns a one-line description.
pub fn still_to_file(
    device: &Path,
    width: u32,
    height: u32,
    max_bytes: usize,
    out: &Path,
) -> Result<String, DiagError> {
    let mut source: Box<dyn FrameSource> = if device.extension().is_some_and(|e| e == "zkfr") {
        let bytes = std::fs::read(device).map_err(|e| DiagError::Recording {
            path: device.display().to_string(),
            message: e.to_string(),
        })?;
        let frames = parse(&bytes).map_err(|e| DiagError::Recording {
            path: device.display().to_string(),
            message: e.to_string(),
        })?;
        Box::new(Replay::new(frames))
    } else {
        Box::new(V4lCamera::open(device, width, height)?)
    };
    // Skip a few frames so that exposure settles (a recording may be shorter).
    let page = match capture_one(source.as_mut(), 5, max_bytes)? {
        Some(p) => p,
        None => return Err(DiagError::NoFrame),
    };
    std::fs::write(out, &page.jpeg.bytes).map_err(|source| DiagError::Write {
        path: out.display().to_string(),
        source,
    })?;
    Ok(format!(
        "{}: {}x{} JPEG, quality {}, {} bytes (bound {max_bytes})",
        out.display(),
        page.jpeg.width,
        page.jpeg.height,
        page.jpeg.quality,
        page.jpeg.bytes.len()
    ))
}
