//! The first-frame probe fires when the software renderer really paints the window, and only
//! then (one test per file: it installs a process-wide rendering platform).

use i_slint_backend_testing::{TestingBackend, TestingBackendOptions};
use slint::ComponentHandle;
use std::path::PathBuf;
use std::time::Instant;
use zhengwu_kiosk::app::Config;
use zhengwu_kiosk::app::ui_bridge::Controller;
use zhengwu_kiosk::ui::AppWindow;

#[test]
fn probe_fires_on_the_first_painted_frame_only() {
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })))
    .expect("platform");
    let ui = AppWindow::new().expect("window");
    let ctl = Controller::attach(
        &ui,
        &Config::demo(PathBuf::from("/nonexistent")),
        Instant::now(),
    );
    ui.window().set_size(slint::PhysicalSize::new(1920, 1080));
    ui.show().expect("show");
    assert_eq!(ctl.first_frame(), None, "nothing painted yet");
    let shot = ui.window().take_snapshot().expect("snapshot");
    assert_eq!((shot.width(), shot.height()), (1920, 1080));
    let first = ctl.first_frame().expect("the probe fired while painting");
    let _ = ui.window().take_snapshot().expect("second snapshot");
    assert_eq!(ctl.first_frame(), Some(first), "recorded once");
    // Not blank: the attract screen has red and white and text.
    let px = shot.as_slice();
    assert!(px.iter().any(|p| *p != px[0]));
}
