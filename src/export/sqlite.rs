//! Writing rows into a new SQLite database (rusqlite, with SQLite bundled):
//! the tables of [`super::schema`] created, then every row in one
//! transaction, from one thread. The caller writes to a temporary file and
//! renames it into place, so a failed run leaves no half database.

use std::path::Path;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ToSql};

use super::schema::{Name, Owner, TABLES};
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
    partners: i64,
}

impl Writer {
    /// Creates the tables in a new database at `path` (an empty file or
    /// none) and begins the one transaction.
    pub fn create(path: &Path) -> rusqlite::Result<Writer> {
        let connection = Connection::open(path)?;
        // The file is a temporary one until renamed into place: a crash
        // leaves only it, so no journal is needed.
        connection.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
        connection.set_prepared_statement_cache_capacity(TABLES.len() + 4);
        let mut script = String::from("BEGIN;\n");
        for table in TABLES {
            script.push_str(&table.create());
            script.push('\n');
        }
        connection.execute_batch(&script)?;
        Ok(Writer {
            connection,
            partners: 0,
        })
    }

    /// Writes one batch of rows: a partner's (numbered next), the
    /// catalog's, or an input error.
    pub fn write(&mut self, rows: &Rows) -> rusqlite::Result<()> {
        if rows.0.iter().any(|(name, _)| *name == Name::Partners) {
            self.partners += 1;
        }
        for (name, cells) in &rows.0 {
            let table = name.table();
            let mut statement = self.connection.prepare_cached(&table.insert())?;
            if table.owner == Owner::Partner {
                let partner = Cell::Int(self.partners);
                let values: Vec<&dyn ToSql> = std::iter::once(&partner as &dyn ToSql)
                    .chain(cells.iter().map(|cell| cell as &dyn ToSql))
                    .collect();
                statement.execute(values.as_slice())?;
            } else {
                statement.execute(rusqlite::params_from_iter(cells.iter()))?;
            }
        }
        Ok(())
    }

    /// Commits, and closes the database.
    pub fn finish(self) -> rusqlite::Result<()> {
        self.connection.execute_batch("COMMIT;")?;
        self.connection.close().map_err(|(_, error)| error)
    }
}
