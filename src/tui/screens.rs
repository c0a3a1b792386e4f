//! The decision-log screens beside the queue: Declined, Log, Stats and To do on LinkedIn.
//! Every list is one keyset page from SQL at a time ([`Paged`]): moving past either end of
//! the page fetches the next or the previous one, so memory stays flat at any store size.

use super::app::PAGE;
use crate::model::{DecisionRow, Status};
use crate::store::{DeclinedRow, LogFilter, Stats, StoreError, TodoRow};
use std::sync::mpsc::Receiver;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Queue,
    Declined,
    Log,
    Stats,
    Todo,
}

impl Screen {
    pub const ALL: [Screen; 5] = [Screen::Queue, Screen::Declined, Screen::Log, Screen::Stats, Screen::Todo];

    pub fn label(self) -> &'static str {
        match self {
            Screen::Queue => "Queue",
            Screen::Declined => "Declined",
            Screen::Log => "Log",
            Screen::Stats => "Stats",
            Screen::Todo => "To do",
        }
    }

    fn index(self) -> usize {
        Screen::ALL.iter().position(|s| *s == self).expect("listed")
    }

    pub fn next(self) -> Screen {
        Screen::ALL[(self.index() + 1) % Screen::ALL.len()]
    }

    pub fn prev(self) -> Screen {
        Screen::ALL[(self.index() + Screen::ALL.len() - 1) % Screen::ALL.len()]
    }
}

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
        self.request.id
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

/// The Declined or the Log screen.
#[derive(Debug, Clone)]
pub struct LogView {
    pub paged: Paged<DeclinedRow>,
    /// The filter as typed, and as understood.
    pub filter_text: String,
    pub filter: LogFilter,
    /// Every decision about the selected person, newest first (their full history).
    pub history: Vec<DecisionRow>,
    pub loaded: bool,
    /// False when a filter keystroke stopped at the newest decisions (more may match).
    pub complete: bool,
}

impl Default for LogView {
    fn default() -> Self {
        LogView {
            paged: Paged::default(),
            filter_text: String::new(),
            filter: LogFilter::default(),
            history: Vec::new(),
            loaded: false,
            complete: true,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct TodoView {
    pub paged: Paged<TodoRow>,
    pub loaded: bool,
}

/// The Stats screen: computed in the background (a million decisions take seconds).
#[derive(Debug, Default)]
pub enum StatsView {
    #[default]
    NotLoaded,
    Loading(Receiver<Result<Stats, StoreError>>),
    Ready(Box<Stats>),
    Failed(String),
}

/// What a reconsidered decline becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reconsider {
    Accept,
    Pending,
}

/// How many decisions about a person the Log and Declined screens show.
pub const HISTORY_SHOWN: usize = 20;

/// Parses the filter prompt: words are text looked for in name, headline, message, reason and
/// notes; `is:accepted|declined|deferred|pending`, `reason:WORD`, `since:YYYY-MM-DD` and
/// `until:YYYY-MM-DD` (inclusive) narrow further. Returns the filter and a complaint about a
/// part it could not use (the rest still applies).
pub fn parse_filter(input: &str, zone: &jiff::tz::TimeZone) -> (LogFilter, Option<String>) {
    let mut filter = LogFilter::default();
    let mut words = Vec::new();
    let mut problem = None;
    let day = |s: &str| s.parse::<jiff::civil::Date>().ok();
    for token in input.split_whitespace() {
        let lower = token.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("is:") {
            match Status::parse(v)
                .filter(|s| matches!(s, Status::Accepted | Status::Declined | Status::Deferred | Status::Pending))
            {
                Some(s) => filter.decision = Some(s),
                None => problem = Some(format!("is:{v}? use is:accepted, is:declined, is:deferred or is:pending")),
            }
        } else if let Some(v) = lower.strip_prefix("since:") {
            match day(v).and_then(|d| crate::clock::day_start(d, zone)) {
                Some(at) => filter.since = Some(at),
                None => problem = Some("since: use YYYY-MM-DD".into()),
            }
        } else if let Some(v) = lower.strip_prefix("until:") {
            match day(v).and_then(|d| d.tomorrow().ok()).and_then(|d| crate::clock::day_start(d, zone)) {
                Some(at) => filter.until = Some(at),
                None => problem = Some("until: use YYYY-MM-DD".into()),
            }
        } else if token.len() > 7 && lower.starts_with("reason:") {
            let r = &token[7..];
            filter.reason = Some(match filter.reason.take() {
                Some(before) => format!("{before} {r}"),
                None => r.to_string(),
            });
        } else {
            words.push(token);
        }
    }
    if !words.is_empty() {
        filter.grep = Some(words.join(" "));
    }
    for text in [&mut filter.grep, &mut filter.reason] {
        if text.as_ref().is_some_and(|t| t.chars().count() < 3) {
            *text = None;
            problem.get_or_insert_with(|| "keep typing: text filters need 3 characters".into());
        }
    }
    (filter, problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse() {
        let (f, p) =
            parse_filter("spam is:declined since:2026-01-02 until:2026-03-31 reason:selling", &jiff::tz::TimeZone::UTC);
        assert_eq!(p, None);
        assert_eq!(f.grep.as_deref(), Some("spam"));
        assert_eq!(f.reason.as_deref(), Some("selling"));
        assert_eq!(f.decision, Some(Status::Declined));
        assert_eq!(f.since.as_deref(), Some("2026-01-02T00:00:00Z"));
        assert_eq!(f.until.as_deref(), Some("2026-04-01T00:00:00Z"), "until includes the day");
        let (f, p) = parse_filter("ab since:soon", &jiff::tz::TimeZone::UTC);
        assert_eq!((f.grep, f.since), (None, None));
        assert_eq!(p.as_deref(), Some("since: use YYYY-MM-DD"));
        let (f, p) = parse_filter("is:maybe rust conf", &jiff::tz::TimeZone::UTC);
        assert_eq!((f.decision, f.grep.as_deref()), (None, Some("rust conf")));
        assert!(p.unwrap().starts_with("is:maybe?"));
        assert_eq!(
            parse_filter("ab", &jiff::tz::TimeZone::UTC).1.as_deref(),
            Some("keep typing: text filters need 3 characters")
        );
    }

    #[test]
    fn screens_cycle() {
        assert_eq!(Screen::Queue.next(), Screen::Declined);
        assert_eq!(Screen::Todo.next(), Screen::Queue);
        assert_eq!(Screen::Queue.prev(), Screen::Todo);
    }
}
