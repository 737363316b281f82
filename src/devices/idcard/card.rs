//! The 256-byte card text (`notes/idcard-protocol.md` §6), for all four card types: layouts as
//! tables of (field, offset, length), one table per type, used both to decode a card and (in the
//! simulator) to encode one, so the two cannot disagree. Text is UCS-2 little-endian padded with
//! spaces; only trailing padding is trimmed, so Latin names keep their inner spaces.
//!
//! Decoding never fails: odd content becomes a warning (English, with no personal data in it)
//! and the field is left out.

use super::idnumber;
use super::tables::{gender_label, nation_name};
use crate::privacy::{Address, IdNumber, PersonName};
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// Length of the text block.
pub const TEXT_LEN: usize = 256;
/// Offset of the card-type marker.
pub const TYPE_OFFSET: usize = 248;

/// The four card types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardType {
    /// 居民身份证.
    Resident,
    /// 港澳台居民居住证 (marker `J`).
    HmtPermit,
    /// 外国人永久居留身份证, 2017 (marker `I`).
    Foreigner2017,
    /// 外国人永久居留身份证, 2023 (marker `Y`).
    Foreigner2023,
}

impl CardType {
    /// Every type.
    pub const ALL: [CardType; 4] = [
        CardType::Resident,
        CardType::HmtPermit,
        CardType::Foreigner2017,
        CardType::Foreigner2023,
    ];

    /// The key used in JSON and fixtures.
    pub fn key(self) -> &'static str {
        match self {
            CardType::Resident => "resident",
            CardType::HmtPermit => "hmt_permit",
            CardType::Foreigner2017 => "foreigner_2017",
            CardType::Foreigner2023 => "foreigner_2023",
        }
    }

    /// The type for a key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }

    /// Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            CardType::Resident => "居民身份证",
            CardType::HmtPermit => "港澳台居民居住证",
            CardType::Foreigner2017 => "外国人永久居留身份证（2017版）",
            CardType::Foreigner2023 => "外国人永久居留身份证（2023版）",
        }
    }

    fn marker(self) -> Option<char> {
        match self {
            CardType::Resident => None,
            CardType::HmtPermit => Some('J'),
            CardType::Foreigner2017 => Some('I'),
            CardType::Foreigner2023 => Some('Y'),
        }
    }

    fn layout(self) -> &'static [(Field, usize, usize)] {
        use Field::*;
        match self {
            CardType::Resident => &[
                (Name, 0, 30),
                (Gender, 30, 2),
                (Nation, 32, 4),
                (Birth, 36, 16),
                (Address, 52, 70),
                (IdNumber, 122, 36),
                (Issuer, 158, 30),
                (ValidFrom, 188, 16),
                (ValidTo, 204, 16),
            ],
            CardType::HmtPermit => &[
                (Name, 0, 30),
                (Gender, 30, 2),
                (Birth, 36, 16),
                (Address, 52, 70),
                (IdNumber, 122, 36),
                (Issuer, 158, 30),
                (ValidFrom, 188, 16),
                (ValidTo, 204, 16),
                (PassNumber, 220, 18),
                (IssueCount, 238, 4),
                (Marker, 248, 2),
            ],
            CardType::Foreigner2017 => &[
                (NameEn, 0, 120),
                (Gender, 120, 2),
                (IdNumber, 122, 30),
                (Nationality, 152, 6),
                (Name, 158, 30),
                (ValidFrom, 188, 16),
                (ValidTo, 204, 16),
                (Birth, 220, 16),
                (CardVersion, 236, 4),
                (AuthorityCode, 240, 8),
                (Marker, 248, 2),
            ],
            CardType::Foreigner2023 => &[
                (Name, 0, 30),
                (Gender, 30, 2),
                (RenewalCount, 32, 4),
                (Birth, 36, 16),
                (NameEn, 52, 70),
                (IdNumber, 122, 36),
                (ValidFrom, 188, 16),
                (ValidTo, 204, 16),
                (NameEnMore, 220, 22),
                (Nationality, 242, 6),
                (Marker, 248, 2),
                (PreviousNumberLink, 250, 6),
            ],
        }
    }
}

