//! One status vocabulary for every device, after XFS4IoT `Common.Status`: a device is online,
//! offline, absent, broken, waiting for the person in front of it (paper out, cover open, card
//! left in) or busy, plus the state of its media where it has any (paper, cards).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The kinds of peripheral a kiosk can have. Each appears at most once per kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceKind {
    /// ID-card reader (SAM protocol).
    IdCard,
    /// Receipt printer (ESC/POS).
    Printer,
    /// QR/barcode scanner.
    Scanner,
    /// Document camera (高拍仪).
    Camera,
    /// GPIO: call-for-help button, lights, door switch.
    Gpio,
}

impl DeviceKind {
    /// Every kind, in display order.
    pub const ALL: [DeviceKind; 5] = [
        DeviceKind::IdCard,
        DeviceKind::Printer,
        DeviceKind::Scanner,
        DeviceKind::Camera,
        DeviceKind::Gpio,
    ];

    /// The configuration and log key (`id-card`, `printer`, …).
    pub fn key(self) -> &'static str {
        match self {
            DeviceKind::IdCard => "id-card",
            DeviceKind::Printer => "printer",
            DeviceKind::Scanner => "scanner",
            DeviceKind::Camera => "camera",
            DeviceKind::Gpio => "gpio",
        }
    }

    /// The name an applicant or technician sees on screen, in Chinese.
    pub fn label_zh(self) -> &'static str {
        match self {
            DeviceKind::IdCard => "身份证阅读器",
            DeviceKind::Printer => "回执打印机",
            DeviceKind::Scanner => "扫码器",
            DeviceKind::Camera => "高拍仪",
            DeviceKind::Gpio => "呼叫按钮与指示灯",
        }
    }

    /// The name in English.
    pub fn label_en(self) -> &'static str {
        match self {
            DeviceKind::IdCard => "ID-card reader",
            DeviceKind::Printer => "receipt printer",
            DeviceKind::Scanner => "code scanner",
            DeviceKind::Camera => "document camera",
            DeviceKind::Gpio => "help button and lights",
        }
    }
}

impl fmt::Display for DeviceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Why a device waits for the person in front of it (or for staff) rather than being broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UserErrorReason {
    /// Printer: no paper.
    PaperOut,
    /// Printer: paper jammed in the mechanism or presenter.
    PaperJam,
    /// Printer or reader: a cover or door is open.
    CoverOpen,
    /// ID-card reader: a card stayed on the reader after the session.
    CardLeftIn,
    /// Printer with presenter: the last receipt was not taken.
    ReceiptNotTaken,
}

impl UserErrorReason {
    /// English, for the technician's log and screens.
    pub fn describe(self) -> &'static str {
        match self {
            UserErrorReason::PaperOut => "paper out",
            UserErrorReason::PaperJam => "paper jam",
            UserErrorReason::CoverOpen => "cover open",
            UserErrorReason::CardLeftIn => "card left in",
            UserErrorReason::ReceiptNotTaken => "receipt not taken",
        }
    }

    /// Chinese, for the screen.
    pub fn describe_zh(self) -> &'static str {
        match self {
            UserErrorReason::PaperOut => "缺纸",
            UserErrorReason::PaperJam => "卡纸",
            UserErrorReason::CoverOpen => "机盖未关",
            UserErrorReason::CardLeftIn => "证件未取走",
            UserErrorReason::ReceiptNotTaken => "回执未取走",
        }
    }
}

/// The state of a device (XFS4IoT `Common.Status.device`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "reason")]
pub enum DeviceState {
    /// Connected and ready.
    Online,
    /// Configured and was there, but does not answer now (unplugged, port closed, timeout).
    Offline,
    /// Configured, but nothing was ever found at the configured port.
    NoDevice,
    /// The device reports a fault that needs a technician.
    HardwareError,
    /// The device needs the applicant or staff to act (paper out, card left in, …).
    UserError(UserErrorReason),
    /// Working on a command; still counts as usable.
    Busy,
}

impl DeviceState {
    /// Whether a journey can use the device in this state.
    pub fn is_usable(self) -> bool {
        matches!(self, DeviceState::Online | DeviceState::Busy)
    }

