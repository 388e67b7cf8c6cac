//! Dates in BibTeX and BibLaTeX fields: `year` + `month` + `day`, and
//! BibLaTeX's ISO 8601-2 (EDTF) `date`, `urldate`, `eventdate` and
//! `origdate` with ranges (`2020-05/2020-07`), open ends (`1998/..`) and
//! approximate dates (`1850~`).

use crate::model::{Date, DateValue, Month, RangeEnd};

/// Reads an EDTF-style date or range.
pub fn parse_edtf(text: &str) -> Result<DateValue, String> {
    let text = text.trim();
    if let Some(range) = unspecified_year(text) {
        return Ok(range);
    }
    let (start, end) = match text.split_once('/') {
        Some((start, end)) => (start, Some(end)),
        None => (text, None),
    };
    let (start, circa) = point(start).map_err(|why| format!("`{text}`: {why}"))?;
    let end = match end.map(str::trim) {
        None => None,
        Some("" | ".." | "unknown" | "open") => Some(RangeEnd::Open),
        Some(end) => Some(RangeEnd::Closed(
            point(end).map_err(|why| format!("`{text}`: {why}"))?.0,
        )),
    };
    Ok(DateValue { start, end, circa })
}

/// One `YYYY[-MM[-DD]]`, perhaps marked `~` (approximate), `?`
/// (uncertain) or `%` (both). Uncertain dates are kept as dates.
fn point(text: &str) -> Result<(Date, bool), String> {
    // A time of day (`2004-04-05T14:34:00`) is more than a bibliography needs.
    let text = text.split_once('T').map_or(text, |(date, _)| date);
    let trimmed = text.trim().trim_end_matches(['?', '~', '%']);
    let circa = text.trim()[trimmed.len()..].contains(['~', '%']);
    let (unsigned, negative) = match trimmed.strip_prefix('-') {
        Some(rest) => (rest, true),
        None => (trimmed, false),
    };
    let mut parts = unsigned.splitn(3, '-');
    let year_text = parts.next().unwrap_or_default();
    if year_text.len() < 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("expected a year of four digits".to_owned());
    }
    let year: i32 = year_text
        .parse()
        .map_err(|_| "the year is out of range".to_owned())?;
    let year = if negative { -year } else { year };
    let number = |part: &str, what: &str| -> Result<u8, String> {
        part.parse::<u8>()
            .map_err(|_| format!("expected a {what} of two digits, found `{part}`"))
    };
    let month = match parts.next() {
        Some(part) => {
            let number = number(part, "month")?;
            Some(Month::new(number).ok_or_else(|| format!("there is no month {number}"))?)
        }
        None => None,
    };
    let date = match (month, parts.next()) {
        (Some(month), Some(day)) => {
            Date::from_ymd(year, month, number(day, "day")?).map_err(|e| e.to_string())?
        }
        (month, _) => Date {
            year,
            month,
            day: None,
        },
    };
    Ok((date, circa))
}

/// A year with unspecified digits (`20uu`, `19XX`) as the range it spans.
fn unspecified_year(text: &str) -> Option<DateValue> {
    let digits = text.trim_end_matches(['u', 'X']);
    let unspecified = text.len() - digits.len();
    if text.len() != 4 || unspecified == 0 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let bound = |fill: &str| {
        format!("{digits}{}", fill.repeat(unspecified))
            .parse::<i32>()
            .ok()
    };
    Some(DateValue {
        start: Date::year(bound("0")?),
        end: Some(RangeEnd::Closed(Date::year(bound("9")?))),
        circa: false,
    })
}

