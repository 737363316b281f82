//! A headless kiosk for integration tests: the real `AppWindow` on Slint's testing backend
//! (no display), wired to a real `Controller` with the demo configuration, with the shell's
//! effects collected for assertions. Tests add the real drivers and simulators they need.

#![allow(dead_code)] // each test binary uses a part

use slint::ComponentHandle;
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Instant;
use zhengwu_kiosk::app::Config;
use zhengwu_kiosk::app::ui_bridge::{Controller, Event};
use zhengwu_kiosk::devices::{DeviceKind, DeviceStatus, MediaState};
use zhengwu_kiosk::session::ShellEffect;
use zhengwu_kiosk::ui::AppWindow;

/// The window, its controller and the effects it asked for.
pub struct HeadlessKiosk {
    /// The kiosk window.
    pub ui: AppWindow,
    /// Its controller.
    pub ctl: Controller,
    /// Every shell effect so far.
    pub effects: Rc<RefCell<Vec<ShellEffect>>>,
}

/// A kiosk window of `size` pixels with `config`, shown; devices not reported yet.
pub fn kiosk_with(config: Config, size: (u32, u32)) -> HeadlessKiosk {
    i_slint_backend_testing::init_no_event_loop();
    let ui = AppWindow::new().expect("window");
    let ctl = Controller::attach(&ui, &config, Instant::now());
    let effects = Rc::new(RefCell::new(Vec::new()));
    let sink = effects.clone();
    ctl.listen(Box::new(move |e| {
        if let Event::Effect(fx) = e {
            sink.borrow_mut().push(*fx);
        }
    }));
    ui.window()
        .set_size(slint::PhysicalSize::new(size.0, size.1));
    ui.show().expect("show");
    HeadlessKiosk { ui, ctl, effects }
}

/// A 1920×1080 demo kiosk whose devices, except those in `driven` (a test's real drivers
/// report them), are online.
pub fn kiosk_online_except(driven: &[DeviceKind]) -> HeadlessKiosk {
    let k = kiosk_with(Config::demo(PathBuf::from("/nonexistent")), (1920, 1080));
    for kind in DeviceKind::ALL {
        if !driven.contains(&kind) {
            k.ctl.device(kind, DeviceStatus::online(MediaState::Ok));
        }
    }
    k
}

/// The element with this accessible id (panics with the id when there is none).
pub fn by_id(ui: &AppWindow, id: &str) -> i_slint_backend_testing::ElementHandle {
    find(ui, id).unwrap_or_else(|| panic!("no element with accessible-id {id}"))
}

/// Whether an element with this accessible id exists.
pub fn exists(ui: &AppWindow, id: &str) -> bool {
    find(ui, id).is_some()
}

fn find(ui: &AppWindow, id: &str) -> Option<i_slint_backend_testing::ElementHandle> {
    let owned = id.to_string();
    i_slint_backend_testing::ElementQuery::from_root(ui)
        .match_descendants()
        .match_predicate(move |e| e.accessible_id().as_deref() == Some(owned.as_str()))
        .find_first()
}

/// The first event on `events` matching `want` within `within` (others are dropped).
pub fn wait_for<E>(
    events: &std::sync::mpsc::Receiver<E>,
    within: std::time::Duration,
    want: impl Fn(&E) -> bool,
) -> Option<E> {
    let deadline = Instant::now() + within;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match events.recv_timeout(left) {
            Ok(e) if want(&e) => return Some(e),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}
