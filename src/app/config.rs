//! The kiosk's one configuration file (`/etc/zhengwu-kiosk/kiosk.toml` on a kiosk): types,
//! defaults, validation, and the commented default file that `kiosk config --print-default`
//! prints. The commented file is the documentation of every key; a test keeps it and
//! `Config::default()` identical.

use crate::devices::DeviceKind;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Where a kiosk looks for its configuration when none is given.
pub const DEFAULT_CONFIG_PATH: &str = "/etc/zhengwu-kiosk/kiosk.toml";

/// The default configuration, with every key documented. Printed by `kiosk config --print-default`.
pub const DEFAULT_TOML: &str = include_str!("default-config.toml");

/// What can be wrong with a configuration file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read configuration file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this version, or has unknown keys.
    #[error("configuration file {path} is invalid: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The TOML parser's message (line, column, key).
        message: String,
    },
    /// A value is out of range or inconsistent with another.
    #[error("configuration key `{key}` is invalid: {why}")]
    Invalid {
        /// Dotted key, e.g. `kiosk.region_code`.
        key: String,
        /// What is wrong and what is expected.
        why: String,
    },
}

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Identity and site of this kiosk.
    pub kiosk: KioskSection,
    /// Timeouts of the applicant's session.
    pub timeouts: Timeouts,
    /// The county platform.
    pub platform: PlatformSection,
    /// The peripherals.
    pub devices: Devices,
    /// Optional vendor libraries loaded at run time.
    pub plugins: Plugins,
}

/// Optional vendor libraries loaded at run time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Plugins {
    /// Shared library decoding the ID card's WLT photo (`zk_wlt_decode`, see
    /// `devices::idcard::photo`); empty: show a silhouette.
    pub wlt_decoder: String,
}

/// Screen language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Simplified Chinese.
    #[default]
    Zh,
    /// English.
    En,
}

/// Identity and site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KioskSection {
    /// Kiosk id, assigned at enrolment.
    pub id: String,
    /// Site name shown on screen and on receipts.
    pub site: String,
    /// Six-digit administrative division code (GB/T 2260) of the site.
    pub region_code: String,
    /// Language the attract screen starts in.
    pub language: Language,
    /// Service hotline printed and shown for help.
    pub hotline: String,
    /// Folder for the database and every other file the kiosk writes.
    pub data_dir: PathBuf,
}

impl Default for KioskSection {
    fn default() -> Self {
        Self {
            id: "UNENROLLED".into(),
            site: "政务服务自助终端".into(),
            region_code: "000000".into(),
            language: Language::Zh,
            hotline: "12345".into(),
            data_dir: PathBuf::from("/var/lib/zhengwu-kiosk"),
        }
    }
}

/// Session timeouts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Timeouts {
    /// Seconds without a touch before "您还在吗？" appears.
    pub inactivity_secs: u32,
    /// Seconds the "您还在吗？" countdown runs before the session ends and its data is wiped.
    pub countdown_secs: u32,
    /// In elder mode both times above are multiplied by this factor.
    pub elder_factor: f32,
    /// Seconds to wait at start-up for every required device to report before showing the
    /// out-of-service screen.
    pub device_init_secs: u32,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            inactivity_secs: 60,
            countdown_secs: 20,
            elder_factor: 2.0,
            device_init_secs: 30,
        }
    }
}

/// The county platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlatformSection {
    /// Base URL of the platform's kiosk API.
    pub url: String,
    /// Seconds before a platform request is abandoned (it is retried from the outbox).
    pub request_timeout_secs: u32,
}

impl Default for PlatformSection {
    fn default() -> Self {
        Self {
            url: "https://zwfw.example.gov.cn/kiosk-api/v1".into(),
            request_timeout_secs: 15,
        }
    }
}

/// One peripheral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceConfig {
    /// Whether this kiosk has the device at all.
    pub enabled: bool,
    /// Whether the kiosk is out of service while the device is unusable.
    pub required: bool,
    /// Where the device is: a device file, `tcp://host:port`, or `sim` for the simulator.
    pub port: String,
    /// Which model or profile (reader model, printer profile under `hardware/printers/`,
    /// scanner mode).
    pub profile: String,
}

/// Every peripheral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Devices {
    /// ID-card reader.
    pub id_card: DeviceConfig,
    /// Receipt printer.
    pub printer: DeviceConfig,
    /// QR/barcode scanner.
    pub scanner: DeviceConfig,
    /// Document camera.
    pub camera: DeviceConfig,
    /// GPIO (help button, lights).
    pub gpio: DeviceConfig,
}

