//! The scanning journeys through every real part: the scanner simulator on a pseudo-terminal,
//! the real serial driver framing and classifying, and the real Slint UI (headless testing
//! backend). Driver events are handed to the controller on the test thread, as the UI thread
//! would. A receipt opens tracking with its case, a login code identifies, anything else shows
//! "无法识别的二维码".

mod kiosk_support;
use kiosk_support::{HeadlessKiosk, by_id, kiosk_online_except};
use slint::ComponentHandle;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};
use zhengwu_kiosk::app::ui_bridge::Controller;
use zhengwu_kiosk::devices::DeviceKind;
use zhengwu_kiosk::devices::scanner::sim::{SimControl, Simulator, Suffix, samples};
use zhengwu_kiosk::devices::scanner::{
    Classifier, Framing, ReceiptCodec, ReceiptKey, ScannerEvent, SerialConfig, SerialDriver,
};
use zhengwu_kiosk::session::ShellEffect;
use zhengwu_kiosk::ui::{Api, AppWindow, Screen};

struct Rig {
    _dir: tempfile::TempDir,
    _sim: Simulator,
    sim: SimControl,
    codec: ReceiptCodec,
    _driver: SerialDriver,
    events: Receiver<ScannerEvent>,
    ui: AppWindow,
    ctl: Controller,
    effects: std::rc::Rc<std::cell::RefCell<Vec<ShellEffect>>>,
    scans: std::cell::Cell<usize>,
}

fn rig() -> Rig {
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("scanner");
    let simulator = Simulator::start(&link, Suffix::CrLf).expect("sim");
    let codec = ReceiptCodec::new("zwfw.example.gov.cn", ReceiptKey::demo()).expect("codec");
    let (tx, rx) = channel();
    let driver = SerialDriver::spawn(
        SerialConfig::new(&link, Framing::Terminator, Classifier::new(codec.clone())),
        move |e| {
            let _ = tx.send(e);
        },
    )
    .expect("driver");
    let HeadlessKiosk { ui, ctl, effects } = kiosk_online_except(&[DeviceKind::Scanner]);
    let r = Rig {
        _dir: dir,
        sim: simulator.control(),
        _sim: simulator,
        codec,
        _driver: driver,
        events: rx,
        ui,
        ctl,
        effects,
        scans: std::cell::Cell::new(0),
    };
    // The scanner's own status comes through the driver, like every other event.
    assert!(
        r.pump_until(|r| r.api().get_screen() == Screen::Attract && !r.api().get_starting()),
        "kiosk never became available"
    );
    r
}

impl Rig {
    /// Pump driver events into the controller until `done` holds (or 3 s pass).
    fn pump_until(&self, done: impl Fn(&Rig) -> bool) -> bool {
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(e) = self.events.recv_timeout(Duration::from_millis(50)) {
                if matches!(e, ScannerEvent::Scanned(_)) {
                    self.scans.set(self.scans.get() + 1);
                }
                self.ctl.scanner_event(e);
            }
            if done(self) {
                return true;
            }
        }
        false
    }

    fn api(&self) -> Api<'_> {
        self.ui.global::<Api>()
    }
}

#[test]
fn a_receipt_on_the_attract_screen_opens_tracking_with_its_case() {
    let r = rig();
    r.sim.scan(samples::receipt(&r.codec, "GS-0042").as_bytes());
    assert!(
        r.pump_until(|r| r.api().get_screen() == Screen::Tracking),
        "tracking after the receipt"
    );
    assert_eq!(r.api().get_tracking_case(), "411522-20261126-000042");
    let prompt = by_id(&r.ui, "service-prompt")
        .accessible_label()
        .expect("tracking prompt");
    assert!(
        prompt.contains("办件编号 411522-20261126-000042"),
        "{prompt}"
    );
    assert!(r.effects.borrow().contains(&ShellEffect::LookUpCase));
    assert!(
        r.effects
            .borrow()
            .contains(&ShellEffect::SessionStarted { full: true })
    );
}

#[test]
fn a_forged_receipt_shows_the_unrecognised_notice_and_starts_nothing() {
    let r = rig();
    let forged = samples::receipt(&r.codec, "GS-0042").replace("000042", "000099");
    r.sim.scan(forged.as_bytes());
    assert!(
        r.pump_until(|r| !r.api().get_notice_zh().is_empty()),
        "notice after a forged receipt"
    );
    assert!(r.api().get_notice_zh().contains("无法识别的二维码"));
    assert_eq!(r.api().get_screen(), Screen::Attract);
    assert!(r.effects.borrow().is_empty());
}

#[test]
fn a_login_code_starts_an_identified_session_on_home() {
    let r = rig();
    r.sim.scan(samples::login(&r.codec).as_bytes());
    assert!(
        r.pump_until(|r| r.api().get_screen() == Screen::Home),
        "home after the login code"
    );
    assert!(r.api().get_notice_zh().contains("身份码"));
    assert!(r.effects.borrow().contains(&ShellEffect::VerifyLogin));
}

#[test]
fn garbage_and_foreign_codes_show_the_notice_in_both_languages() {
    let r = rig();
    r.sim.scan(&samples::garbage());
    assert!(r.pump_until(|r| r.api().get_notice_zh().contains("无法识别的二维码")));
    assert!(r.api().get_notice_en().contains("Unrecognised code"));
    assert_eq!(r.api().get_screen(), Screen::Attract);
    r.sim.scan(b"https://u.wechat.com/EAbCdEfGhIjKlMnOpQr");
    // Still only a notice: nothing opened, no session.
    assert!(
        r.pump_until(|r| r.scans.get() == 2),
        "second scan delivered"
    );
    assert_eq!(r.api().get_screen(), Screen::Attract);
    assert!(r.effects.borrow().is_empty());
}

#[test]
fn unplugging_the_scanner_is_reported_and_the_kiosk_stays_available() {
    let r = rig();
    r.sim.unplug();
    assert!(r.pump_until(|r| {
        r.ctl
            .with_core(|c| c.device_status(DeviceKind::Scanner))
            .is_some_and(|s| !s.state.is_usable())
    }));
    // The scanner is not required: the attract screen stays.
    assert_eq!(r.api().get_screen(), Screen::Attract);
    r.sim.replug();
    assert!(r.pump_until(|r| {
        r.ctl
            .with_core(|c| c.device_status(DeviceKind::Scanner))
            .is_some_and(|s| s.state.is_usable())
    }));
    r.sim.scan(samples::receipt(&r.codec, "K-1").as_bytes());
    assert!(r.pump_until(|r| r.api().get_screen() == Screen::Tracking));
}
