//! The real Slint UI, headless (i-slint-backend-testing, no display): navigation by touch and by
//! accessible actions, elder mode, language, the inactivity prompt and timeout on mock time,
//! and the out-of-service screen when a required device goes down.

use slint::ComponentHandle;
use slint::platform::PointerEventButton;
use std::path::PathBuf;
use zhengwu_kiosk::app::Config;
use zhengwu_kiosk::devices::{DeviceKind, DeviceState, DeviceStatus, MediaState, UserErrorReason};
use zhengwu_kiosk::session::ShellEffect;
use zhengwu_kiosk::ui::{Api, Screen};

mod kiosk_support;
use kiosk_support::{HeadlessKiosk as Kiosk, by_id, exists, kiosk_with};

fn kiosk() -> Kiosk {
    kiosk_support::kiosk_online_except(&[])
}

fn screen(k: &Kiosk) -> Screen {
    k.ui.global::<Api>().get_screen()
}

/// Advance Slint's mock clock one second at a time so the kiosk's tick timer fires each second.
fn wait_secs(n: u64) {
    for _ in 0..n {
        i_slint_backend_testing::mock_elapsed_time(std::time::Duration::from_secs(1));
    }
}

#[test]
fn touch_attract_then_open_each_service_and_come_back() {
    let k = kiosk();
    assert_eq!(screen(&k), Screen::Attract);
    by_id(&k.ui, "screen-attract").mock_single_click(PointerEventButton::Left);
    assert_eq!(screen(&k), Screen::Home);
    for (tile, expected) in [
        ("tile-apply", Screen::Services),
        ("tile-track", Screen::Tracking),
        ("tile-policies", Screen::Policies),
        ("tile-rate", Screen::Rating),
    ] {
        by_id(&k.ui, tile).mock_single_click(PointerEventButton::Left);
        assert_eq!(screen(&k), expected, "after tapping {tile}");
        assert!(exists(&k.ui, "service-prompt"));
        by_id(&k.ui, "btn-back").invoke_accessible_default_action();
        assert_eq!(screen(&k), Screen::Home);
    }
    by_id(&k.ui, "btn-finish").invoke_accessible_default_action();
    assert_eq!(screen(&k), Screen::Attract);
    assert!(k.effects.borrow().contains(&ShellEffect::Wipe));
}

#[test]
fn every_tile_and_control_has_an_accessible_label() {
    let k = kiosk();
    by_id(&k.ui, "screen-attract").invoke_accessible_default_action();
    for id in [
        "tile-apply",
        "tile-track",
        "tile-policies",
        "tile-rate",
        "tile-help",
        "btn-finish",
        "btn-help",
        "toggle-elder",
        "toggle-language",
    ] {
        let label = by_id(&k.ui, id).accessible_label().unwrap_or_default();
        assert!(!label.is_empty(), "{id} has no accessible label");
    }
    assert_eq!(
        by_id(&k.ui, "tile-track").accessible_label().as_deref(),
        Some("办件查询")
    );
}

#[test]
fn help_is_on_every_screen_and_opens_the_help_overlay() {
    let k = kiosk();
    // On the attract screen, without starting a session.
    by_id(&k.ui, "btn-help").invoke_accessible_default_action();
    assert!(exists(&k.ui, "dialog-help"));
    assert!(k.effects.borrow().contains(&ShellEffect::CallHelp));
    by_id(&k.ui, "btn-close-help").invoke_accessible_default_action();
    // A conditional element is dropped lazily (at the next layout), so ask the API it follows.
    assert!(!k.ui.global::<Api>().get_help_open());
    // On every service screen.
    by_id(&k.ui, "screen-attract").invoke_accessible_default_action();
    for tile in ["tile-apply", "tile-track", "tile-policies", "tile-rate"] {
        by_id(&k.ui, tile).invoke_accessible_default_action();
        assert!(exists(&k.ui, "btn-help"), "no help button after {tile}");
        by_id(&k.ui, "btn-home").invoke_accessible_default_action();
    }
}

#[test]
fn elder_mode_makes_text_and_targets_larger_and_resets_after_the_session() {
    let k = kiosk();
    by_id(&k.ui, "screen-attract").invoke_accessible_default_action();
    let before = by_id(&k.ui, "btn-finish").size();
    by_id(&k.ui, "toggle-elder").invoke_accessible_default_action();
    assert!(k.ui.global::<Api>().get_elder());
    assert_eq!(
        by_id(&k.ui, "toggle-elder").accessible_checked(),
        Some(true)
    );
    let after = by_id(&k.ui, "btn-finish").size();
    assert!(
        after.height >= before.height * 1.3 && after.width > before.width,
        "{before:?} -> {after:?}"
    );
    by_id(&k.ui, "btn-finish").invoke_accessible_default_action();
    assert!(!k.ui.global::<Api>().get_elder());
}

