//! SQLite's file format (<https://www.sqlite.org/fileformat2.html>),
//! written directly for the export's bulk tables: rows arrive in rowid
//! order, so each table b-tree is built bottom-up, its leaves filled and
//! appended to the file as they fill, its interior pages made once the
//! rows are in; an index on `partner` is built the same way as the rows
//! come (its entries, partner and rowid, come sorted). SQLite itself made
//! the file, the schema and the empty root pages ([`super::sqlite`]);
//! these trees are written into those roots, and a helper thread syncs
//! the file as it grows. The tests check every tree with SQLite's `PRAGMA
//! integrity_check` and read every row back.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};

use chrono::{Datelike, NaiveDate};

/// Why a tree could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    /// The file could not be written.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The file would pass SQLite's largest page count.
    #[error("{TOO_LARGE}")]
    TooLarge,
    /// What the writer was given breaks a rule of the file format (rows
    /// out of rowid order, a page too small for two cells, …): a fault of
    /// this program, not of its input.
    #[error("{0}")]
    Broken(&'static str),
}

/// [`TreeError::TooLarge`]'s words.
pub const TOO_LARGE: &str = "the database would pass SQLite's largest page count (4,294,967,294 pages); export fewer partners at a time";

/// The result of writing a tree.
pub type TreeResult<T> = Result<T, TreeError>;

/// A value of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// NULL.
    Null,
    /// An integer.
    Int(i64),
    /// An integer always written in four bytes (serial type 4, which
    /// SQLite reads as any other integer), so that it can be filled in
    /// place: the writer's partner number.
    Fixed(i32),
    /// UTF-8 text.
    Text(&'a str),
    /// A day, written as ISO text (`2019-11-01`).
    Date(NaiveDate),
}

/// The most bytes SQLite reads as one value or row (`SQLITE_MAX_LENGTH`).
pub const MOST_BYTES: usize = 1_000_000_000;

/// The number of bytes of `value` as a varint.
#[inline]
pub fn varint_len(value: u64) -> usize {
    if value < 0x80 {
        return 1;
    }
    if value > 0x00ff_ffff_ffff_ffff {
        return 9;
    }
    let bits = 64 - value.leading_zeros() as usize;
    bits.div_ceil(7).max(1)
}

/// Writes `value` as a SQLite varint at the start of `bytes` (which has
/// room for [`varint_len`] bytes); returns how many bytes it took.
#[inline(always)]
fn write_varint(bytes: &mut [u8], value: u64) -> usize {
    // One to three bytes (lengths, rowids and serial types, nearly
    // always) are written here; longer ones by a call.
    if value < 0x80 {
        bytes[0] = value as u8;
        return 1;
    }
    if value < 0x4000 {
        bytes[0] = (value >> 7) as u8 | 0x80;
        bytes[1] = (value & 0x7f) as u8;
        return 2;
    }
    if value < 0x20_0000 {
        bytes[0] = (value >> 14) as u8 | 0x80;
        bytes[1] = ((value >> 7) & 0x7f) as u8 | 0x80;
        bytes[2] = (value & 0x7f) as u8;
        return 3;
    }
    write_long_varint(bytes, value)
}

/// [`write_varint`] of any value: big-endian groups of seven bits, the
/// high bit set on all but the last byte; a ninth byte, when needed,
/// carries eight bits.
#[inline(never)]
fn write_long_varint(bytes: &mut [u8], value: u64) -> usize {
    let length = varint_len(value);
    if length == 9 {
        let mut rest = value >> 8;
        bytes[8] = value as u8;
        for byte in bytes[..8].iter_mut().rev() {
            *byte = (rest & 0x7f) as u8 | 0x80;
            rest >>= 7;
        }
        return 9;
    }
    for (index, byte) in bytes[..length].iter_mut().enumerate() {
        let group = length - 1 - index;
        let bits = ((value >> (7 * group)) & 0x7f) as u8;
        *byte = if group == 0 { bits } else { bits | 0x80 };
    }
    length
}

/// Appends `value` as a SQLite varint.
#[inline]
pub fn put_varint(out: &mut Vec<u8>, value: u64) {
    if value < 0x80 {
        out.push(value as u8);
        return;
    }
    let mut bytes = [0u8; 9];
    let length = write_varint(&mut bytes, value);
    out.extend_from_slice(&bytes[..length]);
}

/// An integer's serial type and the number of bytes its value takes
/// (0 and 1 take none, as SQLite writes them in schema format 4): the
/// smallest of SQLite's widths (1, 2, 3, 4, 6 or 8 bytes) that holds it
/// in two's complement.
#[inline(always)]
fn integer_serial(value: i64) -> (u64, usize) {
    /// By the bits the value needs, its sign bit counted (1 to 64).
    const BY_BITS: [(u8, u8); 65] = {
        let mut table = [(6, 8); 65];
        let mut bits = 0;
        while bits <= 64 {
            table[bits] = match bits.div_ceil(8) {
                0 | 1 => (1, 1),
                2 => (2, 2),
                3 => (3, 3),
                4 => (4, 4),
                5 | 6 => (5, 6),
                _ => (6, 8),
            };
            bits += 1;
        }
        table
    };
    match value {
        0 => (8, 0),
        1 => (9, 0),
        _ => {
            // A negative value needs the bits of its complement, which
            // is not negative; then one more for the sign.
            let magnitude = if value < 0 { !value } else { value } as u64;
            let bits = 65 - magnitude.leading_zeros() as usize;
            let (serial, length) = BY_BITS[bits];
            (u64::from(serial), usize::from(length))
        }
    }
}

/// The ISO text of a day of a year of four digits (`2019-11-01`).
#[inline]
fn iso_day(day: NaiveDate) -> [u8; 10] {
    // Each part is below 10,000, so each digit below ten.
    let year = day.year().unsigned_abs();
    let (month, date) = (day.month(), day.day());
    let digit = |number: u32| b'0' + (number % 10) as u8;
    [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(date / 10),
        digit(date),
    ]
}

/// Whether a day's ISO text is `YYYY-MM-DD` (else chrono's, with a sign).
#[inline(always)]
fn four_digit_year(day: NaiveDate) -> bool {
    (0..=9999).contains(&day.year())
}

