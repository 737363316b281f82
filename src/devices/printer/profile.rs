//! Printer profiles: what a model can do (paper, Chinese font, QR/CODE128 native or raster, cut,
//! status commands, presenter), read from TOML files under `hardware/printers/` with single
//! inheritance (`inherits = "other-profile"`, like escpos-printer-db, notes §6). The profiles in
//! the repository are also built into the binary, so a kiosk needs no data folder to print;
//! a file of the same name in the profile folder wins.

use super::charset::Charset;
use serde::Deserialize;
use std::path::Path;
use thiserror::Error;

/// The profiles shipped in `hardware/printers/`, built in.
const BUILTIN: &[(&str, &str)] = &[
    (
        "generic-80-gb18030",
        include_str!("../../../hardware/printers/generic-80-gb18030.toml"),
    ),
    (
        "generic-58-gb2312",
        include_str!("../../../hardware/printers/generic-58-gb2312.toml"),
    ),
    (
        "epson-tm-t88vi-ank",
        include_str!("../../../hardware/printers/epson-tm-t88vi-ank.toml"),
    ),
    (
        "custom-vkp80iii",
        include_str!("../../../hardware/printers/custom-vkp80iii.toml"),
    ),
    (
        "gprinter-gp-80250",
        include_str!("../../../hardware/printers/gprinter-gp-80250.toml"),
    ),
    (
        "xprinter-xp-58iih",
        include_str!("../../../hardware/printers/xprinter-xp-58iih.toml"),
    ),
    (
        "snbc-btp-r880np",
        include_str!("../../../hardware/printers/snbc-btp-r880np.toml"),
    ),
];

/// Why a profile cannot be used.
#[derive(Debug, Error)]
pub enum ProfileError {
    /// No file and no built-in profile of that name.
    #[error("no printer profile named {name:?} (known: {known})")]
    NotFound {
        /// The name asked for.
        name: String,
        /// The built-in names.
        known: String,
    },
    /// The file could not be read.
    #[error("cannot read printer profile {path}: {cause}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        cause: std::io::Error,
    },
    /// The TOML is malformed or has unknown keys or values.
    #[error("printer profile {name:?} is invalid: {message}")]
    Invalid {
        /// The profile.
        name: String,
        /// What is wrong, from the TOML parser.
        message: String,
    },
    /// `inherits` forms a loop.
    #[error("printer profile {0:?} inherits from itself (through {1})")]
    Cycle(String, String),
}

/// Whether a feature is sent as the printer's own command or drawn as a raster image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Render {
    /// The printer's command (`GS ( k` for QR, `GS k 73` for CODE128).
    Native,
    /// A `GS v 0` image drawn by the kiosk.
    Raster,
}

/// Cutter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CutMode {
    /// `GS V 65 n`.
    Full,
    /// `GS V 66 n`.
    Partial,
    /// No cutter (tear bar): feed only.
    None,
}

/// Presenter (kiosk printers that hold the receipt in a mouth).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PresenterKind {
    /// No presenter.
    None,
    /// Custom `FS P n b c t` (notes §4.5).
    CustomFsp,
}

/// Paper.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paper {
    /// Roll width in mm (58 or 80).
    pub width_mm: u16,
    /// Printable width in dots (384 or 576 at 203 dpi).
    pub dots: u16,
}

/// Text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Chinese font, or `none` for raster-only.
    pub charset: Charset,
    /// Line spacing in dots (`ESC 3 n`), at least 24.
    pub line_spacing: u8,
}

/// QR codes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Qr {
    /// Native `GS ( k` or raster.
    pub mode: Render,
    /// Module size in dots (5–6 recommended at 203 dpi, notes §3.1).
    pub module: u8,
}

/// CODE128 barcodes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Barcode {
    /// Native `GS k 73` or raster.
    pub mode: Render,
    /// Preferred module width in dots (narrower is used when the code would not fit).
    pub module: u8,
    /// Bar height in dots.
    pub height: u8,
}

