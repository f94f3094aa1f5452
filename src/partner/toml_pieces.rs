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

/// The lists inside a record of a top-level list, cut out of it as records
/// of their own: a person's certifications and accreditations, a revenue
/// line's credits.
fn parts_of(list: &str) -> &'static [&'static str] {
    match list {
        "people" => &["certifications", "accreditations"],
        "revenue" => &["credits"],
        _ => &[],
    }
}

/// How a piece is written in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// A `[[list]]` header to the next record or table.
    Header,
    /// One `{...}` table of a list written inline.
    Inline,
    /// A person's `[[people.list]]` record, from the end of its header
    /// (`header`: where the header's `[[` is).
    Part {
        /// Where the header's `[[` is in the text.
        header: usize,
    },
}

/// One record cut from the text: of a top-level list, or of a person's
/// certifications or accreditations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Piece {
    /// The list it belongs to.
    pub list: &'static str,
    /// Its bytes in the text.
    pub range: Range<usize>,
    /// How it is written.
    pub form: Form,
    /// A person's certifications and accreditations cut out of it (boxed:
    /// most pieces have none, and a file may have millions of pieces).
    cut: Option<Box<Cut>>,
}

/// What is cut out of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cut {
    /// Its certifications and accreditations, in the file's order, read
    /// after the person.
    parts: Vec<Piece>,
    /// Where `parts` stand in the person's text, and what replaces each in
    /// the person's own document (`[]` for an inline list, nothing for a
    /// record).
    holes: Vec<Hole>,
}

/// Where a part stood in its record's text, and what replaces it in the
/// record's own document.
type Hole = (Range<usize>, &'static str);

/// A piece as a TOML document of its own, and where its bytes are in the
/// text.
pub(super) struct Document<'t> {
    /// The document.
    pub text: std::borrow::Cow<'t, str>,
    /// Where each stretch of the document starts: in it, and in the text.
    stretches: Vec<(usize, usize)>,
}

impl Document<'_> {
    /// The offset in the text of `offset` in the document.
    pub fn in_text(&self, offset: usize) -> usize {
        in_text(&self.stretches, offset)
    }
}

/// The offset in a text of `offset` in a document joined from its
/// `stretches` (each: its start in the document, and in the text).
fn in_text(stretches: &[(usize, usize)], offset: usize) -> usize {
    let index = stretches
        .partition_point(|&(in_document, _)| in_document <= offset)
        .saturating_sub(1);
    stretches
        .get(index)
        .map_or(offset, |&(in_document, in_text)| {
            in_text + (offset - in_document)
        })
}

impl Piece {
    fn new(list: &'static str, range: Range<usize>, form: Form) -> Piece {
        Piece {
            list,
            range,
            form,
            cut: None,
        }
    }

    /// A person's certifications and accreditations, when cut out of it.
    pub fn parts(&self) -> &[Piece] {
        self.cut.as_ref().map_or(&[], |cut| &cut.parts)
    }

