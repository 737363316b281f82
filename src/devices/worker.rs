//! The thread every device driver and simulator runs on: a named thread with a stop flag,
//! stopped and joined when its handle is dropped, and a sleep that wakes up for a stop request.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Tells a worker to stop; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct StopFlag(Arc<AtomicBool>);

impl StopFlag {
    /// Whether a stop was requested.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Request a stop.
    pub fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Sleep up to `d` in small slices; returns false if a stop was requested meanwhile.
    pub fn sleep(&self, d: Duration) -> bool {
        let end = Instant::now() + d;
        while !self.is_set() {
            let now = Instant::now();
            if now >= end {
                return true;
            }
            std::thread::sleep((end - now).min(Duration::from_millis(50)));
        }
        false
    }
}

/// A running worker thread. Dropping the handle stops the thread and waits for it.
#[derive(Debug)]
pub struct Worker {
    stop: StopFlag,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Run `body` on a thread called `name`; it should return soon after the flag is set.
    pub fn spawn(
        name: &str,
        body: impl FnOnce(StopFlag) + Send + 'static,
    ) -> std::io::Result<Self> {
        let stop = StopFlag::default();
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || body(flag))?;
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }

    /// Stop the thread and wait for it.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.set();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_the_handle_stops_the_thread_promptly() {
        let (tx, rx) = std::sync::mpsc::channel();
        let w = Worker::spawn("test-worker", move |stop| {
            while stop.sleep(Duration::from_secs(10)) {}
            let _ = tx.send(());
        })
        .expect("spawn");
        let t0 = Instant::now();
        drop(w);
        assert!(rx.try_recv().is_ok(), "body finished before drop returned");
        assert!(t0.elapsed() < Duration::from_secs(1));
    }
}
