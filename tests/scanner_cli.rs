//! `kiosk sim scanner` and `kiosk diag scanner` as a technician runs them: the simulator
//! scripted on standard input, the diagnostic printing each scan's kind and parsed fields
//! (masked), and a helpful failure without a port.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KIOSK: &str = env!("CARGO_BIN_EXE_kiosk");

fn wait_for_link(path: &std::path::Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !path.exists() {
        assert!(Instant::now() < deadline, "simulator link never appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Start `kiosk sim scanner`, start `kiosk diag scanner` with `diag_args`, then feed `script`.
fn run(profile: &str, diag_args: &[&str], script: &str) -> (std::process::Output, String) {
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("scanner");
    let mut sim = Command::new(KIOSK)
        .args(["sim", "scanner", "--profile", profile, "--link"])
        .arg(&link)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sim");
    wait_for_link(&link);
    let diag = Command::new(KIOSK)
        .args([
            "diag",
            "scanner",
            "--profile",
            profile,
            "--wait",
            "10",
            "--port",
        ])
        .arg(&link)
        .args(diag_args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("diag");
    // Give the diagnostic time to open the port (input queued before it opens is stale).
    std::thread::sleep(Duration::from_millis(800));
    let mut stdin = sim.stdin.take().expect("stdin");
    stdin.write_all(script.as_bytes()).expect("script");
    let out = diag.wait_with_output().expect("diag output");
    drop(stdin);
    let sim_out = sim.wait_with_output().expect("sim output");
    (out, String::from_utf8_lossy(&sim_out.stderr).into_owned())
}

#[test]
fn diag_prints_every_kind_as_json_with_masked_fields() {
    let (out, sim_log) = run(
        "serial-crlf",
        &["--json", "--count", "5"],
        "receipt\nlogin\nlicence\ngarbage\ntext https://u.wechat.com/abc\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("utf8");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert_eq!(lines[0]["kind"], "receipt");
    assert_eq!(lines[0]["case"], "411522-20261126-000042");
    assert_eq!(lines[0]["kiosk"], "UNENROLLED");
    assert_eq!(lines[1]["kind"], "login");
    assert_eq!(lines[1]["form"], "platform-link");
    assert_eq!(lines[2]["kind"], "licence");
    assert_eq!(lines[2]["type_code"], "11100000000013338W011");
    assert_eq!(lines[3]["kind"], "unknown");
    assert_eq!(lines[3]["shape"], "binary");
    assert_eq!(lines[4]["kind"], "unknown");
    assert_eq!(lines[4]["shape"], "url");
    assert_eq!(lines[4]["host"], "u.wechat.com");
    // Personal and secret parts never reach the output.
    assert!(!stdout.contains("7Hq2xVb9KpL4mN3s"), "{stdout}");
    assert!(!stdout.contains("11411522MA00000000"), "{stdout}");
    assert!(sim_log.contains("scanned a receipt code"), "{sim_log}");
}

#[test]
fn diag_text_lines_start_with_the_kind_and_idle_framing_works() {
    let (out, _) = run("serial-idle", &["--count", "2"], "licence\n6901234567892\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("utf8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("licence "), "{stdout}");
    assert!(
        lines[0].contains("type_code=11100000000013338W011"),
        "{stdout}"
    );
    assert!(lines[1].starts_with("unknown "), "{stdout}");
    assert!(lines[1].contains("digits=13"), "{stdout}");
}

#[test]
fn diag_without_a_port_says_what_to_check() {
    let out = Command::new(KIOSK)
        .args([
            "diag",
            "scanner",
            "--port",
            "/nonexistent/scanner",
            "--wait",
            "1",
        ])
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("diag");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot open /nonexistent/scanner"), "{err}");
    assert!(err.contains("dialout"), "{err}");
}

#[test]
fn diag_with_nothing_scanned_fails_after_the_wait() {
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("scanner");
    let mut sim = Command::new(KIOSK)
        .args(["sim", "scanner", "--link"])
        .arg(&link)
        .stdin(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sim");
    wait_for_link(&link);
    let started = Instant::now();
    let out = Command::new(KIOSK)
        .args(["diag", "scanner", "--wait", "0.5", "--port"])
        .arg(&link)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("diag");
    assert!(!out.status.success());
    assert!(started.elapsed() < Duration::from_secs(5));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no code was scanned"), "{err}");
    drop(sim.stdin.take());
    let _ = sim.wait();
}

#[test]
fn sim_rejects_an_unknown_profile() {
    let out = Command::new(KIOSK)
        .args([
            "sim",
            "scanner",
            "--link",
            "/tmp/never-made",
            "--profile",
            "hid-us",
        ])
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .output()
        .expect("sim");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("hid-us"));
}

#[test]
fn diag_decodes_a_recorded_keyboard_wedge_stream_in_the_given_layout() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scanner/hid/de-login.evdev");
    let run = |profile: &str| {
        let out = Command::new(KIOSK)
            .args(["diag", "scanner", "--json", "--profile", profile, "--port"])
            .arg(&fixture)
            .output()
            .expect("diag");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = String::from_utf8(out.stdout).expect("utf8");
        serde_json::from_str::<serde_json::Value>(line.trim()).expect("json")
    };
    let de = run("hid-de");
    assert_eq!(de["kind"], "login");
    assert!(!de.to_string().contains("7Hq2xVb9KpL4mN3s"));
    // The same keystrokes read as a US keyboard are not our code.
    assert_eq!(run("hid-us")["kind"], "unknown");
}
