//! The three ways bytes reach a printer, each with deadlines on every read and write:
//! a usblp device file (`/dev/usb/lp0`, opened `O_NONBLOCK` and waited on with `poll`, because
//! a blocking usblp read never times out, notes §4.6), a serial port (or a pseudo-terminal from
//! the emulator's `--link`), and TCP port 9100 (host names allowed, unlike the `escpos` crate, B9).

use rustix::event::{PollFd, PollFlags, poll};
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{Duration, Instant};
use thiserror::Error;

/// Default serial speed when the device string does not say (`/dev/ttyS0@19200`).
pub const DEFAULT_BAUD: u32 = 115_200;

/// A transport failure, in words a technician can act on.
#[derive(Debug, Error)]
pub enum TransportError {
    /// The device could not be opened.
    #[error("cannot open printer at {device}: {cause}")]
    Open {
        /// The device string.
        device: String,
        /// Cause.
        cause: std::io::Error,
    },
    /// Nothing could be written before the deadline (printer busy, flow control, offline).
    #[error(
        "writing to printer at {device} timed out after {after:?} ({written} of {total} bytes sent)"
    )]
    WriteTimeout {
        /// The device string.
        device: String,
        /// The deadline.
        after: Duration,
        /// Bytes sent.
        written: usize,
        /// Bytes in the job.
        total: usize,
    },
    /// The other end closed the connection or the device disappeared.
    #[error("printer at {device} went away (connection closed or device unplugged)")]
    Gone {
        /// The device string.
        device: String,
    },
    /// usblp reports paper out on write (`ENOSPC`, notes §4.6).
    #[error("printer at {device} refused data: out of paper (ENOSPC)")]
    NoPaper {
        /// The device string.
        device: String,
    },
    /// Any other I/O error.
    #[error("I/O error on printer at {device}: {cause}")]
    Io {
        /// The device string.
        device: String,
        /// Cause.
        cause: std::io::Error,
    },
}

/// A byte pipe to a printer.
pub trait Transport: Send {
    /// Send all of `data` within `timeout`.
    fn write_all(&mut self, data: &[u8], timeout: Duration) -> Result<(), TransportError>;
    /// Read what arrives within `timeout`; `Ok(0)` when nothing came.
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError>;
    /// The device string, for messages.
    fn device(&self) -> &str;
    /// How long `len` bytes take on the wire at best (serial: 10 bits a byte at the baud
    /// rate; a 72 KB raster receipt is ~6 s at 115,200 and ~75 s at 9,600, notes §2.2). The
    /// driver adds it to its write deadline.
    fn wire_time(&self, _len: usize) -> Duration {
        Duration::ZERO
    }
}

fn io_err(device: &str, e: std::io::Error) -> TransportError {
    match e.kind() {
        ErrorKind::BrokenPipe
        | ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::NotConnected => TransportError::Gone {
            device: device.to_owned(),
        },
        _ if e.raw_os_error() == Some(rustix::io::Errno::NODEV.raw_os_error())
            || e.raw_os_error() == Some(rustix::io::Errno::IO.raw_os_error()) =>
        {
            TransportError::Gone {
                device: device.to_owned(),
            }
        }
        _ if e.raw_os_error() == Some(rustix::io::Errno::NOSPC.raw_os_error()) => {
            TransportError::NoPaper {
                device: device.to_owned(),
            }
        }
        _ => TransportError::Io {
            device: device.to_owned(),
            cause: e,
        },
    }
}

/// An I/O error that only means "not now" (retry until the deadline).
fn is_transient(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
    )
}

/// Write all of `data` before `timeout`, calling `write(bytes, time_left)` for each attempt.
/// Shared by the TCP and serial transports; a write of 0 bytes means the peer is gone.
fn write_before_deadline(
    device: &str,
    data: &[u8],
    timeout: Duration,
    mut write: impl FnMut(&[u8], Duration) -> std::io::Result<usize>,
) -> Result<(), TransportError> {
    let deadline = Instant::now() + timeout;
    let mut written = 0;
    while written < data.len() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(TransportError::WriteTimeout {
                device: device.to_owned(),
                after: timeout,
                written,
                total: data.len(),
            });
        }
        match write(&data[written..], left) {
            Ok(0) => {
                return Err(TransportError::Gone {
                    device: device.to_owned(),
                });
            }
            Ok(n) => written += n,
            Err(e) if is_transient(&e) => {}
            Err(e) => return Err(io_err(device, e)),
        }
    }
    Ok(())
}

/// The outcome of one read: transient errors are "nothing yet"; `eof_is_gone` for sockets, where
/// a read of 0 bytes means the peer closed.
fn read_outcome(
    device: &str,
    result: std::io::Result<usize>,
    eof_is_gone: bool,
) -> Result<usize, TransportError> {
    match result {
        Ok(0) if eof_is_gone => Err(TransportError::Gone {
            device: device.to_owned(),
        }),
        Ok(n) => Ok(n),
        Err(e) if is_transient(&e) => Ok(0),
        Err(e) => Err(io_err(device, e)),
    }
}

