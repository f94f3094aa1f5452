//! Writing rows into a new SQLite database (rusqlite, with SQLite bundled):
//! the tables of [`super::schema`] created, then every row in one
//! transaction, from one thread. The caller writes to a temporary file and
//! renames it into place, so a failed run leaves no half database.

use std::path::Path;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ToSql};

use super::schema::{Name, Owner, TABLES, Table};
use super::{Cell, Rows};

impl ToSql for Cell {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Cell::Null => ValueRef::Null,
            Cell::Int(value) => ValueRef::Integer(*value),
            Cell::Text(text) => ValueRef::Text(text.as_bytes()),
            Cell::Static(text) => ValueRef::Text(text.as_bytes()),
        }))
    }
}

/// Rows inserted by one statement: the writer keeps each table's rows
/// until it has this many (fewer statements, each doing more).
const CHUNK: usize = 64;

/// The statement sizes used: `CHUNK`, then halves down to one row, so a
/// remainder takes few statements and the statement cache stays small.
const SIZES: [usize; 7] = [64, 32, 16, 8, 4, 2, 1];

/// A database being written.
pub struct Writer {
    connection: Connection,
    /// For each table, for each of [`SIZES`], its multi-row `INSERT`.
    inserts: Vec<Vec<String>>,
    /// For each table, the cells of the rows not written yet.
    pending: Vec<Vec<Cell>>,
    partners: i64,
}

impl Writer {
    /// Creates the tables in a new database at `path` (an empty file or
    /// none) and begins the one transaction.
    pub fn create(path: &Path) -> rusqlite::Result<Writer> {
        let connection = Connection::open(path)?;
        // The file is a temporary one until renamed into place: a crash
        // leaves only it, so no journal is needed. Rows are written by
        // table, not in reference order, so foreign keys are declared (for
        // readers) but not checked while loading; the rows are consistent
        // by construction (a partner's number is given by this writer).
        connection.execute_batch(
            "PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; \
             PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF;",
        )?;
        connection.set_prepared_statement_cache_capacity(TABLES.len() * SIZES.len() + 8);
        let mut script = String::from("BEGIN;\n");
        for table in TABLES {
            script.push_str(&table.create());
            script.push('\n');
        }
        connection.execute_batch(&script)?;
        Ok(Writer {
            connection,
            inserts: TABLES
                .iter()
                .map(|table| SIZES.iter().map(|rows| table.insert(*rows)).collect())
                .collect(),
            pending: TABLES.iter().map(|_| Vec::new()).collect(),
            partners: 0,
        })
    }

    /// Takes one batch of rows: a partner's (numbered next), the
    /// catalog's, or an input error; a table's rows are written each time
    /// it has [`CHUNK`] of them.
    pub fn write(&mut self, rows: Rows) -> rusqlite::Result<()> {
        if rows.0.iter().any(|(name, _)| *name == Name::Partners) {
            self.partners += 1;
        }
        for (name, cells) in rows.0 {
            let table = name.table();
            let pending = &mut self.pending[name as usize];
            if table.owner == Owner::Partner {
                pending.push(Cell::Int(self.partners));
            }
            pending.extend(cells);
            if pending.len() == CHUNK * table.columns.len() {
                self.flush(name as usize, 0)?;
            }
        }
        Ok(())
    }

    /// Writes table `index`'s pending rows with statements of
    /// `SIZES[from..]` rows.
    fn flush(&mut self, index: usize, from: usize) -> rusqlite::Result<()> {
        let width = TABLES[index].columns.len();
        let cells = std::mem::take(&mut self.pending[index]);
        let mut rows = cells.len() / width;
        let mut at = 0;
        for (size_index, size) in SIZES.iter().enumerate().skip(from) {
            while rows >= *size {
                let mut statement = self
                    .connection
                    .prepare_cached(&self.inserts[index][size_index])?;
                for (offset, cell) in cells[at..at + size * width].iter().enumerate() {
                    statement.raw_bind_parameter(offset + 1, cell)?;
                }
                statement.raw_execute()?;
                at += size * width;
                rows -= size;
            }
        }
        Ok(())
    }

    /// Writes what is pending, indexes each partner's table by partner,
    /// commits, and closes the database.
    pub fn finish(mut self) -> rusqlite::Result<()> {
        for index in 0..TABLES.len() {
            self.flush(index, 0)?;
        }
        let indexes: String = TABLES.iter().filter_map(Table::index).collect();
        self.connection.execute_batch(&indexes)?;
        self.connection.execute_batch("COMMIT;")?;
        self.connection.close().map_err(|(_, error)| error)
    }
}
