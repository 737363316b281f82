//! Payload classification: what a scanned code is for. Pure and fuzzed (`fuzz/fuzz_targets/
//! scanner_classify.rs`). A payload is data, never an instruction: nothing here opens a URL or
//! acts on the content; it only recognises four kinds.
//!
//! - `receipt`: our receipt code (`receipt_code`), signature verified → case lookup.
//! - `login`: a login code of the county platform's app (`https://{host}/l/{token}` or
//!   `ZWL1:{token}`) → a token the platform verifies; the kiosk trusts nothing in it.
//! - `licence`: an e-licence (电子证照) identifier after GB/T 36904 (`1.2.156.3005.2.…`), bare
//!   or as a query parameter of a link → a material reference for the platform to fetch.
//! - `unknown`: anything else, with its shape (URL host, GS1, numeric, text, binary) for the
//!   log and `kiosk diag scanner`. A receipt-looking code that fails verification is unknown too.
//!
//! Codes we make never contain control characters; one that had some stripped is not accepted
//! as a receipt or login code.

use super::receipt_code::{ReceiptCodec, ReceiptRef};
use super::text::{CleanText, Symbology, TextEncoding, clean};
use crate::privacy::{Sensitive, SensitiveKind};

/// Shortest and longest login token.
pub const LOGIN_TOKEN_LEN: std::ops::RangeInclusive<usize> = 16..=512;
/// Prefix of the short login code.
pub const LOGIN_PREFIX: &str = "ZWL1:";
/// The OID arc of e-licence identifiers (GB/T 36904).
pub const LICENCE_ARC: &str = "1.2.156.3005.2.";
/// Longest e-licence identifier.
pub const MAX_LICENCE: usize = 128;

/// Marker: a login token (a bearer credential until the platform consumes it).
pub enum LoginTokenKind {}
/// Marker: an e-licence identifier (its fields include the holder's code).
pub enum LicenceIdKind {}

impl SensitiveKind for LoginTokenKind {
    const TAG: &'static str = "LoginToken";
    fn mask(raw: &str) -> String {
        let head: String = raw.chars().take(4).collect();
        format!("{head}…({} chars)", raw.chars().count())
    }
}

impl SensitiveKind for LicenceIdKind {
    const TAG: &'static str = "LicenceId";
    fn mask(raw: &str) -> String {
        // Keep the arc and the licence type code; hide the holder and serial fields.
        let mut fields = raw.split('.');
        let kept: Vec<&str> = fields.by_ref().take(6).collect();
        let hidden = fields.count();
        format!("{}{}", kept.join("."), ".***".repeat(hidden))
    }
}

/// A login token. Masked in `Debug`/`Display`, zeroized on drop.
pub type LoginToken = Sensitive<LoginTokenKind>;
/// An e-licence identifier. Masked in `Debug`/`Display`, zeroized on drop.
pub type LicenceId = Sensitive<LicenceIdKind>;

/// Where a login code came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoginForm {
    /// A link on the platform host.
    PlatformLink,
    /// The `ZWL1:` short code.
    ShortCode,
}

/// A login code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginCode {
    /// The token for the platform to verify.
    pub token: LoginToken,
    /// The form it came in.
    pub form: LoginForm,
}

/// An e-licence reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceRef {
    /// The full identifier.
    pub id: LicenceId,
    /// The licence type code (the field after the arc), e.g. `11100000000013338W001`.
    pub type_code: String,
    /// The host of the link it was in, if it came in one.
    pub via_host: Option<String>,
}

/// The shape of a payload that is none of ours.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "shape")]
pub enum Shape {
    /// Nothing left after cleaning.
    Empty,
    /// A link (only its scheme and host are kept).
    Url {
        /// `https`, `http`, `weixin`, …
        scheme: String,
        /// The host, if it has one.
        host: String,
    },
    /// GS1 element string (product, batch, expiry — a medicine box, a parcel).
    Gs1,
    /// Digits only (EAN/UPC, a number).
    Numeric {
        /// Number of digits.
        digits: usize,
    },
    /// Other text.
    Text {
        /// Number of characters.
        chars: usize,
    },
    /// Not text (invalid in UTF-8 and GBK).
    Binary {
        /// Bytes received.
        bytes: usize,
    },
}