/// The size of the header of a record whose serial types take `types`
/// bytes (the size counts the varint that says it).
#[inline]
fn header_size(types: usize) -> usize {
    if types < 0x7f {
        return types + 1;
    }
    let mut header = types + 1;
    while varint_len(header as u64) + types != header {
        header = varint_len(header as u64) + types;
    }
    header
}

/// Writes `number` into `bytes`, big-endian, in as many bytes as `bytes`
/// has (one of SQLite's integer widths, which holds it): copies of a
/// fixed size, not a call.
#[inline(always)]
fn write_integer(bytes: &mut [u8], number: i64) {
    let all = number.to_be_bytes();
    match bytes.len() {
        0 => {}
        1 => bytes[0] = all[7],
        2 => bytes.copy_from_slice(&all[6..]),
        3 => bytes.copy_from_slice(&all[5..]),
        4 => bytes.copy_from_slice(&all[4..]),
        6 => bytes.copy_from_slice(&all[2..]),
        _ => bytes.copy_from_slice(&all[8 - bytes.len().min(8)..]),
    }
}

/// The serial type of a text of `length` bytes, and its length.
#[inline(always)]
fn text_serial(length: usize) -> (u64, usize) {
    (13 + 2 * length as u64, length)
}

/// A value's serial type and the number of bytes of its body.
#[inline(always)]
fn serial_type(value: Value<'_>) -> (u64, usize) {
    match value {
        Value::Null => (0, 0),
        Value::Int(number) => integer_serial(number),
        Value::Fixed(_) => (4, 4),
        Value::Text(content) => text_serial(content.len()),
        Value::Date(day) if four_digit_year(day) => text_serial(10),
        Value::Date(day) => text_serial(day.to_string().len()),
    }
}

/// Adds a value's serial type's bytes to `types` and its body's to `body`.
#[inline(always)]
fn measure(value: Value<'_>, types: &mut usize, body: &mut usize) {
    let (serial, length) = serial_type(value);
    *types += varint_len(serial);
    *body += length;
}

/// Writes a value's serial type at `record[*head..]` and its body at
/// `record[*data..]`, and moves both on. The serial type is
/// [`serial_type`]'s, found as the body is written (one look at the
/// value's kind, not two).
#[inline(always)]
fn put_value(value: Value<'_>, record: &mut [u8], head: &mut usize, data: &mut usize) {
    let at = *data;
    let (serial, length) = match value {
        Value::Null => (0, 0),
        Value::Int(number) => {
            let (serial, length) = integer_serial(number);
            write_integer(&mut record[at..at + length], number);
            (serial, length)
        }
        Value::Fixed(number) => {
            record[at..at + 4].copy_from_slice(&number.to_be_bytes());
            (4, 4)
        }
        Value::Text(content) => {
            record[at..at + content.len()].copy_from_slice(content.as_bytes());
            text_serial(content.len())
        }
        Value::Date(day) if four_digit_year(day) => {
            record[at..at + 10].copy_from_slice(&iso_day(day));
            text_serial(10)
        }
        Value::Date(day) => {
            let text = day.to_string();
            record[at..at + text.len()].copy_from_slice(text.as_bytes());
            text_serial(text.len())
        }
    };
    *head += write_varint(&mut record[*head..], serial);
    *data += length;
}

/// Appends the record of `first`, if given, and `values` (SQLite's record
/// format: a header of serial types, then the values); returns its length.
/// The record's size is reckoned first, so it is written in place.
#[inline(always)]
pub fn put_record(out: &mut Vec<u8>, first: Option<Value<'_>>, values: &[Value<'_>]) -> usize {
    let (mut types, mut body) = (0, 0);
    if let Some(first) = first {
        measure(first, &mut types, &mut body);
    }
    for value in values {
        measure(*value, &mut types, &mut body);
    }
    let header = header_size(types);
    let start = out.len();
    out.resize(start + header + body, 0);
    let record = &mut out[start..];
    let mut head = write_varint(record, header as u64);
    let mut data = header;
    if let Some(first) = first {
        put_value(first, record, &mut head, &mut data);
    }
    for value in values {
        put_value(*value, record, &mut head, &mut data);
    }
    header + body
}

/// Reads a varint at the start of `bytes`: its value and length.
fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (index, byte) in bytes.iter().take(9).enumerate() {
        if index == 8 {
            return Some(((value << 8) | u64::from(*byte), 9));
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((value, index + 1));
        }
    }
    None
}

/// The size of a record's header: where its first value begins.
pub fn record_header(record: &[u8]) -> Option<usize> {
    read_varint(record).and_then(|(header, _)| usize::try_from(header).ok())
}

/// The values of a record written by [`put_record`] (dates read back as
/// text, fixed integers as integers); `None` if it is not one.
pub fn read_record(record: &[u8]) -> Option<Vec<Value<'_>>> {
    let (header, mut at) = read_varint(record)?;
    let header = usize::try_from(header).ok()?;
    let mut body = header;
    let mut values = Vec::new();
    while at < header {
        let (serial, length) = read_varint(record.get(at..header)?)?;
        at += length;
        let (value, size) = match serial {
            0 => (Value::Null, 0),
            8 => (Value::Int(0), 0),
            9 => (Value::Int(1), 0),
            1..=6 => {
                let size = [1, 2, 3, 4, 6, 8][usize::try_from(serial).ok()? - 1];
                let bytes = record.get(body..body + size)?;
                let mut number = if bytes[0] & 0x80 == 0 { 0 } else { -1i64 };
                for byte in bytes {
                    number = (number << 8) | i64::from(*byte);
                }
                (Value::Int(number), size)
            }
            serial if serial >= 13 && serial % 2 == 1 => {
                let size = usize::try_from((serial - 13) / 2).ok()?;
                let text = std::str::from_utf8(record.get(body..body + size)?).ok()?;
                (Value::Text(text), size)
            }
            _ => return None,
        };
        values.push(value);
        body += size;
    }
    (body == record.len()).then_some(values)
}

/// The kinds of b-tree page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    TableLeaf = 0x0d,
    TableInterior = 0x05,
    IndexLeaf = 0x0a,
    IndexInterior = 0x02,
}

impl Kind {
    fn header(self) -> usize {
        match self {
            Kind::TableLeaf | Kind::IndexLeaf => 8,
            Kind::TableInterior | Kind::IndexInterior => 12,
        }
    }
}

