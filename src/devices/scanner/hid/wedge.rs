//! Keyboard-wedge decoding: key events → the bytes of one scan. Pure (the driver says when the
//! keyboard went quiet). Tracks Shift, Caps Lock and AltGr; a scan ends at Enter (or keypad
//! Enter), or on silence for scanners set to send no suffix.
//!
//! Alt + keypad digits ("ALT mode", how wedge scanners type Chinese on Windows-style hosts):
//! the decimal number typed while Alt is held becomes, on Alt's release, one byte (1–255) or a
//! two-byte GBK code (256–65535, e.g. Alt+50403 = 0xC4E3 = 你). The scan's bytes then go
//! through the same text cleaning and classification as a serial scan, which decodes GBK.
//!
//! Ctrl combinations and keys without a character are ignored; a scan longer than the payload
//! bound is cut and flagged like a serial one.

use super::keymap::{Layout, Mods, char_of, code, is_letter};
use crate::devices::scanner::framing::Frame;
use crate::devices::scanner::text::MAX_PAYLOAD;

/// The `]` key (US position), which types GS with Ctrl.
const RIGHT_BRACE: u16 = 27;

/// `EV_KEY` event values.
pub const RELEASE: i32 = 0;
/// Key pressed.
pub const PRESS: i32 = 1;
/// Autorepeat.
pub const REPEAT: i32 = 2;

/// The wedge decoder.
#[derive(Debug, Clone)]
pub struct WedgeDecoder {
    layout: Layout,
    left_shift: bool,
    right_shift: bool,
    left_alt: bool,
    altgr: bool,
    ctrl: u8,
    caps: bool,
    alt_code: Option<u32>,
    buf: Vec<u8>,
    total: usize,
}

impl WedgeDecoder {
    /// A decoder for a scanner typing in `layout`.
    pub fn new(layout: Layout) -> Self {
        Self {
            layout,
            left_shift: false,
            right_shift: false,
            left_alt: false,
            altgr: false,
            ctrl: 0,
            caps: false,
            alt_code: None,
            buf: Vec::new(),
            total: 0,
        }
    }

    /// Whether bytes of an unfinished scan are waiting.
    pub fn pending(&self) -> bool {
        self.total > 0
    }

