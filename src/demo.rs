//! `kiosk demo`: the kiosk in a desktop window (winit on X11, software renderer), with every
//! device simulated, a throw-away data folder, and the demo dock beside it to play the hardware:
//! plug and unplug devices, paper out, a technician's hold. Device issues add their simulators
//! and dock controls here.

use crate::app::Config;
use crate::app::ui_bridge::{Controller, Event};
use crate::devices::{DeviceKind, DeviceState, DeviceStatus, MediaState, UserErrorReason};
use crate::ui::{DemoDock, Dock, DockDevice};
use slint::{ComponentHandle, ModelRc, VecModel};
use std::rc::Rc;
use std::time::Duration;

/// How long the simulated devices take to "power up" and report online.
pub const SIM_POWER_UP: Duration = Duration::from_millis(300);

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

/// Create the dock for a controller and wire its buttons. Also starts the simulated devices,
/// which report online after `SIM_POWER_UP`.
pub fn attach_dock(ctl: &Controller, config: &Config) -> Result<DemoDock, slint::PlatformError> {
    let dock = DemoDock::new()?;
    let hold = Rc::new(std::cell::Cell::new(false));
    let dock_api = dock.global::<Dock>();
    {
        let (ctl, weak, hold) = (ctl.clone(), dock.as_weak(), hold.clone());
        dock_api.on_set_state(move |key, action| {
            let Some(kind) = kind_by_key(&key) else {
                return;
            };
            let Some(status) = dock_status(kind, &action) else {
                return;
            };
            tracing::info!(device = %kind, action = %action, "demo dock");
            ctl.device(kind, status);
            if let Some(dock) = weak.upgrade() {
                refresh(&dock, &ctl, hold.get());
            }
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
    {
        // Keep the dock's rows current whatever changed a device.
        let (ctl2, weak) = (ctl.clone(), dock.as_weak());
        ctl.listen(Box::new(move |event| {
            if let (Event::DeviceStatus(..), Some(dock)) = (event, weak.upgrade()) {
                refresh(&dock, &ctl2, hold.get());
            }
        }));
    }
    power_up(ctl, config);
    Ok(dock)
}

/// Simulated devices come up shortly after start, like real ones after enumeration.
pub fn power_up(ctl: &Controller, config: &Config) {
    let enabled = config.devices.enabled();
    let ctl = ctl.clone();
    slint::Timer::single_shot(SIM_POWER_UP, move || {
        for kind in enabled {
            if let Some(status) = dock_status(kind, "online") {
                ctl.device(kind, status);
            }
        }
    });
}
