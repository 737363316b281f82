//! Fuzz the scanner's payload path: framing of an arbitrary byte stream, then classification
//! of every frame. Nothing may panic; a payload accepted as a receipt must re-make to a code
//! that parses to the same case; the masked JSON must never hold a login token whole.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhengwu_kiosk::devices::scanner::{
    Classifier, Frame, Framer, Framing, Payload, ReceiptCodec, ReceiptKey,
};

fuzz_target!(|data: &[u8]| {
    let Ok(codec) = ReceiptCodec::new("zwfw.example.gov.cn", ReceiptKey::demo()) else {
        return;
    };
    let classifier = Classifier::new(codec.clone());
    let (mode, bytes) = match data.split_first() {
        Some((m, rest)) => (*m, rest),
        None => return,
    };
    let framing = if mode & 1 == 0 {
        Framing::Terminator
    } else {
        Framing::Idle
    };
    let mut framer = Framer::new(framing);
    let mut frames = Vec::new();
    for chunk in bytes.chunks(usize::from(mode >> 1).max(1)) {
        framer.push(chunk, &mut frames);
    }
    frames.extend(framer.idle());
    // Also the whole input as one scan.
    frames.push(Frame::Scan(bytes.to_vec()));
    for frame in frames {
        let payload = match frame {
            Frame::Scan(b) => b,
            Frame::Overflow { head, .. } => head,
        };
        let scan = classifier.classify(&payload);
        let json = scan.to_json().to_string();
        match &scan.payload {
            Payload::Receipt(r) => {
                let again = codec
                    .make(&r.case, &r.kiosk)
                    .expect("accepted fields re-make");
                assert_eq!(codec.parse(&again).as_ref(), Ok(r));
            }
            Payload::Login(l) => {
                assert!(!json.contains(l.token.expose()), "token leaked into JSON");
            }
            _ => {}
        }
    }
});
