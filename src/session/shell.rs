//! The shell: screen navigation, session start and end, the inactivity prompt ("您还在吗？"),
//! elder mode and language. `(state, input) -> (state, effects)`, nothing else.
//!
//! - A session starts with the first touch on the attract screen (or on a service the
//!   out-of-service screen still offers) and ends on "结束办理", on the inactivity countdown
//!   running out, or when the kiosk asks. Every end produces `ShellEffect::Wipe`.
//! - Elder mode and language are the applicant's: they return to the defaults when the session
//!   ends, or after an inactivity period on the attract screen.
//! - In elder mode every timeout is multiplied by the configured factor.

use super::applicant::Applicant;
use crate::app::config::Language;
use crate::devices::scanner::payload::{LicenceId, LoginToken};
use std::time::Duration;

/// How long a notice stays on screen.
pub const NOTICE_TIME: Duration = Duration::from_secs(5);

/// A short message shown over the screen for a few seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A card was seen but could not be read.
    CardReadFailed,
    /// A card was placed while the kiosk cannot serve anyone.
    CannotServeNow,
    /// A code was scanned that is none of the kiosk's kinds ("无法识别的二维码").
    UnrecognisedCode,
    /// An e-licence code was scanned outside a materials step.
    LicenceOutsideMaterials,
    /// A login code was scanned; the platform is verifying it.
    LoginCodeReceived,
}

/// The screens of the shell. Journeys add theirs behind the service screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    /// Idle: 24-hour notice, date and time, "请将身份证放在读卡区".
    Attract,
    /// The service tiles.
    Home,
    /// 办事服务: find an item and apply.
    Services,
    /// 办件查询: track a case.
    Tracking,
    /// 免申即享: policies the applicant qualifies for.
    Policies,
    /// 好差评: rate the service.
    Rating,
    /// 暂停服务: a required device is down; says what still works.
    OutOfService,
}

/// What an applicant can do at the kiosk; each needs some devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// 办事服务: identify, apply, print a receipt.
    Apply,
    /// 办件查询: identify or scan a receipt.
    Track,
    /// 免申即享: identify.
    Policies,
    /// 好差评: no device.
    Rate,
    /// 呼叫帮办: always.
    Help,
}

impl Service {
    /// Every service, in tile order.
    pub const ALL: [Service; 5] = [
        Service::Apply,
        Service::Track,
        Service::Policies,
        Service::Rate,
        Service::Help,
    ];

    /// The screen a service opens (help is an overlay, not a screen).
    pub fn screen(self) -> Option<Screen> {
        match self {
            Service::Apply => Some(Screen::Services),
            Service::Track => Some(Screen::Tracking),
            Service::Policies => Some(Screen::Policies),
            Service::Rate => Some(Screen::Rating),
            Service::Help => None,
        }
    }
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// The applicant tapped "结束办理".
    Finished,
    /// The inactivity countdown ran out.
    Timeout,
    /// The kiosk ended it (technician, shutdown).
    Kiosk,
    /// Another person's card was placed: their session replaces this one.
    NewApplicant,
}

/// What the shell asks the rest of the kiosk to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellEffect {
    /// A session started. `full` is false for a limited session on the out-of-service screen.
    SessionStarted {
        /// Whether the kiosk was available (all required devices usable).
        full: bool,
    },
    /// The session ended.
    SessionEnded(EndReason),
    /// Drop every piece of the session's personal data.
    Wipe,
    /// Call staff or remote help.
    CallHelp,
    /// Look up the scanned receipt's case (`Shell::tracking_case`) on the platform.
    LookUpCase,
    /// Have the platform verify the scanned login code (`Shell::login`).
    VerifyLogin,
}

