//! The bridge between `KioskCore` and the Slint UI: it turns the applicant's intents (the `Api`
//! global's callbacks) and device statuses into core inputs, and each resulting `View` into the
//! `Api` properties. It owns the one-second timer that drives inactivity and the clock, and the
//! first-frame probe. It runs on the UI thread; device drivers reach it through
//! `Controller::status_sender`.

use super::availability::UnavailableReason;
use super::config::{Config, Language};
use super::core::{KioskCore, View};
use crate::devices::idcard::ReaderEvent;
use crate::devices::printer::PrinterEvent;
use crate::devices::scanner::{Payload, ScannerEvent};
use crate::devices::{DeviceKind, DeviceStatus};
use crate::session::{Applicant, Input, Notice, Screen, Service, ShellEffect};
use crate::ui::{Api, AppWindow, Problem, Tile};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// How often the core is ticked (inactivity, start-up deadline) and the clock refreshed.
pub const TICK: Duration = Duration::from_secs(1);

/// Something that wants to hear about effects and status changes (session wipe, help calls,
/// the health log). Called on the UI thread; must not block.
pub type Listener = Box<dyn Fn(&Event)>;

/// What the controller reports to listeners.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The shell asked for an effect.
    Effect(ShellEffect),
    /// A device's status changed.
    DeviceStatus(DeviceKind, DeviceStatus),
    /// The first frame was rendered this long after start.
    FirstFrame(Duration),
    /// A print job finished: its id, and the error in Chinese and English when it failed.
    Printed {
        /// The job id `RunningPrinter::print` returned.
        job: u64,
        /// `None` when printed; else (Chinese for the screen, English for the log).
        error: Option<(String, String)>,
    },
}

struct Inner {
    core: KioskCore,
    started: Instant,
    first_frame: Option<Duration>,
    /// The view last written to the UI, so that unchanged views cost nothing.
    shown: Option<View>,
}

/// Drives one `AppWindow` from one `KioskCore`.
#[derive(Clone)]
pub struct Controller {
    inner: Rc<RefCell<Inner>>,
    listeners: Rc<RefCell<Vec<Listener>>>,
    ui: slint::Weak<AppWindow>,
    timer: Rc<slint::Timer>,
}

/// The tiles' fixed data: accessible id, glyph, labels and hints.
fn tile_text(
    service: Service,
) -> (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
) {
    match service {
        Service::Apply => (
            "tile-apply",
            "办",
            "办事服务",
            "Services",
            "查找事项，在线申报",
            "Find an item and apply",
        ),
        Service::Track => (
            "tile-track",
            "查",
            "办件查询",
            "Track a case",
            "查看办理进度",
            "See how your case is going",
        ),
        Service::Policies => (
            "tile-policies",
            "享",
            "免申即享",
            "Benefits for you",
            "无需申请，直接享受",
            "Benefits without applying",
        ),
        Service::Rate => (
            "tile-rate",
            "评",
            "好差评",
            "Rate our service",
            "评价本次服务",
            "Tell us how we did",
        ),
        Service::Help => (
            "tile-help",
            "助",
            "呼叫帮办",
            "Call for help",
            "工作人员协助办理",
            "Staff will help you",
        ),
    }
}

/// The Slint tile models for a view: every tile, and the enabled ones.
pub fn tiles(view: &View) -> (Vec<Tile>, Vec<Tile>) {
    let all: Vec<Tile> = Service::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (id, glyph, zh, en, hint_zh, hint_en) = tile_text(*s);
            Tile {
                id: id.into(),
                service: i as i32,
                glyph: glyph.into(),
                zh: zh.into(),
                en: en.into(),
                hint_zh: hint_zh.into(),
                hint_en: hint_en.into(),
                enabled: view.offered.contains(s),
            }
        })
        .collect();
    let offers = all.iter().filter(|t| t.enabled).cloned().collect();
    (all, offers)
}

/// The out-of-service lines for a view, in both languages.
pub fn problems(view: &View) -> Vec<Problem> {
    view.reasons
        .iter()
        .map(|r| match r {
            UnavailableReason::Device(kind, status) => {
                let (zh, en) = match status {
                    Some(s) => (s.state.describe_zh().to_string(), s.state.describe()),
                    None => ("未响应".to_string(), "not responding".to_string()),
                };
                Problem {
                    zh: format!("{}{}，暂停办理需要它的业务", kind.label_zh(), zh).into(),
                    en: format!(
                        "The {}: {en}. Services that need it are paused.",
                        kind.label_en()
                    )
                    .into(),
                }
            }
            UnavailableReason::TechnicianHold => Problem {
                zh: "终端正在维护，请稍后再来".into(),
                en: "This kiosk is under maintenance; please come back later".into(),
            },
        })
        .collect()
}

