//! Makes `tests/fixtures/idcard-session.rec`: the driver talking to the simulator with every
//! fixture card placed and removed in turn, each byte recorded. Fictitious cards only.
//!
//! `cargo run --example record_idcard --features record -- tests/fixtures/idcard-session.rec`

use std::time::Duration;
use zhengwu_kiosk::devices::idcard::sim::{Simulator, builtin_cards};
use zhengwu_kiosk::devices::idcard::{Driver, DriverConfig, ReaderEvent};

fn main() -> anyhow::Result<()> {
    let out = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: record_idcard OUT.rec"))?;
    let _ = std::fs::remove_file(&out);
    let dir = tempfile::tempdir()?;
    let link = dir.path().join("idcard");
    let sim = Simulator::start(&link)?;
    let control = sim.control();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut cfg = DriverConfig::new(&link);
    cfg.poll = Duration::from_millis(30);
    // One SAM check at start only, so that a replay sees the same command sequence.
    cfg.sam_check = Duration::from_secs(86_400);
    cfg.record = Some(out.clone().into());
    let driver = Driver::spawn(cfg, move |e| {
        let _ = tx.send(e);
    })?;
    let wait = |want: fn(&ReaderEvent) -> bool| loop {
        match rx.recv_timeout(Duration::from_secs(5)) {
            Ok(e) if want(&e) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(anyhow::anyhow!("no event: {e}")),
        }
    };
    wait(|e| matches!(e, ReaderEvent::Status(_)))?;
    for card in builtin_cards() {
        control.place(card);
        wait(|e| matches!(e, ReaderEvent::CardRead(_)))?;
        control.remove();
        wait(|e| matches!(e, ReaderEvent::CardRemoved))?;
    }
    driver.stop();
    println!("recorded {out}");
    Ok(())
}
