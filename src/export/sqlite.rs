//! Writing the export's database. SQLite (rusqlite, with SQLite bundled)
//! makes the file: every table and index of [`super::schema`], and the
//! catalog's rows, in one transaction. The partners' rows, which arrive
//! in order on one thread, are then written straight into those tables'
//! b-trees by [`super::btree`] (a row costs its encoding, not a SQL
//! statement), each checked against its column's declaration as SQLite
//! would (NOT NULL, INTEGER or TEXT). The caller writes to a temporary
//! file and renames it into place, so a failed run leaves no half
//! database.

use std::fs::OpenOptions;
use std::path::Path;

use rusqlite::Connection;
use rusqlite::types::{ToSqlOutput, ValueRef};

use super::btree::{
    IndexTree, Pages, TOO_LARGE, TableTree, TreeError, Value, read_record, record_header,
};
use super::schema::{Owner, TABLES, Table};
use super::{RowFault, Rows};

/// The page size of the database: 64 KiB pages hold the schema on the
/// first page and most rows whole.
pub const PAGE_SIZE: usize = 65536;

/// Why the database could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// SQLite refused.
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file could not be written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A row does not fit its table.
    #[error(transparent)]
    Row(#[from] RowFault),
    /// Rows were given for a table the bulk writer does not fill.
    #[error("table `{0}` has keys SQLite must keep; its rows go with the catalog")]
    NotBulk(&'static str),
    /// Rows that are not as `Rows` writes them or that break a rule of the
    /// file format (a fault of this program), more partners than the
    /// database numbers, or more pages than SQLite reads.
    #[error("{0}")]
    Rows(&'static str),
}

impl From<TreeError> for WriteError {
    /// The file's errors stay the file's; the rest are the rows'.
    fn from(error: TreeError) -> WriteError {
        match error {
            TreeError::Io(error) => WriteError::Io(error),
            TreeError::TooLarge => WriteError::Rows(TOO_LARGE),
            TreeError::Broken(rule) => WriteError::Rows(rule),
        }
    }
}

/// A table filled by the bulk writer.
struct Bulk {
    table: &'static Table,
    /// Its first column is the rowid (`partners`).
    rowid_alias: bool,
    tree: TableTree,
    /// The index on `partner`, filled as the rows come.
    index: Option<IndexTree>,
}

/// A database being written.
pub struct Writer {
    pages: Pages,
    /// For each table, its bulk writer, if it is one.
    bulk: Vec<Option<Bulk>>,
    partners: i64,
}

impl Writer {
    /// Makes the database at `path` (an empty file or none): its tables
    /// and indexes, and the rows of `catalog` (tables the export owns).
    pub fn create(path: &Path, catalog: Rows) -> Result<Writer, WriteError> {
        Writer::with_page_size(path, catalog, PAGE_SIZE)
    }

    /// [`Writer::create`] with pages of `size` bytes (a power of two from
    /// 512 to 65,536).
    pub fn with_page_size(path: &Path, catalog: Rows, size: usize) -> Result<Writer, WriteError> {
        let connection = Connection::open(path)?;
        // The file is a temporary one until renamed into place: a crash
        // leaves only it, so no journal is needed. Foreign keys are
        // declared (for readers); the rows are consistent by construction.
        connection.execute_batch(&format!(
            "PRAGMA page_size = {size}; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; \
             PRAGMA locking_mode = EXCLUSIVE; PRAGMA foreign_keys = OFF;"
        ))?;
        let mut script = String::from("BEGIN;\n");
        for table in TABLES {
            script.push_str(&table.create());
            script.push('\n');
            if let Some(index) = table.index() {
                script.push_str(&index);
                script.push('\n');
            }
        }
        connection.execute_batch(&script)?;
        if let Some(fault) = catalog.fault() {
            return Err(fault.clone().into());
        }
        for (position, record) in catalog.iter() {
            let table = &TABLES[position];
            if table.owner == Owner::Partner {
                return Err(WriteError::NotBulk(table.name));
            }
            let mut statement = connection.prepare_cached(&table.insert())?;
            let values =
                read_record(record).ok_or(WriteError::Rows("a catalog row is not a record"))?;
            for (offset, value) in values.iter().enumerate() {
                let value = match value {
                    Value::Null => ValueRef::Null,
                    Value::Int(number) => ValueRef::Integer(*number),
                    Value::Fixed(number) => ValueRef::Integer(i64::from(*number)),
                    Value::Text(text) => ValueRef::Text(text.as_bytes()),
                    // A record's days read back as text.
                    Value::Date(_) => return Err(WriteError::Rows("a day read back as a day")),
                };
                statement.raw_bind_parameter(offset + 1, ToSqlOutput::Borrowed(value))?;
            }
            statement.raw_execute()?;
        }
        connection.execute_batch("COMMIT;")?;
        let roots: Vec<(String, u32)> = connection
            .prepare("SELECT name, rootpage FROM sqlite_schema WHERE rootpage > 0")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let count: u32 = connection.query_row("PRAGMA page_count", [], |row| row.get(0))?;
        let size: u32 = connection.query_row("PRAGMA page_size", [], |row| row.get(0))?;
        let size = size as usize;
        connection.close().map_err(|(_, error)| error)?;
        let root = |name: &str| {
            roots
                .iter()
                .find(|(found, _)| found == name)
                .map(|(_, page)| *page)
        };
        let mut bulk = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let Some(table_root) = root(table.name).filter(|_| table.bulk()) else {
                bulk.push(None);
                continue;
            };
            let index = match table.index() {
                None => None,
                Some(_) => match root(&format!("{}_by_partner", table.name)) {
                    Some(root) => Some(IndexTree::new(root, size)),
                    None => return Err(WriteError::NotBulk(table.name)),
                },
            };
            bulk.push(Some(Bulk {
                table,
                rowid_alias: table.rowid_alias(),
                tree: TableTree::new(table_root, size),
                index,
            }));
        }
        let file = OpenOptions::new().read(true).write(true).open(path)?;
        Ok(Writer {
            pages: Pages::new(file, size, count)?,
            bulk,
            partners: 0,
        })
    }

    /// Writes one batch of rows: a partner's (numbered next) or an input
    /// error.
    pub fn write(&mut self, rows: Rows) -> Result<(), WriteError> {
        if let Some(fault) = rows.fault() {
            return Err(fault.clone().into());
        }
        if rows.of_partner() {
            self.partners += 1;
        }
        for (position, record) in rows.iter() {
            let Some(bulk) = self.bulk.get_mut(position).and_then(Option::as_mut) else {
                return Err(WriteError::NotBulk(
                    TABLES.get(position).map_or("?", |table| table.name),
                ));
            };
            bulk.push(&mut self.pages, self.partners, record)?;
        }
        Ok(())
    }

    /// Finishes every table and index and sets the page count.
    pub fn finish(mut self) -> Result<(), WriteError> {
        for bulk in self.bulk.into_iter().flatten() {
            bulk.tree.finish(&mut self.pages)?;
            if let Some(index) = bulk.index {
                index.finish(&mut self.pages)?;
            }
        }
        self.pages.close()?;
        Ok(())
    }
}

impl Bulk {
    /// Adds a record (for a partner's table, with a slot for its number)
    /// of partner number `partner`.
    fn push(&mut self, pages: &mut Pages, partner: i64, record: &[u8]) -> Result<(), WriteError> {
        let next = self.tree.last_rowid().unwrap_or(0) + 1;
        match (self.table.owner, self.rowid_alias) {
            // The partner's number is the rowid; the record holds NULL.
            (Owner::Partner, true) => self.tree.push(pages, partner, record, None)?,
            (Owner::Partner, false) => {
                // The slot is the record's first value, where its header ends.
                let slot =
                    record_header(record).ok_or(WriteError::Rows("a row is not a record"))?;
                let number = i32::try_from(partner).map_err(|_| {
                    WriteError::Rows("more than 2,147,483,647 partners; export fewer at a time")
                })?;
                self.tree
                    .push(pages, next, record, Some((slot, number.to_be_bytes())))?;
                if let Some(index) = &mut self.index {
                    index.push(pages, (partner, next))?;
                }
            }
            (Owner::Export, _) => self.tree.push(pages, next, record, None)?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::schema::Name;

    /// The file's errors stay file errors; a broken rule and too large a
    /// file are reported with the rows, with their words.
    #[test]
    fn tree_errors_keep_their_kind() {
        let io = WriteError::from(TreeError::Io(std::io::Error::other("disk full")));
        assert!(matches!(io, WriteError::Io(_)), "{io:?}");
        let broken = WriteError::from(TreeError::Broken("rows must come in rising rowid order"));
        assert!(
            matches!(broken, WriteError::Rows(rule) if rule.contains("rowid order")),
            "{broken:?}"
        );
        let large = WriteError::from(TreeError::TooLarge);
        assert!(
            matches!(large, WriteError::Rows(words) if words.contains("export fewer")),
            "{large:?}"
        );
    }

    #[test]
    fn every_table_written_after_the_catalog_is_bulk() {
        for table in TABLES {
            if table.owner == Owner::Partner || table.name == "input_errors" {
                assert!(table.bulk(), "{}", table.name);
            }
        }
        // A table with a key is not: SQLite keeps its index.
        assert!(!Name::Meta.table().bulk());
        assert!(!Name::Requirements.table().bulk());
    }
}
