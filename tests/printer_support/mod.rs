//! Helpers shared by the printer integration tests: decode what the emulator printed the way a
//! phone or a scanner would (QR with `rqrr`, CODE128 and QR with `zbarimg` from zbar-tools).

#![allow(dead_code)]

use std::process::Command;
use zhengwu_kiosk::devices::printer::bitmap::Bitmap;

/// Every QR code rqrr finds in a bitmap, decoded.
pub fn qr_payloads(b: &Bitmap) -> Vec<String> {
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(b.width(), b.height(), |x, y| b.luma(x, y));
    img.detect_grids()
        .iter()
        .map(|g| {
            g.decode()
                .expect("a QR code that rqrr detects must decode")
                .1
        })
        .collect()
}

/// What zbarimg reads from a bitmap (`TYPE:data` lines), via a real PNG file.
pub fn zbar(b: &Bitmap) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("scan.png");
    let f = std::fs::File::create(&path).expect("create png");
    b.write_png(std::io::BufWriter::new(f)).expect("write png");
    let out = Command::new("zbarimg")
        .arg("-q")
        .arg(&path)
        .output()
        .expect("zbarimg must be installed (zbar-tools, see scripts/deps)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}