/// Cutter.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cut {
    /// Cut kind.
    pub mode: CutMode,
    /// n of `GS V 65/66 n` (extra feed past the cutter), or lines fed when there is no cutter.
    pub feed: u8,
}

/// Raster images.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Raster {
    /// Rows per `GS v 0` band.
    pub band_rows: u16,
}

/// Status commands the firmware answers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusSupport {
    /// `DLE EOT 1/2/4` real-time status.
    pub dle_eot: bool,
    /// `GS r 1` after the job.
    pub gs_r: bool,
    /// `GS a` automatic status back.
    pub asb: bool,
}

/// Presenter.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Presenter {
    /// Which command set.
    pub kind: PresenterKind,
    /// Seconds before an untaken receipt is retracted (0 = hold).
    pub retract_secs: u8,
}

/// One printer model, inheritance resolved.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The profile's name (its file stem); filled in by the loader.
    #[serde(default)]
    pub id: String,
    /// Human-readable model name.
    pub name: String,
    /// Where the values come from and what is unverified.
    #[serde(default)]
    pub notes: String,
    /// Paper.
    pub paper: Paper,
    /// Text.
    pub text: Text,
    /// QR.
    pub qr: Qr,
    /// CODE128.
    pub barcode: Barcode,
    /// Cutter.
    pub cut: Cut,
    /// Raster.
    pub raster: Raster,
    /// Status commands.
    pub status: StatusSupport,
    /// Presenter.
    pub presenter: Presenter,
}

impl Profile {
    /// Text columns in font A (12 dots per column).
    pub fn columns(&self) -> usize {
        usize::from(self.paper.dots) / super::font::COLUMN_DOTS
    }

    /// Names of the built-in profiles.
    pub fn builtin_names() -> Vec<&'static str> {
        BUILTIN.iter().map(|(n, _)| *n).collect()
    }

    /// A built-in profile.
    pub fn builtin(name: &str) -> Result<Profile, ProfileError> {
        Self::resolve(name, &|n| {
            Ok(BUILTIN
                .iter()
                .find(|(b, _)| *b == n)
                .map(|(_, t)| (*t).to_owned()))
        })
    }

    /// A profile by name: `DIR/NAME.toml` if a folder is given and has it, else built in.
    /// Parents are looked up the same way.
    pub fn load(name: &str, dir: Option<&Path>) -> Result<Profile, ProfileError> {
        Self::resolve(name, &|n| {
            if let Some(dir) = dir {
                let path = dir.join(format!("{n}.toml"));
                if path.is_file() {
                    return std::fs::read_to_string(&path).map(Some).map_err(|cause| {
                        ProfileError::Read {
                            path: path.display().to_string(),
                            cause,
                        }
                    });
                }
            }
            Ok(BUILTIN
                .iter()
                .find(|(b, _)| *b == n)
                .map(|(_, t)| (*t).to_owned()))
        })
    }

    /// Resolve `name` and its ancestors through `lookup`.
    pub fn resolve(
        name: &str,
        lookup: &dyn Fn(&str) -> Result<Option<String>, ProfileError>,
    ) -> Result<Profile, ProfileError> {
        let mut chain: Vec<String> = Vec::new();
        let mut tables: Vec<toml::Table> = Vec::new();
        let mut next = Some(name.to_owned());
        while let Some(n) = next.take() {
            if chain.contains(&n) {
                return Err(ProfileError::Cycle(name.to_owned(), chain.join(" → ")));
            }
            let text = lookup(&n)?.ok_or_else(|| ProfileError::NotFound {
                name: n.clone(),
                known: Self::builtin_names().join(", "),
            })?;
            let mut table: toml::Table =
                text.parse()
                    .map_err(|e: toml::de::Error| ProfileError::Invalid {
                        name: n.clone(),
                        message: e.to_string(),
                    })?;
            next = match table.remove("inherits") {
                Some(toml::Value::String(p)) => Some(p),
                Some(_) => {
                    return Err(ProfileError::Invalid {
                        name: n,
                        message: "inherits must be a profile name".into(),
                    });
                }
                None => None,
            };
            chain.push(n);
            tables.push(table);
        }
        let mut merged = toml::Table::new();
        for t in tables.into_iter().rev() {
            merge(&mut merged, t);
        }
        merged.insert("id".into(), toml::Value::String(name.to_owned()));
        let profile: Profile =
            merged
                .try_into()
                .map_err(|e: toml::de::Error| ProfileError::Invalid {
                    name: name.to_owned(),
                    message: e.to_string(),
                })?;
        profile.check()?;
        Ok(profile)
    }

    fn check(&self) -> Result<(), ProfileError> {
        let bad = |m: &str| {
            Err(ProfileError::Invalid {
                name: self.id.clone(),
                message: m.to_owned(),
            })
        };
        if !(128..=2048).contains(&self.paper.dots) || !self.paper.dots.is_multiple_of(8) {
            return bad("paper.dots must be a multiple of 8 from 128 to 2048");
        }
        if self.text.line_spacing < 24 {
            return bad("text.line_spacing must be at least 24 dots");
        }
        if !(1..=16).contains(&self.qr.module) {
            return bad("qr.module must be 1..=16 dots");
        }
        if !(1..=6).contains(&self.barcode.module) || self.barcode.height == 0 {
            return bad("barcode.module must be 1..=6 and barcode.height > 0");
        }
        if self.raster.band_rows == 0 {
            return bad("raster.band_rows must be > 0");
        }
        Ok(())
    }
}

