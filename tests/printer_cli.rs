//! The printer's technician commands as a technician runs them: `kiosk escpos render` on a
//! python-escpos file and on garbage, `kiosk sim printer` driven through its standard input, and
//! `kiosk diag printer` against it over TCP.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn kiosk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kiosk"))
}

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/printer/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn escpos_render_writes_a_png_and_rejects_garbage_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let png = dir.path().join("qr.png");
    let out = kiosk()
        .args(["escpos", "render", &fixture("python-escpos-qr.bin")])
        .arg(&png)
        .output()
        .expect("run kiosk");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png).expect("png written");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");

    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, [0x1B, 0x40, b'h', b'i', 0x1B, 0xEE, 0x01]).expect("write");
    let out = kiosk()
        .args(["escpos", "render"])
        .arg(&junk)
        .arg(dir.path().join("j.png"))
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not ESC/POS: unknown or malformed ESC/POS command 1B EE at byte 4"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let out = kiosk()
        .args(["escpos", "render", "--lenient"])
        .arg(&junk)
        .arg(dir.path().join("j.png"))
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("warning: skipped"));
}

#[test]
fn sim_printer_is_controlled_from_stdin_and_diag_reads_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    let addr = probe.local_addr().expect("addr").to_string();
    drop(probe);
    let mut sim = kiosk()
        .args(["sim", "printer", "--listen", &addr, "--out"])
        .arg(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sim");
    let mut stdout = BufReader::new(sim.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("banner");
    assert!(line.contains(&format!("tcp://{addr}")), "{line}");

    let device = format!("tcp://{addr}");
    let diag = |args: &[&str]| {
        kiosk()
            .args(["diag", "printer", "--device", &device])
            .args(args)
            .output()
            .expect("diag")
    };
    let out = diag(&["--test-page"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("test page printed"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !dir.path().join("job-0001.png").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(dir.path().join("job-0001.png").exists());

    let mut stdin = sim.stdin.take().expect("stdin");
    writeln!(stdin, "paper-out").expect("control");
    let mut ack = String::new();
    while !ack.contains("condition:") {
        ack.clear();
        stdout.read_line(&mut ack).expect("ack");
    }
    assert!(ack.contains("paper out"), "{ack}");
    let out = diag(&["--status"]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("user error: paper out"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = diag(&["--sample-receipt"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("printer not ready"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    drop(stdin); // closing stdin stops the emulator
    assert!(sim.wait().expect("sim exits").success());
}

#[test]
fn sim_printer_on_a_serial_link_answers_diag() {
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join("ttyPRN");
    let mut sim = kiosk()
        .args(["sim", "printer", "--profile", "generic-58-gb2312", "--link"])
        .arg(&link)
        .arg("--out")
        .arg(dir.path().join("out"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sim");
    let mut stdout = BufReader::new(sim.stdout.take().expect("stdout"));
    let mut banner = String::new();
    stdout.read_line(&mut banner).expect("banner");
    assert!(banner.contains(&link.display().to_string()), "{banner}");
    let device = format!("serial:{}", link.display());
    let out = kiosk()
        .args([
            "diag",
            "printer",
            "--profile",
            "generic-58-gb2312",
            "--device",
            &device,
            "--status",
            "--test-page",
        ])
        .output()
        .expect("diag");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("online (paper ok"), "{text}");
    // The GB2312 profile prints the rare-character line through the raster path.
    assert!(text.contains("2 raster lines"), "{text}");
    drop(sim.stdin.take());
    assert!(sim.wait().expect("sim exits").success());
    assert!(
        !link.exists(),
        "the link is removed when the emulator stops"
    );
}