impl Default for Devices {
    fn default() -> Self {
        let dev = |enabled, required, port: &str, profile: &str| DeviceConfig {
            enabled,
            required,
            port: port.into(),
            profile: profile.into(),
        };
        Self {
            id_card: dev(true, true, "/dev/kiosk-idcard", "generic-sam"),
            printer: dev(true, true, "/dev/kiosk-printer", "generic-80-gb18030"),
            scanner: dev(true, false, "/dev/kiosk-scanner", "serial-crlf"),
            camera: dev(false, false, "/dev/video0", "uvc"),
            gpio: dev(false, false, "/dev/gpiochip0", "pi-help-button"),
        }
    }
}

impl Devices {
    /// The configuration of one device kind.
    pub fn get(&self, kind: DeviceKind) -> &DeviceConfig {
        match kind {
            DeviceKind::IdCard => &self.id_card,
            DeviceKind::Printer => &self.printer,
            DeviceKind::Scanner => &self.scanner,
            DeviceKind::Camera => &self.camera,
            DeviceKind::Gpio => &self.gpio,
        }
    }

    /// The configuration of one device kind, to change.
    pub fn get_mut(&mut self, kind: DeviceKind) -> &mut DeviceConfig {
        match kind {
            DeviceKind::IdCard => &mut self.id_card,
            DeviceKind::Printer => &mut self.printer,
            DeviceKind::Scanner => &mut self.scanner,
            DeviceKind::Camera => &mut self.camera,
            DeviceKind::Gpio => &mut self.gpio,
        }
    }

    /// The kinds this kiosk has.
    pub fn enabled(&self) -> Vec<DeviceKind> {
        DeviceKind::ALL
            .into_iter()
            .filter(|k| self.get(*k).enabled)
            .collect()
    }

    /// The kinds without which the kiosk is out of service.
    pub fn required(&self) -> Vec<DeviceKind> {
        DeviceKind::ALL
            .into_iter()
            .filter(|k| self.get(*k).enabled && self.get(*k).required)
            .collect()
    }
}

