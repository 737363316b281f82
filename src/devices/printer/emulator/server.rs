//! The emulator on a real port: a TCP listener (like a printer's port 9100) or a
//! pseudo-terminal whose slave is linked at a path (like `/dev/ttyUSB0`), one host at a time.
//! Each finished job is written to `OUT/job-NNNN.png` with a transcript beside it; the condition
//! can be changed while it runs (and ASB blocks go out when enabled). `kiosk sim printer` runs
//! this; the integration tests drive the real driver against it.

use super::{Emulator, RenderedJob};
use crate::devices::printer::profile::Profile;
use crate::devices::printer::status::PrinterCondition;
use crate::devices::printer::transport::{Serial, Tcp, Transport, TransportError};
use serialport::SerialPort;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use thiserror::Error;

/// How long a link may stay silent before an uncut job is considered finished.
pub const IDLE_FLUSH: Duration = Duration::from_millis(800);

/// Why the emulator could not start.
#[derive(Debug, Error)]
pub enum ServeError {
    /// Binding the TCP port failed.
    #[error("cannot listen on {addr}: {cause}")]
    Listen {
        /// The address.
        addr: String,
        /// Cause.
        cause: std::io::Error,
    },
    /// The pseudo-terminal could not be created or linked.
    #[error("cannot create the serial link at {path}: {message}")]
    Link {
        /// The path.
        path: String,
        /// Cause.
        message: String,
    },
    /// The output folder.
    #[error("cannot use output folder {path}: {cause}")]
    Out {
        /// The folder.
        path: String,
        /// Cause.
        cause: std::io::Error,
    },
}

struct Shared {
    emulator: Emulator,
    out_dir: PathBuf,
    count: usize,
    files: Vec<PathBuf>,
    rendered: Vec<RenderedJob>,
    to_host: Vec<u8>,
}

impl Shared {
    fn store(&mut self, jobs: Vec<RenderedJob>) {
        for job in jobs {
            self.count += 1;
            let suffix = if job.incomplete { "-incomplete" } else { "" };
            let png = self
                .out_dir
                .join(format!("job-{:04}{suffix}.png", self.count));
            let written = std::fs::File::create(&png)
                .map_err(|e| e.to_string())
                .and_then(|f| {
                    job.bitmap
                        .write_png(std::io::BufWriter::new(f))
                        .map_err(|e| e.to_string())
                });
            match written {
                Ok(()) => {
                    let txt = png.with_extension("txt");
                    let mut t: String = job.transcript.iter().map(|p| format!("{p:?}\n")).collect();
                    for w in &job.warnings {
                        t.push_str(&format!("warning: {w}\n"));
                    }
                    if let Err(e) = std::fs::write(&txt, t) {
                        tracing::error!(file = %txt.display(), error = %e, "cannot write transcript");
                    }
                    tracing::info!(file = %png.display(), incomplete = job.incomplete, "printed a job");
                    self.files.push(png);
                }
                Err(e) => {
                    tracing::error!(file = %png.display(), error = %e, "cannot write job PNG")
                }
            }
            self.rendered.push(job);
        }
    }
}

/// A running emulator. Dropping it (or [`SimPrinter::stop`]) takes the printer away: the port
/// closes, as when a printer is switched off or unplugged.
pub struct SimPrinter {
    shared: Arc<Mutex<Shared>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    endpoint: String,
    link: Option<PathBuf>,
}