/// Inputs to the shell.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// An ID card was read.
    CardPlaced(Applicant),
    /// The card that was read left the reader.
    CardRemoved,
    /// A card was seen but not read.
    CardReadFailed,
    /// Our receipt code was scanned (signature verified): track this case number.
    ReceiptScanned(String),
    /// An app login code was scanned: a token for the platform to verify.
    LoginScanned(LoginToken),
    /// An e-licence code was scanned.
    LicenceScanned(LicenceId),
    /// A code the kiosk does not know was scanned.
    UnknownCodeScanned,
    /// "继续办理" after the card was taken away.
    ContinueWithoutCard,
    /// Any touch on the screen.
    Touch,
    /// A service tile or button was tapped.
    Open(Service),
    /// "首页" was tapped.
    Home,
    /// "结束办理 / 退出" was tapped.
    Finish,
    /// "我还在" on the inactivity prompt.
    StillHere,
    /// The help overlay's close button.
    CloseHelp,
    /// The elder-mode switch.
    SetElder(bool),
    /// The language switch.
    SetLanguage(Language),
    /// Time passed.
    Tick(Duration),
    /// The kiosk ends the session (technician, shutdown).
    KioskEnd,
}

/// The configured timeouts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShellTimeouts {
    /// Idle time before the prompt.
    pub inactivity: Duration,
    /// Length of the prompt's countdown.
    pub countdown: Duration,
    /// Factor applied to both in elder mode.
    pub elder_factor: f32,
}

/// The shell's state.
#[derive(Debug, Clone)]
pub struct Shell {
    timeouts: ShellTimeouts,
    default_language: Language,
    screen: Screen,
    in_session: bool,
    elder: bool,
    language: Language,
    idle: Duration,
    countdown: Option<Duration>,
    help_open: bool,
    applicant: Option<Applicant>,
    card_away: bool,
    notice: Option<(Notice, Duration)>,
    tracking_case: Option<String>,
    login: Option<LoginToken>,
}

impl Shell {
    /// A shell on the attract screen.
    pub fn new(timeouts: ShellTimeouts, default_language: Language) -> Self {
        Self {
            timeouts,
            default_language,
            screen: Screen::Attract,
            in_session: false,
            elder: false,
            language: default_language,
            idle: Duration::ZERO,
            countdown: None,
            help_open: false,
            applicant: None,
            card_away: false,
            notice: None,
            tracking_case: None,
            login: None,
        }
    }

    /// The identified applicant, if any.
    pub fn applicant(&self) -> Option<&Applicant> {
        self.applicant.as_ref()
    }
    /// The applicant's card was taken away mid-session and the prompt is showing.
    pub fn card_away(&self) -> bool {
        self.card_away
    }
    /// The case number of the scanned receipt being tracked, if any.
    pub fn tracking_case(&self) -> Option<&str> {
        self.tracking_case.as_deref()
    }
    /// The scanned login code waiting for (or past) the platform's verification.
    pub fn login(&self) -> Option<&LoginToken> {
        self.login.as_ref()
    }
    /// The notice on screen, if any.
    pub fn notice(&self) -> Option<Notice> {
        self.notice.map(|(n, _)| n)
    }

    /// The screen the shell wants shown, before availability is taken into account.
    pub fn screen(&self) -> Screen {
        self.screen
    }
    /// Whether an applicant's session is running.
    pub fn in_session(&self) -> bool {
        self.in_session
    }
    /// Elder mode.
    pub fn elder(&self) -> bool {
        self.elder
    }
    /// Current language.
    pub fn language(&self) -> Language {
        self.language
    }
    /// Whether the help overlay is open.
    pub fn help_open(&self) -> bool {
        self.help_open
    }
    /// Seconds left on the "您还在吗？" countdown, when it is showing (rounded up).
    pub fn countdown_secs(&self) -> Option<u32> {
        self.countdown
            .map(|d| d.as_millis().div_ceil(1000).try_into().unwrap_or(u32::MAX))
    }

    fn scaled(&self, d: Duration) -> Duration {
        if self.elder {
            d.mul_f32(self.timeouts.elder_factor)
        } else {
            d
        }
    }

    /// Idle time before the prompt, as it applies now.
    pub fn inactivity_limit(&self) -> Duration {
        self.scaled(self.timeouts.inactivity)
    }

