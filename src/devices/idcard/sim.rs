//! The reader simulator: a pseudo-terminal that answers as a SAM reader, built on the same
//! codec, with fictitious cards (`sim-cards.toml`). Controllable from tests, the demo dock and
//! `kiosk sim idcard`: place and remove cards (also mid-read), garble answers, slow answers, a
//! SAM fault, unplug and replug (the link disappears and comes back), and real baud timing.

use super::card::{CardFields, put_text};
use super::frame::{Command, Decoder, FrameError, Response};
use super::payload::{ADDRESS_LEN, PHOTO_LEN, ReadData};
use super::sw::Sw3;
use crate::devices::simport::{SimDevice, SimPort};
use crate::devices::worker::StopFlag;
use serialport::TTYPort;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The fictitious cards shipped with the simulator.
pub const CARDS_TOML: &str = include_str!("sim-cards.toml");

/// Why the simulator could not start or load cards.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// Creating the pseudo-terminal or the link failed.
    #[error("simulator I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The card fixture file is invalid.
    #[error("card fixtures: {0}")]
    Cards(String),
}

#[derive(serde::Deserialize)]
struct CardFile {
    card: Vec<CardFields>,
}

/// Parse a card fixture file.
pub fn parse_cards(text: &str) -> Result<Vec<CardFields>, SimError> {
    let file: CardFile = toml::from_str(text).map_err(|e| SimError::Cards(e.to_string()))?;
    for (i, c) in file.card.iter().enumerate() {
        if c.card_type().is_none() {
            return Err(SimError::Cards(format!(
                "card {} has unknown card_type {:?}",
                i + 1,
                c.card_type
            )));
        }
    }
    Ok(file.card)
}

/// The shipped fixture cards.
pub fn builtin_cards() -> Vec<CardFields> {
    // The shipped file is checked by a test; an error here would be a build defect.
    parse_cards(CARDS_TOML).unwrap_or_default()
}

#[derive(Debug, Default)]
struct State {
    card: Option<CardFields>,
    /// The placed card was read and has not been lifted since (it no longer answers find).
    read_done: bool,
    remove_during_read: bool,
    garble_answers: u32,
    delay: Duration,
    baud: Option<u32>,
    sam_fault: bool,
    sam_broken: bool,
    plugged: bool,
    requests: u64,
}

/// Controls a running simulator. Cheap to clone; usable from any thread.
#[derive(Clone, Debug)]
pub struct SimControl {
    state: Arc<Mutex<State>>,
}

impl SimControl {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic in another holder leaves plain data behind; keep using it.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Put a card on the reader (replacing any other).
    pub fn place(&self, card: CardFields) {
        let mut s = self.lock();
        s.card = Some(card);
        s.read_done = false;
    }

    /// Take the card away.
    pub fn remove(&self) {
        let mut s = self.lock();
        s.card = None;
        s.read_done = false;
    }

    /// The next read fails because the card is lifted while it is read.
    pub fn remove_during_next_read(&self) {
        self.lock().remove_during_read = true;
    }

    /// Garble the next `n` answers (bytes flipped, noise before the frame).
    pub fn garble(&self, n: u32) {
        self.lock().garble_answers = n;
    }

    /// Delay every answer.
    pub fn slow(&self, delay: Duration) {
        self.lock().delay = delay;
    }

    /// Send answers at this baud rate's wire speed (10 bits a byte), or instantly.
    pub fn baud_timing(&self, baud: Option<u32>) {
        self.lock().baud = baud;
    }

    /// Make the SAM report a self-test failure until it is reset.
    pub fn sam_fault(&self, on: bool) {
        self.lock().sam_fault = on;
    }

    /// Make the SAM fail even after a reset (a module that needs service).
    pub fn sam_broken(&self, on: bool) {
        self.lock().sam_broken = on;
    }

    /// Unplug: the pseudo-terminal closes and the link disappears. A card left on the reader
    /// answers *find* again after power returns, as on a real reader.
    pub fn unplug(&self) {
        let mut s = self.lock();
        s.plugged = false;
        s.read_done = false;
    }

    /// Plug back in: a new pseudo-terminal appears at the link.
    pub fn replug(&self) {
        self.lock().plugged = true;
    }

    /// Whether a card lies on the reader.
    pub fn card_present(&self) -> bool {
        self.lock().card.is_some()
    }

    /// Requests answered so far.
    pub fn requests(&self) -> u64 {
        self.lock().requests
    }
}

/// A running simulated reader. Dropping it stops it and removes the link.
pub type Simulator = SimDevice<SimControl>;

impl SimDevice<SimControl> {
    /// Start a simulated reader whose serial port appears at `link` (a symlink to the PTY).
    pub fn start(link: &Path) -> Result<Self, SimError> {
        let control = SimControl {
            state: Arc::new(Mutex::new(State {
                plugged: true,
                ..State::default()
            })),
        };
        let sim = SimDevice::spawn(
            "idcard-sim",
            link,
            Duration::from_millis(20),
            control,
            |port, control, stop| serve(port, &control, &stop),
        )?;
        Ok(sim)
    }
}