/// How much of a payload of `length` bytes stays on its b-tree page (the
/// rest goes to overflow pages): SQLite's rule, with `usable` bytes a page.
fn local_size(length: usize, usable: usize, table_leaf: bool) -> usize {
    let most = if table_leaf {
        usable - 35
    } else {
        (usable - 12) * 64 / 255 - 23
    };
    if length <= most {
        return length;
    }
    let least = (usable - 12) * 32 / 255 - 23;
    let kept = least + (length - least) % (usable - 4);
    if kept <= most { kept } else { least }
}

/// The file's pages: appended in page-number order after the pages SQLite
/// made; root pages (which SQLite allocated) kept until [`Pages::close`].
pub struct Pages {
    /// Written a page at a time (a page is as large as a write buffer).
    out: File,
    size: usize,
    next: u32,
    roots: Vec<(u32, Vec<u8>)>,
    /// Bytes appended since the syncing thread was last asked to sync.
    unsynced: usize,
    syncing: Option<Syncing>,
}

/// Bytes appended between asks to the syncing thread.
const SYNC_EVERY: usize = 8 << 20;

/// A thread that puts what is written on disk while more is written, so
/// that the sync before the file is named (`cli::destination`) has little
/// left to do; it sleeps on the disk, not the processor.
struct Syncing {
    ask: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<io::Result<()>>>,
}

impl Syncing {
    fn start(file: &File) -> io::Result<Syncing> {
        let file = file.try_clone()?;
        let (ask, asked) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("apn-check sync".to_owned())
            .spawn(move || {
                for () in asked {
                    file.sync_data()?;
                }
                Ok(())
            })?;
        Ok(Syncing {
            ask: Some(ask),
            thread: Some(thread),
        })
    }

    /// Asks for a sync; if one is under way still, it syncs this too.
    fn ask(&self) {
        if let Some(ask) = &self.ask {
            let _ = ask.try_send(());
        }
    }

    /// Ends the thread once its sync is done; says whether a sync failed.
    fn stop(&mut self) -> TreeResult<()> {
        self.ask = None;
        match self.thread.take().map(std::thread::JoinHandle::join) {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(error))) => Err(error.into()),
            Some(Err(_)) => Err(TreeError::Broken("the syncing thread stopped short")),
        }
    }
}

impl Drop for Syncing {
    /// A database abandoned (a failed run) leaves no thread behind.
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// The largest page count of a SQLite database file.
const MOST_PAGES: u32 = 0xffff_fffe;

impl Pages {
    /// Pages of `size` bytes appended to `file`, which holds `count`.
    pub fn new(mut file: File, size: usize, count: u32) -> TreeResult<Pages> {
        let end = u64::from(count) * size as u64;
        if file.metadata()?.len() != end {
            return Err(TreeError::Broken(
                "the database file's size is not its page count times its page size",
            ));
        }
        file.seek(SeekFrom::Start(end))?;
        Ok(Pages {
            syncing: Some(Syncing::start(&file)?),
            out: file,
            size,
            next: count + 1,
            roots: Vec::new(),
            unsynced: 0,
        })
    }

    /// The page size.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Appends a page; returns its number.
    fn append(&mut self, page: &[u8]) -> TreeResult<u32> {
        debug_assert_eq!(page.len(), self.size);
        if self.next > MOST_PAGES {
            return Err(TreeError::TooLarge);
        }
        self.out.write_all(page)?;
        let number = self.next;
        self.next += 1;
        self.unsynced += page.len();
        if self.unsynced >= SYNC_EVERY
            && let Some(syncing) = &self.syncing
        {
            self.unsynced = 0;
            syncing.ask();
        }
        Ok(number)
    }

    /// Keeps a root page's content, written by [`Pages::close`].
    fn root(&mut self, number: u32, page: Vec<u8>) {
        self.roots.push((number, page));
    }

    /// Writes the root pages and the header's page count; returns the file.
    pub fn close(mut self) -> TreeResult<File> {
        if let Some(mut syncing) = self.syncing.take() {
            syncing.stop()?;
        }
        let count = self.next - 1;
        let size = self.size as u64;
        let mut file = self.out;
        for (number, page) in &self.roots {
            // Page 1 holds the file's header and SQLite's schema.
            if *number < 2 {
                return Err(TreeError::Broken("a root page cannot be page 1"));
            }
            file.seek(SeekFrom::Start(u64::from(number - 1) * size))?;
            file.write_all(page)?;
        }
        // The header's "database size in pages" (offset 28).
        file.seek(SeekFrom::Start(28))?;
        file.write_all(&count.to_be_bytes())?;
        file.flush()?;
        Ok(file)
    }
}

/// A b-tree page being filled: cell pointers from the front, cells from
/// the back.
struct Page {
    bytes: Vec<u8>,
    kind: Kind,
    cells: usize,
    /// Where the cell content begins (cells are placed below it).
    content: usize,
    /// The length of the last cell placed, to take it back.
    last: usize,
}

impl Page {
    fn new(kind: Kind, size: usize) -> Page {
        Page {
            bytes: vec![0; size],
            kind,
            cells: 0,
            content: size,
            last: 0,
        }
    }

    fn pointers_end(&self) -> usize {
        self.kind.header() + 2 * self.cells
    }

    /// Whether a cell of `length` bytes (and its pointer) fits.
    fn fits(&self, length: usize) -> bool {
        self.pointers_end() + 2 + length <= self.content
    }

    /// Places a cell of `length` bytes (it must fit) written by `fill`.
    fn place(&mut self, length: usize, fill: impl FnOnce(&mut [u8])) {
        let at = self.content - length;
        let pointer = self.pointers_end();
        fill(&mut self.bytes[at..self.content]);
        // Offsets within a page of at most 65,536 bytes: a cell starts
        // below the page's end, so `at` fits in 16 bits.
        self.bytes[pointer..pointer + 2].copy_from_slice(&(at as u16).to_be_bytes());
        self.content = at;
        self.cells += 1;
        self.last = length;
    }

    /// Takes back the last cell placed (one only).
    fn take_back(&mut self) {
        self.cells -= 1;
        self.content += self.last;
        self.last = 0;
    }

