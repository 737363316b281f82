//! Fuzz the document camera's recording parser and the pipeline behind it: arbitrary bytes as
//! a ZKFR1 recording (after the magic line); whatever frames parse go through still detection
//! and, for small ones, the bounded JPEG encoder. Nothing may panic or allocate for frames
//! that are not there.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhengwu_kiosk::devices::camera::jpeg::encode_bounded;
use zhengwu_kiosk::devices::camera::replay::{MAGIC, parse};
use zhengwu_kiosk::devices::camera::still::{StillConfig, StillDetector};

fuzz_target!(|data: &[u8]| {
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(data);
    let Ok(frames) = parse(&bytes) else { return };
    let mut d = StillDetector::new(StillConfig::default());
    for f in &frames {
        let _ = d.feed(f);
        if f.width * f.height <= 64 * 64 {
            let _ = encode_bounded(f, 4096);
        }
    }
});
