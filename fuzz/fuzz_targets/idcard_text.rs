//! Fuzz the 256-byte card-text decoder of all four card types: it never panics, and the masked
//! JSON never shows the hidden middle of a document number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhengwu_kiosk::devices::idcard::Card;

fuzz_target!(|data: &[u8]| {
    // Start from UCS-2 spaces (20 00), as on a card, then overlay the input.
    let mut text = [0u8; 256];
    for pair in text.chunks_exact_mut(2) {
        pair[0] = 0x20;
    }
    let n = data.len().min(256);
    text[..n].copy_from_slice(&data[..n]);
    let card = Card::decode(&text);
    let json = card.to_json(false);
    for (key, value) in [("id_number", &card.id_number), ("pass_number", &card.pass_number)] {
        let Some(raw) = value else { continue };
        let chars: Vec<char> = raw.expose().trim().chars().collect();
        if chars.len() <= 8 {
            continue;
        }
        let shown: Vec<char> = json
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .chars()
            .collect();
        assert_eq!(shown.len(), chars.len(), "{key}: masked length");
        assert!(
            shown[4..shown.len() - 4].iter().all(|c| *c == '*'),
            "{key}: hidden part shown"
        );
    }
});
