//! The printer task against the emulator over TCP: status changes arrive as events without
//! asking, a print during paper-out comes back as a typed error with the user-error status (the
//! journey then shows the QR on screen), and the same receipt prints after the refill.

use std::sync::mpsc;
use std::time::{Duration, Instant};
use zhengwu_kiosk::devices::printer::emulator::server::SimPrinter;
use zhengwu_kiosk::devices::printer::status::{Paper, PrinterCondition};
use zhengwu_kiosk::devices::printer::{PrintError, PrinterEvent, PrinterService, Profile, Receipt};
use zhengwu_kiosk::devices::{DeviceState, DeviceStatus, MediaState, UserErrorReason};

fn next_status(rx: &mpsc::Receiver<PrinterEvent>, want: DeviceStatus) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        if let Ok(PrinterEvent::Status(s)) = rx.recv_timeout(Duration::from_millis(100)) {
            if s == want {
                return;
            }
            seen.push(s);
        }
    }
    panic!("no {want:?}; saw {seen:?}");
}

fn next_printed(rx: &mpsc::Receiver<PrinterEvent>, id: u64) -> Result<(), PrintError> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(PrinterEvent::Printed { job, result }) =
            rx.recv_timeout(Duration::from_millis(100))
        {
            assert_eq!(job, id);
            return result.map(|_| ());
        }
    }
    panic!("job {id} never finished");
}

#[test]
fn status_changes_and_print_results_arrive_as_events() {
    let dir = tempfile::tempdir().expect("tempdir");
    let profile = Profile::builtin("generic-58-gb2312").expect("profile");
    let sim = SimPrinter::listen("127.0.0.1:0", profile.clone(), dir.path()).expect("emulator");
    let (tx, rx) = mpsc::channel();
    let mut service = PrinterService::spawn(
        sim.endpoint(),
        profile,
        Duration::from_millis(100),
        move |e| {
            let _ = tx.send(e);
        },
    )
    .expect("spawn");
    next_status(&rx, DeviceStatus::online(MediaState::Ok));

    sim.set_condition(PrinterCondition {
        paper: Paper::Out,
        ..Default::default()
    });
    next_status(
        &rx,
        DeviceStatus::new(DeviceState::UserError(UserErrorReason::PaperOut)),
    );
    let receipt = Receipt::sample();
    let id = service.print(receipt.clone());
    let err = next_printed(&rx, id).expect_err("no paper");
    assert!(matches!(err, PrintError::NotReady(_)), "{err}");
    assert!(!err.message_zh().is_empty());

    sim.set_condition(PrinterCondition::default());
    service.poll_now();
    next_status(&rx, DeviceStatus::online(MediaState::Ok));
    let id = service.print(receipt);
    next_printed(&rx, id).expect("reprinted");
    assert_eq!(sim.wait_jobs(1, Duration::from_secs(5)).len(), 1);
}

#[test]
fn the_configured_sim_port_starts_the_emulator_and_prints_into_the_data_folder() {
    use zhengwu_kiosk::devices::printer::service::RunningPrinter;
    let data = tempfile::tempdir().expect("tempdir");
    let (tx, rx) = mpsc::channel();
    let mut printer =
        RunningPrinter::start("sim", "generic-80-gb18030", None, data.path(), move |e| {
            let _ = tx.send(e);
        })
        .expect("starts");
    assert!(printer.simulated().is_some());
    next_status(&rx, DeviceStatus::online(MediaState::Ok));
    let id = printer.print(Receipt::sample());
    next_printed(&rx, id).expect("printed");
    let sim = printer.simulated().expect("sim");
    assert_eq!(sim.sim.wait_jobs(1, Duration::from_secs(5)).len(), 1);
    assert!(data.path().join("receipts/job-0001.png").exists());
    // A wrong profile name is a clear error, not a panic.
    let err = RunningPrinter::start("sim", "no-such-printer", None, data.path(), |_| {})
        .err()
        .expect("unknown profile");
    assert!(
        err.to_string()
            .contains("no printer profile named \"no-such-printer\""),
        "{err}"
    );
}

#[test]
fn dock_actions_on_the_simulated_printer_reach_the_driver() {
    use zhengwu_kiosk::devices::printer::service::SimulatedPrinter;
    let out = tempfile::tempdir().expect("tempdir");
    let (tx, rx) = mpsc::channel();
    let printer = SimulatedPrinter::start(
        Profile::builtin("generic-80-gb18030").expect("profile"),
        out.path(),
        Duration::from_secs(60),
        move |e| {
            let _ = tx.send(e);
        },
    )
    .expect("starts");
    next_status(&rx, DeviceStatus::online(MediaState::Ok));
    for (action, want) in [
        (
            "paper-out",
            DeviceStatus::new(DeviceState::UserError(UserErrorReason::PaperOut)),
        ),
        ("near-end", DeviceStatus::online(MediaState::NearEnd)),
        (
            "cover-open",
            DeviceStatus {
                state: DeviceState::UserError(UserErrorReason::CoverOpen),
                media: MediaState::Ok,
            },
        ),
        (
            "hardware-error",
            DeviceStatus {
                state: DeviceState::HardwareError,
                media: MediaState::Ok,
            },
        ),
        (
            "offline",
            DeviceStatus {
                state: DeviceState::Offline,
                media: MediaState::Ok,
            },
        ),
        ("online", DeviceStatus::online(MediaState::Ok)),
    ] {
        assert!(printer.apply(action), "{action}");
        next_status(&rx, want);
    }
    assert!(!printer.apply("explode"));
}
