//! `KioskCore`: the kiosk's whole decision state in one pure value — the availability machine,
//! the applicant shell and the services the devices allow now — and the `View` the UI renders
//! from it. The UI bridge feeds it touches, ticks and device statuses; nothing here touches a
//! window, a device or a clock, so every rule is testable on its own.

use super::availability::{
    Availability, AvailabilityEvent, AvailabilityMachine, UnavailableReason,
};
use super::config::{Config, Language};
use crate::devices::{DeviceKind, DeviceStatus};
use crate::session::{Input, Notice, Screen, Service, Shell, ShellEffect, ShellTimeouts};
use std::time::Duration;

/// What the UI shows, derived from the core.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// The screen to show.
    pub screen: Screen,
    /// The kiosk is still starting (waiting for required devices).
    pub starting: bool,
    /// Elder mode.
    pub elder: bool,
    /// Language.
    pub language: Language,
    /// The help overlay is open.
    pub help_open: bool,
    /// Seconds left on "您还在吗？", when shown.
    pub countdown: Option<u32>,
    /// Services that can be used now.
    pub offered: Vec<Service>,
    /// Why the kiosk is out of service (empty when it is not).
    pub reasons: Vec<UnavailableReason>,
    /// The kiosk's availability.
    pub availability: Availability,
    /// The identified applicant's masked name.
    pub applicant: Option<String>,
    /// The identified applicant's photo, when decoded.
    pub applicant_photo: Option<crate::devices::idcard::photo::Photo>,
    /// The applicant's card was taken away mid-session.
    pub card_away: bool,
    /// A short notice over the screen.
    pub notice: Option<Notice>,
    /// The case number of a scanned receipt, on the tracking screen.
    pub tracking_case: Option<String>,
}

/// The kiosk's decision state.
#[derive(Debug, Clone)]
pub struct KioskCore {
    shell: Shell,
    availability: AvailabilityMachine,
    enabled: Vec<DeviceKind>,
    init_left: Duration,
}

impl KioskCore {
    /// A core for this configuration, initializing.
    pub fn new(config: &Config) -> Self {
        let t = &config.timeouts;
        Self {
            shell: Shell::new(
                ShellTimeouts {
                    inactivity: Duration::from_secs(t.inactivity_secs.into()),
                    countdown: Duration::from_secs(t.countdown_secs.into()),
                    elder_factor: t.elder_factor,
                },
                config.kiosk.language,
            ),
            availability: AvailabilityMachine::new(config.devices.required()),
            enabled: config.devices.enabled(),
            init_left: Duration::from_secs(t.device_init_secs.into()),
        }
    }

    /// The availability state.
    pub fn availability(&self) -> Availability {
        self.availability.state()
    }

    /// The devices this kiosk has.
    pub fn enabled_devices(&self) -> &[DeviceKind] {
        &self.enabled
    }

    /// Whether the configuration requires this device.
    pub fn is_required(&self, kind: DeviceKind) -> bool {
        self.availability.is_required(kind)
    }

    /// The last status of a device, if it reported.
    pub fn device_status(&self, kind: DeviceKind) -> Option<DeviceStatus> {
        self.availability.status(kind)
    }

    /// The services the devices allow now.
    pub fn offered(&self) -> Vec<Service> {
        let state = self.availability.state();
        let held = self
            .availability
            .reasons()
            .contains(&UnavailableReason::TechnicianHold);
        if state == Availability::Initializing || (held && state != Availability::Active) {
            return vec![Service::Help];
        }
        let usable = |k| self.availability.is_usable(k);
        let identify = usable(DeviceKind::IdCard) || usable(DeviceKind::Scanner);
        let print = usable(DeviceKind::Printer) || !self.enabled.contains(&DeviceKind::Printer);
        Service::ALL
            .into_iter()
            .filter(|s| match s {
                Service::Apply => identify && print,
                Service::Track | Service::Policies => identify,
                Service::Rate | Service::Help => true,
            })
            .collect()
    }

    /// A device reported its status. Returns the availability transition, if any.
    pub fn device(
        &mut self,
        kind: DeviceKind,
        status: DeviceStatus,
    ) -> Option<(Availability, Availability)> {
        let before = self.availability.state();
        let after = self
            .availability
            .handle(AvailabilityEvent::Device(kind, status))
            .unwrap_or(before);
        (before != after).then_some((before, after))
    }

    /// A technician takes the kiosk out of service, or puts it back.
    pub fn technician_hold(&mut self, on: bool) -> Option<(Availability, Availability)> {
        let before = self.availability.state();
        let after = self
            .availability
            .handle(AvailabilityEvent::TechnicianHold(on))
            .unwrap_or(before);
        (before != after).then_some((before, after))
    }

    /// Apply an applicant input or a tick.
    pub fn input(&mut self, input: Input) -> Vec<ShellEffect> {
        if let Input::Tick(dt) = input
            && self.availability.state() == Availability::Initializing
        {
            self.init_left = self.init_left.saturating_sub(dt);
            if self.init_left.is_zero() {
                let _ = self.availability.handle(AvailabilityEvent::InitTimedOut);
            }
        }
        let offered = self.offered();
        let available = self.availability.state() == Availability::Available;
        let effects = self.shell.handle(input, &offered, available);
        for fx in &effects {
            let event = match fx {
                ShellEffect::SessionStarted { full: true } => AvailabilityEvent::SessionStarted,
                ShellEffect::SessionEnded(_) => AvailabilityEvent::SessionEnded,
                _ => continue,
            };
            // A full session starts only when the machine is Available (checked above), and
            // a session end outside Active is a no-op, so neither can be refused here.
            let _ = self.availability.handle(event);
        }
        effects
    }

