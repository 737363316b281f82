//! Status faults end to end: the real driver against the emulator over real sockets and
//! pseudo-terminals, through each transport. Paper out before and during a job, cover open,
//! offline, paper near-end (a warning, still prints), the printer gone and back, ASB, and a
//! silent device on the non-blocking usblp transport (the deadline must fire).

use std::time::{Duration, Instant};
use zhengwu_kiosk::devices::printer::emulator::server::SimPrinter;
use zhengwu_kiosk::devices::printer::status::{Paper, PrinterCondition};
use zhengwu_kiosk::devices::printer::{PrintError, PrinterDriver, Profile, Receipt, Timeouts};
use zhengwu_kiosk::devices::{DeviceState, DeviceStatus, MediaState, UserErrorReason};

fn profile() -> Profile {
    Profile::builtin("generic-80-gb18030").expect("profile")
}

fn quick() -> Timeouts {
    Timeouts {
        open: Duration::from_secs(2),
        status: Duration::from_millis(300),
        write: Duration::from_secs(5),
        job: Duration::from_secs(2),
    }
}

fn tcp_sim(dir: &std::path::Path) -> SimPrinter {
    SimPrinter::listen("127.0.0.1:0", profile(), dir).expect("emulator")
}

#[test]
fn paper_near_end_is_a_warning_and_the_receipt_prints() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = tcp_sim(dir.path());
    sim.set_condition(PrinterCondition {
        paper: Paper::NearEnd,
        ..Default::default()
    });
    let mut d = PrinterDriver::new(sim.endpoint(), profile(), quick());
    assert_eq!(d.status(), DeviceStatus::online(MediaState::NearEnd));
    let printed = d
        .print_receipt(&Receipt::sample())
        .expect("prints on near-end");
    assert_eq!(printed.before.paper, Paper::NearEnd);
    assert_eq!(sim.wait_jobs(1, Duration::from_secs(5)).len(), 1);
}

#[test]
fn paper_out_before_the_job_sends_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = tcp_sim(dir.path());
    sim.set_condition(PrinterCondition {
        paper: Paper::Out,
        ..Default::default()
    });
    let mut d = PrinterDriver::new(sim.endpoint(), profile(), quick());
    let err = d.print_receipt(&Receipt::sample()).expect_err("no paper");
    assert!(matches!(err, PrintError::NotReady(_)), "{err}");
    assert_eq!(
        err.device_status(),
        DeviceStatus::new(DeviceState::UserError(UserErrorReason::PaperOut))
    );
    assert_eq!(err.to_string(), "printer not ready: offline, paper out");
    assert!(sim.wait_jobs(1, Duration::from_millis(300)).is_empty());
    assert!(sim.files().is_empty());
}

#[test]
fn paper_out_during_the_job_is_reported_and_a_reprint_works_after_refill() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = tcp_sim(dir.path());
    sim.run_out_after(Some(300));
    let mut d = PrinterDriver::new(sim.endpoint(), profile(), quick());
    let receipt = Receipt::sample();
    let err = d
        .print_receipt(&receipt)
        .expect_err("paper runs out mid-job");
    assert!(
        matches!(err, PrintError::Interrupted(c) if c.paper == Paper::Out),
        "{err}"
    );
    assert_eq!(
        err.device_status().state,
        DeviceState::UserError(UserErrorReason::PaperOut)
    );
    let jobs = sim.wait_jobs(1, Duration::from_secs(5));
    assert_eq!(jobs.len(), 1);
    assert!(jobs[0].incomplete);
    assert!(
        jobs[0].bitmap.height() <= 300 + 64,
        "stopped near where the paper ran out"
    );
    assert!(
        sim.files()[0]
            .to_string_lossy()
            .ends_with("job-0001-incomplete.png")
    );
    // Staff refill the paper; the kept receipt is printed again.
    sim.set_condition(PrinterCondition::default());
    d.print_receipt(&receipt).expect("reprint");
    let jobs = sim.wait_jobs(1, Duration::from_secs(5));
    assert!(
        !jobs[0].incomplete
            && jobs[0]
                .text_lines()
                .iter()
                .any(|l| l.contains("41152220261126000042"))
    );
}

#[test]
fn cover_open_and_offline_map_to_their_states() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = tcp_sim(dir.path());
    let mut d = PrinterDriver::new(sim.endpoint(), profile(), quick());
    sim.set_condition(PrinterCondition {
        cover_open: true,
        ..Default::default()
    });
    let err = d.print_receipt(&Receipt::sample()).expect_err("cover open");
    assert_eq!(
        err.device_status().state,
        DeviceState::UserError(UserErrorReason::CoverOpen)
    );
    sim.set_condition(PrinterCondition {
        offline: true,
        ..Default::default()
    });
    assert_eq!(d.status().state, DeviceState::Offline);
    sim.set_condition(PrinterCondition {
        cutter_error: true,
        ..Default::default()
    });
    assert_eq!(d.status().state, DeviceState::HardwareError);
    sim.set_condition(PrinterCondition::default());
    assert_eq!(d.status(), DeviceStatus::online(MediaState::Ok));
    assert!(sim.files().is_empty());
}

