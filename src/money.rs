//! Money held exactly in whole cents: reading USD amounts from files
//! (rounded half away from zero), sums, and display as `$1,234.50`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// A non-negative amount of USD in whole cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i64);

/// The largest amount a single record may hold: one trillion USD.
pub const MAX_AMOUNT: Cents = Cents(100_000_000_000_000);

impl Cents {
    /// Zero dollars.
    pub const ZERO: Cents = Cents(0);

    /// Whole dollars as cents.
    pub const fn from_dollars(dollars: i64) -> Self {
        Cents(dollars * 100)
    }

    /// The sum, or `None` if it does not fit.
    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).map(Cents)
    }

    /// The difference, never below zero.
    pub fn saturating_sub(self, other: Cents) -> Cents {
        Cents(self.0.saturating_sub(other.0).max(0))
    }

    /// The amount in dollars as a floating-point number, for JSON output.
    pub fn as_dollars(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Reads an amount from a number of USD, rounded to the cent half away from
    /// zero as the number is written (so `1.005` is `1.01`).
    pub fn from_usd(amount: f64) -> Result<Cents, String> {
        if !amount.is_finite() {
            return Err(format!(
                "amount `{amount}` is not a finite number; expected USD such as 2500.00"
            ));
        }
        if amount < 0.0 {
            return Err(format!(
                "amount `{amount}` is negative; expected USD of 0 or more"
            ));
        }
        // Most amounts are whole cents, or their third decimal is plainly
        // below or above 5: rounding the f64 gives the cent as written. Only
        // near half a cent does the decimal as written decide. Below $1e9
        // the f64 of an amount in cents is exact to far less than 1/1000.
        if amount < 1e9 {
            let cents = amount * 100.0;
            if (cents - cents.floor() - 0.5).abs() > 1e-3 {
                // Below 1e11: the conversion is exact.
                return Ok(Cents(cents.round() as i64));
            }
        }
        Cents::from_written(amount)
    }

    /// Reads an amount rounded half away from zero as the shortest decimal
    /// that reads back as `amount` (finite, not negative) is written.
    fn from_written(amount: f64) -> Result<Cents, String> {
        // `Display` of an f64 writes the shortest decimal that reads back as
        // the same number, with no exponent: that is the amount as written.
        let written = format!("{amount}");
        let (whole, fraction) = written.split_once('.').unwrap_or((&written, ""));
        let too_large =
            || format!("amount `{written}` is too large; expected at most {MAX_AMOUNT} per record");
        let whole: i64 = whole.parse().map_err(|_| too_large())?;
        let digit = |index: usize| {
            fraction
                .as_bytes()
                .get(index)
                .map_or(0, |byte| i64::from(byte - b'0'))
        };
        let round_up = i64::from(digit(2) >= 5);
        let cents = whole
            .checked_mul(100)
            .and_then(|cents| cents.checked_add(digit(0) * 10 + digit(1) + round_up))
            .ok_or_else(too_large)?;
        if cents > MAX_AMOUNT.0 {
            return Err(too_large());
        }
        Ok(Cents(cents))
    }

    /// Reads a whole number of USD.
    pub fn from_whole_usd(amount: i128) -> Result<Cents, String> {
        if amount < 0 {
            return Err(format!(
                "amount `{amount}` is negative; expected USD of 0 or more"
            ));
        }
        amount
            .checked_mul(100)
            .and_then(|cents| i64::try_from(cents).ok())
            .filter(|cents| *cents <= MAX_AMOUNT.0)
            .map(Cents)
            .ok_or_else(|| {
                format!("amount `{amount}` is too large; expected at most {MAX_AMOUNT} per record")
            })
    }
}

impl std::iter::Sum for Cents {
    /// Sums amounts. Callers sum only subsets of one file's list, whose total
    /// the loader has checked to fit (see `partner::check_totals`).
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        Cents(iter.map(|cents| cents.0).sum())
    }
}

impl fmt::Display for Cents {
    /// `$1,234.50`.
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let cents = self.0.unsigned_abs();
        let digits = (cents / 100).to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        write!(formatter, "{sign}${grouped}.{:02}", cents % 100)
    }
}

impl Serialize for Cents {
    /// A JSON number of dollars, rounded to the cent.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_dollars())
    }
}

struct UsdVisitor;

