//! Reads beside writes, on both engines: a read transaction completes while a write transaction is open, and sees
//! the last committed state (issue #16: on SQLite every read waited behind the one shared connection, so a page or
//! `/v1/summary` waited for a whole large upload).

use crate::store::{Sql, Store, StoreError};
use crate::testing::on_both_backends;
use std::sync::mpsc;
use std::time::Duration;

on_both_backends!(a_read_completes_while_a_write_transaction_is_open);

/// The writer inserts a row and, *before committing*, waits for a read made from another thread. The read must
/// finish while the write transaction is still open (the writer cannot commit until it has the answer) and must not
/// see the uncommitted row. The timeout only turns the old behaviour — a read blocked behind the writer, which waits
/// for the read: a deadlock — into a failure instead of a hung test; nothing here measures speed.
fn a_read_completes_while_a_write_transaction_is_open(store: Store) {
    let count = |c: &mut dyn Sql| c.query_one("SELECT COUNT(*) FROM fleet_counts WHERE name = 'probe'", &[])?.i64(0);
    let reader = store.clone();
    store
        .write(|c| -> Result<(), StoreError> {
            c.execute("INSERT INTO fleet_counts (name, n) VALUES ('probe', 1)", &[])?;
            assert_eq!(count(c)?, 1, "the writer sees its own row");
            let (tx, rx) = mpsc::channel();
            std::thread::spawn(move || {
                let _ = tx.send(reader.read(|c| count(c)));
            });
            let seen = rx
                .recv_timeout(Duration::from_secs(120))
                .expect("the read did not complete while the write transaction was open");
            assert_eq!(seen.unwrap(), 0, "a read sees the last committed state, not the open write");
            Ok(())
        })
        .unwrap();
    assert_eq!(store.read(|c| count(c)).unwrap(), 1, "committed");
}
