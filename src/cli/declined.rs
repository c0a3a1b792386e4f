//! `vetted declined`: everyone whose latest decision is a decline: when, why, the checklist
//! then, their notes.

use super::output::{PAGE, cell, day, stream};
use super::{JsonArg, Setup};
use crate::error::Result;
use crate::store::{DeclinedRow, Store};
use crate::text;
use std::io::Write;

pub fn run(setup: &Setup, args: JsonArg, out: &mut dyn Write) -> Result<()> {
    declined(&setup.open()?, args.json, out)
}

pub fn declined(store: &Store, json: bool, out: &mut dyn Write) -> Result<()> {
    stream(
        json,
        out,
        |last: Option<&DeclinedRow>| Ok(store.declined_page(last.map(|d| d.decision.id), PAGE)?),
        |d| {
            let mut line = format!(
                "{}  {}  {}",
                day(&d.decision.decided_at),
                cell(&d.decision.name, 24),
                text::line(&d.decision.reason)
            );
            let flags: Vec<&str> = d.decision.answers.iter().filter(|(_, v)| **v).map(|(k, _)| k.as_str()).collect();
            if !flags.is_empty() {
                line.push_str(&format!("  [{}]", text::line(&flags.join(", "))));
            }
            if let Some(on) = super::log::decided_on(&d.decision) {
                line.push_str(&format!("\n            {}", text::truncate(&text::line(&on), 100)));
            }
            if let Some(notes) = &d.notes {
                line.push_str(&format!("\n            notes: {}", text::truncate(&text::line(notes), 100)));
            }
            line
        },
        "(nobody is declined)",
    )
}