#[test]
fn printer_gone_is_offline_and_the_driver_reconnects_when_it_is_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = tcp_sim(dir.path());
    let endpoint = sim.endpoint().to_owned();
    let mut d = PrinterDriver::new(endpoint.clone(), profile(), quick());
    assert_eq!(d.status(), DeviceStatus::online(MediaState::Ok));
    sim.stop();
    let err = d
        .print_receipt(&Receipt::sample())
        .expect_err("printer gone");
    assert!(
        matches!(err, PrintError::Transport(_) | PrintError::NoReply { .. }),
        "{err}"
    );
    assert_eq!(err.device_status().state, DeviceState::Offline);
    assert_eq!(d.status().state, DeviceState::Offline);
    // Switched on again at the same address.
    let addr = endpoint.trim_start_matches("tcp://");
    let sim = SimPrinter::listen(addr, profile(), dir.path()).expect("emulator again");
    d.print_receipt(&Receipt::sample())
        .expect("prints after reconnecting");
    assert_eq!(sim.wait_jobs(1, Duration::from_secs(5)).len(), 1);
}

#[test]
fn serial_link_prints_and_reports_paper_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join("ttyPRINTER");
    let sim = SimPrinter::link(&link, profile(), &dir.path().join("out")).expect("pty emulator");
    let device = format!("serial:{}@9600", link.display());
    let mut d = PrinterDriver::new(device, profile(), quick());
    let printed = d
        .print_receipt(&Receipt::sample())
        .expect("prints over the PTY");
    assert!(printed.confirmed);
    let jobs = sim.wait_jobs(1, Duration::from_secs(5));
    assert!(
        jobs[0]
            .text_lines()
            .iter()
            .any(|l| l.contains("办件受理回执"))
    );
    sim.set_condition(PrinterCondition {
        paper: Paper::Out,
        ..Default::default()
    });
    assert_eq!(
        d.status().state,
        DeviceState::UserError(UserErrorReason::PaperOut)
    );
}

#[test]
fn usblp_transport_talks_to_a_character_device_with_deadlines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join("lp0");
    let sim = SimPrinter::link(&link, profile(), &dir.path().join("out")).expect("pty emulator");
    let mut d = PrinterDriver::new(format!("usblp:{}", link.display()), profile(), quick());
    assert_eq!(d.status(), DeviceStatus::online(MediaState::Ok));
    d.print_receipt(&Receipt::sample())
        .expect("prints over the non-blocking file");
    assert_eq!(sim.wait_jobs(1, Duration::from_secs(5)).len(), 1);
}

#[test]
fn a_silent_usblp_device_times_out_instead_of_hanging() {
    // A pseudo-terminal nobody answers on: a blocking usblp read would wait forever (notes §4.6).
    let (_master, slave) = serialport::TTYPort::pair().expect("pty");
    let name = serialport::SerialPort::name(&slave).expect("pty name");
    let mut d = PrinterDriver::new(format!("usblp:{name}"), profile(), quick());
    let started = Instant::now();
    let err = d.condition().expect_err("nobody answers");
    assert!(matches!(err, PrintError::NoReply { n: 1, .. }), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "returned at its deadline"
    );
    assert_eq!(err.device_status().state, DeviceState::Offline);
}

#[test]
fn asb_reports_changes_without_polling() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snbc = Profile::builtin("snbc-btp-r880np").expect("profile");
    assert!(snbc.status.asb);
    let sim = SimPrinter::listen("127.0.0.1:0", snbc.clone(), dir.path()).expect("emulator");
    let mut d = PrinterDriver::new(sim.endpoint(), snbc, quick());
    assert_eq!(d.status(), DeviceStatus::online(MediaState::Ok));
    sim.set_condition(PrinterCondition {
        paper: Paper::NearEnd,
        ..Default::default()
    });
    let deadline = Instant::now() + Duration::from_secs(5);
    while d.last_asb().map(|c| c.paper) != Some(Paper::NearEnd) && Instant::now() < deadline {
        let _ = d.condition();
    }
    assert_eq!(d.last_asb().map(|c| c.paper), Some(Paper::NearEnd));
}

#[test]
fn garbage_from_the_host_does_not_stop_the_emulator() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = tcp_sim(dir.path());
    let mut d = PrinterDriver::new(sim.endpoint(), profile(), quick());
    d.send_raw(&[
        0x1B, 0xFF, 0x1D, 0x99, 0x07, 0x00, b'o', b'k', 0x0A, 0x1D, 0x56, 0x01,
    ])
    .expect("send");
    let jobs = sim.wait_jobs(1, Duration::from_secs(5));
    assert_eq!(jobs[0].text_lines(), ["ok"]);
    assert!(
        jobs[0].warnings.iter().any(|w| w.contains("1B FF")),
        "{:?}",
        jobs[0].warnings
    );
    assert_eq!(d.status(), DeviceStatus::online(MediaState::Ok));
}

#[test]
fn presenter_reports_an_untaken_receipt_until_it_is_taken() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kiosk = Profile::builtin("custom-vkp80iii").expect("profile");
    let sim = SimPrinter::listen("127.0.0.1:0", kiosk.clone(), dir.path()).expect("emulator");
    let mut d = PrinterDriver::new(sim.endpoint(), kiosk, quick());
    assert_eq!(d.status(), DeviceStatus::online(MediaState::Ok));
    d.print_receipt(&Receipt::sample())
        .expect("prints and presents");
    let jobs = sim.wait_jobs(1, Duration::from_secs(5));
    assert_eq!(
        jobs[0].transcript.last(),
        Some(&zhengwu_kiosk::devices::printer::emulator::render::Printed::Presented)
    );
    // Custom full status (DLE EOT 20) says the ticket is still in the output.
    assert_eq!(
        d.status().state,
        DeviceState::UserError(UserErrorReason::ReceiptNotTaken)
    );
    let err = d
        .print_receipt(&Receipt::sample())
        .expect_err("previous receipt still there");
    assert_eq!(
        err.device_status().state,
        DeviceState::UserError(UserErrorReason::ReceiptNotTaken)
    );
    sim.take_receipt();
    assert_eq!(d.status(), DeviceStatus::online(MediaState::Ok));
}