    fn put(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.total += 1;
            if self.buf.len() <= MAX_PAYLOAD {
                self.buf.push(b);
            }
        }
    }

    fn take(&mut self) -> Option<Frame> {
        let total = std::mem::take(&mut self.total);
        let buf = std::mem::take(&mut self.buf);
        match total {
            0 => None,
            t if t > MAX_PAYLOAD => Some(Frame::Overflow {
                head: buf,
                total: t,
            }),
            _ => Some(Frame::Scan(buf)),
        }
    }

    /// Feed one `EV_KEY` event (`value`: 0 release, 1 press, 2 repeat). Returns a completed
    /// scan at Enter.
    pub fn key(&mut self, key: u16, value: i32) -> Option<Frame> {
        let down = value != RELEASE;
        match key {
            code::LEFT_SHIFT => self.left_shift = down,
            code::RIGHT_SHIFT => self.right_shift = down,
            code::RIGHT_ALT => self.altgr = down,
            code::LEFT_CTRL | code::RIGHT_CTRL => {
                self.ctrl = if down {
                    self.ctrl.saturating_add(1).min(2)
                } else {
                    self.ctrl.saturating_sub(1)
                };
            }
            code::LEFT_ALT => {
                self.left_alt = down;
                if down {
                    self.alt_code = Some(0).filter(|_| value == PRESS).or(self.alt_code);
                } else if let Some(n) = self.alt_code.take() {
                    self.alt_typed(n);
                }
            }
            code::CAPS_LOCK if value == PRESS => self.caps = !self.caps,
            code::ENTER | code::KP_ENTER if value == PRESS => return self.take(),
            _ if value == RELEASE => {}
            k => self.typed(k, value),
        }
        None
    }

    fn alt_typed(&mut self, n: u32) {
        match n {
            0 => {}
            1..=255 => self.put(&[n as u8]),
            256..=65535 => self.put(&[(n >> 8) as u8, (n & 0xFF) as u8]),
            // Too many digits: not a code; dropped.
            _ => {}
        }
    }

    fn typed(&mut self, key: u16, value: i32) {
        if self.left_alt {
            // Alt held: keypad digits build a code; anything else is a shortcut, ignored.
            if value == PRESS
                && let Some(d) = code::KP_DIGITS.iter().position(|&c| c == key)
                && let Some(n) = self.alt_code
            {
                self.alt_code = Some(n.saturating_mul(10).saturating_add(d as u32).min(1_000_000));
            }
            return;
        }
        if self.ctrl > 0 {
            // Ctrl+] is how wedge scanners type GS (0x1D), the GS1 separator; every other
            // Ctrl combination is a shortcut and types nothing.
            if key == RIGHT_BRACE && value == PRESS {
                self.put(&[0x1D]);
            }
            return;
        }
        let shift = self.left_shift || self.right_shift;
        let shift = if self.caps && is_letter(self.layout, key) {
            !shift
        } else {
            shift
        };
        let mods = Mods {
            shift,
            altgr: self.altgr,
        };
        if let Some(ch) = char_of(self.layout, key, mods) {
            let mut b = [0u8; 4];
            self.put(ch.encode_utf8(&mut b).as_bytes());
        }
    }

    /// The keyboard has been quiet for the idle gap: a scan without suffix ends here.
    pub fn idle(&mut self) -> Option<Frame> {
        self.take()
    }

    /// Forget everything (the device was re-opened).
    pub fn clear(&mut self) {
        *self = Self::new(self.layout);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tap(d: &mut WedgeDecoder, key: u16) -> Option<Frame> {
        let a = d.key(key, PRESS);
        let b = d.key(key, RELEASE);
        a.or(b)
    }

    #[test]
    fn shift_caps_and_enter() {
        let mut d = WedgeDecoder::new(Layout::Us);
        d.key(code::LEFT_SHIFT, PRESS);
        tap(&mut d, 30); // A
        d.key(code::LEFT_SHIFT, RELEASE);
        tap(&mut d, 48); // b
        tap(&mut d, code::CAPS_LOCK);
        tap(&mut d, 46); // C
        tap(&mut d, 2); // 1 (caps does not shift digits)
        d.key(code::RIGHT_SHIFT, PRESS);
        tap(&mut d, 32); // d (shift under caps)
        d.key(code::RIGHT_SHIFT, RELEASE);
        assert_eq!(
            tap(&mut d, code::ENTER),
            Some(Frame::Scan(b"AbC1d".to_vec()))
        );
        assert!(!d.pending());
    }

    #[test]
    fn alt_keypad_codes_become_gbk_bytes() {
        let mut d = WedgeDecoder::new(Layout::Us);
        // Alt + 50403 = 0xC4E3 (你 in GBK), Alt + 65 = 'A'.
        for (digits, _) in [("50403", ()), ("65", ())] {
            d.key(code::LEFT_ALT, PRESS);
            for c in digits.bytes() {
                tap(&mut d, code::KP_DIGITS[usize::from(c - b'0')]);
            }
            d.key(code::LEFT_ALT, RELEASE);
        }
        assert_eq!(
            tap(&mut d, code::KP_ENTER),
            Some(Frame::Scan(vec![0xC4, 0xE3, b'A']))
        );
    }

    #[test]
    fn ctrl_shortcuts_and_repeats_of_modifiers_type_nothing() {
        let mut d = WedgeDecoder::new(Layout::Us);
        d.key(code::LEFT_CTRL, PRESS);
        tap(&mut d, 47); // Ctrl+V
        d.key(code::LEFT_CTRL, RELEASE);

        d.key(code::LEFT_SHIFT, PRESS);
        d.key(code::LEFT_SHIFT, REPEAT);
        d.key(code::LEFT_SHIFT, RELEASE);
        assert_eq!(tap(&mut d, code::ENTER), None);
    }

    #[test]
    fn ctrl_bracket_types_the_gs1_separator() {
        let mut d = WedgeDecoder::new(Layout::Us);
        tap(&mut d, 2);
        d.key(code::LEFT_CTRL, PRESS);
        tap(&mut d, RIGHT_BRACE);
        d.key(code::LEFT_CTRL, RELEASE);
        tap(&mut d, 3);
        assert_eq!(
            tap(&mut d, code::ENTER),
            Some(Frame::Scan(b"1\x1d2".to_vec()))
        );
    }

    #[test]
    fn idle_ends_a_scan_without_suffix_and_long_scans_overflow() {
        let mut d = WedgeDecoder::new(Layout::Us);
        for _ in 0..(MAX_PAYLOAD + 10) {
            tap(&mut d, 30);
        }
        match d.idle() {
            Some(Frame::Overflow { head, total }) => {
                assert_eq!(total, MAX_PAYLOAD + 10);
                assert_eq!(head.len(), MAX_PAYLOAD + 1);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(d.idle(), None);
    }
}
