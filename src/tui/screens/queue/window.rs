//! The queue's keyset window: a few pages of pending requests around the selection, in queue
//! order, fetched from SQL as the selection nears an edge and dropped behind it, so the queue
//! behaves the same with a hundred requests or a million.

use crate::model::RequestRow;
use crate::query::Query;
use crate::store::{Direction, QueueKey, QueueOrder, Store, StoreError};
use crate::tui::paged::PAGE;
use std::cell::Cell;

/// The most rows the window keeps.
const MAX_WINDOW: usize = 3 * PAGE;
/// Fetch more when the selection comes this close to an edge of the window.
const MARGIN: usize = 8;

#[derive(Debug)]
pub struct Window {
    pub order: QueueOrder,
    /// The filter narrowing the queue, as typed and as understood, if any.
    pub search: Option<(String, Query)>,
    pub rows: Vec<(RequestRow, QueueKey)>,
    pub sel: usize,
    pub at_start: bool,
    pub at_end: bool,
    /// False when a filter keystroke ran out of its budget before its first page was read
    /// (the rows shown are then none of its matches yet: `j` searches all).
    pub complete: bool,
    /// How long a filter keystroke may search ([`crate::tui::screens::FILTER_BUDGET`]).
    pub budget: std::time::Duration,
    /// First row shown, kept by the renderer so the list scrolls smoothly.
    pub offset: Cell<usize>,
    /// Rows the pane showed last frame (the step of page up / down).
    pub height: Cell<usize>,
}

impl Default for Window {
    fn default() -> Window {
        Window {
            order: QueueOrder::Oldest,
            search: None,
            rows: Vec::new(),
            sel: 0,
            at_start: true,
            at_end: true,
            complete: true,
            budget: crate::tui::screens::FILTER_BUDGET,
            offset: Cell::new(0),
            height: Cell::new(10),
        }
    }
}

impl Window {
    pub fn selected(&self) -> Option<&RequestRow> {
        self.rows.get(self.sel).map(|(r, _)| r)
    }

    fn page(
        &self,
        store: &Store,
        from: Option<&QueueKey>,
        dir: Direction,
        limit: usize,
    ) -> Result<Vec<(RequestRow, QueueKey)>, StoreError> {
        match &self.search {
            Some((_, query)) => store.queue_page_where(self.order, query, from, dir, limit),
            None => store.queue_page(self.order, from, dir, limit),
        }
    }

    /// Loads the queue from its start (`None`) or around a row: the rows before it for
    /// context, then from the first row at or after it.
    pub fn reload(&mut self, store: &Store, around: Option<&QueueKey>) -> Result<(), StoreError> {
        let before = match around {
            Some(k) => self.page(store, Some(k), Direction::Backward, MARGIN * 2)?,
            None => Vec::new(),
        };
        let after = self.page(store, before.last().map(|(_, k)| k), Direction::Forward, PAGE)?;
        self.complete = true;
        self.at_start = before.len() < MARGIN * 2;
        self.at_end = after.len() < PAGE;
        self.sel = before.len().min((before.len() + after.len()).saturating_sub(1));
        self.rows = before;
        self.rows.extend(after);
        self.offset.set(self.sel.saturating_sub(3));
        Ok(())
    }

    /// Loads a filter's first page as it is typed, within the budget: a search that would take
    /// longer (a text term scanning requests the index has not caught up with) shows nothing
    /// yet and leaves `complete` false, never freezing the keystroke.
    pub fn reload_within(&mut self, store: &Store) -> Result<(), StoreError> {
        let Some((_, query)) = &self.search else { return self.reload(store, None) };
        let (rows, complete) =
            store.queue_page_where_within(self.order, query, None, Direction::Forward, PAGE, self.budget)?;
        self.complete = complete;
        self.at_start = true;
        self.at_end = rows.len() < PAGE;
        self.sel = 0;
        self.rows = rows;
        self.offset.set(0);
        Ok(())
    }

    /// Loads the queue around the row selected (after a change elsewhere).
    pub fn reload_here(&mut self, store: &Store) -> Result<(), StoreError> {
        let around = self.rows.get(self.sel).map(|(_, k)| k.clone());
        self.reload(store, around.as_ref())
    }

    /// The last page, the last row selected.
    pub fn last(&mut self, store: &Store) -> Result<(), StoreError> {
        let rows = self.page(store, None, Direction::Backward, PAGE)?;
        self.at_end = true;
        self.at_start = rows.len() < PAGE;
        self.rows = rows;
        self.sel = self.rows.len().saturating_sub(1);
        self.offset.set(self.sel.saturating_sub(self.height.get().saturating_sub(1)));
        Ok(())
    }

    /// Selects a row of the window, keeping the window filled around it.
    pub fn select(&mut self, store: &Store, sel: usize) -> Result<(), StoreError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        self.sel = sel.min(self.rows.len() - 1);
        self.fill(store)
    }

    /// Drops the selected row (it was decided), reading the queue again when none is left.
    pub fn remove_selected(&mut self, store: &Store) -> Result<(), StoreError> {
        self.rows.remove(self.sel);
        if self.rows.is_empty() {
            return self.reload(store, None);
        }
        self.select(store, self.sel.min(self.rows.len() - 1))
    }

    /// Keeps the window filled around the selection, and bounded.
    fn fill(&mut self, store: &Store) -> Result<(), StoreError> {
        if !self.at_end && self.sel + MARGIN >= self.rows.len() {
            let more = self.page(store, self.rows.last().map(|(_, k)| k), Direction::Forward, PAGE)?;
            self.at_end = more.len() < PAGE;
            self.rows.extend(more);
            if self.rows.len() > MAX_WINDOW {
                let drop = self.rows.len() - MAX_WINDOW;
                self.rows.drain(..drop);
                self.sel -= drop;
                self.offset.set(self.offset.get().saturating_sub(drop));
                self.at_start = false;
            }
        }
        if !self.at_start && self.sel < MARGIN {
            let more = self.page(store, self.rows.first().map(|(_, k)| k), Direction::Backward, PAGE)?;
            self.at_start = more.len() < PAGE;
            let n = more.len();
            self.rows.splice(0..0, more);
            self.sel += n;
            self.offset.set(self.offset.get() + n);
            if self.rows.len() > MAX_WINDOW {
                self.rows.truncate(MAX_WINDOW);
                self.at_end = false;
            }
        }
        Ok(())
    }

    /// The first row shown for a pane of `visible` rows: the selection kept in view, the
    /// offset moved as little as possible, and no blank rows at the bottom while rows above
    /// are hidden (a window read again around its selection starts a few rows above it).
    pub fn scroll_to_selection(&self, visible: usize) -> usize {
        let mut offset = self.offset.get().min(self.rows.len().saturating_sub(visible));
        if self.sel < offset {
            offset = self.sel;
        } else if self.sel >= offset + visible {
            offset = self.sel + 1 - visible;
        }
        self.offset.set(offset);
        offset
    }
}
