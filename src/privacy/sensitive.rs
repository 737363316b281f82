//! `Sensitive<K>`: a string of personal data of kind `K` that masks itself in `Debug` and
//! `Display` and zeroizes its memory when dropped.

use std::fmt;
use std::marker::PhantomData;
use zeroize::Zeroizing;

/// What kind of personal data a `Sensitive` holds, and so how it is masked.
pub trait SensitiveKind {
    /// Short English tag shown in `Debug` output, e.g. `IdNumber`.
    const TAG: &'static str;
    /// The masked form of a raw value.
    fn mask(raw: &str) -> String;
}

/// Marker: an identity-document number.
pub enum IdNumberKind {}
/// Marker: a person's name.
pub enum NameKind {}
/// Marker: a postal address.
pub enum AddressKind {}

impl SensitiveKind for IdNumberKind {
    const TAG: &'static str = "IdNumber";
    fn mask(raw: &str) -> String {
        super::mask_id_number(raw)
    }
}
impl SensitiveKind for NameKind {
    const TAG: &'static str = "Name";
    fn mask(raw: &str) -> String {
        super::mask_name(raw)
    }
}
impl SensitiveKind for AddressKind {
    const TAG: &'static str = "Address";
    fn mask(raw: &str) -> String {
        super::mask_address(raw)
    }
}

/// A piece of personal data. Cloning copies the secret (both copies are zeroized on drop).
pub struct Sensitive<K: SensitiveKind> {
    raw: Zeroizing<String>,
    kind: PhantomData<K>,
}

/// An identity-document number (resident ID, permit or foreigner card number).
pub type IdNumber = Sensitive<IdNumberKind>;
/// A person's name.
pub type PersonName = Sensitive<NameKind>;
/// A postal address.
pub type Address = Sensitive<AddressKind>;

impl<K: SensitiveKind> Sensitive<K> {
    /// Take ownership of a raw value.
    pub fn new(raw: impl Into<String>) -> Self {
        Self {
            raw: Zeroizing::new(raw.into()),
            kind: PhantomData,
        }
    }

    /// The raw value, for the few places that must have it (the platform request, the
    /// encrypted outbox). Never log what this returns.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    /// The masked form, for the screen, the receipt and logs.
    pub fn masked(&self) -> String {
        K::mask(&self.raw)
    }
}

// Manual impls: derives would demand the marker kinds be Clone/PartialEq themselves.
impl<K: SensitiveKind> Clone for Sensitive<K> {
    fn clone(&self) -> Self {
        Self::new(self.expose())
    }
}

impl<K: SensitiveKind> PartialEq for Sensitive<K> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl<K: SensitiveKind> Eq for Sensitive<K> {}

impl<K: SensitiveKind> fmt::Debug for Sensitive<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", K::TAG, self.masked())
    }
}

impl<K: SensitiveKind> fmt::Display for Sensitive<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_masked() {
        let id = IdNumber::new("41152219900101123X");
        assert_eq!(format!("{id:?}"), "IdNumber(4115**********123X)");
        assert_eq!(format!("{id}"), "4115**********123X");
        let name = PersonName::new("张三");
        assert_eq!(format!("{name:?}"), "Name(张*)");
        let addr = Address::new("河南省信阳市光山县弦山街道示例村12号");
        assert!(!format!("{addr:?} {addr}").contains("示例村"));
    }

    #[test]
    fn masked_inside_derived_debug_of_a_containing_struct() {
        #[derive(Debug)]
        #[allow(dead_code)] // read only through Debug
        struct Applicant {
            name: PersonName,
            id: IdNumber,
        }
        let a = Applicant {
            name: PersonName::new("李四"),
            id: IdNumber::new("110101199003077777"),
        };
        let shown = format!("{a:?} {a:#?}");
        assert!(!shown.contains("李四"));
        assert!(!shown.contains("199003077"));
        assert!(shown.contains("1101**********7777"));
    }

    #[test]
    fn expose_gives_the_raw_value() {
        assert_eq!(PersonName::new("王五").expose(), "王五");
    }
}
