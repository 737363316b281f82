//! The document-camera pipeline on recorded frames (this machine has no V4L2 device): the
//! synthetic recording `tests/fixtures/camera/desk.zkfr` (made by `make.py` there) replayed
//! through still detection and the bounded JPEG encoder, the size bound on a large synthetic
//! page, and `kiosk diag camera` on the recording.

use std::path::{Path, PathBuf};
use std::process::Command;
use zhengwu_kiosk::devices::camera::jpeg::{JpegError, encode_bounded};
use zhengwu_kiosk::devices::camera::replay::{Replay, parse, write};
use zhengwu_kiosk::devices::camera::still::{StillConfig, StillDetector, Verdict};
use zhengwu_kiosk::devices::camera::{Frame, PipelineConfig, PixelFormat, auto_capture};

fn desk() -> Vec<Frame> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/camera/desk.zkfr");
    parse(&std::fs::read(path).expect("fixture")).expect("recording")
}

/// Width and height from a JPEG's SOF0 marker, and whether it starts and ends properly.
fn jpeg_info(bytes: &[u8]) -> Option<(u32, u32)> {
    if !bytes.starts_with(&[0xFF, 0xD8]) || !bytes.ends_with(&[0xFF, 0xD9]) {
        return None;
    }
    let mut i = 2;
    while i + 9 < bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if marker == 0xC0 {
            let h = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]);
            let w = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]);
            return Some((u32::from(w), u32::from(h)));
        }
        i += 2 + len;
    }
    None
}

#[test]
fn each_still_page_is_captured_once() {
    let frames = desk();
    assert_eq!(frames.len(), 50);
    let pages = auto_capture(&mut Replay::new(frames), PipelineConfig::default()).expect("run");
    // Page one lies still from frame 11 and page two from frame 38; each is taken after 8
    // still frames, and the hand passing over page one does not cause a second capture.
    let at: Vec<usize> = pages.iter().map(|p| p.frame).collect();
    assert_eq!(at, [19, 46]);
    for p in &pages {
        assert_eq!(jpeg_info(&p.jpeg.bytes), Some((48, 36)));
        assert!(p.jpeg.bytes.len() <= PipelineConfig::default().max_bytes);
    }
}

#[test]
fn an_empty_desk_and_a_sliding_page_are_never_captured() {
    let frames = desk();
    let mut d = StillDetector::new(StillConfig::default());
    for (i, f) in frames.iter().take(11).enumerate() {
        assert_eq!(d.feed(f).0, Verdict::Moving, "frame {i}");
    }
}

#[test]
fn a_page_count_limit_stops_the_run() {
    let config = PipelineConfig {
        max_pages: 1,
        ..PipelineConfig::default()
    };
    let pages = auto_capture(&mut Replay::new(desk()), config).expect("run");
    assert_eq!(pages.len(), 1);
}

/// A large synthetic page: paper with dense pseudo-random "print", which compresses badly.
fn big_page(w: u32, h: u32) -> Frame {
    let mut data = Vec::with_capacity((w * h * 2) as usize);
    let mut seed: u32 = 12345;
    for y in 0..h {
        for x in 0..w {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let ink = (y / 12).is_multiple_of(2) && (seed >> 16).is_multiple_of(3);
            let luma = if ink { 30 } else { 220 } as u8;
            let chroma = if x.is_multiple_of(2) { 120 } else { 136 };
            data.push(luma);
            data.push(chroma);
        }
    }
    Frame::new(w, h, PixelFormat::Yuyv, data).expect("frame")
}

#[test]
fn jpegs_respect_the_size_bound_by_quality_then_size() {
    let page = big_page(1600, 1200);
    let roomy = encode_bounded(&page, 2_000_000).expect("fits");
    assert_eq!(roomy.quality, 85);
    assert_eq!((roomy.width, roomy.height), (1600, 1200));
    let bound = roomy.bytes.len() / 2;
    let tight = encode_bounded(&page, bound).expect("fits when squeezed");
    assert!(
        tight.bytes.len() <= bound,
        "{} > {bound}",
        tight.bytes.len()
    );
    assert!(tight.quality < 85 || tight.width < 1600);
    assert_eq!(jpeg_info(&tight.bytes), Some((tight.width, tight.height)));
    // Far too small: halving stops at a readable size and says so.
    match encode_bounded(&page, 2_000) {
        Err(JpegError::TooLarge {
            max_bytes,
            smallest,
        }) => {
            assert_eq!(max_bytes, 2_000);
            assert!(smallest > 2_000);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn recordings_written_replay_the_same_frames() {
    let frames: Vec<Frame> = desk().into_iter().take(3).collect();
    assert_eq!(parse(&write(&frames)).expect("parse"), frames);
}

#[test]
fn diag_camera_writes_a_bounded_jpeg_from_a_recording() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("still.jpg");
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/camera/desk.zkfr");
    let run = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["diag", "camera", "--max-kib", "64", "--device"])
        .arg(&fixture)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("diag");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let line = String::from_utf8_lossy(&run.stdout);
    assert!(line.contains("48x36 JPEG"), "{line}");
    let bytes = std::fs::read(&out).expect("jpeg");
    assert_eq!(jpeg_info(&bytes), Some((48, 36)));
    assert!(bytes.len() <= 64 * 1024);
}

#[test]
fn diag_camera_without_a_device_says_what_to_check() {
    let run = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args([
            "diag",
            "camera",
            "--device",
            "/dev/video-missing",
            "--out",
            "/tmp/never.jpg",
        ])
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("diag");
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("group video"), "{err}");
}

#[test]
fn the_monitor_reports_no_device_for_a_missing_or_non_video_node() {
    use std::sync::mpsc::channel;
    use std::time::Duration;
    use zhengwu_kiosk::devices::DeviceState;
    use zhengwu_kiosk::devices::camera::monitor::{Monitor, present};
    let dir = tempfile::tempdir().expect("tmp");
    let plain = dir.path().join("video0");
    std::fs::write(&plain, b"not a camera").expect("write");
    for path in [dir.path().join("missing"), plain] {
        assert!(!present(&path));
        let (tx, rx) = channel();
        let m = Monitor::spawn(path.clone(), Duration::from_millis(100), move |s| {
            let _ = tx.send(s);
        })
        .expect("monitor");
        let s = rx.recv_timeout(Duration::from_secs(3)).expect("status");
        assert_eq!(s.state, DeviceState::NoDevice, "{path:?}");
        // No change, no repeat.
        assert!(rx.recv_timeout(Duration::from_millis(350)).is_err());
        drop(m);
    }
}
