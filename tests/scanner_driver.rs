//! The real serial scanner driver against the simulator over a real pseudo-terminal: every
//! kind of payload end to end, the framings (CR LF, CR, LF, idle), line noise, wire timing,
//! overlong scans, held codes, and unplug/replug recovery within 2 s.

mod kiosk_support;

use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};
use zhengwu_kiosk::devices::DeviceState;
use zhengwu_kiosk::devices::scanner::sim::{SimControl, Simulator, Suffix, samples};
use zhengwu_kiosk::devices::scanner::{
    Classifier, Framing, Payload, ReceiptCodec, ReceiptKey, Scan, ScannerEvent, SerialConfig,
    SerialDriver, Shape, UnknownReason,
};

const WAIT: Duration = Duration::from_secs(3);

struct Rig {
    _dir: tempfile::TempDir,
    sim: SimControl,
    _sim: Simulator,
    codec: ReceiptCodec,
    _driver: SerialDriver,
    events: Receiver<ScannerEvent>,
}

fn codec() -> ReceiptCodec {
    ReceiptCodec::new("zwfw.example.gov.cn", ReceiptKey::demo()).expect("codec")
}

fn rig_with(suffix: Suffix, framing: Framing, tune: impl FnOnce(&mut SerialConfig)) -> Rig {
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("scanner");
    let simulator = Simulator::start(&link, suffix).expect("sim");
    let (tx, rx) = channel();
    let mut cfg = SerialConfig::new(&link, framing, Classifier::new(codec()));
    cfg.reopen = Duration::from_millis(100);
    tune(&mut cfg);
    let driver = SerialDriver::spawn(cfg, move |e| {
        let _ = tx.send(e);
    })
    .expect("driver");
    let rig = Rig {
        _dir: dir,
        sim: simulator.control(),
        _sim: simulator,
        codec: codec(),
        _driver: driver,
        events: rx,
    };
    assert!(
        rig.wait_status(DeviceState::Online, WAIT),
        "driver never came online"
    );
    rig
}

fn rig(suffix: Suffix) -> Rig {
    rig_with(suffix, Framing::Terminator, |_| {})
}

impl Rig {
    /// Wait for the first event matching `want`, up to `within`.
    fn wait_for(
        &self,
        within: Duration,
        want: impl Fn(&ScannerEvent) -> bool,
    ) -> Option<ScannerEvent> {
        kiosk_support::wait_for(&self.events, within, want)
    }

    fn wait_status(&self, state: DeviceState, within: Duration) -> bool {
        self.wait_for(
            within,
            |e| matches!(e, ScannerEvent::Status(s) if s.state == state),
        )
        .is_some()
    }

    fn next_scan(&self, within: Duration) -> Option<Scan> {
        match self.wait_for(within, |e| matches!(e, ScannerEvent::Scanned(_))) {
            Some(ScannerEvent::Scanned(s)) => Some(s.scan),
            _ => None,
        }
    }

    fn scan(&self, bytes: &[u8]) -> Scan {
        self.sim.scan(bytes);
        self.next_scan(WAIT).expect("a scan")
    }
}

#[test]
fn every_kind_arrives_classified_in_order() {
    let r = rig(Suffix::CrLf);
    let receipt = samples::receipt(&r.codec, "GS-0042");
    r.sim.scan(receipt.as_bytes());
    r.sim.scan(samples::login(&r.codec).as_bytes());
    r.sim.scan(samples::licence().as_bytes());
    r.sim.scan(&samples::garbage());
    let kinds: Vec<Payload> = (0..4)
        .map(|_| r.next_scan(WAIT).expect("scan").payload)
        .collect();
    match &kinds[0] {
        Payload::Receipt(rr) => {
            assert_eq!(rr.case, "411522-20261126-000042");
            assert_eq!(rr.kiosk, "GS-0042");
        }
        other => panic!("{other:?}"),
    }
    match &kinds[1] {
        Payload::Login(l) => assert_eq!(l.token.expose(), "demo-7Hq2xVb9KpL4mN3s"),
        other => panic!("{other:?}"),
    }
    assert_eq!(kinds[2].kind(), "licence");
    match &kinds[3] {
        Payload::Unknown(u) => assert_eq!(u.shape, Shape::Binary { bytes: 17 }),
        other => panic!("{other:?}"),
    }
}

#[test]
fn cr_and_lf_suffixes_frame_the_same() {
    for suffix in [Suffix::Cr, Suffix::Lf] {
        let r = rig(suffix);
        let scan = r.scan(samples::licence().as_bytes());
        assert_eq!(scan.payload.kind(), "licence", "{suffix:?}");
        assert_eq!(scan.bytes, samples::licence().len());
    }
}

