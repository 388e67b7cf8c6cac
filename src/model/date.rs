//! Calendar dates as bibliographies need them: a year, perhaps a month,
//! perhaps a day. No time zones, no times of day.

use std::fmt;

/// A date with year precision at least. Ordered chronologically, a missing
/// month or day sorting before any given one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: Option<Month>,
    pub day: Option<u8>,
}

/// A date as a bibliography field gives it: one day, month or year, or a
/// range from it, perhaps approximate. Ordered by its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateValue {
    pub start: Date,
    pub end: Option<RangeEnd>,
    /// "circa": the source marked the date as approximate.
    pub circa: bool,
}

/// Where a date range ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RangeEnd {
    Closed(Date),
    /// An open range: `1998/..` ("since 1998").
    Open,
}

impl From<Date> for DateValue {
    fn from(start: Date) -> Self {
        DateValue {
            start,
            end: None,
            circa: false,
        }
    }
}

impl DateValue {
    /// As BibLaTeX's `date` field (ISO 8601-2, EDTF): `2020-05/2020-07`,
    /// `1998/..`, `1850~`.
    pub fn edtf(&self) -> String {
        let mut text = self.start.iso();
        if self.circa {
            text.push('~');
        }
        match self.end {
            Some(RangeEnd::Closed(end)) => {
                text.push('/');
                text.push_str(&end.iso());
            }
            Some(RangeEnd::Open) => text.push_str("/.."),
            None => {}
        }
        text
    }
}

impl fmt::Display for DateValue {
    /// `October 24, 2022`, `2019–2021`, `since 1998`, `circa 1850`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.circa {
            f.write_str("circa ")?;
        }
        match self.end {
            Some(RangeEnd::Closed(end)) => write!(f, "{}–{}", self.start, end),
            Some(RangeEnd::Open) => write!(f, "since {}", self.start),
            None => write!(f, "{}", self.start),
        }
    }
}

/// A month of the year, 1 = January.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(u8);

/// English month names, in order: full name, then the abbreviations readers
/// accept. The first abbreviation is also BibTeX's month macro.
const MONTHS: [(&str, &[&str]); 12] = [
    ("January", &["jan"]),
    ("February", &["feb"]),
    ("March", &["mar"]),
    ("April", &["apr"]),
    ("May", &["may"]),
    ("June", &["jun"]),
    ("July", &["jul"]),
    ("August", &["aug"]),
    ("September", &["sep", "sept"]),
    ("October", &["oct"]),
    ("November", &["nov"]),
    ("December", &["dec"]),
];

impl Month {
    /// The month numbered 1 to 12.
    pub fn new(number: u8) -> Option<Month> {
        (1..=12).contains(&number).then_some(Month(number))
    }

    /// Reads an English month name or abbreviation in any letter case,
    /// with or without a trailing period (`Oct`, `oct.`, `October`, `Sept`).
    pub fn from_name(name: &str) -> Option<Month> {
        let name = name.strip_suffix('.').unwrap_or(name);
        // Every spelling starts with its month's first three letters, which
        // no two months share: they pick the one month to compare with.
        let start = name.as_bytes().get(..3)?;
        let index = MONTHS
            .iter()
            .position(|(full, _)| full.as_bytes()[..3].eq_ignore_ascii_case(start))?;
        let (full, short) = MONTHS[index];
        let known = full.eq_ignore_ascii_case(name)
            || short.iter().any(|short| short.eq_ignore_ascii_case(name));
        known.then_some(Month(index as u8 + 1))
    }

    /// Every spelling [`Month::from_name`] accepts, longest first, so that a
    /// parser can try them in this order.
    pub fn spellings() -> impl Iterator<Item = (&'static str, Month)> {
        let mut all: Vec<(&str, Month)> = MONTHS
            .iter()
            .zip(1..)
            .flat_map(|((full, short), n)| {
                std::iter::once((*full, Month(n))).chain(short.iter().map(move |s| (*s, Month(n))))
            })
            .collect();
        all.sort_by_key(|(spelling, _)| std::cmp::Reverse(spelling.len()));
        all.into_iter()
    }

