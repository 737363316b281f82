//! The kiosk's availability (after CUSS 2): `Initializing → Unavailable ⇄ Available ⇄ Active`,
//! derived from the status of the devices the configuration marks *required* and from a
//! technician's hold. Pure: events in, state out, no clock and no I/O.
//!
//! Rules:
//! - `Initializing` lasts until every required device has reported once, or the start-up
//!   deadline passes (`InitTimedOut`); then the kiosk is `Available` if every required device is
//!   usable and no technician hold is set, else `Unavailable`.
//! - `Available ⇄ Unavailable` follows the required devices and the hold.
//! - `Available → Active` when an applicant's session starts; a session cannot start in any other
//!   state.
//! - While `Active`, device changes are recorded but the state stays `Active`: a printer blip
//!   never resets an applicant's session. When the session ends, the state is recomputed.

use crate::devices::{DeviceKind, DeviceStatus};
use std::collections::{BTreeMap, BTreeSet};

/// The kiosk's availability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Started; waiting for required devices to report.
    Initializing,
    /// Out of service: a required device is unusable or a technician holds the kiosk.
    Unavailable,
    /// Ready for an applicant.
    Available,
    /// An applicant's session is running.
    Active,
}

/// What can change the availability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AvailabilityEvent {
    /// A device reported its status.
    Device(DeviceKind, DeviceStatus),
    /// The start-up deadline passed.
    InitTimedOut,
    /// An applicant's session started (only accepted while `Available`).
    SessionStarted,
    /// The applicant's session ended.
    SessionEnded,
    /// A technician took the kiosk out of service (`true`) or back (`false`).
    TechnicianHold(bool),
}

/// Why the kiosk is unavailable, for the out-of-service screen and the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnavailableReason {
    /// A required device is unusable (or has not reported).
    Device(DeviceKind, Option<DeviceStatus>),
    /// A technician holds the kiosk out of service.
    TechnicianHold,
}

/// Error returned when a session is asked to start while the kiosk cannot take one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a session cannot start while the kiosk is {0:?}")]
pub struct NotAvailable(pub Availability);

/// The availability state machine.
#[derive(Debug, Clone)]
pub struct AvailabilityMachine {
    required: BTreeSet<DeviceKind>,
    statuses: BTreeMap<DeviceKind, DeviceStatus>,
    state: Availability,
    hold: bool,
}

impl AvailabilityMachine {
    /// A machine for a kiosk whose configuration requires these devices.
    pub fn new(required: impl IntoIterator<Item = DeviceKind>) -> Self {
        let mut m = Self {
            required: required.into_iter().collect(),
            statuses: BTreeMap::new(),
            state: Availability::Initializing,
            hold: false,
        };
        // With nothing required there is nothing to wait for.
        if m.required.is_empty() {
            m.state = m.settled();
        }
        m
    }

    /// The current state.
    pub fn state(&self) -> Availability {
        self.state
    }

    /// The last status each device reported.
    pub fn statuses(&self) -> &BTreeMap<DeviceKind, DeviceStatus> {
        &self.statuses
    }

    /// The last status of one device, if it reported.
    pub fn status(&self, kind: DeviceKind) -> Option<DeviceStatus> {
        self.statuses.get(&kind).copied()
    }

    /// Whether this device is required.
    pub fn is_required(&self, kind: DeviceKind) -> bool {
        self.required.contains(&kind)
    }

    /// Whether a device reported a usable status.
    pub fn is_usable(&self, kind: DeviceKind) -> bool {
        self.statuses.get(&kind).is_some_and(|s| s.is_usable())
    }

    /// Why the kiosk is (or would be, once idle) unavailable; empty when nothing blocks it.
    pub fn reasons(&self) -> Vec<UnavailableReason> {
        let mut out: Vec<_> = self
            .required
            .iter()
            .filter(|k| !self.is_usable(**k))
            .map(|k| UnavailableReason::Device(*k, self.status(*k)))
            .collect();
        if self.hold {
            out.push(UnavailableReason::TechnicianHold);
        }
        out
    }

