//! Serial scanner framing: the byte stream → one payload per scan. Pure (the driver tells it
//! when the line went quiet). Two framings, as scanners are configured in the field:
//!
//! - `Terminator`: a scan ends at CR, LF or CR LF (the factory default of most readers).
//!   Empty lines are skipped. Bytes that never get a terminator are dropped when the line has
//!   been quiet for the driver's partial timeout (noise, a half-sent scan at unplug).
//! - `Idle`: the scanner sends no suffix; a scan ends when the line has been quiet for the
//!   driver's idle gap.
//!
//! A frame longer than `MAX_PAYLOAD` is cut there and reported as an overflow; the rest up to
//! the next terminator is dropped.

use super::text::MAX_PAYLOAD;

/// How scans are delimited on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// CR, LF or CR LF ends a scan.
    Terminator,
    /// Silence ends a scan.
    Idle,
}

impl Framing {
    /// The framing of a `[devices.scanner] profile`: `serial-crlf`, `serial-cr`, `serial-lf`
    /// (terminated) or `serial-idle`.
    pub fn from_profile(profile: &str) -> Option<Self> {
        match profile {
            "serial-crlf" | "serial-cr" | "serial-lf" => Some(Framing::Terminator),
            "serial-idle" => Some(Framing::Idle),
            _ => None,
        }
    }
}

/// One framed scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// The payload bytes, without terminator.
    Scan(Vec<u8>),
    /// A payload longer than the bound: its first `MAX_PAYLOAD + 1` bytes (so that the
    /// classifier sees it is too long) and how many bytes came in all.
    Overflow {
        /// The kept head.
        head: Vec<u8>,
        /// Total length.
        total: usize,
    },
}

/// The streaming framer.
#[derive(Debug, Clone)]
pub struct Framer {
    framing: Framing,
    buf: Vec<u8>,
    total: usize,
    /// Bytes dropped as partial frames.
    dropped: u64,
}

impl Framer {
    /// A framer for `framing`.
    pub fn new(framing: Framing) -> Self {
        Self {
            framing,
            buf: Vec::new(),
            total: 0,
            dropped: 0,
        }
    }

    /// The framing.
    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// Whether bytes of an unfinished scan are waiting.
    pub fn pending(&self) -> bool {
        self.total > 0
    }

    /// Bytes dropped so far as partial frames.
    pub fn dropped(&self) -> u64 {
        self.dropped
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

    fn keep(&mut self, b: u8) {
        self.total += 1;
        if self.buf.len() <= MAX_PAYLOAD {
            self.buf.push(b);
        }
    }

    /// Feed received bytes; completed frames are appended to `out`.
    pub fn push(&mut self, bytes: &[u8], out: &mut Vec<Frame>) {
        match self.framing {
            Framing::Idle => {
                for &b in bytes {
                    self.keep(b);
                }
            }
            Framing::Terminator => {
                for &b in bytes {
                    if b == b'\r' || b == b'\n' {
                        out.extend(self.take());
                    } else {
                        self.keep(b);
                    }
                }
            }
        }
    }

    /// The line has been quiet for the idle gap: in `Idle` framing this ends the scan.
    pub fn idle(&mut self) -> Option<Frame> {
        match self.framing {
            Framing::Idle => self.take(),
            Framing::Terminator => None,
        }
    }

    /// The line has been quiet for the partial timeout: drop an unterminated scan.
    /// Returns the number of bytes dropped.
    pub fn expire(&mut self) -> usize {
        let n = self.total;
        if self.framing == Framing::Terminator && n > 0 {
            self.buf.clear();
            self.total = 0;
            self.dropped += n as u64;
            return n;
        }
        0
    }

    /// Forget everything (the port was re-opened).
    pub fn clear(&mut self) {
        self.buf.clear();
        self.total = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(framing: Framing, chunks: &[&[u8]]) -> Vec<Frame> {
        let mut f = Framer::new(framing);
        let mut out = Vec::new();
        for c in chunks {
            f.push(c, &mut out);
        }
        out
    }

    #[test]
    fn cr_lf_and_crlf_all_end_a_scan_and_empty_lines_vanish() {
        let out = frames(Framing::Terminator, &[b"A\rB\nC\r\n\r\n\nD"]);
        assert_eq!(
            out,
            [
                Frame::Scan(b"A".to_vec()),
                Frame::Scan(b"B".to_vec()),
                Frame::Scan(b"C".to_vec())
            ]
        );
    }

    #[test]
    fn scans_split_across_reads_are_joined() {
        let out = frames(Framing::Terminator, &[b"htt", b"ps://x", b"/y\r", b"\n"]);
        assert_eq!(out, [Frame::Scan(b"https://x/y".to_vec())]);
    }

    #[test]
    fn unterminated_bytes_expire() {
        let mut f = Framer::new(Framing::Terminator);
        let mut out = Vec::new();
        f.push(b"noise", &mut out);
        assert!(out.is_empty());
        assert!(f.pending());
        assert_eq!(f.idle(), None);
        assert_eq!(f.expire(), 5);
        f.push(b"OK\r", &mut out);
        assert_eq!(out, [Frame::Scan(b"OK".to_vec())]);
        assert_eq!(f.dropped(), 5);
    }

    #[test]
    fn idle_framing_ends_on_silence_and_keeps_crlf_inside() {
        let mut f = Framer::new(Framing::Idle);
        let mut out = Vec::new();
        f.push(b"line1\r\nline2", &mut out);
        assert!(out.is_empty());
        assert_eq!(f.idle(), Some(Frame::Scan(b"line1\r\nline2".to_vec())));
        assert_eq!(f.idle(), None);
        assert_eq!(f.expire(), 0);
    }

    #[test]
    fn overlong_scans_are_cut_and_flagged() {
        let big = vec![b'x'; MAX_PAYLOAD * 3];
        let out = frames(Framing::Terminator, &[&big, b"\rOK\r"]);
        match &out[0] {
            Frame::Overflow { head, total } => {
                assert_eq!(head.len(), MAX_PAYLOAD + 1);
                assert_eq!(*total, MAX_PAYLOAD * 3);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(out[1], Frame::Scan(b"OK".to_vec()));
    }

    #[test]
    fn profiles() {
        assert_eq!(
            Framing::from_profile("serial-crlf"),
            Some(Framing::Terminator)
        );
        assert_eq!(Framing::from_profile("serial-idle"), Some(Framing::Idle));
        assert_eq!(Framing::from_profile("hid-us"), None);
    }
}
