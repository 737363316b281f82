//! The printer emulator: decodes ESC/POS with the same command table the encoder uses
//! ([`Command::decode`]), renders each job (up to a cut, or the end of the stream) to a bitmap
//! with the CJK font and real QR/CODE128 modules, and answers `DLE EOT`, `GS r` and ASB from a
//! controllable [`PrinterCondition`] (paper near-end, out, cover open, offline), including paper
//! that runs out part-way through a job. The core here does no I/O; `server` puts it on a TCP
//! port or a pseudo-terminal and writes PNGs.

pub mod render;
pub mod server;

use super::bitmap::Bitmap;
use super::charset::Charset;
use super::command::{Command, DecodeError};
use super::profile::PresenterKind;
use super::profile::Profile;
use super::status::{FULL_STATUS, FullStatus, Paper as PaperState, PrinterCondition};
use render::{Paper, Printed};
use thiserror::Error;

/// A finished job.
#[derive(Debug, Clone)]
pub struct RenderedJob {
    /// The paper.
    pub bitmap: Bitmap,
    /// What was printed, in order.
    pub transcript: Vec<Printed>,
    /// Problems (unknown commands skipped, symbols not printed).
    pub warnings: Vec<String>,
    /// Whether the job was cut off (paper out, cover opened, printer offline).
    pub incomplete: bool,
}

