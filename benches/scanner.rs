//! Scanner benchmarks (issue #5):
//! - classification alone: a receipt link (HMAC verified), a login link, an e-licence, line
//!   garbage, and a 4 KiB payload at the bound;
//! - scan-to-classified-event latency: the bytes of one scan (payload + CR LF) written into a
//!   real pseudo-terminal, read by the real serial driver thread, framed, classified and handed
//!   to its event sink. Wire time is not included (at 9600 baud an 84-byte receipt link takes
//!   about 89 ms on a real RS-232 line; USB CDC-ACM scanners deliver at once).
//!
//! - keyboard wedge: decoding the recorded key events of a receipt link (US layout);
//! - document camera: still detection on a 640×480 YUYV frame, and a 1600×1200 page to a
//!   bounded JPEG (500 KiB).
//!
//! `cargo bench --bench scanner`

use criterion::{Criterion, criterion_group, criterion_main};
use serialport::{SerialPort, TTYPort};
use std::hint::black_box;
use std::io::Write;
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};
use zhengwu_kiosk::devices::DeviceState;
use zhengwu_kiosk::devices::scanner::sim::samples;
use zhengwu_kiosk::devices::scanner::{
    Classifier, Framing, ReceiptCodec, ReceiptKey, ScannerEvent, SerialConfig, SerialDriver,
};

fn classifier() -> Classifier {
    Classifier::new(ReceiptCodec::new("zwfw.example.gov.cn", ReceiptKey::demo()).expect("codec"))
}

fn classify(c: &mut Criterion) {
    let cl = classifier();
    let receipt = samples::receipt(cl.receipts(), "GS-0042");
    let login = samples::login(cl.receipts());
    let licence = samples::licence();
    let garbage = samples::garbage();
    let big = vec![b'x'; 4096];
    for (name, bytes) in [
        ("receipt", receipt.as_bytes()),
        ("login", login.as_bytes()),
        ("licence", licence.as_bytes()),
        ("garbage", &garbage[..]),
        ("text_4096", &big[..]),
    ] {
        c.bench_function(&format!("scanner/classify/{name}"), |b| {
            b.iter(|| black_box(cl.classify(black_box(bytes))))
        });
    }
}

fn scan_to_event(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("scanner");
    let (mut master, slave) = TTYPort::pair().expect("pty");
    std::os::unix::fs::symlink(slave.name().expect("pty name"), &link).expect("link");
    let (tx, rx) = channel();
    let mut cfg = SerialConfig::new(&link, Framing::Terminator, classifier());
    // Every iteration scans the same code: no repeat suppression here.
    cfg.repeat_suppress = Duration::ZERO;
    let driver = SerialDriver::spawn(cfg, move |e| {
        let _ = tx.send(e);
    })
    .expect("driver");
    loop {
        match rx
            .recv_timeout(Duration::from_secs(5))
            .expect("driver status")
        {
            ScannerEvent::Status(s) if s.state == DeviceState::Online => break,
            _ => {}
        }
    }
    let mut wire = samples::receipt(
        &ReceiptCodec::new("zwfw.example.gov.cn", ReceiptKey::demo()).expect("codec"),
        "GS-0042",
    )
    .into_bytes();
    wire.extend_from_slice(b"\r\n");
    c.bench_function("scanner/scan_to_classified_event/receipt_pty", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t0 = Instant::now();
                master.write_all(&wire).expect("write");
                loop {
                    if let ScannerEvent::Scanned(s) =
                        rx.recv_timeout(Duration::from_secs(5)).expect("scan")
                    {
                        assert_eq!(s.scan.payload.kind(), "receipt");
                        break;
                    }
                }
                total += t0.elapsed();
            }
            total
        })
    });
    driver.stop();
    drop(slave);
}

fn hid(c: &mut Criterion) {
    use zhengwu_kiosk::devices::scanner::hid::{Layout, record};
    let cl = classifier();
    let url = samples::receipt(cl.receipts(), "GS-0042");
    let events = record::type_text(Layout::Us, &url, 0, 2000);
    c.bench_function("scanner/hid/decode_and_classify_receipt", |b| {
        b.iter(|| {
            let frames = record::play(black_box(&events), Layout::Us, None);
            match frames.first() {
                Some(zhengwu_kiosk::devices::scanner::Frame::Scan(bytes)) => {
                    black_box(cl.classify(bytes))
                }
                other => panic!("{other:?}"),
            }
        })
    });
}

fn yuyv_page(w: u32, h: u32) -> zhengwu_kiosk::devices::camera::Frame {
    let mut data = Vec::with_capacity((w * h * 2) as usize);
    let mut seed: u32 = 7;
    for y in 0..h {
        for _ in 0..w {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let ink = (y / 12).is_multiple_of(2) && (seed >> 16).is_multiple_of(4);
            data.push(if ink { 30 } else { 220 });
            data.push(128);
        }
    }
    zhengwu_kiosk::devices::camera::Frame::new(
        w,
        h,
        zhengwu_kiosk::devices::camera::PixelFormat::Yuyv,
        data,
    )
    .expect("frame")
}

fn camera(c: &mut Criterion) {
    use zhengwu_kiosk::devices::camera::jpeg::encode_bounded;
    use zhengwu_kiosk::devices::camera::still::{StillConfig, StillDetector};
    let preview = yuyv_page(640, 480);
    let mut detector = StillDetector::new(StillConfig::default());
    c.bench_function("camera/still_detect_640x480", |b| {
        b.iter(|| black_box(detector.feed(black_box(&preview))))
    });
    let page = yuyv_page(1600, 1200);
    c.bench_function("camera/jpeg_bounded_1600x1200_500k", |b| {
        b.iter(|| black_box(encode_bounded(black_box(&page), 500 * 1024).expect("fits")))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5)).sample_size(50);
    targets = classify, scan_to_event, hid
}
criterion_group! {
    name = camera_benches;
    config = Criterion::default().measurement_time(Duration::from_secs(8)).sample_size(10);
    targets = camera
}
criterion_main!(benches, camera_benches);
