//! Recorded frames: a camera session saved as a file, replayed through the same pipeline as a
//! live camera (this machine has no V4L2 device). Format `ZKFR1`: the magic line `ZKFR1\n`,
//! then per frame `width u32 LE`, `height u32 LE`, `format u8` (0 YUYV, 1 grey) and the pixel
//! bytes. Pure parsing and writing; `Replay` is a `FrameSource`.

use super::FrameSource;
use super::frame::{Frame, FrameError, PixelFormat};

/// The magic line.
pub const MAGIC: &[u8] = b"ZKFR1\n";

/// Why a recording is unusable.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// Not a `ZKFR1` file.
    #[error("not a frame recording (no ZKFR1 header)")]
    Magic,
    /// A frame header or its pixels are cut off.
    #[error("frame {0} is truncated")]
    Truncated(usize),
    /// Unknown pixel format byte.
    #[error("frame {index}: unknown pixel format {byte}")]
    Format {
        /// Frame number.
        index: usize,
        /// The byte.
        byte: u8,
    },
    /// Bad dimensions.
    #[error("frame {index}: {source}")]
    Frame {
        /// Frame number.
        index: usize,
        /// What is wrong.
        source: FrameError,
    },
}

/// Parse a recording.
pub fn parse(bytes: &[u8]) -> Result<Vec<Frame>, RecordingError> {
    let mut rest = bytes.strip_prefix(MAGIC).ok_or(RecordingError::Magic)?;
    let mut frames = Vec::new();
    while !rest.is_empty() {
        let index = frames.len();
        if rest.len() < 9 {
            return Err(RecordingError::Truncated(index));
        }
        let w = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
        let h = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]);
        let format = match rest[8] {
            0 => PixelFormat::Yuyv,
            1 => PixelFormat::Gray,
            byte => return Err(RecordingError::Format { index, byte }),
        };
        rest = &rest[9..];
        let len = (w as usize)
            .checked_mul(h as usize)
            .and_then(|n| n.checked_mul(format.bytes_per_pixel()))
            .ok_or(RecordingError::Truncated(index))?;
        if rest.len() < len {
            return Err(RecordingError::Truncated(index));
        }
        let frame = Frame::new(w, h, format, rest[..len].to_vec())
            .map_err(|source| RecordingError::Frame { index, source })?;
        frames.push(frame);
        rest = &rest[len..];
    }
    Ok(frames)
}

/// Write frames as a recording.
pub fn write(frames: &[Frame]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for f in frames {
        out.extend_from_slice(&f.width.to_le_bytes());
        out.extend_from_slice(&f.height.to_le_bytes());
        out.push(match f.format {
            PixelFormat::Yuyv => 0,
            PixelFormat::Gray => 1,
        });
        out.extend_from_slice(&f.data);
    }
    out
}

/// Replays recorded frames as a camera.
#[derive(Debug)]
pub struct Replay {
    frames: std::vec::IntoIter<Frame>,
}

impl Replay {
    /// A replay of `frames`.
    pub fn new(frames: Vec<Frame>) -> Self {
        Self {
            frames: frames.into_iter(),
        }
    }
}

impl FrameSource for Replay {
    fn next_frame(&mut self) -> Result<Option<Frame>, super::CameraError> {
        Ok(self.frames.next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recordings_round_trip_and_damage_is_reported() {
        let f = Frame::new(2, 2, PixelFormat::Yuyv, (0..8).collect()).expect("frame");
        let g = Frame::new(3, 1, PixelFormat::Gray, vec![1, 2, 3]).expect("frame");
        let bytes = write(&[f.clone(), g.clone()]);
        assert_eq!(parse(&bytes).expect("parse"), [f, g]);
        assert!(matches!(
            parse(&bytes[..bytes.len() - 1]),
            Err(RecordingError::Truncated(1))
        ));
        assert!(matches!(parse(b"nope"), Err(RecordingError::Magic)));
        let mut bad = bytes.clone();
        bad[MAGIC.len() + 8] = 9;
        assert!(matches!(
            parse(&bad),
            Err(RecordingError::Format { index: 0, byte: 9 })
        ));
        // Huge dimensions do not allocate: the data is simply not there.
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        huge.push(0);
        assert!(parse(&huge).is_err());
    }
}
