//! Glyphs for the raster fallback and the emulator, from the CJK font the UI ships
//! (`ui/fonts/DroidSansFallbackFull.ttf`, Apache-2.0, embedded) and, for ASCII, which that font
//! lacks, Roboto Medium (`fonts/Roboto-Medium.ttf`, Apache-2.0, embedded). Cells follow the printer's
//! font A: 12×24 dots for ASCII, 24×24 for everything else (notes §2.1), so a rasterised line
//! lines up with natively printed ones.

use super::bitmap::Bitmap;
use super::charset::columns;
use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use std::sync::OnceLock;

static CJK_BYTES: &[u8] = include_bytes!("../../../ui/fonts/DroidSansFallbackFull.ttf");
static LATIN_BYTES: &[u8] = include_bytes!("fonts/Roboto-Medium.ttf");

/// Width of one column (an ASCII cell) in dots.
pub const COLUMN_DOTS: usize = 12;
/// Height of a character cell in dots.
pub const CELL_DOTS: usize = 24;

fn cjk() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(CJK_BYTES).ok())
        .as_ref()
}

fn latin() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(LATIN_BYTES).ok())
        .as_ref()
}

/// The font that draws `c`, with its horizontal and vertical size for a 1× cell.
fn font_for(c: char) -> Option<(&'static FontRef<'static>, f32, f32)> {
    let (font, sx, sy) = if c.is_ascii() {
        // Roboto is proportional: squeeze it so that W and M fit the 12-dot cell of font A.
        (latin()?, 14.0, 23.0)
    } else {
        (cjk()?, 23.0, 23.0)
    };
    (font.glyph_id(c).0 != 0).then_some((font, sx, sy))
}

/// Whether the embedded fonts have a glyph for `c`.
pub fn has_glyph(c: char) -> bool {
    font_for(c).is_some()
}

/// Style of drawn text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Width multiplier (1..=8).
    pub width: u8,
    /// Height multiplier (1..=8).
    pub height: u8,
    /// Emphasised: drawn twice, one dot apart.
    pub bold: bool,
}

impl Default for Style {
    fn default() -> Self {
        Self {
            width: 1,
            height: 1,
            bold: false,
        }
    }
}

/// Dots a string takes in a style.
pub fn text_width(text: &str, style: Style) -> usize {
    text.chars().map(columns).sum::<usize>() * COLUMN_DOTS * usize::from(style.width.max(1))
}

/// Draw one character into its cell with the top-left at (x, y); returns the cell width.
/// A character the font lacks is drawn as an empty box (the printer's "tofu").
pub fn draw_char(target: &mut Bitmap, x: usize, y: usize, c: char, style: Style) -> usize {
    let (sw, sh) = (
        usize::from(style.width.max(1)),
        usize::from(style.height.max(1)),
    );
    let cell_w = columns(c) * COLUMN_DOTS * sw;
    let cell_h = CELL_DOTS * sh;
    if c == ' ' {
        return cell_w;
    }
    let Some((font, px_x, px_y)) = font_for(c) else {
        return draw_tofu(target, x, y, columns(c), style);
    };
    let scale = PxScale {
        x: px_x * sw as f32,
        y: px_y * sh as f32,
    };
    let scaled = font.as_scaled(scale);
    let baseline = y as f32 + (CELL_DOTS as f32 * sh as f32) * 0.86;
    let advance = scaled.h_advance(font.glyph_id(c));
    let left = x as f32 + ((cell_w as f32 - advance) / 2.0).max(0.0);
    let glyph = font
        .glyph_id(c)
        .with_scale_and_position(scale, ab_glyph::point(left, baseline));
    if let Some(outline) = font.outline_glyph(glyph) {
        let bounds = outline.px_bounds();
        let (ox, oy) = (bounds.min.x.floor(), bounds.min.y.floor());
        let mut plot = |gx: u32, gy: u32, cov: f32| {
            if cov >= 0.45 {
                let px = ox + gx as f32;
                let py = oy + gy as f32;
                if px >= x as f32 && py >= y as f32 {
                    let (px, py) = (px as usize, py as usize);
                    if px < x + cell_w && py < y + cell_h {
                        target.set(px, py);
                        if style.bold && px + 1 < x + cell_w {
                            target.set(px + 1, py);
                        }
                    }
                }
            }
        };
        outline.draw(&mut plot);
    }
    cell_w
}

/// Draw the printer's "tofu", an outlined box `cols` columns wide, for a code its font lacks;
/// returns the cell width.
pub fn draw_tofu(target: &mut Bitmap, x: usize, y: usize, cols: usize, style: Style) -> usize {
    let (sw, sh) = (
        usize::from(style.width.max(1)),
        usize::from(style.height.max(1)),
    );
    let cell_w = cols * COLUMN_DOTS * sw;
    let (bx, by) = (x + 2 * sw, y + 3 * sh);
    let (bw, bh) = (
        cell_w.saturating_sub(4 * sw),
        (CELL_DOTS * sh).saturating_sub(6 * sh),
    );
    target.fill(bx, by, bw, 1);
    target.fill(bx, by + bh.saturating_sub(1), bw, 1);
    target.fill(bx, by, 1, bh);
    target.fill(bx + bw.saturating_sub(1), by, 1, bh);
    cell_w
}

/// Draw a string from (x, y); returns the x after the last cell.
pub fn draw_text(target: &mut Bitmap, mut x: usize, y: usize, text: &str, style: Style) -> usize {
    for c in text.chars() {
        x += draw_char(target, x, y, c, style);
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_has_the_rare_name_characters_and_ascii() {
        for c in "堃喆昇珺镕犇回执Aa0:-".chars() {
            assert!(has_glyph(c), "{c}");
        }
    }

    #[test]
    fn drawn_glyphs_stay_in_their_cells() {
        let mut b = Bitmap::new(200, 60);
        let end = draw_text(&mut b, 10, 10, "堃A", Style::default());
        assert_eq!(end, 10 + 24 + 12);
        assert!(b.black_dots() > 40);
        for y in 0..60 {
            for x in 0..200 {
                if b.get(x, y) {
                    assert!((10..46).contains(&x) && (10..34).contains(&y), "{x},{y}");
                }
            }
        }
    }
}
