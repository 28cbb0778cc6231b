//! Districts (区县) and towns from China's division codes: a community's 12-digit code (or
//! its street's 9-digit code) begins with its district's six digits; a street-level code
//! whose last three digits are 100 or more is a town (镇) or township (乡), not a 街道.

use crate::Community;

/// Chongqing's districts and counties: code, name.
const CHONGQING_DISTRICTS: &str = include_str!("../../../data/chongqing/cq_districts.csv");

fn all_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// The 6-digit district code of a community, from its own code or its street's.
///
/// ```
/// use lantu_core::district_code;
/// # use lantu_core::{Community, CommunityId, HouseholdSource};
/// # let c = |code: &str, street: Option<&str>| Community { id: CommunityId(0), code: code.into(),
/// #     name: String::new(), street_code: street.map(String::from), street_name: None,
/// #     households: None, households_source: HouseholdSource::Given, population: None, elderly: None, infants: None, children: None,
/// #     capable: false, centralised: true, boundary: geo::MultiPolygon(vec![]) };
/// assert_eq!(district_code(&c("500103001001", None)).as_deref(), Some("500103"));
/// assert_eq!(district_code(&c("A", Some("500106002"))).as_deref(), Some("500106"));
/// assert_eq!(district_code(&c("A", Some("S1"))), None);
/// ```
pub fn district_code(c: &Community) -> Option<String> {
    district_of_codes(&c.code, c.street_code.as_deref())
}

/// The 6-digit district code from a community's code and its street's code, as
/// [`district_code`] reads them (for tables read back, where there is no `Community`).
///
/// ```
/// use lantu_core::district_of_codes;
/// assert_eq!(district_of_codes("500103001001", None).as_deref(), Some("500103"));
/// assert_eq!(district_of_codes("A", Some("500106002")).as_deref(), Some("500106"));
/// assert_eq!(district_of_codes("A", Some("")), None);
/// ```
pub fn district_of_codes(code: &str, street_code: Option<&str>) -> Option<String> {
    if all_digits(code, 12) {
        return Some(code[..6].to_string());
    }
    street_code.filter(|s| all_digits(s, 9)).map(|s| s[..6].to_string())
}

/// The name of a Chongqing district or county by its code.
pub fn district_name(code: &str) -> Option<&'static str> {
    CHONGQING_DISTRICTS.lines().skip(1).find_map(|l| l.split_once(',').filter(|(c, _)| *c == code).map(|(_, n)| n))
}

/// Whether a community lies in a town or township (镇、乡) rather than a 街道: its
/// street-level code's last three digits are 100 or more.
pub fn in_town(c: &Community) -> bool {
    let street = if all_digits(&c.code, 12) { Some(&c.code[..9]) } else { c.street_code.as_deref() };
    street.filter(|s| all_digits(s, 9)).is_some_and(|s| s[6..].parse::<u32>().is_ok_and(|n| n >= 100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_districts() {
        assert_eq!(district_name("500103"), Some("渝中区"));
        assert_eq!(district_name("500240"), Some("石柱土家族自治县"));
        assert_eq!(district_name("999999"), None);
    }
}
