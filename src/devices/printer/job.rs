//! Blocks → ESC/POS commands for one printer profile: the print job. Text goes out as GB codes
//! in Chinese mode where the profile's font has every character of a line; a line with any
//! character outside the font (堃 on a GB2312 font, anything on an ANK model, four-byte GB18030)
//! is drawn with the embedded CJK font in the same 12/24-dot cells and sent as `GS v 0` bands.
//! QR and CODE128 go native or raster per profile. Pure: no I/O.

use super::bitmap::Bitmap;
use super::charset::{Charset, Glyph};
use super::code128;
use super::command::{Align, Command, CutKind, QrEc};
use super::font::{self, Style};
use super::layout::{self, Block};
use super::profile::{CutMode, PresenterKind, Profile, Render};
use super::receipt::Receipt;
use super::symbols::{self, SymbolError};

/// Tracking QR error correction (notes §3.1: EC M for a phone-scanned link).
pub const QR_EC: QrEc = QrEc::M;

/// What went into a job, for logs and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobStats {
    /// Lines sent as text.
    pub text_lines: usize,
    /// Lines rasterised because a character is outside the font.
    pub raster_lines: usize,
    /// The characters that forced a raster line.
    pub raster_chars: Vec<char>,
    /// Barcodes left out because they do not fit the paper even at 1-dot modules.
    pub barcodes_skipped: usize,
}

/// A composed job: commands plus what went into them.
#[derive(Debug, Clone)]
pub struct Job {
    /// The commands, in order.
    pub commands: Vec<Command>,
    /// What went into them.
    pub stats: JobStats,
}

impl Job {
    /// The bytes to send.
    pub fn bytes(&self) -> Vec<u8> {
        super::command::encode_all(&self.commands)
    }
}

/// Compose a receipt for a profile.
pub fn receipt_job(receipt: &Receipt, profile: &Profile) -> Result<Job, SymbolError> {
    compose(&layout::layout(receipt, profile.columns()), profile)
}

/// Compose blocks for a profile.
pub fn compose(blocks: &[Block], profile: &Profile) -> Result<Job, SymbolError> {
    let mut c = Composer {
        profile,
        out: Vec::new(),
        stats: JobStats::default(),
        align: Align::Left,
        bold: false,
        size: 1,
    };
    c.out.push(Command::Init);
    c.out.push(Command::LineSpacing(profile.text.line_spacing));
    if profile.text.charset != Charset::None {
        c.out.push(Command::ChineseOn);
    }
    for b in blocks {
        c.block(b)?;
    }
    c.finish();
    Ok(Job {
        commands: c.out,
        stats: c.stats,
    })
}

struct Composer<'a> {
    profile: &'a Profile,
    out: Vec<Command>,
    stats: JobStats,
    align: Align,
    bold: bool,
    size: u8,
}