/// Why a payload is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnknownReason {
    /// Not any kind the kiosk knows.
    Unrecognised,
    /// Looks like our receipt code but does not verify (damaged, forged, another county).
    ReceiptNotVerified,
    /// Looks like one of our codes but carried control characters.
    ControlCharacters,
    /// Longer than the kiosk reads.
    TooLong,
}

/// A payload that is none of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// What it looks like.
    pub shape: Shape,
    /// Why it was not accepted.
    pub reason: UnknownReason,
}

/// What a code is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// Our receipt → case lookup.
    Receipt(ReceiptRef),
    /// An app login code → identification through the platform.
    Login(LoginCode),
    /// An e-licence → a material reference.
    Licence(LicenceRef),
    /// Anything else → "无法识别的二维码".
    Unknown(Unknown),
}

impl Payload {
    /// `receipt`, `login`, `licence` or `unknown`.
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::Receipt(_) => "receipt",
            Payload::Login(_) => "login",
            Payload::Licence(_) => "licence",
            Payload::Unknown(_) => "unknown",
        }
    }
}

/// A classified scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// What the code is for.
    pub payload: Payload,
    /// The symbology identifier, if the scanner sent one.
    pub symbology: Option<Symbology>,
    /// How the bytes were decoded.
    pub encoding: TextEncoding,
    /// Bytes received.
    pub bytes: usize,
}

impl Scan {
    /// The masked, technician-facing fields (`kind` plus the parsed fields), as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        let mut v = match &self.payload {
            Payload::Receipt(r) => json!({"kind": "receipt", "case": r.case, "kiosk": r.kiosk}),
            Payload::Login(l) => {
                json!({"kind": "login", "form": l.form, "token": l.token.masked()})
            }
            Payload::Licence(l) => json!({
                "kind": "licence",
                "type_code": l.type_code,
                "id": l.id.masked(),
                "via_host": l.via_host,
            }),
            Payload::Unknown(u) => {
                // The shape's fields sit next to `kind`: `shape`, then `host`, `digits`, ….
                let mut v = serde_json::to_value(&u.shape).unwrap_or_else(|_| json!({}));
                v["kind"] = json!("unknown");
                v["reason"] = json!(u.reason);
                v
            }
        };
        v["bytes"] = json!(self.bytes);
        v["encoding"] = json!(self.encoding);
        v["symbology"] = json!(self.symbology.map(Symbology::text));
        v
    }
}

/// Classifies payloads for one platform host and receipt key.
#[derive(Debug, Clone)]
pub struct Classifier {
    receipts: ReceiptCodec,
}

fn token_ok(t: &str) -> bool {
    LOGIN_TOKEN_LEN.contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
}

fn licence_ok(id: &str) -> Option<String> {
    if id.len() > MAX_LICENCE {
        return None;
    }
    let rest = id.strip_prefix(LICENCE_ARC)?;
    let fields: Vec<&str> = rest.split('.').collect();
    let shape_ok = (3..=8).contains(&fields.len())
        && fields
            .iter()
            .all(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_alphanumeric()));
    shape_ok.then(|| fields[0].to_owned())
}

/// `scheme`, host and the rest of a URL-shaped text (`scheme:` then anything).
fn url_parts(text: &str) -> Option<(String, String, &str)> {
    let (scheme, rest) = text.split_once(':')?;
    let scheme_ok = !scheme.is_empty()
        && scheme.len() <= 32
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return None;
    }
    let (host, tail) = match rest.strip_prefix("//") {
        Some(r) => {
            let end = r.find(['/', '?', '#']).unwrap_or(r.len());
            let authority = &r[..end];
            // Drop any user:password@ part; it is never shown.
            let host = authority.rsplit('@').next().unwrap_or_default();
            (host.to_ascii_lowercase(), &r[end..])
        }
        None => (String::new(), rest),
    };
    Some((scheme.to_ascii_lowercase(), host, tail))
}

