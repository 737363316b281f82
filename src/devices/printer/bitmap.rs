//! A 1-bit picture of printed paper: drawn on by the raster fallback and the emulator, cut into
//! `GS v 0` bands for the printer (notes §2.2: send raster in bands) and written out as PNG.

use super::command::Command;
use std::io::Write;

/// A black-and-white bitmap, one byte per dot (0 white, 1 black), row-major.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    width: usize,
    height: usize,
    dots: Vec<u8>,
}

impl Bitmap {
    /// A white bitmap.
    pub fn new(width: usize, height: usize) -> Self {
        Self {
            width,
            height,
            dots: vec![0; width * height],
        }
    }

    /// Width in dots.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in dots.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Whether a dot is black; outside the bitmap is white.
    pub fn get(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.height && self.dots[y * self.width + x] != 0
    }

    /// Blacken a dot; outside the bitmap is ignored.
    pub fn set(&mut self, x: usize, y: usize) {
        if x < self.width && y < self.height {
            self.dots[y * self.width + x] = 1;
        }
    }

    /// Blacken a rectangle (clipped).
    pub fn fill(&mut self, x: usize, y: usize, w: usize, h: usize) {
        for yy in y..(y + h).min(self.height) {
            for xx in x..(x + w).min(self.width) {
                self.dots[yy * self.width + xx] = 1;
            }
        }
    }

    /// Grow downwards to `height` rows (white).
    pub fn grow(&mut self, height: usize) {
        if height > self.height {
            self.dots.resize(self.width * height, 0);
            self.height = height;
        }
    }

    /// Copy the black dots of `src` with its top-left corner at (x, y).
    pub fn blit(&mut self, src: &Bitmap, x: usize, y: usize) {
        for sy in 0..src.height {
            for sx in 0..src.width {
                if src.dots[sy * src.width + sx] != 0 {
                    self.set(x + sx, y + sy);
                }
            }
        }
    }

    /// Whether no dot is black.
    pub fn is_blank(&self) -> bool {
        self.dots.iter().all(|d| *d == 0)
    }

    /// Count of black dots (tests, diagnostics).
    pub fn black_dots(&self) -> usize {
        self.dots.iter().filter(|d| **d != 0).count()
    }

    /// The bitmap as `GS v 0` commands of at most `band_rows` rows each, MSB leftmost.
    pub fn raster_bands(&self, band_rows: usize) -> Vec<Command> {
        let width_bytes = self.width.div_ceil(8);
        let band_rows = band_rows.clamp(1, 2303);
        let mut out = Vec::new();
        let mut y0 = 0;
        while y0 < self.height {
            let rows = band_rows.min(self.height - y0);
            let mut data = vec![0u8; width_bytes * rows];
            for r in 0..rows {
                let row = &self.dots[(y0 + r) * self.width..(y0 + r + 1) * self.width];
                for (x, d) in row.iter().enumerate() {
                    if *d != 0 {
                        data[r * width_bytes + x / 8] |= 0x80 >> (x % 8);
                    }
                }
            }
            out.push(Command::Raster {
                mode: 0,
                width_bytes: width_bytes as u16,
                height: rows as u16,
                data,
            });
            y0 += rows;
        }
        out
    }

    /// Unpack `GS v 0` data (width in bytes × height) into a bitmap.
    pub fn from_raster(width_bytes: usize, height: usize, data: &[u8]) -> Self {
        let mut b = Bitmap::new(width_bytes * 8, height);
        for y in 0..height {
            for x in 0..width_bytes * 8 {
                let byte = data.get(y * width_bytes + x / 8).copied().unwrap_or(0);
                if byte & (0x80 >> (x % 8)) != 0 {
                    b.set(x, y);
                }
            }
        }
        b
    }

    /// Like [`Bitmap::from_raster`], keeping only the leftmost `max_width` dots (the paper).
    pub fn from_raster_clipped(
        width_bytes: usize,
        height: usize,
        data: &[u8],
        max_width: usize,
    ) -> Self {
        let width = (width_bytes * 8).min(max_width);
        let mut b = Bitmap::new(width, height);
        for y in 0..height {
            for x in 0..width {
                let byte = data.get(y * width_bytes + x / 8).copied().unwrap_or(0);
                if byte & (0x80 >> (x % 8)) != 0 {
                    b.set(x, y);
                }
            }
        }
        b
    }

    /// Write as an 8-bit greyscale PNG (black on white).
    pub fn write_png<W: Write>(&self, w: W) -> Result<(), png::EncodingError> {
        let mut enc = png::Encoder::new(w, self.width.max(1) as u32, self.height.max(1) as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header()?;
        let mut data: Vec<u8> = self
            .dots
            .iter()
            .map(|d| if *d != 0 { 0 } else { 255 })
            .collect();
        if data.is_empty() {
            data.push(255);
        }
        writer.write_image_data(&data)?;
        writer.finish()
    }

    /// 8-bit grey pixels (0 black, 255 white), each dot `scale`×`scale`: for showing the tracking
    /// QR on screen (the UI wraps this in its image type). Returns (width, height, pixels).
    pub fn to_luma8(&self, scale: usize) -> (usize, usize, Vec<u8>) {
        let s = scale.max(1);
        let (w, h) = (self.width * s, self.height * s);
        let mut px = vec![255u8; w * h];
        for y in 0..h {
            for x in 0..w {
                if self.get(x / s, y / s) {
                    px[y * w + x] = 0;
                }
            }
        }
        (w, h, px)
    }

    /// Grey value (0 black, 255 white) for decoders in tests.
    pub fn luma(&self, x: usize, y: usize) -> u8 {
        if self.get(x, y) { 0 } else { 255 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luma_scales_each_dot() {
        let mut b = Bitmap::new(2, 1);
        b.set(1, 0);
        let (w, h, px) = b.to_luma8(3);
        assert_eq!((w, h), (6, 3));
        assert_eq!(&px[..6], &[255, 255, 255, 0, 0, 0]);
        assert_eq!(px.iter().filter(|p| **p == 0).count(), 9);
    }

    #[test]
    fn bands_round_trip_and_respect_the_band_height() {
        let mut b = Bitmap::new(20, 50);
        b.fill(0, 0, 1, 50);
        b.set(19, 49);
        b.set(9, 3);
        let bands = b.raster_bands(24);
        assert_eq!(bands.len(), 3);
        let mut y = 0;
        let mut back = Bitmap::new(24, 50);
        for band in &bands {
            let Command::Raster {
                width_bytes,
                height,
                data,
                ..
            } = band
            else {
                panic!("not raster")
            };
            assert_eq!(*width_bytes, 3);
            assert!(*height <= 24);
            back.blit(&Bitmap::from_raster(3, usize::from(*height), data), 0, y);
            y += usize::from(*height);
        }
        for yy in 0..50 {
            for xx in 0..20 {
                assert_eq!(b.get(xx, yy), back.get(xx, yy), "{xx},{yy}");
            }
        }
        // MSB is the leftmost dot.
        let Command::Raster { data, .. } = &bands[0] else {
            panic!()
        };
        assert_eq!(data[0], 0x80);
        assert_eq!(data[3 * 3 + 1], 0x40);
    }
}
