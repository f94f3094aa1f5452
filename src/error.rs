//! Errors of loading rule files and partner files. Each carries the file,
//! and where the parser locates the problem, the line and column; messages
//! are one lowercase line with user input in backticks.

use std::io;

use thiserror::Error;

/// A line and column in a file, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        Location {
            line: before.matches('\n').count() + 1,
            column: before[line_start(text, offset)..].chars().count() + 1,
        }
    }
}

/// Where the line that holds byte `at` of `text` begins (0 for an `at`
/// past the end or inside a character: the first line's start).
pub fn line_start(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |index| index + 1)
}

impl std::fmt::Display for Location {
    fn fmt(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(formatter, "line {}, column {}", self.line, self.column)
    }
}

/// The line of a file where a problem is, kept to show it with a caret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// Where the problem starts.
    pub location: Location,
    /// The text of that line.
    pub text: String,
    /// The problem's byte range within `text`.
    pub span: std::ops::Range<usize>,
}

/// Lines longer than this (in bytes) are cut to a window around the problem
/// (the renderer trims shorter long lines itself, keeping their columns).
const EXCERPT_LINE_LIMIT: usize = 4096;

/// The width of that window, in bytes.
const EXCERPT_WIDTH: usize = 160;

impl Excerpt {
    /// The excerpt of `source` for the byte range `span` (its first line).
    pub fn at(source: &str, span: std::ops::Range<usize>) -> Excerpt {
        let mut start = span.start.min(source.len());
        while !source.is_char_boundary(start) {
            start -= 1;
        }
        let line_begins = line_start(source, start);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |index| start + index);
        let line = source[line_begins..line_end].trim_end_matches('\r');
        // A very long line is shown as a window around the problem.
        let (mut from, mut to) = (line_begins, line_begins + line.len());
        if line.len() > EXCERPT_LINE_LIMIT {
            from = start.saturating_sub(EXCERPT_WIDTH / 4).max(line_begins);
            to = (from + EXCERPT_WIDTH).min(line_begins + line.len());
            while !source.is_char_boundary(from) {
                from -= 1;
            }
            while !source.is_char_boundary(to) {
                to -= 1;
            }
        }
        let text = source[from..to].to_owned();
        let local_start = (start - from).min(text.len());
        let mut local_end = span.end.saturating_sub(from).clamp(local_start, text.len());
        if local_end == local_start {
            // An empty span still gets a caret, on the next character.
            local_end = text[local_start..]
                .chars()
                .next()
                .map_or(local_start, |next| local_start + next.len_utf8());
        }
        while !text.is_char_boundary(local_end) {
            local_end -= 1;
        }
        Excerpt {
            location: Location::of_offset(source, start),
            text,
            span: local_start..local_end,
        }
    }
}

/// " line L, column C" when there is an excerpt, else nothing.
fn place(excerpt: &Option<Box<Excerpt>>) -> String {
    excerpt
        .as_ref()
        .map(|excerpt| format!(" {}", excerpt.location))
        .unwrap_or_default()
}

