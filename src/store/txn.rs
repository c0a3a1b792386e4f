//! How the store is written and worked on beside the app: [`Store::transact`] runs a closure in
//! one `BEGIN IMMEDIATE` transaction (committed on `Ok`, rolled back on an error), and
//! [`Store::in_background`] runs work on a second connection while the app stays responsive;
//! `interrupted_after` gives a read a time budget (a keystroke must not wait).

use super::{Result, Store, StoreError, sqlite_err};
use rusqlite::{Transaction, TransactionBehavior};
use std::path::Path;

/// A write transaction of the store, as [`Store::transact`] hands it: the store's writers run
/// their statements on it; its errors name the store's file.
pub struct Tx<'s> {
    tx: Transaction<'s>,
    path: &'s Path,
}

impl<'s> Tx<'s> {
    /// The transaction, for the store's writers.
    pub(crate) fn sql(&self) -> &Transaction<'s> {
        &self.tx
    }

    /// An SQLite error as the store's error, naming its file.
    pub(crate) fn err(&self, e: rusqlite::Error) -> StoreError {
        sqlite_err(self.path, e)
    }

    pub(crate) fn path(&self) -> &Path {
        self.path
    }
}

/// Work on a second connection to the store, done in the background so the app stays
/// responsive (see [`Store::in_background`]).
#[derive(Debug)]
pub struct Background<T>(std::sync::mpsc::Receiver<Result<T>>);

impl<T> Background<T> {
    /// The result, once the work is done (taken once); `None` while it runs.
    /// [`StoreError::Stopped`] when the work ended without one.
    pub fn poll(&self) -> Option<Result<T>> {
        match self.0.try_recv() {
            Ok(result) => Some(result),
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => Some(Err(StoreError::Stopped)),
        }
    }
}

impl Store {
    /// Runs `f` in one write transaction (`BEGIN IMMEDIATE`): committed when `f` returns `Ok`,
    /// rolled back, nothing written, when it returns an error. Every write of the store is one.
    pub fn transact<T>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let path = &self.path;
        let tx =
            self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| sqlite_err(path, e))?;
        let tx = Tx { tx, path };
        let out = f(&tx)?;
        tx.tx.commit().map_err(|e| sqlite_err(path, e))?;
        Ok(out)
    }

    /// Runs `work` on a second connection to this store, on its own thread; a store in memory
    /// (the tests') has no second connection: `work` runs on it at once.
    pub fn in_background<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> Result<T> + Send + 'static,
    ) -> Background<T> {
        let (tx, rx) = std::sync::mpsc::channel();
        if self.path.as_os_str() == ":memory:" {
            let _ = tx.send(work(self));
        } else {
            let path = self.path.clone();
            std::thread::spawn(move || {
                let _ = tx.send(Store::open(&path).and_then(|s| work(&s)));
            });
        }
        Background(rx)
    }
}

impl Store {
    /// Runs `f`, interrupting its statement if it is still running after `after`; also says
    /// whether the interrupt was sent. The lock makes sure the interrupt can only hit `f`'s
    /// statement, never a later one.
    pub(super) fn interrupted_after<T>(&self, after: std::time::Duration, f: impl FnOnce() -> T) -> (T, bool) {
        let handle = self.conn.get_interrupt_handle();
        let done = std::sync::Arc::new((std::sync::Mutex::new(false), std::sync::Condvar::new()));
        let timer = {
            let done = done.clone();
            std::thread::spawn(move || {
                let (lock, cv) = &*done;
                let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
                let (guard, _) = cv.wait_timeout_while(guard, after, |d| !*d).unwrap_or_else(|e| e.into_inner());
                if !*guard {
                    handle.interrupt();
                }
                !*guard
            })
        };
        let out = f();
        let (lock, cv) = &*done;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cv.notify_one();
        let fired = timer.join().unwrap_or(true);
        (out, fired)
    }
}
