//! The Stats screen: counts by decision, the top decline reasons, which checklist answers
//! went with which verdict, the accept rate by month and the week's decisions. Computed on a
//! second connection in the background (a million decisions take seconds).

use super::{Ctx, Draw, Hint, Outcome, View};
use crate::store::{Background, Stats, StoreError, accept_rate};
use crate::text;
use crate::tui::action::Action;
use crate::tui::present::pad;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Sparkline, Widget};

#[derive(Debug, Default)]
pub enum StatsView {
    #[default]
    NotLoaded,
    Loading(Background<Stats>),
    Ready(Box<Stats>),
    Failed(String),
}

#[derive(Debug, Default)]
pub struct StatsScreen {
    pub state: StatsView,
}

impl StatsScreen {
    /// Starts computing (on a second connection in the background when the store is a
    /// file); [`StatsScreen::poll`] picks the result up.
    fn load(&mut self, ctx: &Ctx<'_>) {
        let (today, zone) = (ctx.today(), ctx.zone.clone());
        self.state = StatsView::Loading(ctx.store.in_background(move |s| s.stats(today, &zone)));
        self.poll();
    }

    pub fn loading(&self) -> bool {
        matches!(self.state, StatsView::Loading(_))
    }

    /// Takes the statistics computed in the background, if they are ready; true when the
    /// screen changed.
    pub fn poll(&mut self) -> bool {
        let StatsView::Loading(job) = &self.state else { return false };
        self.state = match job.poll() {
            Some(Ok(s)) => StatsView::Ready(Box::new(s)),
            Some(Err(e)) => StatsView::Failed(e.to_string()),
            None => return false,
        };
        true
    }
}

impl View for StatsScreen {
    fn handle(&mut self, action: Action, _ctx: &mut Ctx<'_>) -> Outcome {
        match action {
            // One page: nothing to move through.
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::First | Action::Last => {
                Outcome::done()
            }
            Action::Cancel => Outcome::done(),
            _ => Outcome::elsewhere(),
        }
    }

    /// Computed when first shown and after a change (see `forget`), never twice at once.
    fn refresh(&mut self, ctx: &mut Ctx<'_>) -> Result<(), StoreError> {
        if matches!(self.state, StatsView::NotLoaded) {
            self.load(ctx);
        }
        Ok(())
    }

    fn forget(&mut self) {
        if matches!(self.state, StatsView::Ready(_) | StatsView::Failed(_)) {
            self.state = StatsView::NotLoaded;
        }
    }

    fn hints(&self) -> Vec<Hint> {
        vec![Hint::Screens, Hint::Key(Action::Help), Hint::Key(Action::Quit)]
    }

    fn render(&self, area: Rect, buf: &mut Buffer, draw: &Draw<'_>) {
        let t = draw.theme;
        let s = match &self.state {
            StatsView::Ready(s) => s,
            StatsView::Failed(e) => {
                Paragraph::new(format!("cannot compute the statistics: {e}")).style(t.danger).render(area, buf);
                return;
            }
            _ => {
                Paragraph::new("computing the statistics…").style(t.muted).render(area, buf);
                return;
            }
        };
        let [left, right] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        decisions_pane(s, left, buf, draw);
        let [bars, spark] = Layout::vertical([Constraint::Min(8), Constraint::Length(6)]).areas(right);
        months_pane(s, bars, buf, t);
        week_pane(s, spark, buf, t);
    }
}

/// "Oct" for `2026-10`.
fn month_name(month: &str) -> String {
    format!("{month}-01").parse::<jiff::civil::Date>().map_or(month.to_string(), |d| d.strftime("%b").to_string())
}