fn serve(mut port: SimPort, control: &SimControl, stop: &StopFlag) {
    let mut decoder = Decoder::requests();
    let mut buf = [0u8; 4096];
    while !stop.is_set() {
        let plugged = control.lock().plugged;
        let Some(master) = port.follow(plugged) else {
            decoder.clear();
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        match master.read(&mut buf) {
            Ok(n) if n > 0 => decoder.push(&buf[..n]),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        }
        while let Some(item) = decoder.next_raw() {
            let answer = match item {
                Ok(body) => match Command::from_parts(body[0], body[1], &body[2..]) {
                    Some(cmd) => answer(control, cmd),
                    None => Response::status(Sw3::CommandError),
                },
                Err(FrameError::BadChecksum { .. }) => Response::status(Sw3::HostChecksumError),
                Err(FrameError::BadLength(_)) => Response::status(Sw3::HostLengthError),
                Err(FrameError::Garbage(_)) => continue,
            };
            send(master, control, answer.encode());
        }
    }
}

fn send(master: &mut TTYPort, control: &SimControl, mut bytes: Vec<u8>) {
    let (delay, baud, garble) = {
        let mut s = control.lock();
        let g = s.garble_answers > 0;
        if g {
            s.garble_answers -= 1;
        }
        (s.delay, s.baud, g)
    };
    if garble {
        // Noise before the frame and a flipped byte inside it: the decoder must skip both.
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x5A;
        bytes.splice(0..0, [0x13, 0xAA, 0x37]);
    }
    if !delay.is_zero() {
        std::thread::sleep(delay);
    }
    match baud {
        None => {
            let _ = master.write_all(&bytes);
        }
        Some(bps) => {
            // Real wire timing: 10 bits a byte, sent in 64-byte slices.
            for chunk in bytes.chunks(64) {
                let _ = master.write_all(chunk);
                let secs = chunk.len() as f64 * 10.0 / f64::from(bps.max(1));
                std::thread::sleep(Duration::from_secs_f64(secs));
            }
        }
    }
    let _ = master.flush();
}

fn answer(control: &SimControl, cmd: Command) -> Response {
    let mut s = control.lock();
    s.requests += 1;
    let ok = |data: Vec<u8>| Response {
        sw1: 0,
        sw2: 0,
        sw3: Sw3::Success,
        data,
    };
    if s.sam_broken || (s.sam_fault && !matches!(cmd, Command::ResetSam)) {
        return Response::status(Sw3::SelfTestFailed);
    }
    match cmd {
        Command::ResetSam => {
            s.sam_fault = false;
            ok(vec![])
        }
        Command::SamStatus | Command::SetBaud(_) | Command::SetMaxRfBytes(_) => ok(vec![]),
        Command::SamId => {
            let mut id = vec![0u8; 16];
            id[0] = 5;
            id[2] = 1;
            id[4..8].copy_from_slice(&20_261_126u32.to_le_bytes());
            id[8..12].copy_from_slice(&42u32.to_le_bytes());
            id[12..16].copy_from_slice(&7u32.to_le_bytes());
            ok(id)
        }
        Command::FindCard => match (&s.card, s.read_done) {
            (Some(_), false) => Response {
                sw1: 0,
                sw2: 0,
                sw3: Sw3::FindOk,
                data: vec![0; 4],
            },
            _ => Response::status(Sw3::FindFailed),
        },
        Command::SelectCard => match s.card {
            Some(_) => ok(vec![0; 8]),
            None => Response::status(Sw3::SelectFailed),
        },
        Command::ReadText | Command::ReadTextAndFingerprint => {
            if s.remove_during_read {
                s.remove_during_read = false;
                s.card = None;
                s.read_done = false;
                return Response::status(Sw3::ReadFailed);
            }
            let Some(text) = s.card.as_ref().and_then(CardFields::encode) else {
                return Response::status(Sw3::ReadFailed);
            };
            s.read_done = true;
            let fp = cmd == Command::ReadTextAndFingerprint;
            let data = ReadData {
                text,
                photo: vec![0; PHOTO_LEN],
                fingerprint: Vec::new(),
            };
            ok(data.encode(fp))
        }
        Command::ReadAppendedAddress => match &s.card {
            None => Response::status(Sw3::ReadFailed),
            Some(c) if c.appended_addresses.is_empty() => Response::status(Sw3::NoContent),
            Some(c) => {
                let mut data = vec![0u8; ADDRESS_LEN * c.appended_addresses.len()];
                for (block, a) in data.chunks_mut(ADDRESS_LEN).zip(&c.appended_addresses) {
                    put_text(block, a);
                }
                ok(data)
            }
        },
        Command::ReadCardNumber => Response::status(Sw3::NoContent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_cards_cover_every_type_and_decode_cleanly() {
        let cards = parse_cards(CARDS_TOML).expect("fixtures parse");
        for t in super::super::CardType::ALL {
            assert!(
                cards.iter().any(|c| c.card_type() == Some(t)),
                "no fixture for {t:?}"
            );
        }
        for c in &cards {
            let text = c.encode().expect("encode");
            let card = super::super::Card::decode(&text);
            assert!(
                card.warnings.is_empty(),
                "{:?}: {:?}",
                c.card_type,
                card.warnings
            );
            assert!(card.id_number_valid, "{:?}", c.card_type);
        }
    }

    #[test]
    fn unknown_card_type_in_fixtures_is_an_error() {
        let err = parse_cards("[[card]]\ncard_type = \"passport\"\n").unwrap_err();
        assert!(err.to_string().contains("passport"));
    }
}