/// The fields a layout can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Chinese name.
    Name,
    /// English name (2023: characters 1–35).
    NameEn,
    /// English name characters 36–46 (2023 only).
    NameEnMore,
    /// Gender code.
    Gender,
    /// Nation code.
    Nation,
    /// Birth date `YYYYMMDD`.
    Birth,
    /// Address.
    Address,
    /// Identity or permanent-residence number.
    IdNumber,
    /// Issuing authority.
    Issuer,
    /// Valid from `YYYYMMDD`.
    ValidFrom,
    /// Valid to `YYYYMMDD` or 长期.
    ValidTo,
    /// HK/Macao/Taiwan pass number.
    PassNumber,
    /// Issue count of the permit.
    IssueCount,
    /// Nationality code (GB/T 2659, 3 letters).
    Nationality,
    /// Card version (2017).
    CardVersion,
    /// Accepting-authority code (2017).
    AuthorityCode,
    /// Renewal count (2023).
    RenewalCount,
    /// Link to the previous-version number (2023).
    PreviousNumberLink,
    /// Card-type marker.
    Marker,
}

/// End of validity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidTo {
    /// A date.
    Date(NaiveDate),
    /// 长期: no end.
    LongTerm,
}

/// A decoded card. Personal values are `privacy` types: masked in `Debug` and logs.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// Which card.
    pub card_type: CardType,
    /// Chinese name.
    pub name: Option<PersonName>,
    /// English name (foreigner cards).
    pub name_en: Option<PersonName>,
    /// Gender code (GB/T 2261.1).
    pub gender_code: Option<String>,
    /// Nation code (resident cards).
    pub nation_code: Option<String>,
    /// Birth date.
    pub birth_date: Option<NaiveDate>,
    /// Address.
    pub address: Option<Address>,
    /// Identity / permanent-residence number.
    pub id_number: Option<IdNumber>,
    /// Issuing authority.
    pub issuer: Option<String>,
    /// Valid from.
    pub valid_from: Option<NaiveDate>,
    /// Valid to.
    pub valid_to: Option<ValidTo>,
    /// Pass number (HK/Macao/Taiwan permit).
    pub pass_number: Option<IdNumber>,
    /// Issue count (HK/Macao/Taiwan permit).
    pub issue_count: Option<String>,
    /// Nationality code (foreigner cards).
    pub nationality: Option<String>,
    /// Renewal count (2023 foreigner card).
    pub renewal_count: Option<String>,
    /// Whether the number passes its format and check-digit rules.
    pub id_number_valid: bool,
    /// Appended addresses (command 30 03), newest last.
    pub appended_addresses: Vec<Address>,
    /// What looked wrong, in English, without personal data.
    pub warnings: Vec<String>,
}

