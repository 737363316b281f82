//! Still → JPEG within a size bound (the platform takes materials up to a configured size).
//! The encoder steps the quality down until the file fits; if even the lowest acceptable
//! quality is too big, the image is halved (box filter) and tried again, down to a smallest
//! readable size. Pure; uses the `jpeg-encoder` crate (no C code).

use super::frame::{Frame, PixelFormat};
use jpeg_encoder::{ColorType, Encoder};

/// Qualities tried, best first. Below 40 text edges blur.
pub const QUALITIES: [u8; 5] = [85, 75, 65, 55, 45];
/// Halving stops before the shorter side drops below this (A4 text stays legible at ~800).
pub const MIN_SIDE: u32 = 600;

/// Why no JPEG could be made.
#[derive(Debug, thiserror::Error)]
pub enum JpegError {
    /// Even the smallest readable version exceeds the bound.
    #[error("cannot fit the page into {max_bytes} bytes (smallest try was {smallest} bytes)")]
    TooLarge {
        /// The bound.
        max_bytes: usize,
        /// Size of the smallest attempt.
        smallest: usize,
    },
    /// The encoder refused the image.
    #[error("JPEG encoder: {0}")]
    Encode(String),
}

/// A JPEG made from a still.
#[derive(Clone, PartialEq, Eq)]
pub struct Jpeg {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Width after any halving.
    pub width: u32,
    /// Height after any halving.
    pub height: u32,
    /// The quality used.
    pub quality: u8,
}

impl std::fmt::Debug for Jpeg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Jpeg({}x{} q{} {} bytes)",
            self.width,
            self.height,
            self.quality,
            self.bytes.len()
        )
    }
}

fn encode(
    pixels: &[u8],
    w: u32,
    h: u32,
    color: ColorType,
    quality: u8,
) -> Result<Vec<u8>, JpegError> {
    let (w16, h16) = (
        u16::try_from(w).map_err(|_| JpegError::Encode("too wide".into()))?,
        u16::try_from(h).map_err(|_| JpegError::Encode("too tall".into()))?,
    );
    let mut out = Vec::new();
    Encoder::new(&mut out, quality)
        .encode(pixels, w16, h16, color)
        .map_err(|e| JpegError::Encode(e.to_string()))?;
    Ok(out)
}

/// Halve an image with `channels` bytes a pixel (2×2 box filter).
fn halve(pixels: &[u8], w: u32, h: u32, channels: usize) -> (Vec<u8>, u32, u32) {
    let (nw, nh) = ((w / 2).max(1), (h / 2).max(1));
    let (w, nw_us) = (w as usize, nw as usize);
    let mut out = Vec::with_capacity(nw_us * nh as usize * channels);
    for y in 0..nh as usize {
        for x in 0..nw_us {
            for c in 0..channels {
                let at = |yy: usize, xx: usize| u32::from(pixels[(yy * w + xx) * channels + c]);
                let s = at(2 * y, 2 * x)
                    + at(2 * y, 2 * x + 1)
                    + at(2 * y + 1, 2 * x)
                    + at(2 * y + 1, 2 * x + 1);
                out.push(((s + 2) / 4) as u8);
            }
        }
    }
    (out, nw, nh)
}

/// Encode `frame` as a JPEG of at most `max_bytes`. Grey frames stay grey (smaller files).
pub fn encode_bounded(frame: &Frame, max_bytes: usize) -> Result<Jpeg, JpegError> {
    let (mut pixels, color, channels) = match frame.format {
        PixelFormat::Gray => (frame.data.clone(), ColorType::Luma, 1),
        PixelFormat::Yuyv => (frame.rgb(), ColorType::Rgb, 3),
    };
    let (mut w, mut h) = (frame.width, frame.height);
    let mut smallest = usize::MAX;
    loop {
        for q in QUALITIES {
            let bytes = encode(&pixels, w, h, color, q)?;
            if bytes.len() <= max_bytes {
                return Ok(Jpeg {
                    bytes,
                    width: w,
                    height: h,
                    quality: q,
                });
            }
            smallest = smallest.min(bytes.len());
        }
        if w.min(h) / 2 < MIN_SIDE.min(frame.width.min(frame.height)) || w < 2 || h < 2 {
            return Err(JpegError::TooLarge {
                max_bytes,
                smallest,
            });
        }
        let (p, nw, nh) = halve(&pixels, w, h, channels);
        pixels = p;
        w = nw;
        h = nh;
    }
}
