//! `kiosk`: the terminal application and every technician command.
//!
//! - `kiosk run --config PATH`: production, full screen on DRM/KMS (linuxkms, software renderer).
//! - `kiosk demo`: a desktop window with simulated devices and a throw-away data folder.
//! - `kiosk config --print-default | --check PATH`: the documented default configuration.
//! - `kiosk screenshots --out DIR`: every screen to PNG, headless.
//! - `kiosk diag printer`, `kiosk sim printer`, `kiosk escpos render`: the receipt printer's
//!   status and test page, its emulator, and rendering an ESC/POS file to PNG.
//! - `kiosk diag scanner`, `kiosk sim scanner`: scans with their classification, and a
//!   simulated serial scanner. `kiosk diag camera`: one still from the document camera.
//!
//! Later issues add `enroll` and `outbox` subcommands.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use slint::ComponentHandle;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use zhengwu_kiosk::app::config::{self, Config};
use zhengwu_kiosk::app::devices;
use zhengwu_kiosk::app::logging::{self, LogTarget};
use zhengwu_kiosk::app::screenshots;
use zhengwu_kiosk::app::ui_bridge::{Controller, Event};
use zhengwu_kiosk::devices::camera;
use zhengwu_kiosk::devices::idcard;
use zhengwu_kiosk::devices::printer;
use zhengwu_kiosk::devices::scanner;
use zhengwu_kiosk::devices::{DeviceKind, DeviceStatus};
use zhengwu_kiosk::storage::Storage;
use zhengwu_kiosk::ui::AppWindow;

#[derive(Parser)]
#[command(
    name = "kiosk",
    version,
    about = "政务自助终端 — government self-service kiosk"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the kiosk full screen (production).
    Run {
        /// Configuration file.
        #[arg(long, default_value = config::DEFAULT_CONFIG_PATH)]
        config: PathBuf,
    },
    /// Run the kiosk in a desktop window with simulated devices and a demo dock.
    Demo {
        /// Window size, WIDTHxHEIGHT in logical pixels (1080x1920 for portrait).
        #[arg(long, default_value = "1920x1080", value_parser = parse_size)]
        size: (u32, u32),
        /// Do not open the demo dock.
        #[arg(long)]
        no_dock: bool,
        /// Quit after this many seconds (measurements, smoke tests).
        #[arg(long)]
        exit_after: Option<f64>,
    },
    /// Print or check the configuration.
    Config {
        /// Print the default configuration, every key documented.
        #[arg(long, conflicts_with = "check")]
        print_default: bool,
        /// Check a configuration file and say what is wrong with it.
        #[arg(long)]
        check: Option<PathBuf>,
    },
    /// Render every screen (landscape and portrait, normal and elder mode) to PNG, headless.
    Screenshots {
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Test one device: read, print, scan.
    Diag {
        #[command(subcommand)]
        which: DiagCommand,
    },
    /// Run a simulated device on a pseudo-terminal or socket.
    Sim {
        #[command(subcommand)]
        which: SimCommand,
    },
    /// ESC/POS tools.
    Escpos {
        #[command(subcommand)]
        which: EscposCommand,
    },
}

#[derive(Subcommand)]
enum EscposCommand {
    /// Render an ESC/POS byte file to a PNG, as the emulator would print it.
    Render {
        /// The ESC/POS bytes.
        input: PathBuf,
        /// The PNG to write.
        output: PathBuf,
        /// Printer profile (paper width, Chinese font).
        #[arg(long, default_value = "generic-80-gb18030")]
        profile: String,
        /// Folder with extra profiles (`NAME.toml`); built-in profiles otherwise.
        #[arg(long)]
        profiles_dir: Option<PathBuf>,
        /// Skip bytes that are not ESC/POS instead of stopping at the first one.
        #[arg(long)]
        lenient: bool,
    },
}