impl RenderedJob {
    /// The text lines of the transcript.
    pub fn text_lines(&self) -> Vec<&str> {
        self.transcript
            .iter()
            .filter_map(|p| match p {
                Printed::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// A rendering error for `kiosk escpos render` (strict mode).
#[derive(Debug, Error)]
pub enum RenderError {
    /// Bytes that are not ESC/POS.
    #[error("not ESC/POS: {0} (use --lenient to skip unknown bytes)")]
    Decode(DecodeError),
    /// The stream ends inside a command.
    #[error("the file ends inside a command at byte {0}: truncated?")]
    Truncated(usize),
    /// Nothing printable.
    #[error("the file contains no printable content")]
    Empty,
}

/// The emulated printer.
pub struct Emulator {
    profile: Profile,
    chinese_default: bool,
    chinese: bool,
    pending: Vec<u8>,
    offset: usize,
    paper: Paper,
    incomplete: bool,
    jobs: Vec<RenderedJob>,
    condition: PrinterCondition,
    /// Dots of paper left before it runs out (`None`: endless).
    paper_left: Option<usize>,
    asb: bool,
    lenient: bool,
}

impl Emulator {
    /// A printer of this profile, powered on (Chinese mode on if it has a Chinese font, as
    /// Chinese-market firmware does, notes §2.1).
    pub fn new(profile: Profile) -> Self {
        let chinese_default = profile.text.charset != Charset::None;
        let paper = Paper::new(usize::from(profile.paper.dots), profile.text.charset);
        Self {
            profile,
            chinese_default,
            chinese: chinese_default,
            pending: Vec::new(),
            offset: 0,
            paper,
            incomplete: false,
            jobs: Vec::new(),
            condition: PrinterCondition::default(),
            paper_left: None,
            asb: false,
            lenient: true,
        }
    }

    /// Stop at the first undecodable command instead of skipping it (`escpos render`).
    pub fn strict(mut self) -> Self {
        self.lenient = false;
        self
    }

    /// The profile.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The current condition.
    pub fn condition(&self) -> PrinterCondition {
        self.condition
    }

    /// Change the condition (the technician's dock, a test). Returns an ASB block to send if
    /// ASB is enabled and the condition changed (notes §4.3).
    pub fn set_condition(&mut self, c: PrinterCondition) -> Option<[u8; 4]> {
        let changed = c != self.condition;
        self.condition = c;
        (changed && self.asb).then(|| c.asb())
    }

    /// Let the paper run out after `dots` more dots are fed (a "paper out during a job" fault).
    pub fn run_out_after(&mut self, dots: Option<usize>) {
        self.paper_left = dots.map(|d| self.paper.fed() + d);
    }

    fn can_print(&self) -> bool {
        !self.condition.stopped()
    }

    /// The applicant takes the receipt from the presenter.
    pub fn take_receipt(&mut self) {
        self.condition.receipt_present = false;
    }

    /// Feed bytes from the host; returns the bytes the printer sends back.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Vec<u8>, RenderError> {
        self.pending.extend_from_slice(bytes);
        let mut replies = Vec::new();
        let mut pos = 0;
        while pos < self.pending.len() {
            match Command::decode(&self.pending[pos..], self.chinese, self.offset) {
                Ok((cmd, used)) => {
                    pos += used;
                    self.offset += used;
                    self.execute(cmd, &mut replies);
                }
                Err(DecodeError::Incomplete) => break,
                Err(e) => {
                    if !self.lenient {
                        return Err(RenderError::Decode(e));
                    }
                    let skip = match &e {
                        DecodeError::Unknown { skip, .. } => *skip,
                        DecodeError::Incomplete => 1,
                    };
                    tracing::warn!(error = %e, "emulator skipped bytes");
                    self.paper.warn(format!("skipped: {e}"));
                    pos += skip;
                    self.offset += skip;
                }
            }
        }
        self.pending.drain(..pos);
        Ok(replies)
    }

    fn execute(&mut self, cmd: Command, replies: &mut Vec<u8>) {
        match &cmd {
            // Real-time: answered at once, whatever the state (notes §4.1).
            Command::StatusRequest(FULL_STATUS) => {
                if self.profile.presenter.kind == PresenterKind::CustomFsp {
                    replies.extend_from_slice(&FullStatus::of(&self.condition).0);
                }
                return;
            }
            Command::StatusRequest(n) => {
                replies.push(self.condition.real_time_reply(*n));
                return;
            }
            Command::TransmitStatus(_) => {
                if let Some(b) = self.condition.transmit_reply() {
                    replies.push(b);
                }
                return;
            }
            Command::AutoStatusBack(n) => {
                self.asb = *n != 0;
                if self.asb {
                    replies.extend_from_slice(&self.condition.asb());
                }
                return;
            }
            Command::ChineseOn => self.chinese = true,
            Command::ChineseOff => self.chinese = false,
            Command::Init => self.chinese = self.chinese_default,
            _ => {}
        }
        if !self.can_print() {
            // Offline printers drop what they cannot print; the job is marked incomplete.
            if !self.paper.is_empty() {
                self.incomplete = true;
            }
            return;
        }
        if matches!(cmd, Command::Present { .. }) && self.paper.is_empty() {
            // The presenter holds the receipt just cut in its mouth until someone takes it.
            self.condition.receipt_present = true;
            if let Some(last) = self.jobs.last_mut() {
                last.transcript.push(Printed::Presented);
                return;
            }
        }
        let cut = matches!(cmd, Command::Cut { .. });
        self.paper.apply(&cmd, self.chinese);
        if let Some(left) = self.paper_left
            && self.paper.fed() >= left
        {
            // The paper ran out: the printer stops here, mid-receipt.
            self.condition.paper = PaperState::Out;
            self.incomplete = true;
            self.paper_left = None;
            self.finish_job();
            return;
        }
        if cut {
            self.finish_job();
        }
    }

    fn finish_job(&mut self) {
        let paper = std::mem::replace(
            &mut self.paper,
            Paper::new(
                usize::from(self.profile.paper.dots),
                self.profile.text.charset,
            ),
        );
        let (bitmap, transcript, warnings) = paper.finish();
        self.jobs.push(RenderedJob {
            bitmap,
            transcript,
            warnings,
            incomplete: std::mem::take(&mut self.incomplete),
        });
    }

    /// Jobs finished since the last call.
    pub fn take_jobs(&mut self) -> Vec<RenderedJob> {
        std::mem::take(&mut self.jobs)
    }

    /// End of the stream: finish an uncut job if anything was printed.
    pub fn end_of_stream(&mut self) -> Vec<RenderedJob> {
        if !self.paper.is_empty() || self.incomplete {
            self.finish_job();
        }
        self.take_jobs()
    }
}

/// Render a whole byte stream (`kiosk escpos render`): every job, one after the other.
pub fn render_stream(
    bytes: &[u8],
    profile: Profile,
    lenient: bool,
) -> Result<Vec<RenderedJob>, RenderError> {
    let mut emu = Emulator::new(profile);
    if !lenient {
        emu = emu.strict();
    }
    emu.feed(bytes)?;
    if !emu.pending.is_empty() {
        if !lenient {
            return Err(RenderError::Truncated(emu.offset));
        }
        let at = emu.offset;
        emu.paper
            .warn(format!("the data ends inside a command at byte {at}"));
    }
    let jobs = emu.end_of_stream();
    if jobs.iter().all(|j| j.transcript.is_empty()) {
        return Err(RenderError::Empty);
    }
    Ok(jobs)
}

/// Stack jobs into one picture with a dashed cut line between them.
pub fn stack(jobs: &[RenderedJob]) -> Bitmap {
    let width = jobs.iter().map(|j| j.bitmap.width()).max().unwrap_or(8);
    let gap = 16;
    let height: usize = jobs.iter().map(|j| j.bitmap.height() + gap).sum();
    let mut out = Bitmap::new(width, height.max(1));
    let mut y = 0;
    for j in jobs {
        out.blit(&j.bitmap, 0, y);
        y += j.bitmap.height();
        for x in (0..width).step_by(8) {
            out.fill(x, y + gap / 2, 4, 1);
        }
        y += gap;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift) for garbage streams.
    fn garbage(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed.max(1);
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Bias towards command bytes so that many commands start and break.
                match x % 7 {
                    0 => 0x1B,
                    1 => 0x1D,
                    2 => 0x1C,
                    _ => (x >> 8) as u8,
                }
            })
            .collect()
    }

    #[test]
    fn garbage_never_panics_and_stays_bounded() {
        let profile = Profile::builtin("generic-58-gb2312").expect("profile");
        for seed in 1..120u64 {
            let bytes = garbage(seed, 3000);
            let mut emu = Emulator::new(profile.clone());
            let _ = emu.feed(&bytes);
            for job in emu.end_of_stream() {
                assert!(job.bitmap.height() <= render::MAX_PAPER_DOTS);
                assert_eq!(job.bitmap.width(), 384);
            }
            // Strict mode turns the first bad byte into an error that names it.
            if let Err(e) = render_stream(&bytes, profile.clone(), false) {
                assert!(!e.to_string().is_empty());
            }
        }
    }

    #[test]
    fn endless_feeds_and_oversized_images_are_clipped() {
        let profile = Profile::builtin("generic-58-gb2312").expect("profile");
        let mut bytes = b"x".to_vec();
        for _ in 0..400 {
            bytes.extend_from_slice(&[0x1B, 0x64, 0xFF]);
        }
        // A 2,000-dot-wide raster on 384-dot paper.
        bytes.extend_from_slice(&[0x1D, 0x76, 0x30, 0x00, 250, 0, 2, 0]);
        bytes.extend(std::iter::repeat_n(0xFF, 500));
        let jobs = render_stream(&bytes, profile, false).expect("renders");
        assert_eq!(jobs[0].bitmap.height(), render::MAX_PAPER_DOTS);
        assert_eq!(jobs[0].bitmap.width(), 384);
        assert!(jobs[0].warnings.iter().any(|w| w.contains("longer than")));
    }
}
