//! Calendar arithmetic of the program: month steps clamped to the month's
//! end, the rolling window, renewal anniversaries, and reading dates from
//! partner and rule files.

use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

/// The earliest date a file may hold.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(date) => date,
    None => panic!("1900-01-01 is a valid date"),
};

/// The latest date a file may hold.
pub const LATEST: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(date) => date,
    None => panic!("9999-12-31 is a valid date"),
};

/// `date` minus `months` calendar months, clamped to the end of the month
/// (2020-02-29 minus 12 months is 2019-02-28).
pub fn months_before(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDate::MIN)
}

/// The rolling window `(start, end]`: start exclusive, end inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The excluded first day.
    pub start: NaiveDate,
    /// The included last day (the as-of date).
    pub end: NaiveDate,
}

impl Window {
    /// The window of `months` months ending on `end`.
    pub fn ending_on(end: NaiveDate, months: u32) -> Self {
        Window {
            start: months_before(end, months),
            end,
        }
    }

    /// Whether `date` lies in `(start, end]`.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start < date && date <= self.end
    }

    /// The number of days in the window.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days()
    }
}

/// The first as-of date whose window no longer holds a record dated `date`:
/// the first D with `D - months >= date`. Usually `date + months`, but a
/// day later when clamping to a month's end gets in the way (a record of
/// 2020-02-29 is still in the window of 2021-02-28).
pub fn first_day_outside_window(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    let candidate = date.checked_add_months(Months::new(months))?;
    if months_before(candidate, months) >= date {
        Some(candidate)
    } else {
        candidate.checked_add_days(Days::new(1))
    }
}

/// The renewal anniversary in `year`: the month and day of `renewal`,
/// with Feb 29 becoming Feb 28 in other years.
pub fn anniversary(renewal: NaiveDate, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, renewal.month(), renewal.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, renewal.month(), 28))
        .unwrap_or(renewal)
}

/// The latest renewal anniversary on or before `date`.
pub fn latest_anniversary_on_or_before(renewal: NaiveDate, date: NaiveDate) -> NaiveDate {
    let this_year = anniversary(renewal, date.year());
    if this_year <= date {
        this_year
    } else {
        anniversary(renewal, date.year() - 1)
    }
}

/// The first renewal anniversary on or after `date`.
pub fn first_anniversary_on_or_after(renewal: NaiveDate, date: NaiveDate) -> NaiveDate {
    let this_year = anniversary(renewal, date.year());
    if this_year >= date {
        this_year
    } else {
        anniversary(renewal, date.year() + 1)
    }
}

/// Parses a `YYYY-MM-DD` date strictly (four-digit year, two-digit month and
/// day) and within 1900-01-01..=9999-12-31.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return Err(format!(
            "`{}` is not a date; expected YYYY-MM-DD",
            crate::error::shorten(text, crate::error::QUOTE_LIMIT)
        ));
    }
    // The shape check above makes every slice ASCII digits of the right length.
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let date = i32::try_from(year)
        .ok()
        .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
        .ok_or_else(|| format!("`{text}` is not a day of the calendar"))?;
    check_range(date)
}

fn check_range(date: NaiveDate) -> Result<NaiveDate, String> {
    if (EARLIEST..=LATEST).contains(&date) {
        Ok(date)
    } else {
        Err(format!(
            "date `{date}` is out of range; expected a date from {EARLIEST} to {LATEST}"
        ))
    }
}

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a date written YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<NaiveDate, E> {
        parse_date(text).map_err(E::custom)
    }

    // A bare TOML date arrives as TOML's own datetime value.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<NaiveDate, A::Error> {
        let value = toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
        match (value.date, value.time, value.offset) {
            (Some(date), None, None) => NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
            .ok_or_else(|| de::Error::custom(format!("`{value}` is not a day of the calendar")))
            .and_then(|date| check_range(date).map_err(de::Error::custom)),
            _ => Err(de::Error::custom(format!(
                "`{value}` is not a date; expected YYYY-MM-DD without a time"
            ))),
        }
    }
}

/// The JSON Schema of a date field: a `YYYY-MM-DD` string (a bare TOML date
/// reads the same).
pub fn date_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "format": "date",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "description": "A date, YYYY-MM-DD."
    })
}

/// Deserializes a date from a `YYYY-MM-DD` string or a bare TOML date.
pub fn deserialize_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    deserializer.deserialize_any(DateVisitor)
}

struct OptionalDateVisitor;

impl<'de> Visitor<'de> for OptionalDateVisitor {
    type Value = Option<NaiveDate>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a date written YYYY-MM-DD, or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<NaiveDate>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<NaiveDate>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        deserialize_date(deserializer).map(Some)
    }
}

