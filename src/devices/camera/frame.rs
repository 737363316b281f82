//! Camera frames and the one pixel conversion the pipeline needs: YUYV 4:2:2 (what UVC
//! document cameras deliver uncompressed) → 8-bit luma and RGB. Pure.

/// A frame's pixel format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelFormat {
    /// Packed YUYV 4:2:2, 2 bytes a pixel.
    Yuyv,
    /// 8-bit grey, 1 byte a pixel.
    Gray,
}

impl PixelFormat {
    /// Bytes per pixel.
    pub fn bytes_per_pixel(self) -> usize {
        match self {
            PixelFormat::Yuyv => 2,
            PixelFormat::Gray => 1,
        }
    }
}

/// Why a frame is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The buffer does not hold width × height pixels.
    #[error("frame of {width}x{height} {format:?} needs {expected} bytes, got {got}")]
    Size {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// Format.
        format: PixelFormat,
        /// Bytes needed.
        expected: usize,
        /// Bytes given.
        got: usize,
    },
    /// Zero or odd width (YUYV needs pixel pairs), or absurd dimensions.
    #[error("unsupported frame size {0}x{1}")]
    Dimensions(u32, u32),
}

/// One frame.
#[derive(Clone, PartialEq, Eq)]
pub struct Frame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Pixel format.
    pub format: PixelFormat,
    /// Pixel data, rows top to bottom, no padding.
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Frame {
    // A page can be anyone's papers: never dump pixels.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Frame({}x{} {:?})", self.width, self.height, self.format)
    }
}

/// Largest frame side accepted (a 20-megapixel document camera is 5472 wide).
pub const MAX_SIDE: u32 = 8192;

impl Frame {
    /// A frame, checked.
    pub fn new(
        width: u32,
        height: u32,
        format: PixelFormat,
        data: Vec<u8>,
    ) -> Result<Self, FrameError> {
        if width == 0
            || height == 0
            || width > MAX_SIDE
            || height > MAX_SIDE
            || (format == PixelFormat::Yuyv && !width.is_multiple_of(2))
        {
            return Err(FrameError::Dimensions(width, height));
        }
        let expected = width as usize * height as usize * format.bytes_per_pixel();
        if data.len() != expected {
            return Err(FrameError::Size {
                width,
                height,
                format,
                expected,
                got: data.len(),
            });
        }
        Ok(Self {
            width,
            height,
            format,
            data,
        })
    }

    /// The luma plane (one byte a pixel).
    pub fn luma(&self) -> Vec<u8> {
        match self.format {
            PixelFormat::Gray => self.data.clone(),
            PixelFormat::Yuyv => self.data.iter().step_by(2).copied().collect(),
        }
    }

    /// RGB, 3 bytes a pixel (BT.601, limited range).
    pub fn rgb(&self) -> Vec<u8> {
        match self.format {
            PixelFormat::Gray => self.data.iter().flat_map(|&y| [y, y, y]).collect(),
            PixelFormat::Yuyv => {
                let mut out = Vec::with_capacity(self.data.len() / 2 * 3);
                for q in self.data.chunks_exact(4) {
                    let (u, v) = (i32::from(q[1]) - 128, i32::from(q[3]) - 128);
                    for y in [q[0], q[2]] {
                        let c = (i32::from(y) - 16) * 298;
                        let px = |x: i32| ((x + 128) >> 8).clamp(0, 255) as u8;
                        out.push(px(c + 409 * v));
                        out.push(px(c - 100 * u - 208 * v));
                        out.push(px(c + 516 * u));
                    }
                }
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_checked() {
        assert!(Frame::new(4, 2, PixelFormat::Yuyv, vec![0; 16]).is_ok());
        assert!(matches!(
            Frame::new(4, 2, PixelFormat::Yuyv, vec![0; 15]),
            Err(FrameError::Size { expected: 16, .. })
        ));
        assert!(Frame::new(3, 2, PixelFormat::Yuyv, vec![0; 12]).is_err());
        assert!(Frame::new(0, 2, PixelFormat::Gray, vec![]).is_err());
    }

    #[test]
    fn yuyv_white_black_and_grey_convert() {
        let f = Frame::new(2, 1, PixelFormat::Yuyv, vec![235, 128, 16, 128]).expect("frame");
        assert_eq!(f.luma(), [235, 16]);
        assert_eq!(f.rgb(), [255, 255, 255, 0, 0, 0]);
        assert!(!format!("{f:?}").contains("235"));
    }
}