    /// English, for the log and technician screens.
    pub fn describe(self) -> String {
        match self {
            DeviceState::Online => "online".into(),
            DeviceState::Offline => "offline".into(),
            DeviceState::NoDevice => "no device".into(),
            DeviceState::HardwareError => "hardware error".into(),
            DeviceState::UserError(r) => format!("user error: {}", r.describe()),
            DeviceState::Busy => "busy".into(),
        }
    }

    /// Chinese, for the screen.
    pub fn describe_zh(self) -> &'static str {
        match self {
            DeviceState::Online => "正常",
            DeviceState::Offline => "未连接",
            DeviceState::NoDevice => "未检测到设备",
            DeviceState::HardwareError => "设备故障",
            DeviceState::UserError(r) => r.describe_zh(),
            DeviceState::Busy => "工作中",
        }
    }
}

/// The state of a device's media, where it has any (XFS4IoT `media` / `paper`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MediaState {
    /// The device has no media, or does not report it.
    #[default]
    NotApplicable,
    /// Unknown (device offline, status not yet read).
    Unknown,
    /// Enough media.
    Ok,
    /// Paper near its end: still usable, the technician should refill soon.
    NearEnd,
    /// No media.
    Out,
    /// Media jammed.
    Jammed,
    /// A card or document is present in or on the device.
    Present,
}

/// A device's full status: its state plus its media.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeviceStatus {
    /// Device state.
    pub state: DeviceState,
    /// Media state.
    pub media: MediaState,
}

impl DeviceStatus {
    /// Online, media as given.
    pub const fn online(media: MediaState) -> Self {
        Self {
            state: DeviceState::Online,
            media,
        }
    }

    /// A status in the given state; media unknown unless online.
    pub const fn new(state: DeviceState) -> Self {
        let media = match state {
            DeviceState::UserError(UserErrorReason::PaperOut) => MediaState::Out,
            DeviceState::UserError(UserErrorReason::PaperJam) => MediaState::Jammed,
            DeviceState::UserError(UserErrorReason::CardLeftIn) => MediaState::Present,
            DeviceState::Online | DeviceState::Busy => MediaState::NotApplicable,
            _ => MediaState::Unknown,
        };
        Self { state, media }
    }

    /// Whether a journey can use the device now.
    pub fn is_usable(&self) -> bool {
        self.state.is_usable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_online_and_busy_are_usable() {
        let usable: Vec<_> = [
            DeviceState::Online,
            DeviceState::Offline,
            DeviceState::NoDevice,
            DeviceState::HardwareError,
            DeviceState::UserError(UserErrorReason::PaperOut),
            DeviceState::Busy,
        ]
        .into_iter()
        .filter(|s| s.is_usable())
        .collect();
        assert_eq!(usable, [DeviceState::Online, DeviceState::Busy]);
    }

    #[test]
    fn user_errors_imply_their_media_state() {
        assert_eq!(
            DeviceStatus::new(DeviceState::UserError(UserErrorReason::PaperOut)).media,
            MediaState::Out
        );
        assert_eq!(
            DeviceStatus::new(DeviceState::UserError(UserErrorReason::CardLeftIn)).media,
            MediaState::Present
        );
        assert_eq!(
            DeviceStatus::new(DeviceState::Offline).media,
            MediaState::Unknown
        );
    }

    #[test]
    fn states_serialise_in_kebab_case_with_reason() {
        let s = serde_json_like(DeviceState::UserError(UserErrorReason::CoverOpen));
        assert_eq!(s, "state = \"user-error\"\nreason = \"cover-open\"\n");
    }

    fn serde_json_like(state: DeviceState) -> String {
        toml::to_string(&state).unwrap_or_default()
    }

    #[test]
    fn every_kind_has_distinct_key_and_labels() {
        let keys: std::collections::BTreeSet<_> = DeviceKind::ALL.iter().map(|k| k.key()).collect();
        assert_eq!(keys.len(), DeviceKind::ALL.len());
        for k in DeviceKind::ALL {
            assert!(!k.label_zh().is_empty() && !k.label_en().is_empty());
        }
    }
}
