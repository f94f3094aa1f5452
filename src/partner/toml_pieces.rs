//! A TOML partner file read record by record. `toml` builds a tree of the
//! whole document before deserialising it, some 25 times the file in
//! memory; a partner file is mostly `[[list]]` records, each complete in
//! itself. So the text is cut, with `toml`'s own lexer (strings, comments
//! and multi-line values are never mistaken for headers), at each record of
//! a top-level list: each record is parsed alone, and the rest (the root
//! keys, `[partner]`, `[business_plan]`, ...) as one small document. A
//! list written inline at the root (`people = [{...}, {...}]`) is cut the
//! same way, at each of its tables, each read as a one-table list. Where
//! a record and the rest would interact in TOML's rules (a list also given
//! as a key or a table, a sub-table of a record after another table), the
//! file is not cut and is parsed whole, so the meaning is always TOML's.

use std::collections::HashSet;
use std::ops::Range;

use toml_parser::lexer::TokenKind;

/// The top-level lists of a partner file, whose `[[name]]` records are
/// parsed one by one.
pub(super) const LISTS: [&str; 11] = [
    "fee_payments",
    "people",
    "opportunities",
    "legacy_account_submissions",
    "revenue",
    "products",
    "validations",
    "executive_business_reviews",
    "references",
    "csat_responses",
    "requirement_evidence",
];

/// A TOML text cut into its records and the rest.
pub(super) struct Pieces {
    /// The text outside the records, its stretches joined in order.
    pub rest: String,
    /// Where each stretch of `rest` starts: in `rest`, and in the text.
    stretches: Vec<(usize, usize)>,
    /// Each record, in the file's order.
    pub records: Vec<Piece>,
}

/// One record of a top-level list, cut from the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Piece {
    /// The list it belongs to.
    pub list: &'static str,
    /// Its bytes in the text: a `[[list]]` header to the next record or
    /// table, or one `{...}` table of an inline list.
    pub range: Range<usize>,
    /// Whether it is a table of an inline list.
    pub inline: bool,
}

impl Piece {
    /// The piece as a TOML document of its own, and what to add to an
    /// offset in that document to find it in `text`. A table of an inline
    /// list is read as `list=[{...}]`.
    pub fn document<'t>(&self, text: &'t str) -> Option<(std::borrow::Cow<'t, str>, usize)> {
        let own = text.get(self.range.clone())?;
        if !self.inline {
            return Some((own.into(), self.range.start));
        }
        let before = self.list.len() + 2;
        // The text holds at least `list`, `=` and `[` before the table, so
        // the subtraction never saturates on a real cut.
        let shift = self.range.start.saturating_sub(before);
        Some((format!("{}=[{own}]", self.list).into(), shift))
    }
}

/// After a root key naming a list: reads ` = [{...}, ...]`, adds each table
/// as a piece of `list`, and returns where the array ends; `None` for any
/// other value (a dotted key, an element that is not a table), which TOML
/// judges whole.
fn inline_tables(
    tokens: &mut impl Iterator<Item = toml_parser::lexer::Token>,
    list: &'static str,
    records: &mut Vec<Piece>,
) -> Option<usize> {
    fn next_significant(
        tokens: &mut impl Iterator<Item = toml_parser::lexer::Token>,
        skip_lines: bool,
    ) -> Option<toml_parser::lexer::Token> {
        tokens.find(|token| match token.kind() {
            TokenKind::Whitespace => false,
            TokenKind::Newline | TokenKind::Comment => !skip_lines,
            _ => true,
        })
    }
    if next_significant(tokens, false)?.kind() != TokenKind::Equals
        || next_significant(tokens, false)?.kind() != TokenKind::LeftSquareBracket
    {
        return None;
    }
    let mut expect_table = true;
    loop {
        let token = next_significant(tokens, true)?;
        match token.kind() {
            TokenKind::RightSquareBracket => return Some(token.span().end()),
            TokenKind::Comma if !expect_table => expect_table = true,
            TokenKind::LeftCurlyBracket if expect_table => {
                let start = token.span().start();
                let mut depth = 1_usize;
                let end = loop {
                    let inner = tokens.next()?;
                    match inner.kind() {
                        TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
                        TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                            depth -= 1;
                            if depth == 0 {
                                break inner.span().end();
                            }
                        }
                        TokenKind::Eof => return None,
                        _ => {}
                    }
                };
                records.push(Piece {
                    list,
                    range: start..end,
                    inline: true,
                });
                expect_table = false;
            }
            _ => return None,
        }
    }
}