    /// The page's bytes, its header written; the page is emptied for reuse.
    fn finish(&mut self, right: Option<u32>) -> &[u8] {
        let end = self.pointers_end();
        self.bytes[end..self.content].fill(0);
        let header = &mut self.bytes[..self.kind.header()];
        header[0] = self.kind as u8;
        header[1..3].fill(0);
        // At most 65,536 / 4 cells fit a page.
        header[3..5].copy_from_slice(&(self.cells as u16).to_be_bytes());
        // A content area starting at 65,536 is written 0.
        header[5..7].copy_from_slice(&((self.content % 65536) as u16).to_be_bytes());
        header[7] = 0;
        if let Some(right) = right {
            header[8..12].copy_from_slice(&right.to_be_bytes());
        }
        self.cells = 0;
        self.content = self.bytes.len();
        self.last = 0;
        &self.bytes
    }
}

/// A child page of an interior page, with the bytes of the cell that
/// points to it after the page number: for a table, the largest rowid
/// below it; for an index, the entry that divides it from the next child.
struct Child {
    page: u32,
    key: Vec<u8>,
}

/// Builds the interior levels above `children` (at least two) and returns
/// the root page's content; the other pages are appended.
fn interior(pages: &mut Pages, kind: Kind, mut children: Vec<Child>) -> TreeResult<Vec<u8>> {
    let mut page = Page::new(kind, pages.size());
    loop {
        let mut above = Vec::new();
        let mut first = 0;
        while first < children.len() {
            let mut right = first;
            while right + 1 < children.len() && page.fits(4 + children[right].key.len()) {
                let child = &children[right];
                page.place(4 + child.key.len(), |cell| {
                    cell[..4].copy_from_slice(&child.page.to_be_bytes());
                    cell[4..].copy_from_slice(&child.key);
                });
                right += 1;
            }
            // A page holds at least one cell: never leave one child alone
            // for the next page.
            if right + 2 == children.len() {
                if page.cells < 2 {
                    return Err(TreeError::Broken("a page is too small for two cells"));
                }
                page.take_back();
                right -= 1;
            }
            if page.cells == 0 {
                return Err(TreeError::Broken("a page is too small for one cell"));
            }
            let bytes = page.finish(Some(children[right].page));
            if first == 0 && right + 1 == children.len() {
                return Ok(bytes.to_vec());
            }
            let number = pages.append(bytes)?;
            above.push(Child {
                page: number,
                key: std::mem::take(&mut children[right].key),
            });
            first = right + 1;
        }
        children = above;
    }
}

/// Ends a tree whose leaves before `leaf` are `children`: with none,
/// `leaf` is the root; else it is the last child, and interior levels of
/// `kind` are built above. Keeps the root for [`Pages::close`].
fn end_tree(
    pages: &mut Pages,
    root: u32,
    leaf: &mut Page,
    mut children: Vec<Child>,
    kind: Kind,
) -> TreeResult<()> {
    if children.is_empty() {
        let page = leaf.finish(None).to_vec();
        pages.root(root, page);
        return Ok(());
    }
    let number = pages.append(leaf.finish(None))?;
    children.push(Child {
        page: number,
        key: Vec::new(),
    });
    let page = interior(pages, kind, children)?;
    pages.root(root, page);
    Ok(())
}

/// A table b-tree filled in rowid order.
pub struct TableTree {
    root: u32,
    leaf: Page,
    /// The largest rowid on the leaf being filled.
    last_rowid: Option<i64>,
    leaves: Vec<Child>,
    record: Vec<u8>,
}

impl TableTree {
    /// A tree whose root is page `root`.
    pub fn new(root: u32, size: usize) -> TableTree {
        TableTree {
            root,
            leaf: Page::new(Kind::TableLeaf, size),
            last_rowid: None,
            leaves: Vec::new(),
            record: Vec::new(),
        }
    }

    /// The largest rowid written, if any.
    pub fn last_rowid(&self) -> Option<i64> {
        self.last_rowid
    }

    /// Adds the row `rowid` (larger than any before) whose payload is
    /// `record`, with `fill`, if given, written over four of its bytes
    /// (at that offset).
    pub fn push(
        &mut self,
        pages: &mut Pages,
        rowid: i64,
        record: &[u8],
        fill: Option<(usize, [u8; 4])>,
    ) -> TreeResult<()> {
        if self.last_rowid.is_some_and(|last| rowid <= last) {
            return Err(TreeError::Broken("rows must come in rising rowid order"));
        }
        let length = record.len();
        if length > MOST_BYTES {
            return Err(TreeError::Broken(
                "a row is longer than SQLite reads (1,000,000,000 bytes)",
            ));
        }
        if fill.is_some_and(|(at, _)| at + 4 > length) {
            return Err(TreeError::Broken("a row has no room for its partner"));
        }
        let size = pages.size();
        let local = local_size(length, size, true);
        let rowid_bytes = rowid as u64;
        let size_length = varint_len(length as u64);
        let head = size_length + varint_len(rowid_bytes);
        let cell = head + local + if local < length { 4 } else { 0 };
        if !self.leaf.fits(cell) && self.leaf.cells > 0 {
            self.end_leaf(pages)?;
        }
        let (payload, first_overflow) = if local < length {
            long_row(&mut self.record, pages, record, local, fill)?
        } else {
            (record, None)
        };
        self.leaf.place(cell, |bytes| {
            write_varint(bytes, length as u64);
            write_varint(&mut bytes[size_length..], rowid_bytes);
            bytes[head..head + local].copy_from_slice(payload);
            match first_overflow {
                Some(first) => bytes[head + local..].copy_from_slice(&first.to_be_bytes()),
                None => {
                    if let Some((at, fill)) = fill {
                        bytes[head + at..head + at + 4].copy_from_slice(&fill);
                    }
                }
            }
        });
        self.last_rowid = Some(rowid);
        Ok(())
    }

    /// Appends the full leaf and keeps it as a child, keyed by its last
    /// rowid.
    #[cold]
    #[inline(never)]
    fn end_leaf(&mut self, pages: &mut Pages) -> TreeResult<()> {
        let number = pages.append(self.leaf.finish(None))?;
        let mut key = Vec::with_capacity(9);
        // The leaf holds a row when it is full: a cell always fits an
        // empty page, since at most `size - 35` of a payload stays.
        put_varint(&mut key, self.last_rowid.unwrap_or_default() as u64);
        self.leaves.push(Child { page: number, key });
        Ok(())
    }

