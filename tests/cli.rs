//! The `kiosk` binary as a technician uses it: the printed default configuration, checking a
//! configuration file, and the headless screenshots of every screen.

use std::process::Command;

fn kiosk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kiosk"))
}

#[test]
fn print_default_is_a_valid_configuration() {
    let out = kiosk()
        .args(["config", "--print-default"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(text.contains("[devices.printer]") && text.contains("inactivity_secs"));
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("kiosk.toml");
    std::fs::write(&path, &text).expect("write");
    let check = kiosk()
        .args(["config", "--check"])
        .arg(&path)
        .output()
        .expect("run");
    assert!(check.status.success(), "{check:?}");
}

#[test]
fn check_names_the_bad_key() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("kiosk.toml");
    std::fs::write(&path, "[timeouts]\ncountdown_secs = 1\n").expect("write");
    let out = kiosk()
        .args(["config", "--check"])
        .arg(&path)
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("timeouts.countdown_secs"), "{err}");
}

#[test]
fn run_with_a_missing_config_fails_with_its_path() {
    let out = kiosk()
        .args(["run", "--config", "/nonexistent/kiosk.toml"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/kiosk.toml"));
}

#[test]
fn screenshots_writes_every_screen_in_both_orientations_and_elder_mode() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = kiosk()
        .args(["screenshots", "--out"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(names.len(), 52, "{names:?}");
    for orientation in ["landscape", "portrait"] {
        for mode in ["normal", "elder"] {
            for screen in [
                "attract",
                "home",
                "home-identified",
                "card-away",
                "out-of-service",
                "still-there",
                "help",
            ] {
                let name = format!("{orientation}-{mode}-{screen}.png");
                assert!(names.contains(&name), "missing {name}");
            }
        }
    }
    // Decode two and check they are real, different pictures of the right size.
    let decode = |name: &str| {
        let file = std::fs::File::open(dir.path().join(name)).expect("open");
        let mut reader = png::Decoder::new(std::io::BufReader::new(file))
            .read_info()
            .expect("png");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("frame");
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    };
    let (w, h, home) = decode("portrait-normal-home.png");
    assert_eq!((w, h), (1080, 1920));
    let (_, _, oos) = decode("portrait-normal-out-of-service.png");
    assert_ne!(home, oos);
    // The top bar is government red (#c8102e) in the first rows.
    let px = &home[0..3];
    assert_eq!(px, [0xc8, 0x10, 0x2e]);
}
