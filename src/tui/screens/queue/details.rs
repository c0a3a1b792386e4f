//! What the user writes about the selected person: notes (here or in `$EDITOR`) and the
//! headline, company and location the export lacks.

use super::QueueScreen;
use crate::model::RequestRow;
use crate::store::Profile;
use crate::text;
use crate::tui::screens::{Ctx, Outcome};

impl QueueScreen {
    /// Stores notes edited here or in `$EDITOR`.
    pub(super) fn save_notes(&mut self, person_id: i64, body: &str, ctx: &mut Ctx<'_>) -> Outcome {
        if let Err(why) = crate::tui::screens::save_note(ctx, person_id, body) {
            return Outcome::failed(why);
        }
        if let Some(c) = self.current.as_mut().filter(|c| c.row.person_id == person_id) {
            c.note = (!body.trim().is_empty()).then(|| body.to_string());
            // The text just written is over every text shown beside the old one.
            c.other_notes.clear();
        }
        Outcome::info("notes saved")
    }

    /// The profile editor's text: one labelled line each.
    pub(super) fn profile_text(row: &RequestRow) -> String {
        let known = |s: &Option<String>| s.clone().unwrap_or_default();
        format!(
            "Headline: {}\nCompany: {}\nLocation: {}",
            known(&row.headline),
            known(&row.company),
            known(&row.location)
        )
    }

    /// Stores what the profile editor holds; a line it cannot read keeps the editor open.
    pub(super) fn save_profile(&mut self, typed: &str, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(c) = &self.current else { return Outcome::done() };
        let mut profile = Profile::default();
        for line in typed.lines().filter(|l| !l.trim().is_empty()) {
            let field = line.split_once(':').and_then(|(label, value)| {
                let slot = match label.trim().to_lowercase().as_str() {
                    "headline" => &mut profile.headline,
                    "company" => &mut profile.company,
                    "location" => &mut profile.location,
                    _ => return None,
                };
                *slot = value.trim().to_string();
                Some(())
            });
            if field.is_none() {
                let said = format!("not saved: {}? each line is Headline:, Company: or Location:", text::line(line));
                return Outcome::warn(said).keeping_prompt();
            }
        }
        if let Err(e) = ctx.store.set_profile(c.row.person_id, &profile) {
            return Outcome::error("NOT saved", e);
        }
        self.current = None;
        match self.win.reload_here(ctx.store).and_then(|()| self.load_current(ctx)) {
            Ok(()) => Outcome::info("headline, company and location saved"),
            Err(e) => Outcome::error("cannot read the queue", e),
        }
    }

    /// Notes edited in `$EDITOR`.
    pub fn finish_external_edit(&mut self, person_id: i64, before: &str, after: &str, ctx: &mut Ctx<'_>) -> Outcome {
        let after = after.strip_suffix('\n').unwrap_or(after);
        if after == before {
            return Outcome::info("notes unchanged");
        }
        self.save_notes(person_id, after, ctx)
    }
}
