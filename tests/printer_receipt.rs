//! A receipt end to end: the real driver prints the sample 回执 over a real TCP socket to the
//! emulator, which renders it; the QR on the paper decodes (rqrr and zbarimg) to the exact
//! tracking link and the barcode scans to the case number, at 80 mm (GB18030) and 58 mm
//! (GB2312: the rare name characters must come through the raster path, not as tofu).

mod printer_support;

use printer_support::{qr_payloads, zbar};
use std::time::Duration;
use zhengwu_kiosk::devices::printer::emulator::render::Printed;
use zhengwu_kiosk::devices::printer::emulator::server::SimPrinter;
use zhengwu_kiosk::devices::printer::emulator::{RenderedJob, render_stream};
use zhengwu_kiosk::devices::printer::{PrinterDriver, Profile, Receipt, ReceiptNumber, Timeouts};

fn print_through_emulator(profile: &str, receipt: &Receipt) -> RenderedJob {
    let out = tempfile::tempdir().expect("tempdir");
    let profile = Profile::builtin(profile).expect("profile");
    let sim = SimPrinter::listen("127.0.0.1:0", profile.clone(), out.path()).expect("emulator");
    let mut driver = PrinterDriver::new(sim.endpoint(), profile, Timeouts::default());
    let printed = driver.print_receipt(receipt).expect("prints");
    assert!(printed.confirmed, "GS r 1 came back");
    let mut jobs = sim.wait_jobs(1, Duration::from_secs(10));
    assert_eq!(jobs.len(), 1);
    assert_eq!(sim.files().len(), 1, "one PNG written");
    assert!(sim.files()[0].exists());
    jobs.remove(0)
}

fn all_text(job: &RenderedJob) -> String {
    job.text_lines().concat()
}

#[test]
fn receipt_80mm_gb18030_prints_as_text_with_scannable_codes() {
    let r = Receipt::sample();
    let job = print_through_emulator("generic-80-gb18030", &r);
    assert!(
        !job.incomplete && job.warnings.is_empty(),
        "{:?}",
        job.warnings
    );
    let text = all_text(&job);
    for want in [
        "办件受理回执",
        "办件编号：41152220261126000042",
        "珺**",
        "1101**********7777",
        "12345",
        "堃喆昇犇",
    ] {
        assert!(text.contains(want), "missing {want:?} in {text}");
    }
    assert!(!text.contains('□'), "no tofu: {text}");
    assert!(!text.contains("110101199003077777"), "ID number is masked");
    assert!(
        job.transcript
            .contains(&Printed::Qr(r.tracking_url.clone()))
    );
    assert!(job.transcript.contains(&Printed::Cut(
        zhengwu_kiosk::devices::printer::command::CutKind::Partial
    )));
    assert_eq!(qr_payloads(&job.bitmap), [r.tracking_url.as_str()]);
    let mut scanned = zbar(&job.bitmap);
    scanned.sort();
    assert_eq!(
        scanned,
        [
            format!("CODE-128:{}", r.number.as_str()),
            format!("QR-Code:{}", r.tracking_url)
        ]
    );
}

#[test]
fn receipt_58mm_gb2312_rasterises_the_rare_characters() {
    let r = Receipt::sample();
    let job = print_through_emulator("generic-58-gb2312", &r);
    assert_eq!(job.bitmap.width(), 384);
    let text = all_text(&job);
    assert!(
        !text.contains('□'),
        "a GB2312 font must never get codes it lacks: {text}"
    );
    // The lines with 珺 and 堃喆昇犇 arrive as images, the rest as text.
    assert!(!text.contains('珺') && !text.contains('堃'));
    assert!(text.contains("证件号码：1101**********7777"));
    let images = job
        .transcript
        .iter()
        .filter(|p| matches!(p, Printed::Image { .. }))
        .count();
    assert!(images >= 2, "{:?}", job.transcript);
    assert_eq!(qr_payloads(&job.bitmap), [r.tracking_url.as_str()]);
    let mut scanned = zbar(&job.bitmap);
    scanned.sort();
    assert_eq!(
        scanned,
        [
            format!("CODE-128:{}", r.number.as_str()),
            format!("QR-Code:{}", r.tracking_url)
        ]
    );
}

#[test]
fn gb2312_emulator_shows_tofu_when_given_codes_outside_its_font() {
    // The control for the test above: the same job composed for a GB18030 printer sends 堃 as
    // 88 D2, which a GB2312 printer cannot draw.
    let r = Receipt::sample();
    let job = zhengwu_kiosk::devices::printer::job::receipt_job(
        &r,
        &Profile::builtin("generic-80-gb18030").expect("p"),
    )
    .expect("job");
    let mut p58 = Profile::builtin("generic-58-gb2312").expect("p");
    p58.paper = Profile::builtin("generic-80-gb18030").expect("p").paper;
    let jobs = render_stream(&job.bytes(), p58, false).expect("renders");
    assert!(all_text(&jobs[0]).contains('□'));
}

#[test]
fn every_profile_prints_a_receipt_whose_qr_decodes() {
    for name in Profile::builtin_names() {
        let mut r = Receipt::sample();
        r.number = ReceiptNumber::Pending("P-DEMO0001-0007".into());
        let job = print_through_emulator(name, &r);
        assert_eq!(qr_payloads(&job.bitmap), [r.tracking_url.clone()], "{name}");
        let profile = Profile::builtin(name).expect("profile");
        if profile.text.charset == zhengwu_kiosk::devices::printer::charset::Charset::None {
            // Raster-only (ANK) printers get no Chinese as text at all.
            assert!(all_text(&job).is_ascii(), "{name}: {}", all_text(&job));
        } else {
            assert!(
                all_text(&job).contains("待上传号：P-DEMO0001-0007"),
                "{name}: {}",
                all_text(&job)
            );
        }
        assert!(!all_text(&job).contains('□'), "{name}");
        let scanned = zbar(&job.bitmap);
        assert!(
            scanned.contains(&format!("CODE-128:{}", r.number.as_str())),
            "{name}: {scanned:?}"
        );
    }
}
