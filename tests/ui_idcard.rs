//! The ID-card journey through every real part: the simulator on a pseudo-terminal, the real
//! driver speaking the SAM protocol to it, and the real Slint UI (headless testing backend).
//! Driver events are handed to the controller on the test thread, as the UI thread would.

mod kiosk_support;
use kiosk_support::{HeadlessKiosk, exists, kiosk_online_except};
use slint::ComponentHandle;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};
use zhengwu_kiosk::app::ui_bridge::Controller;
use zhengwu_kiosk::devices::DeviceKind;
use zhengwu_kiosk::devices::idcard::sim::{SimControl, Simulator, builtin_cards};
use zhengwu_kiosk::devices::idcard::{Driver, DriverConfig, ReaderEvent};
use zhengwu_kiosk::session::ShellEffect;
use zhengwu_kiosk::ui::{Api, AppWindow, Screen};

struct Rig {
    _dir: tempfile::TempDir,
    _sim: Simulator,
    sim: SimControl,
    _driver: Driver,
    events: Receiver<ReaderEvent>,
    ui: AppWindow,
    ctl: Controller,
    effects: std::rc::Rc<std::cell::RefCell<Vec<ShellEffect>>>,
}

fn rig() -> Rig {
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("idcard");
    let simulator = Simulator::start(&link).expect("sim");
    let (tx, rx) = channel();
    let mut cfg = DriverConfig::new(&link);
    cfg.poll = Duration::from_millis(40);
    let driver = Driver::spawn(cfg, move |e| {
        let _ = tx.send(e);
    })
    .expect("driver");
    let HeadlessKiosk { ui, ctl, effects } = kiosk_online_except(&[DeviceKind::IdCard]);
    Rig {
        _dir: dir,
        sim: simulator.control(),
        _sim: simulator,
        _driver: driver,
        events: rx,
        ui,
        ctl,
        effects,
    }
}

impl Rig {
    /// Pump driver events into the controller until `done` holds (or 3 s pass).
    fn pump_until(&self, done: impl Fn(&Rig) -> bool) -> bool {
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(e) = self.events.recv_timeout(Duration::from_millis(50)) {
                self.ctl.reader_event(e);
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
fn placing_a_card_identifies_the_applicant_with_a_masked_name() {
    let r = rig();
    assert!(r.pump_until(|r| r.api().get_screen() == Screen::Attract && !r.api().get_starting()));
    r.sim.place(builtin_cards().remove(1)); // 王堃喆
    assert!(
        r.pump_until(|r| r.api().get_screen() == Screen::Home),
        "home after the card"
    );
    assert_eq!(r.api().get_applicant(), "王**");
    assert!(exists(&r.ui, "greeting"));
}

#[test]
fn taking_the_card_away_prompts_and_putting_it_back_continues() {
    let r = rig();
    let card = builtin_cards().remove(0);
    r.sim.place(card.clone());
    assert!(r.pump_until(|r| !r.api().get_applicant().is_empty()));
    r.sim.remove();
    assert!(
        r.pump_until(|r| r.api().get_card_away()),
        "prompt after removal"
    );
    assert!(exists(&r.ui, "dialog-card-away"));
    r.sim.place(card);
    assert!(
        r.pump_until(|r| !r.api().get_card_away()),
        "prompt gone when put back"
    );
    assert_eq!(r.api().get_screen(), Screen::Home);
    assert!(!r.effects.borrow().contains(&ShellEffect::Wipe));
}

#[test]
fn another_persons_card_replaces_the_session_and_wipes_the_first() {
    let r = rig();
    let mut cards = builtin_cards();
    r.sim.place(cards.remove(0));
    assert!(r.pump_until(|r| r.api().get_applicant() == "测*"));
    r.sim.remove();
    assert!(r.pump_until(|r| r.api().get_card_away()));
    r.sim.place(cards.remove(1)); // the HMT permit holder 陈示例
    assert!(r.pump_until(|r| r.api().get_applicant() == "陈**"));
    assert!(!r.api().get_card_away());
    assert!(r.effects.borrow().contains(&ShellEffect::Wipe));
}

#[test]
fn a_card_lifted_mid_read_shows_what_to_do() {
    let r = rig();
    r.sim.remove_during_next_read();
    r.sim.place(builtin_cards().remove(0));
    assert!(
        r.pump_until(|r| !r.api().get_notice_zh().is_empty()),
        "notice shown"
    );
    assert!(r.api().get_notice_zh().contains("平放"));
    assert_eq!(r.api().get_screen(), Screen::Attract);
}