#[test]
fn language_switch_changes_labels() {
    let k = kiosk();
    by_id(&k.ui, "screen-attract").invoke_accessible_default_action();
    by_id(&k.ui, "toggle-language").invoke_accessible_default_action();
    assert_eq!(
        by_id(&k.ui, "tile-apply").accessible_label().as_deref(),
        Some("Services")
    );
    by_id(&k.ui, "toggle-language").invoke_accessible_default_action();
    assert_eq!(
        by_id(&k.ui, "tile-apply").accessible_label().as_deref(),
        Some("办事服务")
    );
}

#[test]
fn inactivity_prompts_counts_down_and_returns_to_attract() {
    let k = kiosk();
    by_id(&k.ui, "screen-attract").invoke_accessible_default_action();
    by_id(&k.ui, "tile-apply").invoke_accessible_default_action();
    wait_secs(59);
    assert!(!exists(&k.ui, "dialog-still-there"));
    wait_secs(1);
    assert!(exists(&k.ui, "dialog-still-there"));
    assert!(
        by_id(&k.ui, "countdown-text")
            .accessible_label()
            .unwrap_or_default()
            .contains("20 秒")
    );
    wait_secs(5);
    assert!(
        by_id(&k.ui, "countdown-text")
            .accessible_label()
            .unwrap_or_default()
            .contains("15 秒")
    );
    wait_secs(15);
    assert!(k.ui.global::<Api>().get_countdown() < 0, "prompt closed");
    assert_eq!(screen(&k), Screen::Attract);
    let fx = k.effects.borrow();
    assert!(fx.contains(&ShellEffect::Wipe));
    assert!(fx.contains(&ShellEffect::SessionEnded(
        zhengwu_kiosk::session::EndReason::Timeout
    )));
}

#[test]
fn still_here_keeps_the_session() {
    let k = kiosk();
    by_id(&k.ui, "screen-attract").invoke_accessible_default_action();
    by_id(&k.ui, "tile-track").invoke_accessible_default_action();
    wait_secs(62);
    by_id(&k.ui, "btn-still-here").mock_single_click(PointerEventButton::Left);
    assert!(k.ui.global::<Api>().get_countdown() < 0, "prompt closed");
    assert_eq!(screen(&k), Screen::Tracking);
    assert!(!k.effects.borrow().contains(&ShellEffect::Wipe));
}

#[test]
fn required_printer_down_shows_out_of_service_with_what_still_works() {
    let k = kiosk();
    k.ctl.device(
        DeviceKind::Printer,
        DeviceStatus::new(DeviceState::UserError(UserErrorReason::PaperOut)),
    );
    assert_eq!(screen(&k), Screen::OutOfService);
    let problem = by_id(&k.ui, "problem-0")
        .accessible_label()
        .unwrap_or_default();
    assert!(
        problem.contains("回执打印机") && problem.contains("缺纸"),
        "{problem}"
    );
    // Tracking still works; applying does not.
    assert!(exists(&k.ui, "oos-tile-track"));
    assert!(!exists(&k.ui, "oos-tile-apply"));
    by_id(&k.ui, "oos-tile-track").invoke_accessible_default_action();
    assert_eq!(screen(&k), Screen::Tracking);
    by_id(&k.ui, "btn-finish").invoke_accessible_default_action();
    assert_eq!(screen(&k), Screen::OutOfService);
    // Paper refilled: back in service.
    k.ctl
        .device(DeviceKind::Printer, DeviceStatus::online(MediaState::Ok));
    assert_eq!(screen(&k), Screen::Attract);
}

#[test]
fn an_optional_device_going_down_keeps_the_kiosk_in_service() {
    let k = kiosk();
    k.ctl
        .device(DeviceKind::Scanner, DeviceStatus::new(DeviceState::Offline));
    assert_eq!(screen(&k), Screen::Attract);
}

#[test]
fn silent_required_devices_put_the_kiosk_out_of_service_after_the_start_deadline() {
    let k = kiosk_with(Config::demo(PathBuf::from("/nonexistent")), (1920, 1080));
    assert!(k.ui.global::<Api>().get_starting());
    by_id(&k.ui, "screen-attract").invoke_accessible_default_action();
    assert_eq!(screen(&k), Screen::Attract, "no session while starting");
    wait_secs(30);
    assert_eq!(screen(&k), Screen::OutOfService);
}

#[test]
fn portrait_lays_tiles_in_two_columns() {
    let k = kiosk_with(Config::demo(PathBuf::from("/nonexistent")), (1080, 1920));
    for kind in DeviceKind::ALL {
        k.ctl.device(kind, DeviceStatus::online(MediaState::Ok));
    }
    by_id(&k.ui, "screen-attract").invoke_accessible_default_action();
    let a = by_id(&k.ui, "tile-apply").absolute_position();
    let b = by_id(&k.ui, "tile-track").absolute_position();
    let c = by_id(&k.ui, "tile-policies").absolute_position();
    assert!(
        b.x > a.x && (b.y - a.y).abs() < 1.0,
        "second tile beside the first"
    );
    assert!(
        (c.x - a.x).abs() < 1.0 && c.y > a.y,
        "third tile below the first"
    );
    let size = by_id(&k.ui, "tile-apply").size();
    assert!(size.width < 540.0 && size.width > 300.0, "{size:?}");
}