/// A key as written in a header: bare, or quoted without escapes.
fn key_of(text: &str, kind: TokenKind) -> Option<&str> {
    match kind {
        TokenKind::Atom => Some(text),
        TokenKind::BasicString | TokenKind::LiteralString => text
            .get(1..text.len().saturating_sub(1))
            .filter(|inner| !inner.contains('\\')),
        _ => None,
    }
}

impl Pieces {
    /// Cuts `text` (without a byte-order mark), or `None` when it should be
    /// parsed whole.
    pub fn split(text: &str) -> Option<Pieces> {
        let source = toml_parser::Source::new(text);
        let mut tokens = source.lex().peekable();
        let token_text = |span: toml_parser::Span| text.get(span.start()..span.end()).unwrap_or("");
        let (mut at_line_start, mut in_root, mut depth, mut line_start) = (true, true, 0_usize, 0);
        // The open record (its list and start), else the start of the rest's stretch.
        let mut open: Option<(&'static str, usize)> = None;
        let mut rest_from = 0;
        let mut rest_ranges: Vec<Range<usize>> = Vec::new();
        let mut records: Vec<Piece> = Vec::new();
        let header = |list, range| Piece {
            list,
            range,
            inline: false,
        };
        // First keys given outside records (root keys, tables), and lists with records.
        let mut outside: HashSet<String> = HashSet::new();
        let mut listed: HashSet<&'static str> = HashSet::new();
        while let Some(token) = tokens.next() {
            let span = token.span();
            match token.kind() {
                TokenKind::Newline => {
                    if depth == 0 {
                        at_line_start = true;
                        line_start = span.end();
                    }
                }
                TokenKind::Whitespace | TokenKind::Comment => {}
                TokenKind::LeftSquareBracket if at_line_start && depth == 0 => {
                    at_line_start = false;
                    in_root = false;
                    let double = tokens.peek().is_some_and(|next| {
                        next.kind() == TokenKind::LeftSquareBracket
                            && next.span().start() == span.end()
                    });
                    if double {
                        tokens.next();
                    }
                    let mut keys: Vec<&str> = Vec::new();
                    loop {
                        let next = tokens.next()?;
                        match next.kind() {
                            TokenKind::Whitespace | TokenKind::Dot => {}
                            TokenKind::RightSquareBracket => break,
                            kind => keys.push(key_of(token_text(next.span()), kind)?),
                        }
                    }
                    if double && tokens.next()?.kind() != TokenKind::RightSquareBracket {
                        return None;
                    }
                    let first = *keys.first()?;
                    let list = LISTS.iter().copied().find(|list| *list == first);
                    match list {
                        Some(list) if double && keys.len() == 1 => {
                            if outside.contains(list) {
                                return None;
                            }
                            match open.replace((list, line_start)) {
                                Some((previous, start)) => {
                                    records.push(header(previous, start..line_start));
                                }
                                None => rest_ranges.push(rest_from..line_start),
                            }
                            listed.insert(list);
                        }
                        _ if open.is_some_and(|(list, _)| list == first) => {}
                        _ => {
                            if listed.contains(first) {
                                return None;
                            }
                            outside.insert(first.to_owned());
                            if let Some((previous, start)) = open.take() {
                                records.push(header(previous, start..line_start));
                                rest_from = line_start;
                            }
                        }
                    }
                }
                kind => {
                    if at_line_start && depth == 0 && in_root {
                        let first = key_of(token_text(span), kind)?;
                        if listed.contains(first) {
                            return None;
                        }
                        outside.insert(first.to_owned());
                        if let Some(list) = LISTS.iter().copied().find(|list| *list == first) {
                            let end = inline_tables(&mut tokens, list, &mut records)?;
                            rest_ranges.push(rest_from..line_start);
                            rest_from = end;
                            listed.insert(list);
                            at_line_start = false;
                            continue;
                        }
                    }
                    at_line_start = false;
                    match kind {
                        TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
                        TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                            depth = depth.saturating_sub(1);
                        }
                        _ => {}
                    }
                }
            }
        }
        match open {
            Some((list, start)) => records.push(header(list, start..text.len())),
            None => rest_ranges.push(rest_from..text.len()),
        }
        let mut rest = String::with_capacity(rest_ranges.iter().map(ExactSizeIterator::len).sum());
        let mut stretches = Vec::with_capacity(rest_ranges.len());
        for range in rest_ranges {
            stretches.push((rest.len(), range.start));
            rest.push_str(text.get(range)?);
        }
        Some(Pieces {
            rest,
            stretches,
            records,
        })
    }

