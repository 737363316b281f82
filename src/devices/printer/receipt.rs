//! The 回执 as data: what the journeys hand to the printer, and what the screen shows instead
//! (the tracking QR) when the printer fails. Personal data stays in the privacy types and is
//! only ever printed masked. Keep a `Receipt` with the submission to reprint it later.

use crate::privacy::{Address, IdNumber, PersonName};
use chrono::{NaiveDate, NaiveDateTime};

/// The number the applicant quotes: the platform's case number, or, when the kiosk was offline,
/// the local pending-upload number that the outbox will forward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptNumber {
    /// 办件编号 from the platform.
    Case(String),
    /// 待上传编号: accepted offline, forwarded when the network returns.
    Pending(String),
}

impl ReceiptNumber {
    /// The number itself.
    pub fn as_str(&self) -> &str {
        match self {
            ReceiptNumber::Case(s) | ReceiptNumber::Pending(s) => s,
        }
    }
}

/// Everything printed on a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Case or pending number (also the barcode).
    pub number: ReceiptNumber,
    /// 事项名称, the service item.
    pub item_name: String,
    /// 申请人, printed masked.
    pub applicant: PersonName,
    /// 证件号码, printed masked.
    pub id_number: Option<IdNumber>,
    /// 住址, printed masked.
    pub address: Option<Address>,
    /// 提交时间.
    pub submitted_at: NaiveDateTime,
    /// 承诺办结 date; `None` for 即办 (done on the spot).
    pub promised_by: Option<NaiveDate>,
    /// 容缺受理: materials still to bring, and by when.
    pub materials_to_add: Vec<String>,
    /// Deadline for the missing materials.
    pub materials_deadline: Option<NaiveDate>,
    /// The tracking link in the QR code; the UI shows the same link on screen when printing fails.
    pub tracking_url: String,
    /// 终端编号.
    pub kiosk_id: String,
    /// 服务地点.
    pub site: String,
    /// 咨询投诉 hotline.
    pub hotline: String,
}

impl Receipt {
    /// The tracking QR code as dots, `module` dots per module, quiet zone included: what the
    /// screen shows instead of the paper when the printer fails (the journeys scale it up).
    pub fn tracking_qr(
        &self,
        module: usize,
    ) -> Result<super::bitmap::Bitmap, super::symbols::SymbolError> {
        super::symbols::qr(self.tracking_url.as_bytes(), module, super::job::QR_EC)
    }

    /// A receipt for a fictitious applicant (张三 style synthetic data): the demo, the
    /// diagnostics test page, the tests and the benchmarks use it.
    pub fn sample() -> Self {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        Receipt {
            number: ReceiptNumber::Case("41152220261126000042".into()),
            item_name:
                "城乡居民基本养老保险待遇申领（含丧葬补助金、抚恤金申领）及Pension-2026资格认证"
                    .into(),
            applicant: PersonName::new("珺张三"),
            id_number: Some(IdNumber::new("110101199003077777")),
            address: Some(Address::new("河南省示例县镕城镇幸福路88号")),
            submitted_at: date(2026, 11, 26).and_hms_opt(14, 3, 0).unwrap_or_default(),
            promised_by: Some(date(2026, 12, 10)),
            materials_to_add: vec![
                "户口簿首页及本人页复印件".into(),
                "银行卡（社保卡）复印件".into(),
            ],
            materials_deadline: Some(date(2026, 12, 3)),
            tracking_url: "https://zwfw.example.gov.cn/t/41152220261126000042".into(),
            kiosk_id: "DEMO-0001".into(),
            site: "示例县堃喆昇犇便民服务中心（演示）".into(),
            hotline: "12345".into(),
        }
    }
}