/// Why a partner file could not be loaded.
#[derive(Debug, Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read `{path}`: {}", describe_io(source))]
    Read {
        /// The file.
        path: String,
        /// What the system said.
        source: io::Error,
    },
    /// The file is larger than the size limit.
    #[error("`{path}` is {}, above the {} limit for a partner file; raise it with `--max-file-size` if the file is right", size_words(*size), size_words(*limit))]
    TooLarge {
        /// The file.
        path: String,
        /// Its size in bytes (at least; reading stopped past the limit).
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file would need more memory than there is to read.
    #[error("`{path}` is {}; reading it would take about {} of memory, and {} is free; free memory or split the partner's data", size_words(*size), size_words(*needed), size_words(*available))]
    OutOfMemory {
        /// The file.
        path: String,
        /// Its size in bytes.
        size: u64,
        /// The memory it would take.
        needed: u64,
        /// The memory free.
        available: u64,
    },
    /// The file is not UTF-8 text.
    #[error(
        "`{path}` {}: the file is not UTF-8 text (an invalid byte here); save it as UTF-8",
        location
    )]
    NotUtf8 {
        /// The file.
        path: String,
        /// Where the first invalid byte is.
        location: Location,
    },
    /// The file name does not say TOML or JSON.
    #[error("`{path}`: unknown file type; expected a partner file ending in `.toml` or `.json`")]
    UnknownFormat {
        /// The file.
        path: String,
    },
    /// A TOML syntax or data error.
    #[error("`{path}` {location}: {message}")]
    Toml {
        /// The file.
        path: String,
        /// Where the parser stopped.
        location: Location,
        /// What is wrong, in one line.
        message: String,
        /// The parser's error (boxed: it is large, and errors are rare).
        source: Box<toml::de::Error>,
        /// The offending line.
        excerpt: Option<Box<Excerpt>>,
    },
    /// A JSON syntax or data error.
    #[error("`{path}` {location}: {message}")]
    Json {
        /// The file.
        path: String,
        /// Where the parser stopped.
        location: Location,
        /// What is wrong, in one line.
        message: String,
        /// The parser's error.
        source: serde_json::Error,
        /// The offending line.
        excerpt: Option<Box<Excerpt>>,
    },
    /// Well-formed data that breaks a rule of the contract; the message names
    /// the record, such as "opportunity `O-7` is listed twice".
    #[error("`{path}`{}: {problem}", place(excerpt))]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong and what would be right, naming the record.
        problem: PartnerProblem,
        /// The record's line, when found.
        excerpt: Option<Box<Excerpt>>,
    },
}

/// A rule of the contract that well-formed partner data breaks: what is
/// wrong, with the values that show it. The words are written here, once;
/// the check that finds it names the record, whose line the error shows.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PartnerProblem {
    /// A JSON partner file whose top level is an array.
    #[error("the top level is an array; a partner file is one JSON object with a `partner` table")]
    TopLevelArray,
    /// A tier its track does not have.
    #[error(
        "partner `{}`: track `{track}` has no tier `{tier}`; expected one of {}",
        short(name),
        list(expected.iter().map(String::as_str))
    )]
    NoSuchTier {
        /// The partner's name.
        name: String,
        /// Its track.
        track: crate::tiers::Track,
        /// The tier given.
        tier: crate::tiers::Tier,
        /// The track's tiers.
        expected: Vec<String>,
    },
    /// A person without an email.
    #[error(
        "person {number} of `people` has an empty `email`; every person needs the email that identifies them"
    )]
    EmptyEmail {
        /// The person's place in `people`, from 1.
        number: usize,
    },
    /// A person listed twice.
    #[error(
        "person `{}` is listed twice (emails are compared case-insensitively); merge the two entries",
        short(email)
    )]
    PersonTwice {
        /// The person's email.
        email: String,
    },
    /// One email used by two people.
    #[error(
        "email `{}` is used by person `{}` and by person `{}` (as `email` or `tc_email`); each email belongs to one person: merge them, or correct the email",
        short(address),
        short(first),
        short(second)
    )]
    EmailShared {
        /// The email both use.
        address: String,
        /// The person who used it first.
        first: String,
        /// The person who uses it again.
        second: String,
    },
    /// A certification the rule file's catalog does not have.
    #[error(
        "person `{}`: certification `{}` is not in the rule file's catalog; closest: {}",
        short(person),
        short(certification),
        list(closest.iter().map(String::as_str))
    )]
    UnknownCertification {
        /// The person's email.
        person: String,
        /// The certification as written.
        certification: String,
        /// The catalog's closest ids.
        closest: Vec<String>,
    },
    /// An opportunity id used twice.
    #[error(
        "opportunity `{}` is listed twice; opportunity ids must be unique",
        short(id)
    )]
    OpportunityTwice {
        /// The id.
        id: String,
    },
    /// Amounts whose sum does not fit in cents.
    #[error("the amounts of {what} add up to more than apn-check can hold")]
    TotalTooLarge {
        /// Which amounts: a list's name, or a revenue line's credits.
        what: String,
    },
    /// A launched opportunity without its launch day.
    #[error(
        "opportunity `{}` is launched but has no `launched_on`; add the launch date",
        short(id)
    )]
    LaunchedWithoutDate {
        /// The opportunity's id.
        id: String,
    },
    /// A launch day on an opportunity not launched.
    #[error(
        "opportunity `{}` has `launched_on` but its stage is not `launched`; remove the date or set `stage = \"launched\"`",
        short(id)
    )]
    DateWithoutLaunch {
        /// The opportunity's id.
        id: String,
    },
    /// `launched_on_source` without `launched_on`.
    #[error(
        "opportunity `{}` has `launched_on_source` but no `launched_on`; remove `launched_on_source`",
        short(id)
    )]
    SourceWithoutDate {
        /// The opportunity's id.
        id: String,
    },
    /// A validation of a named program without its name.
    #[error("{program} validation needs a `name`, such as `name = \"{example}\"`")]
    UnnamedValidation {
        /// The program, with its article ("a competency").
        program: &'static str,
        /// A name such a validation could have.
        example: &'static str,
    },
    /// A reference via ACE that names no opportunity.
    #[error(
        "reference for `{}` is via `ace` but names no `opportunity`; add the id of its launched opportunity",
        short(customer)
    )]
    AceReferenceWithoutOpportunity {
        /// The reference's customer.
        customer: String,
    },
    /// Requirement evidence the competency catalog does not know; the
    /// catalog writes what is wrong.
    #[error("{0}")]
    UnknownEvidence(String),
}

