//! Data shown in a medium, escaped for it: the terminal, Markdown
//! (CommonMark with GitHub's tables), XML 1.0 and a URI's path. Partner and
//! rule files are untrusted: a name may hold a screen-clearing escape, a
//! line break that forges a row, or markup. Every renderer passes the data
//! it interpolates through the function of its medium, here, and the
//! command line passes every human-readable output once more through
//! [`terminal_output`].

use std::borrow::Cow;
use std::fmt::{self, Display, Write as _};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Whether `c` acts on a terminal or on the order of the text around it
/// rather than showing as itself: the C0 and C1 controls, DEL, the line and
/// paragraph separators and the bidirectional formatting characters.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// How a hidden character is written: `\n`, `\r`, `\t`, else `\u{1b}`.
fn write_escaped(out: &mut impl fmt::Write, c: char) -> fmt::Result {
    match c {
        '\n' => out.write_str("\\n"),
        '\r' => out.write_str("\\r"),
        '\t' => out.write_str("\\t"),
        _ => write!(out, "{}", c.escape_unicode()),
    }
}

/// A value shown on a terminal: its text with every hidden character
/// (including line breaks) written as an escape, so that the value stays
/// on its line and cannot act on the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Shown<T>(pub T);

/// `value` for a terminal; see [`Shown`].
pub fn shown<T: Display>(value: T) -> Shown<T> {
    Shown(value)
}

impl<T: Display> Display for Shown<T> {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        struct Escaping<'a, 'b>(&'a mut fmt::Formatter<'b>);
        impl fmt::Write for Escaping<'_, '_> {
            fn write_str(&mut self, text: &str) -> fmt::Result {
                let mut rest = text;
                while let Some((index, c)) = rest.char_indices().find(|&(_, c)| is_hidden(c)) {
                    self.0.write_str(&rest[..index])?;
                    write_escaped(self.0, c)?;
                    rest = &rest[index + c.len_utf8()..];
                }
                self.0.write_str(rest)
            }
        }
        write!(Escaping(formatter), "{}", self.0)
    }
}

/// `text` for a terminal, as [`Shown`] writes it.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_hidden) {
        Cow::Owned(shown(text).to_string())
    } else {
        Cow::Borrowed(text)
    }
}

/// The length of the colour escape (SGR: `ESC [ digits ; … m`) that starts
/// `text`, if one does.
fn colour_escape(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("\u{1b}[")?;
    let parameters = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))
        .unwrap_or(rest.len());
    rest[parameters..]
        .starts_with('m')
        .then_some(2 + parameters + 1)
}

