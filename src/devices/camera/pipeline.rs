//! The capture pipeline: frames from a source (live camera or replay) → still detection →
//! JPEG within the size bound, one per page. Several pages make one material. Manual capture
//! (the applicant taps "拍照") takes the next frame as it is.

use super::jpeg::{Jpeg, JpegError, encode_bounded};
use super::still::{StillConfig, StillDetector, Verdict};
use super::{CameraError, FrameSource};

/// Pipeline settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PipelineConfig {
    /// Still detection.
    pub still: StillConfig,
    /// Largest JPEG per page, in bytes.
    pub max_bytes: usize,
    /// Most pages per material.
    pub max_pages: usize,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        Self {
            still: StillConfig::default(),
            max_bytes: 500 * 1024,
            max_pages: 20,
        }
    }
}

/// A captured page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The JPEG.
    pub jpeg: Jpeg,
    /// Index of the frame it was taken from.
    pub frame: usize,
}

/// Why a capture run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The camera failed.
    #[error(transparent)]
    Camera(#[from] CameraError),
    /// A page could not be encoded within the bound.
    #[error(transparent)]
    Jpeg(#[from] JpegError),
}

/// Auto-capture every still page from `source` until it ends or `max_pages` are taken.
pub fn auto_capture(
    source: &mut dyn FrameSource,
    config: PipelineConfig,
) -> Result<Vec<Page>, PipelineError> {
    let mut detector = StillDetector::new(config.still);
    let mut pages = Vec::new();
    let mut index = 0;
    while pages.len() < config.max_pages {
        let Some(frame) = source.next_frame()? else {
            break;
        };
        if detector.feed(&frame).0 == Verdict::Capture {
            pages.push(Page {
                jpeg: encode_bounded(&frame, config.max_bytes)?,
                frame: index,
            });
        }
        index += 1;
    }
    Ok(pages)
}

/// Take the next frame as a page (manual capture, `kiosk diag camera`), skipping `warm_up`
/// frames first (cameras adjust exposure on their first frames). `None` when the source gave
/// no frame at all.
pub fn capture_one(
    source: &mut dyn FrameSource,
    warm_up: usize,
    max_bytes: usize,
) -> Result<Option<Page>, PipelineError> {
    let mut index = 0;
    let mut last = None;
    while let Some(frame) = source.next_frame()? {
        if index >= warm_up {
            last = Some((frame, index));
            break;
        }
        last = Some((frame, index));
        index += 1;
    }
    // A recording shorter than the warm-up gives its last frame.
    last.map(|(frame, index)| {
        Ok(Page {
            jpeg: encode_bounded(&frame, max_bytes)?,
            frame: index,
        })
    })
    .transpose()
}
