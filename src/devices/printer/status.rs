//! Printer status bytes, both ways, pure: the replies to `DLE EOT 1/2/3/4` (notes §4.1),
//! `GS r 1` (§4.2) and ASB (§4.3) decoded into one [`PrinterCondition`], that condition built back
//! into reply bytes (the emulator answers with these), the reply demultiplexer (§4.4), and the
//! mapping to the kiosk's common status vocabulary.

use crate::devices::{DeviceState, DeviceStatus, MediaState, UserErrorReason};

/// Paper roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// Enough paper.
    #[default]
    Ok,
    /// Near-end sensor: still printing, refill soon.
    NearEnd,
    /// No paper.
    Out,
}

/// What the printer reports about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrinterCondition {
    /// DLE EOT 1 bit 3.
    pub offline: bool,
    /// DLE EOT 2 bit 2.
    pub cover_open: bool,
    /// Paper roll sensor (DLE EOT 4, DLE EOT 2 bit 5).
    pub paper: Paper,
    /// DLE EOT 3 bit 3.
    pub cutter_error: bool,
    /// DLE EOT 3 bit 5.
    pub unrecoverable_error: bool,
    /// DLE EOT 2 bit 6 (some error), or DLE EOT 3 bits 2/6.
    pub other_error: bool,
    /// Presenter: the last receipt is still in the output (Custom full status, notes §4.5).
    pub receipt_present: bool,
}

/// The Custom "full status" request `DLE EOT 20` (notes §4.5, source S50).
pub const FULL_STATUS: u8 = 0x14;

/// A Custom full-status reply: `10 0F paper user recoverable unrecoverable` (notes §4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FullStatus(pub [u8; 6]);

impl FullStatus {
    /// Fold into a condition: paper byte bit 0 no paper, bit 2 near end, bit 5 ticket present;
    /// user byte bit 1 cover open; any unrecoverable bit is a hardware error.
    pub fn apply(&self, c: &mut PrinterCondition) {
        let [_, _, paper, user, _recoverable, unrecoverable] = self.0;
        if paper & 0x01 != 0 {
            c.paper = Paper::Out;
        } else if paper & 0x04 != 0 && c.paper == Paper::Ok {
            c.paper = Paper::NearEnd;
        }
        c.receipt_present = paper & 0x20 != 0;
        c.cover_open |= user & 0x02 != 0;
        c.unrecoverable_error |= unrecoverable != 0;
    }

    /// The reply a printer in condition `c` sends.
    pub fn of(c: &PrinterCondition) -> Self {
        let bit = |on: bool, mask: u8| if on { mask } else { 0 };
        FullStatus([
            0x10,
            0x0F,
            bit(c.paper == Paper::Out, 0x01)
                | bit(c.paper == Paper::NearEnd, 0x04)
                | bit(c.receipt_present, 0x20),
            bit(c.cover_open, 0x02),
            0,
            bit(c.cutter_error || c.unrecoverable_error, 0x01),
        ])
    }
}

/// The fixed bits of a `DLE EOT` reply: `0xx1xx10` (notes §4.1).
pub fn is_real_time_reply(b: u8) -> bool {
    b & 0x93 == 0x12
}

/// The fixed bits of a `GS r` reply: `0xx0xxxx` (notes §4.2, §4.4).
pub fn is_transmit_reply(b: u8) -> bool {
    b & 0x90 == 0x00
}

/// The first byte of an ASB block: `0xx1xx00` (notes §4.4).
pub fn is_asb_first(b: u8) -> bool {
    b & 0x93 == 0x10
}

/// One reply from the printer, told apart by its bit pattern (notes §4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// A `DLE EOT` reply.
    RealTime(u8),
    /// A `GS r` reply.
    Transmit(u8),
    /// An ASB block.
    Asb([u8; 4]),
    /// A Custom full-status block (only while one is expected).
    Full(FullStatus),
}

/// Splits the printer's byte stream into replies; unknown bytes (XON/XOFF, noise) are dropped.
#[derive(Debug, Clone, Default)]
pub struct Demux {
    asb: Vec<u8>,
    /// A full-status request is outstanding: `10 0F …` is its reply, not ASB.
    pub expect_full: bool,
    full: Vec<u8>,
}