    /// Apply an input. `offered` says which services the devices allow now and `available`
    /// whether the kiosk can take a full session (all required devices usable).
    pub fn handle(
        &mut self,
        input: Input,
        offered: &[Service],
        available: bool,
    ) -> Vec<ShellEffect> {
        let mut fx = Vec::new();
        if !matches!(
            input,
            Input::Tick(_) | Input::CardRemoved | Input::CardReadFailed
        ) {
            self.idle = Duration::ZERO;
            self.countdown = None;
        }
        match input {
            Input::CardPlaced(applicant) => {
                self.card_placed(applicant, offered, available, &mut fx)
            }
            Input::CardRemoved => {
                if self.in_session && self.applicant.is_some() {
                    self.card_away = true;
                }
            }
            Input::CardReadFailed => self.notice = Some((Notice::CardReadFailed, NOTICE_TIME)),
            Input::ReceiptScanned(case) => self.receipt_scanned(case, offered, available, &mut fx),
            Input::LoginScanned(token) => self.login_scanned(token, offered, available, &mut fx),
            // No journey has a materials step yet; there a licence will attach as material.
            Input::LicenceScanned(_) => {
                self.notice = Some((Notice::LicenceOutsideMaterials, NOTICE_TIME))
            }
            Input::UnknownCodeScanned => {
                self.notice = Some((Notice::UnrecognisedCode, NOTICE_TIME))
            }
            Input::ContinueWithoutCard => self.card_away = false,
            Input::Touch => {
                if !self.in_session && self.screen == Screen::Attract && available {
                    self.start(true, &mut fx);
                    self.screen = Screen::Home;
                }
            }
            Input::Open(service) => {
                if !offered.contains(&service) {
                    // A disabled tile: nothing happens (the tile says why).
                } else if service == Service::Help {
                    self.help_open = true;
                    fx.push(ShellEffect::CallHelp);
                } else if let Some(screen) = service.screen() {
                    if !self.in_session {
                        self.start(available, &mut fx);
                    }
                    self.screen = screen;
                }
            }
            Input::Home => {
                if self.in_session {
                    self.screen = Screen::Home;
                }
            }
            Input::Finish => self.end(EndReason::Finished, &mut fx),
            Input::KioskEnd => self.end(EndReason::Kiosk, &mut fx),
            Input::StillHere => {}
            Input::CloseHelp => self.help_open = false,
            Input::SetElder(on) => self.elder = on,
            Input::SetLanguage(lang) => self.language = lang,
            Input::Tick(dt) => self.tick(dt, &mut fx),
        }
        fx
    }

    fn card_placed(
        &mut self,
        applicant: Applicant,
        offered: &[Service],
        available: bool,
        fx: &mut Vec<ShellEffect>,
    ) {
        if self.in_session {
            match &self.applicant {
                Some(current) if current.id == applicant.id => {
                    // The same card put back.
                    self.card_away = false;
                    return;
                }
                Some(_) => {
                    // Someone else: the previous person's session must not be seen by them.
                    self.end(EndReason::NewApplicant, fx);
                }
                None => {
                    self.applicant = Some(applicant);
                    return;
                }
            }
        }
        let identity_service = [Service::Apply, Service::Track, Service::Policies]
            .iter()
            .any(|s| offered.contains(s));
        if !available && !identity_service {
            self.notice = Some((Notice::CannotServeNow, NOTICE_TIME));
            return;
        }
        self.start(available, fx);
        self.screen = Screen::Home;
        self.applicant = Some(applicant);
    }

    /// A receipt routes to tracking, in the current session or a new one.
    fn receipt_scanned(
        &mut self,
        case: String,
        offered: &[Service],
        available: bool,
        fx: &mut Vec<ShellEffect>,
    ) {
        if !offered.contains(&Service::Track) {
            self.notice = Some((Notice::CannotServeNow, NOTICE_TIME));
            return;
        }
        if !self.in_session {
            self.start(available, fx);
        }
        self.screen = Screen::Tracking;
        self.tracking_case = Some(case);
        fx.push(ShellEffect::LookUpCase);
    }

