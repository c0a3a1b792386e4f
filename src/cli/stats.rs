//! `vetted stats`: counts, accept rate by month, top decline reasons, checklist answers, this week.

use super::output::{json_safe, out_err};
use super::{JsonArg, Setup};
use crate::error::Result;
use crate::store::Store;
use crate::text;
use std::io::Write;

pub fn run(setup: &Setup, args: JsonArg, out: &mut dyn Write) -> Result<()> {
    stats(&setup.open()?, args.json, out)
}

pub fn stats(store: &Store, json: bool, out: &mut dyn Write) -> Result<()> {
    let zone = crate::clock::zone();
    let s = store.stats(crate::clock::today(crate::clock::now(), zone), zone)?;
    if json {
        return writeln!(out, "{}", json_safe(&s)).map_err(out_err);
    }
    let w = |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(out_err);
    let counts = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", ")
    };
    if s.requests.is_empty() && s.decisions.is_empty() {
        return w(
            out,
            "no requests and no decisions yet: `vetted import PATH` reads a LinkedIn export, `vetted add` adds one"
                .into(),
        );
    }
    w(out, format!("requests   {}", counts(&s.requests)))?;
    if s.decisions.is_empty() {
        w(out, "decisions  none yet (the log is empty)".into())?;
    } else {
        let rows: u64 = s.decisions.values().sum();
        w(out, format!("decisions  {} ({rows} in the log, changes of mind included)", counts(&s.decisions)))?;
    }
    w(out, "\naccept rate by month (each request once, by its latest decision)".into())?;
    if s.by_month.is_empty() {
        w(out, "  (none)".into())?;
    }
    for (month, acc, dec) in &s.by_month {
        let rate = crate::store::accept_rate(*acc, *dec).unwrap_or(0);
        w(
            out,
            format!("  {month}  {rate:>3}%  {}  ({acc} accepted, {dec} declined)", "█".repeat((rate / 5) as usize)),
        )?;
    }
    w(out, "\ntop decline reasons (each request once, by its latest decision)".into())?;
    if s.top_decline_reasons.is_empty() {
        w(out, "  (none)".into())?;
    }
    for (reason, n) in &s.top_decline_reasons {
        w(out, format!("  {n:>5}  {}", text::line(reason)))?;
    }
    w(out, "\nchecklist answers (yes) at the current decision: accepted / declined".into())?;
    if s.answers.is_empty() {
        w(out, "  (none)".into())?;
    }
    for (item, acc, dec) in &s.answers {
        w(out, format!("  {:<24} {acc:>5} / {dec}", text::line(item)))?;
    }
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = s.last_7_days.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let spark: String = s.last_7_days.iter().map(|(_, n)| BARS[(*n * 7 / max) as usize]).collect();
    let total: u64 = s.last_7_days.iter().map(|(_, n)| n).sum();
    w(
        out,
        format!(
            "\nthis week  {spark}  {total} decisions (from {})",
            s.last_7_days.first().map_or("", |(d, _)| d.as_str())
        ),
    )
}