    /// Apply an event; returns the new state. A session start that is not allowed is an error
    /// and changes nothing.
    pub fn handle(&mut self, event: AvailabilityEvent) -> Result<Availability, NotAvailable> {
        match event {
            AvailabilityEvent::Device(kind, status) => {
                self.statuses.insert(kind, status);
                match self.state {
                    Availability::Initializing => {
                        if self.required.iter().all(|k| self.statuses.contains_key(k)) {
                            self.state = self.settled();
                        }
                    }
                    Availability::Available | Availability::Unavailable => {
                        self.state = self.settled();
                    }
                    Availability::Active => {}
                }
            }
            AvailabilityEvent::InitTimedOut => {
                if self.state == Availability::Initializing {
                    self.state = self.settled();
                }
            }
            AvailabilityEvent::SessionStarted => {
                if self.state != Availability::Available {
                    return Err(NotAvailable(self.state));
                }
                self.state = Availability::Active;
            }
            AvailabilityEvent::SessionEnded => {
                if self.state == Availability::Active {
                    self.state = self.settled();
                }
            }
            AvailabilityEvent::TechnicianHold(on) => {
                self.hold = on;
                if matches!(
                    self.state,
                    Availability::Available | Availability::Unavailable
                ) {
                    self.state = self.settled();
                }
            }
        }
        Ok(self.state)
    }

