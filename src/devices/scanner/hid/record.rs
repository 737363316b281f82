//! Recorded evdev streams: the raw `struct input_event` records a keyboard-wedge scanner's
//! `/dev/input/eventN` delivers (64-bit Linux: 16 bytes of time, then type u16, code u16,
//! value i32, little-endian), as captured with `cat /dev/input/eventN > file`. Pure: parse a
//! recording into events, play events through the wedge decoder, and write recordings (to
//! make fixtures and to drive a gadget-side simulator).

use super::keymap::{Layout, Mods, code, keys_for};
use super::wedge::{PRESS, RELEASE, WedgeDecoder};
use crate::devices::scanner::framing::Frame;

/// Size of one record.
pub const RECORD: usize = 24;
/// `EV_SYN`.
pub const EV_SYN: u16 = 0;
/// `EV_KEY`.
pub const EV_KEY: u16 = 1;
/// `EV_MSC` (keyboards send `MSC_SCAN` with the HID usage before each key).
pub const EV_MSC: u16 = 4;
/// `MSC_SCAN`.
pub const MSC_SCAN: u16 = 4;

/// One input event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputEvent {
    /// Microseconds since the epoch (the record's timeval).
    pub time_us: u64,
    /// Event type.
    pub kind: u16,
    /// Event code.
    pub code: u16,
    /// Value.
    pub value: i32,
}

/// Parse a recording. A trailing partial record is ignored and counted.
pub fn parse(bytes: &[u8]) -> (Vec<InputEvent>, usize) {
    let mut out = Vec::with_capacity(bytes.len() / RECORD);
    let chunks = bytes.chunks_exact(RECORD);
    let rest = chunks.remainder().len();
    for r in chunks {
        let u64_at = |i: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&r[i..i + 8]);
            u64::from_le_bytes(b)
        };
        let sec = u64_at(0);
        let usec = u64_at(8);
        out.push(InputEvent {
            time_us: sec.saturating_mul(1_000_000).saturating_add(usec),
            kind: u16::from_le_bytes([r[16], r[17]]),
            code: u16::from_le_bytes([r[18], r[19]]),
            value: i32::from_le_bytes([r[20], r[21], r[22], r[23]]),
        });
    }
    (out, rest)
}

/// Write events as a recording.
pub fn write(events: &[InputEvent]) -> Vec<u8> {
    let mut out = Vec::with_capacity(events.len() * RECORD);
    for e in events {
        out.extend_from_slice(&(e.time_us / 1_000_000).to_le_bytes());
        out.extend_from_slice(&(e.time_us % 1_000_000).to_le_bytes());
        out.extend_from_slice(&e.kind.to_le_bytes());
        out.extend_from_slice(&e.code.to_le_bytes());
        out.extend_from_slice(&e.value.to_le_bytes());
    }
    out
}

/// Play events through a decoder: the scans they complete, with a scan also ending where the
/// stream is quiet for `idle_gap_us` (for scanners without suffix; `None` to end only at Enter).
pub fn play(events: &[InputEvent], layout: Layout, idle_gap_us: Option<u64>) -> Vec<Frame> {
    let mut d = WedgeDecoder::new(layout);
    let mut out = Vec::new();
    let mut last: Option<u64> = None;
    for e in events {
        if let (Some(gap), Some(t)) = (idle_gap_us, last)
            && e.time_us.saturating_sub(t) >= gap
        {
            out.extend(d.idle());
        }
        last = Some(e.time_us);
        if e.kind == EV_KEY {
            out.extend(d.key(e.code, e.value));
        }
    }
    if idle_gap_us.is_some() {
        out.extend(d.idle());
    }
    out
}

/// The HID usage of a Linux key code, as keyboards report it in `MSC_SCAN` (letters, digits
/// and the few keys used here; 0 for others).
fn hid_usage(key: u16) -> i32 {
    const LETTER_USAGE: [(u16, i32); 26] = [
        (30, 4),
        (48, 5),
        (46, 6),
        (32, 7),
        (18, 8),
        (33, 9),
        (34, 10),
        (35, 11),
        (23, 12),
        (36, 13),
        (37, 14),
        (38, 15),
        (50, 16),
        (49, 17),
        (24, 18),
        (25, 19),
        (16, 20),
        (19, 21),
        (31, 22),
        (20, 23),
        (22, 24),
        (47, 25),
        (17, 26),
        (45, 27),
        (21, 28),
        (44, 29),
    ];
    let usage = match key {
        2..=10 => 30 + i32::from(key) - 2,
        11 => 39,
        code::ENTER => 40,
        code::LEFT_SHIFT => 225,
        code::RIGHT_ALT => 230,
        _ => LETTER_USAGE
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0, |(_, u)| *u),
    };
    if usage == 0 { 0 } else { 0x70000 + usage }
}

/// Events a wedge scanner in `layout` sends for `text` then Enter, starting at `t0_us`, one
/// key every `key_us`: MSC_SCAN + EV_KEY + SYN_REPORT per key change, Shift/AltGr pressed
/// around the keys that need them. Characters the layout cannot type are skipped.
pub fn type_text(layout: Layout, text: &str, t0_us: u64, key_us: u64) -> Vec<InputEvent> {
    let mut out = Vec::new();
    let mut t = t0_us;
    let mut key = |out: &mut Vec<InputEvent>, code: u16, value: i32| {
        let usage = hid_usage(code);
        if usage != 0 {
            out.push(InputEvent {
                time_us: t,
                kind: EV_MSC,
                code: MSC_SCAN,
                value: usage,
            });
        }
        out.push(InputEvent {
            time_us: t,
            kind: EV_KEY,
            code,
            value,
        });
        out.push(InputEvent {
            time_us: t,
            kind: EV_SYN,
            code: 0,
            value: 0,
        });
        t += key_us;
    };
    for ch in text.chars() {
        let Some((c, Mods { shift, altgr })) = keys_for(layout, ch) else {
            continue;
        };
        if shift {
            key(&mut out, code::LEFT_SHIFT, PRESS);
        }
        if altgr {
            key(&mut out, code::RIGHT_ALT, PRESS);
        }
        key(&mut out, c, PRESS);
        key(&mut out, c, RELEASE);
        if altgr {
            key(&mut out, code::RIGHT_ALT, RELEASE);
        }
        if shift {
            key(&mut out, code::LEFT_SHIFT, RELEASE);
        }
    }
    key(&mut out, code::ENTER, PRESS);
    key(&mut out, code::ENTER, RELEASE);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recordings_round_trip_and_partial_records_are_counted() {
        let events = type_text(Layout::Us, "Ab", 1_764_000_000_000_000, 4000);
        let mut bytes = write(&events);
        bytes.extend_from_slice(&[1, 2, 3]);
        let (back, rest) = parse(&bytes);
        assert_eq!(back, events);
        assert_eq!(rest, 3);
    }

    #[test]
    fn typed_text_plays_back_in_its_layout_and_not_in_another() {
        let text = "https://zwfw.example.gov.cn/l/Token_Yz-01";
        let events = type_text(Layout::De, text, 0, 2000);
        assert_eq!(
            play(&events, Layout::De, None),
            [Frame::Scan(text.as_bytes().to_vec())]
        );
        let as_us = play(&events, Layout::Us, None);
        assert_ne!(as_us, [Frame::Scan(text.as_bytes().to_vec())]);
    }
}
