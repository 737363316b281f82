//! The identified applicant of a session: who placed their card (or, later, scanned an e-ID).
//! Holds personal data, so it lives only in the session and is dropped (zeroized) when the
//! session ends; `Debug` shows masked values only.

use crate::devices::idcard::Card;
use crate::devices::idcard::photo::Photo;
use crate::privacy::{IdNumber, PersonName};

/// The applicant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    /// Name as on the card (Chinese, else English).
    pub name: PersonName,
    /// Document number; identifies "the same card put back".
    pub id: IdNumber,
    /// Card type label (Chinese).
    pub document: &'static str,
    /// The card photo, when a decoder plug-in is configured.
    pub photo: Option<Photo>,
}

impl Applicant {
    /// The applicant on a card, if it carries a name and a number.
    pub fn from_card(card: &Card, photo: Option<Photo>) -> Option<Self> {
        let name = card.name.clone().or_else(|| card.name_en.clone())?;
        let id = card.id_number.clone()?;
        Some(Self {
            name,
            id,
            document: card.card_type.label_zh(),
            photo,
        })
    }

    /// The masked name for the screen (`张*`).
    pub fn masked_name(&self) -> String {
        self.name.masked()
    }
}