/// Open a printer from a device string:
/// `tcp://HOST:PORT`; `usblp:PATH` or any path that resolves under `/dev/usb/`;
/// `serial:PATH[@BAUD]` or any other path (serial, default 115200 baud).
pub fn open(device: &str, timeout: Duration) -> Result<Box<dyn Transport>, TransportError> {
    if let Some(addr) = device.strip_prefix("tcp://") {
        return Ok(Box::new(Tcp::connect(addr, timeout)?));
    }
    if let Some(path) = device.strip_prefix("usblp:") {
        return Ok(Box::new(UsbLp::open(Path::new(path))?));
    }
    let (spec, forced_serial) = match device.strip_prefix("serial:") {
        Some(s) => (s, true),
        None => (device, false),
    };
    let (path, baud) = match spec.rsplit_once('@') {
        Some((p, b)) => (
            p,
            b.parse().map_err(|_| TransportError::Open {
                device: device.to_owned(),
                cause: std::io::Error::new(ErrorKind::InvalidInput, format!("bad baud rate {b:?}")),
            })?,
        ),
        None => (spec, DEFAULT_BAUD),
    };
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.into());
    if !forced_serial && resolved.starts_with("/dev/usb/") {
        return Ok(Box::new(UsbLp::open(Path::new(path))?));
    }
    Ok(Box::new(Serial::open(path, baud)?))
}

/// TCP (raw port 9100).
pub struct Tcp {
    device: String,
    stream: TcpStream,
}

impl Tcp {
    /// Connect to `HOST:PORT` within `timeout` (host names are resolved).
    pub fn connect(addr: &str, timeout: Duration) -> Result<Self, TransportError> {
        let device = format!("tcp://{addr}");
        let open_err = |cause| TransportError::Open {
            device: device.clone(),
            cause,
        };
        let addrs: Vec<_> = addr.to_socket_addrs().map_err(open_err)?.collect();
        let mut last = std::io::Error::new(ErrorKind::NotFound, "no address");
        for a in addrs {
            match TcpStream::connect_timeout(&a, timeout) {
                Ok(stream) => {
                    let _ = stream.set_nodelay(true);
                    return Ok(Self { device, stream });
                }
                Err(e) => last = e,
            }
        }
        Err(open_err(last))
    }
}

impl Tcp {
    /// Wrap an accepted connection (the emulator's side).
    pub fn from_stream(stream: TcpStream, device: String) -> Self {
        let _ = stream.set_nodelay(true);
        Self { device, stream }
    }
}

impl Transport for Tcp {
    fn write_all(&mut self, data: &[u8], timeout: Duration) -> Result<(), TransportError> {
        let stream = &mut self.stream;
        write_before_deadline(&self.device, data, timeout, |bytes, left| {
            let _ = stream.set_write_timeout(Some(left));
            stream.write(bytes)
        })
    }

    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        let _ = self
            .stream
            .set_read_timeout(Some(timeout.max(Duration::from_millis(1))));
        read_outcome(&self.device, self.stream.read(buf), true)
    }

    fn device(&self) -> &str {
        &self.device
    }
}

/// Serial port (also pseudo-terminals).
pub struct Serial {
    device: String,
    port: serialport::TTYPort,
    baud: u32,
}

impl Serial {
    /// Open `path` at `baud`, 8N1, no flow control.
    pub fn open(path: &str, baud: u32) -> Result<Self, TransportError> {
        let device = format!("serial:{path}@{baud}");
        let port = serialport::new(path, baud)
            .timeout(Duration::from_millis(100))
            .open_native()
            .map_err(|e| TransportError::Open {
                device: device.clone(),
                cause: e.into(),
            })?;
        Ok(Self { device, port, baud })
    }
}

impl Serial {
    /// Wrap an open port (the emulator's pseudo-terminal master).
    pub fn from_port(port: serialport::TTYPort, device: String) -> Self {
        let baud = serialport::SerialPort::baud_rate(&port).unwrap_or(DEFAULT_BAUD);
        Self { device, port, baud }
    }
}

impl Transport for Serial {
    fn wire_time(&self, len: usize) -> Duration {
        Duration::from_secs_f64(len as f64 * 10.0 / f64::from(self.baud.max(300)))
    }

    fn write_all(&mut self, data: &[u8], timeout: Duration) -> Result<(), TransportError> {
        use serialport::SerialPort;
        let port = &mut self.port;
        write_before_deadline(&self.device, data, timeout, |bytes, left| {
            let _ = port.set_timeout(left);
            port.write(bytes)
        })
    }

    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        use serialport::SerialPort;
        let _ = self.port.set_timeout(timeout.max(Duration::from_millis(1)));
        read_outcome(&self.device, self.port.read(buf), false)
    }

    fn device(&self) -> &str {
        &self.device
    }
}