    /// A login code identifies like a card: it starts a session, or replaces another
    /// person's.
    fn login_scanned(
        &mut self,
        token: LoginToken,
        offered: &[Service],
        available: bool,
        fx: &mut Vec<ShellEffect>,
    ) {
        if self.in_session {
            if self.login.as_ref() == Some(&token) {
                return;
            }
            if self.applicant.is_some() || self.login.is_some() {
                self.end(EndReason::NewApplicant, fx);
            }
        }
        let identity_service = [Service::Apply, Service::Track, Service::Policies]
            .iter()
            .any(|s| offered.contains(s));
        if !identity_service {
            self.notice = Some((Notice::CannotServeNow, NOTICE_TIME));
            return;
        }
        if !self.in_session {
            self.start(available, fx);
            self.screen = Screen::Home;
        }
        self.login = Some(token);
        self.notice = Some((Notice::LoginCodeReceived, NOTICE_TIME));
        fx.push(ShellEffect::VerifyLogin);
    }

    fn tick(&mut self, dt: Duration, fx: &mut Vec<ShellEffect>) {
        if let Some((n, left)) = self.notice {
            self.notice = left
                .checked_sub(dt)
                .filter(|d| !d.is_zero())
                .map(|d| (n, d));
        }
        if let Some(left) = self.countdown {
            match left.checked_sub(dt) {
                Some(rest) if !rest.is_zero() => self.countdown = Some(rest),
                _ => self.end(EndReason::Timeout, fx),
            }
            return;
        }
        self.idle += dt;
        if self.idle < self.inactivity_limit() {
            return;
        }
        if self.in_session {
            self.countdown = Some(self.scaled(self.timeouts.countdown));
        } else {
            // Nobody is here: forget the last passer-by's preferences and overlays.
            self.reset_preferences();
            self.idle = Duration::ZERO;
        }
    }

    fn start(&mut self, full: bool, fx: &mut Vec<ShellEffect>) {
        self.in_session = true;
        fx.push(ShellEffect::SessionStarted { full });
    }

    fn end(&mut self, reason: EndReason, fx: &mut Vec<ShellEffect>) {
        if self.in_session {
            fx.push(ShellEffect::SessionEnded(reason));
            fx.push(ShellEffect::Wipe);
        }
        self.in_session = false;
        self.screen = Screen::Attract;
        // Dropping the applicant zeroizes their name and number.
        self.applicant = None;
        self.card_away = false;
        self.tracking_case = None;
        self.login = None;
        self.reset_preferences();
    }

