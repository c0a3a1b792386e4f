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

/// Up to `limit` rows before a key in list order (`None`: the end of the list), in list order:
/// the last one is the nearest. How `G` reaches the real end, and how the pages above it are
/// read again.
pub type Before<'f, T> = &'f dyn Fn(Option<i64>, usize) -> Result<Vec<T>, StoreError>;

/// One page of a list, with the keys the pages before it started from.
#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub rows: Vec<T>,
    pub sel: usize,
    /// The key each page starts after (`None`: the first page); the last is this page's. After
    /// a jump to the end only the pages since are known: the ones above are read backwards.
    starts: Vec<Option<i64>>,
    pub at_end: bool,
    /// Reached from the end (`G`): this page's place counted from there (1: the last page).
    from_end: Option<usize>,
}

impl<T: Keyed> Default for Paged<T> {
    fn default() -> Self {
        Paged { rows: Vec::new(), sel: 0, starts: vec![None], at_end: true, from_end: None }
    }
}

impl<T: Keyed> Paged<T> {
    /// 1-based number of the page shown (among the pages read since the first, or since the
    /// end after `G`: see [`Paged::label`]).
    pub fn page(&self) -> usize {
        self.starts.len()
    }

    /// "page 3", or "last page" / "page 2 from the end" after `G`.
    pub fn label(&self) -> String {
        match self.from_end {
            None => format!("page {}", self.page()),
            Some(1) => "last page".into(),
            Some(n) => format!("page {n} from the end"),
        }
    }

    /// The last page, its last row selected: read from the end, never page by page.
    pub fn last(&mut self, before: Before<'_, T>) -> Result<(), StoreError> {
        let mut rows = before(None, PAGE + 1)?;
        let start = if rows.len() > PAGE { Some(rows.remove(0).key()) } else { None };
        self.starts = vec![start];
        self.from_end = start.map(|_| 1);
        self.at_end = true;
        self.sel = rows.len().saturating_sub(1);
        self.rows = rows;
        Ok(())
    }

    /// The page above this one when it was reached from the end: read backwards.
    fn page_above(&mut self, before: Before<'_, T>) -> Result<bool, StoreError> {
        let Some(first) = self.rows.first().map(Keyed::key) else { return Ok(false) };
        let mut rows = before(Some(first), PAGE + 1)?;
        if rows.is_empty() {
            return Ok(false);
        }
        let start = if rows.len() > PAGE { Some(rows.remove(0).key()) } else { None };
        self.starts = vec![start];
        self.from_end = match start {
            Some(_) => self.from_end.map(|n| n + 1),
            None => None, // the first page: counted from the start again
        };
        self.at_end = false;
        self.sel = rows.len().saturating_sub(1);
        self.rows = rows;
        Ok(true)
    }

    pub fn selected(&self) -> Option<&T> {
        self.rows.get(self.sel)
    }

    /// Loads the first page.
    pub fn first(&mut self, fetch: impl Fn(Option<i64>) -> Result<Vec<T>, StoreError>) -> Result<(), StoreError> {
        let rows = fetch(None)?;
        self.starts = vec![None];
        self.from_end = None;
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
            self.from_end = self.from_end.map(|n| n + 1);
            return self.refresh(fetch);
        }
        if rows.is_empty() && self.starts[0].is_some() {
            // Reached from the end, and nothing is left from there on: the list from its start.
            return self.first(fetch);
        }
        self.at_end = rows.len() < PAGE;
        if self.at_end && self.from_end.is_some() {
            self.from_end = Some(1);
        }
        self.rows = rows;
        self.sel = self.sel.min(self.rows.len().saturating_sub(1));
        Ok(())
    }

    /// Moves the selection, crossing into the next or previous page at the edges (the previous
    /// one read backwards with `before` when the page was reached from the end).
    pub fn move_by(
        &mut self,
        delta: isize,
        fetch: impl Fn(Option<i64>) -> Result<Vec<T>, StoreError>,
        before: Before<'_, T>,
    ) -> Result<(), StoreError> {
        let target = self.sel as isize + delta;
        if target >= self.rows.len() as isize {
            if !self.at_end
                && let Some(key) = self.rows.last().map(Keyed::key)
            {
                let rows = fetch(Some(key))?;
                if !rows.is_empty() {
                    self.starts.push(Some(key));
                    self.from_end = self.from_end.map(|n| n.saturating_sub(1).max(1));
                    self.at_end = rows.len() < PAGE;
                    self.rows = rows;
                    self.sel = 0;
                    return Ok(());
                }
                self.at_end = true;
            }
            self.sel = self.rows.len().saturating_sub(1);
        } else if target < 0 {
            if self.starts.len() == 1 && self.starts[0].is_some() {
                if self.page_above(before)? {
                    return Ok(());
                }
                self.sel = 0;
            } else if self.starts.len() > 1 {
                self.starts.pop();
                self.from_end = self.from_end.map(|n| n + 1);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    impl Keyed for i64 {
        fn key(&self) -> i64 {
            *self
        }
    }

    #[test]
    fn the_end_is_read_from_there_and_the_pages_above_it_backwards() {
        let list = RefCell::new((1..=150).collect::<Vec<i64>>());
        let fetch = |after: Option<i64>| {
            Ok(list.borrow().iter().copied().filter(|k| after.is_none_or(|a| *k > a)).take(PAGE).collect())
        };
        let above = |before: Option<i64>, limit: usize| {
            let rows: Vec<i64> = list.borrow().iter().copied().filter(|k| before.is_none_or(|b| *k < b)).collect();
            Ok(rows[rows.len().saturating_sub(limit)..].to_vec())
        };
        let mut paged = Paged::<i64>::default();
        paged.first(fetch).unwrap();
        paged.last(&above).unwrap();
        assert_eq!((paged.selected(), paged.rows.first(), paged.label()), (Some(&150), Some(&87), "last page".into()));
        paged.move_by(-(PAGE as isize), fetch, &above).unwrap();
        assert_eq!((paged.selected(), paged.label()), (Some(&86), "page 2 from the end".into()));
        paged.move_by(-(PAGE as isize), fetch, &above).unwrap();
        assert_eq!((paged.selected(), paged.rows.len(), paged.label()), (Some(&22), 22, "page 1".into()));
        paged.move_by(-30, fetch, &above).unwrap();
        assert_eq!(paged.selected(), Some(&1), "the start");
        paged.last(&above).unwrap();
        paged.move_by(-(PAGE as isize), fetch, &above).unwrap();
        paged.move_by(PAGE as isize, fetch, &above).unwrap();
        assert_eq!((paged.selected(), paged.label()), (Some(&87), "last page".into()), "and down again");
        // The last page gone (done elsewhere): the one above it is the last now.
        list.borrow_mut().retain(|k| *k < 80);
        paged.refresh(fetch).unwrap();
        assert_eq!((paged.rows.first(), paged.label()), (Some(&23), "last page".into()));
        // Everything from the page shown on is gone: the list from its start.
        list.borrow_mut().retain(|k| *k < 20);
        paged.refresh(fetch).unwrap();
        assert_eq!((paged.rows.first(), paged.label()), (Some(&1), "page 1".into()));
        // A list of one page: G is its last row, page 1.
        list.borrow_mut().retain(|k| *k < 10);
        paged.last(&above).unwrap();
        assert_eq!((paged.selected(), paged.label()), (Some(&9), "page 1".into()));
    }
}
