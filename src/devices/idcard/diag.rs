//! `kiosk diag idcard`: read one card and print it for a technician — masked unless asked
//! otherwise — with the SAM id and the read time. Every failure says what to check.

use super::card::Card;
use super::frame::Command;
use super::link::{Link, LinkError};
use super::payload::{ReadData, appended_addresses, sam_id};
use super::sw::Sw3;
use crate::privacy::Address;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Why no card could be read.
#[derive(Debug, thiserror::Error)]
pub enum DiagError {
    /// The port does not open.
    #[error("no reader: {0}. Check the cable, the port name and its permissions (group dialout)")]
    NoPort(LinkError),
    /// The port opens but nothing answers like a SAM reader.
    #[error(
        "no reader answers on {port}: {source}. Check the baud rate (--baud) and that this is the ID-card reader's port"
    )]
    NoAnswer {
        /// The port.
        port: PathBuf,
        /// What happened.
        source: LinkError,
    },
    /// The SAM reports a fault.
    #[error("the reader's SAM reports: {0}. The reader needs service")]
    SamFault(String),
    /// No card came within the wait.
    #[error("no card on the reader within {0:?}: place an ID card on the reading area")]
    NoCard(Duration),
    /// The card was found but could not be read.
    #[error("protocol error: {0}")]
    Protocol(String),
}

/// The result of one diagnostic read.
#[derive(Debug)]
pub struct DiagRead {
    /// The card.
    pub card: Card,
    /// The reader's SAM id.
    pub sam_id: Option<String>,
    /// Time of find → select → read.
    pub read_time: Duration,
}

impl DiagRead {
    /// JSON with the keys of issue #3 (absent when the card type has no such field).
    pub fn to_json(&self, unmasked: bool) -> Value {
        let mut m = self.card.to_json(unmasked);
        if let Some(id) = &self.sam_id {
            m.insert("sam_id".into(), Value::String(id.clone()));
        }
        m.insert(
            "read_ms".into(),
            serde_json::Number::from_f64((self.read_time.as_secs_f64() * 10_000.0).round() / 10.0)
                .map_or(Value::Null, Value::Number),
        );
        Value::Object(m)
    }

    /// Human-readable lines.
    pub fn to_text(&self, unmasked: bool) -> String {
        let json = self.to_json(unmasked);
        let mut out = format!("{}\n", self.card.card_type.label_zh());
        if let Value::Object(m) = json {
            for (k, v) in m {
                let shown = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                out.push_str(&format!("  {k:16} {shown}\n"));
            }
        }
        out
    }
}

fn transact(
    link: &mut Link,
    port: &Path,
    cmd: Command,
    t: Duration,
) -> Result<super::Response, DiagError> {
    link.transact(cmd, t).map_err(|source| DiagError::NoAnswer {
        port: port.to_owned(),
        source,
    })
}

/// Open the port, check the SAM, wait up to `wait` for a card, read it.
pub fn read_one(port: &Path, baud: u32, wait: Duration) -> Result<DiagRead, DiagError> {
    let mut link = Link::open(port, baud).map_err(DiagError::NoPort)?;
    let t = Duration::from_secs(1);
    let status = transact(&mut link, port, Command::SamStatus, t)?;
    if status.sw3 != Sw3::Success {
        return Err(DiagError::SamFault(status.sw3.describe()));
    }
    let sam = transact(&mut link, port, Command::SamId, t)
        .ok()
        .and_then(|r| sam_id(&r.data));
    let deadline = Instant::now() + wait;
    loop {
        let started = Instant::now();
        let find = transact(&mut link, port, Command::FindCard, t)?;
        if find.sw3 == Sw3::FindOk {
            let select = transact(&mut link, port, Command::SelectCard, t)?;
            if select.sw3 != Sw3::Success {
                return Err(DiagError::Protocol(format!(
                    "select: {}",
                    select.sw3.describe()
                )));
            }
            let read = transact(&mut link, port, Command::ReadText, Duration::from_secs(3))?;
            if read.sw3 != Sw3::Success {
                return Err(DiagError::Protocol(format!(
                    "read: {}",
                    read.sw3.describe()
                )));
            }
            let data = ReadData::parse(&read.data, false)
                .map_err(|e| DiagError::Protocol(e.to_string()))?;
            let read_time = started.elapsed();
            let mut card = Card::decode(&data.text);
            if let Ok(addr) = link.transact(Command::ReadAppendedAddress, t)
                && addr.sw3 == Sw3::Success
            {
                card.appended_addresses = appended_addresses(&addr.data)
                    .into_iter()
                    .map(Address::new)
                    .collect();
            }
            return Ok(DiagRead {
                card,
                sam_id: sam,
                read_time,
            });
        }
        if Instant::now() >= deadline {
            return Err(DiagError::NoCard(wait));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}
