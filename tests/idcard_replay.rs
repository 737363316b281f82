//! Replay: a recorded session (`tests/fixtures/idcard-session.rec`, made by
//! `examples/record_idcard.rs` with the simulator's fictitious cards) is played back to the real
//! driver through a real pseudo-terminal. Each request must match the recording byte for byte,
//! and the driver must report the same cards and removals as when it was recorded.

use serialport::{SerialPort, TTYPort};
use std::io::{Read, Write};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};
use zhengwu_kiosk::devices::idcard::record::{Direction, parse};
use zhengwu_kiosk::devices::idcard::sim::builtin_cards;
use zhengwu_kiosk::devices::idcard::{Driver, DriverConfig, ReaderEvent};

struct Exchange {
    request: Vec<u8>,
    answer: Vec<u8>,
}

fn exchanges() -> Vec<Exchange> {
    let chunks = parse(include_str!("fixtures/idcard-session.rec")).expect("recording parses");
    let mut out: Vec<Exchange> = Vec::new();
    for c in chunks {
        match c.direction {
            Direction::HostToReader => out.push(Exchange {
                request: c.bytes,
                answer: Vec::new(),
            }),
            Direction::ReaderToHost => {
                if let Some(last) = out.last_mut() {
                    last.answer.extend(c.bytes);
                }
            }
        }
    }
    out
}

#[test]
fn a_recorded_session_replays_to_the_same_events() {
    let script = exchanges();
    assert!(script.len() > 20, "recording too short: {}", script.len());
    let (mut master, slave) = TTYPort::pair().expect("pty");
    master
        .set_timeout(Duration::from_millis(20))
        .expect("timeout");
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("idcard");
    std::os::unix::fs::symlink(slave.name().expect("name"), &link).expect("link");

    let (div_tx, div_rx) = channel::<String>();
    let peer = std::thread::spawn(move || {
        let _slave = slave; // keep the PTY alive
        let mut pending = Vec::new();
        let mut buf = [0u8; 4096];
        for (i, ex) in script.iter().enumerate() {
            let deadline = Instant::now() + Duration::from_secs(5);
            while pending.len() < ex.request.len() {
                if Instant::now() > deadline {
                    let _ = div_tx.send(format!("exchange {i}: no request"));
                    return i;
                }
                if let Ok(n) = master.read(&mut buf) {
                    pending.extend_from_slice(&buf[..n]);
                }
            }
            let got: Vec<u8> = pending.drain(..ex.request.len()).collect();
            if got != ex.request {
                let _ = div_tx.send(format!(
                    "exchange {i}: request {got:02x?} differs from the recording {:02x?}",
                    ex.request
                ));
                return i;
            }
            let _ = master.write_all(&ex.answer);
        }
        script.len()
    });

    let (tx, rx) = channel();
    let mut cfg = DriverConfig::new(&link);
    cfg.poll = Duration::from_millis(30);
    cfg.sam_check = Duration::from_secs(86_400);
    let driver = Driver::spawn(cfg, move |e| {
        let _ = tx.send(e);
    })
    .expect("driver");

    let cards = builtin_cards();
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while seen.len() < cards.len() * 2 && Instant::now() < deadline {
        if let Ok(e) = rx.recv_timeout(Duration::from_millis(100)) {
            match e {
                ReaderEvent::CardRead(c) => seen.push(format!("read {}", c.card.card_type.key())),
                ReaderEvent::CardRemoved => seen.push("removed".to_string()),
                _ => {}
            }
        }
        if let Ok(d) = div_rx.try_recv() {
            panic!("replay diverged: {d}");
        }
    }
    driver.stop();
    let expected: Vec<String> = cards
        .iter()
        .flat_map(|c| [format!("read {}", c.card_type), "removed".to_string()])
        .collect();
    assert_eq!(seen, expected);
    let played = peer.join().expect("peer");
    assert!(played > 20);
}
