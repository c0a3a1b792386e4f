//! The reconciler: the loader of a real import. It stores each record through the store's
//! [`ImportSink`] as it arrives, keeps the report, and once every row is in does the work
//! that looks across rows and imports: duplicate messages, requests waiting on a connection
//! this import read, repeated senders, and requests a newer export no longer lists.

use super::loader::{FileRole, Loader, Outgoing, Progress, Restored, Work};
use super::report::{Ambiguous, MAX_NAMED, Report, Who, name_it};
use super::{ImportError, Result};
use crate::evidence::Phrases;
use crate::model::{NewRequest, Status, name_key};
use crate::store::{ImportSink, Match, StoreError, UpsertOutcome};
use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

pub(crate) const ONLY_INVITATIONS: &str = "only Invitations.csv was read: it lists accepted invitations too, and \
     without Connections.csv they cannot be told apart from pending ones; import the whole export to tell them apart";

/// The state of one import: where it writes, the report, and what must be looked at once
/// every row is in.
pub(crate) struct Reconciler<'a, 's> {
    sink: &'a mut ImportSink<'s>,
    report: Report,
    /// What the file being read holds.
    role: Option<FileRole>,
    /// Connections this import read, for the requests already waiting on them.
    touched: Vec<(Option<String>, String)>,
    read_invitations: bool,
    read_connections: bool,
    restored: bool,
    /// Requests this import saw from LinkedIn's Invitations.csv, for the vanished check.
    seen: Vec<i64>,
    /// People who got a request (new, or back) while another of theirs may be pending.
    repeaters: Vec<i64>,
    /// People with a new request.
    new_people: std::collections::HashSet<i64>,
    came_back: Vec<i64>,
    /// Requests from people a forget on a syncing store marked, left out (see `request`).
    forgotten: u64,
    /// The newest LinkedIn invitation the store held before this import's first one (asked
    /// once): an export whose newest is older than it is an older export.
    newest_before: Option<Option<String>>,
    /// The earliest and the latest `sent_at` in this Invitations.csv: what it can speak for.
    window: Option<(String, String)>,
    /// Message hash → (senders seen, first sender key hash, the first new request with it
    /// until a second one comes), and the new requests whose message came more than once (with
    /// its hash): a message seen once costs no list entry (memory of a big import).
    messages: HashMap<u64, (u32, u64, Option<i64>)>,
    new_messages: Vec<(u64, i64)>,
    /// The lists the evidence is made with; `None`: no evidence.
    phrases: Option<&'a Phrases>,
    /// Told how far the evidence is weighed.
    progress: Option<&'a dyn Progress>,
}

fn hash<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

impl Loader for Reconciler<'_, '_> {
    fn file(&mut self, name: String, role: FileRole) -> Result<()> {
        match role {
            FileRole::Backup if !self.sink.holds_nothing()? => {
                return Err(self.refused("a backup restores into an empty store: pass --db with a new file".into()));
            }
            FileRole::Backup => self.restored = true,
            FileRole::Invitations => self.read_invitations = true,
            FileRole::Connections => self.read_connections = true,
            FileRole::OwnFormat => {}
        }
        self.report.files.push(name);
        self.role = Some(role);
        Ok(())
    }

    fn request(&mut self, req: &NewRequest) -> Result<()> {
        // Every device drops what a forget's tombstone marks, so this one leaves them out too:
        // otherwise they would be back here and nowhere else.
        if self.sink.forgotten_everywhere(req)? {
            self.forgotten += 1;
            return Ok(());
        }
        let linkedin = self.role == Some(FileRole::Invitations);
        if linkedin && self.newest_before.is_none() {
            self.newest_before = Some(self.sink.newest_linkedin_sent_at()?);
        }
        let found = self.sink.find_connection(req.profile_url.as_deref(), &req.name, req.sent_at.as_deref());
        let connected = matches!(found, Match::Connected { .. });
        let done = self.sink.upsert_request(req, connected)?;
        let id = done.request_id;
        self.count(req, &done, &found);
        let fresh = matches!(done.outcome, UpsertOutcome::New | UpsertOutcome::AskedAgain);
        let stored = fresh || done.outcome == UpsertOutcome::AlreadyConnected;
        if stored && done.known_person && !self.sink.was_empty() {
            // Their newer invitation replaces the older on LinkedIn: one person, one action.
            for older in self.sink.close_older_to_do(done.person_id, id)? {
                self.report.to_do_closed += 1;
                name_it(&mut self.report.who.to_do_closed, older, &req.name);
            }
        }
        if done.known_person && (fresh || done.outcome == UpsertOutcome::CameBack) {
            self.repeaters.push(done.person_id);
        }
        if fresh && !req.message.trim().is_empty() {
            self.count_message(req, id);
        }
        if linkedin {
            self.within_export(req, id);
        }
        Ok(())
    }