/// The left pane: requests by their latest decision, the top decline reasons, the checklist.
fn decisions_pane(s: &Stats, left: Rect, buf: &mut Buffer, draw: &Draw<'_>) {
    let t = draw.theme;
    let block = Block::bordered().title(" Decisions ").border_style(t.accent);
    let inner = block.inner(left);
    block.render(left, buf);
    let h = |s: &str| Line::styled(s.to_string(), t.title);
    let count = |m: &std::collections::BTreeMap<String, u64>, k: &str| m.get(k).copied().unwrap_or(0);
    let logged: u64 = s.decisions.values().sum();
    let mut lines = vec![
        h("Requests, by their latest decision"),
        Line::raw(format!(
            "✓ {} accepted  ✗ {} declined",
            count(&s.requests, "accepted"),
            count(&s.requests, "declined")
        )),
        Line::raw(format!(
            "… {} deferred  ○ {} pending",
            count(&s.requests, "deferred"),
            count(&s.requests, "pending")
        )),
        Line::styled(format!("{logged} decisions in the log (changes of mind included)"), t.muted),
    ];
    // Requests no decision is needed for, so that none of them is lost from sight.
    let (connected, withdrawn) = (count(&s.requests, "connected"), count(&s.requests, "withdrawn"));
    let replaced = count(&s.requests, "replaced");
    if connected + withdrawn + replaced > 0 {
        let replaced = if replaced > 0 { format!("  {replaced} replaced") } else { String::new() };
        lines.push(Line::styled(
            format!(
                "{connected} already connected  {withdrawn} withdrawn on LinkedIn{replaced} (vetted list --status …)"
            ),
            t.muted,
        ));
    }
    lines.push(h("Top decline reasons"));
    if s.top_decline_reasons.is_empty() {
        lines.push(Line::styled("(none yet)", t.muted));
    }
    for (reason, n) in &s.top_decline_reasons {
        lines.push(Line::raw(format!("{n:>6}  {}", text::truncate(&text::line(reason), 40))));
    }
    lines.push(h("Checklist yes  with ✓ / with ✗"));
    for (key, acc, dec) in &s.answers {
        let label = draw.checklist.items.iter().find(|i| &i.key == key).map_or(key.as_str(), |i| i.label.as_str());
        let w = (inner.width as usize).saturating_sub(16).max(8);
        lines.push(Line::raw(format!("{} {acc:>6} {dec:>6}", pad(label, w))));
    }
    Paragraph::new(lines).render(inner, buf);
}

/// The accept rate by month, as many months as fit.
fn months_pane(s: &Stats, bars: Rect, buf: &mut Buffer, t: &Theme) {
    let fits = (Block::bordered().inner(bars).width as usize / 6).max(1);
    let months = &s.by_month[s.by_month.len().saturating_sub(fits)..];
    let span = match (months.first(), months.last()) {
        (Some(first), Some(last)) if first.0 != last.0 => format!(", {} to {}", first.0, last.0),
        (Some(only), _) => format!(", {}", only.0),
        _ => String::new(),
    };
    // Each request once, by its latest decision (as the counts on the left).
    let title = format!(" Accepted % by month{span} ");
    let block = Block::bordered().title(title).border_style(t.muted);
    let inner = block.inner(bars);
    block.render(bars, buf);
    let group: Vec<Bar> = months
        .iter()
        .map(|(m, a, d)| {
            let rate = accept_rate(*a, *d);
            Bar::default()
                .value(rate.unwrap_or(0))
                .text_value(rate.map_or("-".to_string(), |r| r.to_string()))
                .label(Line::from(month_name(m)))
        })
        .collect();
    if group.is_empty() {
        Paragraph::new("no decisions yet").style(t.muted).render(inner, buf);
    } else {
        BarChart::default()
            .data(BarGroup::default().bars(&group))
            .bar_width(5)
            .bar_gap(1)
            .max(100)
            .bar_style(t.accent)
            .value_style(t.title.add_modifier(Modifier::REVERSED))
            .render(inner, buf);
    }
}

/// The last seven days: a sparkline and each day's count.
fn week_pane(s: &Stats, spark: Rect, buf: &mut Buffer, t: &Theme) {
    let total: u64 = s.last_7_days.iter().map(|(_, n)| n).sum();
    let block = Block::bordered().title(format!(" This week: {total} decisions (7 days) ")).border_style(t.muted);
    let inner = block.inner(spark);
    block.render(spark, buf);
    let [line, days] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let data: Vec<u64> = s.last_7_days.iter().map(|(_, n)| *n).collect();
    let per = (inner.width as usize / data.len().max(1)).max(1);
    let wide: Vec<u64> = data.iter().flat_map(|n| std::iter::repeat_n(*n, per)).collect();
    Sparkline::default().data(&wide).style(t.accent).render(line, buf);
    // Each day by its name, with its count ("Mo 3").
    let labels: String = s
        .last_7_days
        .iter()
        .map(|(d, n)| {
            let name = d.parse::<jiff::civil::Date>().map_or(String::new(), |d| d.strftime("%a").to_string());
            format!("{:<per$}", format!("{} {n}", name.get(..2).unwrap_or(&name)))
        })
        .collect();
    Line::styled(labels, t.muted).render(days, buf);
}
