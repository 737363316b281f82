//! The scanner's technician commands behind `kiosk sim scanner` and `kiosk diag scanner`: the
//! simulator's script language (one command per line on stdin) and the settings both share.

use super::receipt_code::ReceiptCodec;
use super::sim::{SimControl, Suffix, samples};

/// What one script line did, for the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptOutcome {
    /// Nothing (empty line or comment).
    Nothing,
    /// Something was sent or changed; English description.
    Done(String),
    /// The line was not understood; English reason.
    Error(String),
}

/// The script language, for `--help` and the operator.
pub const SCRIPT_HELP: &str = "\
commands, one per line:
  receipt | login | licence | garbage   scan a sample code
  text TEXT                             scan TEXT
  hex HEX                               scan raw bytes given in hex
  raw TEXT                              send TEXT without suffix (a half scan)
  suffix crlf|cr|lf|none                change the suffix of later scans
  baud N | baud off                     send at N baud wire speed, or instantly
  unplug | replug                       pull the cable / plug it back in
  any other line                        scanned as it is";

fn hex(text: &str) -> Option<Vec<u8>> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if !t.len().is_multiple_of(2) {
        return None;
    }
    (0..t.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(t.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Run one script line against the simulator.
pub fn script_line(
    control: &SimControl,
    codec: &ReceiptCodec,
    kiosk: &str,
    line: &str,
) -> ScriptOutcome {
    let line = line.trim_end_matches(['\r', '\n']);
    let (cmd, arg) = line.split_once(' ').unwrap_or((line, ""));
    let scan = |bytes: &[u8], what: &str| {
        control.scan(bytes);
        ScriptOutcome::Done(format!("scanned {what} ({} bytes)", bytes.len()))
    };
    match cmd {
        "" => ScriptOutcome::Nothing,
        c if c.starts_with('#') => ScriptOutcome::Nothing,
        "receipt" => scan(samples::receipt(codec, kiosk).as_bytes(), "a receipt code"),
        "login" => scan(samples::login(codec).as_bytes(), "a login code"),
        "licence" => scan(samples::licence().as_bytes(), "an e-licence code"),
        "garbage" => scan(&samples::garbage(), "garbage"),
        "text" => scan(arg.as_bytes(), "text"),
        "hex" => match hex(arg) {
            Some(b) => scan(&b, "raw bytes"),
            None => ScriptOutcome::Error(format!("not hex: {arg:?}")),
        },
        "raw" => {
            control.send_raw(arg.as_bytes());
            ScriptOutcome::Done(format!("sent {} bytes without suffix", arg.len()))
        }
        "suffix" => match arg {
            "crlf" | "cr" | "lf" | "none" => {
                let s = match arg {
                    "crlf" => Suffix::CrLf,
                    "cr" => Suffix::Cr,
                    "lf" => Suffix::Lf,
                    _ => Suffix::None,
                };
                control.suffix(s);
                ScriptOutcome::Done(format!("suffix {arg}"))
            }
            _ => ScriptOutcome::Error(format!("unknown suffix {arg:?}: crlf, cr, lf or none")),
        },
        "baud" => match arg {
            "off" => {
                control.baud_timing(None);
                ScriptOutcome::Done("instant sending".into())
            }
            n => match n.parse::<u32>() {
                Ok(b) if b > 0 => {
                    control.baud_timing(Some(b));
                    ScriptOutcome::Done(format!("sending at {b} baud"))
                }
                _ => ScriptOutcome::Error(format!("baud {n:?}: a positive number or off")),
            },
        },
        "unplug" => {
            control.unplug();
            ScriptOutcome::Done("unplugged".into())
        }
        "replug" => {
            control.replug();
            ScriptOutcome::Done("plugged back in".into())
        }
        _ => scan(line.as_bytes(), "text"),
    }
}
