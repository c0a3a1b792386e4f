//! The rows an import writes that its evidence pass will weigh (a note, or a sender's name
//! with hidden characters), kept as they arrive: the pass then reads none of the new rows
//! back, where reading them meant reading the whole table for the 4 % that carry a note (the
//! pass's first step over a 1M import: 0.65 s, 0.50 s with the rows kept). Bounded: past
//! [`BUDGET`] bytes nothing more is kept, and the pass reads the rows back as before; nothing
//! is kept either once the store holds the user's own invitations (the pass reads back then).

use super::requests::{UpsertOutcome, Upserted};
use crate::model::NewRequest;

/// The most the kept rows may hold (notes and names, and a little for each row).
const BUDGET: usize = 32 << 20;
const PER_ROW: usize = 48;

/// One kept row: the request, its sender (the name as this row gave it for a new person;
/// `None` for a known one, whose stored name the pass reads), and its note.
#[derive(Debug)]
pub(super) struct KeptRow {
    pub(super) id: i64,
    pub(super) person: i64,
    pub(super) name: Option<String>,
    pub(super) message: String,
}

/// What an import keeps of its new rows.
#[derive(Debug, Default)]
pub(super) struct KeptRows {
    rows: Vec<KeptRow>,
    bytes: usize,
    /// New rows stored so far.
    inserted: u64,
    /// Something was not kept (over budget, or a new row's note came from a later copy).
    lost: bool,
}

impl KeptRows {
    /// Takes note of one stored row (`max_id_before`: the greatest id before the import).
    pub(super) fn upserted(&mut self, done: &Upserted, req: &NewRequest, max_id_before: i64) {
        match done.outcome {
            UpsertOutcome::New | UpsertOutcome::AskedAgain | UpsertOutcome::AlreadyConnected => {
                self.inserted += 1;
                // A known person's stored name may differ from this row's (and hide characters).
                let worth =
                    done.known_person || !req.message.is_empty() || crate::text::has_hidden_characters(&req.name);
                if worth && !self.lost {
                    self.keep(done, req);
                }
            }
            // A later copy of a new row gave it the note it lacked: not worth keeping apart.
            UpsertOutcome::Enriched if done.request_id > max_id_before && !req.message.is_empty() => {
                self.lost = true;
            }
            _ => {}
        }
    }

    fn keep(&mut self, done: &Upserted, req: &NewRequest) {
        let name = (!done.known_person).then(|| req.name.clone());
        self.bytes += PER_ROW + req.message.len() + name.as_ref().map_or(0, String::len);
        if self.bytes > BUDGET {
            self.give_up();
            return;
        }
        let row = KeptRow { id: done.request_id, person: done.person_id, name, message: req.message.clone() };
        self.rows.push(row);
    }

    /// Keeps nothing more, and lets go of what it kept: the pass will read the rows back (the
    /// budget ran out, or the user's own invitations are in the store, which a silent row may
    /// answer to).
    pub(super) fn give_up(&mut self) {
        self.lost = true;
        self.rows = Vec::new();
    }

    /// The kept rows, in id order, when they are every row worth weighing of the `new_ids`
    /// requests the store now holds past the import's start (else `None`: read them back).
    pub(super) fn all_of(self, new_ids: u64) -> Option<Vec<KeptRow>> {
        (!self.lost && self.inserted == new_ids).then_some(self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upserted(outcome: UpsertOutcome, request_id: i64, known_person: bool) -> Upserted {
        Upserted { outcome, request_id, person_id: request_id, known_person }
    }

    fn req(name: &str, message: &str) -> NewRequest {
        NewRequest { name: name.into(), message: message.into(), ..Default::default() }
    }

    #[test]
    fn the_rows_kept_are_those_worth_weighing_and_only_when_nothing_was_missed() {
        let mut kept = KeptRows::default();
        kept.upserted(&upserted(UpsertOutcome::New, 1, false), &req("Ann Quiet", ""), 0);
        kept.upserted(&upserted(UpsertOutcome::New, 2, false), &req("Bo Pitch", "Book a demo"), 0);
        kept.upserted(&upserted(UpsertOutcome::New, 3, false), &req("Cy\u{200b} Hidden", ""), 0);
        kept.upserted(&upserted(UpsertOutcome::AskedAgain, 4, true), &req("Di Again", ""), 0);
        kept.upserted(&upserted(UpsertOutcome::Unchanged, 2, false), &req("Bo Pitch", "Book a demo"), 0);
        let rows = kept.all_of(4).expect("every new row came through the sink");
        let ids: Vec<(i64, Option<&str>)> = rows.iter().map(|r| (r.id, r.name.as_deref())).collect();
        assert_eq!(ids, [(2, Some("Bo Pitch")), (3, Some("Cy\u{200b} Hidden")), (4, None)]);

        // A new row another path wrote (a restore): read back.
        let mut short = KeptRows::default();
        short.upserted(&upserted(UpsertOutcome::New, 1, false), &req("Ann Quiet", ""), 0);
        assert!(short.all_of(2).is_none());

        // A later copy gave a new row its note: read back.
        let mut enriched = KeptRows::default();
        enriched.upserted(&upserted(UpsertOutcome::New, 1, false), &req("Ann Quiet", ""), 0);
        enriched.upserted(&upserted(UpsertOutcome::Enriched, 1, true), &req("Ann Quiet", "We met at RustConf"), 0);
        assert!(enriched.all_of(1).is_none());
        // An older row given its note is weighed apart (`ImportSink::enriched`).
        let mut older = KeptRows::default();
        older.upserted(&upserted(UpsertOutcome::Enriched, 1, true), &req("Ann Quiet", "We met at RustConf"), 1);
        assert!(older.all_of(0).is_some());

        // Given up (the user's invitations arrived): nothing kept, read back.
        let mut mine = KeptRows::default();
        mine.upserted(&upserted(UpsertOutcome::New, 1, false), &req("Bo Pitch", "Book a demo"), 0);
        mine.give_up();
        mine.upserted(&upserted(UpsertOutcome::New, 2, false), &req("Cy Pitch", "Book a call"), 0);
        assert!(mine.rows.is_empty() && mine.all_of(2).is_none());

        // Past the budget: nothing kept, read back.
        let mut big = KeptRows::default();
        let long = "x".repeat(1 << 20);
        for id in 1..=40 {
            big.upserted(&upserted(UpsertOutcome::New, id, false), &req("Ed Long", &long), 0);
        }
        assert!(big.bytes > BUDGET && big.rows.is_empty());
        assert!(big.all_of(40).is_none());
    }
}