/// A value quoted in a message, cut to [`QUOTE_LIMIT`] characters.
fn short(text: &str) -> std::borrow::Cow<'_, str> {
    shorten(text, QUOTE_LIMIT)
}

/// Why an input named on the command line gave no partner file to score.
#[derive(Debug, Error)]
pub enum InputError {
    /// A directory without partner files.
    #[error("`{path}`: no partner files (`.toml` or `.json`) in this directory or below it")]
    EmptyDirectory {
        /// The directory.
        path: String,
    },
    /// A directory that could not be listed.
    #[error("cannot list `{path}`: {}", describe_io(source))]
    List {
        /// The directory.
        path: String,
        /// What the system said.
        source: io::Error,
    },
    /// `-` without `--stdin-format`.
    #[error(
        "`-` reads standard input, which has no file name to tell TOML from JSON; add `--stdin-format toml` or `--stdin-format json`"
    )]
    StdinFormat,
    /// The gated tier does not exist for the partner's track.
    #[error(
        "`{path}`: track `{track}` has no tier `{tier}`, which `--require` asks for; expected one of {expected}"
    )]
    GateTier {
        /// The file.
        path: String,
        /// The partner's track.
        track: crate::tiers::Track,
        /// The tier asked for.
        tier: crate::tiers::Tier,
        /// The tiers the track has.
        expected: String,
    },
    /// The partner file could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
}

impl LoadError {
    /// Where in the file the problem is, when known.
    pub fn location(&self) -> Option<Location> {
        match self {
            LoadError::Toml { location, .. } | LoadError::Json { location, .. } => Some(*location),
            LoadError::Invalid { excerpt, .. } => excerpt.as_ref().map(|excerpt| excerpt.location),
            LoadError::NotUtf8 { location, .. } => Some(*location),
            LoadError::Read { .. }
            | LoadError::UnknownFormat { .. }
            | LoadError::TooLarge { .. }
            | LoadError::OutOfMemory { .. } => None,
        }
    }

    /// The offending line, when known.
    pub fn excerpt(&self) -> Option<&Excerpt> {
        match self {
            LoadError::Toml { excerpt, .. }
            | LoadError::Json { excerpt, .. }
            | LoadError::Invalid { excerpt, .. } => excerpt.as_deref(),
            LoadError::Read { .. }
            | LoadError::UnknownFormat { .. }
            | LoadError::TooLarge { .. }
            | LoadError::OutOfMemory { .. }
            | LoadError::NotUtf8 { .. } => None,
        }
    }