/// Decode UCS-2LE, replacing unpaired surrogates.
pub fn ucs2(bytes: &[u8]) -> String {
    let units = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Decode a UCS-2LE field and trim trailing padding (spaces and NULs).
pub fn field_text(bytes: &[u8]) -> String {
    ucs2(bytes).trim_end_matches([' ', '\0']).to_string()
}

/// The card type from the marker at offset 248, and whether the marker was unknown.
pub fn card_type_of(text: &[u8; TEXT_LEN]) -> (CardType, Option<char>) {
    let marker = field_text(&text[TYPE_OFFSET..TYPE_OFFSET + 2]);
    match marker.as_str() {
        "J" => (CardType::HmtPermit, None),
        "I" => (CardType::Foreigner2017, None),
        "Y" => (CardType::Foreigner2023, None),
        "" => (CardType::Resident, None),
        other => (CardType::Resident, other.chars().next()),
    }
}

fn parse_date(field: &str, raw: &str, warnings: &mut Vec<String>) -> Option<NaiveDate> {
    if raw.is_empty() {
        return None;
    }
    let d = NaiveDate::parse_from_str(raw, "%Y%m%d").ok();
    if d.is_none() {
        warnings.push(format!("{field} is not a valid YYYYMMDD date"));
    }
    d
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

impl Card {
    /// Decode the 256-byte text block.
    pub fn decode(text: &[u8; TEXT_LEN]) -> Card {
        let (card_type, unknown) = card_type_of(text);
        let mut warnings = Vec::new();
        if let Some(m) = unknown {
            warnings.push(format!(
                "unknown card-type marker U+{:04X} at offset 248; decoded as a resident ID card",
                u32::from(m)
            ));
        }
        let get = |f: Field| -> String {
            let mut s = String::new();
            for (field, off, len) in card_type.layout() {
                if *field == f {
                    s.push_str(&ucs2(&text[*off..*off + *len]));
                }
            }
            s.trim_end_matches([' ', '\0']).to_string()
        };
        let mut name_en = get(Field::NameEn);
        if card_type == CardType::Foreigner2023 {
            // The English name continues in a second field: join the raw halves, then trim.
            let first: String = card_type
                .layout()
                .iter()
                .find(|(f, ..)| *f == Field::NameEn)
                .map(|(_, o, l)| ucs2(&text[*o..*o + *l]))
                .unwrap_or_default();
            name_en = format!("{first}{}", get(Field::NameEnMore))
                .trim_end_matches([' ', '\0'])
                .to_string();
        }
        let id = get(Field::IdNumber);
        let id_number_valid = match card_type {
            CardType::Foreigner2017 => idnumber::is_valid_foreigner_2017(&id),
            _ => idnumber::is_valid_18(&id),
        };
        if !id.is_empty() && !id_number_valid {
            warnings.push("identity number fails its format or check-digit rule".into());
        }
        let gender = get(Field::Gender);
        if !gender.is_empty() && gender_label(&gender).is_none() {
            warnings.push("gender code is not 0, 1, 2 or 9".into());
        }
        let nation = get(Field::Nation);
        if card_type == CardType::Resident && !nation.is_empty() && nation_name(&nation).is_none() {
            warnings.push(format!("unknown nation code {nation}"));
        }
        let birth = parse_date("birth date", &get(Field::Birth), &mut warnings);
        let valid_from = parse_date("valid-from date", &get(Field::ValidFrom), &mut warnings);
        let valid_to_raw = get(Field::ValidTo);
        let valid_to = if valid_to_raw == "长期" {
            Some(ValidTo::LongTerm)
        } else {
            parse_date("valid-to date", &valid_to_raw, &mut warnings).map(ValidTo::Date)
        };
        if let (Some(from), Some(ValidTo::Date(to))) = (valid_from, valid_to)
            && to < from
        {
            warnings.push("valid-to date is before valid-from date".into());
        }
        // Consistency of the 18-digit number with the other fields.
        if id_number_valid && card_type != CardType::Foreigner2017 {
            if let (Some(b), Some(from_id)) = (birth, idnumber::birth_date(&id))
                && b != from_id
            {
                warnings.push("birth date differs from the one in the identity number".into());
            }
            if let Some(g) = idnumber::gender_code(&id)
                && (gender == "1" || gender == "2")
                && !gender.starts_with(g)
            {
                warnings.push("gender differs from the identity number's parity digit".into());
            }
            let prefix = id.get(..2).unwrap_or("");
            if card_type == CardType::HmtPermit && !["81", "82", "83"].contains(&prefix) {
                warnings.push("permit number does not start with 81/82/83".into());
            }
            if card_type == CardType::Foreigner2023 && !id.starts_with('9') {
                warnings.push("2023 foreigner number does not start with 9".into());
            }
        }
        Card {
            card_type,
            name: non_empty(get(Field::Name)).map(PersonName::new),
            name_en: non_empty(name_en).map(PersonName::new),
            gender_code: non_empty(gender),
            nation_code: (card_type == CardType::Resident)
                .then_some(nation)
                .and_then(non_empty),
            birth_date: birth,
            address: non_empty(get(Field::Address)).map(Address::new),
            id_number: non_empty(id).map(IdNumber::new),
            issuer: non_empty(get(Field::Issuer)),
            valid_from,
            valid_to,
            pass_number: non_empty(get(Field::PassNumber)).map(IdNumber::new),
            issue_count: non_empty(get(Field::IssueCount)),
            nationality: non_empty(get(Field::Nationality)),
            renewal_count: non_empty(get(Field::RenewalCount)),
            id_number_valid,
            appended_addresses: Vec::new(),
            warnings,
        }
    }

    /// The name to greet the applicant with (Chinese name, else English), masked.
    pub fn display_name_masked(&self) -> String {
        self.name
            .as_ref()
            .or(self.name_en.as_ref())
            .map(|n| n.masked())
            .unwrap_or_default()
    }

    /// The fields as JSON (keys as in `kiosk diag idcard --json`), masked unless `unmasked`.
    /// Keys are absent when the card type has no such field.
    pub fn to_json(&self, unmasked: bool) -> Map<String, Value> {
        let mut m = Map::new();
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                m.insert(k.into(), Value::String(v));
            }
        };
        let show_name = |n: &Option<PersonName>| {
            n.as_ref().map(|n| {
                if unmasked {
                    n.expose().to_string()
                } else {
                    n.masked()
                }
            })
        };
        let show_id = |n: &Option<IdNumber>| {
            n.as_ref().map(|n| {
                if unmasked {
                    n.expose().to_string()
                } else {
                    n.masked()
                }
            })
        };
        put("card_type", Some(self.card_type.key().into()));
        put("name", show_name(&self.name));
        put("name_en", show_name(&self.name_en));
        put("gender_code", self.gender_code.clone());
        put(
            "gender",
            self.gender_code
                .as_deref()
                .and_then(gender_label)
                .map(String::from),
        );
        put("nation_code", self.nation_code.clone());
        put(
            "nation",
            self.nation_code
                .as_deref()
                .and_then(nation_name)
                .map(String::from),
        );
        put(
            "birth_date",
            self.birth_date.map(|d| {
                if unmasked {
                    d.to_string()
                } else {
                    format!("{}-**-**", d.format("%Y"))
                }
            }),
        );
        put(
            "address",
            self.address.as_ref().map(|a| {
                if unmasked {
                    a.expose().to_string()
                } else {
                    a.masked()
                }
            }),
        );
        put("id_number", show_id(&self.id_number));
        put("issuer", self.issuer.clone());
        put("valid_from", self.valid_from.map(|d| d.to_string()));
        put(
            "valid_to",
            self.valid_to.map(|v| match v {
                ValidTo::Date(d) => d.to_string(),
                ValidTo::LongTerm => "长期".to_string(),
            }),
        );
        put("pass_number", show_id(&self.pass_number));
        put("issue_count", self.issue_count.clone());
        put("nationality", self.nationality.clone());
        put("renewal_count", self.renewal_count.clone());
        m.insert("id_number_valid".into(), Value::Bool(self.id_number_valid));
        if !self.appended_addresses.is_empty() {
            m.insert(
                "appended_addresses".into(),
                Value::Array(
                    self.appended_addresses
                        .iter()
                        .map(|a| {
                            Value::String(if unmasked {
                                a.expose().to_string()
                            } else {
                                a.masked()
                            })
                        })
                        .collect(),
                ),
            );
        }
        m.insert(
            "warnings".into(),
            Value::Array(self.warnings.iter().cloned().map(Value::String).collect()),
        );
        m
    }
}