    /// What the UI shows now.
    pub fn view(&self) -> View {
        let availability = self.availability.state();
        let screen = if self.shell.in_session() {
            self.shell.screen()
        } else if availability == Availability::Unavailable {
            Screen::OutOfService
        } else {
            Screen::Attract
        };
        View {
            screen,
            starting: availability == Availability::Initializing,
            elder: self.shell.elder(),
            language: self.shell.language(),
            help_open: self.shell.help_open(),
            countdown: self.shell.countdown_secs(),
            offered: self.offered(),
            reasons: self.availability.reasons(),
            availability,
            applicant: self.shell.applicant().map(|a| a.masked_name()),
            applicant_photo: self.shell.applicant().and_then(|a| a.photo.clone()),
            card_away: self.shell.card_away(),
            notice: self.shell.notice(),
            tracking_case: self.shell.tracking_case().map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::{DeviceState, MediaState, UserErrorReason};
    use std::path::PathBuf;

    const ONLINE: DeviceStatus = DeviceStatus::online(MediaState::Ok);
    const PAPER_OUT: DeviceStatus =
        DeviceStatus::new(DeviceState::UserError(UserErrorReason::PaperOut));
    const OFFLINE: DeviceStatus = DeviceStatus::new(DeviceState::Offline);

    fn core_all_online() -> KioskCore {
        let mut c = KioskCore::new(&Config::demo(PathBuf::from("/tmp/x")));
        for k in DeviceKind::ALL {
            c.device(k, ONLINE);
        }
        c
    }

    #[test]
    fn starting_shows_attract_and_offers_only_help() {
        let c = KioskCore::new(&Config::demo(PathBuf::from("/tmp/x")));
        let v = c.view();
        assert!(v.starting);
        assert_eq!(v.screen, Screen::Attract);
        assert_eq!(v.offered, [Service::Help]);
    }

    #[test]
    fn init_deadline_puts_a_silent_kiosk_out_of_service() {
        let mut c = KioskCore::new(&Config::demo(PathBuf::from("/tmp/x")));
        for _ in 0..29 {
            c.input(Input::Tick(Duration::from_secs(1)));
        }
        assert_eq!(c.availability(), Availability::Initializing);
        c.input(Input::Tick(Duration::from_secs(1)));
        assert_eq!(c.availability(), Availability::Unavailable);
        assert_eq!(c.view().screen, Screen::OutOfService);
    }

    #[test]
    fn a_touch_makes_the_kiosk_active() {
        let mut c = core_all_online();
        assert_eq!(c.availability(), Availability::Available);
        c.input(Input::Touch);
        assert_eq!(c.availability(), Availability::Active);
        assert_eq!(c.view().screen, Screen::Home);
        c.input(Input::Finish);
        assert_eq!(c.availability(), Availability::Available);
        assert_eq!(c.view().screen, Screen::Attract);
    }

    #[test]
    fn paper_out_shows_out_of_service_with_what_still_works() {
        let mut c = core_all_online();
        assert_eq!(
            c.device(DeviceKind::Printer, PAPER_OUT),
            Some((Availability::Available, Availability::Unavailable))
        );
        let v = c.view();
        assert_eq!(v.screen, Screen::OutOfService);
        assert_eq!(
            v.offered,
            [
                Service::Track,
                Service::Policies,
                Service::Rate,
                Service::Help
            ]
        );
        assert_eq!(
            v.reasons,
            [UnavailableReason::Device(
                DeviceKind::Printer,
                Some(PAPER_OUT)
            )]
        );
        // Tracking still works, in a limited session that does not make the kiosk Active.
        c.input(Input::Open(Service::Track));
        assert_eq!(c.view().screen, Screen::Tracking);
        assert_eq!(c.availability(), Availability::Unavailable);
        c.input(Input::Finish);
        assert_eq!(c.view().screen, Screen::OutOfService);
    }

    #[test]
    fn the_printer_failing_mid_session_keeps_the_session() {
        let mut c = core_all_online();
        c.input(Input::Touch);
        c.input(Input::Open(Service::Apply));
        c.device(DeviceKind::Printer, OFFLINE);
        let v = c.view();
        assert_eq!(v.screen, Screen::Services);
        assert_eq!(v.availability, Availability::Active);
        assert!(!v.offered.contains(&Service::Apply));
        c.input(Input::Finish);
        assert_eq!(c.view().screen, Screen::OutOfService);
    }

    #[test]
    fn without_reader_or_scanner_nothing_needing_identity_is_offered() {
        let mut c = core_all_online();
        c.device(DeviceKind::IdCard, OFFLINE);
        c.device(DeviceKind::Scanner, OFFLINE);
        assert_eq!(c.offered(), [Service::Rate, Service::Help]);
    }

    #[test]
    fn the_scanner_alone_still_identifies() {
        let mut c = core_all_online();
        c.device(DeviceKind::IdCard, OFFLINE);
        assert!(c.offered().contains(&Service::Apply));
        // ...but the reader is required, so the kiosk is out of service with a limited offer.
        assert_eq!(c.view().screen, Screen::OutOfService);
    }

    #[test]
    fn technician_hold_offers_only_help() {
        let mut c = core_all_online();
        c.technician_hold(true);
        assert_eq!(c.offered(), [Service::Help]);
        assert_eq!(c.view().screen, Screen::OutOfService);
        c.technician_hold(false);
        assert_eq!(c.view().screen, Screen::Attract);
    }
}
