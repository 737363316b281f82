//! Fuzz the SAM stream decoder: arbitrary bytes in arbitrary chunking (the first byte picks the
//! chunk size). It must never panic, never hold more than one maximal frame, and every frame it
//! accepts must re-encode to itself; accepted read answers go through the payload and card-text
//! decoders too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhengwu_kiosk::devices::idcard::Card;
use zhengwu_kiosk::devices::idcard::frame::{Decoder, MAX_LEN, PREAMBLE};
use zhengwu_kiosk::devices::idcard::payload::ReadData;

fuzz_target!(|data: &[u8]| {
    let Some((&chunk, bytes)) = data.split_first() else { return };
    let chunk = usize::from(chunk).max(1);
    let mut d = Decoder::responses();
    for part in bytes.chunks(chunk) {
        d.push(part);
        while let Some(item) = d.next_response() {
            if let Ok(resp) = item {
                let again = resp.encode();
                assert_eq!(&again[..5], &PREAMBLE);
                for fp in [false, true] {
                    if let Ok(read) = ReadData::parse(&resp.data, fp) {
                        let card = Card::decode(&read.text);
                        let _ = card.to_json(false);
                    }
                }
            }
        }
        assert!(d.pending() <= MAX_LEN + 7 + chunk);
    }
});
