//! Reading typed data from JSON and TOML text, with the project's own words
//! for what the data gets wrong.
//!
//! serde's derived code reports a problem through the constructors of the
//! parser's error type (`invalid_type`, `unknown_field`, …), which write
//! serde's sentence into a string. When a read fails, [`from_json`] and
//! [`from_toml`] read the text again through [`Worded`], a deserializer
//! whose error type keeps those constructors' arguments as a
//! [`DataProblem`]; the problem's own words then go back into the parser's
//! error, which adds where in the file it is. A text that does not parse
//! (a syntax error) keeps the parser's message; the first read, which
//! almost always succeeds, runs at the parser's full speed.

use std::fmt::{self, Display};

use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, EnumAccess, Expected, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};

use crate::error::{QUOTE_LIMIT, shorten};

/// What a file's data gets wrong, found while reading it into the model.
#[derive(Debug, Clone, PartialEq)]
pub enum DataProblem {
    /// A value of the wrong sort (text where a number belongs).
    WrongType {
        /// The value there.
        found: Found,
        /// What belongs there, in words.
        expected: String,
    },
    /// A value of the right sort that is not allowed (a negative count).
    WrongValue {
        /// The value there.
        found: Found,
        /// What belongs there, in words.
        expected: String,
    },
    /// A list of the wrong length.
    WrongLength {
        /// How many items there are.
        length: usize,
        /// What belongs there, in words.
        expected: String,
    },
    /// A value outside a closed set (a track, a stage).
    UnknownValue {
        /// The value there, cut to [`QUOTE_LIMIT`] characters.
        value: String,
        /// The values allowed.
        expected: &'static [&'static str],
    },
    /// A field the table does not have.
    UnknownField {
        /// The field there, cut to [`QUOTE_LIMIT`] characters.
        field: String,
        /// The table's fields.
        expected: &'static [&'static str],
    },
    /// A field the table needs and does not have.
    MissingField(&'static str),
    /// A field given twice in one table.
    DuplicateField(&'static str),
    /// A message the project's own reading code wrote (an amount, a date).
    Said(String),
}

/// The value a [`DataProblem`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Integer(i128),
    /// A number with a fraction.
    Float(f64),
    /// One character.
    Char(char),
    /// Text, cut to [`QUOTE_LIMIT`] characters.
    Text(String),
    /// Bytes.
    Bytes,
    /// JSON's `null`.
    Null,
    /// A list.
    List,
    /// A table (a JSON object).
    Table,
    /// Anything else, as serde names it.
    Other(String),
}

impl From<Unexpected<'_>> for Found {
    fn from(unexpected: Unexpected<'_>) -> Self {
        match unexpected {
            Unexpected::Bool(value) => Found::Bool(value),
            Unexpected::Unsigned(value) => Found::Integer(i128::from(value)),
            Unexpected::Signed(value) => Found::Integer(i128::from(value)),
            Unexpected::Float(value) => Found::Float(value),
            Unexpected::Char(value) => Found::Char(value),
            Unexpected::Str(value) => Found::Text(shorten(value, QUOTE_LIMIT).into_owned()),
            Unexpected::Bytes(_) => Found::Bytes,
            Unexpected::Unit => Found::Null,
            Unexpected::Seq => Found::List,
            Unexpected::Map => Found::Table,
            other => Found::Other(other.to_string()),
        }
    }
}

impl Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Bool(value) => write!(f, "`{value}`"),
            Found::Integer(value) => write!(f, "the number `{value}`"),
            Found::Float(value) => write!(f, "the number `{value}`"),
            Found::Char(value) => write!(f, "the character `{value}`"),
            Found::Text(value) => write!(f, "the text `\"{value}\"`"),
            Found::Bytes => f.write_str("bytes"),
            Found::Null => f.write_str("`null`"),
            Found::List => f.write_str("a list"),
            Found::Table => f.write_str("a table"),
            Found::Other(other) => f.write_str(other),
        }
    }
}

