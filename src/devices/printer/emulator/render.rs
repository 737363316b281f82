//! The paper: applies decoded commands to a growing 1-bit bitmap the way a thermal printer
//! would (line buffer, alignment, sizes, Chinese mode, raster bands, QR and CODE128 symbols),
//! and keeps a transcript of what was printed (text lines, QR payloads, barcode texts, cuts)
//! so that tests compare content, not just pixels.

use crate::devices::printer::bitmap::Bitmap;
use crate::devices::printer::charset::{Charset, Glyph};
use crate::devices::printer::command::{Align, Command, CutKind, QrEc};
use crate::devices::printer::font::{self, CELL_DOTS, COLUMN_DOTS, Style};
use crate::devices::printer::symbols;

/// One thing that appeared on the paper, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printed {
    /// A line of text as printed (a missing glyph shows as `□`).
    Text(String),
    /// A raster image of this size in dots.
    Image {
        /// Width.
        width: usize,
        /// Height.
        height: usize,
    },
    /// A QR code and the payload its modules encode.
    Qr(String),
    /// A barcode and its text.
    Barcode(String),
    /// The paper was cut.
    Cut(CutKind),
    /// The presenter presented the receipt.
    Presented,
}

#[derive(Debug, Clone)]
struct Cell {
    /// Dots from the start of the line (ESC $ / ESC \ move it).
    x: usize,
    c: char,
    style: Style,
    /// Whether the printer's font has the character (else it prints a box).
    known: bool,
}

/// The printer's state and its paper.
#[derive(Debug, Clone)]
pub struct Paper {
    width: usize,
    charset: Charset,
    bitmap: Bitmap,
    y: usize,
    line: Vec<Cell>,
    line_x: usize,
    align: Align,
    bold: bool,
    size: (u8, u8),
    spacing: usize,
    default_spacing: usize,
    qr_data: Vec<u8>,
    graphic: Option<Bitmap>,
    qr_module: usize,
    qr_ec: QrEc,
    bar_height: usize,
    bar_module: usize,
    hri: u8,
    transcript: Vec<Printed>,
    warnings: Vec<String>,
    too_long: bool,
}

/// The longest job the emulator draws: 2 m of paper at 8 dots/mm.
pub const MAX_PAPER_DOTS: usize = 16_000;

impl Paper {
    /// Blank paper `width` dots wide for a printer with this Chinese font.
    pub fn new(width: usize, charset: Charset) -> Self {
        Self {
            width,
            charset,
            bitmap: Bitmap::new(width, 0),
            y: 0,
            line: Vec::new(),
            line_x: 0,
            align: Align::Left,
            bold: false,
            size: (1, 1),
            spacing: 30,
            default_spacing: 30,
            qr_data: Vec::new(),
            graphic: None,
            qr_module: 3,
            qr_ec: QrEc::L,
            bar_height: 162,
            bar_module: 3,
            hri: 0,
            transcript: Vec::new(),
            warnings: Vec::new(),
            too_long: false,
        }
    }

    /// Dots fed so far.
    pub fn fed(&self) -> usize {
        self.y
    }

    /// Whether anything was printed.
    pub fn is_empty(&self) -> bool {
        self.transcript.is_empty() && self.line.is_empty()
    }

    /// What was printed.
    pub fn transcript(&self) -> &[Printed] {
        &self.transcript
    }

    /// Problems met (unsupported commands, bad symbol data).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Note a problem.
    pub fn warn(&mut self, w: String) {
        self.warnings.push(w);
    }

    /// Print what is pending and return the paper, trimmed to what was fed.
    pub fn finish(mut self) -> (Bitmap, Vec<Printed>, Vec<String>) {
        if !self.line.is_empty() {
            self.flush_line();
        }
        self.grow(self.y.max(1));
        (self.bitmap, self.transcript, self.warnings)
    }