impl Visitor<'_> for UsdVisitor {
    type Value = Cents;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an amount of USD such as 2500.00")
    }

    fn visit_f64<E: de::Error>(self, amount: f64) -> Result<Cents, E> {
        Cents::from_usd(amount).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, amount: i64) -> Result<Cents, E> {
        Cents::from_whole_usd(i128::from(amount)).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, amount: u64) -> Result<Cents, E> {
        Cents::from_whole_usd(i128::from(amount)).map_err(E::custom)
    }

    fn visit_i128<E: de::Error>(self, amount: i128) -> Result<Cents, E> {
        Cents::from_whole_usd(amount).map_err(E::custom)
    }

    fn visit_u128<E: de::Error>(self, amount: u128) -> Result<Cents, E> {
        Cents::from_whole_usd(i128::try_from(amount).unwrap_or(i128::MAX)).map_err(E::custom)
    }
}

/// The JSON Schema of an amount field: a number of USD, 0 or more.
pub fn usd_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "number",
        "minimum": 0,
        "maximum": 1_000_000_000_000_u64,
        "description": "An amount of USD, such as 2500.00."
    })
}

/// Deserializes an amount of USD (a number) into cents.
pub fn deserialize_usd<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Cents, D::Error> {
    deserializer.deserialize_any(UsdVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero_as_written() {
        let cases = [
            (2500.0, 250_000),
            (0.0, 0),
            (-0.0, 0),
            (1.005, 101),
            (1.004, 100),
            (1.015, 102),
            (0.125, 13),
            (0.124999, 12),
            (1234.5, 123_450),
            (0.1 + 0.2, 30),
            (1e-7, 0),
            (999_999_999_999.99, 99_999_999_999_999),
        ];
        for (amount, cents) in cases {
            assert_eq!(Cents::from_usd(amount), Ok(Cents(cents)), "{amount}");
        }
    }

    #[test]
    fn the_fast_path_agrees_with_the_decimal_as_written() {
        // Amounts with up to four decimals, small and large, including
        // every half cent: the fast path never differs from the written form.
        let mut checked = 0;
        for whole in [0_u64, 1, 7, 42, 999, 12_345, 2_500_000, 999_999_999] {
            for ten_thousandths in 0..10_000_u64 {
                let text = format!("{whole}.{ten_thousandths:04}");
                let amount: f64 = text.parse().unwrap_or_else(|error| panic!("{error}"));
                assert_eq!(
                    Cents::from_usd(amount),
                    Cents::from_written(amount),
                    "{text}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 80_000);
    }

    #[test]
    fn refuses_bad_amounts() {
        for amount in [-0.01, f64::NAN, f64::INFINITY, 1e13, 1e300] {
            assert!(Cents::from_usd(amount).is_err(), "{amount}");
        }
        assert!(Cents::from_whole_usd(-1).is_err());
        assert!(Cents::from_whole_usd(i128::from(u64::MAX)).is_err());
        assert_eq!(Cents::from_whole_usd(2500), Ok(Cents(250_000)));
    }

    #[test]
    fn displays_with_thousands_separators() {
        let cases = [
            (0, "$0.00"),
            (5, "$0.05"),
            (425_000, "$4,250.00"),
            (33_450_000, "$334,500.00"),
            (12_345_678_901, "$123,456,789.01"),
            (-150, "-$1.50"),
        ];
        for (cents, text) in cases {
            assert_eq!(Cents(cents).to_string(), text);
        }
    }

    #[test]
    fn deserializes_integers_and_floats() {
        #[derive(serde::Deserialize)]
        struct Holder {
            #[serde(deserialize_with = "deserialize_usd")]
            amount: Cents,
        }
        let cases = [
            ("amount = 2500", Some(250_000)),
            ("amount = 2500.0", Some(250_000)),
            ("amount = 12.345", Some(1_235)),
            ("amount = -1", None),
            ("amount = nan", None),
            ("amount = inf", None),
            ("amount = \"12\"", None),
        ];
        for (text, expected) in cases {
            let parsed = toml::from_str::<Holder>(text).ok().map(|h| h.amount.0);
            assert_eq!(parsed, expected, "{text}");
        }
        for text in [
            r#"{"amount": 18446744073709551616}"#,
            r#"{"amount": 1e400}"#,
        ] {
            assert!(serde_json::from_str::<Holder>(text).is_err(), "{text}");
        }
    }
}
