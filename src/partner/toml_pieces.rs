//! A TOML partner file read record by record. `toml` builds a tree of the
//! whole document before deserialising it, some 25 times the file in
//! memory; a partner file is mostly `[[list]]` records, each complete in
//! itself. So the text is cut, with `toml`'s own lexer (strings, comments
//! and multi-line values are never mistaken for headers), at each record of
//! a top-level list: each record is parsed alone, and the rest (the root
//! keys, `[partner]`, `[business_plan]`, ...) as one small document. Where
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
    /// Each `[[list]]` record, in the file's order: its list and its bytes
    /// in the text (its header to the next record or table).
    pub records: Vec<(&'static str, Range<usize>)>,
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
        let mut records: Vec<(&'static str, Range<usize>)> = Vec::new();
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
                                    records.push((previous, start..line_start));
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
                                records.push((previous, start..line_start));
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
            Some((list, start)) => records.push((list, start..text.len())),
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
            .map(|(list, range)| (*list, text[range.clone()].to_owned()))
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
    fn what_toml_must_judge_whole_is_not_cut() {
        for text in [
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