/// Deep-merge `over` into `base` (tables merge, other values replace).
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_profile_resolves() {
        for name in Profile::builtin_names() {
            let p = Profile::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(p.id, name);
        }
        assert!(Profile::builtin_names().len() >= 6);
    }

    #[test]
    fn children_override_only_what_they_say() {
        let p58 = Profile::builtin("generic-58-gb2312").unwrap();
        let p80 = Profile::builtin("generic-80-gb18030").unwrap();
        assert_eq!((p58.paper.dots, p58.columns()), (384, 32));
        assert_eq!((p80.paper.dots, p80.columns()), (576, 48));
        assert_eq!(p58.text.charset, Charset::Gb2312);
        assert_eq!(p58.status, p80.status);
        let ank = Profile::builtin("epson-tm-t88vi-ank").unwrap();
        assert_eq!(ank.text.charset, Charset::None);
        let kiosk = Profile::builtin("custom-vkp80iii").unwrap();
        assert_eq!(kiosk.presenter.kind, PresenterKind::CustomFsp);
    }

    #[test]
    fn cycles_unknown_names_and_bad_keys_are_reported() {
        let texts = |n: &str| -> Result<Option<String>, ProfileError> {
            Ok(match n {
                "a" => Some("inherits = \"b\"".into()),
                "b" => Some("inherits = \"a\"".into()),
                "typo" => Some("inherits = \"generic-80-gb18030\"\n[paper]\nwidht_mm = 3\n".into()),
                "orphan" => Some("inherits = \"nope\"".into()),
                other => BUILTIN
                    .iter()
                    .find(|(b, _)| *b == other)
                    .map(|(_, t)| (*t).to_owned()),
            })
        };
        assert!(matches!(
            Profile::resolve("a", &texts),
            Err(ProfileError::Cycle(..))
        ));
        let e = Profile::resolve("typo", &texts).unwrap_err().to_string();
        assert!(e.contains("widht_mm"), "{e}");
        assert!(matches!(
            Profile::resolve("orphan", &texts),
            Err(ProfileError::NotFound { .. })
        ));
    }

    #[test]
    fn a_file_in_the_folder_overrides_the_builtin() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site-58.toml"),
            "inherits = \"generic-58-gb2312\"\nname = \"Site\"\n[qr]\nmode = \"raster\"\n",
        )
        .unwrap();
        let p = Profile::load("site-58", Some(dir.path())).unwrap();
        assert_eq!(
            (p.qr.mode, p.qr.module, p.paper.dots),
            (Render::Raster, 5, 384)
        );
    }
}