    fn connection(&mut self, url: Option<&str>, name: &str, connected_on: &str) -> Result<()> {
        self.report.connections_read += 1;
        self.sink.add_connection(url, name, connected_on)?;
        if !self.sink.was_empty() {
            self.touched.push((url.map(str::to_string), name_key(name)));
        }
        Ok(())
    }

    fn restore(&mut self, row: Restored) -> std::result::Result<(), StoreError> {
        match row {
            Restored::Person(p) => self.sink.restore_person(&p),
            Restored::Request(r) => {
                self.report.new += 1;
                self.sink.restore_request(&r)
            }
            Restored::Answer(a) => self.sink.restore_answer(&a),
            Restored::Decision(d) => self.sink.restore_decision(&d),
            Restored::Connection(c) => self.sink.restore_connection(&c),
            Restored::Outgoing(o) => self.sink.add_outgoing(o.url.as_deref(), &o.name_key, &o.sent_on),
        }
    }

    fn outgoing(&mut self, invitee: Option<Outgoing>) -> Result<()> {
        self.report.skipped_outgoing += 1;
        match invitee {
            Some(o) => self.sink.add_outgoing(o.url.as_deref(), &o.name, &o.day).map_err(Into::into),
            None => Ok(()),
        }
    }

    fn blank_connection(&mut self) {
        self.report.blank_connections += 1;
    }

    fn problem(&mut self, at: String, reason: String) {
        self.report.problem(at, reason);
    }

    fn note(&mut self, note: String) {
        self.report.notes.push(note);
    }
}

impl<'a, 's> Reconciler<'a, 's> {
    pub fn new(
        sink: &'a mut ImportSink<'s>,
        report: Report,
        phrases: Option<&'a Phrases>,
        progress: Option<&'a dyn Progress>,
    ) -> Self {
        Reconciler {
            sink,
            report,
            role: None,
            touched: Vec::new(),
            read_invitations: false,
            read_connections: false,
            restored: false,
            seen: Vec::new(),
            repeaters: Vec::new(),
            new_people: std::collections::HashSet::new(),
            came_back: Vec::new(),
            forgotten: 0,
            newest_before: None,
            window: None,
            messages: HashMap::new(),
            new_messages: Vec::new(),
            phrases,
            progress,
        }
    }

    fn refused(&self, reason: String) -> ImportError {
        ImportError::Refused { path: self.report.path.clone().into(), reason }
    }

    /// Counts a stored request in the report by what storing it did.
    fn count(&mut self, req: &NewRequest, done: &crate::store::Upserted, found: &Match) {
        let (id, r) = (done.request_id, &mut self.report);
        match done.outcome {
            UpsertOutcome::New => {
                r.new += 1;
                self.new_people.insert(done.person_id);
            }
            UpsertOutcome::AskedAgain => {
                r.asked_again += 1;
                name_it(&mut r.who.asked_again, id, &req.name);
            }
            UpsertOutcome::AlreadyConnected => {
                r.already_connected += 1;
                r.matched_by_name += u64::from(matches!(found, Match::Connected { by_name: true, .. }));
            }
            UpsertOutcome::Enriched => r.enriched += 1,
            UpsertOutcome::Unchanged => r.unchanged += 1,
            UpsertOutcome::CameBack => self.came_back.push(id),
        }
        if matches!(done.outcome, UpsertOutcome::New | UpsertOutcome::AskedAgain) {
            let (list, candidates) = match found {
                Match::Ambiguous(c) => (&mut r.who.ambiguous, c),
                Match::SomeoneElse(c) => (&mut r.who.different_person, c),
                _ => return,
            };
            if !candidates.is_empty() && list.len() < MAX_NAMED {
                list.push(Ambiguous { id, name: req.name.clone(), candidates: candidates.clone() });
            }
        }
    }

