//! CODE128 in two directions, pure: a text becomes the `GS k 73` data with explicit code-set
//! selectors (`{B` for text, `{C` for digit pairs, notes §3.2), and that data becomes the
//! symbol values and bar pattern that the raster fallback and the emulator draw.

use thiserror::Error;

/// Why a CODE128 payload cannot be encoded or parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Code128Error {
    /// A character outside ASCII 32..=126.
    #[error("CODE128 data may only hold printable ASCII, found {0:?}")]
    BadChar(char),
    /// Empty data.
    #[error("CODE128 data is empty")]
    Empty,
    /// `GS k 73` data without a valid `{A`/`{B`/`{C` selector, or a bad byte for the set.
    #[error("CODE128 printer data is malformed at byte {0}")]
    Malformed(usize),
}

/// Bar/space widths of the 107 symbols (value 0..=105, then STOP with its final bar).
const PATTERNS: [&str; 107] = [
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
    "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
    "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
    "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
    "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
    "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
    "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
    "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
];

const START_A: u8 = 103;
const START_B: u8 = 104;
const START_C: u8 = 105;
const CODE_B: u8 = 100;
const CODE_C: u8 = 99;
const CODE_A: u8 = 101;

/// Build the `GS k 73` data for a text: Code C for runs of ≥ 4 digits (even length), Code B
/// for the rest, each with its explicit selector.
pub fn printer_data(text: &str) -> Result<Vec<u8>, Code128Error> {
    if text.is_empty() {
        return Err(Code128Error::Empty);
    }
    if let Some(c) = text.chars().find(|c| !(' '..='~').contains(c)) {
        return Err(Code128Error::BadChar(c));
    }
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut set = 0u8;
    let mut i = 0;
    while i < b.len() {
        let run = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if run >= 4 {
            let pairs = run / 2;
            if set != b'C' {
                out.extend_from_slice(b"{C");
                set = b'C';
            }
            for p in 0..pairs {
                out.push((b[i + 2 * p] - b'0') * 10 + (b[i + 2 * p + 1] - b'0'));
            }
            i += pairs * 2;
        } else {
            if set != b'B' {
                out.extend_from_slice(b"{B");
                set = b'B';
            }
            if b[i] == b'{' {
                out.extend_from_slice(b"{{");
            } else {
                out.push(b[i]);
            }
            i += 1;
        }
    }
    Ok(out)
}

/// A parsed symbol: its values (start, data, checksum, stop) and the human-readable text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// Symbol values including start, checksum and stop (106).
    pub values: Vec<u8>,
    /// The text a scanner reads.
    pub text: String,
}

/// Parse `GS k 73` data (selectors `{A` `{B` `{C`, `{{` literal) into symbol values.
pub fn parse_printer_data(data: &[u8]) -> Result<Symbol, Code128Error> {
    let mut values = Vec::new();
    let mut text = String::new();
    let mut set = 0u8;
    let mut i = 0;
    while i < data.len() {
        if data[i] == b'{' {
            let sel = *data.get(i + 1).ok_or(Code128Error::Malformed(i))?;
            let switch = match sel {
                b'A' | b'B' | b'C' => Some(sel),
                b'{' => None,
                _ => return Err(Code128Error::Malformed(i)),
            };
            if let Some(s) = switch {
                if set == 0 {
                    values.push(match s {
                        b'A' => START_A,
                        b'B' => START_B,
                        _ => START_C,
                    });
                } else if s != set {
                    values.push(match s {
                        b'A' => CODE_A,
                        b'B' => CODE_B,
                        _ => CODE_C,
                    });
                }
                set = s;
                i += 2;
                continue;
            }
            // "{{" is a literal brace in A/B.
            i += 1;
        }
        let d = data[i];
        match set {
            b'B' if (32..=127).contains(&d) => {
                values.push(d - 32);
                text.push(d as char);
            }
            b'A' if d < 96 => {
                values.push(if d >= 32 { d - 32 } else { d + 64 });
                text.push(d as char);
            }
            b'C' if d <= 99 => {
                values.push(d);
                text.push_str(&format!("{d:02}"));
            }
            _ => return Err(Code128Error::Malformed(i)),
        }
        i += 1;
    }
    if values.len() < 2 {
        return Err(Code128Error::Empty);
    }
    let check = values
        .iter()
        .enumerate()
        .map(|(k, v)| u32::from(*v) * (k as u32).max(1))
        .sum::<u32>()
        % 103;
    values.push(check as u8);
    values.push(106);
    Ok(Symbol { values, text })
}

/// The modules (true = bar) of a symbol, without quiet zones.
pub fn modules(symbol: &Symbol) -> Vec<bool> {
    let mut out = Vec::with_capacity(symbol.values.len() * 11 + 2);
    for v in &symbol.values {
        let pattern = PATTERNS.get(usize::from(*v)).copied().unwrap_or("");
        let mut bar = true;
        for w in pattern.bytes() {
            out.extend(std::iter::repeat_n(bar, usize::from(w - b'0')));
            bar = !bar;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_go_to_code_c_text_to_code_b() {
        // notes §3.2: Code C takes binary digit pairs, "123456" → 0C 22 38.
        assert_eq!(printer_data("No.123456").unwrap(), b"{BNo.{C\x0C\x22\x38");
        assert_eq!(
            printer_data("41152220261126000042").unwrap()[..3],
            [b'{', b'C', 41]
        );
        assert_eq!(printer_data("P-7").unwrap(), b"{BP-7");
        assert_eq!(printer_data("a{b").unwrap(), b"{Ba{{b");
        assert_eq!(printer_data("12345").unwrap(), b"{C\x0C\x22{B5");
        assert_eq!(printer_data("回执"), Err(Code128Error::BadChar('回')));
    }

    #[test]
    fn parse_computes_the_checksum() {
        // "PJJ123C" in Code B: (104 + 48·1 + 42·2 + 42·3 + 17·4 + 18·5 + 19·6 + 35·7) mod 103 = 55.
        let s = parse_printer_data(b"{BPJJ123C").unwrap();
        assert_eq!(s.values[0], START_B);
        assert_eq!(s.values[s.values.len() - 2], 55);
        assert_eq!(s.text, "PJJ123C");
        let s = parse_printer_data(&printer_data("No.123456").unwrap()).unwrap();
        assert_eq!(s.text, "No.123456");
        // 11 modules per symbol, stop is 13.
        assert_eq!(modules(&s).len(), (s.values.len() - 1) * 11 + 13);
        assert!(parse_printer_data(b"{X1").is_err());
        assert!(parse_printer_data(b"{C\xFF").is_err());
    }
}