/// Deserializes an optional date (see [`deserialize_date`]); JSON `null`
/// reads as no date.
pub fn deserialize_optional_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    deserializer.deserialize_option(OptionalDateVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        parse_date(text).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn months_before_clamps_to_month_end() {
        let cases = [
            ("2020-02-29", 12, "2019-02-28"),
            ("2019-03-31", 1, "2019-02-28"),
            ("2020-03-31", 1, "2020-02-29"),
            ("2019-10-01", 12, "2018-10-01"),
            ("2019-12-31", 6, "2019-06-30"),
            ("2020-08-31", 6, "2020-02-29"),
            ("2019-05-15", 0, "2019-05-15"),
        ];
        for (from, months, expected) in cases {
            assert_eq!(
                months_before(date(from), months),
                date(expected),
                "{from} - {months}"
            );
        }
    }

    #[test]
    fn window_excludes_start_and_includes_end() {
        let window = Window::ending_on(date("2020-02-29"), 12);
        assert_eq!(window.start, date("2019-02-28"));
        let cases = [
            ("2019-02-27", false),
            ("2019-02-28", false),
            ("2019-03-01", true),
            ("2020-02-29", true),
            ("2020-03-01", false),
        ];
        for (day, inside) in cases {
            assert_eq!(window.contains(date(day)), inside, "{day}");
        }
        assert_eq!(window.days(), 366);
    }

    #[test]
    fn six_month_window_lengths() {
        let cases = [
            ("2019-10-01", 183),
            ("2020-02-29", 184),
            ("2019-06-14", 182),
            ("2019-04-03", 182),
            ("2020-03-31", 183),
        ];
        for (end, days) in cases {
            assert_eq!(Window::ending_on(date(end), 6).days(), days, "{end}");
        }
    }

    #[test]
    fn anniversaries() {
        let cases = [
            // renewal, date, latest on/before, first on/after
            ("2018-09-01", "2019-11-15", "2019-09-01", "2020-09-01"),
            ("2020-03-01", "2019-10-01", "2019-03-01", "2020-03-01"),
            ("2019-05-20", "2019-05-20", "2019-05-20", "2019-05-20"),
            ("2016-02-29", "2019-03-01", "2019-02-28", "2020-02-29"),
            ("2016-02-29", "2020-02-29", "2020-02-29", "2020-02-29"),
            ("2016-02-29", "2021-01-10", "2020-02-29", "2021-02-28"),
        ];
        for (renewal, day, latest, first) in cases {
            assert_eq!(
                latest_anniversary_on_or_before(date(renewal), date(day)),
                date(latest),
                "latest {renewal} {day}"
            );
            assert_eq!(
                first_anniversary_on_or_after(date(renewal), date(day)),
                date(first),
                "first {renewal} {day}"
            );
        }
    }

    #[test]
    fn parse_date_is_strict() {
        let bad = [
            "2019-02-29",
            "2019-13-01",
            "2019-1-05",
            "19-01-05",
            "2019/01/05",
            "0000-01-01",
            "2019-01-05T00:00",
            "",
        ];
        for text in bad {
            assert!(parse_date(text).is_err(), "{text:?} should be refused");
        }
        assert_eq!(date("2020-02-29").day(), 29);
    }

    #[test]
    fn dates_deserialize_from_toml_and_json() {
        #[derive(Deserialize)]
        struct Holder {
            #[serde(deserialize_with = "deserialize_date")]
            on: NaiveDate,
        }
        let bare: Holder = toml::from_str("on = 2019-06-01").unwrap_or_else(|e| panic!("{e}"));
        let quoted: Holder =
            toml::from_str("on = \"2019-06-01\"").unwrap_or_else(|e| panic!("{e}"));
        let json: Holder =
            serde_json::from_str(r#"{"on": "2019-06-01"}"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bare.on, date("2019-06-01"));
        assert_eq!(quoted.on, bare.on);
        assert_eq!(json.on, bare.on);
        for text in ["on = 2019-02-29", "on = 2019-06-01T10:00:00", "on = 5"] {
            assert!(toml::from_str::<Holder>(text).is_err(), "{text}");
        }
        #[derive(Deserialize)]
        struct Optional {
            #[serde(default, deserialize_with = "deserialize_optional_date")]
            on: Option<NaiveDate>,
        }
        let cases = [
            (r#"{"on": null}"#, Some(None)),
            (r#"{}"#, Some(None)),
            (r#"{"on": "2019-06-01"}"#, Some(Some(date("2019-06-01")))),
            (r#"{"on": "June"}"#, None),
        ];
        for (text, expected) in cases {
            assert_eq!(
                serde_json::from_str::<Optional>(text).ok().map(|o| o.on),
                expected,
                "{text}"
            );
        }
        let toml_cases = [("on = 2019-06-01", Some(date("2019-06-01"))), ("", None)];
        for (text, expected) in toml_cases {
            let parsed = toml::from_str::<Optional>(text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(parsed.on, expected, "{text}");
        }
    }
}