    /// Builds the interior pages and keeps the root for [`Pages::close`].
    pub fn finish(mut self, pages: &mut Pages) -> TreeResult<()> {
        end_tree(
            pages,
            self.root,
            &mut self.leaf,
            self.leaves,
            Kind::TableInterior,
        )
    }
}

/// A long row's part that stays on its leaf (`local` bytes) and its first
/// overflow page, the rest written to overflow pages: filled in `copy`,
/// then split.
#[cold]
#[inline(never)]
fn long_row<'a>(
    copy: &'a mut Vec<u8>,
    pages: &mut Pages,
    record: &[u8],
    local: usize,
    fill: Option<(usize, [u8; 4])>,
) -> TreeResult<(&'a [u8], Option<u32>)> {
    copy.clear();
    copy.extend_from_slice(record);
    if let Some((at, bytes)) = fill {
        copy[at..at + 4].copy_from_slice(&bytes);
    }
    let first = overflow(pages, &copy[local..])?;
    Ok((&copy[..local], Some(first)))
}

/// Writes `rest` of a payload to a chain of overflow pages; returns the
/// first page's number.
fn overflow(pages: &mut Pages, rest: &[u8]) -> TreeResult<u32> {
    let size = pages.size();
    let mut page = vec![0; size];
    let chunks: Vec<&[u8]> = rest.chunks(size - 4).collect();
    let first = pages.next;
    for (index, chunk) in chunks.iter().enumerate() {
        // The chain's pages are appended one after another.
        let next = if index + 1 < chunks.len() {
            pages.next + 1
        } else {
            0
        };
        page[..4].copy_from_slice(&next.to_be_bytes());
        page[4..4 + chunk.len()].copy_from_slice(chunk);
        page[4 + chunk.len()..].fill(0);
        pages.append(&page)?;
    }
    Ok(first)
}

/// An index b-tree on one integer column, filled in order with its
/// entries, `(key, rowid)`: built as they come, one entry behind (the last
/// entry is placed differently).
pub struct IndexTree {
    root: u32,
    leaf: Page,
    children: Vec<Child>,
    /// The entry given last, not placed yet.
    pending: Option<(i64, i64)>,
    /// The entry placed last.
    placed: Option<(i64, i64)>,
}

/// An index entry's cell: its record's size, then the record (a header
/// of three bytes and two integers); at most 20 bytes.
#[inline(always)]
fn index_cell_length(entry: (i64, i64)) -> usize {
    4 + integer_serial(entry.0).1 + integer_serial(entry.1).1
}

/// Writes an index entry's cell into `bytes` (of its length).
#[inline(always)]
fn write_index_cell(bytes: &mut [u8], entry: (i64, i64)) {
    let (key_serial, key_length) = integer_serial(entry.0);
    let (rowid_serial, _) = integer_serial(entry.1);
    // The record's size and serial types are below 0x80: one byte each.
    bytes[0] = (bytes.len() - 1) as u8;
    bytes[1] = 3;
    bytes[2] = key_serial as u8;
    bytes[3] = rowid_serial as u8;
    let (key, rowid) = bytes[4..].split_at_mut(key_length);
    write_integer(key, entry.0);
    write_integer(rowid, entry.1);
}

/// An index entry as the key of an interior cell.
fn index_key(entry: (i64, i64)) -> Vec<u8> {
    let mut key = vec![0; index_cell_length(entry)];
    write_index_cell(&mut key, entry);
    key
}

impl IndexTree {
    /// A tree whose root is page `root`.
    pub fn new(root: u32, size: usize) -> IndexTree {
        IndexTree {
            root,
            leaf: Page::new(Kind::IndexLeaf, size),
            children: Vec::new(),
            pending: None,
            placed: None,
        }
    }

    /// Adds an entry, larger than any before.
    pub fn push(&mut self, pages: &mut Pages, entry: (i64, i64)) -> TreeResult<()> {
        if self.pending.is_some_and(|last| entry <= last) {
            return Err(TreeError::Broken("index entries must come in rising order"));
        }
        match self.pending.replace(entry) {
            Some(previous) => self.place(pages, previous, false),
            None => Ok(()),
        }
    }

    /// Places an entry in the leaf being filled; when it does not fit, it
    /// divides that leaf from the next, unless it is the `last` entry:
    /// then the leaf's last entry does, and it starts the next leaf.
    #[inline(always)]
    fn place(&mut self, pages: &mut Pages, entry: (i64, i64), last: bool) -> TreeResult<()> {
        let length = index_cell_length(entry);
        if self.leaf.fits(length) {
            self.leaf
                .place(length, |bytes| write_index_cell(bytes, entry));
            self.placed = Some(entry);
            Ok(())
        } else {
            self.place_past_full_leaf(pages, entry, last)
        }
    }

    /// [`IndexTree::place`] of an entry that does not fit the leaf.
    #[cold]
    #[inline(never)]
    fn place_past_full_leaf(
        &mut self,
        pages: &mut Pages,
        entry: (i64, i64),
        last: bool,
    ) -> TreeResult<()> {
        let length = index_cell_length(entry);
        if last {
            if self.leaf.cells < 2 {
                return Err(TreeError::Broken("a page is too small for two cells"));
            }
            self.leaf.take_back();
            let divider = self.placed.unwrap_or_default();
            let number = pages.append(self.leaf.finish(None))?;
            self.children.push(Child {
                page: number,
                key: index_key(divider),
            });
            self.leaf
                .place(length, |bytes| write_index_cell(bytes, entry));
        } else {
            let number = pages.append(self.leaf.finish(None))?;
            self.children.push(Child {
                page: number,
                key: index_key(entry),
            });
        }
        self.placed = Some(entry);
        Ok(())
    }

