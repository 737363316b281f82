//! SW3, the SAM's status byte (`notes/idcard-protocol.md` §3), as a typed value. SW1/SW2 carry
//! the card's APDU status and are logged only.

/// The SAM status of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sw3 {
    /// 0x90 操作成功.
    Success,
    /// 0x9F 寻找证/卡成功.
    FindOk,
    /// 0x91 证/卡中此项无内容 (e.g. no appended address).
    NoContent,
    /// 0x10 the SAM received a bad checksum from us.
    HostChecksumError,
    /// 0x11 the SAM received a bad length from us (or timed out receiving).
    HostLengthError,
    /// 0x21 command error.
    CommandError,
    /// 0x23 unauthorised operation.
    Unauthorised,
    /// 0x24 unrecognised error.
    Unrecognised,
    /// 0x31 the card failed to authenticate the SAM.
    CardAuthFailed,
    /// 0x32 the SAM failed to authenticate the card.
    SamAuthFailed,
    /// 0x33 information verification error.
    VerifyFailed,
    /// 0x34 card not found yet (single source).
    NotFoundYet,
    /// 0x40 unrecognised card type.
    UnknownCardType,
    /// 0x41 read failed.
    ReadFailed,
    /// 0x47 get-random failed.
    RandomFailed,
    /// 0x60 SAM self-test failed.
    SelfTestFailed,
    /// 0x66 SAM not authorised.
    SamNotAuthorised,
    /// 0x80 find failed (no card, or a card already read still in the field).
    FindFailed,
    /// 0x81 select failed.
    SelectFailed,
    /// 0xFF communication fault (libsamv only).
    CommFault,
    /// Any other code.
    Other(u8),
}

impl Sw3 {
    /// Decode a status byte.
    pub fn from_code(code: u8) -> Self {
        match code {
            0x90 => Sw3::Success,
            0x9F => Sw3::FindOk,
            0x91 => Sw3::NoContent,
            0x10 => Sw3::HostChecksumError,
            0x11 => Sw3::HostLengthError,
            0x21 => Sw3::CommandError,
            0x23 => Sw3::Unauthorised,
            0x24 => Sw3::Unrecognised,
            0x31 => Sw3::CardAuthFailed,
            0x32 => Sw3::SamAuthFailed,
            0x33 => Sw3::VerifyFailed,
            0x34 => Sw3::NotFoundYet,
            0x40 => Sw3::UnknownCardType,
            0x41 => Sw3::ReadFailed,
            0x47 => Sw3::RandomFailed,
            0x60 => Sw3::SelfTestFailed,
            0x66 => Sw3::SamNotAuthorised,
            0x80 => Sw3::FindFailed,
            0x81 => Sw3::SelectFailed,
            0xFF => Sw3::CommFault,
            other => Sw3::Other(other),
        }
    }

    /// The status byte.
    pub fn code(self) -> u8 {
        match self {
            Sw3::Success => 0x90,
            Sw3::FindOk => 0x9F,
            Sw3::NoContent => 0x91,
            Sw3::HostChecksumError => 0x10,
            Sw3::HostLengthError => 0x11,
            Sw3::CommandError => 0x21,
            Sw3::Unauthorised => 0x23,
            Sw3::Unrecognised => 0x24,
            Sw3::CardAuthFailed => 0x31,
            Sw3::SamAuthFailed => 0x32,
            Sw3::VerifyFailed => 0x33,
            Sw3::NotFoundYet => 0x34,
            Sw3::UnknownCardType => 0x40,
            Sw3::ReadFailed => 0x41,
            Sw3::RandomFailed => 0x47,
            Sw3::SelfTestFailed => 0x60,
            Sw3::SamNotAuthorised => 0x66,
            Sw3::FindFailed => 0x80,
            Sw3::SelectFailed => 0x81,
            Sw3::CommFault => 0xFF,
            Sw3::Other(c) => c,
        }
    }

    /// Success of some kind (0x90, 0x9F).
    pub fn is_ok(self) -> bool {
        matches!(self, Sw3::Success | Sw3::FindOk)
    }

    /// A fault of the SAM module itself (needs a technician), as opposed to a card problem.
    pub fn is_sam_fault(self) -> bool {
        matches!(
            self,
            Sw3::SelfTestFailed | Sw3::SamNotAuthorised | Sw3::Unrecognised | Sw3::CommFault
        )
    }

    /// English, for the log.
    pub fn describe(self) -> String {
        let s = match self {
            Sw3::Success => "success",
            Sw3::FindOk => "card found",
            Sw3::NoContent => "item has no content",
            Sw3::HostChecksumError => "SAM received a bad checksum",
            Sw3::HostLengthError => "SAM received a bad length or timed out",
            Sw3::CommandError => "command error",
            Sw3::Unauthorised => "unauthorised operation",
            Sw3::Unrecognised => "unrecognised error",
            Sw3::CardAuthFailed => "card failed to authenticate the SAM",
            Sw3::SamAuthFailed => "SAM failed to authenticate the card",
            Sw3::VerifyFailed => "information verification error",
            Sw3::NotFoundYet => "no card found yet",
            Sw3::UnknownCardType => "unrecognised card type",
            Sw3::ReadFailed => "card read failed",
            Sw3::RandomFailed => "get-random failed",
            Sw3::SelfTestFailed => "SAM self-test failed",
            Sw3::SamNotAuthorised => "SAM not authorised",
            Sw3::FindFailed => "no card found",
            Sw3::SelectFailed => "card select failed",
            Sw3::CommFault => "communication fault",
            Sw3::Other(c) => return format!("unknown status {c:#04x}"),
        };
        format!("{s} ({:#04x})", self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for code in 0..=255u8 {
            assert_eq!(Sw3::from_code(code).code(), code);
        }
        assert_eq!(Sw3::from_code(0x9F), Sw3::FindOk);
        assert!(Sw3::from_code(0x90).is_ok());
        assert!(!Sw3::from_code(0x80).is_ok());
        assert!(Sw3::SelfTestFailed.is_sam_fault());
        assert!(Sw3::from_code(0x42).describe().contains("0x42"));
    }
}