/// A whole human-readable output, last thing before the terminal: line
/// breaks and colour escapes are the renderer's and stay; every other
/// hidden character is escaped. Data was escaped as it was put in; this
/// makes sure nothing that acts on a terminal gets through a renderer that
/// forgot.
pub fn terminal_output(text: &str) -> Cow<'_, str> {
    let suspicious = |c: char| c != '\n' && is_hidden(c);
    if !text.chars().any(suspicious) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some((index, c)) = rest.char_indices().find(|&(_, c)| suspicious(c)) {
        out.push_str(&rest[..index]);
        let from = &rest[index..];
        match colour_escape(from) {
            Some(length) => {
                out.push_str(&from[..length]);
                rest = &from[length..];
            }
            None => {
                // Writing to a String cannot fail.
                let _ = write_escaped(&mut out, c);
                rest = &from[c.len_utf8()..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Text for people as it is written, what [`terminal_output`] does to a
/// whole text: line breaks and colour escapes stay, every other hidden
/// character is escaped. A colour escape or a character cut between two
/// writes is held until the next one completes it; [`TerminalWriter::finish`]
/// writes what is left.
pub struct TerminalWriter<'a> {
    out: &'a mut dyn std::io::Write,
    /// Bytes written that may be the start of a colour escape or of a
    /// character.
    held: Vec<u8>,
}

impl<'a> TerminalWriter<'a> {
    /// Writes to `out`.
    pub fn new(out: &'a mut dyn std::io::Write) -> TerminalWriter<'a> {
        TerminalWriter {
            out,
            held: Vec::new(),
        }
    }

    /// Writes what is held (an escape never completed is escaped) and
    /// flushes.
    pub fn finish(mut self) -> std::io::Result<()> {
        let held = std::mem::take(&mut self.held);
        self.out
            .write_all(terminal_output(&String::from_utf8_lossy(&held)).as_bytes())?;
        self.out.flush()
    }

    /// Where the bytes that are complete end: before a trailing incomplete
    /// character, or a trailing escape that a later write may complete.
    fn complete(bytes: &[u8]) -> usize {
        let characters = match std::str::from_utf8(bytes) {
            Ok(_) => bytes.len(),
            Err(error) if error.error_len().is_none() => error.valid_up_to(),
            Err(_) => bytes.len(),
        };
        let escape = bytes.iter().rposition(|&byte| byte == 0x1b).filter(|&at| {
            let after = &bytes[at + 1..];
            after.len() < 32
                && after.first().is_none_or(|&byte| byte == b'[')
                && after
                    .iter()
                    .skip(1)
                    .all(|&byte| byte.is_ascii_digit() || byte == b';' || byte == b':')
        });
        escape.map_or(characters, |at| at.min(characters))
    }
}

impl std::io::Write for TerminalWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.held.extend_from_slice(bytes);
        let end = TerminalWriter::complete(&self.held);
        let text = String::from_utf8_lossy(&self.held[..end]);
        self.out.write_all(terminal_output(&text).as_bytes())?;
        self.held.drain(..end);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The characters that can act as Markdown inline markup anywhere in a
/// line (GitHub's tables, strikethrough and math included).
const MARKDOWN_INLINE: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '!', '&', '~', '$',
];

/// `text` as Markdown inline text (also in a table cell): it reads as the
/// data says, whatever it holds. Line breaks (`\n`, `\r`) become spaces, so a
/// value cannot start a row or a block; other hidden characters are
/// written as escapes; every character that can act as inline markup
/// (`|`, `<`, `` ` ``, `*`, `[`, `&`, …) is backslash-escaped, as CommonMark
/// allows for any ASCII punctuation, and so is a leading one that could
/// open a block (`#`, `+`, `-`, `=`, `1.`).
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut leading_digits = true;
    for (index, c) in text.chars().enumerate() {
        match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if is_hidden(c) => {
                // `\u{..}`: its backslash and braces are shown as themselves.
                let _ = write!(out, "\\\\u{{{:x}}}", u32::from(c));
            }
            c => {
                let opens_block = (index == 0 && matches!(c, '#' | '+' | '-' | '='))
                    || (leading_digits && index > 0 && matches!(c, '.' | ')'));
                if MARKDOWN_INLINE.contains(&c) || opens_block {
                    out.push('\\');
                }
                out.push(c);
            }
        }
        leading_digits = leading_digits && c.is_ascii_digit();
    }
    out
}

/// `text` as a Markdown code span when it holds nothing a code span cannot
/// show as itself (a backtick, a `|` that would split a table cell, a line
/// break or other hidden character, an edge space), else as
/// [`markdown`] text.
pub fn markdown_code(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.chars().any(|c| c == '`' || c == '|' || is_hidden(c));
    if plain {
        format!("`{text}`")
    } else {
        markdown(text)
    }
}

/// Whether XML 1.0 allows `c` in a document.
fn xml_allows(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{D7FF}').contains(&c)
        || ('\u{E000}'..='\u{FFFD}').contains(&c)
        || c >= '\u{10000}'
}

/// `text` as XML 1.0 character data or an attribute value: a character XML
/// does not allow (most C0 controls, U+FFFE, U+FFFF; lone surrogates cannot
/// occur in Rust strings) is written as `\u{..}`, then markup is escaped, so
/// the document is well-formed whatever the data says.
pub fn xml(text: &str) -> String {
    quick_xml::escape::escape(xml_legal(text).as_ref()).into_owned()
}

/// The text with every character XML 1.0 does not allow written as
/// `\u{..}`, not yet escaped: for a writer that escapes markup itself (the
/// SVG backend of `plotters`).
pub fn xml_legal(text: &str) -> Cow<'_, str> {
    if text.chars().all(xml_allows) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if xml_allows(c) {
            out.push(c);
        } else {
            let _ = write!(out, "{}", c.escape_unicode());
        }
    }
    Cow::Owned(out)
}

