//! Starting the kiosk's devices from the configuration: a driver per configured device, and for
//! `port = "sim"` the device's simulator on a pseudo-terminal in the data folder (the driver
//! then speaks the real protocol to it). Devices whose drivers have not landed yet report
//! `NoDevice` when real and `Online` when simulated, so availability is honest either way.

use super::config::Config;
use super::ui_bridge::Controller;
use crate::devices::idcard::photo;
use crate::devices::idcard::sim::{SimControl, Simulator};
use crate::devices::idcard::{Driver, DriverConfig, ReaderEvent};
use crate::devices::printer::service::RunningPrinter;
use crate::devices::scanner;
use crate::devices::{DeviceKind, DeviceState, DeviceStatus, MediaState};
use std::path::Path;
use std::time::Duration;

/// The port value that asks for the built-in simulator.
pub const SIM_PORT: &str = "sim";

/// How long simulated devices without a driver take to "power up".
pub const SIM_POWER_UP: Duration = Duration::from_millis(300);

/// What keeps the devices running; dropping it stops them.
#[derive(Default)]
pub struct Devices {
    /// The ID-card reader's driver.
    pub idcard: Option<Driver>,
    /// The ID-card reader's simulator, when simulated.
    pub idcard_sim: Option<Simulator>,
    /// The scanner's driver (serial or keyboard wedge).
    pub scanner: Option<scanner::ScannerDriver>,
    /// The scanner's simulator, when simulated.
    pub scanner_sim: Option<scanner::sim::Simulator>,
    /// The receipt codec the scanner verifies with (the demo dock signs its sample with it).
    pub scanner_codec: Option<scanner::ReceiptCodec>,
    /// The document camera's presence monitor.
    pub camera: Option<crate::devices::camera::monitor::Monitor>,
    /// The receipt printer's task (and its emulator when simulated). Shared with the demo dock
    /// and, later, the journeys, on the UI thread.
    pub printer: Option<std::rc::Rc<std::cell::RefCell<RunningPrinter>>>,
}

impl Devices {
    /// The simulator's controls, when the reader is simulated.
    pub fn idcard_sim(&self) -> Option<SimControl> {
        self.idcard_sim.as_ref().map(Simulator::control)
    }

    /// The scanner simulator's controls, when the scanner is simulated.
    pub fn scanner_sim(&self) -> Option<scanner::sim::SimControl> {
        self.scanner_sim
            .as_ref()
            .map(scanner::sim::Simulator::control)
    }
}

/// Start every enabled device for `config`; `data_dir` holds simulator links.
pub fn start(config: &Config, ctl: &Controller, data_dir: &Path) -> Devices {
    let mut devices = Devices::default();
    let mut later = Vec::new();
    for kind in config.devices.enabled() {
        let dev = config.devices.get(kind);
        let simulated = dev.port == SIM_PORT;
        match kind {
            DeviceKind::IdCard => match start_idcard(
                &dev.port,
                simulated,
                ctl,
                data_dir,
                &config.plugins.wlt_decoder,
            ) {
                Ok((driver, sim)) => {
                    devices.idcard = Some(driver);
                    devices.idcard_sim = sim;
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot start the id-card reader");
                    ctl.device(kind, DeviceStatus::new(DeviceState::HardwareError));
                }
            },
            DeviceKind::Scanner => {
                match start_scanner(config, &dev.port, &dev.profile, simulated, ctl, data_dir) {
                    Ok((driver, sim, codec)) => {
                        devices.scanner = Some(driver);
                        devices.scanner_sim = sim;
                        devices.scanner_codec = Some(codec);
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "cannot start the scanner");
                        ctl.device(kind, DeviceStatus::new(DeviceState::HardwareError));
                    }
                }
            }
            DeviceKind::Printer => {
                let sender = ctl.device_sender();
                match RunningPrinter::start(&dev.port, &dev.profile, None, data_dir, move |e| {
                    sender.printer(e);
                }) {
                    Ok(p) => {
                        if let Some(sim) = p.simulated() {
                            tracing::info!(endpoint = %sim.sim.endpoint(), out = %data_dir.join("receipts").display(), "emulated receipt printer");
                        }
                        devices.printer = Some(std::rc::Rc::new(std::cell::RefCell::new(p)));
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "cannot start the receipt printer");
                        ctl.device(kind, DeviceStatus::new(DeviceState::HardwareError));
                    }
                }
            }
            DeviceKind::Camera if !simulated => {
                let sender = ctl.device_sender();
                match crate::devices::camera::monitor::Monitor::spawn(
                    dev.port.clone().into(),
                    Duration::from_secs(2),
                    move |status| {
                        sender.status(DeviceKind::Camera, status);
                    },
                ) {
                    Ok(m) => devices.camera = Some(m),
                    Err(e) => {
                        tracing::error!(error = %e, "cannot start the camera monitor");
                        ctl.device(kind, DeviceStatus::new(DeviceState::HardwareError));
                    }
                }
            }
            _ if simulated => later.push(kind),
            _ => {
                tracing::warn!(device = %kind, port = %dev.port, "no driver for this device in this build");
                ctl.device(kind, DeviceStatus::new(DeviceState::NoDevice));
            }
        }
    }
    if !later.is_empty() {
        let ctl = ctl.clone();
        slint::Timer::single_shot(SIM_POWER_UP, move || {
            for kind in later {
                ctl.device(kind, DeviceStatus::online(MediaState::NotApplicable));
            }
        });
    }
    devices
}