fn shape_of(clean: &CleanText) -> Shape {
    let text = clean.text.as_str();
    if clean.encoding == TextEncoding::Invalid {
        return Shape::Binary { bytes: clean.bytes };
    }
    if text.is_empty() {
        return Shape::Empty;
    }
    if clean.symbology.is_some_and(Symbology::is_gs1)
        || (clean.group_separators > 0 && text.starts_with(|c: char| c.is_ascii_digit()))
        || text.starts_with("(01)")
    {
        return Shape::Gs1;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return Shape::Numeric { digits: text.len() };
    }
    if let Some((scheme, host, _)) = url_parts(text)
        && (!host.is_empty()
            || text[scheme.len() + 1..].starts_with("//")
            || matches!(scheme.as_str(), "mailto" | "tel" | "sms" | "weixin"))
    {
        // Keep only a host that is a plain, dotted host name; anything else (a token after
        // `wxp://`, say) is not worth logging.
        let host = if super::receipt_code::valid_host(&host) && host.contains('.') {
            host
        } else {
            String::new()
        };
        return Shape::Url { scheme, host };
    }
    Shape::Text {
        chars: text.chars().count(),
    }
}

impl Classifier {
    /// A classifier for receipts of `receipts`' host and key; login links are on the same host.
    pub fn new(receipts: ReceiptCodec) -> Self {
        Self { receipts }
    }

    /// The receipt codec (to make codes with the same host and key).
    pub fn receipts(&self) -> &ReceiptCodec {
        &self.receipts
    }

    /// Classify scanned bytes.
    pub fn classify(&self, raw: &[u8]) -> Scan {
        let clean = clean(raw);
        let payload = self.classify_clean(&clean);
        Scan {
            payload,
            symbology: clean.symbology,
            encoding: clean.encoding,
            bytes: clean.bytes,
        }
    }

    fn classify_clean(&self, clean: &CleanText) -> Payload {
        let unknown = |reason| {
            Payload::Unknown(Unknown {
                shape: shape_of(clean),
                reason,
            })
        };
        if clean.truncated {
            return unknown(UnknownReason::TooLong);
        }
        if clean.encoding == TextEncoding::Invalid {
            return unknown(UnknownReason::Unrecognised);
        }
        let text = clean.text.as_str();
        let dirty = clean.stripped > 0 || clean.group_separators > 0;
        if self.receipts.claims(text) {
            if dirty {
                return unknown(UnknownReason::ControlCharacters);
            }
            return match self.receipts.parse(text) {
                Ok(r) => Payload::Receipt(r),
                Err(_) => unknown(UnknownReason::ReceiptNotVerified),
            };
        }
        if let Some(login) = self.login(text) {
            if dirty {
                return unknown(UnknownReason::ControlCharacters);
            }
            return Payload::Login(login);
        }
        if !dirty && let Some(licence) = licence(text) {
            return Payload::Licence(licence);
        }
        unknown(UnknownReason::Unrecognised)
    }

    fn login(&self, text: &str) -> Option<LoginCode> {
        if let Some(token) = text.strip_prefix(LOGIN_PREFIX) {
            return token_ok(token).then(|| LoginCode {
                token: LoginToken::new(token),
                form: LoginForm::ShortCode,
            });
        }
        let (scheme, host, tail) = url_parts(text)?;
        if scheme != "https" || host != self.receipts.host() {
            return None;
        }
        let token = tail.strip_prefix("/l/")?;
        token_ok(token).then(|| LoginCode {
            token: LoginToken::new(token),
            form: LoginForm::PlatformLink,
        })
    }
}