    /// Places the last entry, builds the interior pages and keeps the root
    /// for [`Pages::close`].
    pub fn finish(mut self, pages: &mut Pages) -> TreeResult<()> {
        if let Some(last) = self.pending.take() {
            self.place(pages, last, true)?;
        }
        end_tree(
            pages,
            self.root,
            &mut self.leaf,
            self.children,
            Kind::IndexInterior,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_sqlites() {
        let cases: [(u64, &[u8]); 8] = [
            (0, &[0]),
            (0x7f, &[0x7f]),
            (0x80, &[0x81, 0x00]),
            (0x3fff, &[0xff, 0x7f]),
            (0x4000, &[0x81, 0x80, 0x00]),
            (0x1f_ffff, &[0xff, 0xff, 0x7f]),
            (0x20_0000, &[0x81, 0x80, 0x80, 0x00]),
            (u64::MAX, &[0xff; 9]),
        ];
        for (value, bytes) in cases {
            let mut out = Vec::new();
            put_varint(&mut out, value);
            assert_eq!(out, bytes, "{value:#x}");
            assert_eq!(varint_len(value), bytes.len());
        }
        let mut out = Vec::new();
        put_varint(&mut out, 0x0100_0000_0000_0000);
        assert_eq!(out.len(), 9);
        assert_eq!(out[8], 0);
        // The short forms written inline agree with the general one at
        // every length's edges.
        for bits in 0..64 {
            let edge = 1u64 << bits;
            for value in [edge - 1, edge, edge + 1] {
                let (mut short, mut long) = ([0u8; 9], [0u8; 9]);
                let length = write_varint(&mut short, value);
                assert_eq!(length, write_long_varint(&mut long, value), "{value:#x}");
                assert_eq!(short, long, "{value:#x}");
            }
        }
    }

    /// A rule of the format broken by what the writer is given is the
    /// writer's fault, told apart from the file's errors.
    #[test]
    fn broken_rules_are_faults_not_file_errors() {
        let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let path = folder.path().join("pages.db");
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .unwrap_or_else(|error| panic!("{error}"));
        file.set_len(512).unwrap_or_else(|error| panic!("{error}"));
        let mut pages = Pages::new(file, 512, 1).unwrap_or_else(|error| panic!("{error}"));
        let mut record = Vec::new();
        put_record(&mut record, None, &[Value::Int(7)]);
        let mut tree = TableTree::new(2, 512);
        let pushed = tree.push(&mut pages, 2, &record, None);
        assert!(pushed.is_ok(), "{pushed:?}");
        let again = tree.push(&mut pages, 2, &record, None);
        assert!(
            matches!(again, Err(TreeError::Broken(rule)) if rule.contains("rowid order")),
            "{again:?}"
        );
        let mut index = IndexTree::new(3, 512);
        let first = index.push(&mut pages, (1, 5));
        assert!(first.is_ok(), "{first:?}");
        let earlier = index.push(&mut pages, (1, 4));
        assert!(
            matches!(earlier, Err(TreeError::Broken(rule)) if rule.contains("rising order")),
            "{earlier:?}"
        );
        // A file whose size is not whole pages is refused, not appended to.
        let odd = folder.path().join("odd.db");
        let file = File::create(&odd).unwrap_or_else(|error| panic!("{error}"));
        file.set_len(700).unwrap_or_else(|error| panic!("{error}"));
        assert!(matches!(
            Pages::new(file, 512, 1),
            Err(TreeError::Broken(_))
        ));
    }

    #[test]
    fn integers_take_the_smallest_width_that_holds_them() {
        // SQLite's widths, each with its serial type and range.
        let widths: [(u64, usize, i64, i64); 6] = [
            (1, 1, -0x80, 0x7f),
            (2, 2, -0x8000, 0x7fff),
            (3, 3, -0x80_0000, 0x7f_ffff),
            (4, 4, -0x8000_0000, 0x7fff_ffff),
            (5, 6, -0x8000_0000_0000, 0x7fff_ffff_ffff),
            (6, 8, i64::MIN, i64::MAX),
        ];
        let expected = |value: i64| match value {
            0 => (8, 0),
            1 => (9, 0),
            _ => widths
                .iter()
                .find(|(_, _, low, high)| (*low..=*high).contains(&value))
                .map(|(serial, length, _, _)| (*serial, *length))
                .unwrap_or_default(),
        };
        let mut values = vec![0, 1, 2, -1, -2];
        for (_, _, low, high) in widths {
            for edge in [low, high] {
                values.extend([edge.saturating_sub(1), edge, edge.saturating_add(1)]);
            }
        }
        for value in values {
            assert_eq!(integer_serial(value), expected(value), "{value:#x}");
            let mut out = Vec::new();
            put_record(&mut out, None, &[Value::Int(value)]);
            assert_eq!(
                read_record(&out),
                Some(vec![Value::Int(value)]),
                "{value:#x}"
            );
        }
    }

    #[test]
    fn records_are_sqlites() {
        let mut out = Vec::new();
        put_record(
            &mut out,
            None,
            &[
                Value::Null,
                Value::Int(1),
                Value::Int(-2),
                Value::Text("ab"),
            ],
        );
        assert_eq!(out, [5, 0, 9, 1, 17, 0xfe, b'a', b'b']);
    }

    /// Records of many values and long texts (serial types of more than
    /// one byte) read back as written.
    #[test]
    fn records_of_any_width_read_back() {
        let long = "é".repeat(5000);
        let day = NaiveDate::from_ymd_opt(2019, 11, 1).unwrap_or_default();
        let far = NaiveDate::from_ymd_opt(12345, 6, 7).unwrap_or_default();
        let values: Vec<Value<'_>> = (0..40)
            .map(|index| match index % 6 {
                0 => Value::Int(i64::MIN + index),
                1 => Value::Text(&long),
                2 => Value::Null,
                3 => Value::Date(day),
                4 => Value::Date(far),
                _ => Value::Int(index * 1_000_003),
            })
            .collect();
        for first in [None, Some(Value::Fixed(-7))] {
            let mut out = vec![0xaa];
            let length = put_record(&mut out, first, &values);
            assert_eq!(length, out.len() - 1);
            let read = read_record(&out[1..]).unwrap_or_default();
            let mut expected: Vec<Value<'_>> = first
                .iter()
                .copied()
                .chain(values.iter().copied())
                .collect();
            let day_text = day.to_string();
            let far_text = far.to_string();
            for value in &mut expected {
                *value = match *value {
                    Value::Fixed(number) => Value::Int(i64::from(number)),
                    Value::Date(date) if date == day => Value::Text(&day_text),
                    Value::Date(_) => Value::Text(&far_text),
                    other => other,
                };
            }
            assert_eq!(read, expected);
        }
    }

    #[test]
    fn overflow_sizes_follow_sqlite() {
        // A 4,096-byte page keeps 4,061 bytes of a table row, 1,002 of an
        // index entry; a longer payload keeps the least plus a remainder.
        assert_eq!(local_size(4061, 4096, true), 4061);
        assert_eq!(local_size(1002, 4096, false), 1002);
        assert_eq!(local_size(4062, 4096, true), 489);
        assert_eq!(local_size(10_000, 4096, true), 489 + (10_000 - 489) % 4092);
    }

    /// Trees written here, then read by SQLite: `PRAGMA integrity_check`
    /// and every row and index entry as written.
    mod read_by_sqlite {
        use super::*;
        use proptest::prelude::*;
        use rusqlite::Connection;

        #[derive(Debug, Clone)]
        struct Row {
            /// How much the partner number rises before this row.
            step: i64,
            number: Option<i64>,
            text: Option<String>,
        }

        type Written = Vec<(i64, i64, Option<i64>, Option<String>)>;

        /// The root page of table or index `name`, as SQLite's schema says.
        fn root_page(connection: &Connection, name: &str) -> u32 {
            connection
                .query_row(
                    "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
                    [name],
                    |row| row.get(0),
                )
                .unwrap_or_else(|error| panic!("{error}"))
        }

        /// Writes `rows` into table `t` (partner slot, number, text, with
        /// an index on partner) and table `u` (rowid alias, text) of a new
        /// database of `size`-byte pages; returns it and the rows.
        fn write(size: usize, rows: &[Row]) -> (tempfile::TempDir, Connection, Written) {
            let fail = |error: &dyn std::fmt::Display| -> ! { panic!("{error}") };
            let folder = tempfile::tempdir().unwrap_or_else(|error| fail(&error));
            let path = folder.path().join("t.db");
            let connection = Connection::open(&path).unwrap_or_else(|error| fail(&error));
            connection
                .execute_batch(&format!(
                    "PRAGMA page_size = {size}; PRAGMA journal_mode = OFF; \
                     CREATE TABLE t (partner INTEGER NOT NULL, number INTEGER, text TEXT); \
                     CREATE INDEX t_by_partner ON t (partner); \
                     CREATE TABLE u (id INTEGER PRIMARY KEY, text TEXT);"
                ))
                .unwrap_or_else(|error| fail(&error));
            let root = |name| root_page(&connection, name);
            let (t, u, index) = (root("t"), root("u"), root("t_by_partner"));
            let count: u32 = connection
                .query_row("PRAGMA page_count", [], |row| row.get(0))
                .unwrap_or_else(|error| fail(&error));
            connection.close().unwrap_or_else(|(_, error)| fail(&error));
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&path)
                .unwrap_or_else(|error| fail(&error));
            let mut pages = Pages::new(file, size, count).unwrap_or_else(|error| fail(&error));
            let mut t_tree = TableTree::new(t, size);
            let mut u_tree = TableTree::new(u, size);
            let mut written = Vec::new();
            let mut partner = 1i64;
            let mut record = Vec::new();
            for (position, row) in rows.iter().enumerate() {
                partner += row.step;
                let rowid = position as i64 + 1;
                let number = row.number.map_or(Value::Null, Value::Int);
                let text = row.text.as_deref().map_or(Value::Null, Value::Text);
                record.clear();
                put_record(&mut record, Some(Value::Fixed(0)), &[number, text]);
                let slot = record_header(&record).unwrap_or_else(|| fail(&"no header"));
                let fill = (slot, (partner as i32).to_be_bytes());
                t_tree
                    .push(&mut pages, rowid, &record, Some(fill))
                    .unwrap_or_else(|error| fail(&error));
                record.clear();
                put_record(&mut record, Some(Value::Null), &[text]);
                // Rowids with gaps, as partner numbers may have.
                u_tree
                    .push(&mut pages, rowid * 3, &record, None)
                    .unwrap_or_else(|error| fail(&error));
                written.push((rowid, partner, row.number, row.text.clone()));
            }
            t_tree
                .finish(&mut pages)
                .unwrap_or_else(|error| fail(&error));
            u_tree
                .finish(&mut pages)
                .unwrap_or_else(|error| fail(&error));
            let mut index_tree = IndexTree::new(index, size);
            for (rowid, partner, _, _) in &written {
                index_tree
                    .push(&mut pages, (*partner, *rowid))
                    .unwrap_or_else(|error| fail(&error));
            }
            index_tree
                .finish(&mut pages)
                .unwrap_or_else(|error| fail(&error));
            pages.close().unwrap_or_else(|error| fail(&error));
            let connection = Connection::open(&path).unwrap_or_else(|error| fail(&error));
            (folder, connection, written)
        }

        /// What SQLite reads back: the integrity check, `t`'s rows, `u`'s
        /// rows, and each partner's rows found through the index.
        fn check(connection: &Connection, written: &Written) -> Result<(), TestCaseError> {
            let fail = |error: rusqlite::Error| TestCaseError::fail(error.to_string());
            let integrity: Vec<String> = connection
                .prepare("PRAGMA integrity_check")
                .map_err(fail)?
                .query_map([], |row| row.get(0))
                .map_err(fail)?
                .collect::<Result<_, _>>()
                .map_err(fail)?;
            prop_assert_eq!(integrity, vec!["ok".to_owned()]);
            let rows: Written = connection
                .prepare("SELECT rowid, partner, number, text FROM t ORDER BY rowid")
                .map_err(fail)?
                .query_map([], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .map_err(fail)?
                .collect::<Result<_, _>>()
                .map_err(fail)?;
            prop_assert_eq!(&rows, written);
            let texts: Vec<(i64, Option<String>)> = connection
                .prepare("SELECT id, text FROM u ORDER BY id")
                .map_err(fail)?
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
                .map_err(fail)?
                .collect::<Result<_, _>>()
                .map_err(fail)?;
            let expected: Vec<(i64, Option<String>)> = written
                .iter()
                .map(|(rowid, _, _, text)| (rowid * 3, text.clone()))
                .collect();
            prop_assert_eq!(texts, expected);
            let mut by_partner = connection
                .prepare("SELECT rowid FROM t INDEXED BY t_by_partner WHERE partner = ?1")
                .map_err(fail)?;
            let mut partners: Vec<i64> = written.iter().map(|row| row.1).collect();
            partners.dedup();
            partners.push(partners.last().map_or(1, |last| last + 1));
            for partner in partners {
                let found: Vec<i64> = by_partner
                    .query_map([partner], |row| row.get(0))
                    .map_err(fail)?
                    .collect::<Result<_, _>>()
                    .map_err(fail)?;
                let expected: Vec<i64> = written
                    .iter()
                    .filter(|row| row.1 == partner)
                    .map(|row| row.0)
                    .collect();
                prop_assert_eq!(found, expected, "partner {}", partner);
            }
            Ok(())
        }

        /// Walks the b-tree at `root` in the file: every interior page and
        /// every page but the root holds a cell; returns the leaves in order.
        fn walk(file: &[u8], size: usize, number: u32, root: bool) -> Vec<u32> {
            let start = (number as usize - 1) * size;
            let page = &file[start..start + size];
            let cells = usize::from(u16::from_be_bytes([page[3], page[4]]));
            let interior = matches!(page[0], 0x02 | 0x05);
            assert!(
                cells > 0 || (root && !interior),
                "page {number} holds no cell"
            );
            if !interior {
                return vec![number];
            }
            let child = |at: usize| {
                u32::from_be_bytes([page[at], page[at + 1], page[at + 2], page[at + 3]])
            };
            let mut leaves = Vec::new();
            for cell in 0..cells {
                let pointer = usize::from(u16::from_be_bytes([
                    page[12 + 2 * cell],
                    page[13 + 2 * cell],
                ]));
                leaves.extend(walk(file, size, child(pointer), false));
            }
            leaves.extend(walk(file, size, child(8), false));
            leaves
        }

        /// Every tree of a written database, walked.
        fn walk_all(folder: &tempfile::TempDir, connection: &Connection, size: usize) {
            let file =
                std::fs::read(folder.path().join("t.db")).unwrap_or_else(|error| panic!("{error}"));
            for name in ["t", "u", "t_by_partner"] {
                walk(&file, size, root_page(connection, name), true);
            }
        }

        /// Every count of rows up to several leaves, so that the last row
        /// or entry falls at every place of a page, the full one included.
        #[test]
        fn every_count_of_rows_up_to_several_leaves() {
            for count in 0..=200 {
                let rows: Vec<Row> = (0..count)
                    .map(|_| Row {
                        step: 0,
                        number: Some(0),
                        text: None,
                    })
                    .collect();
                let (folder, connection, written) = write(512, &rows);
                walk_all(&folder, &connection, 512);
                check(&connection, &written)
                    .unwrap_or_else(|error| panic!("{count} rows: {error}"));
            }
        }

        /// Interior levels over every count of children up to three
        /// pages' worth: no page is left without a cell, and the leaves
        /// come back in order.
        #[test]
        fn interior_levels_keep_every_child_in_order() {
            let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
            for count in 2..=230u32 {
                let path = folder.path().join(format!("{count}.db"));
                let file = std::fs::File::options()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(true)
                    .open(&path)
                    .unwrap_or_else(|error| panic!("{error}"));
                // Page 1 (the header's), the leaves (pages 2 to count + 1),
                // and the root's page.
                let root_page = count + 2;
                file.set_len(512 * u64::from(root_page))
                    .unwrap_or_else(|error| panic!("{error}"));
                let mut pages =
                    Pages::new(file, 512, root_page).unwrap_or_else(|error| panic!("{error}"));
                let children = (0..count)
                    .map(|index| {
                        let mut key = Vec::new();
                        put_varint(&mut key, u64::from(index) + 1);
                        Child {
                            page: index + 2,
                            key,
                        }
                    })
                    .collect();
                let root = interior(&mut pages, Kind::TableInterior, children)
                    .unwrap_or_else(|error| panic!("{error}"));
                pages.root(root_page, root);
                pages.close().unwrap_or_else(|error| panic!("{error}"));
                let mut bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{error}"));
                // The leaves themselves, for the walk: leaf pages that say
                // they hold a cell (it is not read).
                for leaf in 2..count + 2 {
                    bytes[(leaf as usize - 1) * 512] = 0x0d;
                    bytes[(leaf as usize - 1) * 512 + 4] = 1;
                }
                let leaves = walk(&bytes, 512, root_page, true);
                assert_eq!(
                    leaves,
                    (2..count + 2).collect::<Vec<_>>(),
                    "{count} children"
                );
            }
        }

        fn any_row() -> impl Strategy<Value = Row> {
            let text = prop_oneof![
                4 => "[a-z@.]{0,24}",
                2 => "[a-zé€😀\\x00]{0,60}",
                1 => prop::collection::vec(any::<char>(), 0..6000)
                    .prop_map(|chars| chars.into_iter().collect::<String>()),
            ];
            let number = prop_oneof![any::<i64>(), -300i64..300, Just(0i64), Just(1i64)];
            (0i64..3, prop::option::of(number), prop::option::of(text))
                .prop_map(|(step, number, text)| Row { step, number, text })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(48))]
            #[test]
            fn sqlite_reads_every_row_written(
                size in prop_oneof![Just(512usize), Just(1024), Just(4096), Just(65536)],
                rows in prop::collection::vec(any_row(), 0..400),
            ) {
                let (folder, connection, written) = write(size, &rows);
                walk_all(&folder, &connection, size);
                check(&connection, &written)?;
            }
        }

        /// Enough rows on small pages for trees of several levels.
        #[test]
        fn deep_trees_are_read_whole() {
            let rows: Vec<Row> = (0..40_000)
                .map(|position| Row {
                    step: i64::from(position % 7 == 0),
                    number: Some(position * 7919),
                    text: (position % 3 == 0).then(|| format!("row {position}")),
                })
                .collect();
            let (folder, connection, written) = write(512, &rows);
            // Each tree's root and the root's last child are interior
            // pages: three levels or more.
            let file =
                std::fs::read(folder.path().join("t.db")).unwrap_or_else(|error| panic!("{error}"));
            let page = |number: u32| &file[(number as usize - 1) * 512..number as usize * 512];
            for (name, interior) in [("t", 0x05), ("t_by_partner", 0x02)] {
                let root = root_page(&connection, name);
                assert_eq!(page(root)[0], interior, "{name}");
                let right = u32::from_be_bytes([
                    page(root)[8],
                    page(root)[9],
                    page(root)[10],
                    page(root)[11],
                ]);
                assert_eq!(page(right)[0], interior, "{name}");
            }
            check(&connection, &written).unwrap_or_else(|error| panic!("{error}"));
        }
    }
}