/// A usblp character device (or any character device), non-blocking with `poll` deadlines.
pub struct UsbLp {
    device: String,
    file: File,
}

impl UsbLp {
    /// Open read-write, `O_NONBLOCK`.
    pub fn open(path: &Path) -> Result<Self, TransportError> {
        let device = format!("usblp:{}", path.display());
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(
                rustix::fs::OFlags::NONBLOCK.bits() as i32
                    | rustix::fs::OFlags::NOCTTY.bits() as i32,
            )
            .open(path)
            .map_err(|cause| TransportError::Open {
                device: device.clone(),
                cause,
            })?;
        Ok(Self { device, file })
    }

    /// Wait until the file is readable or writable, or the deadline passes.
    fn wait(&self, flags: PollFlags, timeout: Duration) -> Result<bool, TransportError> {
        let mut fds = [PollFd::new(&self.file, flags)];
        let ts = rustix::event::Timespec {
            tv_sec: timeout.as_secs() as _,
            tv_nsec: timeout.subsec_nanos() as _,
        };
        match poll(&mut fds, Some(&ts)) {
            Ok(0) => Ok(false),
            Ok(_) => {
                let r = fds[0].revents();
                if r.intersects(PollFlags::ERR | PollFlags::NVAL)
                    || (r.contains(PollFlags::HUP) && !r.contains(flags))
                {
                    return Err(TransportError::Gone {
                        device: self.device.clone(),
                    });
                }
                Ok(true)
            }
            Err(rustix::io::Errno::INTR) => Ok(false),
            Err(e) => Err(io_err(&self.device, e.into())),
        }
    }
}

impl Transport for UsbLp {
    fn write_all(&mut self, data: &[u8], timeout: Duration) -> Result<(), TransportError> {
        let deadline = Instant::now() + timeout;
        let mut written = 0;
        while written < data.len() {
            match self.file.write(&data[written..]) {
                Ok(0) => {
                    return Err(TransportError::Gone {
                        device: self.device.clone(),
                    });
                }
                Ok(n) => written += n,
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero()
                        || !self.wait(PollFlags::OUT, left)? && Instant::now() >= deadline
                    {
                        return Err(TransportError::WriteTimeout {
                            device: self.device.clone(),
                            after: timeout,
                            written,
                            total: data.len(),
                        });
                    }
                }
                Err(e) => return Err(io_err(&self.device, e)),
            }
        }
        Ok(())
    }

    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        match self.file.read(buf) {
            Ok(n) if n > 0 => return Ok(n),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {}
            Err(e) => return Err(io_err(&self.device, e)),
        }
        if !self.wait(PollFlags::IN, timeout)? {
            return Ok(0);
        }
        match self.file.read(buf) {
            Ok(n) => Ok(n),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => Ok(0),
            Err(e) => Err(io_err(&self.device, e)),
        }
    }

    fn device(&self) -> &str {
        &self.device
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_strings_pick_the_transport_and_errors_name_the_device() {
        let t = Duration::from_millis(200);
        // A closed local port: the error says which printer and why.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port();
        let e = open(&format!("tcp://127.0.0.1:{port}"), t)
            .err()
            .expect("refused");
        assert!(
            e.to_string()
                .starts_with(&format!("cannot open printer at tcp://127.0.0.1:{port}:")),
            "{e}"
        );
        let e = open("serial:/dev/nonexistent-printer@abc", t)
            .err()
            .expect("bad baud");
        assert!(e.to_string().contains("bad baud rate \"abc\""), "{e}");
        let e = open("/dev/nonexistent-printer@9600", t)
            .err()
            .expect("absent");
        assert!(
            e.to_string()
                .starts_with("cannot open printer at serial:/dev/nonexistent-printer@9600"),
            "{e}"
        );
        let e = open("usblp:/dev/nonexistent-lp", t).err().expect("absent");
        assert!(
            e.to_string()
                .starts_with("cannot open printer at usblp:/dev/nonexistent-lp"),
            "{e}"
        );
    }

    #[test]
    fn serial_wire_time_follows_the_baud_rate() {
        let (master, _slave) = serialport::TTYPort::pair().expect("pty");
        let mut s = Serial::from_port(master, "pty".into());
        s.baud = 9_600;
        // 72,000 bytes × 10 bits / 9,600 baud = 75 s (notes §2.2).
        assert_eq!(s.wire_time(72_000), Duration::from_secs(75));
    }

    #[test]
    fn tcp_resolves_host_names() {
        // notes §1.4 B9: the escpos crate rejects names with a timeout; we resolve them.
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
        let port = l.local_addr().expect("addr").port();
        let t = open(&format!("tcp://localhost:{port}"), Duration::from_secs(2)).expect("connects");
        assert_eq!(t.device(), format!("tcp://localhost:{port}"));
    }
}
