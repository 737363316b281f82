//! The demo dock's scanner panel, through the real dock component (headless Slint testing
//! backend): each button scans its sample code on the simulated scanner, the real driver
//! classifies it from the wire, and the kiosk's screen does the right thing. Driver events are
//! handed to the controller on the test thread, as the UI thread would.

mod kiosk_support;
use kiosk_support::{HeadlessKiosk, kiosk_online_except};
use slint::ComponentHandle;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};
use zhengwu_kiosk::app::devices::Devices;
use zhengwu_kiosk::app::ui_bridge::Controller;
use zhengwu_kiosk::devices::scanner::sim::{Simulator, Suffix};
use zhengwu_kiosk::devices::scanner::{
    Classifier, Framing, ReceiptCodec, ReceiptKey, ScannerEvent, SerialConfig, SerialDriver,
};
use zhengwu_kiosk::devices::{DeviceKind, DeviceState};
use zhengwu_kiosk::ui::{Api, Dock, Screen};

fn pump_until(ctl: &Controller, events: &Receiver<ScannerEvent>, done: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        if let Ok(e) = events.recv_timeout(Duration::from_millis(50)) {
            ctl.scanner_event(e);
        }
        if done() {
            return true;
        }
    }
    false
}

#[test]
fn dock_buttons_scan_codes_that_drive_the_screen() {
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("scanner");
    let sim = Simulator::start(&link, Suffix::CrLf).expect("sim");
    let codec = ReceiptCodec::new("zwfw.example.gov.cn", ReceiptKey::demo()).expect("codec");
    let (tx, rx) = channel();
    let driver = SerialDriver::spawn(
        SerialConfig::new(&link, Framing::Terminator, Classifier::new(codec.clone())),
        move |e| {
            let _ = tx.send(e);
        },
    )
    .expect("driver");
    let HeadlessKiosk { ui, ctl, .. } = kiosk_online_except(&[DeviceKind::Scanner]);
    let devices = Devices {
        scanner_sim: Some(sim),
        scanner_codec: Some(codec),
        ..Devices::default()
    };
    let dock = zhengwu_kiosk::demo::attach_dock(&ctl, &devices).expect("dock");
    let dock_api = dock.global::<Dock>();
    assert!(dock_api.get_has_scanner_sim());
    let api = ui.global::<Api>();
    assert!(
        pump_until(&ctl, &rx, || !api.get_starting()),
        "kiosk available"
    );

    dock_api.invoke_scan("garbage".into());
    assert!(pump_until(&ctl, &rx, || api
        .get_notice_zh()
        .contains("无法识别的二维码")));

    dock_api.invoke_scan("receipt".into());
    assert!(pump_until(&ctl, &rx, || api.get_screen() == Screen::Tracking));
    assert_eq!(api.get_tracking_case(), "411522-20261126-000042");

    dock_api.invoke_scan("licence".into());
    assert!(pump_until(&ctl, &rx, || api
        .get_notice_zh()
        .contains("电子证照")));

    // A login code in the running (anonymous) session identifies it where it is.
    dock_api.invoke_scan("login".into());
    assert!(pump_until(&ctl, &rx, || api
        .get_notice_zh()
        .contains("身份码")));
    assert_eq!(api.get_screen(), Screen::Tracking);

    // The scanner row's unplug button pulls the simulated cable; the driver reports it.
    dock_api.invoke_set_state("scanner".into(), "offline".into());
    assert!(pump_until(&ctl, &rx, || ctl
        .with_core(|c| c.device_status(DeviceKind::Scanner))
        .is_some_and(|s| s.state == DeviceState::Offline)));
    dock_api.invoke_set_state("scanner".into(), "online".into());
    assert!(pump_until(&ctl, &rx, || ctl
        .with_core(|c| c.device_status(DeviceKind::Scanner))
        .is_some_and(|s| s.state == DeviceState::Online)));
    drop(dock);
    drop(devices);
    driver.stop();
}