#[derive(Subcommand)]
enum DiagCommand {
    /// Ask the receipt printer's status, or print the test page.
    Printer {
        /// The printer: `tcp://HOST:PORT`, `/dev/usb/lp0`, `/dev/ttyUSB0[@BAUD]`.
        #[arg(long, default_value = "/dev/kiosk-printer")]
        device: String,
        /// Printer profile.
        #[arg(long, default_value = "generic-80-gb18030")]
        profile: String,
        /// Folder with extra profiles (`NAME.toml`).
        #[arg(long)]
        profiles_dir: Option<PathBuf>,
        /// Ask DLE EOT 1/2/4 and print the status.
        #[arg(long, required_unless_present_any = ["test_page", "sample_receipt"])]
        status: bool,
        /// Print the test page (both Chinese paths, rare characters, QR, barcode).
        #[arg(long)]
        test_page: bool,
        /// Print a sample 回执 for a fictitious applicant.
        #[arg(long)]
        sample_receipt: bool,
    },
    /// Read one ID card and print it (masked unless --unmasked).
    Idcard {
        /// Serial port of the reader.
        #[arg(long, default_value = "/dev/kiosk-idcard")]
        port: PathBuf,
        /// Baud rate.
        #[arg(long, default_value_t = 115_200)]
        baud: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Show names, numbers and addresses in full (technician only; nothing is logged).
        #[arg(long)]
        unmasked: bool,
        /// Seconds to wait for a card.
        #[arg(long, default_value_t = 10.0)]
        wait: f64,
    },
    /// Listen on a serial QR/barcode scanner and print each scan with its classification
    /// (kind: receipt | login | licence | unknown, plus the parsed fields, masked).
    Scanner {
        /// The scanner's serial port (or evdev node / recorded stream for hid-* profiles).
        #[arg(long, default_value = "/dev/kiosk-scanner")]
        port: PathBuf,
        /// Profile: serial-crlf, serial-cr, serial-lf, serial-idle, or hid-us / hid-de for a
        /// keyboard wedge (its evdev node, or a stream recorded with
        /// `cat /dev/input/eventN > FILE`).
        #[arg(long, default_value = "serial-crlf")]
        profile: String,
        /// Baud rate (RS-232 scanners; ignored by USB CDC-ACM).
        #[arg(long, default_value_t = 9600)]
        baud: u32,
        /// Configuration whose platform host and receipt key verify receipt codes
        /// (default: the built-in defaults and the demo key).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Print JSON, one object per line.
        #[arg(long)]
        json: bool,
        /// Stop after this many scans.
        #[arg(long, default_value_t = 1)]
        count: usize,
        /// Stop after this many seconds.
        #[arg(long, default_value_t = 30.0)]
        wait: f64,
    },
    /// Take one still from the document camera and write it as a JPEG within the size bound.
    Camera {
        /// The V4L2 device (or a ZKFR1 frame recording ending in .zkfr).
        #[arg(long, default_value = "/dev/video0")]
        device: PathBuf,
        /// Where to write the JPEG.
        #[arg(long)]
        out: PathBuf,
        /// Resolution to ask for (the camera may grant the nearest it has).
        #[arg(long, default_value = "2592x1944", value_parser = parse_size)]
        size: (u32, u32),
        /// Largest JPEG, in KiB.
        #[arg(long, default_value_t = 500)]
        max_kib: usize,
    },
}

