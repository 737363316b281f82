//! `kiosk diag printer`: the technician's checks at installation: ask the printer's status, or
//! print a test page that shows both Chinese paths (native GB codes and raster), the
//! rare-character line (堃 喆 昇 珺 镕 犇), a QR code and a CODE128 barcode, so the profile can be
//! confirmed by eye (notes §7.2).

use super::charset::Charset;
use super::command::Align;
use super::driver::{PrintError, Printed, PrinterDriver, Timeouts};
use super::job::{self, Job};
use super::layout::Block;
use super::profile::{Profile, Render};
use super::status::PrinterCondition;
use crate::devices::DeviceStatus;

/// The payload of the test page's QR code.
pub const TEST_QR: &str = "https://zwfw.example.gov.cn/diag/printer";
/// The test page's barcode.
pub const TEST_BARCODE: &str = "20261126";
/// The rare name characters outside GB2312 (notes §2.1).
pub const RARE_LINE: &str = "生僻字：堃 喆 昇 珺 镕 犇";

fn line(text: impl Into<String>) -> Block {
    Block::Line {
        text: text.into(),
        align: Align::Left,
        bold: false,
        size: 1,
    }
}

/// The test page for a profile.
pub fn test_page(profile: &Profile) -> Result<Job, PrintError> {
    let charset = match profile.text.charset {
        Charset::Gb18030 => "gb18030",
        Charset::Gbk => "gbk",
        Charset::Gb2312 => "gb2312",
        Charset::None => "none (raster)",
    };
    let render = |r: Render| {
        if r == Render::Native {
            "native"
        } else {
            "raster"
        }
    };
    let mut blocks = vec![
        Block::Line {
            text: "打印机自检页".into(),
            align: Align::Center,
            bold: true,
            size: 2,
        },
        Block::Rule,
        line(format!("profile: {}", profile.id)),
        line(format!(
            "paper: {} mm, {} dots, {} columns",
            profile.paper.width_mm,
            profile.paper.dots,
            profile.columns()
        )),
        line(format!("charset: {charset}")),
        line(format!(
            "qr: {}, code128: {}",
            render(profile.qr.mode),
            render(profile.barcode.mode)
        )),
        Block::Rule,
    ];
    if profile.text.charset != Charset::None {
        blocks.push(line("原生中文：政务服务回执 办件编号"));
    }
    blocks.push(Block::RasterLine("光栅中文：政务服务回执 办件编号".into()));
    blocks.push(line(RARE_LINE));
    blocks.push(line("ASCII: 0123456789 ABCDEFGHIJ abcdefghij"));
    blocks.push(Block::Rule);
    blocks.push(Block::Qr(TEST_QR.into()));
    blocks.push(Block::Barcode(TEST_BARCODE.into()));
    blocks.push(Block::Feed(1));
    Ok(job::compose(&blocks, profile)?)
}

/// Ask a printer's status.
pub fn status(
    device: &str,
    profile: Profile,
) -> Result<(PrinterCondition, DeviceStatus), PrintError> {
    let mut d = PrinterDriver::new(device, profile, Timeouts::default());
    let c = d.condition()?;
    Ok((c, c.device_status()))
}

/// Print the test page.
pub fn print_test_page(device: &str, profile: Profile) -> Result<Printed, PrintError> {
    let page = test_page(&profile)?;
    let mut d = PrinterDriver::new(device, profile, Timeouts::default());
    d.print_job(&page)
}
