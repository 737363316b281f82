//! Scanned bytes → clean text. Pure. A payload is data from a stranger: it is bounded in
//! length, decoded as UTF-8 or else GBK/GB18030 (what Chinese scanners and older codes carry),
//! stripped of control and invisible formatting characters (bidi overrides, zero-width), and the
//! AIM symbology identifier (`]Q1`, `]C1`, …) some scanners prefix is taken off and kept.

/// Longest payload the kiosk looks at, in bytes. A QR code holds at most 7089 digits or 2953
/// bytes; anything longer came from a broken or hostile source.
pub const MAX_PAYLOAD: usize = 4096;

/// How the bytes were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    /// Valid UTF-8 (or ASCII).
    Utf8,
    /// Not UTF-8 but valid GBK/GB18030.
    Gbk,
    /// Neither: invalid sequences were replaced (the payload is treated as binary).
    Invalid,
}

/// The AIM symbology identifier the scanner put in front (ISO/IEC 15424): `]` + code + modifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symbology {
    /// Code character: `Q` QR, `C` Code 128, `E` EAN/UPC, `d` Data Matrix, `L` PDF417, …
    pub code: char,
    /// Modifier character.
    pub modifier: char,
}

impl Symbology {
    /// Whether the identifier marks GS1 data (FNC1 in first position).
    pub fn is_gs1(self) -> bool {
        matches!(
            (self.code, self.modifier),
            ('C', '1') | ('d', '2') | ('Q', '3') | ('e', '0') | ('e', '1') | ('e', '2')
        )
    }

    /// The identifier as written, e.g. `]Q1`.
    pub fn text(self) -> String {
        format!("]{}{}", self.code, self.modifier)
    }

    /// A short English name for the symbology.
    pub fn name(self) -> &'static str {
        match self.code {
            'Q' => "QR Code",
            'C' => "Code 128",
            'E' => "EAN/UPC",
            'd' => "Data Matrix",
            'L' => "PDF417",
            'A' => "Code 39",
            'I' => "Interleaved 2 of 5",
            'e' => "GS1 DataBar",
            'z' => "Aztec",
            _ => "other",
        }
    }
}

/// A payload made safe to look at.
#[derive(Clone, PartialEq, Eq)]
pub struct CleanText {
    /// The text: no control or invisible formatting characters, trimmed.
    pub text: String,
    /// The symbology identifier, if the scanner sent one.
    pub symbology: Option<Symbology>,
    /// How the bytes were decoded.
    pub encoding: TextEncoding,
    /// Bytes received (before the bound).
    pub bytes: usize,
    /// The payload was longer than `MAX_PAYLOAD` and was cut.
    pub truncated: bool,
    /// Control or invisible characters removed from inside the text (not counting group
    /// separators and surrounding whitespace).
    pub stripped: usize,
    /// GS (0x1D) group separators seen: GS1 element strings use them as FNC1.
    pub group_separators: usize,
}

impl std::fmt::Debug for CleanText {
    // The text can be anyone's personal data: show only its shape.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CleanText")
            .field("chars", &self.text.chars().count())
            .field("symbology", &self.symbology)
            .field("encoding", &self.encoding)
            .field("bytes", &self.bytes)
            .field("truncated", &self.truncated)
            .field("stripped", &self.stripped)
            .finish_non_exhaustive()
    }
}

/// Characters that change how text looks without being seen: bidi controls, zero-width
/// characters, the byte-order mark, and the like.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

fn aim_prefix(bytes: &[u8]) -> Option<Symbology> {
    match bytes {
        [b']', code, modifier, ..]
            if code.is_ascii_alphabetic() && modifier.is_ascii_alphanumeric() =>
        {
            Some(Symbology {
                code: char::from(*code),
                modifier: char::from(*modifier),
            })
        }
        _ => None,
    }
}

