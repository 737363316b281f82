//! The photo decoder plug-in, loaded for real: a tiny C library implementing the documented
//! `zk_wlt_decode` interface is compiled with the system C compiler and loaded at run time.
//! (It "decodes" by spreading the input bytes: a stand-in for a licensed vendor decoder.)

use std::path::{Path, PathBuf};
use std::process::Command;
use zhengwu_kiosk::devices::idcard::photo::{
    NativeDecoder, PHOTO_HEIGHT, PHOTO_WIDTH, PhotoDecoder, PhotoError, load,
};

const SHIM: &str = r#"
#include <stddef.h>
int zk_wlt_decode(const unsigned char *wlt, size_t wlt_len, unsigned char *rgb, size_t rgb_len) {
    if (wlt_len != 1024) return -2;
    if (rgb_len != 102 * 126 * 3) return -3;
    for (size_t i = 0; i < rgb_len; i++) rgb[i] = wlt[i % wlt_len];
    return 0;
}
"#;

fn build(dir: &Path, source: &str, name: &str) -> PathBuf {
    let c = dir.join(format!("{name}.c"));
    let so = dir.join(format!("lib{name}.so"));
    std::fs::write(&c, source).expect("write");
    let status = Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&so)
        .arg(&c)
        .status()
        .expect("cc runs (build-essential)");
    assert!(status.success());
    so
}

#[test]
fn a_shim_library_decodes_through_the_interface() {
    let dir = tempfile::tempdir().expect("tmp");
    let so = build(dir.path(), SHIM, "wltshim");
    let decoder = NativeDecoder::load(&so).expect("loads");
    let wlt: Vec<u8> = (0..1024u32).map(|i| (i % 251) as u8).collect();
    let photo = decoder.decode(&wlt).expect("decodes");
    assert_eq!((photo.width, photo.height), (PHOTO_WIDTH, PHOTO_HEIGHT));
    assert_eq!(photo.rgb[1030], wlt[1030 % 1024]);
    assert_eq!(format!("{photo:?}"), "Photo(102x126, redacted)");
    // The decoder's own error code comes back typed.
    match decoder.decode(&wlt[..10]) {
        Err(PhotoError::Decode(-2)) => {}
        other => panic!("{other:?}"),
    }
    // Through the configuration path too.
    assert!(load(so.to_str().expect("utf8")).is_some());
}

#[test]
fn missing_library_or_symbol_is_a_clear_error_and_no_decoder() {
    let dir = tempfile::tempdir().expect("tmp");
    let err = NativeDecoder::load(&dir.path().join("nope.so"))
        .err()
        .expect("fails");
    assert!(err.to_string().contains("nope.so"), "{err}");
    let so = build(dir.path(), "int other(void) { return 1; }\n", "nosym");
    let err = NativeDecoder::load(&so).err().expect("fails");
    assert!(
        err.to_string().contains("zk_wlt_decode") || err.to_string().contains("undefined"),
        "{err}"
    );
    assert!(load(so.to_str().expect("utf8")).is_none());
    assert!(load("").is_none());
}
