//! Citizen identity numbers (GB 11643-1999): the MOD 11-2 check digit, the birth date and the
//! gender parity they carry (`notes/idcard-protocol.md` §7), and the 15-character format of the
//! 2017 foreigner permanent residence number.

use chrono::NaiveDate;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check character for the first 17 digits, if they are 17 ASCII digits.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(CHECK[(sum % 11) as usize])
}

/// Whether an 18-character number has 17 digits and the right MOD 11-2 check character
/// (`x` accepted for `X`).
pub fn is_valid_18(number: &str) -> bool {
    let n = number.trim();
    if n.len() != 18 || !n.is_ascii() {
        return false;
    }
    let (body, last) = n.split_at(17);
    check_char(body).is_some_and(|c| last.eq_ignore_ascii_case(&c.to_string()))
}

/// Whether a number has the 2017 foreigner format: 3 Latin letters + 12 digits.
pub fn is_valid_foreigner_2017(number: &str) -> bool {
    let b = number.trim().as_bytes();
    b.len() == 15
        && b[..3].iter().all(u8::is_ascii_uppercase)
        && b[3..].iter().all(u8::is_ascii_digit)
}

/// The birth date in digits 7–14 of an 18-character number.
pub fn birth_date(number: &str) -> Option<NaiveDate> {
    let n = number.trim();
    if n.len() != 18 || !n.is_ascii() {
        return None;
    }
    NaiveDate::parse_from_str(&n[6..14], "%Y%m%d").ok()
}

/// The gender code (GB/T 2261.1: 1 male, 2 female) implied by digit 17's parity.
pub fn gender_code(number: &str) -> Option<char> {
    let d = number.trim().as_bytes().get(16).copied()?;
    d.is_ascii_digit()
        .then(|| if (d - b'0') % 2 == 1 { '1' } else { '2' })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_examples_are_valid() {
        assert!(is_valid_18("11010519491231002X"));
        assert!(is_valid_18("11010519491231002x"));
        assert!(is_valid_18("440524188001010014"));
        assert_eq!(check_char("11010519491231002"), Some('X'));
    }

    #[test]
    fn one_wrong_digit_is_caught() {
        assert!(!is_valid_18("11010519491231003X"));
        assert!(!is_valid_18("110105194912310021"));
        assert!(!is_valid_18("1101051949123100"));
        assert!(!is_valid_18("11010519491231002Ⅹ"));
        assert!(!is_valid_18(""));
        assert_eq!(check_char("1101051949123100A"), None);
    }

    #[test]
    fn birth_and_gender_come_out_of_the_number() {
        assert_eq!(
            birth_date("11010519491231002X"),
            NaiveDate::from_ymd_opt(1949, 12, 31)
        );
        assert_eq!(birth_date("11010519491331002X"), None);
        assert_eq!(gender_code("11010519491231002X"), Some('2'));
        assert_eq!(gender_code("440524188001010014"), Some('1'));
    }

    #[test]
    fn foreigner_2017_format() {
        assert!(is_valid_foreigner_2017("USA123456789012"));
        assert!(!is_valid_foreigner_2017("US1123456789012"));
        assert!(!is_valid_foreigner_2017("USA12345678901"));
    }
}
