//! `kiosk demo`'s dock: a small window beside the kiosk from which a person plays the hardware.
//! The ID-card reader is simulated on a real pseudo-terminal (place each kind of card, take it
//! away, lift it mid-read, garble or slow the answers, unplug and replug); devices whose drivers
//! have not landed yet get plain status buttons (online, unplug, fault, paper out). The receipt
//! printer is an emulator on a loopback port driven by the real driver: its buttons change the
//! emulator's condition, and "print a sample receipt" renders a PNG. A technician's hold is there
//! too. Device issues add their controls here.

use crate::app::devices::Devices;
use crate::app::ui_bridge::{Controller, Event};
use crate::devices::idcard::sim::{SimControl, builtin_cards};
use crate::devices::printer::Receipt;
use crate::devices::{DeviceKind, DeviceState, DeviceStatus, MediaState, UserErrorReason};
use crate::ui::{DemoDock, Dock, DockDevice};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::rc::Rc;
use std::time::Duration;

/// The status a dock button stands for.
pub fn dock_status(kind: DeviceKind, action: &str) -> Option<DeviceStatus> {
    let media = if kind == DeviceKind::Printer {
        MediaState::Ok
    } else {
        MediaState::NotApplicable
    };
    Some(match action {
        "online" => DeviceStatus::online(media),
        "offline" => DeviceStatus::new(DeviceState::Offline),
        "hardware-error" => DeviceStatus::new(DeviceState::HardwareError),
        "paper-out" => DeviceStatus::new(DeviceState::UserError(UserErrorReason::PaperOut)),
        "cover-open" => DeviceStatus::new(DeviceState::UserError(UserErrorReason::CoverOpen)),
        _ => return None,
    })
}

fn kind_by_key(key: &str) -> Option<DeviceKind> {
    DeviceKind::ALL.into_iter().find(|k| k.key() == key)
}

/// Refresh the dock from the controller's state.
fn refresh(dock: &DemoDock, ctl: &Controller, hold: bool) {
    let devices: Vec<DockDevice> = ctl.with_core(|core| {
        core.enabled_devices()
            .iter()
            .map(|k| DockDevice {
                key: k.key().into(),
                label: format!("{} {}", k.label_zh(), k.label_en()).into(),
                state: core
                    .device_status(*k)
                    .map_or("未上报 not reported".into(), |s| {
                        format!("{} {}", s.state.describe_zh(), s.state.describe())
                    })
                    .into(),
                required: core.is_required(*k),
                has_paper: *k == DeviceKind::Printer,
            })
            .collect()
    });
    let dock_api = dock.global::<Dock>();
    dock_api.set_devices(ModelRc::new(VecModel::from(devices)));
    dock_api.set_availability(format!("{:?}", ctl.with_core(|c| c.availability())).into());
    dock_api.set_hold(hold);
}

/// Apply a status button: to the simulator for the ID-card reader (so its driver sees the
/// fault on the wire), straight to the controller for devices without a driver yet.
fn apply_state(ctl: &Controller, sim: Option<&SimControl>, kind: DeviceKind, action: &str) {
    match (kind, sim) {
        (DeviceKind::IdCard, Some(sim)) => match action {
            "offline" => sim.unplug(),
            "hardware-error" => sim.sam_broken(true),
            _ => {
                sim.sam_broken(false);
                sim.replug();
            }
        },
        _ => {
            if let Some(status) = dock_status(kind, action) {
                ctl.device(kind, status);
            }
        }
    }
}

/// Wire the dock's printer panel to the kiosk's printer task when it drives the emulator: a
/// "print sample" button, and a note with the last job's outcome.
fn wire_printer(ctl: &Controller, devices: &Devices, dock: &DemoDock) -> Option<PrinterHandle> {
    let printer = devices.printer.clone()?;
    let out = printer.borrow().simulated().map(|s| s.sim.out_dir())?;
    let dock_api = dock.global::<Dock>();
    dock_api.set_has_printer_sim(true);
    dock_api.set_printer_note(format!("回执输出 receipts → {}", out.display()).into());
    let p = printer.clone();
    let codec = devices.scanner_codec.clone();
    dock_api.on_print_receipt(move || {
        let id = p.borrow_mut().print(signed_sample(codec.as_ref()));
        tracing::info!(job = id, "demo dock: sample receipt");
    });
    let weak = dock.as_weak();
    ctl.listen(Box::new(move |event| {
        if let (Event::Printed { job, error }, Some(d)) = (event, weak.upgrade()) {
            let note = match error {
                None => format!("回执 #{job} 已打印 printed → {}", out.display()),
                Some((zh, en)) => format!("回执 #{job} 未打印：{zh} ({en})"),
            };
            d.global::<Dock>().set_printer_note(note.into());
        }
    }));
    Some(printer)
}

