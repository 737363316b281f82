//! The real driver against the simulator over a real pseudo-terminal: every card type end to
//! end, one read per placement, removal, garbage, slow answers, a SAM fault, a card lifted
//! mid-read, and unplug/replug recovery within 2 s.

mod kiosk_support;

use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};
use zhengwu_kiosk::devices::idcard::driver::CardRead;
use zhengwu_kiosk::devices::idcard::sim::{SimControl, Simulator, builtin_cards};
use zhengwu_kiosk::devices::idcard::{Card, CardType, Driver, DriverConfig, ReaderEvent};
use zhengwu_kiosk::devices::{DeviceState, DeviceStatus};

struct Rig {
    _dir: tempfile::TempDir,
    sim: SimControl,
    _sim: Simulator,
    driver: Option<Driver>,
    events: Receiver<ReaderEvent>,
}

fn rig() -> Rig {
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("idcard");
    let simulator = Simulator::start(&link).expect("sim");
    let (tx, rx) = channel();
    let mut cfg = DriverConfig::new(&link);
    cfg.poll = Duration::from_millis(40);
    cfg.timeout = Duration::from_millis(400);
    cfg.read_timeout = Duration::from_millis(800);
    cfg.reopen = Duration::from_millis(100);
    cfg.sam_check = Duration::from_millis(500);
    let driver = Driver::spawn(cfg, move |e| {
        let _ = tx.send(e);
    })
    .expect("driver");
    Rig {
        _dir: dir,
        sim: simulator.control(),
        _sim: simulator,
        driver: Some(driver),
        events: rx,
    }
}

impl Rig {
    /// Wait for the first event matching `want`, up to `within`.
    /// Wait for the first event matching `want`, up to `within`.
    fn wait_for(
        &self,
        within: Duration,
        want: impl Fn(&ReaderEvent) -> bool,
    ) -> Option<ReaderEvent> {
        kiosk_support::wait_for(&self.events, within, want)
    }

    fn wait_status(&self, state: DeviceState, within: Duration) -> bool {
        self.wait_for(
            within,
            |e| matches!(e, ReaderEvent::Status(s) if s.state == state),
        )
        .is_some()
    }

    fn wait_card(&self, within: Duration) -> Option<Box<CardRead>> {
        match self.wait_for(within, |e| matches!(e, ReaderEvent::CardRead(_))) {
            Some(ReaderEvent::CardRead(c)) => Some(c),
            _ => None,
        }
    }

    fn wait_removed(&self, within: Duration) -> bool {
        self.wait_for(within, |e| matches!(e, ReaderEvent::CardRemoved))
            .is_some()
    }

    /// Events that arrive within `d`.
    fn drain(&self, d: Duration) -> Vec<ReaderEvent> {
        let deadline = Instant::now() + d;
        let mut out = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.events.recv_timeout(left) {
                Ok(e) => out.push(e),
                Err(_) => break,
            }
        }
        out
    }
}

const T: Duration = Duration::from_secs(3);

#[test]
fn every_card_type_reads_end_to_end_once_per_placement() {
    let r = rig();
    assert!(r.wait_status(DeviceState::Online, T), "reader online");
    for fields in builtin_cards() {
        r.sim.place(fields.clone());
        let read = r
            .wait_card(T)
            .unwrap_or_else(|| panic!("{} not read", fields.card_type));
        let expected = Card::decode(&fields.encode().expect("encode"));
        assert_eq!(read.card.card_type, expected.card_type);
        assert_eq!(read.card.name, expected.name);
        assert_eq!(read.card.name_en, expected.name_en);
        assert_eq!(read.card.id_number, expected.id_number);
        assert_eq!(read.card.valid_to, expected.valid_to);
        assert_eq!(
            read.card.appended_addresses.len(),
            fields.appended_addresses.len()
        );
        assert_eq!(read.photo.len(), 1024);
        assert!(read.sam_id.is_some());
        // The card stays: no second read.
        let later = r.drain(Duration::from_millis(400));
        assert!(
            !later.iter().any(|e| matches!(e, ReaderEvent::CardRead(_))),
            "read twice while the card stayed"
        );
        r.sim.remove();
        assert!(r.wait_removed(T), "removal of {}", fields.card_type);
    }
}