    /// The piece as a TOML document of its own: a record as it is (its
    /// parts left out), a table of an inline list as `list=[{...}]`, a
    /// person's part as `[[list]]` and its body.
    pub fn document<'t>(&self, text: &'t str) -> Option<Document<'t>> {
        self.document_with(text, self.cut.as_ref().map_or(&[][..], |cut| &cut.holes))
    }

    /// The piece as a TOML document of its own, its parts left in.
    pub fn whole_document<'t>(&self, text: &'t str) -> Option<Document<'t>> {
        self.document_with(text, &[])
    }

    fn document_with<'t>(&self, text: &'t str, holes: &[Hole]) -> Option<Document<'t>> {
        let own = text.get(self.range.clone())?;
        let (prefix, suffix) = match self.form {
            Form::Header if holes.is_empty() => {
                return Some(Document {
                    text: own.into(),
                    stretches: vec![(0, self.range.start)],
                });
            }
            Form::Header => (String::new(), ""),
            Form::Inline => (format!("{}=[", self.list), "]"),
            Form::Part { .. } => (format!("[[{}]]", self.list), ""),
        };
        // The text holds the list's name and more before the piece, so the
        // prefix stands for bytes that are there.
        let mut stretches = vec![(0, self.range.start.saturating_sub(prefix.len()))];
        let mut document = prefix;
        let mut from = self.range.start;
        for (hole, replacement) in holes {
            stretches.push((document.len(), from));
            document.push_str(text.get(from..hole.start)?);
            document.push_str(replacement);
            from = hole.end;
        }
        stretches.push((document.len(), from));
        document.push_str(text.get(from..self.range.end)?);
        document.push_str(suffix);
        Some(Document {
            text: document.into(),
            stretches,
        })
    }

    /// Where errors about the record point: a `[[people.list]]` record's
    /// header, else the piece.
    pub fn span(&self) -> Range<usize> {
        match self.form {
            Form::Part { header } => header..self.range.start,
            Form::Header | Form::Inline => self.range.clone(),
        }
    }

    /// Cuts a record's own lists (see [`parts_of`]) out of it, when written
    /// as `[[list.part]]` records or as inline lists of tables; leaves it
    /// whole for any other shape (a sub-table, a list written both ways, a
    /// dotted key), which TOML judges.
    fn cut_parts(&mut self, text: &str) {
        if parts_of(self.list).is_empty() {
            return;
        }
        let Some(body) = text.get(self.range.clone()) else {
            return;
        };
        if let Some((parts, holes)) = record_parts(body, self.range.start, self.list, self.form) {
            self.cut = Some(Box::new(Cut { parts, holes }));
        }
    }
}

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

/// After a key naming a list: reads ` = [{...}, ...]`, adds each table as a
/// piece of `list`, and returns where the array's brackets are (`base` is
/// the offset of the lexed text); `None` for any other value (a dotted key,
/// an element that is not a table), which TOML judges whole.
fn inline_tables(
    tokens: &mut impl Iterator<Item = toml_parser::lexer::Token>,
    list: &'static str,
    base: usize,
    records: &mut Vec<Piece>,
) -> Option<Range<usize>> {
    if next_significant(tokens, false)?.kind() != TokenKind::Equals {
        return None;
    }
    let open = next_significant(tokens, false)?;
    if open.kind() != TokenKind::LeftSquareBracket {
        return None;
    }
    let mut expect_table = true;
    loop {
        let token = next_significant(tokens, true)?;
        match token.kind() {
            TokenKind::RightSquareBracket => {
                return Some(base + open.span().start()..base + token.span().end());
            }
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
                records.push(Piece::new(list, base + start..base + end, Form::Inline));
                expect_table = false;
            }
            _ => return None,
        }
    }
}