fn licence(text: &str) -> Option<LicenceRef> {
    if let Some(type_code) = licence_ok(text) {
        return Some(LicenceRef {
            id: LicenceId::new(text),
            type_code,
            via_host: None,
        });
    }
    // A link that carries the identifier as a query value (e-licence apps show these).
    let (scheme, host, tail) = url_parts(text)?;
    if scheme != "https" || host.is_empty() {
        return None;
    }
    let query = tail.split_once('?')?.1.split('#').next()?;
    query.split('&').find_map(|pair| {
        let value = pair.split_once('=')?.1;
        let type_code = licence_ok(value)?;
        Some(LicenceRef {
            id: LicenceId::new(value),
            type_code,
            via_host: Some(host.clone()),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::receipt_code::ReceiptKey;
    use super::*;

    fn classifier() -> Classifier {
        Classifier::new(
            ReceiptCodec::new("zwfw.example.gov.cn", ReceiptKey::demo()).expect("codec"),
        )
    }

    fn kind(raw: &[u8]) -> Payload {
        classifier().classify(raw).payload
    }

    #[test]
    fn our_receipt_in_both_forms() {
        let c = classifier();
        let url = c
            .receipts()
            .make("411523-20261126-000123", "GS-0042")
            .expect("make");
        let scan = c.classify(format!("]Q1{url}\r\n").as_bytes());
        assert_eq!(
            scan.payload,
            Payload::Receipt(ReceiptRef {
                case: "411523-20261126-000123".into(),
                kiosk: "GS-0042".into()
            })
        );
        assert_eq!(scan.symbology.map(|s| s.code), Some('Q'));
        let short = c.receipts().make_short("P1", "K").expect("make");
        assert_eq!(kind(short.as_bytes()).kind(), "receipt");
    }

    #[test]
    fn a_forged_receipt_is_unknown_and_says_why() {
        let c = classifier();
        let url = c.receipts().make("CASE-1", "K").expect("make");
        let forged = url.replace("CASE-1", "CASE-2");
        match kind(forged.as_bytes()) {
            Payload::Unknown(u) => {
                assert_eq!(u.reason, UnknownReason::ReceiptNotVerified);
                assert_eq!(
                    u.shape,
                    Shape::Url {
                        scheme: "https".into(),
                        host: "zwfw.example.gov.cn".into()
                    }
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn control_characters_inside_our_codes_reject_them() {
        let c = classifier();
        let url = c.receipts().make("CASE-1", "K").expect("make");
        let (a, b) = url.split_at(10);
        let dirty = format!("{a}\u{1b}{b}");
        assert!(matches!(
            kind(dirty.as_bytes()),
            Payload::Unknown(Unknown {
                reason: UnknownReason::ControlCharacters,
                ..
            })
        ));
        let login = "ZWL1:abcdefgh\u{7}ijklmnopqrst";
        assert!(matches!(
            kind(login.as_bytes()),
            Payload::Unknown(Unknown {
                reason: UnknownReason::ControlCharacters,
                ..
            })
        ));
    }

    #[test]
    fn login_codes_in_both_forms_and_masked() {
        let token = "eyJhbGciOiJIUzI1NiJ9.c2Vzc2lvbi0xMjM0NTY3OA.Zm9v";
        match kind(format!("https://zwfw.example.gov.cn/l/{token}").as_bytes()) {
            Payload::Login(l) => {
                assert_eq!(l.form, LoginForm::PlatformLink);
                assert_eq!(l.token.expose(), token);
                let dbg = format!("{l:?}");
                assert!(!dbg.contains("c2Vzc2lvbi0xMjM0NTY3OA"), "{dbg}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(kind(format!("ZWL1:{token}").as_bytes()).kind(), "login");
        // Too short, wrong characters, another host, plain http: not a login.
        assert_eq!(kind(b"ZWL1:short").kind(), "unknown");
        assert_eq!(
            kind("ZWL1:abcdefghijklmnop<script>".as_bytes()).kind(),
            "unknown"
        );
        assert_eq!(
            kind(format!("https://evil.example.com/l/{token}").as_bytes()).kind(),
            "unknown"
        );
        assert_eq!(
            kind(format!("http://zwfw.example.gov.cn/l/{token}").as_bytes()).kind(),
            "unknown"
        );
    }

    const LICENCE: &str = "1.2.156.3005.2.11100000000013338W011.11410000MB1234567X.20261126.001.Q";

    #[test]
    fn licences_bare_and_in_links() {
        match kind(LICENCE.as_bytes()) {
            Payload::Licence(l) => {
                assert_eq!(l.type_code, "11100000000013338W011");
                assert_eq!(l.via_host, None);
                assert!(!format!("{l:?}").contains("11410000MB1234567X"));
            }
            other => panic!("{other:?}"),
        }
        let link = format!("https://dzzz.example.gov.cn/verify?v=2&id={LICENCE}#top");
        match kind(link.as_bytes()) {
            Payload::Licence(l) => {
                assert_eq!(l.via_host.as_deref(), Some("dzzz.example.gov.cn"));
                assert_eq!(l.id.expose(), LICENCE);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(kind(b"1.2.156.3005.2.A.B").kind(), "unknown");
        assert_eq!(kind(b"1.2.156.3005.2.A..B.C").kind(), "unknown");
        assert_eq!(kind(b"1.2.156.3005.3.A.B.C").kind(), "unknown");
    }

    #[test]
    fn real_world_shapes_are_unknown_with_their_shape() {
        let cases: &[(&[u8], Shape)] = &[
            (
                b"https://u.wechat.com/EAbCdEfGhIjKlMnOpQr",
                Shape::Url {
                    scheme: "https".into(),
                    host: "u.wechat.com".into(),
                },
            ),
            (
                b"HTTPS://user:pw@Example.COM:8443/pay?amount=1",
                Shape::Url {
                    scheme: "https".into(),
                    host: "example.com:8443".into(),
                },
            ),
            (
                b"WIFI:T:WPA;S:kiosk;P:password;;",
                Shape::Text { chars: 31 },
            ),
            (b"6901234567892", Shape::Numeric { digits: 13 }),
            (b"]C10109501101020917\x1d10ABC", Shape::Gs1),
            (b"(01)09501101020917(17)190508", Shape::Gs1),
            (b"\x1d0109501101020917", Shape::Gs1),
            (b"\r\n\t", Shape::Empty),
            (&[0xC0, 0xFF, 0x00, 0x81, 0x7F], Shape::Binary { bytes: 5 }),
            (b"javascript:alert(1)", Shape::Text { chars: 19 }),
            (
                "weixin://wxpay/bizpayurl?pr=abc".as_bytes(),
                // Only dotted host names are kept.
                Shape::Url {
                    scheme: "weixin".into(),
                    host: String::new(),
                },
            ),
        ];
        for (raw, shape) in cases {
            match kind(raw) {
                Payload::Unknown(u) => assert_eq!(&u.shape, shape, "{raw:?}"),
                other => panic!("{raw:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn long_payloads_are_unknown_too_long() {
        let c = classifier();
        let url = c.receipts().make("CASE-1", "K").expect("make");
        let mut raw = url.into_bytes();
        raw.extend(std::iter::repeat_n(b'#', super::super::text::MAX_PAYLOAD));
        assert!(matches!(
            kind(&raw),
            Payload::Unknown(Unknown {
                reason: UnknownReason::TooLong,
                ..
            })
        ));
    }

    #[test]
    fn gbk_text_is_text() {
        let (gbk, _, _) = encoding_rs::GBK.encode("欢迎光临");
        let scan = classifier().classify(&gbk);
        assert_eq!(scan.encoding, TextEncoding::Gbk);
        assert_eq!(
            scan.payload,
            Payload::Unknown(Unknown {
                shape: Shape::Text { chars: 4 },
                reason: UnknownReason::Unrecognised
            })
        );
    }

    #[test]
    fn json_has_kind_and_masked_fields() {
        let c = classifier();
        let v = c.classify(b"ZWL1:abcdefghijklmnopqrstuvwxyz").to_json();
        assert_eq!(v["kind"], "login");
        assert_eq!(v["token"], "abcd…(26 chars)");
        assert_eq!(v["encoding"], "utf8");
        let v = c.classify(LICENCE.as_bytes()).to_json();
        assert_eq!(v["kind"], "licence");
        assert!(!v.to_string().contains("11410000MB1234567X"));
        let v = c.classify(b"6901234567892").to_json();
        assert_eq!(v["kind"], "unknown");
        assert_eq!(v["shape"], "numeric");
        assert_eq!(v["digits"], 13);
        assert_eq!(v["reason"], "unrecognised");
    }
}
