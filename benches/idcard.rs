//! ID-card reader benchmarks (issue #3):
//! - decoding a 1295-byte read answer (stream decoder + payload + card text);
//! - one full read (find → select → read) over the simulator on a real pseudo-terminal with
//!   real 115200-baud wire timing of the answers, compared with the wire time of those bytes
//!   (the difference is software overhead, ours plus the simulator's sleep granularity;
//!   target ≤ 5 ms per read);
//! - a full read without wire timing (pure software path over the PTY).
//!
//! `cargo bench --bench idcard`

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use zhengwu_kiosk::devices::idcard::frame::{Command, Decoder, Response};
use zhengwu_kiosk::devices::idcard::link::Link;
use zhengwu_kiosk::devices::idcard::payload::{PHOTO_LEN, ReadData};
use zhengwu_kiosk::devices::idcard::sim::{Simulator, builtin_cards};
use zhengwu_kiosk::devices::idcard::{Card, Sw3};

fn read_frame() -> Vec<u8> {
    let text = builtin_cards()[0].encode().expect("fixture encodes");
    let data = ReadData {
        text,
        photo: vec![0; PHOTO_LEN],
        fingerprint: vec![],
    };
    Response {
        sw1: 0,
        sw2: 0,
        sw3: Sw3::Success,
        data: data.encode(false),
    }
    .encode()
}

fn decode(c: &mut Criterion) {
    let frame = read_frame();
    assert_eq!(frame.len(), 1295);
    c.bench_function("idcard/decode_read_frame_1295", |b| {
        b.iter(|| {
            let mut d = Decoder::responses();
            d.push(black_box(&frame));
            let r = d.next_response().and_then(Result::ok).expect("frame");
            let data = ReadData::parse(&r.data, false).expect("payload");
            black_box(Card::decode(&data.text))
        })
    });
}

/// Answer bytes on the wire for find + select + read (the simulator times answers only; the
/// requests, 30 bytes, go into the pseudo-terminal at once).
fn wire_bytes() -> usize {
    15 + 19 + 1295
}

fn full_read(c: &mut Criterion, name: &str, baud: Option<u32>) {
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("idcard");
    let sim = Simulator::start(&link).expect("sim");
    let control = sim.control();
    control.baud_timing(baud);
    let mut port = Link::open(&link, 115_200).expect("open");
    let card = builtin_cards().remove(0);
    let t = Duration::from_secs(2);
    if let Some(bps) = baud {
        let wire = wire_bytes() as f64 * 10.0 / f64::from(bps);
        eprintln!(
            "{name}: wire time of {} bytes at {bps} baud = {:.2} ms",
            wire_bytes(),
            wire * 1000.0
        );
    }
    let mut group = c.benchmark_group("idcard");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    group.bench_function(name, |b| {
        b.iter(|| {
            control.place(card.clone());
            let f = port.transact(Command::FindCard, t).expect("find");
            assert_eq!(f.sw3, Sw3::FindOk);
            port.transact(Command::SelectCard, t).expect("select");
            let r = port.transact(Command::ReadText, t).expect("read");
            let data = ReadData::parse(&r.data, false).expect("payload");
            black_box(Card::decode(&data.text));
        })
    });
    group.finish();
}

fn reads(c: &mut Criterion) {
    full_read(c, "full_read_115200_wire_timing", Some(115_200));
    full_read(c, "full_read_no_wire_timing", None);
}

criterion_group!(benches, decode, reads);
criterion_main!(benches);