    fn style(&self) -> Style {
        Style {
            width: self.size.0,
            height: self.size.1,
            bold: self.bold,
        }
    }

    fn reset(&mut self) {
        self.align = Align::Left;
        self.bold = false;
        self.size = (1, 1);
        self.spacing = self.default_spacing;
        self.bar_height = 162;
        self.bar_module = 3;
        self.hri = 0;
    }

    /// Put text bytes (already split by the decoder) on the current line.
    pub fn text(&mut self, bytes: &[u8], chinese: bool) {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (c, known) = if chinese && b >= 0x80 && i + 1 < bytes.len() {
                let pair = [b, bytes[i + 1]];
                i += 2;
                let (s, _, bad) = encoding_rs::GB18030.decode(&pair);
                let c = s.chars().next().unwrap_or('□');
                let known =
                    !bad && matches!(self.charset.glyph(c), Glyph::Wide(code) if code == pair);
                (c, known)
            } else {
                i += 1;
                if b < 0x80 {
                    (b as char, true)
                } else {
                    ('?', true)
                }
            };
            let style = self.style();
            let w = font::text_width(if c.is_ascii() { "a" } else { "一" }, style);
            if self.line_x + w > self.width {
                self.flush_line();
            }
            self.line.push(Cell {
                x: self.line_x,
                c,
                style,
                known,
            });
            self.line_x += w;
        }
    }

    fn flush_line(&mut self) {
        let used = self
            .line
            .iter()
            .map(|c| c.x + cell_width(c))
            .max()
            .unwrap_or(0);
        let tallest = self
            .line
            .iter()
            .map(|c| usize::from(c.style.height))
            .max()
            .unwrap_or(1);
        let height = self.spacing.max(CELL_DOTS * tallest);
        self.grow(self.y + height);
        let offset = match self.align {
            Align::Left => 0,
            Align::Center => self.width.saturating_sub(used) / 2,
            Align::Right => self.width.saturating_sub(used),
        };
        let mut text = String::new();
        let mut end = 0;
        for cell in std::mem::take(&mut self.line) {
            let top = self.y + CELL_DOTS * (tallest - usize::from(cell.style.height));
            let x = offset + cell.x;
            if cell.x > end && !text.is_empty() {
                // A jump (ESC $ / ESC \) reads as a space.
                text.push(' ');
            }
            end = cell.x + cell_width(&cell);
            if cell.known {
                font::draw_char(&mut self.bitmap, x, top, cell.c, cell.style);
                text.push(cell.c);
            } else {
                // The printer's font has no glyph for this code: it prints a box.
                font::draw_tofu(&mut self.bitmap, x, top, 2, cell.style);
                text.push('□');
            }
        }
        self.transcript.push(Printed::Text(text));
        self.y = (self.y + height).min(MAX_PAPER_DOTS);
        self.line_x = 0;
    }

    /// Lengthen the paper, up to [`MAX_PAPER_DOTS`] (garbage must not exhaust memory).
    fn grow(&mut self, height: usize) {
        if height > MAX_PAPER_DOTS && !self.too_long {
            self.too_long = true;
            self.warnings.push(format!(
                "job longer than {MAX_PAPER_DOTS} dots: the rest is not drawn"
            ));
        }
        self.bitmap.grow(height.min(MAX_PAPER_DOTS));
    }

    fn feed(&mut self, dots: usize) {
        self.y = (self.y + dots).min(MAX_PAPER_DOTS);
        self.grow(self.y);
    }

    fn place(&mut self, img: &Bitmap) {
        if !self.line.is_empty() {
            self.flush_line();
        }
        let x = match self.align {
            Align::Left => 0,
            Align::Center => self.width.saturating_sub(img.width()) / 2,
            Align::Right => self.width.saturating_sub(img.width()),
        };
        self.grow(self.y + img.height());
        self.bitmap.blit(img, x, self.y);
        self.y = (self.y + img.height()).min(MAX_PAPER_DOTS);
    }

    /// Apply one command (status commands are the emulator's business, not the paper's).
    pub fn apply(&mut self, cmd: &Command, chinese: bool) {
        match cmd {
            Command::Init => {
                if !self.line.is_empty() {
                    self.flush_line();
                }
                self.reset();
            }
            Command::Text(b) => self.text(b, chinese),
            Command::LineFeed => {
                if self.line.is_empty() {
                    self.feed(self.spacing.max(CELL_DOTS));
                } else {
                    self.flush_line();
                }
            }
            Command::FeedLines(n) => {
                let mut n = usize::from(*n);
                if !self.line.is_empty() {
                    self.flush_line();
                    n = n.saturating_sub(1);
                }
                self.feed(n * self.spacing.max(CELL_DOTS));
            }
            Command::FeedDots(n) => {
                if !self.line.is_empty() {
                    self.flush_line();
                }
                self.feed(usize::from(*n));
            }
            Command::Align(a) => self.align = *a,
            Command::Bold(b) => self.bold = *b,
            Command::Size { width, height } => self.size = (*width, *height),
            Command::PrintMode(n) => {
                self.bold = n & 0x08 != 0;
                self.size = (1 + u8::from(n & 0x20 != 0), 1 + u8::from(n & 0x10 != 0));
            }
            Command::LineSpacing(n) => self.spacing = usize::from(*n),
            Command::DefaultLineSpacing => self.spacing = self.default_spacing,
            Command::Font(_) | Command::CodePage(_) | Command::Underline(_) => {}
            Command::ChineseOn | Command::ChineseOff => {}
            Command::Cut { kind, feed } => {
                if !self.line.is_empty() {
                    self.flush_line();
                }
                self.feed(usize::from(feed.unwrap_or(0)));
                self.transcript.push(Printed::Cut(*kind));
            }
            Command::QrModel(m) => {
                if *m != 50 {
                    self.warnings
                        .push(format!("QR model {m} requested; rendered as model 2"));
                }
            }
            Command::QrModuleSize(n) => self.qr_module = usize::from(*n).clamp(1, 16),
            Command::QrErrorCorrection(ec) => self.qr_ec = *ec,
            Command::QrStore(d) => self.qr_data = d.clone(),
            Command::QrPrint => match symbols::qr(&self.qr_data, self.qr_module, self.qr_ec) {
                Ok(img) => {
                    self.place(&img);
                    self.transcript.push(Printed::Qr(
                        String::from_utf8_lossy(&self.qr_data).into_owned(),
                    ));
                }
                Err(e) => self.warnings.push(format!("QR not printed: {e}")),
            },
            Command::BarcodeHeight(n) => self.bar_height = usize::from(*n).max(1),
            Command::BarcodeWidth(n) => self.bar_module = usize::from(*n).clamp(1, 6),
            Command::BarcodeHri(n) => self.hri = *n,
            Command::BarcodeHriFont(_) => {}
            Command::Barcode { system: 73, data } => {
                let hri = self.hri & 0x02 != 0 || self.hri == 50 || self.hri == 51;
                match symbols::code128(data, self.bar_module, self.bar_height, hri) {
                    Ok(img) if img.width() <= self.width => {
                        self.place(&img);
                        if let Ok(sym) = crate::devices::printer::code128::parse_printer_data(data)
                        {
                            self.transcript.push(Printed::Barcode(sym.text));
                        }
                    }
                    Ok(img) => self.warnings.push(format!(
                        "CODE128 of {} dots does not fit {} dots: not printed",
                        img.width(),
                        self.width
                    )),
                    Err(e) => self.warnings.push(format!("CODE128 not printed: {e}")),
                }
            }
            Command::Barcode { system, .. } | Command::BarcodeA { system, .. } => {
                self.warnings.push(format!(
                    "barcode system {system} is not rendered by the emulator"
                ));
            }
            Command::Raster {
                mode,
                width_bytes,
                height,
                data,
            } => {
                let img = Bitmap::from_raster_clipped(
                    usize::from(*width_bytes),
                    usize::from(*height).min(MAX_PAPER_DOTS),
                    data,
                    self.width,
                );
                let img = if *mode == 0 {
                    img
                } else {
                    scale(
                        &img,
                        1 + usize::from(mode & 1),
                        1 + usize::from(mode >> 1 & 1),
                    )
                };
                self.place(&img);
                match self.transcript.last_mut() {
                    // Consecutive bands of one picture count as one image.
                    Some(Printed::Image { width, height }) if *width == img.width() => {
                        *height += img.height()
                    }
                    _ => self.transcript.push(Printed::Image {
                        width: img.width(),
                        height: img.height(),
                    }),
                }
            }
            Command::Present { .. } => self.transcript.push(Printed::Presented),
            Command::AbsolutePosition(n) => self.line_x = usize::from(*n).min(self.width),
            Command::RelativePosition(n) => {
                self.line_x = self
                    .line_x
                    .saturating_add_signed(isize::from(*n))
                    .min(self.width)
            }
            Command::KanjiMode(n) => {
                // Applies to the two-byte characters that follow, like GS ! (Epson: last wins).
                self.size = (1 + u8::from(n & 0x04 != 0), 1 + u8::from(n & 0x08 != 0));
            }
            Command::GraphicsStore {
                bx,
                by,
                width,
                height,
                data,
            } => {
                let img = Bitmap::from_raster_clipped(
                    usize::from(*width).div_ceil(8),
                    usize::from(*height).min(MAX_PAPER_DOTS),
                    data,
                    usize::from(*width).min(self.width),
                );
                self.graphic = Some(if (*bx, *by) == (1, 1) {
                    img
                } else {
                    scale(&img, usize::from(*bx), usize::from(*by))
                });
            }
            Command::GraphicsPrint => match self.graphic.clone() {
                Some(img) => {
                    self.place(&img);
                    self.transcript.push(Printed::Image {
                        width: img.width(),
                        height: img.height(),
                    });
                }
                None => self
                    .warnings
                    .push("GS ( L print without a stored graphic".into()),
            },
            Command::UpsideDown(n) if *n & 1 == 1 => self
                .warnings
                .push("upside-down printing is not rendered".into()),
            Command::CharSpacing(_)
            | Command::UpsideDown(_)
            | Command::LeftMargin(_)
            | Command::PrintAreaWidth(_)
            | Command::Reverse(_)
            | Command::KanjiUnderline(_)
            | Command::KanjiSpacing(..)
            | Command::KanjiCodeSystem(_)
            | Command::Extended { .. } => {}
            Command::StatusRequest(_) | Command::TransmitStatus(_) | Command::AutoStatusBack(_) => {
            }
        }
    }
}

