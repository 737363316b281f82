//! Logging through `tracing`: to journald when the kiosk runs under systemd (its stdout is the
//! journal, `JOURNAL_STREAM` is set), to stderr on a desk. `RUST_LOG` filters as usual; the
//! default is `info`. Log text is English for the technician and never holds personal data:
//! such values live in `privacy::Sensitive`, whose `Debug`/`Display` are masked.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Where log lines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogTarget {
    /// journald when running under systemd, else stderr.
    Auto,
    /// Always stderr.
    Stderr,
}

/// Install the global subscriber. Safe to call more than once (later calls do nothing).
pub fn init(target: LogTarget) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let under_systemd = std::env::var_os("JOURNAL_STREAM").is_some();
    if target == LogTarget::Auto && under_systemd {
        match tracing_journald::layer() {
            Ok(journald) => {
                let _ = tracing_subscriber::registry()
                    .with(filter)
                    .with(journald.with_syslog_identifier("zhengwu-kiosk".into()))
                    .try_init();
                return;
            }
            Err(e) => eprintln!("journald unavailable ({e}); logging to stderr"),
        }
    }
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(
                    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
                )
                .with_target(false),
        )
        .try_init();
}
