//! Still detection for auto-capture: a page is captured once it has lain still for a while,
//! and not again until something moved (the next page). Pure: frames in, decisions out.
//!
//! Each frame is reduced to a coarse luma grid (cells of the mean brightness); the motion
//! between two frames is the mean absolute difference of their grids, which ignores sensor
//! noise and compression speckle but sees a hand or a sliding page. A capture also needs some
//! content (the grid's spread), so an empty platen is never "a still page".

use super::frame::Frame;

/// Settings of the detector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StillConfig {
    /// Grid size (cells across × down).
    pub grid: (u32, u32),
    /// Motion (mean absolute difference of cell means, 0–255) below which a frame is still.
    pub still_below: f32,
    /// Consecutive still frames before a capture (at 15 frames/s, 8 ≈ 0.5 s).
    pub still_frames: u32,
    /// Motion above which the page is taken to have changed (re-arms the capture).
    pub moved_above: f32,
    /// Minimum spread (standard deviation of the cells) for a frame to hold a page.
    pub min_content: f32,
}

impl Default for StillConfig {
    fn default() -> Self {
        Self {
            grid: (16, 12),
            still_below: 1.5,
            still_frames: 8,
            moved_above: 6.0,
            min_content: 8.0,
        }
    }
}

/// What the detector says about a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Something moves (or nothing to capture yet).
    Moving,
    /// Still, counting towards a capture.
    Settling,
    /// Capture this frame.
    Capture,
    /// Captured already; waiting for the page to change.
    Captured,
}

/// The detector.
#[derive(Debug, Clone)]
pub struct StillDetector {
    config: StillConfig,
    last: Option<Vec<f32>>,
    still: u32,
    armed: bool,
}

/// The coarse luma grid of a frame.
pub fn grid(frame: &Frame, (gw, gh): (u32, u32)) -> Vec<f32> {
    let luma = frame.luma();
    let (w, h) = (frame.width as usize, frame.height as usize);
    let (gw, gh) = (gw.max(1) as usize, gh.max(1) as usize);
    let mut sums = vec![0u64; gw * gh];
    let mut counts = vec![0u32; gw * gh];
    for y in 0..h {
        let gy = y * gh / h;
        for x in 0..w {
            let gx = x * gw / w;
            sums[gy * gw + gx] += u64::from(luma[y * w + x]);
            counts[gy * gw + gx] += 1;
        }
    }
    sums.iter()
        .zip(&counts)
        .map(|(&s, &c)| if c == 0 { 0.0 } else { s as f32 / c as f32 })
        .collect()
}

fn spread(cells: &[f32]) -> f32 {
    let n = cells.len().max(1) as f32;
    let mean = cells.iter().sum::<f32>() / n;
    (cells.iter().map(|c| (c - mean) * (c - mean)).sum::<f32>() / n).sqrt()
}

impl StillDetector {
    /// A detector, armed.
    pub fn new(config: StillConfig) -> Self {
        Self {
            config,
            last: None,
            still: 0,
            armed: true,
        }
    }

    /// Motion between the last two frames (0 for the first), for the preview's indicator.
    pub fn feed(&mut self, frame: &Frame) -> (Verdict, f32) {
        let cells = grid(frame, self.config.grid);
        let motion = match &self.last {
            Some(prev) if prev.len() == cells.len() => {
                prev.iter()
                    .zip(&cells)
                    .map(|(a, b)| (a - b).abs())
                    .sum::<f32>()
                    / cells.len().max(1) as f32
            }
            _ => f32::INFINITY,
        };
        let content = spread(&cells);
        self.last = Some(cells);
        if motion > self.config.moved_above || content < self.config.min_content {
            // A new page (or none): capture again once it settles.
            self.armed = true;
        }
        let verdict = if motion < self.config.still_below && content >= self.config.min_content {
            self.still += 1;
            if !self.armed {
                Verdict::Captured
            } else if self.still >= self.config.still_frames {
                self.armed = false;
                Verdict::Capture
            } else {
                Verdict::Settling
            }
        } else {
            self.still = 0;
            Verdict::Moving
        };
        (verdict, if motion.is_finite() { motion } else { 0.0 })
    }
}
