//! SAM frames (`notes/idcard-protocol.md` §2, §4): request builders for every command and a
//! streaming response decoder. Pure: bytes in, typed values out, no I/O, no clock.
//!
//! Hand-written because no Rust implementation of the SAM protocol exists and the vendors ship
//! only DLLs (see `hardware/idcard-readers.md`).
//!
//! ```text
//! host → reader:  AA AA AA 96 69 | Len(2, BE) | CMD PARA DATA… | CHK
//! reader → host:  AA AA AA 96 69 | Len(2, BE) | SW1 SW2 SW3 DATA… | CHK
//! Len counts everything after itself, CHK included; CHK = XOR of Len1 … last data byte.
//! ```

use super::sw::Sw3;

/// The 5-byte preamble of every frame.
pub const PREAMBLE: [u8; 5] = [0xAA, 0xAA, 0xAA, 0x96, 0x69];
/// The smallest response Len (SW1 SW2 SW3 CHK).
pub const MIN_RESPONSE_LEN: usize = 4;
/// The largest Len accepted: the biggest known answer is 2314 (read with 1024 fingerprint bytes).
pub const MAX_LEN: usize = 2400;

/// Baud rates the reader can be switched to (command 0x60).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baud {
    /// 115200 bps (the default).
    B115200,
    /// 57600 bps.
    B57600,
    /// 38400 bps.
    B38400,
    /// 19200 bps.
    B19200,
    /// 9600 bps.
    B9600,
}

impl Baud {
    /// The rate in bits per second.
    pub fn bps(self) -> u32 {
        match self {
            Baud::B115200 => 115_200,
            Baud::B57600 => 57_600,
            Baud::B38400 => 38_400,
            Baud::B19200 => 19_200,
            Baud::B9600 => 9_600,
        }
    }

    /// The rate for a number of bits per second, if the reader supports it.
    pub fn from_bps(bps: u32) -> Option<Self> {
        [
            Baud::B115200,
            Baud::B57600,
            Baud::B38400,
            Baud::B19200,
            Baud::B9600,
        ]
        .into_iter()
        .find(|b| b.bps() == bps)
    }

    fn para(self) -> u8 {
        match self {
            Baud::B115200 => 0x00,
            Baud::B57600 => 0x01,
            Baud::B38400 => 0x02,
            Baud::B19200 => 0x03,
            Baud::B9600 => 0x04,
        }
    }
}

/// Every command of §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Reset the SAM (10 FF).
    ResetSam,
    /// SAM status check (11 FF).
    SamStatus,
    /// Read the SAM management information / SAM id (12 FF).
    SamId,
    /// Find a card (20 01).
    FindCard,
    /// Select the card (20 02).
    SelectCard,
    /// Read text and photo (30 01).
    ReadText,
    /// Read the newest appended address (30 03).
    ReadAppendedAddress,
    /// Read the card management number (30 05; layout of the answer unknown, §11).
    ReadCardNumber,
    /// Read text, photo and fingerprint (30 10).
    ReadTextAndFingerprint,
    /// Switch the UART baud rate (60 xx).
    SetBaud(Baud),
    /// Set the maximum bytes per RF frame (61 FF n).
    SetMaxRfBytes(u8),
}

impl Command {
    /// (CMD, PARA, DATA).
    pub fn parts(self) -> (u8, u8, Option<u8>) {
        match self {
            Command::ResetSam => (0x10, 0xFF, None),
            Command::SamStatus => (0x11, 0xFF, None),
            Command::SamId => (0x12, 0xFF, None),
            Command::FindCard => (0x20, 0x01, None),
            Command::SelectCard => (0x20, 0x02, None),
            Command::ReadText => (0x30, 0x01, None),
            Command::ReadAppendedAddress => (0x30, 0x03, None),
            Command::ReadCardNumber => (0x30, 0x05, None),
            Command::ReadTextAndFingerprint => (0x30, 0x10, None),
            Command::SetBaud(b) => (0x60, b.para(), None),
            Command::SetMaxRfBytes(n) => (0x61, 0xFF, Some(n)),
        }
    }

