//! Idle CPU of the ID-card driver (issue #3 target: ≤ 1 % of a core with no card): the real
//! driver polls the simulator over a pseudo-terminal for 10 s with its production settings;
//! the CPU time of the driver thread alone (from /proc/self/task/*/stat) is printed.
//!
//! `cargo bench --bench idcard_idle`

use std::time::{Duration, Instant};
use zhengwu_kiosk::devices::idcard::sim::Simulator;
use zhengwu_kiosk::devices::idcard::{Driver, DriverConfig};

/// CPU ticks (user + system) of the thread named `name`.
fn thread_ticks(name: &str) -> Option<u64> {
    for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim() != name {
            continue;
        }
        let stat = std::fs::read_to_string(task.path().join("stat")).ok()?;
        // Fields after the ")" that closes comm: state is field 3; utime 14, stime 15.
        let rest = stat.rsplit_once(')')?.1;
        let f: Vec<&str> = rest.split_whitespace().collect();
        let utime: u64 = f.get(11)?.parse().ok()?;
        let stime: u64 = f.get(12)?.parse().ok()?;
        return Some(utime + stime);
    }
    None
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` and test harness probes
    }
    let secs = 10;
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("idcard");
    let sim = Simulator::start(&link).expect("sim");
    let driver = Driver::spawn(DriverConfig::new(&link), |_| {}).expect("driver");
    std::thread::sleep(Duration::from_millis(500));
    let t0 = Instant::now();
    let c0 = thread_ticks("idcard-driver").expect("driver thread");
    let r0 = sim.control().requests();
    std::thread::sleep(Duration::from_secs(secs));
    let c1 = thread_ticks("idcard-driver").expect("driver thread");
    let elapsed = t0.elapsed().as_secs_f64();
    let requests = sim.control().requests() - r0;
    driver.stop();
    // Kernel clock ticks are 100 Hz on Linux unless configured otherwise.
    let cpu_secs = (c1 - c0) as f64 / 100.0;
    println!(
        "idcard driver idle: {:.3} s CPU in {:.1} s wall = {:.2} % of a core ({} polls, {:.1} per s)",
        cpu_secs,
        elapsed,
        cpu_secs / elapsed * 100.0,
        requests,
        requests as f64 / elapsed
    );
}
