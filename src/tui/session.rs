//! This run of the app: the steps taken (decisions, reconsidered declines, marks done on
//! LinkedIn) in the order `u` takes them back, and the pending count they keep.

use crate::model::Verdict;
use crate::store::{Store, StoreError};
use crate::text;

/// A decision taken in this session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionEntry {
    pub decision_id: i64,
    pub request_id: i64,
    pub name: String,
    pub profile_url: Option<String>,
    pub verdict: Verdict,
    pub reason: String,
}

/// What a reconsidered decline becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reconsider {
    Accept,
    Pending,
}

/// A decline reconsidered on the Declined screen in this session.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconsidered {
    pub decision_id: i64,
    pub name: String,
    pub to: Reconsider,
}

/// One step of this session that `u` can take back.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Decided(SessionEntry),
    Reconsidered(Reconsidered),
    /// To do items marked done together (at that time); `name`: who, or how many.
    MarkedDone {
        request_ids: Vec<i64>,
        name: String,
        at: String,
    },
    /// Many requests decided together, one decision each.
    Batch {
        id: i64,
        verdict: Verdict,
        size: u64,
    },
}

impl Step {
    /// Who the step was about.
    pub fn name(&self) -> &str {
        match self {
            Step::Decided(e) => &e.name,
            Step::Reconsidered(r) => &r.name,
            Step::MarkedDone { name, .. } => name,
            Step::Batch { .. } => "the batch",
        }
    }
}

/// What [`Session::undo`] did.
#[derive(Debug)]
pub enum Undo {
    /// This session took no step (left).
    Nothing,
    Done(Step),
    /// Decided again since: the step is dropped, and why is said.
    Refused(String),
    /// The store could not: the step is kept, to try again.
    Failed(StoreError),
}

#[derive(Debug, Clone, Default)]
pub struct Session {
    /// Newest last.
    steps: Vec<Step>,
    /// Pending requests in the store: counted once, then kept by the steps taken here.
    pub pending: u64,
    /// False until the count has arrived.
    pub counted: bool,
    /// Pending requests when the session began (the `n` of `i/n`).
    pub total: u64,
}

impl Session {
    /// The count taken at launch: this session's decisions left the queue since, and declines
    /// sent back to pending joined it.
    pub fn set_pending_count(&mut self, at_start: u64) {
        self.total = at_start;
        let reopened = self.reconsidered().filter(|r| r.to == Reconsider::Pending).count() as u64;
        self.pending = (at_start + reopened).saturating_sub(self.len() as u64);
        self.counted = true;
    }

    pub fn take(&mut self, step: Step) {
        match &step {
            Step::Decided(_) => self.pending = self.pending.saturating_sub(1),
            Step::Batch { size, .. } => self.pending = self.pending.saturating_sub(*size),
            Step::Reconsidered(r) if r.to == Reconsider::Pending => self.pending += 1,
            _ => {}
        }
        self.steps.push(step);
    }

    /// The last step, to be taken back.
    pub fn last(&self) -> Option<&Step> {
        self.steps.last()
    }

    /// Takes back the last step in the store, only while it is still the latest word on its
    /// request; a step that can no longer be taken back is dropped with the reason why.
    pub fn undo(&mut self, store: &mut Store) -> Undo {
        let Some(mut step) = self.steps.last().cloned() else { return Undo::Nothing };
        let result = match &step {
            Step::Decided(e) => store.undo(e.decision_id).map(|_| None),
            Step::Reconsidered(r) => store.undo(r.decision_id).map(|_| None),
            Step::MarkedDone { request_ids, at, .. } => {
                store.unmark_many_done_on_linkedin(request_ids, at).map(|_| None)
            }
            Step::Batch { id, .. } => store.undo_batch(*id).map(|undone| Some(undone as u64)),
        };
        match result {
            Ok(undone) => {
                // Of a batch, those not changed since were taken back: the count says how many.
                if let (Step::Batch { size, .. }, Some(n)) = (&mut step, undone) {
                    *size = n;
                }
                if let Some(last) = self.steps.last_mut() {
                    *last = step.clone();
                }
                self.drop_last(true);
                Undo::Done(step)
            }
            Err(StoreError::NothingToUndo) => {
                self.drop_last(false);
                Undo::Refused("cannot undo: that request was decided again elsewhere".into())
            }
            Err(e @ StoreError::DecidedSince { .. }) => {
                self.drop_last(false);
                Undo::Refused(format!("cannot undo {}: {e}", text::line(step.name())))
            }
            Err(e) => Undo::Failed(e),
        }
    }

    /// Drops the last step: it was undone (`undone`), or it can no longer be.
    fn drop_last(&mut self, undone: bool) {
        match self.steps.pop() {
            Some(Step::Decided(_)) if undone => self.pending += 1,
            Some(Step::Batch { size, .. }) if undone => self.pending += size,
            Some(Step::Reconsidered(r)) if undone && r.to == Reconsider::Pending => {
                self.pending = self.pending.saturating_sub(1)
            }
            _ => {}
        }
    }

    /// This session's decisions that still stand.
    pub fn decisions(&self) -> impl Iterator<Item = &SessionEntry> {
        self.steps.iter().filter_map(|s| if let Step::Decided(e) = s { Some(e) } else { None })
    }

    pub fn reconsidered(&self) -> impl Iterator<Item = &Reconsidered> {
        self.steps.iter().filter_map(|s| if let Step::Reconsidered(r) = s { Some(r) } else { None })
    }

    /// Decisions of this session that still stand, by verdict (one by one; batches apart).
    pub fn decided(&self, verdict: Verdict) -> impl Iterator<Item = &SessionEntry> {
        self.decisions().filter(move |e| e.verdict == verdict)
    }

    /// How many requests batches decided with this verdict.
    pub fn batched(&self, verdict: Verdict) -> u64 {
        let size = |s: &Step| match s {
            Step::Batch { verdict: v, size, .. } if *v == verdict => *size,
            _ => 0,
        };
        self.steps.iter().map(size).sum()
    }

    /// How many decisions stand, batches included.
    pub fn len(&self) -> usize {
        let batched: u64 = [Verdict::Accept, Verdict::Decline, Verdict::Defer].map(|v| self.batched(v)).iter().sum();
        self.decisions().count() + batched as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decided(id: i64) -> Step {
        Step::Decided(SessionEntry {
            decision_id: id,
            request_id: id,
            name: format!("P{id}"),
            profile_url: None,
            verdict: Verdict::Decline,
            reason: "r".into(),
        })
    }

    #[test]
    fn the_pending_count_follows_the_steps_and_a_late_count_includes_them() {
        let mut s = Session::default();
        s.take(decided(1));
        s.take(Step::Reconsidered(Reconsidered { decision_id: 9, name: "R".into(), to: Reconsider::Pending }));
        s.take(decided(2));
        s.set_pending_count(10);
        assert_eq!((s.pending, s.total, s.len()), (9, 10, 2), "10 + 1 sent back − 2 decided");
        s.drop_last(true);
        assert_eq!((s.pending, s.len()), (10, 1));
        s.drop_last(false);
        assert_eq!(s.pending, 10, "a reconsider that could not be undone changes no count");
        assert!(matches!(s.last(), Some(Step::Decided(e)) if e.decision_id == 1));
    }
}
