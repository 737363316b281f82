//! Keyboard-wedge scanners on recorded evdev streams (`tests/fixtures/scanner/hid/*.evdev`,
//! made by `make.py` there, independently of the Rust decoder): each stream is parsed as the
//! raw `input_event` records of `/dev/input/eventN`, played through the wedge decoder in the
//! scanner's layout, and classified. Layouts, Shift/AltGr, Caps Lock, Ctrl+] for GS, Alt+keypad
//! GBK, long payloads, and scanners without suffix (silence ends a scan).

use std::path::Path;
use zhengwu_kiosk::devices::scanner::hid::Layout;
use zhengwu_kiosk::devices::scanner::hid::record::{self, EV_KEY, EV_MSC, EV_SYN};
use zhengwu_kiosk::devices::scanner::text::TextEncoding;
use zhengwu_kiosk::devices::scanner::{
    Classifier, Frame, Payload, ReceiptCodec, ReceiptKey, Scan, Shape,
};

fn fixture(name: &str) -> Vec<record::InputEvent> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scanner/hid")
        .join(name);
    let bytes = std::fs::read(&path).expect("fixture");
    let (events, rest) = record::parse(&bytes);
    assert_eq!(rest, 0, "{name}: partial record");
    events
}

fn classifier() -> Classifier {
    Classifier::new(ReceiptCodec::new("zwfw.example.gov.cn", ReceiptKey::demo()).expect("codec"))
}

fn scans(name: &str, layout: Layout, idle_gap_us: Option<u64>) -> Vec<(Vec<u8>, Scan)> {
    let c = classifier();
    record::play(&fixture(name), layout, idle_gap_us)
        .into_iter()
        .map(|f| match f {
            Frame::Scan(b) => {
                let s = c.classify(&b);
                (b, s)
            }
            Frame::Overflow { head, .. } => {
                let s = c.classify(&head);
                (head, s)
            }
        })
        .collect()
}

#[test]
fn recordings_look_like_a_keyboard() {
    let events = fixture("us-receipt.evdev");
    assert!(events.iter().any(|e| e.kind == EV_MSC));
    assert!(events.iter().any(|e| e.kind == EV_SYN));
    let keys = events.iter().filter(|e| e.kind == EV_KEY).count();
    assert!(keys > 150, "{keys}");
    assert!(events.windows(2).all(|w| w[0].time_us <= w[1].time_us));
}

#[test]
fn us_receipt_verifies() {
    let s = scans("us-receipt.evdev", Layout::Us, None);
    assert_eq!(s.len(), 1);
    match &s[0].1.payload {
        Payload::Receipt(r) => {
            assert_eq!(r.case, "411522-20261126-000042");
            assert_eq!(r.kiosk, "GS-0042");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn german_layout_login_needs_the_german_layout() {
    let s = scans("de-login.evdev", Layout::De, None);
    assert_eq!(s.len(), 1);
    match &s[0].1.payload {
        Payload::Login(l) => assert_eq!(l.token.expose(), "demo-7Hq2xVb9KpL4mN3s"),
        other => panic!("{other:?}"),
    }
    // Read with the wrong layout, y/z and the symbols come out wrong: not a login.
    let wrong = scans("de-login.evdev", Layout::Us, None);
    assert_eq!(wrong[0].1.payload.kind(), "unknown");
    assert!(String::from_utf8_lossy(&wrong[0].0).starts_with("https>"));
}

#[test]
fn ctrl_bracket_gs_makes_gs1() {
    let s = scans("us-gs1.evdev", Layout::Us, None);
    assert_eq!(s[0].0, b"0109501101020917\x1d17291231");
    match &s[0].1.payload {
        Payload::Unknown(u) => assert_eq!(u.shape, Shape::Gs1),
        other => panic!("{other:?}"),
    }
}

#[test]
fn alt_keypad_gbk_decodes_to_chinese() {
    let s = scans("alt-gbk.evdev", Layout::Us, None);
    let (bytes, scan) = &s[0];
    assert_eq!(scan.encoding, TextEncoding::Gbk);
    let (text, _, bad) = encoding_rs::GBK.decode(bytes);
    assert!(!bad);
    assert_eq!(text, "光山县政务服务中心");
    match &scan.payload {
        Payload::Unknown(u) => assert_eq!(u.shape, Shape::Text { chars: 9 }),
        other => panic!("{other:?}"),
    }
}

#[test]
fn long_payload_with_caps_lock_half_way() {
    let s = scans("us-long-caps.evdev", Layout::Us, None);
    assert_eq!(s.len(), 1);
    let expected = format!("{}{}", "abcdefghij".repeat(30), "ABCDEFGHIJ".repeat(30));
    assert_eq!(s[0].0, expected.as_bytes());
    assert_eq!(s[0].1.bytes, 600);
}

#[test]
fn without_suffix_silence_separates_scans() {
    // The scanner's 2 ms between keys is far below a 300 ms gap; the 800 ms pause is above.
    let s = scans("us-no-suffix.evdev", Layout::Us, Some(300_000));
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].1.payload.kind(), "unknown");
    assert_eq!(s[1].1.payload.kind(), "licence");
    // Without the gap rule there is no Enter, so nothing would ever complete.
    assert!(scans("us-no-suffix.evdev", Layout::Us, None).is_empty());
}

#[test]
fn the_evdev_driver_reports_no_device_for_a_missing_or_non_input_node() {
    use std::sync::mpsc::channel;
    use std::time::Duration;
    use zhengwu_kiosk::devices::DeviceState;
    use zhengwu_kiosk::devices::scanner::ScannerEvent;
    use zhengwu_kiosk::devices::scanner::hid::{HidConfig, HidDriver};
    let dir = tempfile::tempdir().expect("tmp");
    let not_input = dir.path().join("plain-file");
    std::fs::write(&not_input, b"not an input device").expect("write");
    for path in [dir.path().join("missing"), not_input] {
        let (tx, rx) = channel();
        let driver = HidDriver::spawn(HidConfig::new(&path, Layout::Us, classifier()), move |e| {
            let _ = tx.send(e);
        })
        .expect("driver");
        match rx.recv_timeout(Duration::from_secs(3)) {
            Ok(ScannerEvent::Status(s)) => assert_eq!(s.state, DeviceState::NoDevice, "{path:?}"),
            other => panic!("{path:?}: {other:?}"),
        }
        driver.stop();
    }
}