    fn reset_preferences(&mut self) {
        self.elder = false;
        self.language = self.default_language;
        self.help_open = false;
        self.countdown = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[Service] = &Service::ALL;
    const SEC: Duration = Duration::from_secs(1);

    fn shell() -> Shell {
        Shell::new(
            ShellTimeouts {
                inactivity: Duration::from_secs(60),
                countdown: Duration::from_secs(20),
                elder_factor: 2.0,
            },
            Language::Zh,
        )
    }

    fn ticks(s: &mut Shell, n: u32) -> Vec<ShellEffect> {
        (0..n)
            .flat_map(|_| s.handle(Input::Tick(SEC), ALL, true))
            .collect()
    }

    #[test]
    fn touch_on_attract_starts_a_session_on_home() {
        let mut s = shell();
        let fx = s.handle(Input::Touch, ALL, true);
        assert_eq!(fx, [ShellEffect::SessionStarted { full: true }]);
        assert_eq!(s.screen(), Screen::Home);
        assert!(s.in_session());
        // A second touch starts nothing new.
        assert!(s.handle(Input::Touch, ALL, true).is_empty());
    }

    #[test]
    fn touch_while_unavailable_starts_nothing() {
        let mut s = shell();
        assert!(s.handle(Input::Touch, &[Service::Help], false).is_empty());
        assert!(!s.in_session());
    }

    #[test]
    fn an_offered_service_starts_a_limited_session_when_unavailable() {
        let mut s = shell();
        let fx = s.handle(
            Input::Open(Service::Track),
            &[Service::Track, Service::Help],
            false,
        );
        assert_eq!(fx, [ShellEffect::SessionStarted { full: false }]);
        assert_eq!(s.screen(), Screen::Tracking);
    }

    #[test]
    fn a_service_that_is_not_offered_does_not_open() {
        let mut s = shell();
        s.handle(Input::Touch, ALL, true);
        assert!(
            s.handle(Input::Open(Service::Apply), &[Service::Track], true)
                .is_empty()
        );
        assert_eq!(s.screen(), Screen::Home);
    }

    #[test]
    fn help_opens_an_overlay_and_calls_staff_from_anywhere() {
        let mut s = shell();
        assert_eq!(
            s.handle(Input::Open(Service::Help), ALL, false),
            [ShellEffect::CallHelp]
        );
        assert!(s.help_open());
        assert!(!s.in_session());
        s.handle(Input::CloseHelp, ALL, false);
        assert!(!s.help_open());
    }

    #[test]
    fn inactivity_prompts_then_ends_and_wipes() {
        let mut s = shell();
        s.handle(Input::Touch, ALL, true);
        s.handle(Input::Open(Service::Apply), ALL, true);
        assert!(ticks(&mut s, 59).is_empty());
        assert_eq!(s.countdown_secs(), None);
        assert!(ticks(&mut s, 1).is_empty());
        assert_eq!(s.countdown_secs(), Some(20));
        assert!(ticks(&mut s, 19).is_empty());
        assert_eq!(s.countdown_secs(), Some(1));
        assert_eq!(
            ticks(&mut s, 1),
            [
                ShellEffect::SessionEnded(EndReason::Timeout),
                ShellEffect::Wipe
            ]
        );
        assert_eq!(s.screen(), Screen::Attract);
        assert!(!s.in_session());
        assert_eq!(s.countdown_secs(), None);
    }

    #[test]
    fn still_here_or_any_touch_dismisses_the_prompt() {
        let mut s = shell();
        s.handle(Input::Touch, ALL, true);
        ticks(&mut s, 65);
        assert!(s.countdown_secs().is_some());
        s.handle(Input::StillHere, ALL, true);
        assert_eq!(s.countdown_secs(), None);
        ticks(&mut s, 65);
        s.handle(Input::Touch, ALL, true);
        assert_eq!(s.countdown_secs(), None);
        assert!(s.in_session());
        assert_eq!(s.screen(), Screen::Home);
    }

    #[test]
    fn touches_reset_the_idle_time() {
        let mut s = shell();
        s.handle(Input::Touch, ALL, true);
        for _ in 0..5 {
            ticks(&mut s, 50);
            s.handle(Input::Touch, ALL, true);
        }
        assert_eq!(s.countdown_secs(), None);
    }

    #[test]
    fn elder_mode_doubles_the_timeouts() {
        let mut s = shell();
        s.handle(Input::Touch, ALL, true);
        s.handle(Input::SetElder(true), ALL, true);
        ticks(&mut s, 119);
        assert_eq!(s.countdown_secs(), None);
        ticks(&mut s, 1);
        assert_eq!(s.countdown_secs(), Some(40));
    }

    #[test]
    fn finishing_wipes_and_resets_preferences() {
        let mut s = shell();
        s.handle(Input::Touch, ALL, true);
        s.handle(Input::SetElder(true), ALL, true);
        s.handle(Input::SetLanguage(Language::En), ALL, true);
        let fx = s.handle(Input::Finish, ALL, true);
        assert_eq!(
            fx,
            [
                ShellEffect::SessionEnded(EndReason::Finished),
                ShellEffect::Wipe
            ]
        );
        assert!(!s.elder());
        assert_eq!(s.language(), Language::Zh);
        assert_eq!(s.screen(), Screen::Attract);
    }

    #[test]
    fn preferences_set_on_attract_fade_after_inactivity() {
        let mut s = shell();
        s.handle(Input::SetElder(true), ALL, true);
        assert!(!s.in_session());
        assert!(s.elder());
        ticks(&mut s, 120);
        assert!(!s.elder());
    }

    fn person(name: &str, id: &str) -> Applicant {
        Applicant {
            name: crate::privacy::PersonName::new(name),
            id: crate::privacy::IdNumber::new(id),
            document: "居民身份证",
            photo: None,
        }
    }

    #[test]
    fn a_card_on_the_attract_screen_starts_an_identified_session() {
        let mut s = shell();
        let fx = s.handle(
            Input::CardPlaced(person("张三", "11010519491231002X")),
            ALL,
            true,
        );
        assert_eq!(fx, [ShellEffect::SessionStarted { full: true }]);
        assert_eq!(s.screen(), Screen::Home);
        assert_eq!(s.applicant().map(|a| a.masked_name()), Some("张*".into()));
    }

    #[test]
    fn card_taken_away_prompts_and_put_back_dismisses() {
        let mut s = shell();
        let p = person("张三", "11010519491231002X");
        s.handle(Input::CardPlaced(p.clone()), ALL, true);
        s.handle(Input::CardRemoved, ALL, true);
        assert!(s.card_away());
        assert!(s.handle(Input::CardPlaced(p), ALL, true).is_empty());
        assert!(!s.card_away());
        s.handle(Input::CardRemoved, ALL, true);
        s.handle(Input::ContinueWithoutCard, ALL, true);
        assert!(!s.card_away());
        assert!(s.in_session());
    }

    #[test]
    fn another_persons_card_ends_the_session_and_starts_theirs() {
        let mut s = shell();
        s.handle(
            Input::CardPlaced(person("张三", "11010519491231002X")),
            ALL,
            true,
        );
        s.handle(Input::Open(Service::Apply), ALL, true);
        let fx = s.handle(
            Input::CardPlaced(person("李四", "440524188001010014")),
            ALL,
            true,
        );
        assert_eq!(
            fx,
            [
                ShellEffect::SessionEnded(EndReason::NewApplicant),
                ShellEffect::Wipe,
                ShellEffect::SessionStarted { full: true }
            ]
        );
        assert_eq!(s.screen(), Screen::Home);
        assert_eq!(s.applicant().map(|a| a.masked_name()), Some("李*".into()));
    }

    #[test]
    fn the_applicant_is_gone_after_the_session() {
        let mut s = shell();
        s.handle(
            Input::CardPlaced(person("张三", "11010519491231002X")),
            ALL,
            true,
        );
        s.handle(Input::Finish, ALL, true);
        assert!(s.applicant().is_none());
        // A removal after the session prompts nothing.
        s.handle(Input::CardRemoved, ALL, true);
        assert!(!s.card_away());
    }

    #[test]
    fn a_card_when_nothing_can_be_done_shows_a_notice() {
        let mut s = shell();
        let fx = s.handle(
            Input::CardPlaced(person("张三", "11010519491231002X")),
            &[Service::Help],
            false,
        );
        assert!(fx.is_empty());
        assert_eq!(s.notice(), Some(Notice::CannotServeNow));
        ticks(&mut s, 5);
        assert_eq!(s.notice(), None);
    }

    #[test]
    fn read_failures_show_a_notice_without_touching_the_session() {
        let mut s = shell();
        s.handle(Input::CardReadFailed, ALL, true);
        assert_eq!(s.notice(), Some(Notice::CardReadFailed));
        assert!(!s.in_session());
    }

    #[test]
    fn a_receipt_on_the_attract_screen_opens_tracking_with_its_case() {
        let mut s = shell();
        let fx = s.handle(Input::ReceiptScanned("CASE-1".into()), ALL, true);
        assert_eq!(
            fx,
            [
                ShellEffect::SessionStarted { full: true },
                ShellEffect::LookUpCase
            ]
        );
        assert_eq!(s.screen(), Screen::Tracking);
        assert_eq!(s.tracking_case(), Some("CASE-1"));
        s.handle(Input::Finish, ALL, true);
        assert_eq!(s.tracking_case(), None);
    }

    #[test]
    fn a_receipt_inside_a_session_keeps_the_applicant() {
        let mut s = shell();
        s.handle(
            Input::CardPlaced(person("张三", "11010519491231002X")),
            ALL,
            true,
        );
        let fx = s.handle(Input::ReceiptScanned("CASE-2".into()), ALL, true);
        assert_eq!(fx, [ShellEffect::LookUpCase]);
        assert_eq!(s.screen(), Screen::Tracking);
        assert!(s.applicant().is_some());
    }

    #[test]
    fn a_receipt_when_tracking_is_not_offered_shows_a_notice() {
        let mut s = shell();
        let fx = s.handle(
            Input::ReceiptScanned("CASE-1".into()),
            &[Service::Help],
            false,
        );
        assert!(fx.is_empty());
        assert_eq!(s.notice(), Some(Notice::CannotServeNow));
        assert!(!s.in_session());
    }

    fn token(t: &str) -> LoginToken {
        LoginToken::new(t)
    }

    #[test]
    fn a_login_code_starts_an_identified_session() {
        let mut s = shell();
        let fx = s.handle(
            Input::LoginScanned(token("tok-aaaaaaaaaaaaaaaa")),
            ALL,
            true,
        );
        assert_eq!(
            fx,
            [
                ShellEffect::SessionStarted { full: true },
                ShellEffect::VerifyLogin
            ]
        );
        assert_eq!(s.screen(), Screen::Home);
        assert_eq!(s.login().map(|t| t.expose()), Some("tok-aaaaaaaaaaaaaaaa"));
        assert_eq!(s.notice(), Some(Notice::LoginCodeReceived));
        // The same code again changes nothing.
        assert!(
            s.handle(
                Input::LoginScanned(token("tok-aaaaaaaaaaaaaaaa")),
                ALL,
                true
            )
            .is_empty()
        );
    }

    #[test]
    fn another_login_code_replaces_the_session_and_wipes() {
        let mut s = shell();
        s.handle(
            Input::CardPlaced(person("张三", "11010519491231002X")),
            ALL,
            true,
        );
        let fx = s.handle(
            Input::LoginScanned(token("tok-bbbbbbbbbbbbbbbb")),
            ALL,
            true,
        );
        assert_eq!(
            fx,
            [
                ShellEffect::SessionEnded(EndReason::NewApplicant),
                ShellEffect::Wipe,
                ShellEffect::SessionStarted { full: true },
                ShellEffect::VerifyLogin
            ]
        );
        assert!(s.applicant().is_none());
        s.handle(Input::Finish, ALL, true);
        assert!(s.login().is_none());
    }

    #[test]
    fn a_login_code_in_an_anonymous_session_identifies_it() {
        let mut s = shell();
        s.handle(Input::Touch, ALL, true);
        s.handle(Input::Open(Service::Apply), ALL, true);
        let fx = s.handle(
            Input::LoginScanned(token("tok-cccccccccccccccc")),
            ALL,
            true,
        );
        assert_eq!(fx, [ShellEffect::VerifyLogin]);
        assert_eq!(s.screen(), Screen::Services);
    }

    #[test]
    fn unknown_codes_and_stray_licences_only_show_a_notice() {
        let mut s = shell();
        assert!(s.handle(Input::UnknownCodeScanned, ALL, true).is_empty());
        assert_eq!(s.notice(), Some(Notice::UnrecognisedCode));
        assert!(!s.in_session());
        let fx = s.handle(
            Input::LicenceScanned(LicenceId::new("1.2.156.3005.2.A.B.C")),
            ALL,
            true,
        );
        assert!(fx.is_empty());
        assert_eq!(s.notice(), Some(Notice::LicenceOutsideMaterials));
        ticks(&mut s, 5);
        assert_eq!(s.notice(), None);
    }

    #[test]
    fn finish_outside_a_session_has_no_effect() {
        let mut s = shell();
        assert!(s.handle(Input::Finish, ALL, true).is_empty());
        assert!(s.handle(Input::Home, ALL, true).is_empty());
        assert_eq!(s.screen(), Screen::Attract);
    }
}
