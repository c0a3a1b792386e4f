//! The keyset page every list screen shows: one page from SQL at a time, with the keys the
//! pages before it started from. Moving past either end fetches the next or the previous page,
//! so memory stays flat at any store size.

use crate::store::{DeclinedRow, StoreError, TodoRow};

/// Rows fetched per page (and the queue's step when it fills its window).
pub const PAGE: usize = 64;

/// The keyset key of a list row.
pub trait Keyed {
    fn key(&self) -> i64;
}

impl Keyed for DeclinedRow {
    fn key(&self) -> i64 {
        self.decision.id
    }
}

impl Keyed for TodoRow {
    fn key(&self) -> i64 {
        TodoRow::key(self)
    }
}

/// One page of a list, with the keys the pages before it started from.
#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub rows: Vec<T>,
    pub sel: usize,
    /// The key each page starts after (`None`: the first page); the last is this page's.
    starts: Vec<Option<i64>>,
    pub at_end: bool,
}

impl<T: Keyed> Default for Paged<T> {
    fn default() -> Self {
        Paged { rows: Vec::new(), sel: 0, starts: vec![None], at_end: true }
    }
}

impl<T: Keyed> Paged<T> {
    /// 1-based number of the page shown.
    pub fn page(&self) -> usize {
        self.starts.len()
    }

    pub fn selected(&self) -> Option<&T> {
        self.rows.get(self.sel)
    }

    /// Loads the first page.
    pub fn first(&mut self, fetch: impl Fn(Option<i64>) -> Result<Vec<T>, StoreError>) -> Result<(), StoreError> {
        let rows = fetch(None)?;
        self.starts = vec![None];
        self.at_end = rows.len() < PAGE;
        self.rows = rows;
        self.sel = 0;
        Ok(())
    }

    /// Loads the current page again (after a change), keeping the selection where it can.
    pub fn refresh(&mut self, fetch: impl Fn(Option<i64>) -> Result<Vec<T>, StoreError>) -> Result<(), StoreError> {
        let start = *self.starts.last().expect("never empty");
        let rows = fetch(start)?;
        if rows.is_empty() && self.starts.len() > 1 {
            self.starts.pop();
            return self.refresh(fetch);
        }
        self.at_end = rows.len() < PAGE;
        self.rows = rows;
        self.sel = self.sel.min(self.rows.len().saturating_sub(1));
        Ok(())
    }

    /// Moves the selection, crossing into the next or previous page at the edges.
    pub fn move_by(
        &mut self,
        delta: isize,
        fetch: impl Fn(Option<i64>) -> Result<Vec<T>, StoreError>,
    ) -> Result<(), StoreError> {
        let target = self.sel as isize + delta;
        if target >= self.rows.len() as isize {
            if !self.at_end
                && let Some(key) = self.rows.last().map(Keyed::key)
            {
                let rows = fetch(Some(key))?;
                if !rows.is_empty() {
                    self.starts.push(Some(key));
                    self.at_end = rows.len() < PAGE;
                    self.rows = rows;
                    self.sel = 0;
                    return Ok(());
                }
                self.at_end = true;
            }
            self.sel = self.rows.len().saturating_sub(1);
        } else if target < 0 {
            if self.starts.len() > 1 {
                self.starts.pop();
                let rows = fetch(*self.starts.last().expect("never empty"))?;
                self.at_end = rows.len() < PAGE;
                self.sel = rows.len().saturating_sub(1);
                self.rows = rows;
                return Ok(());
            }
            self.sel = 0;
        } else {
            self.sel = target as usize;
        }
        Ok(())
    }
}
