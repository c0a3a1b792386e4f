//! What an import did: the report the CLI prints and the store keeps (without the names).

use serde::Serialize;

/// Invalid rows listed one by one in a report; beyond that they are only counted.
pub(crate) const MAX_LISTED_PROBLEMS: usize = 1000;

/// Lists in a report stop at this many names (the counts go on).
pub(crate) const MAX_NAMED: usize = 1000;

/// One row that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `file:line`, or `file: request #N` for TOML and JSON.
    pub at: String,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.reason)
    }
}

/// A request the report names: its id and its sender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// A sender with no usable URL whose name several different connections have: left pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ambiguous {
    pub id: i64,
    pub name: String,
    /// Each connection of that name, as `name <url> (connected day)` (no `<url>` for one
    /// without a URL).
    pub candidates: Vec<String>,
}

/// Whom the counts of a report are about (each list at most 1,000 long; the counts are whole).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Who {
    pub became_connections: Vec<Named>,
    /// Requests accepted here whose sender is now a connection: the accept was carried out.
    pub accepted_connected: Vec<Named>,
    /// Older requests whose to-do closed: the same person sent a newer invitation.
    pub to_do_closed: Vec<Named>,
    /// Declined requests older than everything this whole export holds: LinkedIn no longer
    /// lists them (probably ignored there); they stay on To do, said so.
    pub not_listed: Vec<Named>,
    pub vanished: Vec<Named>,
    pub asked_again: Vec<Named>,
    pub ignored_on_linkedin: Vec<Named>,
    /// Several connections have the sender's name and their days cannot tell which: pending.
    pub ambiguous: Vec<Ambiguous>,
    /// Several connections have the sender's name, all made before the invitation: none of
    /// them sent it, so it is someone else of that name: pending.
    pub different_person: Vec<Ambiguous>,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub path: String,
    /// What was found: e.g. "LinkedIn export (zip)", "vetted TOML".
    pub kind: String,
    pub files: Vec<String>,
    pub dry_run: bool,
    /// New requests: each invitation not seen before (an older one of a repeated sender too).
    pub new: u64,
    /// The people who sent them: one queue entry each.
    pub new_people: u64,
    pub enriched: u64,
    pub unchanged: u64,
    pub skipped_outgoing: u64,
    pub already_connected: u64,
    /// Senders without a usable URL found among the connections by their name.
    pub matched_by_name: u64,
    pub asked_again: u64,
    pub connections_read: u64,
    /// Rows of Connections.csv empty but for the date (closed or hidden accounts).
    pub blank_connections: u64,
    /// Pending requests whose sender is now a connection (accepted on LinkedIn).
    pub became_connections: u64,
    /// Pending requests missing from this newer export (withdrawn or ignored on LinkedIn).
    pub vanished: u64,
    /// Withdrawn requests that this export lists again: pending again.
    pub came_back: u64,
    /// Older invitations of a sender who sent a newer one: one person, one queue entry.
    pub repeated: u64,
    /// Declined requests this newer export no longer lists: ignored on LinkedIn, to-do done.
    pub ignored_on_linkedin: u64,
    /// Accepted requests whose sender is now a connection: to-do done.
    pub accepted_connected: u64,
    /// Older requests whose to-do closed because the same person sent a newer invitation.
    pub to_do_closed: u64,
    /// Declined requests older than everything this whole export holds: not listed any more.
    pub not_listed: u64,
    /// Requests waiting for a decision once this import is in.
    pub pending: u64,
    /// Decisions waiting to be carried out on LinkedIn once this import is in.
    pub to_do: u64,
    /// Requests whose evidence this import weighed (its own, and those its connections,
    /// invitations or a change of phrase lists speak to).
    pub evaluated: u64,
    pub invalid: u64,
    pub problems: Vec<Problem>,
    pub notes: Vec<String>,
    pub who: Who,
}

impl Report {
    /// Counts a skipped row and lists it (the first [`MAX_LISTED_PROBLEMS`]).
    pub(crate) fn problem(&mut self, at: String, reason: String) {
        self.invalid += 1;
        if self.problems.len() < MAX_LISTED_PROBLEMS {
            self.problems.push(Problem { at, reason });
        }
    }
}

/// Names a request in one of the report's lists, while it is under [`MAX_NAMED`] long.
pub(crate) fn name_it(list: &mut Vec<Named>, id: i64, name: &str) {
    if list.len() < MAX_NAMED {
        list.push(Named { id, name: name.to_string() });
    }
}
