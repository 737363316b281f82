//! Every vector of the shared protocol notes (`tests/fixtures/idcard-vectors.json`, a copy of
//! `../shared/notes/idcard-vectors.json`) through the codec: commands encode byte-exact,
//! answers decode to their status and fields, malformed frames are rejected.

use serde_json::Value;
use zhengwu_kiosk::devices::idcard::frame::{Command, Decoder, FrameError};
use zhengwu_kiosk::devices::idcard::payload::ReadData;
use zhengwu_kiosk::devices::idcard::{Card, CardType, ValidTo};

fn vectors() -> Vec<Value> {
    let text = include_str!("fixtures/idcard-vectors.json");
    let v: Value = serde_json::from_str(text).expect("json");
    v["vectors"].as_array().expect("vectors").clone()
}

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).expect("hex"))
        .collect()
}

fn expected(v: &Value) -> Value {
    // The file stores `expected` as a Python-style dict string or an object.
    match &v["expected"] {
        Value::String(s) => {
            let json = s
                .replace('\'', "\"")
                .replace("True", "true")
                .replace("False", "false");
            serde_json::from_str(&json).unwrap_or(Value::Null)
        }
        other => other.clone(),
    }
}

fn decode_all(bytes: &[u8], requests: bool) -> Vec<Result<Vec<u8>, FrameError>> {
    let mut d = if requests {
        Decoder::requests()
    } else {
        Decoder::responses()
    };
    d.push(bytes);
    std::iter::from_fn(|| d.next_raw()).collect()
}

#[test]
fn every_vector_is_checked() {
    let all = vectors();
    assert!(all.len() >= 40, "{} vectors", all.len());
    let mut checked = 0;
    let mut cards = 0;
    for v in &all {
        let id = v["id"].as_str().expect("id");
        let Some(hex_str) = v["hex"].as_str() else {
            continue; // withheld real frames: structure only
        };
        let bytes = hex(hex_str);
        let origin = v["origin"].as_str().unwrap_or("");
        let to_reader = v["direction"] == "host->reader";
        match origin {
            "public-negative" => {
                let out = decode_all(&bytes, to_reader);
                assert!(out.iter().all(|r| r.is_err()), "{id}: must be rejected");
            }
            "public-prefix" => {
                // A prefix: no complete frame yet, and no error.
                let out = decode_all(&bytes, to_reader);
                assert!(out.is_empty(), "{id}: {out:?}");
                let len = usize::from(u16::from_be_bytes([bytes[5], bytes[6]]));
                if let Some(total) = expected(v)["total_frame_bytes"].as_u64() {
                    assert_eq!(len + 7, total as usize, "{id}");
                }
            }
            _ => {
                let out = decode_all(&bytes, to_reader);
                assert_eq!(out.len(), 1, "{id}: {out:?}");
                let body = out[0].clone().unwrap_or_else(|e| panic!("{id}: {e}"));
                if to_reader {
                    let cmd = Command::from_parts(body[0], body[1], &body[2..])
                        .unwrap_or_else(|| panic!("{id}: unknown command"));
                    assert_eq!(cmd.encode(), bytes, "{id}: re-encoding differs");
                } else {
                    if check_response(id, &body, &expected(v)) {
                        cards += 1;
                    }
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} vectors checked");
    assert!(cards >= 3, "only {cards} card frames decoded");
}

fn check_response(id: &str, body: &[u8], exp: &Value) -> bool {
    if let Some(sw3) = exp["sw3"].as_str() {
        assert_eq!(format!("{:02X}", body[2]), sw3.to_uppercase(), "{id}");
    }
    let Some(kind) = exp["card_type"].as_str() else {
        return false;
    };
    let with_fp = exp.get("fp_len").is_some();
    let data = ReadData::parse(&body[3..], with_fp).unwrap_or_else(|e| panic!("{id}: {e}"));
    let card = Card::decode(&data.text);
    let want_type = if kind.starts_with('I') {
        CardType::Foreigner2017
    } else if kind.starts_with('J') {
        CardType::HmtPermit
    } else if kind.starts_with('Y') {
        CardType::Foreigner2023
    } else {
        CardType::Resident
    };
    assert_eq!(card.card_type, want_type, "{id}");
    let s = |v: &Value| v.as_str().map(String::from);
    let name = match want_type {
        CardType::Foreigner2017 => s(&exp["chinese_name"]),
        _ => s(&exp["name"]),
    };
    if let Some(name) = name {
        assert_eq!(
            card.name.as_ref().map(|n| n.expose()),
            Some(name.as_str()),
            "{id}"
        );
    }
    if let Some(en) = s(&exp["english_name"]) {
        assert_eq!(
            card.name_en.as_ref().map(|n| n.expose()),
            Some(en.as_str()),
            "{id}"
        );
    }
    if let Some(g) = s(&exp["gender"]) {
        assert_eq!(card.gender_code.as_deref(), Some(g.as_str()), "{id}");
    }
    if let Some(nation) = s(&exp["nation"]) {
        assert_eq!(card.nation_code.as_deref(), nation.get(..2), "{id}");
    }
    if let Some(b) = s(&exp["birth"]) {
        assert_eq!(
            card.birth_date.map(|d| d.format("%Y%m%d").to_string()),
            Some(b),
            "{id}"
        );
    }
    if let Some(a) = s(&exp["address"]) {
        assert_eq!(
            card.address.as_ref().map(|a| a.expose()),
            Some(a.as_str()),
            "{id}"
        );
    }
    for key in ["id_number", "permit_number"] {
        if let Some(n) = s(&exp[key]) {
            assert_eq!(
                card.id_number.as_ref().map(|n| n.expose()),
                Some(n.as_str()),
                "{id}"
            );
        }
    }
    if let Some(a) = s(&exp["authority"]) {
        assert_eq!(card.issuer.as_deref(), Some(a.as_str()), "{id}");
    }
    if let Some(n) = s(&exp["nationality"]) {
        assert_eq!(card.nationality.as_deref(), Some(n.as_str()), "{id}");
    }
    match s(&exp["valid_to"]).as_deref() {
        Some("长期") => assert_eq!(card.valid_to, Some(ValidTo::LongTerm), "{id}"),
        Some(d) => assert_eq!(
            card.valid_to,
            chrono::NaiveDate::parse_from_str(d, "%Y%m%d")
                .ok()
                .map(ValidTo::Date),
            "{id}"
        ),
        None => {}
    }
    if let Some(ok) = exp["id_checksum_ok"].as_bool() {
        assert_eq!(card.id_number_valid, ok, "{id}");
    }
    true
}