    pub fn number(self) -> u8 {
        self.0
    }

    /// `October`.
    pub fn name(self) -> &'static str {
        MONTHS[usize::from(self.0 - 1)].0
    }

    /// `oct`: BibTeX's predefined month macro.
    pub fn bibtex_macro(self) -> &'static str {
        MONTHS[usize::from(self.0 - 1)].1[0]
    }
}

/// Why a year, month and day do not make a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidDate {
    pub year: i32,
    pub month: Month,
    pub day: u8,
}

impl fmt::Display for InvalidDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} has only {} days, so day {} does not exist",
            self.month.name(),
            self.year,
            days_in_month(self.year, self.month),
            self.day
        )
    }
}

impl Date {
    pub fn year(year: i32) -> Date {
        Date {
            year,
            month: None,
            day: None,
        }
    }

    /// A full date, checked against the calendar (no 30 February).
    pub fn from_ymd(year: i32, month: Month, day: u8) -> Result<Date, InvalidDate> {
        if day == 0 || day > days_in_month(year, month) {
            return Err(InvalidDate { year, month, day });
        }
        Ok(Date {
            year,
            month: Some(month),
            day: Some(day),
        })
    }

    /// Today's date in UTC, from the system clock.
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        Date::from_days_since_epoch((seconds / 86_400) as i64)
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's algorithm).
    fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u8;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        } as u8;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Date {
            year,
            month: Month::new(month),
            day: Some(day),
        }
    }

    /// `2022-10-24`, `2022-10` or `2022`: ISO 8601 at the precision known,
    /// as BibLaTeX's `date` field wants it.
    pub fn iso(&self) -> String {
        // Digits pushed one by one: every work of a BibLaTeX or CSL output
        // writes its date so, and `format!`'s padding costs ten times more.
        let mut text = String::with_capacity(11);
        if self.year < 0 {
            text.push('-');
        }
        push_padded(&mut text, self.year.unsigned_abs(), 4);
        if let Some(month) = self.month {
            text.push('-');
            push_padded(&mut text, u32::from(month.0), 2);
            if let Some(day) = self.day {
                text.push('-');
                push_padded(&mut text, u32::from(day), 2);
            }
        }
        text
    }
}

/// Adds `number` in decimal, with zeros before it up to `width` digits.
fn push_padded(text: &mut String, number: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut start = digits.len();
    let mut rest = number;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let start = start.min(digits.len().saturating_sub(width));
    text.extend(digits[start..].iter().map(|&digit| char::from(digit)));
}

impl std::str::FromStr for Date {
    type Err = String;

    /// `2022-10-24`, `2022-10` or `2022`, checked against the calendar.
    fn from_str(text: &str) -> Result<Date, String> {
        let invalid = || format!("`{text}` is not a date in the form YYYY-MM-DD");
        let mut parts = text.trim().split('-');
        let year = parts
            .next()
            .filter(|y| y.len() == 4)
            .and_then(|y| y.parse().ok())
            .ok_or_else(invalid)?;
        let mut number = |length: std::ops::RangeInclusive<usize>| -> Result<Option<u8>, String> {
            parts
                .next()
                .map(|part| {
                    (length.contains(&part.len()))
                        .then(|| part.parse::<u8>().ok())
                        .flatten()
                        .ok_or_else(invalid)
                })
                .transpose()
        };
        let month = number(2..=2)?
            .map(|m| Month::new(m).ok_or_else(invalid))
            .transpose()?;
        let day = number(2..=2)?;
        if parts.next().is_some() {
            return Err(invalid());
        }
        match (month, day) {
            (Some(month), Some(day)) => Date::from_ymd(year, month, day).map_err(|e| e.to_string()),
            (month, _) => Ok(Date {
                year,
                month,
                day: None,
            }),
        }
    }
}