/// A record's parts and the holes they leave, found in `body` (at `base` in
/// the text): `[[list.part]]` records and `part = [{...}]` keys of a
/// `[[list]]` record, or `part = [{...}]` keys of an inline table.
fn record_parts(
    body: &str,
    base: usize,
    list: &str,
    form: Form,
) -> Option<(Vec<Piece>, Vec<Hole>)> {
    let source = toml_parser::Source::new(body);
    let mut tokens = source.lex();
    let token_text = |span: toml_parser::Span| body.get(span.start()..span.end()).unwrap_or("");
    let part_of = |key: &str| parts_of(list).iter().copied().find(|part| *part == key);
    let mut parts = Vec::new();
    let mut holes = Vec::new();
    let (mut inline, mut headed): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    // Where a key may start: a line's start in a record, after `{` or `,`
    // directly in an inline table.
    let (mut depth, mut key_may_start, mut line_start) = (0_usize, form == Form::Header, 0);
    let mut headers = 0;
    // The open `[[people.list]]` record: its list, its header's line
    // start, its `[[` and the end of its header.
    let mut open: Option<(&'static str, usize, usize, usize)> = None;
    let close = |open: Option<(&'static str, usize, usize, usize)>,
                 end: usize,
                 parts: &mut Vec<Piece>,
                 holes: &mut Vec<Hole>| {
        if let Some((list, start, header, body_start)) = open {
            let form = Form::Part {
                header: base + header,
            };
            parts.push(Piece::new(list, base + body_start..base + end, form));
            holes.push((base + start..base + end, ""));
        }
    };
    while let Some(token) = tokens.next() {
        let span = token.span();
        match token.kind() {
            TokenKind::Eof => break,
            TokenKind::Newline => {
                if depth == 0 && form == Form::Header {
                    key_may_start = true;
                    line_start = span.end();
                }
            }
            TokenKind::Whitespace | TokenKind::Comment => {}
            TokenKind::LeftSquareBracket if form == Form::Header && depth == 0 && key_may_start => {
                headers += 1;
                let second = tokens.next()?;
                let double = second.kind() == TokenKind::LeftSquareBracket;
                let mut keys: Vec<&str> = Vec::new();
                if !double {
                    keys.push(key_of(token_text(second.span()), second.kind())?);
                }
                let mut header_end = loop {
                    let next = tokens.next()?;
                    match next.kind() {
                        TokenKind::Whitespace | TokenKind::Dot => {}
                        TokenKind::RightSquareBracket => break next.span().end(),
                        kind => keys.push(key_of(token_text(next.span()), kind)?),
                    }
                };
                if double {
                    let last = tokens.next()?;
                    if last.kind() != TokenKind::RightSquareBracket {
                        return None;
                    }
                    header_end = last.span().end();
                }
                key_may_start = false;
                match (headers, double, keys.as_slice()) {
                    (1, true, [record]) if *record == list => {}
                    (2.., true, [record, key]) if *record == list => {
                        let list = part_of(key)?;
                        if inline.contains(&list) {
                            return None;
                        }
                        headed.push(list);
                        close(open.take(), line_start, &mut parts, &mut holes);
                        open = Some((list, line_start, span.start(), header_end));
                    }
                    _ => return None,
                }
            }
            TokenKind::LeftCurlyBracket if form == Form::Inline && depth == 0 => {
                depth = 1;
                key_may_start = true;
            }
            TokenKind::Comma if form == Form::Inline && depth == 1 => key_may_start = true,
            kind => {
                let in_table = match form {
                    Form::Inline => depth == 1,
                    _ => depth == 0 && open.is_none(),
                };
                if key_may_start
                    && in_table
                    && let Some(list) = key_of(token_text(span), kind).and_then(part_of)
                {
                    if headed.contains(&list) || inline.contains(&list) {
                        return None;
                    }
                    inline.push(list);
                    let brackets = inline_tables(&mut tokens, list, base, &mut parts)?;
                    holes.push((brackets, "[]"));
                    key_may_start = false;
                    continue;
                }
                key_may_start = false;
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
    close(open, body.len(), &mut parts, &mut holes);
    Some((parts, holes))
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
        let header = |list, range| Piece::new(list, range, Form::Header);
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
                            let end = inline_tables(&mut tokens, list, 0, &mut records)?.end;
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
        for record in &mut records {
            record.cut_parts(text);
        }
        Some(Pieces {
            rest,
            stretches,
            records,
        })
    }

    /// The size of the largest document `toml` is given at once: the rest,
    /// a record without its parts, or a part.
    pub fn largest_document(&self) -> usize {
        let records = self.records.iter().map(|piece| {
            let holes: usize = piece
                .cut
                .as_ref()
                .map_or(0, |cut| cut.holes.iter().map(|(hole, _)| hole.len()).sum());
            let parts = piece.parts().iter().map(|part| part.range.len());
            parts.fold(piece.range.len().saturating_sub(holes), usize::max)
        });
        records.fold(self.rest.len(), usize::max)
    }

    /// The offset in the text of `offset` in `rest`.
    pub fn in_text(&self, offset: usize) -> usize {
        in_text(&self.stretches, offset)
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
        let document = pieces.records[1]
            .document(text)
            .unwrap_or_else(|| panic!("a document"));
        assert_eq!(document.text, "people=[{email = \"]\"}]");
        let email = document.text.find("email").unwrap_or_default();
        assert_eq!(
            document.in_text(email),
            text.find("email = \"]").unwrap_or_default()
        );
        // The first person's certifications are cut out of it.
        let person = &pieces.records[0];
        let parts: Vec<&str> = person
            .parts()
            .iter()
            .map(|part| &text[part.range.clone()])
            .collect();
        assert_eq!(parts, ["{cert = '}'}"]);
        let document = person
            .document(text)
            .unwrap_or_else(|| panic!("a document"));
        assert_eq!(document.text, "people=[{email = 'a', certifications = []}]");
    }

    /// The first record's own document, and its parts' documents, each
    /// with where a byte of it is in the text.
    fn person(text: &str) -> (String, Vec<String>) {
        let pieces = Pieces::split(text).unwrap_or_else(|| panic!("cut"));
        let person = &pieces.records[0];
        let check = |piece: &Piece| {
            let document = piece.document(text).unwrap_or_else(|| panic!("a document"));
            // Each key of the document is in the text where the document says.
            for key in ["cert =", "kind =", "name =", "type ="] {
                for (at, _) in document.text.match_indices(key) {
                    let found = document.in_text(at);
                    assert_eq!(&text[found..found + key.len()], key);
                }
            }
            document.text.into_owned()
        };
        (check(person), person.parts().iter().map(check).collect())
    }

    #[test]
    fn a_persons_lists_are_cut_out_of_it() {
        let text = "[[people]]\nemail = 'a'\ncertifications = [{cert = 'x'}, # c\n {cert = 'y'}]\nname = 'n'\n  [[people.accreditations]] # z\n  kind = 'k'\n\n  [[people.accreditations]]\n  kind = 'l'\n[[people]]\nemail = 'b'\n";
        let (own, parts) = person(text);
        assert_eq!(
            own,
            "[[people]]\nemail = 'a'\ncertifications = []\nname = 'n'\n"
        );
        assert_eq!(
            parts,
            [
                "certifications=[{cert = 'x'}]",
                "certifications=[{cert = 'y'}]",
                "[[accreditations]] # z\n  kind = 'k'\n\n",
                "[[accreditations]]\n  kind = 'l'\n",
            ]
        );
        // A revenue line's credits likewise.
        let text = "[[revenue]]\naccount_id = '1'\n[[revenue.credits]]\ntype = 'a'\n[[revenue.credits]]\ntype = 'b'\n";
        let (own, parts) = person(text);
        assert_eq!(own, "[[revenue]]\naccount_id = '1'\n");
        assert_eq!(
            parts,
            ["[[credits]]\ntype = 'a'\n", "[[credits]]\ntype = 'b'\n"]
        );
        // Shapes TOML must judge keep the person whole.
        for text in [
            "[[people]]\ncertifications = [{}]\n[[people.certifications]]\n",
            "[[people]]\n[people.x]\n",
            "[[people]]\n[[people.certifications.x]]\n",
            "[[people]]\ncertifications.x = 1\n",
            "[[people]]\ncertifications = [1]\n",
            "people = [{certifications = [{}], certifications = [{}]}]\n",
            "[[revenue]]\n[[revenue.certifications]]\n",
            "[[people]]\n[[people.credits]]\n",
        ] {
            let pieces = Pieces::split(text);
            assert!(
                pieces.is_none_or(|pieces| pieces
                    .records
                    .iter()
                    .all(|piece| piece.parts().is_empty())),
                "{text}"
            );
        }
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
