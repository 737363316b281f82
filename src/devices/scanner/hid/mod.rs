//! Keyboard-wedge (HID) scanners: the scanner is a USB keyboard that types each code and
//! presses Enter. The kiosk reads it through evdev with an exclusive grab (`EVIOCGRAB`), so
//! its keystrokes never reach the UI, and turns the key events back into the code's bytes
//! with the layout the scanner types in.
//!
//! - `keymap`: key code + modifiers → character, per layout (pure tables).
//! - `wedge`: key events → the bytes of one scan (pure; Shift, Caps Lock, AltGr, Alt+keypad).
//! - `record`: recorded `input_event` streams, for replay tests and fixtures (pure).
//! - `driver`: the evdev device on its own thread, grabbed, with the common status.

pub mod driver;
pub mod keymap;
pub mod record;
pub mod wedge;

pub use driver::{HidConfig, HidDriver};
pub use keymap::Layout;
pub use wedge::WedgeDecoder;
