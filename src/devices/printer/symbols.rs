//! QR codes and CODE128 barcodes as dots: the raster fallback draws them for printers without
//! the native command, and the emulator draws what `GS ( k` / `GS k 73` asked for, with the same
//! modules a printer would print (QR via the `qrcode` crate; CODE128 via [`super::code128`]).

use super::bitmap::Bitmap;
use super::code128;
use super::command::QrEc;
use super::font::{self, Style};
use thiserror::Error;

/// Why a symbol cannot be drawn.
#[derive(Debug, Error)]
pub enum SymbolError {
    /// The QR payload is too long for any version at this error-correction level.
    #[error("QR payload of {0} bytes does not fit in a QR code")]
    QrTooLong(usize),
    /// Bad CODE128 data.
    #[error(transparent)]
    Code128(#[from] code128::Code128Error),
}

/// Quiet zone around a QR code, in modules (notes §3.1: ≥ 4).
pub const QR_QUIET_MODULES: usize = 4;
/// Quiet zone either side of a CODE128 symbol, in modules.
pub const CODE128_QUIET_MODULES: usize = 10;

/// A QR code (model 2) of `data`, `module` dots per module, with its quiet zone.
pub fn qr(data: &[u8], module: usize, ec: QrEc) -> Result<Bitmap, SymbolError> {
    let level = match ec {
        QrEc::L => qrcode::EcLevel::L,
        QrEc::M => qrcode::EcLevel::M,
        QrEc::Q => qrcode::EcLevel::Q,
        QrEc::H => qrcode::EcLevel::H,
    };
    let code = qrcode::QrCode::with_error_correction_level(data, level)
        .map_err(|_| SymbolError::QrTooLong(data.len()))?;
    let n = code.width();
    let colors = code.to_colors();
    let m = module.max(1);
    let side = (n + 2 * QR_QUIET_MODULES) * m;
    let mut b = Bitmap::new(side, side);
    for y in 0..n {
        for x in 0..n {
            if colors[y * n + x] == qrcode::Color::Dark {
                b.fill((x + QR_QUIET_MODULES) * m, (y + QR_QUIET_MODULES) * m, m, m);
            }
        }
    }
    Ok(b)
}

/// Width in modules of a CODE128 symbol for `GS k 73` data, quiet zones included.
pub fn code128_modules(printer_data: &[u8]) -> Result<usize, SymbolError> {
    let sym = code128::parse_printer_data(printer_data)?;
    Ok(code128::modules(&sym).len() + 2 * CODE128_QUIET_MODULES)
}

/// A CODE128 symbol from `GS k 73` data: bars `module` dots wide and `height` tall, quiet
/// zones included, and the human-readable text below when `hri` is set.
pub fn code128(
    printer_data: &[u8],
    module: usize,
    height: usize,
    hri: bool,
) -> Result<Bitmap, SymbolError> {
    let sym = code128::parse_printer_data(printer_data)?;
    let mods = code128::modules(&sym);
    let m = module.max(1);
    let width = (mods.len() + 2 * CODE128_QUIET_MODULES) * m;
    let text_h = if hri { font::CELL_DOTS + 4 } else { 0 };
    let mut b = Bitmap::new(width, height + text_h);
    for (i, bar) in mods.iter().enumerate() {
        if *bar {
            b.fill((i + CODE128_QUIET_MODULES) * m, 0, m, height);
        }
    }
    if hri {
        let style = Style::default();
        let w = font::text_width(&sym.text, style);
        font::draw_text(
            &mut b,
            width.saturating_sub(w) / 2,
            height + 4,
            &sym.text,
            style,
        );
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_modules_scale_and_keep_the_quiet_zone() {
        let b = qr(b"https://example.invalid/t/1", 4, QrEc::M).unwrap();
        // 27 bytes at EC M need version 3 (29 modules; version 2-M holds 26); plus 2 × 4 quiet.
        assert_eq!(b.width(), (29 + 8) * 4);
        assert!(!b.get(15, 15));
        assert!(b.get(16, 16)); // finder pattern corner
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(b.width(), b.height(), |x, y| b.luma(x, y));
        let grid = img.detect_grids();
        assert_eq!(grid.len(), 1);
        assert_eq!(grid[0].decode().unwrap().1, "https://example.invalid/t/1");
    }

    #[test]
    fn code128_width_matches_its_modules() {
        let data = code128::printer_data("20261126").unwrap();
        let w = code128_modules(&data).unwrap();
        // start + 4 Code C pairs + check = 6 symbols × 11, stop 13, quiet 20.
        assert_eq!(w, 6 * 11 + 13 + 20);
        let b = code128(&data, 2, 40, false).unwrap();
        assert_eq!(b.width(), w * 2);
        assert!(b.get(20, 0) && b.get(21, 39)); // first bar of START C is 2 modules wide
        assert!(!b.get(19, 0));
    }
}