impl fmt::Display for Date {
    /// `October 24, 2022`, `October 2022` or `2022`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(month), Some(day)) => write!(f, "{} {}, {}", month.name(), day, self.year),
            (Some(month), None) => write!(f, "{} {}", month.name(), self.year),
            _ => write!(f, "{}", self.year),
        }
    }
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: Month) -> u8 {
    match month.0 {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Digits pushed one by one read as ISO 8601 padding has them.
        #[test]
        fn iso_pads_as_formatting_does(year in proptest::num::i32::ANY, month in 0u8..=12, day in 0u8..=31) {
            let month = Month::new(month);
            let day = (day > 0).then_some(day);
            let date = Date { year, month, day };
            let sign = if year < 0 { "-" } else { "" };
            let year = year.unsigned_abs();
            let expected = match (month, day) {
                (Some(month), Some(day)) => format!("{sign}{year:04}-{:02}-{day:02}", month.0),
                (Some(month), None) => format!("{sign}{year:04}-{:02}", month.0),
                _ => format!("{sign}{year:04}"),
            };
            proptest::prop_assert_eq!(date.iso(), expected);
        }
    }

    #[test]
    fn month_names_in_any_spelling() {
        for name in ["Oct", "oct.", "OCTOBER", "october"] {
            assert_eq!(Month::from_name(name), Month::new(10), "{name}");
        }
        assert_eq!(Month::from_name("Sept"), Month::new(9));
        assert_eq!(Month::from_name("Octo"), None);
        assert_eq!(Month::new(9).unwrap().bibtex_macro(), "sep");
        // Every month, by every spelling; near misses are none.
        for number in 1..=12 {
            let month = Month::new(number);
            let name = month.unwrap().name();
            let short = &name[..3];
            for spelling in [name.to_owned(), name.to_uppercase(), format!("{short}.")] {
                assert_eq!(Month::from_name(&spelling), month, "{spelling}");
            }
            for miss in [&name[..2], &format!("{name}s"), &format!("{short}x")] {
                assert_eq!(Month::from_name(miss), None, "{miss}");
            }
        }
        assert_eq!(Month::from_name("Mai"), None);
        assert_eq!(Month::from_name("Jué"), None);
    }

    #[test]
    fn calendar_is_checked() {
        let feb = Month::new(2).unwrap();
        assert!(Date::from_ymd(2024, feb, 29).is_ok());
        assert!(Date::from_ymd(2023, feb, 29).is_err());
        assert!(Date::from_ymd(2000, feb, 29).is_ok());
        assert!(Date::from_ymd(1900, feb, 29).is_err());
        assert!(Date::from_ymd(2023, Month::new(4).unwrap(), 31).is_err());
        assert!(Date::from_ymd(2023, Month::new(4).unwrap(), 0).is_err());
    }

    #[test]
    fn iso_dates_parse_and_print() {
        for text in ["2022-10-24", "2022-10", "2022"] {
            assert_eq!(text.parse::<Date>().map(|d| d.iso()), Ok(text.to_owned()));
        }
        for bad in [
            "2022-02-30",
            "22-10-24",
            "2022-13",
            "2022-1-5",
            "x",
            "2022-10-24-1",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn days_since_epoch_to_civil_date() {
        assert_eq!(Date::from_days_since_epoch(0).iso(), "1970-01-01");
        assert_eq!(Date::from_days_since_epoch(19_782).iso(), "2024-02-29");
        assert_eq!(Date::from_days_since_epoch(20_784).iso(), "2026-11-27");
    }

    #[test]
    fn dates_order_by_precision_within_a_year() {
        let oct = Month::new(10);
        assert!(
            Date::year(2022)
                < Date {
                    year: 2022,
                    month: oct,
                    day: None
                }
        );
        assert!(
            Date {
                year: 2022,
                month: oct,
                day: Some(3)
            } > Date::year(2022)
        );
    }
}