    /// The file the error is about.
    pub fn path(&self) -> &str {
        match self {
            LoadError::Read { path, .. }
            | LoadError::UnknownFormat { path }
            | LoadError::TooLarge { path, .. }
            | LoadError::OutOfMemory { path, .. }
            | LoadError::NotUtf8 { path, .. }
            | LoadError::Toml { path, .. }
            | LoadError::Json { path, .. }
            | LoadError::Invalid { path, .. } => path,
        }
    }
}

impl InputError {
    /// The message as every report shows it: one line, bounded (see
    /// [`bounded`]).
    pub fn message(&self) -> String {
        bounded(&self.to_string())
    }

    /// The input the error is about, for the reports.
    pub fn subject(&self) -> String {
        match self {
            InputError::EmptyDirectory { path }
            | InputError::List { path, .. }
            | InputError::GateTier { path, .. } => path.clone(),
            InputError::StdinFormat => "-".to_owned(),
            InputError::Load(load) => load.path().to_owned(),
        }
    }

    /// Where in the file the problem is, when known.
    pub fn location(&self) -> Option<Location> {
        match self {
            InputError::Load(error) => error.location(),
            _ => None,
        }
    }
}

/// Why a rule file could not be loaded.
#[derive(Debug, Error)]
pub enum RulesError {
    /// The file could not be read.
    #[error("cannot read rule file `{path}`: {}", describe_io(source))]
    Read {
        /// The file.
        path: String,
        /// What the system said.
        source: io::Error,
    },
    /// A TOML syntax or data error.
    #[error("rule file `{path}` {location}: {message}")]
    Toml {
        /// The file.
        path: String,
        /// Where the parser stopped.
        location: Location,
        /// What is wrong, in one line.
        message: String,
        /// The parser's error (boxed: it is large, and errors are rare).
        source: Box<toml::de::Error>,
        /// The offending line, when the parser gave a place.
        excerpt: Option<Box<Excerpt>>,
    },
    /// A rule that breaks the rule file's own structure.
    #[error("rule file `{path}` {location}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// The place in the rule file.
        location: Location,
        /// What is wrong and what would be right.
        message: String,
        /// The offending line.
        excerpt: Box<Excerpt>,
    },
}

impl RulesError {
    /// The rule file, and the offending line with the problem's span, when
    /// known.
    pub fn excerpt(&self) -> Option<(&str, &Excerpt)> {
        match self {
            RulesError::Read { .. } => None,
            RulesError::Toml { path, excerpt, .. } => {
                excerpt.as_deref().map(|excerpt| (path.as_str(), excerpt))
            }
            RulesError::Invalid { path, excerpt, .. } => Some((path.as_str(), excerpt)),
        }
    }
}

/// A size in bytes for people: `512 bytes`, `1.5 MiB`, `1 GiB`.
pub fn size_words(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let shown = format!("{value:.1}");
    format!("{} {}", shown.trim_end_matches(".0"), UNITS[unit])
}

/// Text from a file, cut to at most `max` characters (with `…`), so that a
/// huge value never floods a message.
pub fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
    }
}

/// The longest quoted value a message repeats, in characters.
pub const QUOTE_LIMIT: usize = 80;

/// The most items a message lists.
const LISTED: usize = 12;

/// `a`, `b` and `c` written as "`a`, `b`, `c`": at most twelve, each cut
/// to [`QUOTE_LIMIT`] characters, then "and N
/// more", so that a message stays short whatever the rule file holds.
pub(crate) fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut shown = Vec::new();
    let mut more = 0_usize;
    for item in items {
        if shown.len() < LISTED {
            shown.push(format!("`{}`", shorten(item, QUOTE_LIMIT)));
        } else {
            more += 1;
        }
    }
    let mut text = shown.join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

/// The longest message shown, in characters.
pub const MESSAGE_LIMIT: usize = 1000;

/// A message as shown: every quoted value cut to [`QUOTE_LIMIT`]
/// characters, the whole to [`MESSAGE_LIMIT`]. Every error is shown through
/// this, so none floods a terminal or a log whatever the input holds.
pub fn bounded(message: &str) -> String {
    shorten(&shorten_quotes(message), MESSAGE_LIMIT).into_owned()
}