fn screen_to_ui(screen: Screen) -> crate::ui::Screen {
    use crate::ui::Screen as S;
    match screen {
        Screen::Attract => S::Attract,
        Screen::Home => S::Home,
        Screen::Services => S::Services,
        Screen::Tracking => S::Tracking,
        Screen::Policies => S::Policies,
        Screen::Rating => S::Rating,
        Screen::OutOfService => S::OutOfService,
    }
}

/// Write a view into the `Api` global.
pub fn apply_view(ui: &AppWindow, view: &View) {
    let api = ui.global::<Api>();
    api.set_screen(screen_to_ui(view.screen));
    api.set_starting(view.starting);
    api.set_elder(view.elder);
    api.set_english(view.language == Language::En);
    api.set_help_open(view.help_open);
    api.set_countdown(
        view.countdown
            .map_or(-1, |s| i32::try_from(s).unwrap_or(i32::MAX)),
    );
    // Replace a model only when its rows change, so that repeaters keep their elements (and a
    // finger on a tile) while the countdown ticks.
    let (all, offers) = tiles(view);
    if !same_rows(&api.get_tiles(), &all) {
        api.set_tiles(ModelRc::new(VecModel::from(all)));
    }
    if !same_rows(&api.get_offers(), &offers) {
        api.set_offers(ModelRc::new(VecModel::from(offers)));
    }
    let problems = problems(view);
    if !same_rows(&api.get_problems(), &problems) {
        api.set_problems(ModelRc::new(VecModel::from(problems)));
    }
    api.set_applicant(view.applicant.clone().unwrap_or_default().into());
    api.set_applicant_has_photo(view.applicant_photo.is_some());
    api.set_applicant_photo(view.applicant_photo.as_ref().map_or_else(
        slint::Image::default,
        |p| {
            slint::Image::from_rgb8(slint::SharedPixelBuffer::clone_from_slice(
                &p.rgb, p.width, p.height,
            ))
        },
    ));
    api.set_card_away(view.card_away);
    let (zh, en) = view.notice.map_or(("", ""), notice_text);
    api.set_notice_zh(zh.into());
    api.set_notice_en(en.into());
    api.set_tracking_case(view.tracking_case.clone().unwrap_or_default().into());
}

fn same_rows<T: Clone + PartialEq + 'static>(model: &ModelRc<T>, rows: &[T]) -> bool {
    use slint::Model;
    model.row_count() == rows.len() && model.iter().zip(rows).all(|(a, b)| &a == b)
}

/// The text of a notice (Chinese, English).
pub fn notice_text(notice: Notice) -> (&'static str, &'static str) {
    match notice {
        Notice::CardReadFailed => (
            "读卡失败，请将身份证平放在读卡区，不要移动",
            "Could not read the card: lay it flat on the reader and hold still",
        ),
        Notice::CannotServeNow => (
            "终端暂停服务，请稍后再试或拨打服务热线",
            "This kiosk cannot serve you now; please try later or call the hotline",
        ),
        Notice::UnrecognisedCode => (
            "无法识别的二维码，请扫描办事回执或政务服务APP身份码",
            "Unrecognised code: scan your receipt or your government-app ID code",
        ),
        Notice::LicenceOutsideMaterials => (
            "电子证照请在提交材料时扫描",
            "Scan an e-licence when the application asks for materials",
        ),
        Notice::LoginCodeReceived => (
            "已扫描身份码，正在核验身份",
            "ID code scanned; verifying your identity",
        ),
    }
}

/// The clock strings: time, Chinese date, English date.
pub fn clock_strings<Tz: chrono::TimeZone>(now: &chrono::DateTime<Tz>) -> (String, String, String)
where
    Tz::Offset: std::fmt::Display,
{
    use chrono::{Datelike, Timelike};
    const WEEK_ZH: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    let wd = now.weekday().num_days_from_monday() as usize;
    (
        format!("{:02}:{:02}", now.hour(), now.minute()),
        format!(
            "{}年{}月{}日 星期{}",
            now.year(),
            now.month(),
            now.day(),
            WEEK_ZH[wd]
        ),
        now.format("%a %-d %b %Y").to_string(),
    )
}

fn set_clock(ui: &AppWindow) {
    let (time, zh, en) = clock_strings(&chrono::Local::now());
    let api = ui.global::<Api>();
    api.set_clock_time(time.into());
    api.set_clock_date_zh(zh.into());
    api.set_clock_date_en(en.into());
}

