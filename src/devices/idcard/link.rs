//! One serial link to a reader: open the port, send a command, wait (with a deadline) for the
//! answer through the streaming decoder. Shared by the driver and `kiosk diag idcard`. Optionally
//! records every byte each way (see `record`).

use super::frame::{Command, Decoder, Response};
use super::record::Recorder;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Why a command got no usable answer.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The port could not be opened.
    #[error("cannot open {path}: {message}")]
    Open {
        /// The port.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// No complete, valid answer before the deadline.
    #[error("no answer to {command:?} within {timeout:?} ({garbage} bytes of garbage dropped)")]
    Timeout {
        /// The command.
        command: Command,
        /// The deadline.
        timeout: Duration,
        /// Bytes the decoder dropped meanwhile.
        garbage: usize,
    },
    /// The port failed (unplugged, closed by the other side).
    #[error("serial I/O error: {0}")]
    Io(#[from] std::io::Error),
}

impl LinkError {
    /// Whether the port itself is gone and must be reopened.
    pub fn port_lost(&self) -> bool {
        matches!(self, LinkError::Io(_) | LinkError::Open { .. })
    }
}

/// An open link.
pub struct Link {
    port: Box<dyn serialport::SerialPort>,
    decoder: Decoder,
    recorder: Option<Recorder>,
    buf: Vec<u8>,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Link")
            .field("port", &self.port.name())
            .finish_non_exhaustive()
    }
}

impl Link {
    /// Open the port at `baud`, 8N1, no flow control.
    pub fn open(path: &Path, baud: u32) -> Result<Self, LinkError> {
        let port = serialport::new(path.to_string_lossy(), baud)
            .timeout(Duration::from_millis(50))
            .open()
            .map_err(|e| LinkError::Open {
                path: path.to_owned(),
                message: e.to_string(),
            })?;
        Ok(Self {
            port,
            decoder: Decoder::responses(),
            recorder: None,
            buf: vec![0; 4096],
        })
    }

    /// Record every byte each way from now on.
    pub fn record(&mut self, recorder: Recorder) {
        self.recorder = Some(recorder);
    }

    /// Send a command and wait for its answer until `timeout`. Stale input is dropped first;
    /// garbage and broken frames on the way are skipped.
    pub fn transact(&mut self, command: Command, timeout: Duration) -> Result<Response, LinkError> {
        self.drain_stale()?;
        let request = command.encode();
        self.port.write_all(&request)?;
        self.port.flush()?;
        if let Some(r) = &mut self.recorder {
            r.host_to_reader(&request);
        }
        let deadline = Instant::now() + timeout;
        let mut garbage = 0;
        loop {
            while let Some(item) = self.decoder.next_response() {
                match item {
                    Ok(resp) => return Ok(resp),
                    Err(e) => {
                        garbage += match e {
                            super::frame::FrameError::Garbage(n) => n,
                            _ => 1,
                        };
                        tracing::debug!(error = %e, "id-card reader: dropped bytes");
                    }
                }
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(LinkError::Timeout {
                    command,
                    timeout,
                    garbage,
                });
            }
            self.port
                .set_timeout((deadline - now).min(Duration::from_millis(100)))
                .map_err(|e| LinkError::Io(e.into()))?;
            match self.port.read(&mut self.buf) {
                Ok(0) => {
                    return Err(LinkError::Io(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "port closed",
                    )));
                }
                Ok(n) => {
                    if let Some(r) = &mut self.recorder {
                        r.reader_to_host(&self.buf[..n]);
                    }
                    self.decoder.push(&self.buf[..n]);
                }
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(LinkError::Io(e)),
            }
        }
    }

    /// Drop bytes that arrived outside a transaction (late answers, line noise).
    fn drain_stale(&mut self) -> Result<(), LinkError> {
        self.decoder.clear();
        let waiting = self
            .port
            .bytes_to_read()
            .map_err(|e| LinkError::Io(e.into()))?;
        if waiting > 0 {
            self.port
                .set_timeout(Duration::from_millis(1))
                .map_err(|e| LinkError::Io(e.into()))?;
            let n = self.port.read(&mut self.buf).unwrap_or(0);
            if let Some(r) = &mut self.recorder {
                r.reader_to_host(&self.buf[..n]);
            }
            tracing::debug!(bytes = n, "id-card reader: dropped stale input");
        }
        Ok(())
    }
}
