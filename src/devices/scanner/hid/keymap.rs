//! Keyboard layouts of keyboard-wedge scanners: Linux key codes (`input-event-codes.h`, the
//! physical key) → the character the scanner meant, for the layout the scanner is set to type
//! in. Pure tables. A scanner set to a German layout that types `@` presses AltGr+Q; read as US,
//! that would be `q`, so the layout must match the scanner's setting.

/// Key codes used by the wedge decoder (from `linux/input-event-codes.h`).
pub mod code {
    /// Enter.
    pub const ENTER: u16 = 28;
    /// Keypad Enter.
    pub const KP_ENTER: u16 = 96;
    /// Tab.
    pub const TAB: u16 = 15;
    /// Left Shift.
    pub const LEFT_SHIFT: u16 = 42;
    /// Right Shift.
    pub const RIGHT_SHIFT: u16 = 54;
    /// Left Alt.
    pub const LEFT_ALT: u16 = 56;
    /// Right Alt (AltGr).
    pub const RIGHT_ALT: u16 = 100;
    /// Left Ctrl.
    pub const LEFT_CTRL: u16 = 29;
    /// Right Ctrl.
    pub const RIGHT_CTRL: u16 = 97;
    /// Caps Lock.
    pub const CAPS_LOCK: u16 = 58;
    /// Keypad 0–9, in digit order.
    pub const KP_DIGITS: [u16; 10] = [82, 79, 80, 81, 75, 76, 77, 71, 72, 73];
}

/// A scanner's keyboard layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// US QWERTY (the factory default of most scanners).
    Us,
    /// German QWERTZ.
    De,
}

impl Layout {
    /// The layout of a `[devices.scanner] profile` (`hid-us`, `hid-de`).
    pub fn from_profile(profile: &str) -> Option<Self> {
        match profile {
            "hid-us" => Some(Layout::Us),
            "hid-de" => Some(Layout::De),
            _ => None,
        }
    }
}

/// Which modifiers are held for a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mods {
    /// Either Shift (or Caps Lock for letters).
    pub shift: bool,
    /// AltGr (right Alt).
    pub altgr: bool,
}

const LETTERS: [(u16, char); 26] = [
    (30, 'a'),
    (48, 'b'),
    (46, 'c'),
    (32, 'd'),
    (18, 'e'),
    (33, 'f'),
    (34, 'g'),
    (35, 'h'),
    (23, 'i'),
    (36, 'j'),
    (37, 'k'),
    (38, 'l'),
    (50, 'm'),
    (49, 'n'),
    (24, 'o'),
    (25, 'p'),
    (16, 'q'),
    (19, 'r'),
    (31, 's'),
    (20, 't'),
    (22, 'u'),
    (47, 'v'),
    (17, 'w'),
    (45, 'x'),
    (21, 'y'),
    (44, 'z'),
];

/// Keys that type the same in every layout here (space, tab, keypad with Num Lock on).
const COMMON: [(u16, char); 17] = [
    (57, ' '),
    (code::TAB, '\t'),
    (55, '*'),
    (74, '-'),
    (78, '+'),
    (98, '/'),
    (83, '.'),
    (82, '0'),
    (79, '1'),
    (80, '2'),
    (81, '3'),
    (75, '4'),
    (76, '5'),
    (77, '6'),
    (71, '7'),
    (72, '8'),
    (73, '9'),
];

/// US: (code, plain, shifted) for the non-letter keys.
const US: [(u16, char, char); 21] = [
    (2, '1', '!'),
    (3, '2', '@'),
    (4, '3', '#'),
    (5, '4', '$'),
    (6, '5', '%'),
    (7, '6', '^'),
    (8, '7', '&'),
    (9, '8', '*'),
    (10, '9', '('),
    (11, '0', ')'),
    (12, '-', '_'),
    (13, '=', '+'),
    (26, '[', '{'),
    (27, ']', '}'),
    (39, ';', ':'),
    (40, '\'', '"'),
    (41, '`', '~'),
    (43, '\\', '|'),
    (51, ',', '<'),
    (52, '.', '>'),
    (53, '/', '?'),
];

/// German: (code, plain, shifted) for the non-letter keys (dead keys ´ ` ^ left out).
const DE: [(u16, char, char); 19] = [
    (2, '1', '!'),
    (3, '2', '"'),
    (4, '3', '§'),
    (5, '4', '$'),
    (6, '5', '%'),
    (7, '6', '&'),
    (8, '7', '/'),
    (9, '8', '('),
    (10, '9', ')'),
    (11, '0', '='),
    (12, 'ß', '?'),
    (26, 'ü', 'Ü'),
    (27, '+', '*'),
    (39, 'ö', 'Ö'),
    (40, 'ä', 'Ä'),
    (43, '#', '\''),
    (51, ',', ';'),
    (52, '.', ':'),
    (53, '-', '_'),
];

/// German AltGr characters.
const DE_ALTGR: [(u16, char); 10] = [
    (16, '@'),
    (18, '€'),
    (3, '²'),
    (4, '³'),
    (8, '{'),
    (9, '['),
    (10, ']'),
    (11, '}'),
    (12, '\\'),
    (27, '~'),
];

