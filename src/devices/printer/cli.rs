//! The printer's technician commands, as library functions so that `main.rs` only dispatches:
//! `kiosk sim printer`, `kiosk escpos render`, `kiosk diag printer`.

use super::diag;
use super::driver::{PrintError, PrinterDriver, Timeouts};
use super::emulator::server::{ServeError, SimPrinter};
use super::emulator::{self, RenderError};
use super::profile::{Profile, ProfileError};
use super::receipt::Receipt;
use super::status::{Paper, PrinterCondition};
use std::io::BufRead;
use std::path::Path;
use thiserror::Error;

/// A technician command failed.
#[derive(Debug, Error)]
pub enum CliError {
    /// Profile.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// Emulator start.
    #[error(transparent)]
    Serve(#[from] ServeError),
    /// Rendering.
    #[error("{path}: {cause}")]
    Render {
        /// The input.
        path: String,
        /// Cause.
        cause: RenderError,
    },
    /// Printing or status.
    #[error(transparent)]
    Print(#[from] PrintError),
    /// Files.
    #[error("{path}: {cause}")]
    Io {
        /// The file.
        path: String,
        /// Cause.
        cause: std::io::Error,
    },
    /// Arguments.
    #[error("{0}")]
    Usage(String),
}

/// Where profiles are looked up besides the built-in ones.
pub fn profile(name: &str, dir: Option<&Path>) -> Result<Profile, CliError> {
    Ok(Profile::load(name, dir)?)
}

/// Apply one control line typed on the emulator's standard input; returns what it did.
pub fn control(line: &str, c: &mut PrinterCondition) -> Result<String, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["ok"] | ["reset"] => *c = PrinterCondition::default(),
        ["near-end"] => c.paper = Paper::NearEnd,
        ["paper-out"] => c.paper = Paper::Out,
        ["paper-ok"] => c.paper = Paper::Ok,
        ["cover-open"] => c.cover_open = true,
        ["cover-closed"] => c.cover_open = false,
        ["offline"] => c.offline = true,
        ["online"] => c.offline = false,
        ["cutter-error"] => c.cutter_error = true,
        ["take"] => c.receipt_present = false,
        [] => return Err(String::new()),
        _ => {
            return Err(format!(
                "unknown control {line:?}; use: ok | near-end | paper-out | paper-ok | cover-open | cover-closed | offline | online | cutter-error | take | run-out DOTS"
            ));
        }
    }
    Ok(c.describe())
}

/// `kiosk sim printer`: run until standard input closes; each input line changes the condition.
pub fn sim(
    listen: Option<&str>,
    link: Option<&Path>,
    out: &Path,
    profile: Profile,
) -> Result<(), CliError> {
    let sim = match (listen, link) {
        (Some(addr), None) => SimPrinter::listen(addr, profile, out)?,
        (None, Some(path)) => SimPrinter::link(path, profile, out)?,
        _ => {
            return Err(CliError::Usage(
                "give exactly one of --listen ADDR or --link PATH".into(),
            ));
        }
    };
    println!(
        "printer emulator at {}; jobs go to {}",
        sim.endpoint(),
        out.display()
    );
    println!(
        "type: ok | near-end | paper-out | paper-ok | cover-open | cover-closed | offline | online | cutter-error | take (the receipt from the presenter) | run-out DOTS"
    );
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if let Some(dots) = line.trim().strip_prefix("run-out ") {
            match dots.trim().parse() {
                Ok(d) => {
                    sim.run_out_after(Some(d));
                    println!("paper runs out after {d} more dots");
                }
                Err(_) => println!("run-out needs a number of dots"),
            }
            continue;
        }
        let mut c = sim.condition();
        match control(&line, &mut c) {
            Ok(desc) => {
                sim.set_condition(c);
                println!("condition: {desc}");
            }
            Err(e) if e.is_empty() => {}
            Err(e) => println!("{e}"),
        }
    }
    sim.stop();
    Ok(())
}

/// `kiosk escpos render IN OUT`: render a byte file to one PNG (jobs stacked, cut lines
/// dashed); returns a summary and the warnings.
pub fn render(
    input: &Path,
    output: &Path,
    profile: Profile,
    lenient: bool,
) -> Result<Vec<String>, CliError> {
    let bytes = std::fs::read(input).map_err(|cause| CliError::Io {
        path: input.display().to_string(),
        cause,
    })?;
    let jobs =
        emulator::render_stream(&bytes, profile, lenient).map_err(|cause| CliError::Render {
            path: input.display().to_string(),
            cause,
        })?;
    let picture = emulator::stack(&jobs);
    let file = std::fs::File::create(output).map_err(|cause| CliError::Io {
        path: output.display().to_string(),
        cause,
    })?;
    picture
        .write_png(std::io::BufWriter::new(file))
        .map_err(|e| CliError::Io {
            path: output.display().to_string(),
            cause: std::io::Error::other(e.to_string()),
        })?;
    let mut lines = vec![format!(
        "{}: {} job(s), {}×{} dots → {}",
        input.display(),
        jobs.len(),
        picture.width(),
        picture.height(),
        output.display()
    )];
    for j in &jobs {
        lines.extend(j.warnings.iter().map(|w| format!("warning: {w}")));
    }
    Ok(lines)
}

/// `kiosk diag printer --status | --test-page | --sample-receipt`.
pub fn diag(
    device: &str,
    profile: Profile,
    status: bool,
    test_page: bool,
    sample_receipt: bool,
) -> Result<Vec<String>, CliError> {
    let mut out = Vec::new();
    if sample_receipt {
        let mut d = PrinterDriver::new(device, profile.clone(), Timeouts::default());
        let p = d.print_receipt(&Receipt::sample())?;
        out.push(format!(
            "sample receipt printed: {} text lines, {} raster lines (for {:?}), confirmed by GS r: {}",
            p.stats.text_lines,
            p.stats.raster_lines,
            p.stats.raster_chars.iter().collect::<String>(),
            p.confirmed
        ));
    }
    if status || !(test_page || sample_receipt) {
        let (c, s) = diag::status(device, profile.clone())?;
        out.push(format!(
            "{device}: {} ({}; media {:?})",
            s.state.describe(),
            c.describe(),
            s.media
        ));
    }
    if test_page {
        let p = diag::print_test_page(device, profile)?;
        out.push(format!(
            "test page printed: {} text lines, {} raster lines, confirmed by GS r: {}",
            p.stats.text_lines, p.stats.raster_lines, p.confirmed
        ));
    }
    Ok(out)
}
