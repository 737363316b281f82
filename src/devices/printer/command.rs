//! The ESC/POS command table: every command the kiosk sends or the emulator understands, as one
//! enum with an encoder (`encode`) and a decoder (`decode`) over the same byte layouts, so the
//! emulator parses exactly what the encoder writes. Pure byte builders: no I/O, no clock.
//!
//! Byte layouts and citations are in `../shared/notes/escpos.md` (§n below); where the `escpos`
//! crate is wrong (B1 partial cut, B2 DLE EOT, B4 QR model) the bytes here follow the manuals,
//! see `docs/decisions/0003-escpos-encoder.md`.

use thiserror::Error;

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
const FS: u8 = 0x1C;
const DLE: u8 = 0x10;
const EOT: u8 = 0x04;
const LF: u8 = 0x0A;

/// Horizontal alignment (`ESC a n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// n = 0.
    #[default]
    Left,
    /// n = 1.
    Center,
    /// n = 2.
    Right,
}

/// Cut kinds (`GS V`, notes §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutKind {
    /// Full cut.
    Full,
    /// Partial cut (one point left uncut).
    Partial,
}

/// QR error-correction level (`GS ( k` fn 169, notes §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrEc {
    /// 7 % (48).
    L,
    /// 15 % (49).
    M,
    /// 25 % (50).
    Q,
    /// 30 % (51).
    H,
}

impl QrEc {
    fn byte(self) -> u8 {
        match self {
            QrEc::L => 48,
            QrEc::M => 49,
            QrEc::Q => 50,
            QrEc::H => 51,
        }
    }
    fn from_byte(b: u8) -> Option<Self> {
        Some(match b {
            48 | 0 => QrEc::L,
            49 | 1 => QrEc::M,
            50 | 2 => QrEc::Q,
            51 | 3 => QrEc::H,
            _ => return None,
        })
    }
}