impl Controller {
    /// Wire `ui` to a new core for `config`. `started` is when the process started, for the
    /// first-frame figure.
    pub fn attach(ui: &AppWindow, config: &Config, started: Instant) -> Self {
        let api = ui.global::<Api>();
        api.set_site(SharedString::from(config.kiosk.site.as_str()));
        api.set_kiosk_id(SharedString::from(config.kiosk.id.as_str()));
        api.set_hotline(SharedString::from(config.kiosk.hotline.as_str()));
        set_clock(ui);
        let ctl = Controller {
            inner: Rc::new(RefCell::new(Inner {
                core: KioskCore::new(config),
                started,
                first_frame: None,
                shown: None,
            })),
            listeners: Rc::new(RefCell::new(Vec::new())),
            ui: ui.as_weak(),
            timer: Rc::new(slint::Timer::default()),
        };
        let intent = |ctl: &Controller, input: Input| {
            let ctl = ctl.clone();
            move || ctl.input(input.clone())
        };
        api.on_touched(intent(&ctl, Input::Touch));
        api.on_home(intent(&ctl, Input::Home));
        api.on_finish(intent(&ctl, Input::Finish));
        api.on_still_here(intent(&ctl, Input::StillHere));
        api.on_close_help(intent(&ctl, Input::CloseHelp));
        api.on_continue_without_card(intent(&ctl, Input::ContinueWithoutCard));
        {
            let ctl = ctl.clone();
            api.on_open(move |i| {
                if let Some(s) = usize::try_from(i).ok().and_then(|i| Service::ALL.get(i)) {
                    ctl.input(Input::Open(*s));
                }
            });
        }
        {
            let ctl = ctl.clone();
            api.on_set_elder(move |on| ctl.input(Input::SetElder(on)));
        }
        {
            let ctl = ctl.clone();
            api.on_set_english(move |on| {
                ctl.input(Input::SetLanguage(if on {
                    Language::En
                } else {
                    Language::Zh
                }))
            });
        }
        {
            let ctl = ctl.clone();
            api.on_frame_probe(move || {
                ctl.first_frame_painted();
                false
            });
        }
        {
            let ctl2 = ctl.clone();
            ctl.timer.start(slint::TimerMode::Repeated, TICK, move || {
                ctl2.input(Input::Tick(TICK));
                if let Some(ui) = ctl2.ui.upgrade() {
                    set_clock(&ui);
                }
            });
        }
        ctl.render();
        ctl
    }

    /// Add a listener for effects and status changes (not from inside a listener).
    pub fn listen(&self, listener: Listener) {
        self.listeners.borrow_mut().push(listener);
    }

    fn emit(&self, event: Event) {
        // The core is not borrowed here, so listeners may feed the controller again.
        for l in self.listeners.borrow().iter() {
            l(&event);
        }
    }

    /// Feed an applicant input or a tick.
    pub fn input(&self, input: Input) {
        let effects = self.inner.borrow_mut().core.input(input);
        for fx in effects {
            match fx {
                ShellEffect::SessionStarted { full } => {
                    tracing::info!(full, "session started")
                }
                ShellEffect::SessionEnded(reason) => tracing::info!(?reason, "session ended"),
                ShellEffect::Wipe => tracing::info!("session data wiped"),
                ShellEffect::CallHelp => tracing::info!("help requested"),
                ShellEffect::LookUpCase => tracing::info!("case lookup requested"),
                ShellEffect::VerifyLogin => tracing::info!("login code verification requested"),
            }
            self.emit(Event::Effect(fx));
        }
        self.render();
    }

    /// A device reported its status.
    pub fn device(&self, kind: DeviceKind, status: DeviceStatus) {
        let (previous, transition) = {
            let mut inner = self.inner.borrow_mut();
            let previous = inner.core.device_status(kind);
            (previous, inner.core.device(kind, status))
        };
        if previous != Some(status) {
            tracing::info!(device = %kind, state = %status.state.describe(), media = ?status.media, "device status");
            self.emit(Event::DeviceStatus(kind, status));
        }
        if let Some((from, to)) = transition {
            tracing::warn!(?from, ?to, "kiosk availability changed");
        }
        self.render();
    }

    /// An event of the ID-card reader's driver.
    pub fn reader_event(&self, event: ReaderEvent) {
        match event {
            ReaderEvent::Status(status) => self.device(DeviceKind::IdCard, status),
            ReaderEvent::CardRead(read) => {
                match Applicant::from_card(&read.card, read.portrait.clone()) {
                    Some(applicant) => self.input(Input::CardPlaced(applicant)),
                    None => {
                        tracing::warn!(
                            card_type = read.card.card_type.key(),
                            "card has no name or number"
                        );
                        self.input(Input::CardReadFailed);
                    }
                }
            }
            ReaderEvent::CardRemoved => self.input(Input::CardRemoved),
            ReaderEvent::ReadFailed(why) => {
                tracing::info!(reason = %why, "id-card read failed");
                self.input(Input::CardReadFailed);
            }
        }
    }

