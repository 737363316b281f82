//! The demo dock's printer panel, through the real dock component (headless Slint testing
//! backend) and the kiosk's own device wiring (`app::devices::start` with `port = "sim"`):
//! "print sample" sends the sample 回执 through the real driver over TCP to the emulator, which
//! writes a PNG whose QR decodes to the signed tracking link, which the scanner's classifier
//! recognises as that receipt. (The dock's fault buttons only call
//! `SimulatedPrinter::apply`, whose effect is covered by `printer_faults.rs`.)

mod printer_support;

use slint::ComponentHandle;
use std::time::{Duration, Instant};
use zhengwu_kiosk::app::Config;
use zhengwu_kiosk::app::ui_bridge::Controller;
use zhengwu_kiosk::devices::DeviceKind;
use zhengwu_kiosk::devices::printer::Receipt;
use zhengwu_kiosk::devices::printer::bitmap::Bitmap;
use zhengwu_kiosk::devices::scanner::{Classifier, Payload};
use zhengwu_kiosk::ui::{AppWindow, Dock};

fn wait_for(path: &std::path::Path) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !path.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    // The PNG is complete once its transcript is written next to it.
    while !path.with_extension("txt").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    path.exists()
}

fn read_png(path: &std::path::Path) -> Bitmap {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).expect("open png"),
    ));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let (w, h) = (info.width as usize, info.height as usize);
    let mut b = Bitmap::new(w, h);
    for y in 0..h {
        for x in 0..w {
            if buf[y * info.line_size + x] < 128 {
                b.set(x, y);
            }
        }
    }
    b
}

#[test]
fn dock_prints_a_sample_receipt_through_the_emulator() {
    i_slint_backend_testing::init_no_event_loop();
    let ui = AppWindow::new().expect("window");
    let data = tempfile::tempdir().expect("tmp");
    let mut config = Config::demo(data.path().to_owned());
    for kind in DeviceKind::ALL {
        if kind != DeviceKind::Printer && kind != DeviceKind::Scanner {
            config.devices.get_mut(kind).enabled = false;
            config.devices.get_mut(kind).required = false;
        }
    }
    let ctl = Controller::attach(&ui, &config, Instant::now());
    let devices = zhengwu_kiosk::app::devices::start(&config, &ctl, data.path());
    let dock = zhengwu_kiosk::demo::attach_dock(&ctl, &devices).expect("dock");
    let api = dock.global::<Dock>();
    assert!(api.get_has_printer_sim());
    let out = data.path().join("receipts");
    assert!(api.get_printer_note().contains(&out.display().to_string()));

    api.invoke_print_receipt();
    let png = out.join("job-0001.png");
    assert!(wait_for(&png), "no receipt PNG at {}", png.display());
    let printed = read_png(&png);
    let codec = devices
        .scanner_codec
        .clone()
        .expect("the scanner's receipt codec");
    let payloads = printer_support::qr_payloads(&printed);
    let expected = zhengwu_kiosk::demo::signed_sample(Some(&codec)).tracking_url;
    assert_eq!(payloads.as_slice(), std::slice::from_ref(&expected));
    assert_ne!(
        expected,
        Receipt::sample().tracking_url,
        "the link is signed"
    );
    // Scanned back at the kiosk, the printed QR is recognised as this receipt.
    let scan = Classifier::new(codec).classify(expected.as_bytes());
    match scan.payload {
        Payload::Receipt(r) => assert_eq!(r.case, Receipt::sample().number.as_str()),
        other => panic!("printed QR not recognised: {other:?}"),
    }

    drop(dock);
    drop(devices);
}