    /// Recognise a command from its CMD, PARA and data (the simulator's side).
    pub fn from_parts(cmd: u8, para: u8, data: &[u8]) -> Option<Self> {
        Some(match (cmd, para, data) {
            (0x10, 0xFF, []) => Command::ResetSam,
            (0x11, 0xFF, []) => Command::SamStatus,
            (0x12, 0xFF, []) => Command::SamId,
            (0x20, 0x01, []) => Command::FindCard,
            (0x20, 0x02, []) => Command::SelectCard,
            (0x30, 0x01, []) => Command::ReadText,
            (0x30, 0x03, []) => Command::ReadAppendedAddress,
            (0x30, 0x05, []) => Command::ReadCardNumber,
            (0x30, 0x10, []) => Command::ReadTextAndFingerprint,
            (0x60, p, []) => Command::SetBaud(match p {
                0x00 => Baud::B115200,
                0x01 => Baud::B57600,
                0x02 => Baud::B38400,
                0x03 => Baud::B19200,
                0x04 => Baud::B9600,
                _ => return None,
            }),
            (0x61, 0xFF, [n]) => Command::SetMaxRfBytes(*n),
            _ => return None,
        })
    }

    /// The complete request frame.
    pub fn encode(self) -> Vec<u8> {
        let (cmd, para, data) = self.parts();
        let mut body = vec![cmd, para];
        body.extend(data);
        frame(&body)
    }
}

/// XOR of the bytes.
pub fn xor(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |a, b| a ^ b)
}

/// Wrap a body (CMD PARA DATA, or SW1 SW2 SW3 DATA) into a frame: preamble, Len, body, CHK.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let len = body.len() + 1;
    let mut out = Vec::with_capacity(PREAMBLE.len() + 2 + len);
    out.extend_from_slice(&PREAMBLE);
    // Bodies are built by this crate and bounded by MAX_LEN; saturate rather than wrap.
    let len16 = u16::try_from(len).unwrap_or(u16::MAX);
    out.extend_from_slice(&len16.to_be_bytes());
    out.extend_from_slice(body);
    out.push(xor(&out[PREAMBLE.len()..]));
    out
}

/// A decoded response frame.
#[derive(Clone, PartialEq, Eq)]
pub struct Response {
    /// SW1 (the card's APDU status, relayed; logged, not acted on).
    pub sw1: u8,
    /// SW2.
    pub sw2: u8,
    /// The SAM's status.
    pub sw3: Sw3,
    /// The data after the status bytes.
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Response {
    // The data of a read holds personal data: show its size only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("sw1", &self.sw1)
            .field("sw2", &self.sw2)
            .field("sw3", &self.sw3)
            .field("data_len", &self.data.len())
            .finish()
    }
}

impl Response {
    /// Encode as a frame (the simulator's side).
    pub fn encode(&self) -> Vec<u8> {
        let mut body = vec![self.sw1, self.sw2, self.sw3.code()];
        body.extend_from_slice(&self.data);
        frame(&body)
    }

    /// A status-only answer.
    pub fn status(sw3: Sw3) -> Self {
        Self {
            sw1: 0,
            sw2: 0,
            sw3,
            data: Vec::new(),
        }
    }
}

/// Why bytes were dropped by the decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Bytes before a preamble were skipped.
    #[error("skipped {0} bytes of garbage before a frame preamble")]
    Garbage(usize),
    /// The length field is below the minimum or above `MAX_LEN`.
    #[error("frame length {0} out of range")]
    BadLength(usize),
    /// The checksum did not match.
    #[error("frame checksum mismatch: computed {computed:#04x}, received {received:#04x}")]
    BadChecksum {
        /// What the bytes give.
        computed: u8,
        /// What the frame says.
        received: u8,
    },
}

/// What the decoder produced.
pub type Decoded = Result<Response, FrameError>;

