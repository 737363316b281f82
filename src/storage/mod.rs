//! The kiosk's one SQLite database in the data folder: opening it with the durability settings
//! every write relies on (WAL, `synchronous=FULL`, foreign keys, a busy timeout), and bringing its
//! schema to this build's version through the ordered migrations in `migrations.rs`.
//!
//! A database written by a newer kiosk build is refused with a message that says so, instead of
//! being half-understood: downgrading the software must not corrupt what the newer one stored.

mod migrations;

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "kiosk.db";

/// What can go wrong opening the database.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The data folder could not be created.
    #[error("cannot create data folder {path}: {source}")]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// SQLite refused to open or configure the file.
    #[error("cannot open database {path}: {source}")]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
    /// The database comes from a newer kiosk build.
    #[error(
        "database {path} has schema version {found}, but this kiosk build knows versions up to \
         {supported}: it was written by a newer kiosk. Install that newer build again, or move \
         the file aside to start empty (queued submissions in it would then not be sent)"
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Version in the file.
        found: usize,
        /// Newest version this build knows.
        supported: usize,
    },
    /// A migration failed; the database is left at the last good version.
    #[error("cannot migrate database {path} to schema version {target}: {message}")]
    Migrate {
        /// The file.
        path: PathBuf,
        /// The version it was migrating to.
        target: usize,
        /// What failed.
        message: String,
    },
}

/// The open database.
#[derive(Debug)]
pub struct Storage {
    conn: Connection,
    path: PathBuf,
}

impl Storage {
    /// Open (creating if needed) `kiosk.db` in `data_dir` and migrate it to this build's schema.
    pub fn open(data_dir: &Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StorageError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        Self::open_file(&data_dir.join(DB_FILE))
    }

    /// Open a database file directly.
    pub fn open_file(path: &Path) -> Result<Self, StorageError> {
        let open_err = |source| StorageError::Open {
            path: path.to_owned(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(open_err)?;
        // journal_mode answers with the mode it set; WAL is refused only on odd file systems,
        // which we treat as an error rather than silently running without it.
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StorageError::Open {
                path: path.to_owned(),
                source: rusqlite::Error::InvalidParameterName(format!(
                    "journal_mode=WAL refused (got {mode})"
                )),
            });
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        migrations::migrate(&mut conn, path)?;
        Ok(Self {
            conn,
            path: path.to_owned(),
        })
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<usize, rusqlite::Error> {
        migrations::user_version(&self.conn)
    }

    /// The newest schema version this build knows.
    pub fn supported_version() -> usize {
        migrations::latest()
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for the modules that own tables (outbox, catalogue, device log).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Mutable access, for transactions.
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Record a device status change in the health log (English, no personal data).
    pub fn log_device_status(
        &self,
        device: &str,
        state: &str,
        detail: &str,
    ) -> Result<(), rusqlite::Error> {
        self.conn.execute(
            "INSERT INTO device_log (at, device, state, detail) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?1, ?2, ?3)",
            (device, state, detail),
        )?;
        Ok(())
    }

    /// Read or set a kiosk metadata value.
    pub fn meta(&self, key: &str) -> Result<Option<String>, rusqlite::Error> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
    }

    /// Set a kiosk metadata value.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), rusqlite::Error> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )?;
        Ok(())
    }
}
