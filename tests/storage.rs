//! The database on real files: durability settings, migrations from empty, reopening, and a
//! database from a newer build refused with a clear message.

use rusqlite::Connection;
use zhengwu_kiosk::storage::{DB_FILE, Storage, StorageError};

#[test]
fn fresh_database_is_migrated_with_wal_and_full_sync() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("nested/data");
    let db = Storage::open(&data).expect("open");
    assert_eq!(
        db.schema_version().expect("version"),
        Storage::supported_version()
    );
    let mode: String = db
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(mode, "wal");
    let sync: i64 = db
        .conn()
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(sync, 2, "synchronous must be FULL (2)");
    assert!(data.join(DB_FILE).exists());
}

#[test]
fn data_survives_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let db = Storage::open(dir.path()).expect("open");
        db.set_meta("kiosk_id", "K-0042").expect("write");
        db.log_device_status("printer", "user error: paper out", "")
            .expect("write");
    }
    let db = Storage::open(dir.path()).expect("reopen");
    assert_eq!(
        db.meta("kiosk_id").expect("read").as_deref(),
        Some("K-0042")
    );
    let n: i64 = db
        .conn()
        .query_row("SELECT count(*) FROM device_log", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 1);
}

#[test]
fn a_database_from_a_newer_build_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(DB_FILE);
    {
        let conn = Connection::open(&path).expect("create");
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .expect("prepare");
    }
    let err = Storage::open(dir.path()).expect_err("must refuse");
    assert!(
        matches!(err, StorageError::TooNew { found: 99, .. }),
        "{err}"
    );
    let msg = err.to_string();
    assert!(msg.contains("newer kiosk") && msg.contains("99"), "{msg}");
    // Untouched: still version 99 with its table.
    let conn = Connection::open(&path).expect("open");
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("v");
    assert_eq!(v, 99);
}

#[test]
fn an_unwritable_data_folder_is_reported_with_its_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, b"x").expect("write");
    let err = Storage::open(&file.join("sub")).expect_err("must fail");
    assert!(err.to_string().contains("not-a-folder"), "{err}");
}

#[test]
fn a_garbage_file_is_reported_not_panicked_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(DB_FILE), vec![0x5a; 8192]).expect("write");
    let err = Storage::open(dir.path()).expect_err("must fail");
    assert!(err.to_string().contains(DB_FILE), "{err}");
}
