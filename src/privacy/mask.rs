//! Pure masking rules for personal data, shared by logs, `Debug`, the screen and the receipt.
//!
//! The rules follow common practice for Chinese government services (GB/T 35273 "de-identified
//! display"): an ID number keeps its first 4 and last 4 characters, a name keeps its first
//! character, an address keeps the administrative part up to the county (or the first 9
//! characters) and hides the street, village and house number.

/// Mask an identity-document number: the first 4 and last 4 characters stay, the rest become `*`.
/// Numbers of 8 characters or fewer are masked entirely except the last 2, so that short
/// document numbers (passports, permits) do not show most of themselves.
pub fn mask_id_number(raw: &str) -> String {
    let chars: Vec<char> = raw.trim().chars().collect();
    let n = chars.len();
    if n == 0 {
        return String::new();
    }
    if n <= 8 {
        let keep = n.saturating_sub(6).min(2);
        return std::iter::repeat_n('*', n - keep)
            .chain(chars[n - keep..].iter().copied())
            .collect();
    }
    chars[..4]
        .iter()
        .copied()
        .chain(std::iter::repeat_n('*', n - 8))
        .chain(chars[n - 4..].iter().copied())
        .collect()
}

/// Mask a person's name: the first character stays, every other character becomes `*`.
/// Foreign names written in Latin letters keep their first letter only as well
/// (`JOHN SMITH` → `J*********`), spaces included, so that the length gives nothing away
/// beyond what a Chinese name's length does.
pub fn mask_name(raw: &str) -> String {
    let mut chars = raw.trim().chars();
    match chars.next() {
        None => String::new(),
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
    }
}

/// Administrative suffixes after which an address stops being coarse enough to show.
const ADMIN_SUFFIXES: [char; 3] = ['县', '区', '市'];
/// How many characters of an address may be shown at most.
const ADDRESS_KEEP_MAX: usize = 9;

/// Mask an address: keep the administrative prefix up to and including the last
/// county/district/city marker within the first 9 characters (else the first 6 characters),
/// and replace the rest by `***`.
pub fn mask_address(raw: &str) -> String {
    let chars: Vec<char> = raw.trim().chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let window = &chars[..chars.len().min(ADDRESS_KEEP_MAX)];
    let keep = window
        .iter()
        .rposition(|c| ADMIN_SUFFIXES.contains(c))
        .map(|i| i + 1)
        .unwrap_or(chars.len().min(6))
        .min(chars.len().saturating_sub(1));
    let mut out: String = chars[..keep].iter().collect();
    out.push_str("***");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_number_keeps_four_and_four() {
        assert_eq!(mask_id_number("41152219900101123X"), "4115**********123X");
        assert_eq!(mask_id_number(" 411522199001011234 "), "4115**********1234");
        // 15-digit first-generation numbers too.
        assert_eq!(mask_id_number("411522900101123"), "4115*******1123");
    }

    #[test]
    fn short_document_numbers_show_at_most_two() {
        assert_eq!(mask_id_number("H1234567"), "******67");
        assert_eq!(mask_id_number("AB12"), "****");
        assert_eq!(mask_id_number(""), "");
    }

    #[test]
    fn names_keep_the_first_character() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("王"), "王");
        assert_eq!(mask_name("JOHN SMITH"), "J*********");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn addresses_keep_the_county() {
        assert_eq!(
            mask_address("河南省信阳市光山县弦山街道示例村12号"),
            "河南省信阳市光山县***"
        );
        assert_eq!(mask_address("北京市朝阳区示例路1号"), "北京市朝阳区***");
        // No administrative marker in reach: a short prefix only.
        assert_eq!(mask_address("示例村示例组三十五号"), "示例村示例组***");
        assert_eq!(mask_address("甲"), "***");
        assert_eq!(mask_address(""), "");
    }

    #[test]
    fn masked_forms_never_contain_the_hidden_part() {
        let raw = "41152219900101123X";
        let masked = mask_id_number(raw);
        assert!(!masked.contains("19900101"));
        assert_eq!(masked.chars().count(), raw.chars().count());
    }
}
