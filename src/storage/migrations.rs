//! The ordered schema migrations. Append only: a released migration is never edited, and its
//! index + 1 is the schema version (SQLite's `user_version`) it produces.
//!
//! We use `rusqlite_migration` for applying them (transactional, one version at a time) and
//! check the "database is newer than this build" case ourselves first, so that the message can
//! name both versions and what to do.

use super::StorageError;
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};
use std::path::Path;

const MIGRATIONS: &[M<'static>] = &[
    // 1: kiosk metadata and the device health log.
    M::up(
        "CREATE TABLE meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        ) STRICT;
        CREATE TABLE device_log (
            id     INTEGER PRIMARY KEY,
            at     TEXT NOT NULL,
            device TEXT NOT NULL,
            state  TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX device_log_at ON device_log (at);",
    )
    .comment("kiosk metadata and device health log"),
];

/// The newest schema version this build knows.
pub fn latest() -> usize {
    MIGRATIONS.len()
}

/// SQLite's `user_version`.
pub fn user_version(conn: &Connection) -> Result<usize, rusqlite::Error> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(usize::try_from(v).unwrap_or(usize::MAX))
}

/// Bring the database to the newest version, or refuse a newer one.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StorageError> {
    let found = user_version(conn).map_err(|source| StorageError::Open {
        path: path.to_owned(),
        source,
    })?;
    if found > latest() {
        return Err(StorageError::TooNew {
            path: path.to_owned(),
            found,
            supported: latest(),
        });
    }
    Migrations::from_slice(MIGRATIONS)
        .to_latest(conn)
        .map_err(|e| StorageError::Migrate {
            path: path.to_owned(),
            target: latest(),
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        Migrations::from_slice(MIGRATIONS)
            .validate()
            .expect("every migration applies to an empty database");
    }
}
