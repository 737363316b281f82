//! Receipt model → printed lines for a paper width: the 回执's sections in order, long values
//! wrapped by display columns (ASCII 1, CJK 2) with a hanging indent under their label, ASCII
//! words and numbers kept whole when they fit, and no line starting with closing punctuation.
//! Pure: the same receipt and width always give the same lines.

use super::charset::{columns, sanitize};
use super::command::Align;
use super::receipt::{Receipt, ReceiptNumber};

/// One element of a receipt, before the profile decides native or raster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// One physical line (already wrapped to fit).
    Line {
        /// The text.
        text: String,
        /// Alignment.
        align: Align,
        /// Emphasised.
        bold: bool,
        /// Width and height multiplier (1 or 2).
        size: u8,
    },
    /// One line always drawn through the raster path (the diagnostics test page shows both).
    RasterLine(String),
    /// A dashed rule across the paper.
    Rule,
    /// A QR code of this payload, centred.
    Qr(String),
    /// A CODE128 barcode of this text, centred, with its digits below.
    Barcode(String),
    /// Blank lines.
    Feed(u8),
}

impl Block {
    fn line(text: impl Into<String>) -> Self {
        Block::Line {
            text: text.into(),
            align: Align::Left,
            bold: false,
            size: 1,
        }
    }
    fn centred(text: impl Into<String>, bold: bool, size: u8) -> Self {
        Block::Line {
            text: text.into(),
            align: Align::Center,
            bold,
            size,
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Characters that must not begin a line (Chinese line-breaking rules).
fn is_closing(c: char) -> bool {
    "，。、；：？！）》」』】〕’”…,.;:?!)]".contains(c)
}

/// Wrap `text` into lines of at most `width` columns. Breaks between any two CJK characters;
/// keeps an ASCII word whole when it fits on a line; moves one character down rather than
/// start a line with closing punctuation. Control characters become spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = sanitize(text).chars().collect();
    let width = width.max(2);
    let mut lines = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut cols = 0;
        let mut end = start;
        while end < chars.len() && cols + columns(chars[end]) <= width {
            cols += columns(chars[end]);
            end += 1;
        }
        if end < chars.len() {
            if is_word(chars[end]) && is_word(chars[end - 1]) {
                let mut b = end;
                while b > start && is_word(chars[b - 1]) {
                    b -= 1;
                }
                if b > start {
                    end = b;
                }
            } else if is_closing(chars[end]) && end - start > 1 {
                end -= 1;
            }
        }
        lines.push(
            chars[start..end]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_owned(),
        );
        start = end;
        while start < chars.len() && chars[start] == ' ' {
            start += 1;
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// `label` then `value`, the value wrapped under itself (hanging indent).
fn labelled(out: &mut Vec<Block>, label: &str, value: &str, width: usize) {
    let indent = label.chars().map(columns).sum::<usize>().min(width / 2);
    let value_width = width - indent;
    for (i, line) in wrap(value, value_width).into_iter().enumerate() {
        if i == 0 {
            out.push(Block::line(format!("{label}{line}")));
        } else {
            out.push(Block::line(format!("{}{line}", " ".repeat(indent))));
        }
    }
}

/// The receipt as blocks for a paper `width` in columns (48 at 80 mm, 32 at 58 mm).
pub fn layout(r: &Receipt, width: usize) -> Vec<Block> {
    let mut out = Vec::new();
    let title = "办件受理回执";
    let big = if columns_of(title) * 2 <= width { 2 } else { 1 };
    out.push(Block::centred(title, true, big));
    out.push(Block::Rule);
    match &r.number {
        ReceiptNumber::Case(n) => labelled(&mut out, "办件编号：", n, width),
        ReceiptNumber::Pending(n) => {
            labelled(&mut out, "待上传号：", n, width);
            for l in wrap("网络恢复后自动提交，届时将以短信告知正式办件编号。", width)
            {
                out.push(Block::line(l));
            }
        }
    }
    labelled(&mut out, "事项名称：", &r.item_name, width);
    labelled(&mut out, "申 请 人：", &r.applicant.masked(), width);
    if let Some(id) = &r.id_number {
        labelled(&mut out, "证件号码：", &id.masked(), width);
    }
    if let Some(a) = &r.address {
        labelled(&mut out, "住    址：", &a.masked(), width);
    }
    labelled(
        &mut out,
        "提交时间：",
        &r.submitted_at.format("%Y-%m-%d %H:%M").to_string(),
        width,
    );
    let promised = r.promised_by.map_or_else(
        || "即办".to_owned(),
        |d| d.format("%Y年%m月%d日前").to_string(),
    );
    labelled(&mut out, "承诺办结：", &promised, width);
    if !r.materials_to_add.is_empty() {
        out.push(Block::Rule);
        let head = match r.materials_deadline {
            Some(d) => format!("容缺受理：请于{}前补交以下材料：", d.format("%Y年%m月%d日")),
            None => "容缺受理：请补交以下材料：".to_owned(),
        };
        for l in wrap(&head, width) {
            out.push(Block::Line {
                text: l,
                align: Align::Left,
                bold: true,
                size: 1,
            });
        }
        for (i, m) in r.materials_to_add.iter().enumerate() {
            labelled(&mut out, &format!("{}. ", i + 1), m, width);
        }
    }
    out.push(Block::Rule);
    out.push(Block::Qr(r.tracking_url.clone()));
    out.push(Block::centred("微信或浏览器扫码查询办理进度", false, 1));
    out.push(Block::Barcode(r.number.as_str().to_owned()));
    out.push(Block::Rule);
    labelled(&mut out, "终端编号：", &r.kiosk_id, width);
    labelled(&mut out, "服务地点：", &r.site, width);
    labelled(
        &mut out,
        "咨询投诉：",
        &format!("{} 政务服务便民热线", r.hotline),
        width,
    );
    out.push(Block::centred("请妥善保管本回执", false, 1));
    out.push(Block::Feed(1));
    out
}

fn columns_of(s: &str) -> usize {
    s.chars().map(columns).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::printer::charset::text_columns;

    #[test]
    fn wrapped_lines_fit_and_keep_every_character() {
        let text = "城乡居民基本养老保险待遇申领（含丧葬补助金、抚恤金申领）及Pension-2026资格认证，请核对。";
        for width in [2, 3, 7, 16, 22, 31, 32, 48] {
            let lines = wrap(text, width);
            for l in &lines {
                assert!(text_columns(l) <= width, "{width}: {l:?}");
            }
            let joined: String = lines.concat();
            assert_eq!(joined.replace(' ', ""), text.replace(' ', ""), "{width}");
        }
    }

    #[test]
    fn wrap_breaks_between_cjk_and_keeps_words() {
        assert_eq!(wrap("一二三四五", 4), ["一二", "三四", "五"]);
        // A wide char never straddles the edge: 3 columns hold "a一", not "a一" + half.
        assert_eq!(wrap("a一二", 4), ["a一", "二"]);
        assert_eq!(wrap("办理Pension认证", 10), ["办理", "Pension认", "证"]);
        // No line starts with "，".
        assert_eq!(wrap("一二三，四", 6), ["一二", "三，四"]);
    }

    #[test]
    fn the_sample_lays_out_for_both_widths_with_masked_data() {
        let r = Receipt::sample();
        for width in [32, 48] {
            let blocks = layout(&r, width);
            let text: Vec<&str> = blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Line { text, size, .. } => {
                        assert!(text_columns(text) * usize::from(*size) <= width, "{text}");
                        Some(text.as_str())
                    }
                    _ => None,
                })
                .collect();
            let all = text.concat();
            assert!(all.contains("珺**"), "masked name");
            assert!(all.contains("1101**********7777"));
            assert!(!all.contains("110101199003077777"));
            assert!(!all.contains("幸福路"));
            assert!(all.contains("12345"));
            assert!(blocks.contains(&Block::Qr(r.tracking_url.clone())));
            assert!(blocks.contains(&Block::Barcode("41152220261126000042".into())));
        }
    }
}