#[derive(Subcommand)]
enum SimCommand {
    /// An emulated ESC/POS receipt printer: renders each job to OUT/job-NNNN.png; type
    /// near-end, paper-out, cover-open, offline, ok … on standard input to change its status.
    Printer {
        /// Listen on a TCP address, like a network printer (e.g. 127.0.0.1:9100).
        #[arg(long, conflicts_with = "link", required_unless_present = "link")]
        listen: Option<String>,
        /// Link a pseudo-terminal at PATH, like a serial printer.
        #[arg(long)]
        link: Option<PathBuf>,
        /// Folder for the rendered jobs.
        #[arg(long)]
        out: PathBuf,
        /// Printer profile.
        #[arg(long, default_value = "generic-80-gb18030")]
        profile: String,
        /// Folder with extra profiles (`NAME.toml`).
        #[arg(long)]
        profiles_dir: Option<PathBuf>,
    },
    /// A simulated SAM ID-card reader on a pseudo-terminal linked at PATH.
    Idcard {
        /// Where the reader's port appears (a symlink to the pseudo-terminal).
        #[arg(long)]
        link: PathBuf,
        /// Card fixture file (TOML, `[[card]]` tables); the built-in fictitious cards if absent.
        #[arg(long)]
        cards: Option<PathBuf>,
        /// Which card (1-based index in the fixtures) lies on the reader at start; none if 0.
        #[arg(long, default_value_t = 1)]
        place: usize,
        /// Send answers at this baud rate's real wire speed.
        #[arg(long)]
        baud_timing: Option<u32>,
    },
    /// A simulated serial QR/barcode scanner on a pseudo-terminal linked at PATH; type
    /// receipt, login, licence, garbage, text …, unplug, replug … on standard input.
    Scanner {
        /// Where the scanner's port appears (a symlink to the pseudo-terminal).
        #[arg(long)]
        link: PathBuf,
        /// Serial profile: serial-crlf, serial-cr, serial-lf or serial-idle (the suffix sent).
        #[arg(long, default_value = "serial-crlf")]
        profile: String,
        /// Send at this baud rate's wire speed instead of instantly.
        #[arg(long)]
        baud_timing: Option<u32>,
        /// Configuration whose platform host and receipt key sign the sample receipt code.
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("expected WIDTHxHEIGHT, got {s:?}"))?;
    let num = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (200..=8000).contains(n))
            .ok_or_else(|| format!("size {v:?} must be a number of pixels from 200 to 8000"))
    };
    Ok((num(w)?, num(h)?))
}

fn main() -> Result<()> {
    let started = Instant::now();
    let cli = Cli::parse();
    match cli.command {
        Command::Run { config } => run(&config, started),
        Command::Demo {
            size,
            no_dock,
            exit_after,
        } => demo(size, !no_dock, exit_after, started),
        Command::Config {
            print_default,
            check,
        } => {
            if let Some(path) = check {
                Config::load(&path)?;
                println!("{}: valid", path.display());
            } else {
                let _ = print_default;
                print!("{}", config::DEFAULT_TOML);
            }
            Ok(())
        }
        Command::Diag { which } => diag(which),
        Command::Sim { which } => sim(which),
        Command::Escpos {
            which:
                EscposCommand::Render {
                    input,
                    output,
                    profile,
                    profiles_dir,
                    lenient,
                },
        } => {
            let profile = printer::cli::profile(&profile, profiles_dir.as_deref())?;
            for line in printer::cli::render(&input, &output, profile, lenient)? {
                println!("{line}");
            }
            Ok(())
        }
        Command::Screenshots { out } => {
            logging::init(LogTarget::Stderr);
            let files = screenshots::render_all(&out)?;
            println!("wrote {} screenshots to {}", files.len(), out.display());
            Ok(())
        }
    }
}

fn diag(which: DiagCommand) -> Result<()> {
    match which {
        DiagCommand::Printer {
            device,
            profile,
            profiles_dir,
            status,
            test_page,
            sample_receipt,
        } => {
            logging::init(LogTarget::Stderr);
            let profile = printer::cli::profile(&profile, profiles_dir.as_deref())?;
            for line in printer::cli::diag(&device, profile, status, test_page, sample_receipt)? {
                println!("{line}");
            }
            Ok(())
        }
        DiagCommand::Idcard {
            port,
            baud,
            json,
            unmasked,
            wait,
        } => {
            logging::init(LogTarget::Stderr);
            let read = idcard::diag::read_one(&port, baud, Duration::from_secs_f64(wait.max(0.0)))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&read.to_json(unmasked))?);
            } else {
                print!("{}", read.to_text(unmasked));
            }
            Ok(())
        }
        DiagCommand::Camera {
            device,
            out,
            size,
            max_kib,
        } => {
            logging::init(LogTarget::Stderr);
            let line =
                camera::diag::still_to_file(&device, size.0, size.1, max_kib.max(1) * 1024, &out)?;
            println!("{line}");
            Ok(())
        }
        DiagCommand::Scanner {
            port,
            profile,
            baud,
            config,
            json,
            count,
            wait,
        } => {
            logging::init(LogTarget::Stderr);
            let config = load_config_or_default(config.as_deref())?;
            let classifier = scanner::setup::classifier(&config)?;
            let print = |scan: &scanner::diag::DiagScan| {
                if json {
                    println!("{}", scan.to_json());
                } else {
                    println!("{}", scan.to_text());
                }
            };
            let wait_for = Duration::from_secs_f64(wait.max(0.0));
            let scans = match scanner::hid::Layout::from_profile(&profile) {
                // A keyboard wedge: a recorded stream (a plain file) or the live evdev node.
                Some(layout) if port.is_file() => {
                    let scans = scanner::diag::replay_hid(&port, layout, &classifier)?;
                    scans.iter().for_each(print);
                    scans
                }
                Some(layout) => scanner::diag::listen_hid(
                    scanner::hid::HidConfig::new(port, layout, classifier),
                    count.max(1),
                    wait_for,
                    print,
                )?,
                None => {
                    let mut settings = scanner::SerialConfig::new(
                        port,
                        scanner::setup::framing(&profile)?,
                        classifier,
                    );
                    settings.baud = baud;
                    scanner::diag::listen(settings, count.max(1), wait_for, print)?
                }
            };
            if scans.is_empty() {
                anyhow::bail!("no code was scanned within {wait} s: hold a code under the scanner");
            }
            Ok(())
        }
    }
}