fn start_idcard(
    port: &str,
    simulated: bool,
    ctl: &Controller,
    data_dir: &Path,
    wlt_decoder: &str,
) -> std::io::Result<(Driver, Option<Simulator>)> {
    let (path, sim) = if simulated {
        let link = data_dir.join("sim-idcard");
        let sim = Simulator::start(&link).map_err(std::io::Error::other)?;
        tracing::info!(link = %link.display(), "simulated id-card reader");
        (link, Some(sim))
    } else {
        (port.into(), None)
    };
    let sender = ctl.device_sender();
    let decoder = photo::load(wlt_decoder);
    let driver = Driver::spawn(DriverConfig::new(path), move |mut event| {
        // Decode the photo here, on the driver's thread, not on the UI thread.
        if let (ReaderEvent::CardRead(read), Some(d)) = (&mut event, &decoder) {
            match d.decode(&read.photo) {
                Ok(p) => read.portrait = Some(p),
                Err(e) => tracing::warn!(error = %e, "card photo not decoded"),
            }
        }
        sender.reader(event);
    })?;
    Ok((driver, sim))
}

/// The scanner: a keyboard wedge for `hid-*` profiles, else serial (or the serial simulator,
/// linked at `{data_dir}/sim-scanner`, for port `sim`).
fn start_scanner(
    config: &Config,
    port: &str,
    profile: &str,
    simulated: bool,
    ctl: &Controller,
    data_dir: &Path,
) -> Result<
    (
        scanner::ScannerDriver,
        Option<scanner::sim::Simulator>,
        scanner::ReceiptCodec,
    ),
    Box<dyn std::error::Error>,
> {
    let classifier = scanner::setup::classifier(config)?;
    let codec = classifier.receipts().clone();
    if let (Some(layout), false) = (scanner::hid::Layout::from_profile(profile), simulated) {
        let sender = ctl.device_sender();
        let driver = scanner::hid::HidDriver::spawn(
            scanner::hid::HidConfig::new(port, layout, classifier),
            move |event| {
                sender.scanner(event);
            },
        )?;
        return Ok((scanner::ScannerDriver::Hid(driver), None, codec));
    }
    let framing = scanner::setup::framing(profile).or_else(|e| {
        // The simulator is serial: a simulated HID scanner is a serial one with CR LF.
        if simulated {
            Ok(scanner::Framing::Terminator)
        } else {
            Err(e)
        }
    })?;
    let (path, sim) = if simulated {
        let link = data_dir.join("sim-scanner");
        let suffix = scanner::sim::Suffix::from_profile(profile).unwrap_or_default();
        let sim = scanner::sim::Simulator::start(&link, suffix)?;
        tracing::info!(link = %link.display(), "simulated scanner");
        (link, Some(sim))
    } else {
        (port.into(), None)
    };
    let sender = ctl.device_sender();
    let driver = scanner::SerialDriver::spawn(
        scanner::SerialConfig::new(path, framing, classifier),
        move |event| {
            sender.scanner(event);
        },
    )?;
    Ok((scanner::ScannerDriver::Serial(driver), sim, codec))
}