#[test]
fn idle_framing_ends_a_scan_on_silence() {
    let r = rig_with(Suffix::None, Framing::Idle, |c| {
        c.idle_gap = Duration::from_millis(40);
    });
    // Sent at 9600 baud in 16-byte slices: the gaps between slices are shorter than the idle
    // gap, so the scan must not be cut.
    r.sim.baud_timing(Some(9600));
    let url = samples::receipt(&r.codec, "K-1");
    let scan = r.scan(url.as_bytes());
    assert_eq!(scan.payload.kind(), "receipt");
    assert_eq!(scan.bytes, url.len());
    // A payload with CR LF inside stays one scan.
    let scan = r.scan(b"line one\r\nline two");
    assert_eq!(scan.bytes, 18);
}

#[test]
fn wire_timing_at_9600_baud_delivers_whole_scans() {
    let r = rig(Suffix::CrLf);
    r.sim.baud_timing(Some(9600));
    let scan = r.scan(samples::receipt(&r.codec, "K-1").as_bytes());
    assert_eq!(scan.payload.kind(), "receipt");
}

#[test]
fn noise_without_terminator_expires_and_the_next_scan_is_clean() {
    let r = rig_with(Suffix::CrLf, Framing::Terminator, |c| {
        c.partial_timeout = Duration::from_millis(150);
    });
    r.sim.send_raw(b"\x00\xffnoise");
    std::thread::sleep(Duration::from_millis(400));
    let scan = r.scan(samples::login(&r.codec).as_bytes());
    assert_eq!(scan.payload.kind(), "login");
    assert_eq!(scan.bytes, samples::login(&r.codec).len());
}

#[test]
fn a_forged_receipt_arrives_as_unknown() {
    let r = rig(Suffix::CrLf);
    let forged = samples::receipt(&r.codec, "K-1").replace("000042", "000043");
    match r.scan(forged.as_bytes()).payload {
        Payload::Unknown(u) => assert_eq!(u.reason, UnknownReason::ReceiptNotVerified),
        other => panic!("{other:?}"),
    }
}

#[test]
fn overlong_scans_are_unknown_too_long_with_their_size() {
    let r = rig(Suffix::CrLf);
    let long = vec![b'A'; 10_000];
    let scan = r.scan(&long);
    assert_eq!(scan.bytes, 10_000);
    match scan.payload {
        Payload::Unknown(u) => assert_eq!(u.reason, UnknownReason::TooLong),
        other => panic!("{other:?}"),
    }
    // The stream is in step again afterwards.
    assert_eq!(
        r.scan(samples::licence().as_bytes()).payload.kind(),
        "licence"
    );
}

#[test]
fn a_code_held_under_the_scanner_is_one_scan() {
    let r = rig(Suffix::CrLf);
    let code = samples::login(&r.codec);
    for _ in 0..4 {
        r.sim.scan(code.as_bytes());
    }
    r.sim.scan(samples::licence().as_bytes());
    assert_eq!(r.next_scan(WAIT).expect("first").payload.kind(), "login");
    // The repeats are swallowed: the next event is the licence.
    assert_eq!(r.next_scan(WAIT).expect("second").payload.kind(), "licence");
}

#[test]
fn unplug_goes_offline_and_replug_recovers_within_two_seconds() {
    let r = rig(Suffix::CrLf);
    r.sim.unplug();
    assert!(
        r.wait_status(DeviceState::Offline, WAIT),
        "no offline after unplug"
    );
    std::thread::sleep(Duration::from_millis(300));
    r.sim.replug();
    let replugged = Instant::now();
    assert!(
        r.wait_status(DeviceState::Online, Duration::from_secs(2)),
        "not back online within 2 s"
    );
    assert!(replugged.elapsed() < Duration::from_secs(2));
    assert_eq!(
        r.scan(samples::licence().as_bytes()).payload.kind(),
        "licence"
    );
}

#[test]
fn a_missing_scanner_is_no_device_until_it_appears() {
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("scanner");
    let (tx, rx) = channel();
    let mut cfg = SerialConfig::new(&link, Framing::Terminator, Classifier::new(codec()));
    cfg.reopen = Duration::from_millis(100);
    let _driver = SerialDriver::spawn(cfg, move |e| {
        let _ = tx.send(e);
    })
    .expect("driver");
    match rx.recv_timeout(WAIT) {
        Ok(ScannerEvent::Status(s)) => assert_eq!(s.state, DeviceState::NoDevice),
        other => panic!("{other:?}"),
    }
    let sim = Simulator::start(&link, Suffix::CrLf).expect("sim");
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut online = false;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Ok(ScannerEvent::Status(s)) = rx.recv_timeout(left)
            && s.state == DeviceState::Online
        {
            online = true;
            break;
        }
    }
    assert!(online, "scanner plugged in later never came online");
    drop(sim);
}