fn lock(m: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl SimPrinter {
    fn shared(profile: Profile, out_dir: &Path) -> Result<Arc<Mutex<Shared>>, ServeError> {
        std::fs::create_dir_all(out_dir).map_err(|cause| ServeError::Out {
            path: out_dir.display().to_string(),
            cause,
        })?;
        Ok(Arc::new(Mutex::new(Shared {
            emulator: Emulator::new(profile),
            out_dir: out_dir.to_owned(),
            count: 0,
            files: Vec::new(),
            rendered: Vec::new(),
            to_host: Vec::new(),
        })))
    }

    /// Listen on a TCP address (`127.0.0.1:9100`, port 0 for any).
    pub fn listen(addr: &str, profile: Profile, out_dir: &Path) -> Result<Self, ServeError> {
        let listener = TcpListener::bind(addr).map_err(|cause| ServeError::Listen {
            addr: addr.to_owned(),
            cause,
        })?;
        let local: SocketAddr = listener.local_addr().map_err(|cause| ServeError::Listen {
            addr: addr.to_owned(),
            cause,
        })?;
        let _ = listener.set_nonblocking(true);
        let shared = Self::shared(profile, out_dir)?;
        let stop = Arc::new(AtomicBool::new(false));
        let (s2, stop2) = (shared.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("sim-printer".into())
            .spawn(move || {
                while !stop2.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, peer)) => {
                            let _ = stream.set_nonblocking(false);
                            tracing::info!(%peer, "host connected");
                            let mut t = Tcp::from_stream(stream, format!("tcp://{peer}"));
                            serve(&mut t, &s2, &stop2);
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(10)),
                    }
                }
            })
            .map_err(|cause| ServeError::Listen {
                addr: addr.to_owned(),
                cause,
            })?;
        Ok(Self {
            shared,
            stop,
            thread: Some(thread),
            endpoint: format!("tcp://{local}"),
            link: None,
        })
    }

    /// Create a pseudo-terminal and link its slave at `path` (replacing a stale link).
    pub fn link(path: &Path, profile: Profile, out_dir: &Path) -> Result<Self, ServeError> {
        let link_err = |message: String| ServeError::Link {
            path: path.display().to_string(),
            message,
        };
        let (master, slave) = serialport::TTYPort::pair().map_err(|e| link_err(e.to_string()))?;
        let slave_name = slave
            .name()
            .ok_or_else(|| link_err("the pseudo-terminal has no name".into()))?;
        if path.symlink_metadata().is_ok() {
            std::fs::remove_file(path)
                .map_err(|e| link_err(format!("cannot replace the old link: {e}")))?;
        }
        std::os::unix::fs::symlink(&slave_name, path).map_err(|e| link_err(e.to_string()))?;
        let shared = Self::shared(profile, out_dir)?;
        let stop = Arc::new(AtomicBool::new(false));
        let (s2, stop2) = (shared.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("sim-printer".into())
            .spawn(move || {
                // Keep the slave open so the master does not see a hang-up between hosts.
                let _slave = slave;
                let mut t = Serial::from_port(master, "pty-master".into());
                serve(&mut t, &s2, &stop2);
            })
            .map_err(|e| link_err(e.to_string()))?;
        Ok(Self {
            shared,
            stop,
            thread: Some(thread),
            endpoint: path.display().to_string(),
            link: Some(path.to_owned()),
        })
    }

    /// Where the driver connects: `tcp://127.0.0.1:PORT` or the link path.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The folder rendered jobs are written to.
    pub fn out_dir(&self) -> PathBuf {
        lock(&self.shared).out_dir.clone()
    }

    /// The current condition.
    pub fn condition(&self) -> PrinterCondition {
        lock(&self.shared).emulator.condition()
    }

    /// Change the condition (paper near-end/out, cover open, offline).
    pub fn set_condition(&self, c: PrinterCondition) {
        let mut s = lock(&self.shared);
        if let Some(asb) = s.emulator.set_condition(c) {
            s.to_host.extend_from_slice(&asb);
        }
    }

    /// The applicant takes the receipt from the presenter.
    pub fn take_receipt(&self) {
        lock(&self.shared).emulator.take_receipt();
    }

    /// Let the paper run out after `dots` more dots (mid-job fault).
    pub fn run_out_after(&self, dots: Option<usize>) {
        lock(&self.shared).emulator.run_out_after(dots);
    }

    /// PNG files written so far.
    pub fn files(&self) -> Vec<PathBuf> {
        lock(&self.shared).files.clone()
    }

    /// Rendered jobs not yet taken.
    pub fn take_jobs(&self) -> Vec<RenderedJob> {
        std::mem::take(&mut lock(&self.shared).rendered)
    }

    /// Wait until at least `n` jobs are rendered or `timeout` passes; returns them.
    pub fn wait_jobs(&self, n: usize, timeout: Duration) -> Vec<RenderedJob> {
        let deadline = Instant::now() + timeout;
        while lock(&self.shared).rendered.len() < n && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        self.take_jobs()
    }

    /// Take the printer away and wait for its thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Some(l) = self.link.take() {
            let _ = std::fs::remove_file(l);
        }
    }
}

impl Drop for SimPrinter {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Serve one host until it goes away or the emulator stops.
fn serve(t: &mut dyn Transport, shared: &Mutex<Shared>, stop: &AtomicBool) {
    let mut buf = vec![0u8; 16 * 1024];
    let mut last_data = Instant::now();
    let mut dirty = false;
    while !stop.load(Ordering::Relaxed) {
        let outgoing = std::mem::take(&mut lock(shared).to_host);
        if !outgoing.is_empty() && t.write_all(&outgoing, Duration::from_secs(1)).is_err() {
            break;
        }
        match t.read(&mut buf, Duration::from_millis(20)) {
            Ok(0) => {
                if dirty && last_data.elapsed() >= IDLE_FLUSH {
                    let mut s = lock(shared);
                    let jobs = s.emulator.end_of_stream();
                    s.store(jobs);
                    dirty = false;
                }
            }
            Ok(n) => {
                last_data = Instant::now();
                dirty = true;
                let mut s = lock(shared);
                let replies = s.emulator.feed(&buf[..n]).unwrap_or_default();
                let jobs = s.emulator.take_jobs();
                s.store(jobs);
                drop(s);
                if !replies.is_empty() && t.write_all(&replies, Duration::from_secs(1)).is_err() {
                    break;
                }
            }
            Err(TransportError::Gone { .. }) | Err(_) => break,
        }
    }
    let mut s = lock(shared);
    let jobs = s.emulator.end_of_stream();
    s.store(jobs);
}
