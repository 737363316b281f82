//! Recordings of reader traffic: every byte each way with a timestamp, one line per chunk:
//! `<microseconds since start> <h|r> <hex>` (`h` host → reader, `r` reader → host). The driver
//! records when built with the `record` feature and given a path; replay tests feed a recording
//! back through a pseudo-terminal and check the driver reports the same events.
//!
//! Recordings hold personal data when made with real cards: make them with the simulator's
//! fictitious cards only, and never commit one made on a real card.

use std::io::Write;
use std::time::Instant;

/// Direction of a recorded chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Host → reader.
    HostToReader,
    /// Reader → host.
    ReaderToHost,
}

/// One recorded chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Microseconds since the recording started.
    pub at_us: u64,
    /// Direction.
    pub direction: Direction,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Writes a recording.
pub struct Recorder {
    out: Box<dyn Write + Send>,
    start: Instant,
}

impl Recorder {
    /// Record into a writer.
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        Self {
            out,
            start: Instant::now(),
        }
    }

    fn write(&mut self, d: char, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let us = self.start.elapsed().as_micros();
        // A failing recorder must not take the reader down; it just stops recording.
        if writeln!(self.out, "{us} {d} {hex}").is_err() {
            tracing::warn!("id-card recording: write failed");
        }
    }

    /// Record bytes sent to the reader.
    pub fn host_to_reader(&mut self, bytes: &[u8]) {
        self.write('h', bytes);
    }

    /// Record bytes received from the reader.
    pub fn reader_to_host(&mut self, bytes: &[u8]) {
        self.write('r', bytes);
    }
}

/// Why a recording could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("recording line {line}: {why}")]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub why: String,
}

/// Parse a recording.
pub fn parse(text: &str) -> Result<Vec<Chunk>, ParseError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let err = |why: &str| ParseError {
            line: line_no,
            why: why.into(),
        };
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let mut parts = l.split_whitespace();
        let at_us = parts
            .next()
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| err("bad timestamp"))?;
        let direction = match parts.next() {
            Some("h") => Direction::HostToReader,
            Some("r") => Direction::ReaderToHost,
            _ => return Err(err("direction must be h or r")),
        };
        let hex = parts.next().ok_or_else(|| err("no bytes"))?;
        if hex.len() % 2 != 0 || !hex.is_ascii() {
            return Err(err("odd or non-ASCII hex"));
        }
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|j| u8::from_str_radix(&hex[j..j + 2], 16))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| err("bad hex digit"))?;
        out.push(Chunk {
            at_us,
            direction,
            bytes,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?
                .extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn record_then_parse() {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let mut r = Recorder::new(Box::new(Shared(buf.clone())));
        r.host_to_reader(&[0xAA, 0x01]);
        r.reader_to_host(&[0xFF]);
        r.reader_to_host(&[]);
        let text = String::from_utf8(buf.lock().expect("lock").clone()).expect("utf8");
        let chunks = parse(&text).expect("parse");
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].direction, Direction::HostToReader);
        assert_eq!(chunks[0].bytes, [0xAA, 0x01]);
        assert_eq!(chunks[1].bytes, [0xFF]);
    }

    #[test]
    fn bad_lines_name_their_number() {
        assert_eq!(parse("# c\n1 h aa\n2 x bb\n").unwrap_err().line, 3);
        assert_eq!(parse("1 h a\n").unwrap_err().line, 1);
        assert_eq!(parse("t h aa\n").unwrap_err().line, 1);
    }
}
