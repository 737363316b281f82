//! Simulated serial ports: a pseudo-terminal whose slave end appears at a path (a symlink), as a
//! USB-serial device appears under `/dev`. Unplugging removes the PTY and the link; plugging in
//! makes a new PTY at the same path, so drivers see exactly what they see on real hardware.
//! Used by every device simulator that speaks a serial protocol.

use super::worker::{StopFlag, Worker};
use serialport::{SerialPort, TTYPort};
use std::path::{Path, PathBuf};
use std::time::Duration;

struct Pty {
    master: TTYPort,
    // Held open so that the master never sees EIO while no driver has the port open.
    _slave: TTYPort,
}

impl Pty {
    fn create(link: &Path, read_timeout: Duration) -> std::io::Result<Self> {
        let (mut master, slave) = TTYPort::pair().map_err(std::io::Error::other)?;
        master
            .set_timeout(read_timeout)
            .map_err(std::io::Error::other)?;
        let name = slave
            .name()
            .ok_or_else(|| std::io::Error::other("pseudo-terminal has no name"))?;
        // Replace the link atomically: a driver never sees a missing link while we replug.
        let tmp = link.with_extension("tmp-link");
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(&name, &tmp)?;
        std::fs::rename(&tmp, link)?;
        Ok(Self {
            master,
            _slave: slave,
        })
    }
}

/// A simulated port at a path; removes its link when dropped.
pub struct SimPort {
    link: PathBuf,
    read_timeout: Duration,
    pty: Option<Pty>,
}

impl SimPort {
    /// Create the PTY and its link. `read_timeout` bounds each read of the master.
    pub fn open(link: &Path, read_timeout: Duration) -> std::io::Result<Self> {
        Ok(Self {
            link: link.to_owned(),
            read_timeout,
            pty: Some(Pty::create(link, read_timeout)?),
        })
    }

    /// Follow the plug state: drop the PTY and the link when unplugged, make new ones when
    /// plugged again. Returns the master end while plugged.
    pub fn follow(&mut self, plugged: bool) -> Option<&mut TTYPort> {
        match (self.pty.is_some(), plugged) {
            (true, false) => {
                self.pty = None;
                let _ = std::fs::remove_file(&self.link);
            }
            (false, true) => match Pty::create(&self.link, self.read_timeout) {
                Ok(p) => self.pty = Some(p),
                Err(e) => {
                    tracing::warn!(link = %self.link.display(), error = %e, "simulator cannot replug")
                }
            },
            _ => {}
        }
        self.pty.as_mut().map(|p| &mut p.master)
    }
}

impl Drop for SimPort {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.link);
    }
}

/// A running serial simulator: its port, the thread serving it, and the handle tests and the
/// demo dock use to control it (`C`). Dropping it stops the thread and removes the link.
pub struct SimDevice<C> {
    control: C,
    link: PathBuf,
    _thread: Worker,
}

impl<C: Clone + Send + 'static> SimDevice<C> {
    /// Open the port at `link` and run `serve(port, control, stop)` on a thread called `name`.
    pub fn spawn(
        name: &str,
        link: &Path,
        read_timeout: Duration,
        control: C,
        serve: impl FnOnce(SimPort, C, StopFlag) + Send + 'static,
    ) -> std::io::Result<Self> {
        let port = SimPort::open(link, read_timeout)?;
        let c2 = control.clone();
        let thread = Worker::spawn(name, move |stop| serve(port, c2, stop))?;
        Ok(Self {
            control,
            link: link.to_owned(),
            _thread: thread,
        })
    }

    /// The control handle.
    pub fn control(&self) -> C {
        self.control.clone()
    }

    /// Where the port appears.
    pub fn link(&self) -> &Path {
        &self.link
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unplug_removes_the_link_and_replug_brings_a_new_port() {
        let dir = tempfile::tempdir().expect("tmp");
        let link = dir.path().join("dev");
        let mut port = SimPort::open(&link, Duration::from_millis(10)).expect("open");
        let first = std::fs::read_link(&link).expect("link");
        assert!(port.follow(true).is_some());
        assert!(port.follow(false).is_none());
        assert!(!link.exists());
        assert!(port.follow(true).is_some());
        assert!(std::fs::read_link(&link).is_ok());
        drop(port);
        assert!(!link.exists());
        let _ = first;
    }
}