/// Cuts every quoted part of a message (between backticks or double
/// quotes) to [`QUOTE_LIMIT`] characters.
fn shorten_quotes(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(4096));
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest[open..].chars().next().unwrap_or('`');
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        match after.find(quote) {
            Some(close) => {
                out.push_str(&shorten(&after[..close], QUOTE_LIMIT));
                out.push(quote);
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&shorten(after, QUOTE_LIMIT));
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// One lowercase line for an I/O error.
pub fn describe_io(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::IsADirectory => "it is a directory, not a file".to_owned(),
        io::ErrorKind::InvalidData => "the file is not UTF-8 text".to_owned(),
        _ => {
            let text = error.to_string();
            let mut chars = text.chars();
            chars.next().map_or(text.clone(), |first| {
                first.to_lowercase().chain(chars).collect()
            })
        }
    }
}

/// serde_json's message about `text`, one line, without its " at line L
/// column C" tail (the excerpt says where). A problem with the data is
/// already in the project's words (the `deserialize` module); a text that ends
/// early is said here; any other syntax error is the parser's own.
pub fn json_message(error: &serde_json::Error, text: &str) -> String {
    if error.classify() == serde_json::error::Category::Eof {
        return if text.trim().is_empty() {
            "there is no JSON here; expected one JSON object".to_owned()
        } else {
            "the JSON ends before its value is complete; expected the rest of it, up to a closing `\"`, `]` or `}`".to_owned()
        };
    }
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    one_line(text.strip_suffix(&suffix).unwrap_or(&text))
}

/// Where serde_json's `error` is in `text`, as a byte range. A problem
/// with the data (a value of the wrong kind, an unknown field, a table
/// missing one) is placed by serde_json at the last byte it read: a text's,
/// a number's, a list's or a table's last, or the opening bracket of one
/// refused unread. The range is then the whole value, so that the caret is
/// where it begins. Any other error is its one byte.
pub fn json_error_span(text: &str, error: &serde_json::Error) -> std::ops::Range<usize> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum();
    let at = (line_start + error.column().saturating_sub(1)).min(text.len());
    if error.classify() != serde_json::error::Category::Data {
        return at..at + 1;
    }
    let bytes = text.as_bytes();
    if let Some(end) = json_container_end(bytes, at) {
        return at..end + 1;
    }
    json_value_ending_at(bytes, at).map_or(at..at + 1, |start| start..at + 1)
}

/// The closing bracket of the JSON list or table opened at `bytes[start]`,
/// if it opens one and is closed; its texts are skipped whole.
fn json_container_end(bytes: &[u8], start: usize) -> Option<usize> {
    if !matches!(bytes.get(start)?, b'[' | b'{') {
        return None;
    }
    let mut depth = 0usize;
    let mut at = start;
    let mut in_text = false;
    while let Some(&byte) = bytes.get(at) {
        match (in_text, byte) {
            (true, b'\\') => at += 1,
            (_, b'"') => in_text = !in_text,
            (false, b'[' | b'{') => depth += 1,
            (false, b']' | b'}') => {
                depth -= 1;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// The start of the JSON value whose last byte is `bytes[end]`, if it is
/// the end of one (a closing quote or bracket, a number or a word).
fn json_value_ending_at(bytes: &[u8], end: usize) -> Option<usize> {
    match *bytes.get(end)? {
        b'"' => json_text_start(bytes, end),
        b']' | b'}' => {
            // Back to the bracket that opens it, whole texts skipped (a
            // bracket in a text is not one).
            let mut depth = 0usize;
            let mut at = end;
            loop {
                match bytes[at] {
                    b'"' => at = json_text_start(bytes, at)?,
                    b']' | b'}' => depth += 1,
                    b'[' | b'{' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(at);
                        }
                    }
                    _ => {}
                }
                at = at.checked_sub(1)?;
            }
        }
        byte if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'+' | b'-') => {
            let token = bytes[..=end]
                .iter()
                .rev()
                .take_while(|byte| {
                    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'+' | b'-')
                })
                .count();
            Some(end + 1 - token)
        }
        _ => None,
    }
}