/// Raw field values for encoding a card (the simulator's fixtures): plain strings as they
/// stand on the card (`YYYYMMDD` dates, "长期", codes).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CardFields {
    /// `resident`, `hmt_permit`, `foreigner_2017` or `foreigner_2023`.
    pub card_type: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Gender code.
    pub gender: String,
    /// Nation code.
    pub nation: String,
    /// Birth date.
    pub birth: String,
    /// Address.
    pub address: String,
    /// Number.
    pub id_number: String,
    /// Issuer.
    pub issuer: String,
    /// Valid from.
    pub valid_from: String,
    /// Valid to.
    pub valid_to: String,
    /// Pass number.
    pub pass_number: String,
    /// Issue count.
    pub issue_count: String,
    /// Nationality.
    pub nationality: String,
    /// Card version (2017).
    pub card_version: String,
    /// Authority code (2017).
    pub authority_code: String,
    /// Renewal count (2023).
    pub renewal_count: String,
    /// Previous-number link (2023).
    pub previous_number_link: String,
    /// Appended addresses.
    pub appended_addresses: Vec<String>,
}

/// Write `s` as UCS-2LE into `out`, padded with spaces, truncated to fit.
pub fn put_text(out: &mut [u8], s: &str) {
    let mut units: Vec<u16> = s.encode_utf16().collect();
    units.resize(out.len() / 2, 0x0020);
    for (dst, u) in out.chunks_exact_mut(2).zip(units) {
        dst.copy_from_slice(&u.to_le_bytes());
    }
}

impl CardFields {
    /// The card type, if the key is known.
    pub fn card_type(&self) -> Option<CardType> {
        CardType::from_key(&self.card_type)
    }

