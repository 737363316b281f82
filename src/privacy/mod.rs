//! Personal data and how it is shown: every ID number, name and address the kiosk holds lives in
//! one of the types here, whose `Debug` and `Display` print only a masked form
//! (`4115**********1234`, `张*`, `河南省信阳市光山县***`) and whose memory is zeroized on drop.
//! The raw value is reachable only through an explicit `expose()`, so a stray `{:?}` in a log
//! line cannot leak it.

mod mask;
mod sensitive;

pub use mask::{mask_address, mask_id_number, mask_name};
pub use sensitive::{Address, IdNumber, PersonName, Sensitive, SensitiveKind};