impl Demux {
    /// Feed one byte; returns a reply when one is complete.
    pub fn push(&mut self, b: u8) -> Option<Reply> {
        if !self.full.is_empty() {
            self.full.push(b);
            if self.full.len() == 2 && b != 0x0F {
                // Not a full-status header after all: treat the first byte as ASB start.
                self.full.clear();
                self.asb.extend_from_slice(&[0x10, b]);
                return None;
            }
            if self.full.len() == 6 {
                let mut block = [0u8; 6];
                block.copy_from_slice(&self.full);
                self.full.clear();
                self.expect_full = false;
                return Some(Reply::Full(FullStatus(block)));
            }
            return None;
        }
        if self.expect_full && b == 0x10 {
            self.full.push(b);
            return None;
        }
        if !self.asb.is_empty() {
            self.asb.push(b);
            if self.asb.len() == 4 {
                let block = [self.asb[0], self.asb[1], self.asb[2], self.asb[3]];
                self.asb.clear();
                return Some(Reply::Asb(block));
            }
            return None;
        }
        if is_real_time_reply(b) {
            Some(Reply::RealTime(b))
        } else if is_asb_first(b) {
            self.asb.push(b);
            None
        } else if is_transmit_reply(b) {
            Some(Reply::Transmit(b))
        } else {
            None
        }
    }
}

impl PrinterCondition {
    /// Fold one `DLE EOT n` reply into the condition; `false` if the byte is not a reply.
    pub fn apply_real_time(&mut self, n: u8, b: u8) -> bool {
        if !is_real_time_reply(b) {
            return false;
        }
        match n {
            1 => self.offline = b & 0x08 != 0,
            2 => {
                self.cover_open = b & 0x04 != 0;
                if b & 0x20 != 0 {
                    self.paper = Paper::Out;
                }
                self.other_error = b & 0x40 != 0;
            }
            3 => {
                self.cutter_error = b & 0x08 != 0;
                self.unrecoverable_error = b & 0x20 != 0;
                self.other_error |= b & 0x44 != 0;
            }
            4 => {
                self.paper = if b & 0x60 != 0 {
                    Paper::Out
                } else if b & 0x0C != 0 {
                    Paper::NearEnd
                } else {
                    Paper::Ok
                };
            }
            _ => return false,
        }
        true
    }

    /// The reply byte a printer in this condition sends to `DLE EOT n`.
    pub fn real_time_reply(&self, n: u8) -> u8 {
        let bit = |on: bool, mask: u8| if on { mask } else { 0 };
        0x12 | match n {
            1 => bit(
                self.offline || self.cover_open || self.paper == Paper::Out,
                0x08,
            ),
            2 => {
                bit(self.cover_open, 0x04)
                    | bit(self.paper == Paper::Out, 0x20)
                    | bit(
                        self.cutter_error || self.unrecoverable_error || self.other_error,
                        0x40,
                    )
            }
            3 => {
                bit(self.cutter_error, 0x08)
                    | bit(self.unrecoverable_error, 0x20)
                    | bit(self.other_error, 0x04)
            }
            4 => match self.paper {
                Paper::Ok => 0,
                Paper::NearEnd => 0x0C,
                Paper::Out => 0x6C,
            },
            _ => 0,
        }
    }

    /// The `GS r 1` reply (paper sensor), or `None` when the printer is offline and does not
    /// execute it (notes §4.2: paper end → offline → no reply).
    pub fn transmit_reply(&self) -> Option<u8> {
        if self.offline || self.cover_open || self.paper == Paper::Out {
            return None;
        }
        Some(if self.paper == Paper::NearEnd {
            0x03
        } else {
            0x00
        })
    }

    /// The 4-byte ASB block for this condition (notes §4.3).
    pub fn asb(&self) -> [u8; 4] {
        let bit = |on: bool, mask: u8| if on { mask } else { 0 };
        [
            0x10 | bit(
                self.offline || self.cover_open || self.paper == Paper::Out,
                0x08,
            ) | bit(self.cover_open, 0x20),
            bit(self.cutter_error, 0x08)
                | bit(self.unrecoverable_error, 0x20)
                | bit(self.other_error, 0x40),
            match self.paper {
                Paper::Ok => 0,
                Paper::NearEnd => 0x03,
                Paper::Out => 0x0F,
            },
            0,
        ]
    }

