//! Live capture from a UVC document camera through V4L2 (`linuxvideo`: pure Rust, no bindgen,
//! so the image cross-compiles without libclang). Asks for YUYV at the configured resolution
//! and takes what the driver grants (it may pick the nearest size); MJPEG-only modes are not
//! used because still detection needs pixels. Rows are copied without the driver's padding.

use super::frame::{Frame, PixelFormat};
use super::{CameraError, FrameSource};
use linuxvideo::format::{PixFormat, PixelFormat as V4lPixelFormat};
use std::path::{Path, PathBuf};

/// A streaming V4L2 camera.
pub struct V4lCamera {
    path: PathBuf,
    stream: linuxvideo::stream::ReadStream,
    width: u32,
    height: u32,
    stride: usize,
}

impl std::fmt::Debug for V4lCamera {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "V4lCamera({} {}x{})",
            self.path.display(),
            self.width,
            self.height
        )
    }
}

impl V4lCamera {
    /// Open `device`, negotiate YUYV near `width` × `height` and start streaming.
    pub fn open(device: &Path, width: u32, height: u32) -> Result<Self, CameraError> {
        let io = |e: std::io::Error| CameraError::Device {
            device: device.to_owned(),
            message: e.to_string(),
        };
        let dev = linuxvideo::Device::open(device).map_err(io)?;
        let capture = dev
            .video_capture(PixFormat::new(width, height, V4lPixelFormat::YUYV))
            .map_err(io)?;
        let granted = capture.format();
        if granted.pixel_format() != V4lPixelFormat::YUYV {
            return Err(CameraError::Unsupported {
                device: device.to_owned(),
                message: format!("camera offers {} instead of YUYV", granted.pixel_format()),
            });
        }
        let (w, h) = (granted.width(), granted.height());
        let stride = (granted.bytes_per_line() as usize).max(w as usize * 2);
        tracing::info!(device = %device.display(), width = w, height = h, "camera streaming");
        let stream = capture.into_stream().map_err(io)?;
        Ok(Self {
            path: device.to_owned(),
            stream,
            width: w,
            height: h,
            stride,
        })
    }
}

impl FrameSource for V4lCamera {
    fn next_frame(&mut self) -> Result<Option<Frame>, CameraError> {
        let (w, h, stride) = (self.width, self.height, self.stride);
        let row = w as usize * 2;
        let data = self
            .stream
            .dequeue(|buf| {
                if buf.is_error() || buf.len() < stride * (h as usize - 1) + row {
                    return Ok(None);
                }
                let mut data = Vec::with_capacity(row * h as usize);
                for y in 0..h as usize {
                    data.extend_from_slice(&buf[y * stride..y * stride + row]);
                }
                Ok(Some(data))
            })
            .map_err(|e| CameraError::Device {
                device: self.path.clone(),
                message: e.to_string(),
            })?;
        match data {
            // A damaged or short buffer: skip it, the next one will do.
            None => Ok(Some(Frame::new(
                w,
                h,
                PixelFormat::Yuyv,
                vec![16; row * h as usize],
            )?)),
            Some(d) => Ok(Some(Frame::new(w, h, PixelFormat::Yuyv, d)?)),
        }
    }
}
