//! The data of successful answers (`notes/idcard-protocol.md` §5): the read answers (30 01:
//! text and photo; 30 10: text, photo and fingerprint) with their big-endian length fields,
//! appended addresses (30 03) and the SAM id (12 FF).

use super::card::{TEXT_LEN, field_text};

/// Length of the WLT photo.
pub const PHOTO_LEN: usize = 1024;

/// What is wrong with a read answer's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    /// The data is shorter than its length fields say.
    #[error("read answer has {got} data bytes but its length fields need {need}")]
    Short {
        /// Bytes present.
        got: usize,
        /// Bytes announced.
        need: usize,
    },
    /// The text block is not 256 bytes.
    #[error("read answer announces a {0}-byte text block; 256 expected")]
    TextLength(usize),
}

/// The parts of a read answer.
#[derive(Clone, PartialEq, Eq)]
pub struct ReadData {
    /// The 256-byte text block.
    pub text: [u8; TEXT_LEN],
    /// The WLT photo (normally 1024 bytes; may be empty).
    pub photo: Vec<u8>,
    /// Fingerprint data (30 10 only; 0, 512 or 1024 bytes).
    pub fingerprint: Vec<u8>,
}

impl std::fmt::Debug for ReadData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadData")
            .field("photo_len", &self.photo.len())
            .field("fingerprint_len", &self.fingerprint.len())
            .finish_non_exhaustive()
    }
}

fn be16(d: &[u8], at: usize) -> usize {
    usize::from(u16::from_be_bytes([d[at], d[at + 1]]))
}

impl ReadData {
    /// Parse the data of a 30 01 answer (`with_fingerprint = false`) or a 30 10 answer.
    pub fn parse(data: &[u8], with_fingerprint: bool) -> Result<Self, PayloadError> {
        let header = if with_fingerprint { 6 } else { 4 };
        if data.len() < header {
            return Err(PayloadError::Short {
                got: data.len(),
                need: header,
            });
        }
        let text_len = be16(data, 0);
        let photo_len = be16(data, 2);
        let fp_len = if with_fingerprint { be16(data, 4) } else { 0 };
        if text_len != TEXT_LEN {
            return Err(PayloadError::TextLength(text_len));
        }
        let need = header + text_len + photo_len + fp_len;
        if data.len() < need {
            return Err(PayloadError::Short {
                got: data.len(),
                need,
            });
        }
        let mut text = [0u8; TEXT_LEN];
        text.copy_from_slice(&data[header..header + TEXT_LEN]);
        let p = header + TEXT_LEN;
        Ok(Self {
            text,
            photo: data[p..p + photo_len].to_vec(),
            fingerprint: data[p + photo_len..need].to_vec(),
        })
    }

    /// Build the data of a read answer (the simulator's side).
    pub fn encode(&self, with_fingerprint: bool) -> Vec<u8> {
        let len16 = |n: usize| u16::try_from(n).unwrap_or(u16::MAX).to_be_bytes();
        let mut out = Vec::new();
        out.extend(len16(TEXT_LEN));
        out.extend(len16(self.photo.len()));
        if with_fingerprint {
            out.extend(len16(self.fingerprint.len()));
        }
        out.extend_from_slice(&self.text);
        out.extend_from_slice(&self.photo);
        if with_fingerprint {
            out.extend_from_slice(&self.fingerprint);
        }
        out
    }
}

/// Length of one appended address.
pub const ADDRESS_LEN: usize = 70;

/// Appended addresses in a 30 03 answer: consecutive 70-byte UCS-2 blocks (the multi-address
/// layout is uncertain, §5.3; one block is the common case). Empty blocks are skipped.
pub fn appended_addresses(data: &[u8]) -> Vec<String> {
    data.chunks(ADDRESS_LEN)
        .map(field_text)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The SAM id from a 12 FF answer's 16 bytes, formatted as most vendor tools show it:
/// `b0.b2-u32-u32-u32` (little-endian integers). `None` unless 16 bytes.
pub fn sam_id(data: &[u8]) -> Option<String> {
    if data.len() != 16 {
        return None;
    }
    let u32le = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    Some(format!(
        "{:02}.{:02}-{}-{:010}-{:010}",
        data[0],
        data[2],
        u32le(4),
        u32le(8),
        u32le(12)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::idcard::card::put_text;

    #[test]
    fn read_data_round_trips_both_forms() {
        let mut text = [0u8; TEXT_LEN];
        put_text(&mut text, "测试");
        let d = ReadData {
            text,
            photo: vec![7; PHOTO_LEN],
            fingerprint: vec![9; 512],
        };
        let enc = d.encode(true);
        assert_eq!(&enc[..6], &[1, 0, 4, 0, 2, 0]);
        assert_eq!(ReadData::parse(&enc, true), Ok(d.clone()));
        let plain = ReadData {
            fingerprint: vec![],
            ..d
        };
        let enc = plain.encode(false);
        assert_eq!(enc.len(), 4 + 256 + 1024);
        assert_eq!(ReadData::parse(&enc, false), Ok(plain));
    }

    #[test]
    fn short_or_odd_data_is_an_error() {
        assert_eq!(
            ReadData::parse(&[1, 0], false),
            Err(PayloadError::Short { got: 2, need: 4 })
        );
        assert_eq!(
            ReadData::parse(&[0, 255, 4, 0], false),
            Err(PayloadError::TextLength(255))
        );
        assert_eq!(
            ReadData::parse(&[1, 0, 4, 0, 1, 2, 3], false),
            Err(PayloadError::Short { got: 7, need: 1284 })
        );
    }

    #[test]
    fn addresses_and_sam_id() {
        let mut block = vec![0u8; ADDRESS_LEN * 2];
        put_text(&mut block[..ADDRESS_LEN], "示例县示例镇1号");
        put_text(&mut block[ADDRESS_LEN..], "");
        assert_eq!(appended_addresses(&block), ["示例县示例镇1号"]);
        let mut id = [0u8; 16];
        id[0] = 5;
        id[2] = 1;
        id[4..8].copy_from_slice(&20231201u32.to_le_bytes());
        id[8..12].copy_from_slice(&42u32.to_le_bytes());
        id[12..16].copy_from_slice(&7u32.to_le_bytes());
        assert_eq!(
            sam_id(&id).as_deref(),
            Some("05.01-20231201-0000000042-0000000007")
        );
        assert_eq!(sam_id(&[0; 15]), None);
    }
}