fn sim(which: SimCommand) -> Result<()> {
    match which {
        SimCommand::Printer {
            listen,
            link,
            out,
            profile,
            profiles_dir,
        } => {
            logging::init(LogTarget::Stderr);
            let profile = printer::cli::profile(&profile, profiles_dir.as_deref())?;
            Ok(printer::cli::sim(
                listen.as_deref(),
                link.as_deref(),
                &out,
                profile,
            )?)
        }
        SimCommand::Idcard {
            link,
            cards,
            place,
            baud_timing,
        } => {
            logging::init(LogTarget::Stderr);
            let cards = match cards {
                Some(path) => idcard::sim::parse_cards(
                    &std::fs::read_to_string(&path)
                        .with_context(|| format!("reading {}", path.display()))?,
                )?,
                None => idcard::sim::builtin_cards(),
            };
            let sim = idcard::sim::Simulator::start(&link)?;
            let control = sim.control();
            control.baud_timing(baud_timing);
            if place > 0 {
                let card = cards
                    .get(place - 1)
                    .with_context(|| format!("--place {place}: there are {} cards", cards.len()))?;
                control.place(card.clone());
            }
            eprintln!(
                "simulated ID-card reader at {} ({} cards; card {} on the reader). Ctrl-C to stop.",
                link.display(),
                cards.len(),
                place
            );
            loop {
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
        SimCommand::Scanner {
            link,
            profile,
            baud_timing,
            config,
        } => {
            logging::init(LogTarget::Stderr);
            let config = load_config_or_default(config.as_deref())?;
            let (codec, _) = scanner::setup::receipt_codec(&config)?;
            let suffix = scanner::sim::Suffix::from_profile(&profile)
                .with_context(|| format!("unknown scanner profile {profile:?}"))?;
            let sim = scanner::sim::Simulator::start(&link, suffix)?;
            let control = sim.control();
            control.baud_timing(baud_timing);
            eprintln!(
                "simulated scanner at {} ({profile}). {}\nCtrl-D or Ctrl-C to stop.",
                link.display(),
                scanner::cli::SCRIPT_HELP
            );
            for line in std::io::stdin().lines() {
                let line = line.context("reading standard input")?;
                match scanner::cli::script_line(&control, &codec, &config.kiosk.id, &line) {
                    scanner::cli::ScriptOutcome::Nothing => {}
                    scanner::cli::ScriptOutcome::Done(what) => eprintln!("{what}"),
                    scanner::cli::ScriptOutcome::Error(why) => eprintln!("error: {why}"),
                }
            }
            // Let queued scans go out before the port disappears.
            let end = Instant::now() + Duration::from_secs(5);
            while !control.idle() && Instant::now() < end {
                std::thread::sleep(Duration::from_millis(20));
            }
            std::thread::sleep(Duration::from_millis(200));
            Ok(())
        }
    }
}

/// Everything both `run` and `demo` do once the backend is chosen: open the database, create
/// the window and its controller, and send device status changes to the health log.
/// The configuration at `path`, or the built-in defaults.
fn load_config_or_default(path: Option<&std::path::Path>) -> Result<Config> {
    match path {
        Some(p) => Ok(Config::load(p)?),
        None => Ok(Config::default()),
    }
}

fn start_kiosk(config: &Config, started: Instant) -> Result<(AppWindow, Controller)> {
    let storage = Storage::open(&config.kiosk.data_dir).context("opening the kiosk database")?;
    tracing::info!(
        db = %storage.path().display(),
        schema = storage.schema_version().unwrap_or(0),
        "database open"
    );
    let ui = AppWindow::new().context("creating the kiosk window")?;
    let ctl = Controller::attach(&ui, config, started);
    ctl.install();
    // The health log is written off the UI thread: fsync must never stall a touch.
    let (tx, rx) = std::sync::mpsc::channel::<(DeviceKind, DeviceStatus)>();
    std::thread::Builder::new()
        .name("health-log".into())
        .spawn(move || {
            for (kind, status) in rx {
                if let Err(e) = storage.log_device_status(
                    kind.key(),
                    &status.state.describe(),
                    &format!("{:?}", status.media),
                ) {
                    tracing::error!(error = %e, "cannot write the device health log");
                }
            }
        })
        .context("starting the health-log thread")?;
    ctl.listen(Box::new(move |event| {
        if let Event::DeviceStatus(kind, status) = event {
            let _ = tx.send((*kind, *status));
        }
    }));
    Ok((ui, ctl))
}

fn run(config_path: &std::path::Path, started: Instant) -> Result<()> {
    logging::init(LogTarget::Auto);
    let config = Config::load(config_path)?;
    tracing::info!(kiosk = %config.kiosk.id, site = %config.kiosk.site, "starting");
    if std::env::var_os("SLINT_BACKEND").is_none() {
        slint::BackendSelector::new()
            .backend_name("linuxkms".into())
            .renderer_name("software".into())
            .select()
            .context("selecting the linuxkms backend (is a DRM device present and free?)")?;
    }
    let (ui, ctl) = start_kiosk(&config, started)?;
    let _devices = devices::start(&config, &ctl, &config.kiosk.data_dir);
    ui.window().set_fullscreen(true);
    ui.run().context("running the UI event loop")?;
    Ok(())
}

fn demo(size: (u32, u32), dock: bool, exit_after: Option<f64>, started: Instant) -> Result<()> {
    logging::init(LogTarget::Stderr);
    let data = tempfile::Builder::new()
        .prefix("zhengwu-kiosk-demo-")
        .tempdir()
        .context("creating the demo's data folder")?;
    let config = Config::demo(data.path().to_owned());
    tracing::info!(data = %data.path().display(), "demo mode: simulated devices, throw-away data folder");
    if std::env::var_os("SLINT_BACKEND").is_none() {
        slint::BackendSelector::new()
            .backend_name("winit".into())
            .renderer_name("software".into())
            .select()
            .context("selecting the winit backend: is DISPLAY set? (on a headless machine run it under Xvfb, see README)")?;
    }
    let (ui, ctl) = start_kiosk(&config, started)?;
    ui.window()
        .set_size(slint::LogicalSize::new(size.0 as f32, size.1 as f32));
    ui.show()?;
    let devices = devices::start(&config, &ctl, data.path());
    let dock_window = if dock {
        let d = zhengwu_kiosk::demo::attach_dock(&ctl, &devices)?;
        // Beside the kiosk window (a window manager may place it elsewhere).
        d.window()
            .set_position(slint::LogicalPosition::new(size.0 as f32 + 8.0, 0.0));
        d.show()?;
        Some(d)
    } else {
        None
    };
    let _quit_timer = exit_after.map(|secs| {
        let t = slint::Timer::default();
        t.start(
            slint::TimerMode::SingleShot,
            Duration::from_secs_f64(secs.max(0.0)),
            || {
                let _ = slint::quit_event_loop();
            },
        );
        t
    });
    slint::run_event_loop().context("running the UI event loop")?;
    drop(dock_window);
    drop(devices);
    match ctl.first_frame() {
        Some(t) => tracing::info!("first frame after {:.1} ms", t.as_secs_f64() * 1000.0),
        None => tracing::warn!("no frame was rendered"),
    }
    Ok(())
}