    /// Encode the 256-byte text block (reserved areas are spaces).
    pub fn encode(&self) -> Option<[u8; TEXT_LEN]> {
        let card_type = self.card_type()?;
        let mut out = [0u8; TEXT_LEN];
        put_text(&mut out, "");
        let en: Vec<char> = self.name_en.chars().collect();
        for (field, off, len) in card_type.layout() {
            let value: String = match field {
                Field::Name => self.name.clone(),
                Field::NameEn if card_type == CardType::Foreigner2023 => {
                    en.iter().take(35).collect()
                }
                Field::NameEn => self.name_en.clone(),
                Field::NameEnMore => en.iter().skip(35).collect(),
                Field::Gender => self.gender.clone(),
                Field::Nation => self.nation.clone(),
                Field::Birth => self.birth.clone(),
                Field::Address => self.address.clone(),
                Field::IdNumber => self.id_number.clone(),
                Field::Issuer => self.issuer.clone(),
                Field::ValidFrom => self.valid_from.clone(),
                Field::ValidTo => self.valid_to.clone(),
                Field::PassNumber => self.pass_number.clone(),
                Field::IssueCount => self.issue_count.clone(),
                Field::Nationality => self.nationality.clone(),
                Field::CardVersion => self.card_version.clone(),
                Field::AuthorityCode => self.authority_code.clone(),
                Field::RenewalCount => self.renewal_count.clone(),
                Field::PreviousNumberLink => self.previous_number_link.clone(),
                Field::Marker => card_type.marker().map(String::from).unwrap_or_default(),
            };
            put_text(&mut out[*off..*off + *len], &value);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_fits_in_256_bytes_without_overlap() {
        for t in CardType::ALL {
            let mut used = [false; TEXT_LEN];
            for (f, off, len) in t.layout() {
                assert!(off + len <= TEXT_LEN, "{t:?} {f:?}");
                assert_eq!(len % 2, 0);
                for u in &mut used[*off..off + len] {
                    assert!(!*u, "{t:?} {f:?} overlaps");
                    *u = true;
                }
            }
        }
    }

    fn resident() -> CardFields {
        CardFields {
            card_type: "resident".into(),
            name: "测试".into(),
            gender: "2".into(),
            nation: "01".into(),
            birth: "19491231".into(),
            address: "北京市朝阳区测试路1号".into(),
            id_number: "11010519491231002X".into(),
            issuer: "北京市公安局朝阳分局".into(),
            valid_from: "20100101".into(),
            valid_to: "长期".into(),
            ..Default::default()
        }
    }

    #[test]
    fn resident_round_trips_without_warnings() {
        let text = resident().encode().expect("encode");
        let c = Card::decode(&text);
        assert_eq!(c.card_type, CardType::Resident);
        assert_eq!(c.name.as_ref().map(|n| n.expose()), Some("测试"));
        assert_eq!(c.valid_to, Some(ValidTo::LongTerm));
        assert_eq!(c.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31));
        assert!(c.id_number_valid);
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let j = c.to_json(false);
        assert_eq!(j["name"], "测*");
        assert_eq!(j["nation"], "汉");
        assert_eq!(j["gender"], "女");
        assert_eq!(j["id_number"], "1101**********002X");
        assert!(!j.contains_key("name_en") && !j.contains_key("pass_number"));
        assert_eq!(c.to_json(true)["id_number"], "11010519491231002X");
    }

    #[test]
    fn inconsistencies_are_warnings_not_failures() {
        let mut f = resident();
        f.gender = "1".into();
        f.birth = "19500101".into();
        f.nation = "77".into();
        let c = Card::decode(&f.encode().expect("encode"));
        assert_eq!(c.warnings.len(), 3, "{:?}", c.warnings);
        f.id_number = "11010519491231003X".into();
        let c = Card::decode(&f.encode().expect("encode"));
        assert!(!c.id_number_valid);
    }

    #[test]
    fn latin_names_keep_inner_spaces_and_2023_names_join() {
        let f = CardFields {
            card_type: "foreigner_2023".into(),
            name: "张三".into(),
            name_en: "ZHANGSANFENG-LONG-ENGLISH GIVENNAME AND MORE".into(),
            gender: "1".into(),
            birth: "19800101".into(),
            id_number: "932682198001010010".into(),
            valid_from: "20231201".into(),
            valid_to: "20331130".into(),
            nationality: "USA".into(),
            renewal_count: "00".into(),
            ..Default::default()
        };
        assert!(f.name_en.chars().count() > 35);
        let c = Card::decode(&f.encode().expect("encode"));
        assert_eq!(c.card_type, CardType::Foreigner2023);
        assert_eq!(
            c.name_en.as_ref().map(|n| n.expose()),
            Some("ZHANGSANFENG-LONG-ENGLISH GIVENNAME AND MORE")
        );
        assert_eq!(c.nationality.as_deref(), Some("USA"));
        assert_eq!(c.renewal_count.as_deref(), Some("00"));
        assert_eq!(c.nation_code, None);
    }

    #[test]
    fn unknown_marker_is_resident_with_a_warning() {
        let mut text = resident().encode().expect("encode");
        put_text(&mut text[248..250], "Q");
        let c = Card::decode(&text);
        assert_eq!(c.card_type, CardType::Resident);
        assert_eq!(c.warnings.len(), 1);
    }

    #[test]
    fn garbage_text_never_panics() {
        let mut text = [0u8; TEXT_LEN];
        for (i, b) in text.iter_mut().enumerate() {
            *b = (i * 37 % 251) as u8;
        }
        let c = Card::decode(&text);
        let _ = c.to_json(false);
        // Unpaired surrogates decode to U+FFFD.
        assert_eq!(ucs2(&[0x00, 0xD8, 0x41, 0x00]), "\u{FFFD}A");
    }
}