    /// An event of the scanner's driver: a receipt routes to tracking, a login code identifies,
    /// a licence is a material, anything else is "无法识别的二维码".
    pub fn scanner_event(&self, event: ScannerEvent) {
        match event {
            ScannerEvent::Status(status) => self.device(DeviceKind::Scanner, status),
            ScannerEvent::Scanned(scanned) => match scanned.scan.payload {
                Payload::Receipt(r) => self.input(Input::ReceiptScanned(r.case)),
                Payload::Login(l) => self.input(Input::LoginScanned(l.token)),
                Payload::Licence(l) => self.input(Input::LicenceScanned(l.id)),
                Payload::Unknown(_) => self.input(Input::UnknownCodeScanned),
            },
        }
    }

    /// An event of the receipt printer's task.
    pub fn printer_event(&self, event: PrinterEvent) {
        match event {
            PrinterEvent::Status(status) => self.device(DeviceKind::Printer, status),
            PrinterEvent::Printed { job, result } => {
                let error = result
                    .err()
                    .map(|e| (e.message_zh().to_string(), e.to_string()));
                match &error {
                    None => tracing::info!(job, "receipt printed"),
                    Some((_, en)) => tracing::warn!(job, error = %en, "receipt not printed"),
                }
                self.emit(Event::Printed { job, error });
            }
        }
    }

    /// A technician takes the kiosk out of service or back.
    pub fn technician_hold(&self, on: bool) {
        if let Some((from, to)) = self.inner.borrow_mut().core.technician_hold(on) {
            tracing::warn!(
                hold = on,
                ?from,
                ?to,
                "kiosk availability changed by technician"
            );
        }
        self.render();
    }

    /// The current view.
    pub fn view(&self) -> View {
        self.inner.borrow().core.view()
    }

    /// Read the core (for the demo dock and diagnostics).
    pub fn with_core<R>(&self, f: impl FnOnce(&KioskCore) -> R) -> R {
        f(&self.inner.borrow().core)
    }

    /// When the first frame was painted, relative to process start.
    pub fn first_frame(&self) -> Option<Duration> {
        self.inner.borrow().first_frame
    }

    fn first_frame_painted(&self) {
        let elapsed = {
            let mut inner = self.inner.borrow_mut();
            if inner.first_frame.is_some() {
                return;
            }
            let elapsed = inner.started.elapsed();
            inner.first_frame = Some(elapsed);
            elapsed
        };
        let epoch_us = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_micros());
        tracing::info!(
            first_frame_ms = elapsed.as_secs_f64() * 1000.0,
            first_frame_epoch_us = epoch_us,
            "first frame rendered {:.1} ms after start",
            elapsed.as_secs_f64() * 1000.0
        );
        self.emit(Event::FirstFrame(elapsed));
    }

    fn render(&self) {
        let view = self.view();
        let mut inner = self.inner.borrow_mut();
        if inner.shown.as_ref() == Some(&view) {
            return;
        }
        if let Some(ui) = self.ui.upgrade() {
            apply_view(&ui, &view);
        }
        inner.shown = Some(view);
    }

    /// A sender that device drivers on other threads use to report statuses and events; each
    /// report is applied on the UI thread.
    pub fn device_sender(&self) -> DeviceSender {
        DeviceSender {
            ui: self.ui.clone(),
        }
    }
}

thread_local! {
    static CONTROLLER: RefCell<Option<Controller>> = const { RefCell::new(None) };
}

impl Controller {
    /// Make this controller the UI thread's, so that `DeviceSender`s can reach it.
    pub fn install(&self) {
        CONTROLLER.with(|c| *c.borrow_mut() = Some(self.clone()));
    }
}

/// Reports device statuses and events from any thread to the UI thread's installed controller.
#[derive(Clone)]
pub struct DeviceSender {
    ui: slint::Weak<AppWindow>,
}

impl DeviceSender {
    fn hop(&self, f: impl FnOnce(&Controller) + Send + 'static) -> bool {
        self.ui
            .upgrade_in_event_loop(move |_| {
                CONTROLLER.with(|c| {
                    if let Some(ctl) = c.borrow().as_ref() {
                        f(ctl);
                    }
                });
            })
            .is_ok()
    }

    /// Report a status; returns false once the UI is gone (the driver should stop).
    pub fn status(&self, kind: DeviceKind, status: DeviceStatus) -> bool {
        self.hop(move |ctl| ctl.device(kind, status))
    }

    /// Report an ID-card reader event.
    pub fn reader(&self, event: ReaderEvent) -> bool {
        self.hop(move |ctl| ctl.reader_event(event))
    }

    /// Report a scanner event.
    pub fn scanner(&self, event: ScannerEvent) -> bool {
        self.hop(move |ctl| ctl.scanner_event(event))
    }

    /// Report a printer event.
    pub fn printer(&self, event: PrinterEvent) -> bool {
        self.hop(move |ctl| ctl.printer_event(event))
    }
}