    /// Decode an ASB block.
    pub fn from_asb(b: [u8; 4]) -> Option<Self> {
        if !is_asb_first(b[0]) {
            return None;
        }
        Some(Self {
            offline: b[0] & 0x08 != 0,
            cover_open: b[0] & 0x20 != 0,
            paper: if b[2] & 0x0C != 0 {
                Paper::Out
            } else if b[2] & 0x03 != 0 {
                Paper::NearEnd
            } else {
                Paper::Ok
            },
            cutter_error: b[1] & 0x08 != 0,
            unrecoverable_error: b[1] & 0x20 != 0,
            other_error: b[1] & 0x44 != 0,
            receipt_present: false,
        })
    }

    /// The kiosk's common status: paper out and cover open wait for staff (user error), a
    /// cutter or unrecoverable error needs a technician, near-end is online with a warning.
    pub fn device_status(&self) -> DeviceStatus {
        let media = match self.paper {
            Paper::Ok => MediaState::Ok,
            Paper::NearEnd => MediaState::NearEnd,
            Paper::Out => MediaState::Out,
        };
        let state = if self.stopped() {
            self.stopped_state()
        } else if self.receipt_present {
            DeviceState::UserError(UserErrorReason::ReceiptNotTaken)
        } else {
            DeviceState::Online
        };
        DeviceStatus { state, media }
    }

    /// Whether the printer cannot print at all (everything but an untaken receipt).
    pub fn stopped(&self) -> bool {
        self.paper == Paper::Out
            || self.cover_open
            || self.offline
            || self.cutter_error
            || self.unrecoverable_error
            || self.other_error
    }

    fn stopped_state(&self) -> DeviceState {
        if self.paper == Paper::Out {
            DeviceState::UserError(UserErrorReason::PaperOut)
        } else if self.cover_open {
            DeviceState::UserError(UserErrorReason::CoverOpen)
        } else if self.cutter_error || self.unrecoverable_error || self.other_error {
            DeviceState::HardwareError
        } else if self.offline {
            DeviceState::Offline
        } else {
            DeviceState::Online
        }
    }

    /// Whether a job may start.
    pub fn can_print(&self) -> bool {
        self.device_status().is_usable()
    }

