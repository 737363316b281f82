//! `kiosk screenshots --out DIR`: renders every screen, in landscape 1920×1080 and portrait
//! 1080×1920, normal and elder mode, to PNG files with Slint's software renderer, headless (no
//! display, no GPU). Each screen is reached by driving a real `KioskCore` with the inputs a
//! person and the devices would give, so the pictures show what the logic produces.

use super::config::{Config, Language};
use super::core::KioskCore;
use super::ui_bridge::{apply_view, clock_strings};
use crate::devices::{DeviceKind, DeviceState, DeviceStatus, MediaState, UserErrorReason};
use crate::session::{Input, Service};
use crate::ui::{Api, AppWindow};
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter};
use slint::{ComponentHandle, PhysicalSize, Rgb8Pixel};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

/// What can go wrong rendering screenshots.
#[derive(Debug, thiserror::Error)]
pub enum ScreenshotError {
    /// Slint could not be set up (a platform was already installed in this process, …).
    #[error("cannot set up the software renderer: {0}")]
    Platform(String),
    /// Writing a file failed.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// A screen size to render.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Used in file names.
    pub name: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Landscape and portrait full HD.
pub const LAYOUTS: [Layout; 2] = [
    Layout {
        name: "landscape",
        width: 1920,
        height: 1080,
    },
    Layout {
        name: "portrait",
        width: 1080,
        height: 1920,
    },
];

/// The screens (and overlays) rendered, each as the inputs that lead to it.
pub const CASES: [&str; 13] = [
    "attract-starting",
    "attract",
    "home",
    "home-identified",
    "card-away",
    "home-english",
    "services",
    "tracking",
    "policies",
    "rating",
    "still-there",
    "help",
    "out-of-service",
];

const ONLINE: DeviceStatus = DeviceStatus::online(MediaState::Ok);

/// Drive a fresh core to the named case.
pub fn core_for(case: &str, elder: bool) -> KioskCore {
    let mut core = KioskCore::new(&Config::demo(PathBuf::from("/nonexistent")));
    if case != "attract-starting" {
        for k in DeviceKind::ALL {
            core.device(k, ONLINE);
        }
    }
    if elder {
        core.input(Input::SetElder(true));
    }
    let open = |core: &mut KioskCore, s| {
        core.input(Input::Touch);
        core.input(Input::Open(s));
    };
    match case {
        "home" => {
            core.input(Input::Touch);
        }
        "home-english" => {
            core.input(Input::SetLanguage(Language::En));
            core.input(Input::Touch);
        }
        "services" => open(&mut core, Service::Apply),
        "tracking" => open(&mut core, Service::Track),
        "policies" => open(&mut core, Service::Policies),
        "rating" => open(&mut core, Service::Rate),
        "still-there" => {
            core.input(Input::Touch);
            // Tick until the prompt shows, then 5 s into its countdown.
            while core.view().countdown.is_none() {
                core.input(Input::Tick(Duration::from_secs(1)));
            }
            for _ in 0..5 {
                core.input(Input::Tick(Duration::from_secs(1)));
            }
        }
        "home-identified" | "card-away" => {
            let fields = &crate::devices::idcard::sim::builtin_cards()[1];
            if let Some(text) = fields.encode() {
                let card = crate::devices::idcard::Card::decode(&text);
                if let Some(a) = crate::session::Applicant::from_card(&card, None) {
                    core.input(Input::CardPlaced(a));
                }
            }
            if case == "card-away" {
                core.input(Input::CardRemoved);
            }
        }
        "help" => {
            core.input(Input::Touch);
            core.input(Input::Open(Service::Help));
        }
        "out-of-service" => {
            core.device(
                DeviceKind::Printer,
                DeviceStatus::new(DeviceState::UserError(UserErrorReason::PaperOut)),
            );
        }
        _ => {}
    }
    core
}

struct ShotPlatform(Rc<MinimalSoftwareWindow>);

impl Platform for ShotPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, slint::PlatformError> {
        Ok(self.0.clone())
    }
}

