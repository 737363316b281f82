//! Which characters a printer's built-in font can print, and their bytes in Chinese mode.
//!
//! Printers read GB18030/GBK/GB2312 two-byte codes after `FS &` (notes §2.1). A GB2312-only font
//! misses common name characters (堃 88D2, 喆 86B4, 昇 954E, 珺 AC42, 镕 E946, 犇 A0C4, notes §2.1),
//! and no printer font has GB18030's four-byte codes, so every character is classified here:
//! printable natively (with its bytes) or needing the raster fallback. Pure: no I/O.

use serde::{Deserialize, Serialize};

/// The Chinese font a printer has, from its profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Charset {
    /// GB18030 two-byte area (the four-byte area is never assumed).
    Gb18030,
    /// GBK (GB18030's two-byte area minus the later additions in FE50–FEA0).
    Gbk,
    /// GB2312 only: rows A1–A9 (symbols) and B0–F7 (6,763 hanzi).
    Gb2312,
    /// No Chinese font (Epson ANK models): everything outside ASCII is rasterised.
    None,
}

/// How one character prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Glyph {
    /// Printable ASCII: one byte, one column (12 dots in font A).
    Ascii(u8),
    /// A two-byte code in Chinese mode: two columns (24 dots).
    Wide([u8; 2]),
    /// Not in the printer's font: must be drawn by the raster fallback.
    Raster,
}

/// Display columns of a character on the printer: 1 for ASCII, 2 for everything else
/// (hanzi, full-width punctuation: every two-byte code is a 24-dot cell).
pub fn columns(c: char) -> usize {
    if c.is_ascii() { 1 } else { 2 }
}

/// Display columns of a string.
pub fn text_columns(s: &str) -> usize {
    s.chars().map(columns).sum()
}

/// Replace characters that must never reach the printer as text: control characters
/// (an applicant's data could otherwise smuggle ESC/POS commands) become a space.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl Charset {
    /// Classify one character for this font. Control characters count as raster (they are
    /// removed by [`sanitize`] before layout).
    pub fn glyph(self, c: char) -> Glyph {
        if c.is_ascii() {
            return if (' '..='~').contains(&c) {
                Glyph::Ascii(c as u8)
            } else {
                Glyph::Raster
            };
        }
        if self == Charset::None {
            return Glyph::Raster;
        }
        let mut buf = [0u8; 4];
        let s = c.encode_utf8(&mut buf);
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(s);
        if unmappable || bytes.len() != 2 {
            return Glyph::Raster;
        }
        let code = [bytes[0], bytes[1]];
        if self.has(code) {
            Glyph::Wide(code)
        } else {
            Glyph::Raster
        }
    }

    /// Whether a two-byte code is in this font.
    fn has(self, [lead, trail]: [u8; 2]) -> bool {
        let user_defined = ((0xAA..=0xAF).contains(&lead) || (0xF8..=0xFE).contains(&lead))
            && trail >= 0xA1
            || (0xA1..=0xA7).contains(&lead) && (0x40..=0xA0).contains(&trail);
        // GB18030 added CJK Extension A characters at FE50–FEA0 after GBK.
        let gb18030_addition = lead == 0xFE && (0x50..=0xA0).contains(&trail);
        match self {
            Charset::None => false,
            Charset::Gb18030 => !user_defined,
            Charset::Gbk => !(user_defined || gb18030_addition),
            Charset::Gb2312 => {
                let row_ok = (0xA1..=0xA9).contains(&lead) || (0xB0..=0xF7).contains(&lead);
                // GBK added vertical forms (A6E0–A6F5) and pinyin letters (A8BB–A8C0) inside
                // GB2312's symbol rows; a GB2312 font has neither.
                let gbk_in_rows = lead == 0xA6 && (0xE0..=0xF5).contains(&trail)
                    || lead == 0xA8 && (0xBB..=0xC0).contains(&trail);
                row_ok
                    && (0xA1..=0xFE).contains(&trail)
                    && !gbk_in_rows
                    && !(lead == 0xD7 && trail > 0xF9)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RARE: [(char, [u8; 2]); 6] = [
        ('堃', [0x88, 0xD2]),
        ('喆', [0x86, 0xB4]),
        ('昇', [0x95, 0x4E]),
        ('珺', [0xAC, 0x42]),
        ('镕', [0xE9, 0x46]),
        ('犇', [0xA0, 0xC4]),
    ];

    #[test]
    fn common_hanzi_have_their_gb_codes_everywhere_but_ank() {
        // notes §1.3: "回执" → BB D8 D6 B4; §2.1: 张 = D5C5.
        for cs in [Charset::Gb18030, Charset::Gbk, Charset::Gb2312] {
            assert_eq!(cs.glyph('回'), Glyph::Wide([0xBB, 0xD8]));
            assert_eq!(cs.glyph('执'), Glyph::Wide([0xD6, 0xB4]));
            assert_eq!(cs.glyph('张'), Glyph::Wide([0xD5, 0xC5]));
        }
        assert_eq!(Charset::None.glyph('张'), Glyph::Raster);
    }

    #[test]
    fn rare_name_characters_are_gbk_but_not_gb2312() {
        // notes §2.1: 堃 88D2, 喆 86B4, 昇 954E, 珺 AC42, 镕 E946, 犇 A0C4.
        for (c, code) in RARE {
            assert_eq!(Charset::Gb18030.glyph(c), Glyph::Wide(code), "{c}");
            assert_eq!(Charset::Gbk.glyph(c), Glyph::Wide(code), "{c}");
            assert_eq!(Charset::Gb2312.glyph(c), Glyph::Raster, "{c}");
        }
    }

    #[test]
    fn four_byte_codes_and_controls_always_raster() {
        // notes §2.1: 𠀀 = 95 32 82 36 (four bytes).
        for cs in [
            Charset::Gb18030,
            Charset::Gbk,
            Charset::Gb2312,
            Charset::None,
        ] {
            assert_eq!(cs.glyph('𠀀'), Glyph::Raster);
            assert_eq!(cs.glyph('\x1b'), Glyph::Raster);
            assert_eq!(cs.glyph('A'), Glyph::Ascii(b'A'));
        }
    }

    #[test]
    fn ext_a_addition_is_gb18030_only() {
        // notes §2.1: 䶮 = FE9F in current GB18030.
        let g = Charset::Gb18030.glyph('䶮');
        if let Glyph::Wide(code) = g {
            assert_eq!(code[0], 0xFE);
            assert_eq!(Charset::Gbk.glyph('䶮'), Glyph::Raster);
        }
        assert_eq!(Charset::Gb2312.glyph('䶮'), Glyph::Raster);
    }

    #[test]
    fn widths_count_columns_not_bytes() {
        assert_eq!(text_columns("No.12 回执"), 10);
        assert_eq!(sanitize("a\x1b@b"), "a @b");
    }
}