    /// The offset in the text of `offset` in `rest`.
    pub fn in_text(&self, offset: usize) -> usize {
        let index = self
            .stretches
            .partition_point(|&(in_rest, _)| in_rest <= offset)
            .saturating_sub(1);
        self.stretches
            .get(index)
            .map_or(offset, |&(in_rest, in_text)| in_text + (offset - in_rest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str) -> Option<(String, Vec<(&'static str, String)>)> {
        let pieces = Pieces::split(text)?;
        let records = pieces
            .records
            .iter()
            .map(|piece| (piece.list, text[piece.range.clone()].to_owned()))
            .collect();
        Some((pieces.rest, records))
    }

    #[test]
    fn records_are_cut_at_their_headers_and_keep_their_sub_tables() {
        let text = "a = 1\n[partner]\nname = \"[[people]]\"\n[[people]]\nemail = \"x\"\n  [[people.certifications]]\n  cert = 'c'\n[business_plan]\nx = [\n[1],\n]\n[[opportunities]] # one\nid = \"\"\"\n[[revenue]]\n\"\"\"\n";
        let (rest, records) = cut(text).unwrap_or_default();
        assert_eq!(
            rest,
            "a = 1\n[partner]\nname = \"[[people]]\"\n[business_plan]\nx = [\n[1],\n]\n"
        );
        assert_eq!(
            records,
            [
                (
                    "people",
                    "[[people]]\nemail = \"x\"\n  [[people.certifications]]\n  cert = 'c'\n"
                        .to_owned()
                ),
                (
                    "opportunities",
                    "[[opportunities]] # one\nid = \"\"\"\n[[revenue]]\n\"\"\"\n".to_owned()
                ),
            ]
        );
        let pieces = Pieces::split(text).unwrap_or_else(|| panic!("cut"));
        let business = pieces.rest.find("[business_plan]").unwrap_or_default();
        assert_eq!(
            pieces.in_text(business),
            text.find("[business_plan]").unwrap_or_default()
        );
    }

    #[test]
    fn inline_lists_are_cut_at_their_tables() {
        let text = "x = 1\npeople = [ # c ]\n  {email = 'a', certifications = [{cert = '}'}]},\n\n  {email = \"]\"} , # d\n] # e\nrevenue = []\ny = [{}]\n[partner]\n";
        let (rest, records) = cut(text).unwrap_or_default();
        assert_eq!(rest, "x = 1\n # e\n\ny = [{}]\n[partner]\n");
        assert_eq!(
            records,
            [
                (
                    "people",
                    "{email = 'a', certifications = [{cert = '}'}]}".to_owned()
                ),
                ("people", "{email = \"]\"}".to_owned()),
            ]
        );
        let pieces = Pieces::split(text).unwrap_or_else(|| panic!("cut"));
        let (document, shift) = pieces.records[1]
            .document(text)
            .unwrap_or_else(|| panic!("a document"));
        assert_eq!(document, "people=[{email = \"]\"}]");
        let email = document.find("email").unwrap_or_default();
        assert_eq!(shift + email, text.find("email = \"]").unwrap_or_default());
    }

    #[test]
    fn what_toml_must_judge_whole_is_not_cut() {
        for text in [
            "people = [1]\n",
            "people = [{}, 1]\n",
            "people = [{} {}]\n",
            "people.email = 'a'\n",
            "people = [{}]\n[[people]]\n",
            "people = [{}]\npeople = [{}]\n",
            "people = [{}]\n[people]\n",
            "people = [{}\n",
            "opportunities = []\n[[opportunities]]\nid = 'a'\n",
            "[[people]]\nemail = 'a'\n[partner]\n[[people.certifications]]\n",
            "[[people]]\nemail = 'a'\npeople = 1\n[[\"a\\u0062\"]]\n",
        ] {
            assert!(Pieces::split(text).is_none(), "{text}");
        }
        // A table over a record's list stays in the record, where TOML refuses it.
        let text = "[[opportunities]]\nid = 'a'\n[opportunities]\n";
        let pieces = Pieces::split(text).unwrap_or_else(|| panic!("cut"));
        assert_eq!(pieces.records.len(), 1);
        assert!(toml::from_str::<toml::Table>(text).is_err());
    }
}