    /// English for the technician.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.offline {
            parts.push("offline");
        }
        if self.cover_open {
            parts.push("cover open");
        }
        match self.paper {
            Paper::Ok => parts.push("paper ok"),
            Paper::NearEnd => parts.push("paper near end"),
            Paper::Out => parts.push("paper out"),
        }
        if self.cutter_error {
            parts.push("autocutter error");
        }
        if self.unrecoverable_error {
            parts.push("unrecoverable error");
        }
        if self.other_error {
            parts.push("error");
        }
        if self.receipt_present {
            parts.push("receipt not taken");
        }
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn healthy_replies_are_the_epson_constants() {
        // notes §4.1: a healthy reply to n = 1 is 0x12 (or 0x16); python-escpos PAPER = 0x12.
        let ok = PrinterCondition::default();
        for n in 1..=4 {
            assert_eq!(ok.real_time_reply(n), 0x12);
        }
        assert_eq!(ok.transmit_reply(), Some(0));
        assert_eq!(ok.device_status(), DeviceStatus::online(MediaState::Ok));
    }

    #[test]
    fn dle_eot_bits_decode_per_the_manual() {
        // notes §4.1: n=2 bit 2 cover open, bit 5 paper end stop, bit 6 error; n=4 0x0C near end,
        // 0x60 paper end; python-escpos NOPAPER 0x72.
        let mut c = PrinterCondition::default();
        assert!(c.apply_real_time(4, 0x1E));
        assert_eq!(c.paper, Paper::NearEnd);
        assert!(c.apply_real_time(4, 0x72));
        assert_eq!(c.paper, Paper::Out);
        let mut c = PrinterCondition::default();
        assert!(c.apply_real_time(2, 0x16));
        assert!(c.cover_open);
        assert!(c.apply_real_time(1, 0x1A));
        assert!(c.offline);
        assert!(
            !c.apply_real_time(1, 0x00),
            "GS r pattern is not a DLE EOT reply"
        );
        let mut c = PrinterCondition::default();
        assert!(c.apply_real_time(3, 0x1A));
        assert!(c.cutter_error);
        assert_eq!(c.device_status().state, DeviceState::HardwareError);
    }

    #[test]
    fn conditions_round_trip_through_their_replies() {
        let conditions = [
            PrinterCondition {
                paper: Paper::NearEnd,
                ..Default::default()
            },
            PrinterCondition {
                paper: Paper::Out,
                ..Default::default()
            },
            PrinterCondition {
                cover_open: true,
                ..Default::default()
            },
            PrinterCondition {
                offline: true,
                ..Default::default()
            },
            PrinterCondition {
                cutter_error: true,
                ..Default::default()
            },
        ];
        for c in conditions {
            let mut back = PrinterCondition::default();
            for n in [1, 2, 3, 4] {
                assert!(back.apply_real_time(n, c.real_time_reply(n)));
            }
            assert_eq!(back.device_status(), c.device_status(), "{c:?}");
            let asb = PrinterCondition::from_asb(c.asb()).unwrap();
            assert_eq!(asb.device_status(), c.device_status(), "asb {c:?}");
        }
    }

    #[test]
    fn mapping_to_the_common_vocabulary() {
        let s = |c: PrinterCondition| c.device_status();
        assert_eq!(
            s(PrinterCondition {
                paper: Paper::NearEnd,
                ..Default::default()
            }),
            DeviceStatus::online(MediaState::NearEnd)
        );
        assert_eq!(
            s(PrinterCondition {
                paper: Paper::Out,
                offline: true,
                ..Default::default()
            })
            .state,
            DeviceState::UserError(UserErrorReason::PaperOut)
        );
        assert_eq!(
            s(PrinterCondition {
                cover_open: true,
                offline: true,
                ..Default::default()
            })
            .state,
            DeviceState::UserError(UserErrorReason::CoverOpen)
        );
        assert_eq!(
            s(PrinterCondition {
                offline: true,
                ..Default::default()
            })
            .state,
            DeviceState::Offline
        );
        // Paper out stops GS r (notes §4.2).
        assert_eq!(
            PrinterCondition {
                paper: Paper::Out,
                ..Default::default()
            }
            .transmit_reply(),
            None
        );
    }

    #[test]
    fn full_status_round_trips_and_maps_receipt_not_taken() {
        // notes §4.5 [S50]: 10 0F <paper> <user> <recoverable> <unrecoverable>, paper bit 5 =
        // ticket present in output.
        let c = PrinterCondition {
            receipt_present: true,
            ..Default::default()
        };
        let reply = FullStatus::of(&c);
        assert_eq!(reply.0, [0x10, 0x0F, 0x20, 0x00, 0x00, 0x00]);
        let mut d = Demux {
            expect_full: true,
            ..Default::default()
        };
        let got: Vec<Reply> = reply.0.iter().filter_map(|b| d.push(*b)).collect();
        assert_eq!(got, [Reply::Full(reply)]);
        let mut back = PrinterCondition::default();
        reply.apply(&mut back);
        assert_eq!(
            back.device_status().state,
            DeviceState::UserError(UserErrorReason::ReceiptNotTaken)
        );
        assert!(!back.stopped());
        let mut out = PrinterCondition::default();
        FullStatus([0x10, 0x0F, 0x01, 0x02, 0, 0]).apply(&mut out);
        assert_eq!(
            out.device_status().state,
            DeviceState::UserError(UserErrorReason::PaperOut)
        );
        assert!(out.cover_open);
    }

    #[test]
    fn demux_keeps_asb_blocks_whole() {
        // An ASB near-end block's third byte (0x03) looks like a GS r reply on its own.
        let mut d = Demux::default();
        let stream = [0x11, 0x10, 0x00, 0x03, 0x00, 0x12, 0x00, 0x13];
        let replies: Vec<Reply> = stream.iter().filter_map(|b| d.push(*b)).collect();
        assert_eq!(
            replies,
            [
                Reply::Asb([0x10, 0x00, 0x03, 0x00]),
                Reply::RealTime(0x12),
                Reply::Transmit(0x00)
            ]
        );
    }

    #[test]
    fn demultiplexer_patterns_are_disjoint() {
        // notes §4.4: DLE EOT 0**1**10, GS r 0**0****, ASB 0**1**00, XON/XOFF 0x11/0x13.
        for b in 0..=255u8 {
            let kinds = [is_real_time_reply(b), is_transmit_reply(b), is_asb_first(b)];
            assert!(kinds.iter().filter(|k| **k).count() <= 1, "{b:02X}");
        }
        assert!(!is_real_time_reply(0x11) && !is_transmit_reply(0x11) && !is_asb_first(0x11));
        assert!(!is_real_time_reply(0x13) && !is_transmit_reply(0x13) && !is_asb_first(0x13));
    }
}