    /// Keeps a new request's message, to hint the ones several senders sent (a campaign).
    fn count_message(&mut self, req: &NewRequest, id: i64) {
        let h = hash(req.message.trim());
        let sender = hash(&req.person_key());
        match self.messages.entry(h) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert((1, sender, Some(id)));
            }
            std::collections::hash_map::Entry::Occupied(mut o) => {
                let entry = o.get_mut();
                if entry.1 != sender {
                    entry.0 += 1;
                }
                if let Some(first) = entry.2.take() {
                    self.new_messages.push((h, first));
                }
                self.new_messages.push((h, id));
            }
        }
    }

    /// A request of Invitations.csv: seen (for the vanished check), and the days it covers.
    fn within_export(&mut self, req: &NewRequest, id: i64) {
        // Only an import into a store that held requests looks for vanished ones.
        if !self.sink.was_empty() {
            self.seen.push(id);
        }
        if let Some(at) = &req.sent_at {
            let (start, end) = self.window.get_or_insert_with(|| (at.clone(), at.clone()));
            if at < start {
                *start = at.clone();
            }
            if at > end {
                *end = at.clone();
            }
        }
    }

    /// Cross-row work once every row is in: a restored backup's consistency, duplicate
    /// messages, requests already waiting on a connection this import read, repeated senders,
    /// and requests that vanished. Gives the report, and keeps it (without the names) with the
    /// import's run: `vetted forget` must leave no trace of a person.
    pub fn finish(mut self) -> Result<Report> {
        self.sink.rows_in()?;
        if self.restored
            && let Some(inconsistent) = self.sink.finish_restore()?
        {
            return Err(self.refused(inconsistent));
        }
        if self.read_invitations && !self.read_connections {
            self.report.notes.push(ONLY_INVITATIONS.into());
        }
        if self.forgotten > 0 {
            self.report.notes.push(format!(
                "left out {} request(s) from people you forgot (`vetted forget`): with sync, a forget \
                 stays on every device",
                self.forgotten
            ));
        }
        for (h, id) in &self.new_messages {
            if self.messages.get(h).is_some_and(|(senders, ..)| *senders > 1) {
                self.sink.add_hint(*id, crate::hint::DUPLICATE_MESSAGE)?;
            }
        }
        self.connect_waiting()?;
        self.keep_withdrawn_in_an_older_export()?;
        self.one_entry_per_person()?;
        self.withdraw_vanished()?;
        self.evidence()?;
        self.report.new_people = self.new_people.len() as u64;
        (self.report.pending, self.report.to_do) = self.sink.pending_and_to_do()?;
        let json =
            serde_json::to_string(&Report { who: Who::default(), ..self.report.clone() }).expect("a report serialises");
        self.sink.save_report(json);
        Ok(self.report)
    }

    /// The evidence of what this import brought (see `ImportSink::evaluate_evidence`), told to
    /// the progress bar.
    fn evidence(&mut self) -> Result<()> {
        let Some(phrases) = self.phrases else { return Ok(()) };
        let (bar, mut begun) = (self.progress, false);
        let mut progress = |done: u64, total: u64| {
            if let Some(bar) = bar {
                if !begun {
                    bar.begin(Work::Weighing, total);
                    begun = true;
                }
                bar.at(done);
            }
        };
        let done = self.sink.evaluate_evidence(phrases, &mut progress);
        if let Some(bar) = bar.filter(|_| begun) {
            bar.end();
        }
        self.report.evaluated = done?.requests;
        Ok(())
    }

    /// Requests from earlier imports whose sender is among the connections this one read.
    /// Only those an earlier import had checked against Connections.csv "became" connections;
    /// the others (Invitations.csv and Connections.csv of one export imported one after the
    /// other) were connections already.
    fn connect_waiting(&mut self) -> Result<()> {
        let touched = std::mem::take(&mut self.touched);
        // A connection without a URL may be someone whose request has one: found by name.
        let mut with_urls: HashMap<String, Vec<(i64, Option<String>, String)>> = HashMap::new();
        if touched.iter().any(|(url, _)| url.is_none()) {
            for person in self.sink.waiting_people_with_urls()? {
                with_urls.entry(name_key(&person.2)).or_default().push(person);
            }
        }
        let mut people = std::collections::HashSet::new();
        for (url, key) in touched {
            let mut candidates = self.sink.people_like(url.as_deref(), &key)?;
            if url.is_none() {
                candidates.extend(with_urls.get(&key).into_iter().flatten().cloned());
            }
            for (person, profile_url, name) in candidates {
                if !people.insert(person) {
                    continue;
                }
                let sent_at = self.sink.newest_pending_sent_at(person)?;
                match self.sink.find_connection(profile_url.as_deref(), &name, sent_at.as_deref()) {
                    Match::Connected { connected_on, by_name } => {
                        let (waiting, accepted) = self.sink.mark_connected(person, &connected_on)?;
                        for id in accepted {
                            let name = self.sink.name_of(id)?;
                            self.report.accepted_connected += 1;
                            name_it(&mut self.report.who.accepted_connected, id, &name);
                        }
                        for id in waiting {
                            let name = self.sink.name_of(id)?;
                            let checked = self.sink.checked_against_connections(id)?;
                            let r = &mut self.report;
                            if checked {
                                r.became_connections += 1;
                                name_it(&mut r.who.became_connections, id, &name);
                            } else {
                                r.already_connected += 1;
                                r.matched_by_name += u64::from(by_name);
                            }
                        }
                    }
                    Match::Ambiguous(candidates) => self.kept_pending(person, candidates, false)?,
                    Match::SomeoneElse(candidates) => self.kept_pending(person, candidates, true)?,
                    Match::NotConnected => {}
                }
            }
        }
        Ok(())
    }

    /// Names a person's pending requests that a connection of their name did not settle:
    /// `different`, all of those connections were made before (someone else of that name).
    fn kept_pending(&mut self, person: i64, candidates: Vec<String>, different: bool) -> Result<()> {
        for id in self.sink.pending_requests_of(person)? {
            let name = self.sink.name_of(id)?;
            let who = &mut self.report.who;
            let list = if different { &mut who.different_person } else { &mut who.ambiguous };
            if list.len() < MAX_NAMED && !list.iter().any(|a| a.id == id) {
                list.push(Ambiguous { id, name, candidates: candidates.clone() });
            }
        }
        Ok(())
    }

    /// A request a newer export found withdrawn comes back only in an export at least as new:
    /// listed again by an older export (imported after the newer one), it stays withdrawn. An
    /// export is older when its newest invitation is older than the newest the store held.
    fn keep_withdrawn_in_an_older_export(&mut self) -> Result<()> {
        let (Some((_, end)), Some(Some(newest))) = (&self.window, &self.newest_before) else { return Ok(()) };
        if self.came_back.is_empty() || end >= newest {
            return Ok(());
        }
        for id in &self.came_back {
            self.sink.withdraw(*id)?;
        }
        let n = self.came_back.len();
        self.report.notes.push(format!(
            "{n} request{s} withdrawn on LinkedIn (missing from a newer export) {are} listed in this older export \
             (its newest invitation is from {}, the store's from {}): {they} withdrawn",
            end.get(..10).unwrap_or(end),
            newest.get(..10).unwrap_or(newest),
            s = if n == 1 { "" } else { "s" },
            are = if n == 1 { "is" } else { "are" },
            they = if n == 1 { "it stays" } else { "they stay" },
        ));
        self.came_back.clear();
        Ok(())
    }

    /// A sender with several pending requests (a repeated invitation) keeps the newest in the
    /// queue; the older ones are replaced by it.
    fn one_entry_per_person(&mut self) -> Result<()> {
        self.repeaters.sort_unstable();
        self.repeaters.dedup();
        let mut replaced = Vec::new();
        for person in &self.repeaters {
            replaced.extend(self.sink.keep_newest_pending(*person)?);
        }
        self.report.repeated = replaced.len() as u64;
        self.report.came_back = self.came_back.iter().filter(|id| !replaced.contains(id)).count() as u64;
        Ok(())
    }

    /// Requests of earlier imports that a newer whole export no longer lists. Only an import
    /// of Invitations.csv and Connections.csv together can tell, and only for requests sent
    /// within the days its Invitations.csv covers: an older or partial file says nothing of
    /// the rest. A pending one was withdrawn (or ignored) on LinkedIn; a declined one was
    /// ignored there, so its to-do item is done.
    fn withdraw_vanished(&mut self) -> Result<()> {
        let whole_export = self.read_invitations && self.read_connections;
        let Some((start, end)) = self.window.as_ref().filter(|_| whole_export && !self.sink.was_empty()) else {
            return Ok(());
        };
        self.seen.sort_unstable();
        let gone = |status: Status, to_do: bool| -> Result<Vec<(i64, String)>> {
            let rows = self.sink.linkedin_requests_sent_between(status, to_do, start, end)?;
            Ok(rows.into_iter().filter(|(id, _)| self.seen.binary_search(id).is_err()).collect())
        };
        let vanished = gone(Status::Pending, false)?;
        let ignored = gone(Status::Declined, true)?;
        for (id, name) in &vanished {
            self.sink.withdraw(*id)?;
            name_it(&mut self.report.who.vanished, *id, name);
        }
        for (id, name) in &ignored {
            self.sink.mark_ignored_on_linkedin(*id)?;
            name_it(&mut self.report.who.ignored_on_linkedin, *id, name);
        }
        // Declined ones older than anything this export holds: it cannot tell whether they
        // were ignored, only that LinkedIn no longer lists them.
        let older = self.sink.to_ignore_sent_before(start)?;
        for (id, name) in &older {
            self.sink.mark_not_listed(*id, end)?;
            name_it(&mut self.report.who.not_listed, *id, name);
        }
        self.report.not_listed = older.len() as u64;
        self.report.vanished = vanished.len() as u64;
        self.report.ignored_on_linkedin = ignored.len() as u64;
        Ok(())
    }
}