/// A headless renderer of the kiosk window. One per process (Slint's platform is global).
pub struct Renderer {
    window: Rc<MinimalSoftwareWindow>,
    ui: AppWindow,
}

impl Renderer {
    /// Install the software platform and create the kiosk window.
    pub fn new() -> Result<Self, ScreenshotError> {
        let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
        slint::platform::set_platform(Box::new(ShotPlatform(window.clone())))
            .map_err(|e| ScreenshotError::Platform(e.to_string()))?;
        let ui = AppWindow::new().map_err(|e| ScreenshotError::Platform(e.to_string()))?;
        // A fixed clock, so that pictures are comparable run to run.
        let fixed = chrono::DateTime::parse_from_rfc3339("2026-11-26T21:30:00+08:00")
            .map_err(|e| ScreenshotError::Platform(e.to_string()))?;
        let (time, zh, en) = clock_strings(&fixed);
        let api = ui.global::<Api>();
        api.set_clock_time(time.into());
        api.set_clock_date_zh(zh.into());
        api.set_clock_date_en(en.into());
        api.set_site("示例县政务服务中心（演示）".into());
        api.set_kiosk_id("DEMO-0001".into());
        ui.show()
            .map_err(|e| ScreenshotError::Platform(e.to_string()))?;
        Ok(Self { window, ui })
    }

    /// The window, to set properties on.
    pub fn ui(&self) -> &AppWindow {
        &self.ui
    }

    /// Render one frame of the given size; returns RGB pixels row by row.
    pub fn render(&self, width: u32, height: u32) -> Vec<Rgb8Pixel> {
        self.window.set_size(PhysicalSize::new(width, height));
        self.window.request_redraw();
        slint::platform::update_timers_and_animations();
        let mut pixels = vec![Rgb8Pixel::default(); (width as usize) * (height as usize)];
        self.window.draw_if_needed(|r| {
            r.render(&mut pixels, width as usize);
        });
        pixels
    }

    /// Render the named case and return its pixels.
    pub fn render_case(&self, case: &str, layout: Layout, elder: bool) -> Vec<Rgb8Pixel> {
        apply_view(&self.ui, &core_for(case, elder).view());
        self.render(layout.width, layout.height)
    }
}

/// Write RGB pixels as a PNG file.
pub fn write_png(
    path: &Path,
    width: u32,
    height: u32,
    pixels: &[Rgb8Pixel],
) -> Result<(), ScreenshotError> {
    let err = |message: String| ScreenshotError::Write {
        path: path.to_owned(),
        message,
    };
    let file = std::fs::File::create(path).map_err(|e| err(e.to_string()))?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().map_err(|e| err(e.to_string()))?;
    let bytes: Vec<u8> = pixels.iter().flat_map(|p| [p.r, p.g, p.b]).collect();
    writer
        .write_image_data(&bytes)
        .map_err(|e| err(e.to_string()))?;
    writer.finish().map_err(|e| err(e.to_string()))
}

/// Render every case in every layout, normal and elder, into `out`; returns the files written.
pub fn render_all(out: &Path) -> Result<Vec<PathBuf>, ScreenshotError> {
    std::fs::create_dir_all(out).map_err(|e| ScreenshotError::Write {
        path: out.to_owned(),
        message: e.to_string(),
    })?;
    let renderer = Renderer::new()?;
    let mut written = Vec::new();
    for layout in LAYOUTS {
        for elder in [false, true] {
            for case in CASES {
                let pixels = renderer.render_case(case, layout, elder);
                let mode = if elder { "elder" } else { "normal" };
                let path = out.join(format!("{}-{mode}-{case}.png", layout.name));
                write_png(&path, layout.width, layout.height, &pixels)?;
                written.push(path);
            }
        }
    }
    Ok(written)
}
