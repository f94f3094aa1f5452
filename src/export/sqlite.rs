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
        }))
    }
}

/// A database being written.
pub struct Writer {
    connection: Connection,
    /// Each table's `INSERT`, made once.
    inserts: Vec<String>,
    partners: i64,
}

impl Writer {
    /// Creates the tables in a new database at `path` (an empty file or
    /// none) and begins the one transaction.
    pub fn create(path: &Path) -> rusqlite::Result<Writer> {
        let connection = Connection::open(path)?;
        // The file is a temporary one until renamed into place: a crash
        // leaves only it, so no journal is needed.
        connection.execute_batch(
            "PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; \
             PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -65536;",
        )?;
        connection.set_prepared_statement_cache_capacity(TABLES.len() + 4);
        let mut script = String::from("BEGIN;\n");
        for table in TABLES {
            script.push_str(&table.create());
            script.push('\n');
        }
        connection.execute_batch(&script)?;
        Ok(Writer {
            connection,
            inserts: TABLES.iter().map(Table::insert).collect(),
            partners: 0,
        })
    }

    /// Writes one batch of rows: a partner's (numbered next), the
    /// catalog's, or an input error. Rows of one table in a row share one
    /// prepared statement.
    pub fn write(&mut self, rows: &Rows) -> rusqlite::Result<()> {
        if rows.0.iter().any(|(name, _)| *name == Name::Partners) {
            self.partners += 1;
        }
        let partner = Cell::Int(self.partners);
        let mut at = 0;
        while at < rows.0.len() {
            let name = rows.0[at].0;
            let run = rows.0[at..]
                .iter()
                .take_while(|(other, _)| *other == name)
                .count();
            let mut statement = self
                .connection
                .prepare_cached(&self.inserts[name as usize])?;
            let first = usize::from(name.table().owner == Owner::Partner);
            for (_, cells) in &rows.0[at..at + run] {
                if first == 1 {
                    statement.raw_bind_parameter(1, &partner)?;
                }
                for (index, cell) in cells.iter().enumerate() {
                    statement.raw_bind_parameter(first + index + 1, cell)?;
                }
                statement.raw_execute()?;
            }
            at += run;
        }
        Ok(())
    }

    /// Indexes each partner's table by partner, commits, and closes the
    /// database.
    pub fn finish(self) -> rusqlite::Result<()> {
        let indexes: String = TABLES.iter().filter_map(Table::index).collect();
        self.connection.execute_batch(&indexes)?;
        self.connection.execute_batch("COMMIT;")?;
        self.connection.close().map_err(|(_, error)| error)
    }
}