impl Composer<'_> {
    fn set_align(&mut self, a: Align) {
        if self.align != a {
            self.out.push(Command::Align(a));
            self.align = a;
        }
    }

    fn set_style(&mut self, bold: bool, size: u8) {
        if self.bold != bold {
            self.out.push(Command::Bold(bold));
            self.bold = bold;
        }
        if self.size != size {
            self.out.push(Command::Size {
                width: size,
                height: size,
            });
            self.size = size;
        }
    }

    fn dots(&self) -> usize {
        usize::from(self.profile.paper.dots)
    }

    fn block(&mut self, b: &Block) -> Result<(), SymbolError> {
        match b {
            Block::Line {
                text,
                align,
                bold,
                size,
            } => self.line(text, *align, *bold, *size, false),
            Block::RasterLine(text) => self.line(text, Align::Left, false, 1, true),
            Block::Rule => {
                self.set_style(false, 1);
                self.set_align(Align::Left);
                self.out
                    .push(Command::Text(vec![b'-'; self.profile.columns()]));
                self.out.push(Command::LineFeed);
            }
            Block::Feed(n) => self.out.push(Command::FeedLines(*n)),
            Block::Qr(payload) => self.qr(payload)?,
            Block::Barcode(text) => self.barcode(text)?,
        }
        Ok(())
    }

    fn line(&mut self, text: &str, align: Align, bold: bool, size: u8, force_raster: bool) {
        let charset = self.profile.text.charset;
        let mut bytes = Vec::with_capacity(text.len());
        let mut missing = Vec::new();
        for ch in text.chars() {
            match charset.glyph(ch) {
                Glyph::Ascii(b) => bytes.push(b),
                Glyph::Wide(code) => bytes.extend_from_slice(&code),
                Glyph::Raster => missing.push(ch),
            }
        }
        if missing.is_empty() && !force_raster {
            self.set_style(bold, size);
            self.set_align(align);
            if !bytes.is_empty() {
                self.out.push(Command::Text(bytes));
            }
            self.out.push(Command::LineFeed);
            self.stats.text_lines += 1;
            return;
        }
        // Raster fallback: the whole line as one image the width of the paper, in the same
        // cells and line pitch as text, so it sits among text lines unnoticed.
        let style = Style {
            width: size,
            height: size,
            bold,
        };
        // The same pitch the printer uses for text: the line spacing, or the cell if taller.
        let pitch =
            usize::from(self.profile.text.line_spacing).max(font::CELL_DOTS * usize::from(size));
        let mut img = Bitmap::new(self.dots(), pitch);
        let w = font::text_width(text, style);
        let x = match align {
            Align::Left => 0,
            Align::Center => self.dots().saturating_sub(w) / 2,
            Align::Right => self.dots().saturating_sub(w),
        };
        font::draw_text(&mut img, x, 0, text, style);
        self.set_align(Align::Left);
        self.out
            .extend(img.raster_bands(usize::from(self.profile.raster.band_rows)));
        self.stats.raster_lines += 1;
        for m in missing {
            if !self.stats.raster_chars.contains(&m) {
                self.stats.raster_chars.push(m);
            }
        }
    }

    fn image_centred(&mut self, img: &Bitmap) {
        let mut full = Bitmap::new(self.dots(), img.height());
        full.blit(img, self.dots().saturating_sub(img.width()) / 2, 0);
        self.set_align(Align::Left);
        self.out
            .extend(full.raster_bands(usize::from(self.profile.raster.band_rows)));
    }

    fn qr(&mut self, payload: &str) -> Result<(), SymbolError> {
        let module = usize::from(self.profile.qr.module);
        // Fit the paper: shrink the module if the symbol would be wider than the paper.
        let probe = symbols::qr(payload.as_bytes(), 1, QR_EC)?;
        let module = module.min(self.dots() / probe.width()).max(1);
        match self.profile.qr.mode {
            Render::Native => {
                self.set_style(false, 1);
                self.set_align(Align::Center);
                self.out.extend([
                    Command::QrModel(50),
                    Command::QrModuleSize(module as u8),
                    Command::QrErrorCorrection(QR_EC),
                    Command::QrStore(payload.as_bytes().to_vec()),
                    Command::QrPrint,
                    Command::LineFeed,
                ]);
            }
            Render::Raster => {
                let img = symbols::qr(payload.as_bytes(), module, QR_EC)?;
                self.image_centred(&img);
            }
        }
        Ok(())
    }

    fn barcode(&mut self, text: &str) -> Result<(), SymbolError> {
        let data = code128::printer_data(text)?;
        let modules = symbols::code128_modules(&data)?;
        let max = usize::from(self.profile.barcode.module);
        let Some(module) = (1..=max).rev().find(|m| modules * m <= self.dots()) else {
            tracing::warn!(
                text,
                "barcode does not fit the paper; the QR code still carries the number"
            );
            self.stats.barcodes_skipped += 1;
            return Ok(());
        };
        let height = usize::from(self.profile.barcode.height);
        match self.profile.barcode.mode {
            Render::Native => {
                self.set_style(false, 1);
                self.set_align(Align::Center);
                self.out.extend([
                    Command::BarcodeHeight(height as u8),
                    Command::BarcodeWidth(module as u8),
                    Command::BarcodeHri(2),
                    Command::BarcodeHriFont(0),
                    Command::Barcode { system: 73, data },
                    Command::LineFeed,
                ]);
            }
            Render::Raster => {
                let img = symbols::code128(&data, module, height, true)?;
                self.image_centred(&img);
            }
        }
        Ok(())
    }

    fn finish(&mut self) {
        self.set_style(false, 1);
        self.set_align(Align::Left);
        let feed = self.profile.cut.feed;
        match self.profile.cut.mode {
            CutMode::Partial => self.out.push(Command::Cut {
                kind: CutKind::Partial,
                feed: Some(feed),
            }),
            CutMode::Full => self.out.push(Command::Cut {
                kind: CutKind::Full,
                feed: Some(feed),
            }),
            CutMode::None => self.out.push(Command::FeedLines(feed)),
        }
        if self.profile.presenter.kind == PresenterKind::CustomFsp {
            // Present 30 mm, blink the bezel, retract after the profile's timeout (notes §4.5).
            self.out.push(Command::Present {
                length: 6,
                blink: 1,
                action: b'R',
                seconds: self.profile.presenter.retract_secs,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(profile: &str) -> Job {
        let p = Profile::builtin(profile).unwrap();
        receipt_job(&Receipt::sample(), &p).unwrap()
    }

    #[test]
    fn gb18030_profile_prints_rare_characters_as_text() {
        let j = job("generic-80-gb18030");
        assert_eq!(j.stats.raster_lines, 0, "{:?}", j.stats.raster_chars);
        let bytes = j.bytes();
        assert_eq!(&bytes[..7], &[0x1B, 0x40, 0x1B, 0x33, 32, 0x1C, 0x26]);
        // 堃 = 88 D2 inside the site line.
        assert!(bytes.windows(2).any(|w| w == [0x88, 0xD2]));
        assert!(bytes.ends_with(&[0x1D, 0x56, 0x42, 0x03]));
    }

    #[test]
    fn gb2312_profile_rasterises_only_lines_with_rare_characters() {
        let j = job("generic-58-gb2312");
        let mut rare = j.stats.raster_chars.clone();
        rare.sort();
        let mut want: Vec<char> = "珺镕堃喆昇犇".chars().collect();
        want.sort();
        // 镕 is masked out of the address; the others are in the name and the site.
        want.retain(|c| *c != '镕');
        assert_eq!(rare, want);
        assert!(j.stats.raster_lines >= 2 && j.stats.text_lines > 10);
        let bytes = j.bytes();
        assert!(!bytes.windows(2).any(|w| w == [0x88, 0xD2]));
        assert!(bytes.windows(3).any(|w| w == [0x1D, 0x76, 0x30]));
    }

    #[test]
    fn ank_profile_rasterises_all_chinese_and_kiosk_presents() {
        let j = job("epson-tm-t88vi-ank");
        assert!(!j.commands.contains(&Command::ChineseOn));
        assert!(j.stats.raster_lines > 10);
        let k = job("custom-vkp80iii");
        assert_eq!(
            &k.commands[k.commands.len() - 2..],
            &[
                Command::Cut {
                    kind: CutKind::Full,
                    feed: Some(0)
                },
                Command::Present {
                    length: 6,
                    blink: 1,
                    action: b'R',
                    seconds: 30
                }
            ]
        );
    }

    #[test]
    fn raster_qr_and_barcode_profiles_send_no_native_symbols() {
        let g = job("gprinter-gp-80250");
        assert!(!g.commands.iter().any(|c| matches!(c, Command::QrStore(_))));
        assert!(
            g.commands
                .iter()
                .any(|c| matches!(c, Command::Barcode { .. }))
        );
        let x = job("xprinter-xp-58iih");
        assert!(x.commands.iter().any(|c| matches!(c, Command::QrStore(_))));
        assert!(
            !x.commands
                .iter()
                .any(|c| matches!(c, Command::Barcode { .. }))
        );
        assert_eq!(x.commands.last(), Some(&Command::FeedLines(4)));
    }

    #[test]
    fn every_raster_band_respects_the_profile() {
        for name in Profile::builtin_names() {
            let p = Profile::builtin(name).unwrap();
            let j = receipt_job(&Receipt::sample(), &p).unwrap();
            for c in &j.commands {
                if let Command::Raster {
                    width_bytes,
                    height,
                    ..
                } = c
                {
                    assert_eq!(
                        usize::from(*width_bytes) * 8,
                        usize::from(p.paper.dots),
                        "{name}"
                    );
                    assert!(*height <= p.raster.band_rows, "{name}");
                }
            }
        }
    }
}