/// The opening quote of the JSON text whose closing quote is `bytes[end]`:
/// the nearest quote before it with an even number of backslashes before
/// it (an escaped quote has an odd number).
fn json_text_start(bytes: &[u8], end: usize) -> Option<usize> {
    let mut at = end;
    loop {
        at = bytes[..at].iter().rposition(|byte| *byte == b'"')?;
        let escapes = bytes[..at]
            .iter()
            .rev()
            .take_while(|byte| **byte == b'\\')
            .count();
        if escapes % 2 == 0 {
            return Some(at);
        }
    }
}

/// A message on one line: its lines joined with "; ".
fn one_line(message: &str) -> String {
    message.trim().replace('\n', "; ")
}

/// Converts a TOML error into its location and one-line message. A bare
/// word where a value belongs (the parser's "string values must be
/// quoted") is said in the partner file's terms: a date as YYYY-MM-DD, an
/// amount as a number, text in quotes.
///
/// `offset` is where the parsed part begins in `text` (0 for the whole).
pub fn toml_error_parts(text: &str, error: &toml::de::Error, offset: usize) -> (Location, String) {
    let span = error
        .span()
        .map_or(0..0, |span| span.start + offset..span.end + offset);
    let location = Location::of_offset(text, span.start);
    let message = error.message();
    if message.starts_with("string values must be quoted") {
        let bare = text
            .get(span.clone())
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("")
            .trim();
        let key = text
            .get(line_start(text, span.start)..span.start)
            .and_then(|line| line.split('=').next())
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        let shown = shorten(bare, QUOTE_LIMIT);
        let said = if bare.is_empty() {
            format!(
                "`{key}` has no value; expected one after `=`: quoted text, a number or a date YYYY-MM-DD"
            )
        } else if key.ends_with("_on") || key.ends_with("_date") || key.ends_with("_until") {
            format!(
                "`{shown}` is not a date; `{key}` is a date written YYYY-MM-DD without quotes, such as `2019-03-01`"
            )
        } else if key.ends_with("_usd") || bare.starts_with('$') {
            format!(
                "`{shown}` is not an amount; write USD as a number without `$` or commas, such as `800` or `800.00`"
            )
        } else {
            format!(
                "`{shown}` is not a value; quote text (such as `\"{shown}\"`), write numbers as digits and dates as YYYY-MM-DD"
            )
        };
        return (location, said);
    }
    if message.starts_with("duplicate key") {
        return (location, duplicate_key(text, span));
    }
    (location, one_line(message))
}