/// The sample receipt with a tracking link signed by the kiosk's receipt codec, so that scanning
/// the printed QR at the kiosk opens its case (an unsigned link is rejected as unknown).
pub fn signed_sample(codec: Option<&crate::devices::scanner::ReceiptCodec>) -> Receipt {
    let mut r = Receipt::sample();
    if let Some(c) = codec {
        match c.make(r.number.as_str(), &r.kiosk_id) {
            Ok(url) => r.tracking_url = url,
            Err(e) => tracing::warn!(error = %e, "sample receipt left unsigned"),
        }
    }
    r
}

type PrinterHandle = Rc<std::cell::RefCell<crate::devices::printer::service::RunningPrinter>>;

/// Create the dock for a controller and its devices, and wire its buttons.
pub fn attach_dock(ctl: &Controller, devices: &Devices) -> Result<DemoDock, slint::PlatformError> {
    let dock = DemoDock::new()?;
    let hold = Rc::new(std::cell::Cell::new(false));
    let sim = devices.idcard_sim();
    let cards = builtin_cards();
    let dock_api = dock.global::<Dock>();
    let labels: Vec<SharedString> = cards
        .iter()
        .map(|c| {
            let who = if c.name.is_empty() {
                &c.name_en
            } else {
                &c.name
            };
            format!("{} · {}", c.card_type, crate::privacy::mask_name(who)).into()
        })
        .collect();
    dock_api.set_cards(ModelRc::new(VecModel::from(labels)));
    dock_api.set_has_reader_sim(sim.is_some());
    let printer = wire_printer(ctl, devices, &dock);
    {
        let (ctl, weak, hold, sim) = (ctl.clone(), dock.as_weak(), hold.clone(), sim.clone());
        let printer = printer.clone();
        let scanner_sim = devices.scanner_sim();
        dock_api.on_set_state(move |key, action| {
            let Some(kind) = kind_by_key(&key) else {
                return;
            };
            tracing::info!(device = %kind, action = %action, "demo dock");
            // The printer's buttons go to its emulator; its driver reports the status.
            let emulated = kind == DeviceKind::Printer
                && printer
                    .as_ref()
                    .is_some_and(|p| p.borrow().simulated().is_some_and(|s| s.apply(&action)));
            // The scanner's unplug/online go to its simulator; its driver notices on the wire.
            let scanner_wired = kind == DeviceKind::Scanner
                && matches!(action.as_str(), "offline" | "online")
                && scanner_sim.as_ref().is_some_and(|s| {
                    if action == "offline" {
                        s.unplug()
                    } else {
                        s.replug()
                    }
                    true
                });
            if !emulated && !scanner_wired {
                apply_state(&ctl, sim.as_ref(), kind, &action);
            }
            if let Some(dock) = weak.upgrade() {
                refresh(&dock, &ctl, hold.get());
            }
        });
    }
    if let Some(sim) = sim {
        let s = sim.clone();
        dock_api.on_place_card(move |i| {
            if let Some(card) = usize::try_from(i).ok().and_then(|i| cards.get(i)) {
                tracing::info!(card_type = %card.card_type, "demo dock: card placed");
                s.place(card.clone());
            }
        });
        let s = sim.clone();
        dock_api.on_remove_card(move || s.remove());
        let s = sim.clone();
        dock_api.on_lift_mid_read(move || s.remove_during_next_read());
        let s = sim.clone();
        dock_api.on_garble(move || s.garble(3));
        dock_api.on_slow(move |on| {
            sim.slow(if on {
                Duration::from_millis(700)
            } else {
                Duration::ZERO
            })
        });
    }
    if let (Some(scanner), Some(codec)) = (devices.scanner_sim(), devices.scanner_codec.clone()) {
        dock_api.set_has_scanner_sim(true);
        dock_api.on_scan(move |which| {
            tracing::info!(code = %which, "demo dock: code scanned");
            let _ =
                crate::devices::scanner::cli::script_line(&scanner, &codec, "DEMO-0001", &which);
        });
    }
    {
        let (ctl, weak, hold) = (ctl.clone(), dock.as_weak(), hold.clone());
        dock_api.on_set_hold(move |on| {
            hold.set(on);
            ctl.technician_hold(on);
            if let Some(dock) = weak.upgrade() {
                refresh(&dock, &ctl, on);
            }
        });
    }
    refresh(&dock, ctl, false);
    // Keep the dock's rows current whatever changed a device.
    let (ctl2, weak) = (ctl.clone(), dock.as_weak());
    ctl.listen(Box::new(move |event| {
        if let (Event::DeviceStatus(..), Some(dock)) = (event, weak.upgrade()) {
            refresh(&dock, &ctl2, hold.get());
        }
    }));
    Ok(dock)
}