/// `year`, `month` and `day` as BibTeX has them. The month may be a name,
/// an abbreviation (`Sept.`) or a number.
pub fn from_parts(year: &str, month: Option<&str>, day: Option<&str>) -> Result<DateValue, String> {
    let year_text = year.trim();
    // A range of years (`1915--1916`, `1998--`), as classic BibTeX writes
    // one: months and days have no place in it.
    if month.is_none() && day.is_none() {
        if let Some(range) = year_range(year_text) {
            return Ok(range);
        }
    }
    let year: i32 = match year_text.parse() {
        Ok(year) => year,
        Err(_) => return Err(format!("the year `{year_text}` is not a number")),
    };
    let (month, day_in_month) = match month.map(str::trim).filter(|m| !m.is_empty()) {
        None => (None, None),
        Some(text) => {
            let (month, day) =
                parse_month(text).ok_or_else(|| format!("`{text}` is not a month"))?;
            (Some(month), day)
        }
    };
    let day = match day.map(str::trim).filter(|d| !d.is_empty()) {
        None => day_in_month,
        Some(text) => Some(
            text.parse::<u8>()
                .map_err(|_| format!("the day `{text}` is not a number"))?,
        ),
    };
    let date = match (month, day) {
        (Some(month), Some(day)) => Date::from_ymd(year, month, day).map_err(|e| e.to_string())?,
        (month, _) => Date {
            year,
            month,
            day: None,
        },
    };
    Ok(date.into())
}

/// A month as a number or name, perhaps with its day: `11`, `Sept.`,
/// `July 30th`, `2 sep`.
fn parse_month(text: &str) -> Option<(Month, Option<u8>)> {
    if let Ok(number) = text.parse::<u8>() {
        return Month::new(number).map(|month| (month, None));
    }
    // Most months are a name alone (what `jan` expands to).
    if let Some(month) = Month::from_name(text) {
        return Some((month, None));
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|word| !word.is_empty())
        .collect();
    let month = words.iter().find_map(|word| Month::from_name(word))?;
    let day = words.iter().find_map(|word| {
        let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
        digits
            .parse::<u8>()
            .ok()
            .filter(|day| (1..=31).contains(day))
    });
    Some((month, day))
}

/// `1915--1916`, `1915–1916`, `1915/1916`, or `1998--` with no end.
fn year_range(text: &str) -> Option<DateValue> {
    let (start, end) = ["--", "\u{2013}", "/", "-"]
        .iter()
        .find_map(|dash| text.split_once(dash))?;
    let year = |text: &str| -> Option<i32> {
        let text = text.trim();
        (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok())?
    };
    let start = Date {
        year: year(start)?,
        month: None,
        day: None,
    };
    let end = match end.trim() {
        "" | ".." => RangeEnd::Open,
        end => RangeEnd::Closed(Date {
            year: year(end).filter(|&end| end >= start.year)?,
            month: None,
            day: None,
        }),
    };
    Some(DateValue {
        start,
        end: Some(end),
        circa: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edtf(text: &str) -> Result<String, String> {
        parse_edtf(text).map(|date| date.edtf())
    }

    #[test]
    fn edtf_dates_and_ranges() {
        for text in [
            "2020",
            "2020-03",
            "2020-03-15",
            "2020-05/2020-07",
            "1998/..",
            "1850~",
            "-0044-03-15",
        ] {
            assert_eq!(edtf(text).as_deref(), Ok(text), "{text}");
        }
        assert_eq!(edtf("1998/").as_deref(), Ok("1998/.."));
        assert_eq!(edtf("20uu").as_deref(), Ok("2000/2099"));
        assert_eq!(edtf("1998/unknown").as_deref(), Ok("1998/.."));
        assert_eq!(edtf("2004-04-05?").as_deref(), Ok("2004-04-05"));
        assert_eq!(edtf("1723?~").as_deref(), Ok("1723~"));
        assert_eq!(edtf("2004-04-05T14:34:00").as_deref(), Ok("2004-04-05"));
        for bad in ["20", "2020-13", "2020-02-30", "spring", "2020/x"] {
            assert!(parse_edtf(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn year_month_day_fields() {
        let iso = |y, m, d| from_parts(y, m, d).map(|date| date.edtf());
        assert_eq!(iso("2020", Some("March"), None).as_deref(), Ok("2020-03"));
        assert_eq!(
            iso("2020", Some("Sept."), Some("9")).as_deref(),
            Ok("2020-09-09")
        );
        assert_eq!(iso("2020", Some("11"), None).as_deref(), Ok("2020-11"));
        assert_eq!(
            iso("2002", Some("July 30th"), None).as_deref(),
            Ok("2002-07-30")
        );
        assert_eq!(
            iso("2019", Some("2 sep"), None).as_deref(),
            Ok("2019-09-02")
        );
        assert!(iso("2020", Some("13"), None).is_err());
        assert!(iso("forthcoming", None, None).is_err());
        assert!(iso("2023", Some("feb"), Some("29")).is_err());
    }
}
