//! Code tables of the card text (`notes/idcard-protocol.md` §6e): gender (GB/T 2261.1) and
//! nation (GB/T 3304, including 97 其他 and 98 外国血统中国籍人士).

/// The label of a gender code.
pub fn gender_label(code: &str) -> Option<&'static str> {
    Some(match code {
        "0" => "未知",
        "1" => "男",
        "2" => "女",
        "9" => "未说明",
        _ => return None,
    })
}

const NATIONS: [&str; 56] = [
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// The name of a two-digit nation code (`01` 汉 … `56` 基诺, `97` 其他, `98` 外国血统中国籍人士).
pub fn nation_name(code: &str) -> Option<&'static str> {
    match code {
        "97" => return Some("其他"),
        "98" => return Some("外国血统中国籍人士"),
        _ => {}
    }
    if code.len() != 2 {
        return None;
    }
    let n: usize = code.parse().ok()?;
    (1..=56).contains(&n).then(|| NATIONS[n - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nations() {
        assert_eq!(nation_name("01"), Some("汉"));
        assert_eq!(nation_name("46"), Some("德昂"));
        assert_eq!(nation_name("56"), Some("基诺"));
        assert_eq!(nation_name("97"), Some("其他"));
        assert_eq!(nation_name("98"), Some("外国血统中国籍人士"));
        assert_eq!(nation_name("57"), None);
        assert_eq!(nation_name("00"), None);
        assert_eq!(nation_name("1"), None);
    }

    #[test]
    fn genders() {
        assert_eq!(gender_label("1"), Some("男"));
        assert_eq!(gender_label("2"), Some("女"));
        assert_eq!(gender_label("9"), Some("未说明"));
        assert_eq!(gender_label("3"), None);
    }
}
