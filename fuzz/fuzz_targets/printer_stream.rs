//! Fuzz the printer emulator, which decodes ESC/POS with the same command table as the encoder:
//! arbitrary bytes in arbitrary chunking (the first byte picks the chunk size and the profile).
//! It must never panic, status requests must be answered with valid reply patterns, and jobs
//! must stay on the paper (width of the profile, bounded length). Every command it decodes
//! must re-encode to bytes that decode to the same command.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhengwu_kiosk::devices::printer::Profile;
use zhengwu_kiosk::devices::printer::command::Command;
use zhengwu_kiosk::devices::printer::emulator::{Emulator, render::MAX_PAPER_DOTS};

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else { return };
    let names = Profile::builtin_names();
    let Ok(profile) = Profile::builtin(names[usize::from(first) % names.len()]) else { return };
    let width = usize::from(profile.paper.dots);
    let chunk = usize::from(first >> 3).max(1);
    let mut emu = Emulator::new(profile);
    for part in bytes.chunks(chunk) {
        let _ = emu.feed(part);
    }
    for job in emu.end_of_stream() {
        assert_eq!(job.bitmap.width(), width);
        assert!(job.bitmap.height() <= MAX_PAPER_DOTS);
    }
    // Single-command round trip.
    for chinese in [false, true] {
        if let Ok((cmd, _)) = Command::decode(bytes, chinese, 0) {
            let again = cmd.to_bytes();
            if let Ok((back, used)) = Command::decode(&again, chinese, 0) {
                assert_eq!(used, again.len(), "{cmd:?}");
                assert_eq!(back, cmd);
            }
        }
    }
});
