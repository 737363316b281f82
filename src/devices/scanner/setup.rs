//! The scanner's settings from the kiosk configuration: the receipt codec (platform host from
//! `[platform] url`, the county's receipt key from `{data_dir}/receipt.key`) and the framing from
//! `[devices.scanner] profile`. The only file access of the scanner module outside its driver.

use super::framing::Framing;
use super::payload::Classifier;
use super::receipt_code::{ReceiptCodeError, ReceiptCodec, ReceiptKey, host_of};
use crate::app::config::Config;
use std::path::Path;

/// The key file's name in the data folder (32–128 hex digits, installed at enrolment).
pub const KEY_FILE: &str = "receipt.key";

/// Where the receipt key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// `{data_dir}/receipt.key`.
    File,
    /// The public demo key (no key file: demo, or not enrolled yet).
    Demo,
}

/// Why the scanner settings are unusable.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// `[platform] url` has no usable host.
    #[error("[platform] url {0:?} has no host to make receipt links for")]
    Host(String),
    /// The key file exists but is not a key.
    #[error("{path}: {source}")]
    Key {
        /// The file.
        path: String,
        /// What is wrong.
        source: ReceiptCodeError,
    },
    /// The key file exists but cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// `[devices.scanner] profile` is not a serial profile.
    #[error("scanner profile {0:?} is not serial-crlf, serial-cr, serial-lf or serial-idle")]
    Profile(String),
}

/// Load the receipt key from `data_dir`, or the demo key when there is no key file.
pub fn load_key(data_dir: &Path) -> Result<(ReceiptKey, KeySource), SetupError> {
    let path = data_dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => ReceiptKey::from_hex(&text)
            .map(|k| (k, KeySource::File))
            .map_err(|source| SetupError::Key {
                path: path.display().to_string(),
                source,
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok((ReceiptKey::demo(), KeySource::Demo))
        }
        Err(source) => Err(SetupError::Io {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// The receipt codec of a configuration.
pub fn receipt_codec(config: &Config) -> Result<(ReceiptCodec, KeySource), SetupError> {
    let host = host_of(&config.platform.url)
        .ok_or_else(|| SetupError::Host(config.platform.url.clone()))?;
    let (key, source) = load_key(&config.kiosk.data_dir)?;
    if source == KeySource::Demo {
        tracing::warn!(
            "no {KEY_FILE} in the data folder: receipt codes use the public demo key until enrolment installs the county's"
        );
    }
    let codec = ReceiptCodec::new(&host, key).map_err(|source| SetupError::Key {
        path: config.platform.url.clone(),
        source,
    })?;
    Ok((codec, source))
}

/// The classifier of a configuration.
pub fn classifier(config: &Config) -> Result<Classifier, SetupError> {
    Ok(Classifier::new(receipt_codec(config)?.0))
}

/// The framing of a serial scanner profile.
pub fn framing(profile: &str) -> Result<Framing, SetupError> {
    Framing::from_profile(profile).ok_or_else(|| SetupError::Profile(profile.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_or_demo() {
        let dir = tempfile::tempdir().expect("tmp");
        let (_, src) = load_key(dir.path()).expect("demo");
        assert_eq!(src, KeySource::Demo);
        std::fs::write(dir.path().join(KEY_FILE), format!("{}\n", "ab".repeat(32))).expect("write");
        let (_, src) = load_key(dir.path()).expect("file");
        assert_eq!(src, KeySource::File);
        std::fs::write(dir.path().join(KEY_FILE), "not hex").expect("write");
        assert!(matches!(load_key(dir.path()), Err(SetupError::Key { .. })));
    }

    #[test]
    fn codec_uses_the_platform_host() {
        let mut config = Config::default();
        let dir = tempfile::tempdir().expect("tmp");
        config.kiosk.data_dir = dir.path().to_owned();
        let (codec, _) = receipt_codec(&config).expect("codec");
        assert_eq!(codec.host(), "zwfw.example.gov.cn");
        assert!(framing("hid-us").is_err());
    }
}