/// What a reader expects, in the partner file's words: serde's names of
/// Rust types become what a person writes. The model's own types name
/// themselves (`#[serde(expecting = …)]`) and pass unchanged.
fn expected_words(expected: &dyn Expected) -> String {
    let named = expected.to_string();
    let words = match named.as_str() {
        "a boolean" => "`true` or `false`",
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number of 0 or more",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a string" | "a borrowed string" | "a character" => "text in quotes",
        "a sequence" => "a list",
        "a map" => "a table",
        "variant identifier" => "one of the allowed values",
        "field identifier" => "a field name",
        _ if named.starts_with("struct ") => "a table",
        _ if named.starts_with("enum ") => "one of the allowed values",
        _ if named.starts_with("a tuple of size ") || named.starts_with("tuple ") => "a list",
        _ => return named,
    };
    words.to_owned()
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`": every name, as the
/// names are the model's own (a field, a closed set of values).
fn one_of(expected: &[&str]) -> String {
    match expected {
        [] => "nothing here".to_owned(),
        [only] => format!("`{only}`"),
        [first, second] => format!("`{first}` or `{second}`"),
        _ => {
            let names: Vec<String> = expected.iter().map(|name| format!("`{name}`")).collect();
            format!("one of {}", names.join(", "))
        }
    }
}

/// The allowed name closest to `given`, when one is close enough to be what
/// was meant (`opportunity` → `opportunities`).
fn closest<'a>(given: &str, expected: &[&'a str]) -> Option<&'a str> {
    let given = given.to_lowercase();
    expected
        .iter()
        .map(|known| (strsim::jaro_winkler(&given, known), *known))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, known)| known)
}

impl Display for DataProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataProblem::WrongType { found, expected }
            | DataProblem::WrongValue { found, expected } => {
                write!(f, "found {found}; expected {expected}")
            }
            DataProblem::WrongLength { length, expected } => {
                let items = if *length == 1 { "item" } else { "items" };
                write!(f, "found a list of {length} {items}; expected {expected}")
            }
            DataProblem::UnknownValue { value, expected } => {
                write!(f, "unknown value `{value}`; ")?;
                if let Some(meant) = closest(value, expected) {
                    write!(f, "did you mean `{meant}`? ")?;
                }
                write!(f, "expected {}", one_of(expected))
            }
            DataProblem::UnknownField { field, expected } => {
                write!(f, "unknown field `{field}`; ")?;
                if let Some(meant) = closest(field, expected) {
                    write!(f, "did you mean `{meant}`? ")?;
                }
                if expected.is_empty() {
                    f.write_str("this table has no fields")
                } else {
                    write!(f, "expected {}", one_of(expected))
                }
            }
            DataProblem::MissingField(field) => {
                write!(f, "missing field `{field}`; add it to this table")
            }
            DataProblem::DuplicateField(field) => {
                write!(f, "field `{field}` is given twice; keep one")
            }
            DataProblem::Said(message) => f.write_str(message),
        }
    }
}

/// Reads JSON text; a problem with the data is said in the project's words.
pub fn from_json<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text).map_err(|error| {
        if error.classify() != serde_json::error::Category::Data {
            return error;
        }
        let mut reader = serde_json::Deserializer::from_str(text);
        match Worded::<T>::default()
            .deserialize(&mut reader)
            .and_then(|_| reader.end())
        {
            Err(worded) => worded,
            // Read through `Worded`, the text is good after all: the first
            // error stands.
            Ok(()) => error,
        }
    })
}

/// Reads TOML text; a problem with the data is said in the project's words.
pub fn from_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, toml::de::Error> {
    toml::from_str(text).or_else(|error| {
        let reader = toml::Deserializer::parse(text)?;
        match Worded::<T>::default().deserialize(reader) {
            Err(worded) => Err(worded),
            Ok(_) => Err(error),
        }
    })
}

/// Reads a `T` from any deserializer, saying what the data gets wrong in
/// [`DataProblem`]'s words inside the deserializer's own error.
pub struct Worded<T>(std::marker::PhantomData<T>);

impl<T> Default for Worded<T> {
    fn default() -> Self {
        Worded(std::marker::PhantomData)
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Worded<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize(Reader(deserializer)).map_err(Problem::into_parser)
    }
}

/// The error seen by the data's reading code inside [`Reader`].
#[derive(Debug)]
enum Problem<E> {
    /// Found by the reading code: said in the project's words.
    Data(DataProblem),
    /// The parser's own error, already placed in the file.
    Parser(E),
}

impl<E: de::Error> Problem<E> {
    /// Back into the parser's error type: a data problem as its words (the
    /// parser adds where it is), a parser error as it was.
    fn into_parser(self) -> E {
        match self {
            Problem::Data(problem) => E::custom(problem),
            Problem::Parser(error) => error,
        }
    }
}

impl<E: Display> Display for Problem<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Data(problem) => problem.fmt(f),
            Problem::Parser(error) => error.fmt(f),
        }
    }
}

impl<E: de::Error> std::error::Error for Problem<E> {}

impl<E: de::Error> de::Error for Problem<E> {
    fn custom<T: Display>(message: T) -> Self {
        Problem::Data(DataProblem::Said(message.to_string()))
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Problem::Data(DataProblem::WrongType {
            found: unexpected.into(),
            expected: expected_words(expected),
        })
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Problem::Data(DataProblem::WrongValue {
            found: unexpected.into(),
            expected: expected_words(expected),
        })
    }

    fn invalid_length(length: usize, expected: &dyn Expected) -> Self {
        Problem::Data(DataProblem::WrongLength {
            length,
            expected: expected_words(expected),
        })
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Problem::Data(DataProblem::UnknownValue {
            value: shorten(variant, QUOTE_LIMIT).into_owned(),
            expected,
        })
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Problem::Data(DataProblem::UnknownField {
            field: shorten(field, QUOTE_LIMIT).into_owned(),
            expected,
        })
    }

    fn missing_field(field: &'static str) -> Self {
        Problem::Data(DataProblem::MissingField(field))
    }

    fn duplicate_field(field: &'static str) -> Self {
        Problem::Data(DataProblem::DuplicateField(field))
    }
}

/// A parser's deserializer seen through [`Problem`]. A request for a value
/// of one sort (a boolean, a number, text, a list, a table) asks the parser
/// for whatever is there, so that a value of the wrong sort is refused by
/// the reading code, in its words, rather than by the parser in serde's.
struct Reader<D>(D);

/// Wraps what the parser hands the reading code, so that it too reports
/// through [`Problem`].
struct Wrap<T>(T);

macro_rules! any_value {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.0.deserialize_any(Wrap(visitor)).map_err(Problem::Parser)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Reader<D> {
    type Error = Problem<D::Error>;

    any_value! {
        deserialize_any deserialize_bool
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string
        deserialize_bytes deserialize_byte_buf deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0
            .deserialize_ignored_any(Wrap(visitor))
            .map_err(Problem::Parser)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0
            .deserialize_option(Wrap(visitor))
            .map_err(Problem::Parser)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        // Forwarded as asked: a parser may give a named newtype a meaning
        // of its own (serde_json's raw values).
        self.0
            .deserialize_newtype_struct(name, Wrap(visitor))
            .map_err(Problem::Parser)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        // A parser's own structs (`$__…`: TOML's dates and spans) are
        // forwarded as asked. Any other is asked for whatever is there, as
        // TOML does itself: serde_json, asked for a struct, refuses a value
        // of another sort in serde's words.
        if name.starts_with("$__") {
            self.0
                .deserialize_struct(name, fields, Wrap(visitor))
                .map_err(Problem::Parser)
        } else {
            self.deserialize_any(visitor)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0
            .deserialize_enum(name, variants, Wrap(visitor))
            .map_err(Problem::Parser)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! visit_value {
    ($($method:ident($type:ty))*) => {$(
        fn $method<E: de::Error>(self, value: $type) -> Result<Self::Value, E> {
            self.0.$method::<Problem<E>>(value).map_err(Problem::into_parser)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(formatter)
    }

    visit_value! {
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64)
        visit_i128(i128) visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64)
        visit_u128(u128) visit_f32(f32) visit_f64(f64) visit_char(char)
        visit_str(&str) visit_borrowed_str(&'de str) visit_string(String)
        visit_bytes(&[u8]) visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0
            .visit_none::<Problem<E>>()
            .map_err(Problem::into_parser)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0
            .visit_unit::<Problem<E>>()
            .map_err(Problem::into_parser)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0
            .visit_some(Reader(deserializer))
            .map_err(Problem::into_parser)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        self.0
            .visit_newtype_struct(Reader(deserializer))
            .map_err(Problem::into_parser)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.visit_seq(Wrap(seq)).map_err(Problem::into_parser)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(Wrap(map)).map_err(Problem::into_parser)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.0.visit_enum(Wrap(data)).map_err(Problem::into_parser)
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Wrap<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0
            .deserialize(Reader(deserializer))
            .map_err(Problem::into_parser)
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Wrap<A> {
    type Error = Problem<A::Error>;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next_element_seed(Wrap(seed))
            .map_err(Problem::Parser)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Wrap<A> {
    type Error = Problem<A::Error>;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        self.0.next_key_seed(Wrap(seed)).map_err(Problem::Parser)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        self.0.next_value_seed(Wrap(seed)).map_err(Problem::Parser)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Wrap<A> {
    type Error = Problem<A::Error>;
    type Variant = Wrap<A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), Self::Error> {
        self.0
            .variant_seed(Wrap(seed))
            .map(|(value, variant)| (value, Wrap(variant)))
            .map_err(Problem::Parser)
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Wrap<A> {
    type Error = Problem<A::Error>;

    fn unit_variant(self) -> Result<(), Self::Error> {
        self.0.unit_variant().map_err(Problem::Parser)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        self.0
            .newtype_variant_seed(Wrap(seed))
            .map_err(Problem::Parser)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0
            .tuple_variant(len, Wrap(visitor))
            .map_err(Problem::Parser)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0
            .struct_variant(fields, Wrap(visitor))
            .map_err(Problem::Parser)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Person {
        email: String,
        certified: bool,
        count: u32,
        #[serde(default)]
        track: Option<Track>,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    enum Track {
        Consulting,
        Technology,
    }

    fn json(text: &str) -> String {
        from_json::<Person>(text)
            .err()
            .map(|error| error.to_string())
            .unwrap_or_default()
    }

    fn toml(text: &str) -> String {
        from_toml::<Person>(text)
            .err()
            .map(|error| error.message().to_owned())
            .unwrap_or_default()
    }

    /// Each of serde's problems is said in the project's words, in both
    /// formats, and the JSON error keeps the parser's place.
    #[test]
    fn data_problems_are_said_in_the_projects_words() {
        let base = r#""email": "a@b.c", "count": 1"#;
        let cases = [
            (
                format!(r#"{{{base}, "certified": "yes"}}"#),
                "certified = \"yes\"",
                "found the text `\"yes\"`; expected `true` or `false`",
            ),
            (
                format!(r#"{{{base}, "certified": true, "tags": "x"}}"#),
                "certified = true\ntags = \"x\"",
                "found the text `\"x\"`; expected a list",
            ),
            (
                format!(r#"{{{base}, "certified": true, "trak": "consulting"}}"#),
                "certified = true\ntrak = \"consulting\"",
                "unknown field `trak`; did you mean `track`? expected one of `email`, `certified`, `count`, `track`, `tags`",
            ),
            (
                format!(r#"{{{base}, "certified": true, "track": "consultng"}}"#),
                "certified = true\ntrack = \"consultng\"",
                "unknown value `consultng`; did you mean `consulting`? expected `consulting` or `technology`",
            ),
            (
                r#"{"email": "a@b.c", "certified": true}"#.to_owned(),
                "-",
                "missing field `count`; add it to this table",
            ),
            (
                format!(r#"{{{base}, "certified": true, "tags": {{}}}}"#),
                "certified = true\n[tags]",
                "found a table; expected a list",
            ),
        ];
        for (json_text, toml_body, expected) in cases {
            let said = json(&json_text);
            assert!(said.starts_with(expected), "{json_text}: {said}");
            assert!(said.contains(" at line 1 column "), "{said}");
            let toml_text = if toml_body == "-" {
                "email = \"a@b.c\"\ncertified = true\n".to_owned()
            } else {
                format!("email = \"a@b.c\"\ncount = 1\n{toml_body}\n")
            };
            assert_eq!(toml(&toml_text), expected, "{toml_text}");
        }
        assert!(
            json(r#"{"email": "a@b.c", "count": -1, "certified": true}"#)
                .starts_with("found the number `-1`; expected a whole number of 0 or more")
        );
        assert!(
            json(r#"{"email": "a@b.c", "count": 1, "certified": true, "certified": true}"#)
                .starts_with("field `certified` is given twice; keep one")
        );
    }

    /// Good text reads the same as through serde alone, and a syntax error
    /// keeps the parser's message.
    #[test]
    fn good_text_and_syntax_errors_are_left_to_the_parser() {
        let good = r#"{"email": "a@b.c", "count": 2, "certified": true, "track": "technology", "tags": ["x"]}"#;
        let person = from_json::<Person>(good).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(person.count, 2);
        let broken = r#"{"email": "a@b.c",, }"#;
        let worded = from_json::<Person>(broken).err().map(|e| e.to_string());
        let plain = serde_json::from_str::<Person>(broken)
            .err()
            .map(|e| e.to_string());
        assert_eq!(worded, plain);
    }
}