/// The words for a key or table TOML found twice (`span` is the second):
/// which, and where the first is when it is the same table's key or
/// header, found by reading back from the second.
fn duplicate_key(text: &str, span: std::ops::Range<usize>) -> String {
    let key = text.get(span.clone()).unwrap_or("").trim();
    let shown = shorten(key.trim_matches('"'), QUOTE_LIMIT);
    let second_begins = line_start(text, span.start);
    let header = text
        .get(second_begins..span.start)
        .is_some_and(|before| before.trim_start().starts_with('['));
    let before = text.get(..second_begins).unwrap_or("");
    // Each line before the second, nearest first, with its number.
    let second_line = before.matches('\n').count() + 1;
    let mut earlier = before.lines().rev().zip((1..second_line).rev());
    if header {
        let first = earlier.find(|(line, _)| {
            let line = line.trim();
            line.starts_with('[')
                && !line.starts_with("[[")
                && line
                    .trim_start_matches('[')
                    .split(']')
                    .next()
                    .is_some_and(|name| name.trim() == key)
        });
        return match first {
            Some((_, number)) => format!(
                "table `[{shown}]` is given twice (first on line {number}); keep one, with all its fields"
            ),
            None => format!("`{shown}` is given before this table `[{shown}]`; keep one"),
        };
    }
    // The same table's lines run back to its header.
    let first = earlier
        .take_while(|(line, _)| !line.trim_start().starts_with('['))
        .find(|(line, _)| {
            line.split('=')
                .next()
                .is_some_and(|name| name.trim().trim_matches('"') == key.trim_matches('"'))
                && line.contains('=')
        });
    let at = first.map_or(String::new(), |(_, number)| {
        format!(" (first on line {number})")
    });
    format!("field `{shown}` is given twice{at}; keep one")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_characters() {
        let text = "a = 1\nbé = 2\n";
        let cases = [(0, 1, 1), (4, 1, 5), (6, 2, 1), (9, 2, 3), (100, 3, 1)];
        for (offset, line, column) in cases {
            assert_eq!(
                Location::of_offset(text, offset),
                Location { line, column },
                "{offset}"
            );
        }
    }

    /// A value of the wrong sort, read as the loaders read (through
    /// `from_json`), is pointed at from where it begins, whole (serde_json
    /// places the error at its last byte): texts with escaped quotes, lists
    /// and tables with brackets inside their texts (refused at their last
    /// byte or their first), numbers; a syntax error keeps its one byte.
    #[test]
    fn a_wrong_json_value_is_pointed_at_whole() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Wants {
            number: Option<u32>,
            list: Option<Vec<u32>>,
            table: Option<std::collections::BTreeMap<String, u32>>,
        }
        let span_of = |text: &str| {
            let error = crate::deserialize::from_json::<Wants>(text)
                .err()
                .unwrap_or_else(|| panic!("accepted: {text}"));
            let span = json_error_span(text, &error);
            text.get(span.clone())
                .unwrap_or_else(|| panic!("{span:?} of {text}"))
                .to_owned()
        };
        assert_eq!(span_of(r#"{"number": "a \"b\" c"}"#), r#""a \"b\" c""#);
        assert_eq!(span_of(r#"{"number": "ends \\"}"#), r#""ends \\""#);
        assert_eq!(
            span_of(r#"{"number": ["]", {"a": "}"}]}"#),
            r#"["]", {"a": "}"}]"#
        );
        assert_eq!(span_of(r#"{"number": 12.5e3}"#), "12.5e3");
        assert_eq!(span_of(r#"{"number": true}"#), "true");
        assert_eq!(span_of(r#"{"list": {"a": "]}"}}"#), r#"{"a": "]}"}"#);
        assert_eq!(span_of(r#"{"list": {"a": "\"]}"}}"#), r#"{"a": "\"]}"}"#);
        assert_eq!(span_of(r#"{"table": [1, [2]]}"#), "[1, [2]]");
        assert_eq!(span_of(r#"{"number": 1,}"#), "}");
    }

    /// TOML's "duplicate key" says which key or table, and where it was
    /// first, read back only within the same table.
    #[test]
    fn a_key_or_table_given_twice_is_named_with_its_first_line() {
        let said = |text: &str| {
            let error = toml::from_str::<toml::Table>(text)
                .err()
                .unwrap_or_else(|| panic!("accepted: {text}"));
            toml_error_parts(text, &error, 0).1
        };
        assert_eq!(
            said("[partner]\nname = \"A\"\nname = \"B\"\n"),
            "field `name` is given twice (first on line 2); keep one"
        );
        assert_eq!(
            said("[partner]\nname = \"A\"\n\n[partner]\ntrack = \"x\"\n"),
            "table `[partner]` is given twice (first on line 1); keep one, with all its fields"
        );
        assert_eq!(
            said("partner = 1\n[partner]\nname = \"A\"\n"),
            "`partner` is given before this table `[partner]`; keep one"
        );
        // The first `name` above is another table's: not claimed.
        assert_eq!(
            said("[partner]\nname = \"A\"\n[[people]]\nemail = \"a\"\nname = 1\nname = 2\n"),
            "field `name` is given twice (first on line 5); keep one"
        );
        // Within an inline table: the `name` before the header is not it.
        assert_eq!(
            said("[partner]\nname = \"A\"\n[other]\ntrack = { name = 1, name = 2 }\n"),
            "field `name` is given twice; keep one"
        );
    }
}