impl Config {
    /// Read, parse and validate a configuration file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parse and validate configuration text; `origin` names it in messages.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: origin.to_owned(),
            message: e.to_string(),
        })?;
        config.validate()?;
        Ok(config)
    }

    /// The configuration `kiosk demo` runs with: every device present and simulated, the
    /// ID-card reader and the printer required, data in `data_dir`.
    pub fn demo(data_dir: PathBuf) -> Self {
        let mut config = Config::default();
        config.kiosk.id = "DEMO-0001".into();
        config.kiosk.site = "示例县政务服务中心（演示）".into();
        config.kiosk.region_code = "411522".into();
        config.kiosk.data_dir = data_dir;
        config.platform.url = "http://127.0.0.1:0/embedded".into();
        for kind in DeviceKind::ALL {
            let dev = config.devices.get_mut(kind);
            dev.enabled = true;
            dev.port = "sim".into();
        }
        config
    }

    /// Check values and their consistency.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key: &str, why: String| {
            Err(ConfigError::Invalid {
                key: key.into(),
                why,
            })
        };
        let k = &self.kiosk;
        if k.id.trim().is_empty() {
            return invalid("kiosk.id", "must not be empty".into());
        }
        if k.region_code.len() != 6 || !k.region_code.bytes().all(|b| b.is_ascii_digit()) {
            return invalid(
                "kiosk.region_code",
                format!("expected six digits (GB/T 2260), got {:?}", k.region_code),
            );
        }
        if k.data_dir.as_os_str().is_empty() {
            return invalid("kiosk.data_dir", "must name a folder".into());
        }
        let t = &self.timeouts;
        if !(10..=3600).contains(&t.inactivity_secs) {
            return invalid(
                "timeouts.inactivity_secs",
                format!("expected 10..=3600 seconds, got {}", t.inactivity_secs),
            );
        }
        if !(5..=600).contains(&t.countdown_secs) {
            return invalid(
                "timeouts.countdown_secs",
                format!("expected 5..=600 seconds, got {}", t.countdown_secs),
            );
        }
        if !(1.0..=5.0).contains(&t.elder_factor) {
            return invalid(
                "timeouts.elder_factor",
                format!("expected 1.0..=5.0, got {}", t.elder_factor),
            );
        }
        if !(1..=600).contains(&t.device_init_secs) {
            return invalid(
                "timeouts.device_init_secs",
                format!("expected 1..=600 seconds, got {}", t.device_init_secs),
            );
        }
        if !(self.platform.url.starts_with("https://") || self.platform.url.starts_with("http://"))
        {
            return invalid(
                "platform.url",
                format!("expected an http(s) URL, got {:?}", self.platform.url),
            );
        }
        if self.platform.request_timeout_secs == 0 {
            return invalid("platform.request_timeout_secs", "must be at least 1".into());
        }
        for kind in DeviceKind::ALL {
            let d = self.devices.get(kind);
            let key = kind.key().replace('-', "_");
            if d.required && !d.enabled {
                return invalid(
                    &format!("devices.{key}.required"),
                    "a device cannot be required while `enabled = false`".into(),
                );
            }
            if d.enabled && d.port.trim().is_empty() {
                return invalid(
                    &format!("devices.{key}.port"),
                    "an enabled device needs a port (a device file, tcp://host:port or sim)".into(),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(prefix: &str, table: &toml::Table, out: &mut Vec<String>) {
        for (k, v) in table {
            let path = format!("{prefix}{k}");
            match v {
                toml::Value::Table(t) => keys(&format!("{path}."), t, out),
                _ => out.push(path),
            }
        }
    }

    #[test]
    fn printed_default_is_the_default() {
        let parsed = Config::parse(DEFAULT_TOML, Path::new("default")).expect("default parses");
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn printed_default_documents_every_key() {
        let printed: toml::Table = toml::from_str(DEFAULT_TOML).expect("toml");
        let actual = toml::Table::try_from(Config::default()).expect("serialise");
        let (mut a, mut b) = (Vec::new(), Vec::new());
        keys("", &printed, &mut a);
        keys("", &actual, &mut b);
        a.sort();
        b.sort();
        assert_eq!(a, b, "default-config.toml and Config differ in keys");
        // Every key line is preceded by a comment line that documents it.
        let lines: Vec<&str> = DEFAULT_TOML.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let l = line.trim();
            if l.contains('=') && !l.starts_with('#') {
                assert!(
                    i > 0 && lines[i - 1].trim_start().starts_with('#'),
                    "key line {l:?} has no comment above it"
                );
            }
        }
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_name() {
        let err = Config::parse("[kiosk]\nsitee = \"x\"\n", Path::new("k.toml")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("k.toml") && msg.contains("sitee"), "{msg}");
    }

    #[test]
    fn partial_files_take_defaults() {
        let c = Config::parse(
            "[kiosk]\nid = \"K-1\"\nregion_code = \"411522\"\n",
            Path::new("k.toml"),
        )
        .expect("valid");
        assert_eq!(c.kiosk.id, "K-1");
        assert_eq!(c.timeouts, Timeouts::default());
        assert_eq!(
            c.devices.required(),
            [DeviceKind::IdCard, DeviceKind::Printer]
        );
    }

    #[test]
    fn bad_values_name_the_key() {
        for (text, key) in [
            ("[kiosk]\nregion_code = \"41152\"\n", "kiosk.region_code"),
            (
                "[timeouts]\ninactivity_secs = 1\n",
                "timeouts.inactivity_secs",
            ),
            ("[timeouts]\nelder_factor = 0.5\n", "timeouts.elder_factor"),
            ("[platform]\nurl = \"ftp://x\"\n", "platform.url"),
            (
                "[devices.camera]\nenabled = false\nrequired = true\nport = \"x\"\nprofile = \"uvc\"\n",
                "devices.camera.required",
            ),
            (
                "[devices.printer]\nenabled = true\nrequired = true\nport = \"\"\nprofile = \"p\"\n",
                "devices.printer.port",
            ),
        ] {
            let err = Config::parse(text, Path::new("k.toml")).unwrap_err();
            assert!(
                matches!(&err, ConfigError::Invalid { key: k, .. } if k == key),
                "{text:?} gave {err}"
            );
        }
    }

    #[test]
    fn demo_config_is_valid_and_simulates_everything() {
        let c = Config::demo(PathBuf::from("/tmp/x"));
        c.validate().expect("valid");
        assert_eq!(c.devices.enabled(), DeviceKind::ALL);
        assert!(
            DeviceKind::ALL
                .iter()
                .all(|k| c.devices.get(*k).port == "sim")
        );
    }

    #[test]
    fn missing_file_says_which() {
        let err = Config::load(Path::new("/nonexistent/kiosk.toml")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/kiosk.toml"));
    }
}