/// A streaming decoder: feed bytes in any chunking, take complete frames (or errors) out.
/// After a bad length or checksum it drops the first preamble byte and rescans, so a valid frame
/// that follows (or hides inside) garbage is still found. It never panics and its buffer is
/// bounded by `MAX_LEN + 7`.
#[derive(Debug, Default, Clone)]
pub struct Decoder {
    buf: Vec<u8>,
    min_len: usize,
}

impl Decoder {
    /// A decoder of reader → host frames (Len ≥ 4).
    pub fn responses() -> Self {
        Self {
            buf: Vec::new(),
            min_len: MIN_RESPONSE_LEN,
        }
    }

    /// A decoder of host → reader frames (Len ≥ 3), for the simulator.
    pub fn requests() -> Self {
        Self {
            buf: Vec::new(),
            min_len: 3,
        }
    }

    /// Bytes held, waiting for the rest of a frame.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    /// Forget everything buffered (after a timeout or a port change).
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// Add bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next raw frame body (between Len and CHK) or error, if one is complete.
    pub fn next_raw(&mut self) -> Option<Result<Vec<u8>, FrameError>> {
        // Find the preamble (or a prefix of it at the end of the buffer).
        let start = find_preamble(&self.buf);
        if start > 0 {
            self.buf.drain(..start);
            return Some(Err(FrameError::Garbage(start)));
        }
        if self.buf.len() < PREAMBLE.len() + 2 {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([self.buf[5], self.buf[6]]));
        if len < self.min_len || len > MAX_LEN {
            self.buf.drain(..1);
            return Some(Err(FrameError::BadLength(len)));
        }
        let total = PREAMBLE.len() + 2 + len;
        if self.buf.len() < total {
            return None;
        }
        let computed = xor(&self.buf[PREAMBLE.len()..total - 1]);
        let received = self.buf[total - 1];
        if computed != received {
            self.buf.drain(..1);
            return Some(Err(FrameError::BadChecksum { computed, received }));
        }
        let body = self.buf[PREAMBLE.len() + 2..total - 1].to_vec();
        self.buf.drain(..total);
        Some(Ok(body))
    }

    /// The next response, if one is complete.
    pub fn next_response(&mut self) -> Option<Decoded> {
        self.next_raw().map(|r| {
            r.map(|body| Response {
                sw1: body[0],
                sw2: body[1],
                sw3: Sw3::from_code(body[2]),
                data: body[3..].to_vec(),
            })
        })
    }
}