/// Decode, bound and clean scanned bytes.
pub fn clean(raw: &[u8]) -> CleanText {
    let bytes = raw.len();
    let truncated = raw.len() > MAX_PAYLOAD;
    let mut data = &raw[..raw.len().min(MAX_PAYLOAD)];
    let symbology = aim_prefix(data);
    if symbology.is_some() {
        data = &data[3..];
    }
    let (decoded, encoding) = decode(data, truncated);
    let body = decoded.trim_matches(|c: char| c.is_whitespace() || c.is_control() || invisible(c));
    let mut text = String::with_capacity(body.len());
    let mut stripped = 0;
    // Counted over the whole payload: a leading GS is FNC1 in first position.
    let group_separators = decoded.chars().filter(|&c| c == '\u{1D}').count();
    for c in body.chars() {
        if c == '\u{1D}' {
            // A separator, not content.
        } else if c.is_control() || invisible(c) {
            stripped += 1;
        } else {
            text.push(c);
        }
    }
    CleanText {
        text,
        symbology,
        encoding,
        bytes,
        truncated,
        stripped,
        group_separators,
    }
}

fn decode(data: &[u8], truncated: bool) -> (String, TextEncoding) {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    match std::str::from_utf8(data) {
        Ok(s) => return (s.to_owned(), TextEncoding::Utf8),
        // A cut in the middle of a multi-byte character is still UTF-8.
        Err(e) if truncated && e.error_len().is_none() => {
            let s = std::str::from_utf8(&data[..e.valid_up_to()]).unwrap_or_default();
            return (s.to_owned(), TextEncoding::Utf8);
        }
        Err(_) => {}
    }
    if let Some(s) = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(data)
    {
        return (s.into_owned(), TextEncoding::Gbk);
    }
    (
        String::from_utf8_lossy(data).into_owned(),
        TextEncoding::Invalid,
    )
}

/// The text with every character outside printable ASCII and CJK escaped and cut to
/// `max` characters, for a technician's screen (`kiosk diag scanner`).
pub fn preview(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if c.is_ascii_graphic() || c == ' ' || (!c.is_ascii() && c.is_alphanumeric()) {
            out.push(c);
        } else {
            out.push_str(&c.escape_unicode().to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_and_surrounding_whitespace_goes() {
        let t = clean("  扫码办事 ABC\r\n".as_bytes());
        assert_eq!(t.text, "扫码办事 ABC");
        assert_eq!(t.encoding, TextEncoding::Utf8);
        assert_eq!(t.stripped, 0);
        assert!(!t.truncated);
    }

    #[test]
    fn gbk_is_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("光山县政务服务中心");
        let t = clean(&gbk);
        assert_eq!(t.text, "光山县政务服务中心");
        assert_eq!(t.encoding, TextEncoding::Gbk);
    }

    #[test]
    fn invalid_bytes_are_replaced_not_trusted() {
        let t = clean(&[0xFF, 0xFE, 0x80, b'a']);
        assert_eq!(t.encoding, TextEncoding::Invalid);
        assert!(t.text.contains('\u{FFFD}'));
    }

    #[test]
    fn controls_and_invisible_characters_are_stripped_and_counted() {
        let t = clean("ab\u{7}c\u{202E}d\u{200B}e\u{1B}[2Jf".as_bytes());
        assert_eq!(t.text, "abcde[2Jf");
        assert_eq!(t.stripped, 4);
    }

    #[test]
    fn group_separators_are_counted_for_gs1() {
        let t = clean(b"]C101095011010209171719050810ABCD1234\x1d2110");
        assert_eq!(t.symbology.map(Symbology::is_gs1), Some(true));
        assert_eq!(t.group_separators, 1);
        assert_eq!(t.text, "01095011010209171719050810ABCD12342110");
    }

    #[test]
    fn long_payloads_are_bounded_even_mid_character() {
        let mut raw = "码".repeat(MAX_PAYLOAD).into_bytes();
        raw.truncate(MAX_PAYLOAD + 2);
        let t = clean(&raw);
        assert!(t.truncated);
        assert_eq!(t.bytes, MAX_PAYLOAD + 2);
        assert_eq!(t.encoding, TextEncoding::Utf8);
        assert!(t.text.len() <= MAX_PAYLOAD);
        assert!(t.text.chars().all(|c| c == '码'));
    }

    #[test]
    fn debug_does_not_show_the_text() {
        let t = clean("ZWL1:secret-token-value".as_bytes());
        assert!(!format!("{t:?}").contains("secret"));
    }

    #[test]
    fn preview_escapes_and_cuts() {
        assert_eq!(preview("a\u{202E}b", 10), "a\\u{202e}b");
        assert_eq!(preview("abcdef", 3), "abc…");
    }
}