#[test]
fn the_same_card_placed_again_is_read_again() {
    let r = rig();
    let card = builtin_cards().remove(0);
    r.sim.place(card.clone());
    assert!(r.wait_card(T).is_some());
    r.sim.remove();
    assert!(r.wait_removed(T));
    r.sim.place(card);
    assert!(r.wait_card(T).is_some());
}

#[test]
fn garbage_and_slow_answers_are_survived() {
    let r = rig();
    assert!(r.wait_status(DeviceState::Online, T));
    r.sim.garble(3);
    r.sim.slow(Duration::from_millis(150));
    r.sim.place(builtin_cards().remove(1));
    let read = r
        .wait_card(Duration::from_secs(6))
        .expect("read despite garbage");
    assert_eq!(read.card.card_type, CardType::Resident);
}

#[test]
fn a_card_lifted_mid_read_is_a_failed_read_not_a_card() {
    let r = rig();
    assert!(r.wait_status(DeviceState::Online, T));
    r.sim.remove_during_next_read();
    r.sim.place(builtin_cards().remove(0));
    let e = r
        .wait_for(T, |e| {
            matches!(e, ReaderEvent::ReadFailed(_) | ReaderEvent::CardRead(_))
        })
        .expect("an outcome");
    assert!(matches!(e, ReaderEvent::ReadFailed(_)), "{e:?}");
    r.sim.place(builtin_cards().remove(0));
    assert!(r.wait_card(T).is_some());
}

#[test]
fn unplug_goes_offline_and_replug_recovers_within_two_seconds() {
    let r = rig();
    r.sim.place(builtin_cards().remove(0));
    assert!(r.wait_card(T).is_some());
    r.sim.unplug();
    assert!(
        r.wait_status(DeviceState::Offline, T),
        "offline after unplug"
    );
    r.sim.replug();
    let t0 = Instant::now();
    assert!(r.wait_status(DeviceState::Online, T), "online after replug");
    let recovered = t0.elapsed();
    assert!(
        recovered < Duration::from_secs(2),
        "recovered in {recovered:?}"
    );
    // The card still lies there: after the reader came back it is read again.
    assert!(r.wait_card(T).is_some());
}

#[test]
fn a_missing_port_is_no_device() {
    let dir = tempfile::tempdir().expect("tmp");
    let (tx, rx) = channel();
    let _driver = Driver::spawn(DriverConfig::new(dir.path().join("none")), move |e| {
        let _ = tx.send(e);
    })
    .expect("driver");
    match rx.recv_timeout(T) {
        Ok(ReaderEvent::Status(DeviceStatus { state, .. })) => {
            assert_eq!(state, DeviceState::NoDevice)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_sam_fault_that_survives_a_reset_is_a_hardware_error() {
    let r = rig();
    assert!(r.wait_status(DeviceState::Online, T));
    r.sim.sam_broken(true);
    assert!(
        r.wait_status(DeviceState::HardwareError, T),
        "hardware error reported"
    );
    r.sim.sam_broken(false);
    assert!(
        r.wait_status(DeviceState::Online, T),
        "back online once the SAM recovers"
    );
}

#[test]
fn a_one_off_sam_fault_is_cleared_by_a_reset() {
    let r = rig();
    assert!(r.wait_status(DeviceState::Online, T));
    r.sim.sam_fault(true);
    let events = r.drain(Duration::from_millis(1500));
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, ReaderEvent::Status(s) if s.state == DeviceState::HardwareError)),
        "{events:?}"
    );
    r.sim.sam_fault(false);
    if let Some(d) = r.driver {
        d.stop();
    }
}