/// Index of the first byte that may start a preamble: a full preamble, or a preamble prefix
/// that runs to the end of the buffer. Everything before it is garbage.
fn find_preamble(buf: &[u8]) -> usize {
    (0..buf.len())
        .find(|&i| {
            let rest = &buf[i..];
            let n = rest.len().min(PREAMBLE.len());
            rest[..n] == PREAMBLE[..n]
        })
        .unwrap_or(buf.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).expect("hex"))
            .collect()
    }

    #[test]
    fn every_command_encodes_as_published() {
        for (cmd, bytes) in [
            (Command::ResetSam, "AA AA AA 96 69 00 03 10 FF EC"),
            (Command::SamStatus, "AA AA AA 96 69 00 03 11 FF ED"),
            (Command::SamId, "AA AA AA 96 69 00 03 12 FF EE"),
            (Command::FindCard, "AA AA AA 96 69 00 03 20 01 22"),
            (Command::SelectCard, "AA AA AA 96 69 00 03 20 02 21"),
            (Command::ReadText, "AA AA AA 96 69 00 03 30 01 32"),
            (
                Command::ReadAppendedAddress,
                "AA AA AA 96 69 00 03 30 03 30",
            ),
            (Command::ReadCardNumber, "AA AA AA 96 69 00 03 30 05 36"),
            (
                Command::ReadTextAndFingerprint,
                "AA AA AA 96 69 00 03 30 10 23",
            ),
            (
                Command::SetBaud(Baud::B115200),
                "AA AA AA 96 69 00 03 60 00 63",
            ),
            (
                Command::SetBaud(Baud::B9600),
                "AA AA AA 96 69 00 03 60 04 67",
            ),
            (
                Command::SetMaxRfBytes(0x50),
                "AA AA AA 96 69 00 04 61 FF 50 CA",
            ),
        ] {
            assert_eq!(cmd.encode(), hex(bytes), "{cmd:?}");
            let mut d = Decoder::requests();
            d.push(&cmd.encode());
            let body = d.next_raw().expect("frame").expect("valid");
            assert_eq!(Command::from_parts(body[0], body[1], &body[2..]), Some(cmd));
        }
    }

    #[test]
    fn decodes_in_any_chunking() {
        let frame = hex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97");
        for chunk in 1..=frame.len() {
            let mut d = Decoder::responses();
            let mut got = Vec::new();
            for c in frame.chunks(chunk) {
                d.push(c);
                while let Some(r) = d.next_response() {
                    got.push(r);
                }
            }
            assert_eq!(got.len(), 1, "chunk {chunk}");
            let r = got.remove(0).expect("valid");
            assert_eq!(r.sw3, Sw3::FindOk);
            assert_eq!(r.data, [0, 0, 0, 0]);
        }
    }

    #[test]
    fn skips_garbage_and_a_garbled_preamble() {
        // A published capture with a garbage byte inside the preamble (only two AA left): the
        // whole frame is garbage; the good frame after it is found.
        let mut d = Decoder::responses();
        d.push(&hex("AA 00 AA AA 96 69 00 04 00 00 90 94"));
        d.push(&hex("AA AA AA 96 69 00 04 00 00 90 94"));
        let mut out = Vec::new();
        while let Some(r) = d.next_response() {
            out.push(r.map(|r| r.sw3));
        }
        assert_eq!(out, [Err(FrameError::Garbage(12)), Ok(Sw3::Success)]);
    }

    #[test]
    fn bad_checksum_is_rejected_then_resynchronised() {
        let mut d = Decoder::responses();
        let mut bytes = hex("AA AA AA 96 69 00 04 00 00 90 95"); // CHK should be 94
        bytes.extend(hex("AA AA AA 96 69 00 04 00 00 80 84"));
        d.push(&bytes);
        let mut out = Vec::new();
        while let Some(r) = d.next_response() {
            out.push(r);
        }
        assert_eq!(
            out[0],
            Err(FrameError::BadChecksum {
                computed: 0x94,
                received: 0x95
            })
        );
        assert_eq!(
            out.last().cloned().map(|r| r.map(|r| r.sw3)),
            Some(Ok(Sw3::FindFailed))
        );
    }

    #[test]
    fn absurd_length_is_rejected() {
        let mut d = Decoder::responses();
        d.push(&hex("AA AA AA 96 69 FF FF 00"));
        assert_eq!(d.next_response(), Some(Err(FrameError::BadLength(0xFFFF))));
        let mut d = Decoder::responses();
        d.push(&hex("AA AA AA 96 69 00 01 00"));
        assert_eq!(d.next_response(), Some(Err(FrameError::BadLength(1))));
    }

    #[test]
    fn a_partial_frame_waits() {
        let mut d = Decoder::responses();
        d.push(&hex("AA AA AA 96 69 05 08 00 00 90"));
        assert_eq!(d.next_response(), None);
        assert_eq!(d.pending(), 10);
    }

    #[test]
    fn trailing_preamble_prefix_is_kept() {
        let mut d = Decoder::responses();
        d.push(&hex("01 02 AA AA"));
        assert_eq!(d.next_response(), Some(Err(FrameError::Garbage(2))));
        assert_eq!(d.next_response(), None);
        d.push(&hex("AA 96 69 00 04 00 00 90 94"));
        assert!(matches!(d.next_response(), Some(Ok(_))));
    }

    #[test]
    fn response_round_trips() {
        let r = Response {
            sw1: 0,
            sw2: 0,
            sw3: Sw3::Success,
            data: vec![1, 2, 3],
        };
        let mut d = Decoder::responses();
        d.push(&r.encode());
        assert_eq!(d.next_response(), Some(Ok(r)));
    }
}