fn cell_width(c: &Cell) -> usize {
    font::text_width(if c.c.is_ascii() { "a" } else { "一" }, c.style)
}

fn scale(img: &Bitmap, sx: usize, sy: usize) -> Bitmap {
    let mut out = Bitmap::new(img.width() * sx, img.height() * sy);
    for y in 0..img.height() {
        for x in 0..img.width() {
            if img.get(x, y) {
                out.fill(x * sx, y * sy, sx, sy);
            }
        }
    }
    out
}

/// Columns a paper of `width` dots holds in font A.
pub fn columns(width: usize) -> usize {
    width / COLUMN_DOTS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::printer::command::decode_all;

    fn paper(cmds: &[Command]) -> (Bitmap, Vec<Printed>) {
        let mut p = Paper::new(576, Charset::Gb18030);
        let mut chinese = true;
        for c in cmds {
            match c {
                Command::ChineseOn => chinese = true,
                Command::ChineseOff => chinese = false,
                _ => {}
            }
            p.apply(c, chinese);
        }
        let (b, t, _) = p.finish();
        (b, t)
    }

    fn ink_columns(b: &Bitmap) -> (usize, usize) {
        let cols: Vec<usize> = (0..b.width())
            .filter(|x| (0..b.height()).any(|y| b.get(*x, y)))
            .collect();
        (
            cols.first().copied().unwrap_or(0),
            cols.last().copied().unwrap_or(0),
        )
    }

    #[test]
    fn alignment_moves_the_line() {
        let text = Command::Text(b"AB".to_vec());
        let (left, _) = paper(&[text.clone(), Command::LineFeed]);
        let (centre, _) = paper(&[
            Command::Align(Align::Center),
            text.clone(),
            Command::LineFeed,
        ]);
        let (right, _) = paper(&[Command::Align(Align::Right), text, Command::LineFeed]);
        assert!(ink_columns(&left).1 < 24);
        let (a, b) = ink_columns(&centre);
        assert!(a >= 264 && b <= 312, "{a}..{b}");
        assert!(ink_columns(&right).0 >= 552);
    }

    #[test]
    fn double_size_doubles_the_cell_and_the_line() {
        let (normal, _) = paper(&[Command::Text(vec![0xBB, 0xD8]), Command::LineFeed]);
        let (big, _) = paper(&[
            Command::Size {
                width: 2,
                height: 2,
            },
            Command::Text(vec![0xBB, 0xD8]),
            Command::LineFeed,
        ]);
        assert_eq!(normal.height(), 30);
        assert_eq!(big.height(), 48);
        assert!(ink_columns(&big).1 > 24 && ink_columns(&normal).1 < 24);
    }

    #[test]
    fn a_long_line_wraps_at_the_paper_edge_like_a_printer() {
        // 25 hanzi at 24 dots do not fit 576 dots: the 25th goes to a second line.
        let mut bytes = Vec::new();
        for _ in 0..25 {
            bytes.extend_from_slice(&[0xBB, 0xD8]);
        }
        let (_, t) = paper(&[Command::Text(bytes), Command::LineFeed]);
        assert_eq!(
            t,
            vec![Printed::Text("回".repeat(24)), Printed::Text("回".into())]
        );
    }

    #[test]
    fn raster_bands_stack_into_one_image_and_scale() {
        let band = Command::Raster {
            mode: 0,
            width_bytes: 2,
            height: 3,
            data: vec![0xFF; 6],
        };
        let (b, t) = paper(&[band.clone(), band]);
        assert_eq!(
            t,
            vec![Printed::Image {
                width: 16,
                height: 6
            }]
        );
        assert_eq!(b.black_dots(), 16 * 6);
        let quad = Command::Raster {
            mode: 3,
            width_bytes: 1,
            height: 1,
            data: vec![0x80],
        };
        let (b, _) = paper(&[quad]);
        assert_eq!(b.black_dots(), 4);
    }

    #[test]
    fn outside_chinese_mode_high_bytes_are_single_byte_code_page() {
        let cmds = decode_all(&[0x1C, 0x2E, 0xBB, 0xD8, 0x0A]).expect("decodes");
        let (_, t) = paper(&cmds);
        assert_eq!(t, vec![Printed::Text("??".into())]);
    }

    #[test]
    fn bad_symbols_are_warnings_not_panics() {
        let mut p = Paper::new(384, Charset::Gb2312);
        p.apply(
            &Command::Barcode {
                system: 73,
                data: b"no selector".to_vec(),
            },
            false,
        );
        p.apply(&Command::QrStore(vec![b'x'; 5000]), false);
        p.apply(&Command::QrPrint, false);
        p.apply(
            &Command::BarcodeA {
                system: 2,
                data: b"123".to_vec(),
            },
            false,
        );
        let (_, t, w) = p.finish();
        assert!(t.is_empty());
        assert_eq!(w.len(), 3, "{w:?}");
    }
}
