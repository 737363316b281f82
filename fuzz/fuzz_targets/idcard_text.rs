//! Fuzz the 256-byte card-text decoder of all four card types: never panic, and the masked JSON
//! never contains the raw name or number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhengwu_kiosk::devices::idcard::Card;

fuzz_target!(|data: &[u8]| {
    let mut text = [0x20u8; 256];
    let n = data.len().min(256);
    text[..n].copy_from_slice(&data[..n]);
    let card = Card::decode(&text);
    let json = serde_json_free(&card);
    if let Some(id) = &card.id_number {
        let raw = id.expose();
        if raw.chars().count() > 8 {
            assert!(!json.contains(raw), "unmasked number in masked JSON");
        }
    }
});

fn serde_json_free(card: &Card) -> String {
    card.to_json(false)
        .values()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join("|")
}