/// One ESC/POS command (or a run of printable bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `ESC @` (1B 40): initialise.
    Init,
    /// `FS &` (1C 26): enter Chinese mode (notes §2.1).
    ChineseOn,
    /// `FS .` (1C 2E): leave Chinese mode.
    ChineseOff,
    /// Printable bytes: ASCII, or two-byte GB codes in Chinese mode.
    Text(Vec<u8>),
    /// `LF` (0A): print the line and feed one line.
    LineFeed,
    /// `ESC d n`: print and feed n lines (notes §3.3).
    FeedLines(u8),
    /// `ESC J n`: print and feed n dots.
    FeedDots(u8),
    /// `ESC a n`.
    Align(Align),
    /// `ESC E n`: emphasised (bold) on/off.
    Bold(bool),
    /// `GS ! n`: character size, width and height multipliers 1..=8.
    Size {
        /// Width multiplier.
        width: u8,
        /// Height multiplier.
        height: u8,
    },
    /// `ESC 3 n`: line spacing in dots.
    LineSpacing(u8),
    /// `ESC 2`: default line spacing.
    DefaultLineSpacing,
    /// `ESC M n`: character font (decoded and ignored by the emulator: font A only).
    Font(u8),
    /// `ESC t n`: single-byte code page.
    CodePage(u8),
    /// `ESC ! n`: print mode (bits 3 bold, 4 double height, 5 double width).
    PrintMode(u8),
    /// `ESC - n`: underline.
    Underline(u8),
    /// `GS V m [n]`: cut; `feed` is the n of m = 65/66 (feed to the cutter plus n units).
    Cut {
        /// Full or partial.
        kind: CutKind,
        /// `Some(n)` for the feed-and-cut forms 65/66, `None` for 0/1/48/49.
        feed: Option<u8>,
    },
    /// `GS ( k` fn 165: QR model (49 = 1, 50 = 2).
    QrModel(u8),
    /// `GS ( k` fn 167: module size in dots, 1..=16.
    QrModuleSize(u8),
    /// `GS ( k` fn 169: error-correction level.
    QrErrorCorrection(QrEc),
    /// `GS ( k` fn 180: store data.
    QrStore(Vec<u8>),
    /// `GS ( k` fn 181: print the stored symbol.
    QrPrint,
    /// `GS h n`: barcode height in dots.
    BarcodeHeight(u8),
    /// `GS w n`: barcode module width 1..=6.
    BarcodeWidth(u8),
    /// `GS H n`: HRI position (0 none, 1 above, 2 below, 3 both).
    BarcodeHri(u8),
    /// `GS f n`: HRI font.
    BarcodeHriFont(u8),
    /// `GS k m n d…` function B (m = 65..=73); CODE128 is m = 73 with `{A`/`{B`/`{C` data.
    Barcode {
        /// Symbology m.
        system: u8,
        /// Data bytes.
        data: Vec<u8>,
    },
    /// `GS k m d… NUL` function A (m = 0..=6): decoded, not rendered.
    BarcodeA {
        /// Symbology m.
        system: u8,
        /// Data bytes.
        data: Vec<u8>,
    },
    /// `GS v 0 m xL xH yL yH d…`: raster bit image; `width_bytes` × `height` bytes of data,
    /// MSB = leftmost dot, 1 = black (notes §2.2).
    Raster {
        /// m: 0 normal, 1 double width, 2 double height, 3 quadruple.
        mode: u8,
        /// Width in bytes.
        width_bytes: u16,
        /// Height in dots.
        height: u16,
        /// Row-major bits.
        data: Vec<u8>,
    },
    /// `DLE EOT n` (10 04 n): real-time status request, 3 bytes (notes §4.1; not 4 as the
    /// `escpos` crate sends, B2).
    StatusRequest(u8),
    /// `GS r n`: transmit status after the buffered data (notes §4.2).
    TransmitStatus(u8),
    /// `GS a n`: automatic status back (notes §4.3).
    AutoStatusBack(u8),
    /// `ESC SP n`: right-side character spacing (decoded, not rendered).
    CharSpacing(u8),
    /// `ESC { n`: upside-down printing (decoded, not rendered).
    UpsideDown(u8),
    /// `ESC $ nL nH`: absolute horizontal position in dots.
    AbsolutePosition(u16),
    /// `ESC \ nL nH`: relative horizontal position in dots (signed).
    RelativePosition(i16),
    /// `GS L nL nH`: left margin (decoded, not rendered).
    LeftMargin(u16),
    /// `GS W nL nH`: print area width (decoded, not rendered).
    PrintAreaWidth(u16),
    /// `GS B n`: white/black reverse (decoded, not rendered).
    Reverse(u8),
    /// `FS ! n`: Chinese-character print mode (bit 2 double width, bit 3 double height).
    KanjiMode(u8),
    /// `FS - n`: Chinese-character underline (decoded, not rendered).
    KanjiUnderline(u8),
    /// `FS S n1 n2`: Chinese-character spacing (decoded, not rendered).
    KanjiSpacing(u8, u8),
    /// `FS C n`: Chinese character code system (decoded, not rendered).
    KanjiCodeSystem(u8),
    /// `GS 8 L` / `GS ( L` fn 112: store a raster graphic, `width` dots × `height`, scaled
    /// `bx`×`by` when printed (notes §2.2).
    GraphicsStore {
        /// Horizontal scale (1 or 2).
        bx: u8,
        /// Vertical scale (1 or 2).
        by: u8,
        /// Width in dots.
        width: u16,
        /// Height in dots.
        height: u16,
        /// Rows of ceil(width / 8) bytes, MSB leftmost.
        data: Vec<u8>,
    },
    /// `GS ( L` fn 50: print the stored graphic.
    GraphicsPrint,
    /// A length-prefixed `GS ( x` / `FS ( x` command the emulator does not model (fonts, …):
    /// `prefix` is its three bytes, `body` what follows pL pH.
    Extended {
        /// E.g. `1C 28 41` for `FS ( A`.
        prefix: [u8; 3],
        /// The parameters.
        body: Vec<u8>,
    },
    /// `FS P n b c t`: Custom presenter: present n×5 mm, blink b, 'E' eject / 'R' retract after
    /// t seconds (notes §4.5).
    Present {
        /// Length in 5 mm steps.
        length: u8,
        /// Blink the bezel.
        blink: u8,
        /// b'E' or b'R'.
        action: u8,
        /// Seconds before the action.
        seconds: u8,
    },
}

/// Why bytes could not be decoded as a command.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// The buffer ends inside a command: wait for more bytes.
    #[error("the data ends inside a command (need more bytes)")]
    Incomplete,
    /// A command the table does not know, or parameters out of range.
    #[error("unknown or malformed ESC/POS command {bytes} at byte {offset}")]
    Unknown {
        /// Offset of the command's first byte in the stream.
        offset: usize,
        /// Up to four bytes in hex, for the technician.
        bytes: String,
        /// How many bytes a printer would skip (the command byte and what it takes as
        /// its parameter).
        skip: usize,
    },
}

/// QR data capacity of `GS ( k` fn 180 (notes §3.1: 4 ≤ pL + 256·pH ≤ 7092).
pub const QR_MAX_DATA: usize = 7089;