    fn settled(&self) -> Availability {
        if self.reasons().is_empty() {
            Availability::Available
        } else {
            Availability::Unavailable
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::{DeviceState, MediaState, UserErrorReason};
    use Availability::*;
    use AvailabilityEvent as E;
    use DeviceKind::*;

    const ONLINE: DeviceStatus = DeviceStatus::online(MediaState::Ok);
    const OFFLINE: DeviceStatus = DeviceStatus::new(DeviceState::Offline);
    const PAPER_OUT: DeviceStatus =
        DeviceStatus::new(DeviceState::UserError(UserErrorReason::PaperOut));
    const BUSY: DeviceStatus = DeviceStatus::new(DeviceState::Busy);

    fn ready() -> AvailabilityMachine {
        let mut m = AvailabilityMachine::new([IdCard, Printer]);
        m.handle(E::Device(IdCard, ONLINE)).unwrap();
        m.handle(E::Device(Printer, ONLINE)).unwrap();
        m
    }

    #[test]
    fn starts_initializing_and_waits_for_every_required_device() {
        let mut m = AvailabilityMachine::new([IdCard, Printer]);
        assert_eq!(m.state(), Initializing);
        assert_eq!(m.handle(E::Device(IdCard, ONLINE)), Ok(Initializing));
        // An optional device does not end initialization.
        assert_eq!(m.handle(E::Device(Scanner, ONLINE)), Ok(Initializing));
        assert_eq!(m.handle(E::Device(Printer, ONLINE)), Ok(Available));
    }

    #[test]
    fn initializing_to_unavailable_when_a_required_device_reports_bad() {
        let mut m = AvailabilityMachine::new([IdCard, Printer]);
        m.handle(E::Device(IdCard, ONLINE)).unwrap();
        assert_eq!(m.handle(E::Device(Printer, PAPER_OUT)), Ok(Unavailable));
        assert_eq!(
            m.reasons(),
            [UnavailableReason::Device(Printer, Some(PAPER_OUT))]
        );
    }

    #[test]
    fn initializing_to_unavailable_on_timeout_with_a_silent_device() {
        let mut m = AvailabilityMachine::new([IdCard, Printer]);
        m.handle(E::Device(IdCard, ONLINE)).unwrap();
        assert_eq!(m.handle(E::InitTimedOut), Ok(Unavailable));
        assert_eq!(m.reasons(), [UnavailableReason::Device(Printer, None)]);
    }

    #[test]
    fn initializing_to_available_on_timeout_when_all_reported_fine() {
        // Nothing required: available at once; the timeout changes nothing.
        let mut m = AvailabilityMachine::new([]);
        assert_eq!(m.state(), Available);
        assert_eq!(m.handle(E::InitTimedOut), Ok(Available));
    }

    #[test]
    fn a_session_cannot_start_while_initializing_or_unavailable() {
        let mut m = AvailabilityMachine::new([IdCard]);
        assert_eq!(m.handle(E::SessionStarted), Err(NotAvailable(Initializing)));
        m.handle(E::Device(IdCard, OFFLINE)).unwrap();
        assert_eq!(m.handle(E::SessionStarted), Err(NotAvailable(Unavailable)));
        assert_eq!(m.state(), Unavailable);
    }

    #[test]
    fn available_unavailable_and_back_follow_required_devices() {
        let mut m = ready();
        assert_eq!(m.handle(E::Device(Printer, PAPER_OUT)), Ok(Unavailable));
        assert_eq!(m.handle(E::Device(Printer, ONLINE)), Ok(Available));
        // Busy is usable.
        assert_eq!(m.handle(E::Device(IdCard, BUSY)), Ok(Available));
        // Optional devices never make the kiosk unavailable.
        assert_eq!(m.handle(E::Device(Scanner, OFFLINE)), Ok(Available));
    }

    #[test]
    fn available_to_active_and_back() {
        let mut m = ready();
        assert_eq!(m.handle(E::SessionStarted), Ok(Active));
        assert_eq!(m.handle(E::SessionStarted), Err(NotAvailable(Active)));
        assert_eq!(m.handle(E::SessionEnded), Ok(Available));
    }

    #[test]
    fn a_device_failure_during_a_session_keeps_it_active() {
        let mut m = ready();
        m.handle(E::SessionStarted).unwrap();
        assert_eq!(m.handle(E::Device(Printer, PAPER_OUT)), Ok(Active));
        // The session ends into the out-of-service state.
        assert_eq!(m.handle(E::SessionEnded), Ok(Unavailable));
    }

    #[test]
    fn a_blip_during_a_session_leaves_no_trace() {
        let mut m = ready();
        m.handle(E::SessionStarted).unwrap();
        m.handle(E::Device(Printer, OFFLINE)).unwrap();
        m.handle(E::Device(Printer, ONLINE)).unwrap();
        assert_eq!(m.handle(E::SessionEnded), Ok(Available));
    }

    #[test]
    fn technician_hold_takes_the_kiosk_out_and_back() {
        let mut m = ready();
        assert_eq!(m.handle(E::TechnicianHold(true)), Ok(Unavailable));
        assert_eq!(m.reasons(), [UnavailableReason::TechnicianHold]);
        assert_eq!(m.handle(E::TechnicianHold(false)), Ok(Available));
    }

    #[test]
    fn technician_hold_waits_for_the_session_to_end() {
        let mut m = ready();
        m.handle(E::SessionStarted).unwrap();
        assert_eq!(m.handle(E::TechnicianHold(true)), Ok(Active));
        assert_eq!(m.handle(E::SessionEnded), Ok(Unavailable));
    }

    #[test]
    fn session_end_outside_a_session_changes_nothing() {
        let mut m = ready();
        assert_eq!(m.handle(E::SessionEnded), Ok(Available));
        let mut m = AvailabilityMachine::new([IdCard]);
        assert_eq!(m.handle(E::SessionEnded), Ok(Initializing));
    }

    #[test]
    fn init_timeout_after_initialization_changes_nothing() {
        let mut m = ready();
        assert_eq!(m.handle(E::InitTimedOut), Ok(Available));
        m.handle(E::SessionStarted).unwrap();
        assert_eq!(m.handle(E::InitTimedOut), Ok(Active));
    }
}