/// German: the key left of Y (`<` `>` `|`).
const DE_102ND: u16 = 86;

fn letter(code: u16) -> Option<char> {
    LETTERS.iter().find(|(c, _)| *c == code).map(|(_, ch)| *ch)
}

/// The character of `code` with `mods` in `layout`, if the key types one.
pub fn char_of(layout: Layout, code: u16, mods: Mods) -> Option<char> {
    if let Some((_, ch)) = COMMON.iter().find(|(c, _)| *c == code) {
        return Some(*ch);
    }
    match layout {
        Layout::Us => {
            if mods.altgr {
                return None;
            }
            if let Some(l) = letter(code) {
                return Some(if mods.shift {
                    l.to_ascii_uppercase()
                } else {
                    l
                });
            }
            US.iter()
                .find(|(c, _, _)| *c == code)
                .map(|&(_, p, s)| if mods.shift { s } else { p })
        }
        Layout::De => {
            if mods.altgr {
                if code == DE_102ND {
                    return Some('|');
                }
                return DE_ALTGR.iter().find(|(c, _)| *c == code).map(|(_, ch)| *ch);
            }
            if code == DE_102ND {
                return Some(if mods.shift { '>' } else { '<' });
            }
            // Y and Z swap places.
            let code = match code {
                21 => 44,
                44 => 21,
                c => c,
            };
            if let Some(l) = letter(code) {
                return Some(if mods.shift {
                    l.to_ascii_uppercase()
                } else {
                    l
                });
            }
            DE.iter()
                .find(|(c, _, _)| *c == code)
                .map(|&(_, p, s)| if mods.shift { s } else { p })
        }
    }
}

/// Whether `code` is a letter key in `layout` (Caps Lock applies to it).
pub fn is_letter(layout: Layout, code: u16) -> bool {
    letter(code).is_some() || (layout == Layout::De && matches!(code, 26 | 39 | 40))
}

/// How to type `ch` in `layout`: (key code, modifiers). The inverse of `char_of`, for making
/// recorded streams and for simulators.
pub fn keys_for(layout: Layout, ch: char) -> Option<(u16, Mods)> {
    // Search the whole key space; the tables are small.
    for code in 1u16..=127 {
        for mods in [
            Mods::default(),
            Mods {
                shift: true,
                altgr: false,
            },
            Mods {
                shift: false,
                altgr: true,
            },
        ] {
            // Prefer the main block's digits and symbols over the keypad's.
            if COMMON.iter().any(|(c, _)| *c == code) && ch != ' ' && ch != '\t' {
                continue;
            }
            if char_of(layout, code, mods) == Some(ch) {
                return Some((code, mods));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIFT: Mods = Mods {
        shift: true,
        altgr: false,
    };
    const ALTGR: Mods = Mods {
        shift: false,
        altgr: true,
    };

    #[test]
    fn us_keys() {
        assert_eq!(char_of(Layout::Us, 30, Mods::default()), Some('a'));
        assert_eq!(char_of(Layout::Us, 30, SHIFT), Some('A'));
        assert_eq!(char_of(Layout::Us, 3, SHIFT), Some('@'));
        assert_eq!(char_of(Layout::Us, 53, Mods::default()), Some('/'));
        assert_eq!(char_of(Layout::Us, 39, SHIFT), Some(':'));
        assert_eq!(char_of(Layout::Us, 21, Mods::default()), Some('y'));
        assert_eq!(char_of(Layout::Us, 16, ALTGR), None);
    }

    #[test]
    fn german_keys_differ_where_they_should() {
        assert_eq!(char_of(Layout::De, 21, Mods::default()), Some('z'));
        assert_eq!(char_of(Layout::De, 44, Mods::default()), Some('y'));
        assert_eq!(char_of(Layout::De, 16, ALTGR), Some('@'));
        assert_eq!(char_of(Layout::De, 8, SHIFT), Some('/'));
        assert_eq!(char_of(Layout::De, 52, SHIFT), Some(':'));
        assert_eq!(char_of(Layout::De, 53, Mods::default()), Some('-'));
        assert_eq!(char_of(Layout::De, 40, SHIFT), Some('Ä'));
    }

    #[test]
    fn every_printable_ascii_character_round_trips_in_us() {
        for ch in (0x20u8..0x7F).map(char::from) {
            let (code, mods) = keys_for(Layout::Us, ch).unwrap_or_else(|| panic!("{ch:?}"));
            assert_eq!(char_of(Layout::Us, code, mods), Some(ch));
        }
    }

    #[test]
    fn url_characters_round_trip_in_german() {
        for ch in "https://zwfw.example.gov.cn/t/A-1?k=K_1&s=XY#~@".chars() {
            let (code, mods) = keys_for(Layout::De, ch).unwrap_or_else(|| panic!("{ch:?}"));
            assert_eq!(char_of(Layout::De, code, mods), Some(ch), "{ch:?}");
        }
    }
}