impl Command {
    /// The bytes of this command. Panic-free for every value: out-of-range parameters are
    /// clamped to the ranges the notes give.
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Command::Init => out.extend_from_slice(&[ESC, b'@']),
            Command::ChineseOn => out.extend_from_slice(&[FS, b'&']),
            Command::ChineseOff => out.extend_from_slice(&[FS, b'.']),
            Command::Text(b) => out.extend_from_slice(b),
            Command::LineFeed => out.push(LF),
            Command::FeedLines(n) => out.extend_from_slice(&[ESC, b'd', *n]),
            Command::FeedDots(n) => out.extend_from_slice(&[ESC, b'J', *n]),
            Command::Align(a) => out.extend_from_slice(&[ESC, b'a', *a as u8]),
            Command::Bold(on) => out.extend_from_slice(&[ESC, b'E', u8::from(*on)]),
            Command::Size { width, height } => {
                let w = width.clamp(&1, &8) - 1;
                let h = height.clamp(&1, &8) - 1;
                out.extend_from_slice(&[GS, b'!', (w << 4) | h]);
            }
            Command::LineSpacing(n) => out.extend_from_slice(&[ESC, b'3', *n]),
            Command::DefaultLineSpacing => out.extend_from_slice(&[ESC, b'2']),
            Command::Font(n) => out.extend_from_slice(&[ESC, b'M', *n]),
            Command::CodePage(n) => out.extend_from_slice(&[ESC, b't', *n]),
            Command::PrintMode(n) => out.extend_from_slice(&[ESC, b'!', *n]),
            Command::Underline(n) => out.extend_from_slice(&[ESC, b'-', *n]),
            Command::Cut { kind, feed } => match (kind, feed) {
                (CutKind::Full, None) => out.extend_from_slice(&[GS, b'V', 0]),
                (CutKind::Partial, None) => out.extend_from_slice(&[GS, b'V', 1]),
                (CutKind::Full, Some(n)) => out.extend_from_slice(&[GS, b'V', 65, *n]),
                (CutKind::Partial, Some(n)) => out.extend_from_slice(&[GS, b'V', 66, *n]),
            },
            Command::QrModel(m) => qr(out, 65, &[*m, 0]),
            Command::QrModuleSize(n) => qr(out, 67, &[(*n).clamp(1, 16)]),
            Command::QrErrorCorrection(ec) => qr(out, 69, &[ec.byte()]),
            Command::QrStore(data) => {
                let data = &data[..data.len().min(QR_MAX_DATA)];
                let mut p = Vec::with_capacity(data.len() + 1);
                p.push(48);
                p.extend_from_slice(data);
                qr(out, 80, &p);
            }
            Command::QrPrint => qr(out, 81, &[48]),
            Command::BarcodeHeight(n) => out.extend_from_slice(&[GS, b'h', *n]),
            Command::BarcodeWidth(n) => out.extend_from_slice(&[GS, b'w', *n]),
            Command::BarcodeHri(n) => out.extend_from_slice(&[GS, b'H', *n]),
            Command::BarcodeHriFont(n) => out.extend_from_slice(&[GS, b'f', *n]),
            Command::Barcode { system, data } => {
                let data = &data[..data.len().min(255)];
                out.extend_from_slice(&[GS, b'k', *system, data.len() as u8]);
                out.extend_from_slice(data);
            }
            Command::BarcodeA { system, data } => {
                out.extend_from_slice(&[GS, b'k', *system]);
                out.extend(data.iter().copied().filter(|b| *b != 0));
                out.push(0);
            }
            Command::Raster {
                mode,
                width_bytes,
                height,
                data,
            } => {
                let [xl, xh] = width_bytes.to_le_bytes();
                let [yl, yh] = height.to_le_bytes();
                out.extend_from_slice(&[GS, b'v', b'0', *mode, xl, xh, yl, yh]);
                let k = usize::from(*width_bytes) * usize::from(*height);
                out.extend_from_slice(&data[..k.min(data.len())]);
                // Never let a short buffer shift the stream (notes §2.2, PR #9): pad with white.
                out.extend(std::iter::repeat_n(0, k.saturating_sub(data.len())));
            }
            Command::StatusRequest(n) => out.extend_from_slice(&[DLE, EOT, *n]),
            Command::TransmitStatus(n) => out.extend_from_slice(&[GS, b'r', *n]),
            Command::AutoStatusBack(n) => out.extend_from_slice(&[GS, b'a', *n]),
            Command::Present {
                length,
                blink,
                action,
                seconds,
            } => out.extend_from_slice(&[FS, b'P', *length, *blink, *action, *seconds]),
            Command::CharSpacing(n) => out.extend_from_slice(&[ESC, b' ', *n]),
            Command::UpsideDown(n) => out.extend_from_slice(&[ESC, b'{', *n]),
            Command::AbsolutePosition(n) => {
                out.extend_from_slice(&[ESC, b'$']);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Command::RelativePosition(n) => {
                out.extend_from_slice(&[ESC, b'\\']);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Command::LeftMargin(n) => {
                out.extend_from_slice(&[GS, b'L']);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Command::PrintAreaWidth(n) => {
                out.extend_from_slice(&[GS, b'W']);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Command::Reverse(n) => out.extend_from_slice(&[GS, b'B', *n]),
            Command::KanjiMode(n) => out.extend_from_slice(&[FS, b'!', *n]),
            Command::KanjiUnderline(n) => out.extend_from_slice(&[FS, b'-', *n]),
            Command::KanjiSpacing(a, b) => out.extend_from_slice(&[FS, b'S', *a, *b]),
            Command::KanjiCodeSystem(n) => out.extend_from_slice(&[FS, b'C', *n]),
            Command::GraphicsStore {
                bx,
                by,
                width,
                height,
                data,
            } => {
                // GS 8 L p1 p2 p3 p4 m=48 fn=112 a=48 bx by c=49 xL xH yL yH d… (4-byte length).
                let k = usize::from(*width).div_ceil(8) * usize::from(*height);
                let p = (10 + k) as u32;
                out.extend_from_slice(&[GS, b'8', b'L']);
                out.extend_from_slice(&p.to_le_bytes());
                out.extend_from_slice(&[48, 112, 48, *bx, *by, 49]);
                out.extend_from_slice(&width.to_le_bytes());
                out.extend_from_slice(&height.to_le_bytes());
                out.extend_from_slice(&data[..k.min(data.len())]);
                out.extend(std::iter::repeat_n(0, k.saturating_sub(data.len())));
            }
            Command::GraphicsPrint => out.extend_from_slice(&[GS, b'(', b'L', 2, 0, 48, 50]),
            Command::Extended { prefix, body } => {
                out.extend_from_slice(prefix);
                if prefix[1] == b'8' {
                    // GS 8 L: a 4-byte length.
                    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
                    out.extend_from_slice(body);
                } else {
                    out.extend_from_slice(&(body.len().min(65535) as u16).to_le_bytes());
                    out.extend_from_slice(&body[..body.len().min(65535)]);
                }
            }
        }
    }

    /// The bytes of this command as a new vector.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.encode(&mut v);
        v
    }

    /// Decode one command at the start of `buf`; returns it and how many bytes it used.
    /// `chinese` says whether Chinese mode is on (then bytes ≥ 0x80 pair up into GB codes).
    /// `offset` is only used in error messages.
    pub fn decode(
        buf: &[u8],
        chinese: bool,
        offset: usize,
    ) -> Result<(Command, usize), DecodeError> {
        let unknown = |len: usize| DecodeError::Unknown {
            offset,
            bytes: buf[..len.min(buf.len()).max(1)]
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect::<Vec<_>>()
                .join(" "),
            skip: len.min(buf.len()).max(1),
        };
        let need = |n: usize| {
            if buf.len() < n {
                Err(DecodeError::Incomplete)
            } else {
                Ok(())
            }
        };
        let Some(&first) = buf.first() else {
            return Err(DecodeError::Incomplete);
        };
        match first {
            LF => Ok((Command::LineFeed, 1)),
            b'\r' => Ok((Command::Text(Vec::new()), 1)),
            ESC => {
                need(2)?;
                let one = |c: Command| Ok((c, 2));
                let arg = |f: fn(u8) -> Command| -> Result<(Command, usize), DecodeError> {
                    need(3)?;
                    Ok((f(buf[2]), 3))
                };
                match buf[1] {
                    b'@' => one(Command::Init),
                    b'2' => one(Command::DefaultLineSpacing),
                    b'd' => arg(Command::FeedLines),
                    b'J' => arg(Command::FeedDots),
                    b'E' => arg(|n| Command::Bold(n & 1 == 1)),
                    b'3' => arg(Command::LineSpacing),
                    b'M' => arg(Command::Font),
                    b't' => arg(Command::CodePage),
                    b'!' => arg(Command::PrintMode),
                    b'-' => arg(Command::Underline),
                    b' ' => arg(Command::CharSpacing),
                    b'{' => arg(Command::UpsideDown),
                    b'$' | b'\\' => {
                        need(4)?;
                        let v = u16::from_le_bytes([buf[2], buf[3]]);
                        let c = if buf[1] == b'$' {
                            Command::AbsolutePosition(v)
                        } else {
                            Command::RelativePosition(v as i16)
                        };
                        Ok((c, 4))
                    }
                    b'a' => {
                        need(3)?;
                        let a = match buf[2] {
                            0 | 48 => Align::Left,
                            1 | 49 => Align::Center,
                            2 | 50 => Align::Right,
                            _ => return Err(unknown(3)),
                        };
                        Ok((Command::Align(a), 3))
                    }
                    // Obsolete cut aliases (notes §3.3, Epson TM-T81): ESC i / ESC m = partial.
                    b'i' | b'm' => one(Command::Cut {
                        kind: CutKind::Partial,
                        feed: None,
                    }),
                    _ => Err(unknown(2)),
                }
            }
            FS => {
                need(2)?;
                match buf[1] {
                    b'&' => Ok((Command::ChineseOn, 2)),
                    b'!' | b'-' | b'C' => {
                        need(3)?;
                        let n = buf[2];
                        let c = match buf[1] {
                            b'!' => Command::KanjiMode(n),
                            b'-' => Command::KanjiUnderline(n),
                            _ => Command::KanjiCodeSystem(n),
                        };
                        Ok((c, 3))
                    }
                    b'S' => {
                        need(4)?;
                        Ok((Command::KanjiSpacing(buf[2], buf[3]), 4))
                    }
                    b'(' => {
                        need(5)?;
                        let p = usize::from(u16::from_le_bytes([buf[3], buf[4]]));
                        need(5 + p)?;
                        Ok((
                            Command::Extended {
                                prefix: [FS, b'(', buf[2]],
                                body: buf[5..5 + p].to_vec(),
                            },
                            5 + p,
                        ))
                    }
                    b'.' => Ok((Command::ChineseOff, 2)),
                    b'P' => {
                        need(6)?;
                        Ok((
                            Command::Present {
                                length: buf[2],
                                blink: buf[3],
                                action: buf[4],
                                seconds: buf[5],
                            },
                            6,
                        ))
                    }
                    _ => Err(unknown(2)),
                }
            }
            DLE => {
                need(3)?;
                if buf[1] == EOT && ((1..=4).contains(&buf[2]) || buf[2] == 0x14) {
                    Ok((Command::StatusRequest(buf[2]), 3))
                } else {
                    Err(unknown(3))
                }
            }
            GS => {
                need(2)?;
                match buf[1] {
                    b'!' => {
                        need(3)?;
                        let n = buf[2];
                        let (w, h) = ((n >> 4) & 0x07, n & 0x07);
                        Ok((
                            Command::Size {
                                width: w + 1,
                                height: h + 1,
                            },
                            3,
                        ))
                    }
                    b'h' | b'w' | b'H' | b'f' | b'r' | b'a' => {
                        need(3)?;
                        let n = buf[2];
                        let c = match buf[1] {
                            b'h' => Command::BarcodeHeight(n),
                            b'w' => Command::BarcodeWidth(n),
                            b'H' => Command::BarcodeHri(n),
                            b'f' => Command::BarcodeHriFont(n),
                            b'r' => Command::TransmitStatus(n),
                            _ => Command::AutoStatusBack(n),
                        };
                        Ok((c, 3))
                    }
                    b'V' => {
                        need(3)?;
                        match buf[2] {
                            0 | 48 => Ok((
                                Command::Cut {
                                    kind: CutKind::Full,
                                    feed: None,
                                },
                                3,
                            )),
                            1 | 49 => Ok((
                                Command::Cut {
                                    kind: CutKind::Partial,
                                    feed: None,
                                },
                                3,
                            )),
                            65 | 66 => {
                                need(4)?;
                                let kind = if buf[2] == 65 {
                                    CutKind::Full
                                } else {
                                    CutKind::Partial
                                };
                                Ok((
                                    Command::Cut {
                                        kind,
                                        feed: Some(buf[3]),
                                    },
                                    4,
                                ))
                            }
                            _ => Err(unknown(3)),
                        }
                    }
                    b'k' => {
                        need(3)?;
                        let m = buf[2];
                        if m <= 6 {
                            let end = buf[3..]
                                .iter()
                                .position(|b| *b == 0)
                                .ok_or(DecodeError::Incomplete)?;
                            Ok((
                                Command::BarcodeA {
                                    system: m,
                                    data: buf[3..3 + end].to_vec(),
                                },
                                4 + end,
                            ))
                        } else if (65..=73).contains(&m) {
                            need(4)?;
                            let n = usize::from(buf[3]);
                            need(4 + n)?;
                            Ok((
                                Command::Barcode {
                                    system: m,
                                    data: buf[4..4 + n].to_vec(),
                                },
                                4 + n,
                            ))
                        } else {
                            Err(unknown(3))
                        }
                    }
                    b'v' => {
                        need(8)?;
                        if buf[2] != b'0' && buf[2] != 0
                            || buf[3] > 3 && !(48..=51).contains(&buf[3])
                        {
                            return Err(unknown(4));
                        }
                        let width_bytes = u16::from_le_bytes([buf[4], buf[5]]);
                        let height = u16::from_le_bytes([buf[6], buf[7]]);
                        let k = usize::from(width_bytes) * usize::from(height);
                        need(8 + k)?;
                        Ok((
                            Command::Raster {
                                mode: buf[3] & 0x03,
                                width_bytes,
                                height,
                                data: buf[8..8 + k].to_vec(),
                            },
                            8 + k,
                        ))
                    }
                    b'L' | b'W' => {
                        need(4)?;
                        let v = u16::from_le_bytes([buf[2], buf[3]]);
                        let c = if buf[1] == b'L' {
                            Command::LeftMargin(v)
                        } else {
                            Command::PrintAreaWidth(v)
                        };
                        Ok((c, 4))
                    }
                    b'B' => {
                        need(3)?;
                        Ok((Command::Reverse(buf[2]), 3))
                    }
                    b'8' => {
                        // GS 8 L p1 p2 p3 p4: graphics with a 4-byte length.
                        need(7)?;
                        if buf[2] != b'L' {
                            return Err(unknown(3));
                        }
                        let p = u32::from_le_bytes([buf[3], buf[4], buf[5], buf[6]]) as usize;
                        need(7 + p)?;
                        Ok((graphics(&buf[7..7 + p], [GS, b'8', b'L']), 7 + p))
                    }
                    b'(' if buf.len() >= 3 && buf[2] != b'k' => {
                        need(5)?;
                        let p = usize::from(u16::from_le_bytes([buf[3], buf[4]]));
                        need(5 + p)?;
                        let body = &buf[5..5 + p];
                        let c = if buf[2] == b'L' {
                            graphics(body, [GS, b'(', b'L'])
                        } else {
                            Command::Extended {
                                prefix: [GS, b'(', buf[2]],
                                body: body.to_vec(),
                            }
                        };
                        Ok((c, 5 + p))
                    }
                    b'(' => {
                        need(5)?;
                        let p = usize::from(u16::from_le_bytes([buf[3], buf[4]]));
                        need(5 + p)?;
                        let body = &buf[5..5 + p];
                        let total = 5 + p;
                        let unknown_fn = |shown: usize| match unknown(shown) {
                            DecodeError::Unknown { offset, bytes, .. } => DecodeError::Unknown {
                                offset,
                                bytes,
                                skip: total,
                            },
                            other => other,
                        };
                        if body.len() < 2 || body[0] != 49 {
                            return Err(unknown_fn(total.min(8)));
                        }
                        let c = match (body[1], &body[2..]) {
                            (65, [m, _]) => Command::QrModel(*m),
                            (67, [n]) => Command::QrModuleSize(*n),
                            (69, [n]) => Command::QrErrorCorrection(
                                QrEc::from_byte(*n).ok_or_else(|| unknown(8))?,
                            ),
                            (80, [48, data @ ..]) => Command::QrStore(data.to_vec()),
                            (81, [48]) => Command::QrPrint,
                            _ => return Err(unknown_fn(total.min(8))),
                        };
                        Ok((c, total))
                    }
                    _ => Err(unknown(2)),
                }
            }
            b if b >= 0x20 && b != 0x7F => {
                // A run of printable bytes; in Chinese mode, bytes ≥ 0x80 come in pairs.
                let mut i = 0;
                while i < buf.len() {
                    let b = buf[i];
                    if b < 0x20 || b == 0x7F {
                        break;
                    }
                    if chinese && b >= 0x80 {
                        if i + 1 >= buf.len() {
                            if i == 0 {
                                return Err(DecodeError::Incomplete);
                            }
                            break;
                        }
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                Ok((Command::Text(buf[..i].to_vec()), i))
            }
            _ => Err(unknown(1)),
        }
    }
}

/// The body of `GS ( L` / `GS 8 L` (after the length): m=48 fn=112 stores a raster graphic,
/// fn=50 prints it; anything else is kept as an unmodelled extended command.
fn graphics(body: &[u8], prefix: [u8; 3]) -> Command {
    match body {
        [48, 112, 48, bx, by, 49, xl, xh, yl, yh, data @ ..] => {
            let width = u16::from_le_bytes([*xl, *xh]);
            let height = u16::from_le_bytes([*yl, *yh]);
            let k = usize::from(width).div_ceil(8) * usize::from(height);
            if data.len() >= k && (1..=2).contains(bx) && (1..=2).contains(by) {
                return Command::GraphicsStore {
                    bx: *bx,
                    by: *by,
                    width,
                    height,
                    data: data[..k].to_vec(),
                };
            }
            Command::Extended {
                prefix,
                body: body.to_vec(),
            }
        }
        [48, 50] | [48, 2] => Command::GraphicsPrint,
        _ => Command::Extended {
            prefix,
            body: body.to_vec(),
        },
    }
}

/// `GS ( k pL pH cn=49 fn params…` (notes §3.1).
fn qr(out: &mut Vec<u8>, function: u8, params: &[u8]) {
    let len = (params.len() + 2) as u16;
    let [pl, ph] = len.to_le_bytes();
    out.extend_from_slice(&[GS, b'(', b'k', pl, ph, 49, function]);
    out.extend_from_slice(params);
}

/// Encode a list of commands into one byte stream.
pub fn encode_all(commands: &[Command]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in commands {
        c.encode(&mut out);
    }
    out
}

/// Decode a whole stream; the first undecodable command is an error naming its offset.
pub fn decode_all(mut buf: &[u8]) -> Result<Vec<Command>, DecodeError> {
    let mut out = Vec::new();
    let mut chinese = false;
    let mut offset = 0;
    while !buf.is_empty() {
        let (c, used) = Command::decode(buf, chinese, offset)?;
        match c {
            Command::ChineseOn => chinese = true,
            Command::ChineseOff => chinese = false,
            Command::Init => chinese = false,
            _ => {}
        }
        out.push(c);
        buf = &buf[used..];
        offset += used;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(c: Command) -> Vec<u8> {
        c.to_bytes()
    }

    #[test]
    fn basic_commands_match_the_manuals() {
        assert_eq!(bytes(Command::Init), [0x1B, 0x40]);
        // notes §2.1: FS & = 1C 26, FS . = 1C 2E.
        assert_eq!(bytes(Command::ChineseOn), [0x1C, 0x26]);
        assert_eq!(bytes(Command::ChineseOff), [0x1C, 0x2E]);
        assert_eq!(bytes(Command::Align(Align::Center)), [0x1B, 0x61, 0x01]);
        assert_eq!(bytes(Command::Bold(true)), [0x1B, 0x45, 0x01]);
        assert_eq!(bytes(Command::Bold(false)), [0x1B, 0x45, 0x00]);
        // GS ! n: bits 4–6 width−1, bits 0–2 height−1.
        assert_eq!(
            bytes(Command::Size {
                width: 2,
                height: 2
            }),
            [0x1D, 0x21, 0x11]
        );
        assert_eq!(
            bytes(Command::Size {
                width: 1,
                height: 3
            }),
            [0x1D, 0x21, 0x02]
        );
        assert_eq!(
            bytes(Command::Size {
                width: 0,
                height: 9
            }),
            [0x1D, 0x21, 0x07]
        );
        // notes §3.3: ESC d n, ESC J n, LF.
        assert_eq!(bytes(Command::FeedLines(3)), [0x1B, 0x64, 0x03]);
        assert_eq!(bytes(Command::FeedDots(24)), [0x1B, 0x4A, 0x18]);
        assert_eq!(bytes(Command::LineFeed), [0x0A]);
        assert_eq!(bytes(Command::LineSpacing(32)), [0x1B, 0x33, 0x20]);
        assert_eq!(bytes(Command::DefaultLineSpacing), [0x1B, 0x32]);
        // Decoded for peers' streams: ESC M n font, ESC t n code page (python-escpos text()
        // sends 1B 74 00, tests/fixtures/printer), ESC ! n print mode, ESC - n underline.
        assert_eq!(bytes(Command::Font(0)), [0x1B, 0x4D, 0x00]);
        assert_eq!(bytes(Command::CodePage(0)), [0x1B, 0x74, 0x00]);
        assert_eq!(bytes(Command::PrintMode(0x08)), [0x1B, 0x21, 0x08]);
        assert_eq!(bytes(Command::Underline(1)), [0x1B, 0x2D, 0x01]);
    }

    #[test]
    fn cuts_follow_epson_not_the_escpos_crate() {
        // notes §3.3 [S20 Epson A794]: 65 = feed + full, 66 = feed + partial; B1: the crate's
        // partial cut sends 65.
        assert_eq!(
            bytes(Command::Cut {
                kind: CutKind::Partial,
                feed: Some(3)
            }),
            [0x1D, 0x56, 0x42, 0x03]
        );
        assert_eq!(
            bytes(Command::Cut {
                kind: CutKind::Full,
                feed: Some(3)
            }),
            [0x1D, 0x56, 0x41, 0x03]
        );
        assert_eq!(
            bytes(Command::Cut {
                kind: CutKind::Full,
                feed: None
            }),
            [0x1D, 0x56, 0x00]
        );
        assert_eq!(
            bytes(Command::Cut {
                kind: CutKind::Partial,
                feed: None
            }),
            [0x1D, 0x56, 0x01]
        );
    }

    #[test]
    fn qr_commands_are_model_2_gs_paren_k() {
        // notes §3.1 [S24 Citizen CT-S280]: fn165 1D 28 6B 04 00 31 41 n1 n2, fn167, fn169,
        // fn180 store (k = pL + 256 pH − 3), fn181 print.
        assert_eq!(
            bytes(Command::QrModel(50)),
            [0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]
        );
        assert_eq!(
            bytes(Command::QrModuleSize(6)),
            [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06]
        );
        assert_eq!(
            bytes(Command::QrModuleSize(40)),
            [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 16]
        );
        assert_eq!(
            bytes(Command::QrErrorCorrection(QrEc::M)),
            [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31]
        );
        assert_eq!(
            bytes(Command::QrStore(b"AB".to_vec())),
            [0x1D, 0x28, 0x6B, 0x05, 0x00, 0x31, 0x50, 0x30, b'A', b'B']
        );
        assert_eq!(
            bytes(Command::QrPrint),
            [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]
        );
        let long = Command::QrStore(vec![b'x'; 300]).to_bytes();
        assert_eq!(&long[3..5], &[0x2F, 0x01]); // 303 = 0x012F
    }

    #[test]
    fn code128_is_function_b_73_with_length() {
        // notes §3.2 [S34 HPRT TP80K]: "No. 123456" = GS k 73 10 7B 42 'N' 'o' '.' 7B 43 0C 22 38.
        let data = vec![0x7B, 0x42, b'N', b'o', b'.', 0x7B, 0x43, 0x0C, 0x22, 0x38];
        assert_eq!(
            bytes(Command::Barcode { system: 73, data }),
            [
                0x1D, 0x6B, 0x49, 0x0A, 0x7B, 0x42, b'N', b'o', b'.', 0x7B, 0x43, 0x0C, 0x22, 0x38
            ]
        );
        assert_eq!(bytes(Command::BarcodeHeight(64)), [0x1D, 0x68, 0x40]);
        assert_eq!(bytes(Command::BarcodeWidth(2)), [0x1D, 0x77, 0x02]);
        assert_eq!(bytes(Command::BarcodeHri(2)), [0x1D, 0x48, 0x02]);
        assert_eq!(bytes(Command::BarcodeHriFont(0)), [0x1D, 0x66, 0x00]);
        // Function A (notes §3.2): GS k m d… NUL; NUL inside the data is dropped.
        assert_eq!(
            bytes(Command::BarcodeA {
                system: 4,
                data: b"A\0B".to_vec()
            }),
            [0x1D, 0x6B, 0x04, b'A', b'B', 0x00]
        );
    }

    #[test]
    fn raster_header_counts_width_in_bytes_and_pads() {
        // notes §2.2: GS v 0 m xL xH yL yH, x in bytes, k = x·y.
        let c = Command::Raster {
            mode: 0,
            width_bytes: 72,
            height: 2,
            data: vec![0xFF; 100],
        };
        let b = c.to_bytes();
        assert_eq!(&b[..8], &[0x1D, 0x76, 0x30, 0x00, 0x48, 0x00, 0x02, 0x00]);
        assert_eq!(b.len(), 8 + 144);
        assert_eq!(b[8 + 99], 0xFF);
        assert_eq!(b[8 + 100], 0x00);
    }

    #[test]
    fn status_commands_are_three_bytes() {
        // notes §4.1: DLE EOT n is 10 04 n (B2: the crate appends 00); §4.2 GS r n; §4.3 GS a n.
        assert_eq!(bytes(Command::StatusRequest(1)), [0x10, 0x04, 0x01]);
        assert_eq!(bytes(Command::StatusRequest(4)), [0x10, 0x04, 0x04]);
        assert_eq!(bytes(Command::TransmitStatus(1)), [0x1D, 0x72, 0x01]);
        assert_eq!(bytes(Command::AutoStatusBack(0x0F)), [0x1D, 0x61, 0x0F]);
        // notes §4.5 [S50]: FS P n b c t.
        assert_eq!(
            bytes(Command::Present {
                length: 6,
                blink: 1,
                action: b'R',
                seconds: 30
            }),
            [0x1C, 0x50, 6, 1, b'R', 30]
        );
    }

    #[test]
    fn every_command_decodes_to_itself() {
        let all = vec![
            Command::Init,
            Command::ChineseOn,
            Command::Text(vec![0xBB, 0xD8, b'A', 0xD6, 0xB4]),
            Command::LineFeed,
            Command::ChineseOff,
            Command::Text(b"hello".to_vec()),
            Command::FeedLines(2),
            Command::FeedDots(9),
            Command::Align(Align::Right),
            Command::Bold(true),
            Command::Size {
                width: 2,
                height: 3,
            },
            Command::LineSpacing(30),
            Command::DefaultLineSpacing,
            Command::Font(1),
            Command::CodePage(0),
            Command::PrintMode(8),
            Command::Underline(1),
            Command::Cut {
                kind: CutKind::Partial,
                feed: Some(0),
            },
            Command::Cut {
                kind: CutKind::Full,
                feed: None,
            },
            Command::QrModel(50),
            Command::QrModuleSize(5),
            Command::QrErrorCorrection(QrEc::Q),
            Command::QrStore(b"https://example.invalid/t/1".to_vec()),
            Command::QrPrint,
            Command::BarcodeHeight(80),
            Command::BarcodeWidth(3),
            Command::BarcodeHri(2),
            Command::BarcodeHriFont(1),
            Command::Barcode {
                system: 73,
                data: b"{B12".to_vec(),
            },
            Command::BarcodeA {
                system: 4,
                data: b"ABC".to_vec(),
            },
            Command::Raster {
                mode: 0,
                width_bytes: 2,
                height: 2,
                data: vec![1, 2, 3, 4],
            },
            Command::StatusRequest(2),
            Command::TransmitStatus(1),
            Command::AutoStatusBack(0),
            Command::Present {
                length: 1,
                blink: 0,
                action: b'E',
                seconds: 0,
            },
            Command::CharSpacing(0),
            Command::UpsideDown(0),
            Command::AbsolutePosition(300),
            Command::RelativePosition(-24),
            Command::LeftMargin(0),
            Command::PrintAreaWidth(576),
            Command::Reverse(0),
            Command::KanjiMode(0x0C),
            Command::KanjiUnderline(0),
            Command::KanjiSpacing(0, 0),
            Command::KanjiCodeSystem(0),
            Command::GraphicsStore {
                bx: 1,
                by: 1,
                width: 10,
                height: 2,
                data: vec![0xFF, 0xC0, 0x80, 0x40],
            },
            Command::GraphicsPrint,
            Command::Extended {
                prefix: [0x1C, 0x28, 0x41],
                body: vec![0x30, 0x00],
            },
            Command::Extended {
                prefix: [0x1D, 0x38, 0x4C],
                body: vec![0x30, 0x45, 0x30],
            },
        ];
        let stream = encode_all(&all);
        assert_eq!(decode_all(&stream), Ok(all));
    }

    #[test]
    fn truncation_and_garbage_are_errors_not_panics() {
        let full = Command::QrStore(b"payload".to_vec()).to_bytes();
        for cut in 1..full.len() {
            assert_eq!(
                Command::decode(&full[..cut], false, 0),
                Err(DecodeError::Incomplete)
            );
        }
        let err = decode_all(&[0x1B, 0x40, 0x1B, 0xFF, 0x00]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown or malformed ESC/POS command 1B FF at byte 2"
        );
        // Every byte sequence of length ≤ 3 decodes or errors without panicking.
        for a in 0..=255u8 {
            for b in [0u8, 0x26, 0x40, 0x56, 0x6B, 0x76, 0x28, 0xFF] {
                let _ = decode_all(&[a, b, 0x04]);
                let _ = Command::decode(&[a, b], true, 0);
            }
        }
    }
}
