//! Fuzz the keyboard-wedge path: arbitrary bytes parsed as a recorded evdev stream, played
//! through the wedge decoder in both layouts (with and without the idle rule), and every
//! resulting scan classified. Nothing may panic, and no scan may exceed the payload bound by
//! more than the one byte that marks an overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhengwu_kiosk::devices::scanner::hid::Layout;
use zhengwu_kiosk::devices::scanner::hid::record::{parse, play};
use zhengwu_kiosk::devices::scanner::text::MAX_PAYLOAD;
use zhengwu_kiosk::devices::scanner::{Classifier, Frame, ReceiptCodec, ReceiptKey};

fuzz_target!(|data: &[u8]| {
    let Ok(codec) = ReceiptCodec::new("zwfw.example.gov.cn", ReceiptKey::demo()) else {
        return;
    };
    let classifier = Classifier::new(codec);
    let (events, _) = parse(data);
    for layout in [Layout::Us, Layout::De] {
        for gap in [None, Some(300_000)] {
            for frame in play(&events, layout, gap) {
                let bytes = match frame {
                    Frame::Scan(b) => b,
                    Frame::Overflow { head, .. } => head,
                };
                assert!(bytes.len() <= MAX_PAYLOAD + 1);
                let _ = classifier.classify(&bytes).to_json();
            }
        }
    }
});