/// A Graphviz DOT quoted string's content: quotes and backslashes
/// escaped, line breaks and other controls written as `\u{..}` (a DOT
/// label's `\n` and `\l` are never formed from the data).
pub fn dot(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || is_hidden(c) => {
                let _ = write!(out, "{}", c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    out
}

/// What a URI path keeps as it is (RFC 3986 unreserved characters and the
/// `/` between segments); everything else is percent-encoded.
const URI_PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A file path as a relative URI reference (SARIF's `artifactLocation.uri`):
/// `\` separators become `/`, every other byte outside the unreserved set is
/// percent-encoded as UTF-8.
pub fn uri_path(path: &str) -> String {
    utf8_percent_encode(&path.replace('\\', "/"), URI_PATH).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The writer gives what `terminal_output` gives the whole text, however
    /// the text is cut into writes (a colour escape or a character split
    /// between two among them).
    #[test]
    fn the_terminal_writer_is_terminal_output_in_pieces() {
        let mut text = String::from("\u{1b}[1;32m✓ met\u{1b}[0m é\n");
        for hostile in hostile() {
            text.push_str(&hostile);
            text.push('\n');
        }
        text.push_str("\u{1b}[31");
        let whole = format!("{}", terminal_output(&text));
        let bytes = text.as_bytes();
        for size in [1, 2, 3, 5, 7, 64, bytes.len()] {
            let mut out = Vec::new();
            let mut writer = TerminalWriter::new(&mut out);
            for piece in bytes.chunks(size) {
                std::io::Write::write_all(&mut writer, piece)
                    .unwrap_or_else(|error| panic!("{error}"));
            }
            writer.finish().unwrap_or_else(|error| panic!("{error}"));
            assert_eq!(String::from_utf8_lossy(&out), whole, "in pieces of {size}");
        }
    }

    /// Every C0 control, DEL, a C1 control, the bidi overrides, U+FFFF and
    /// the injection strings of the reports.
    fn hostile() -> Vec<String> {
        let mut all: Vec<String> = (0u32..0x20)
            .chain([0x7f, 0x9b, 0x202e, 0x2066, 0x2028, 0xfffe, 0xffff])
            .filter_map(char::from_u32)
            .map(|c| format!("a{c}b"))
            .collect();
        all.extend(
            [
                "\u{1b}]0;pwned\u{7}",
                "\u{1b}[2J\u{1b}[H",
                "x\r| ✅ | forged | meets select |",
                "x\n| ✅ | forged |",
                "<!-- hide",
                "a`b``c",
                "]]></failure><x>",
                "*bold* _it_ [link](http://e.com) <b>&amp;",
            ]
            .map(str::to_owned),
        );
        all
    }

    #[test]
    fn the_terminal_sees_no_hidden_character_of_the_data() {
        for text in hostile() {
            let safe = terminal(&text);
            assert!(!safe.chars().any(is_hidden), "{text:?} gave {safe:?}");
            let net = terminal_output(&text);
            assert!(
                !net.chars().any(|c| c != '\n' && is_hidden(c)),
                "{text:?} gave {net:?}"
            );
        }
        assert_eq!(terminal("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(terminal("line\nbreak"), "line\\nbreak");
        assert_eq!(shown("tab\there").to_string(), "tab\\there");
        assert_eq!(terminal("plain ✓"), "plain ✓");
    }

    #[test]
    fn the_output_net_keeps_colours_and_line_breaks() {
        let ours = "\u{1b}[32m✓\u{1b}[0m met\n\u{1b}[38;5;9mx\u{1b}[39m\n";
        assert_eq!(terminal_output(ours), ours);
        assert_eq!(
            terminal_output("a\u{1b}]0;t\u{7}\r\n"),
            "a\\u{1b}]0;t\\u{7}\\r\n"
        );
    }

    #[test]
    fn markdown_escapes_markup_and_line_breaks() {
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(markdown("x\ry"), "x y");
        assert_eq!(markdown("<!--"), "\\<\\!--");
        assert_eq!(markdown("a`b"), "a\\`b");
        assert_eq!(markdown("# 12. x-y"), "\\# 12. x-y");
        assert_eq!(markdown("12. x"), "12\\. x");
        assert_eq!(markdown("a\u{1b}b"), "a\\\\u{1b}b");
        assert_eq!(markdown("é ✓ program-fee"), "é ✓ program-fee");
        assert_eq!(markdown_code("gate/a.toml"), "`gate/a.toml`");
        assert_eq!(markdown_code("a`b"), "a\\`b");
    }

    #[test]
    fn xml_is_legal_for_every_character() {
        assert_eq!(
            xml("a\u{1}b\u{ffff}<&>\""),
            "a\\u{1}b\\u{ffff}&lt;&amp;&gt;&quot;"
        );
        assert_eq!(xml("tab\tok"), "tab\tok");
    }

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(uri_path("dir\\a b#1?.toml"), "dir/a%20b%231%3F.toml");
        assert_eq!(uri_path("é.json"), "%C3%A9.json");
        assert_eq!(uri_path("ok/path-1_x~.toml"), "ok/path-1_x~.toml");
    }
}
