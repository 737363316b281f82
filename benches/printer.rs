//! Receipt printer figures (criterion): compose + encode of a full receipt, including the raster
//! fallback (target ≤ 20 ms for 80 mm), and the emulator's render time for one receipt.
//! Run: `cargo bench --bench printer`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use zhengwu_kiosk::devices::printer::emulator::render_stream;
use zhengwu_kiosk::devices::printer::job::receipt_job;
use zhengwu_kiosk::devices::printer::{Profile, Receipt};

/// An 80 mm printer with a GB2312 font: the sample's rare characters take the raster path.
fn gb2312_80() -> Profile {
    Profile::resolve("bench-80-gb2312", &|n| {
        Ok(if n == "bench-80-gb2312" {
            Some("inherits = \"generic-80-gb18030\"\n[text]\ncharset = \"gb2312\"\n".into())
        } else {
            let path = format!("{}/hardware/printers/{n}.toml", env!("CARGO_MANIFEST_DIR"));
            std::fs::read_to_string(path).ok()
        })
    })
    .expect("bench profile")
}

fn bench(c: &mut Criterion) {
    let receipt = Receipt::sample();
    let profiles = [
        ("80mm-gb2312-rare-raster", gb2312_80()),
        (
            "80mm-ank-all-raster",
            Profile::builtin("epson-tm-t88vi-ank").expect("profile"),
        ),
        (
            "80mm-gb18030-text",
            Profile::builtin("generic-80-gb18030").expect("profile"),
        ),
        (
            "58mm-gb2312-rare-raster",
            Profile::builtin("generic-58-gb2312").expect("profile"),
        ),
    ];
    for (name, profile) in &profiles {
        let job = receipt_job(&receipt, profile).expect("job");
        assert!(
            name.contains("text") || job.stats.raster_lines > 0,
            "{name} must exercise the raster path"
        );
        c.bench_function(&format!("compose+encode/{name}"), |b| {
            b.iter(|| {
                receipt_job(black_box(&receipt), black_box(profile))
                    .expect("job")
                    .bytes()
            })
        });
    }
    for (name, profile) in &profiles {
        let bytes = receipt_job(&receipt, profile).expect("job").bytes();
        c.bench_function(&format!("emulator-render/{name}"), |b| {
            b.iter(|| render_stream(black_box(&bytes), profile.clone(), false).expect("renders"))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
