//! Every user command of the review session, in one table: its config name, where the help
//! lists it (and so its key mode), the screens it works on, the help's line, the footer's word
//! and its default keys. The keymap, the help, the footer and "works on …" all read it, so
//! adding an action is one row here and its handling in the screen it works on.

use super::key::Key;
use ratatui::crossterm::event::KeyCode;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an action's keys are live. Keys are looked up in the current mode first, then in
/// `Global`; one key may not be bound twice in a mode (nor in a mode and `Global`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyMode {
    /// Browsing the queue.
    Normal,
    /// A one-line prompt: the reason of a decision, or the search.
    Prompt,
    /// The inline notes editor.
    Editor,
    /// Every mode.
    Global,
}

impl KeyMode {
    pub fn label(self) -> &'static str {
        match self {
            KeyMode::Normal => "review",
            KeyMode::Prompt => "reason and search prompts",
            KeyMode::Editor => "notes editor",
            KeyMode::Global => "everywhere",
        }
    }
}

/// One user command. Serialised by its config name (`accept`, `toggle_3`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    NextPane,
    /// Toggle checklist item N (1-based): unknown → yes → no → unknown.
    Toggle(u8),
    ToggleFocused,
    /// Mark / unmark the selected request (for a decision about all marked ones).
    Mark,
    /// Mark every request passed over until pressed again.
    MarkRange,
    /// Mark every request the filter matches (all pages).
    MarkAll,
    /// The queue in groups (by hint, template, recommendation, month); choose one to filter.
    Groups,
    /// Queue rows: show / hide the first line of each message (kept in the config).
    Preview,
    Accept,
    Decline,
    Defer,
    Undo,
    EditNotes,
    EditNotesExternal,
    /// Fill in the person's headline, company and location.
    EditProfile,
    OpenProfile,
    Search,
    Sort,
    /// Asked again: the earlier verdict about the person, through the reason prompt.
    RepeatEarlier,
    /// Declined: back to pending, with a reason.
    Reopen,
    /// To do: carried out on LinkedIn.
    MarkDone,
    /// To do: hide / show the ignores (ignoring on LinkedIn is optional).
    AcceptsOnly,
    /// To do: open the next profile, marking the one opened before done.
    Walk,
    ScreenQueue,
    ScreenDeclined,
    ScreenLog,
    ScreenStats,
    ScreenTodo,
    NextScreen,
    PrevScreen,
    Help,
    Quit,
    ForceQuit,
    /// Stop to the shell (ctrl-z, SIGTSTP); `fg` comes back.
    Suspend,
    Confirm,
    /// Reason prompts: complete from the reasons given before.
    Complete,
    /// Reason prompts: the next (`up`) or previous (`down`) reason given before.
    OlderReason,
    NewerReason,
    Cancel,
    Save,
    Discard,
}

/// Where in the help an action is listed. The key mode follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// The review keys (the help's left column).
    Review,
    /// Moving between screens, and what only one list screen does.
    Screens,
    Prompt,
    Editor,
    Everywhere,
}

impl Group {
    pub fn mode(self) -> KeyMode {
        match self {
            Group::Review | Group::Screens => KeyMode::Normal,
            Group::Prompt => KeyMode::Prompt,
            Group::Editor => KeyMode::Editor,
            Group::Everywhere => KeyMode::Global,
        }
    }

    /// The help's heading of the group.
    pub fn heading(self) -> &'static str {
        match self {
            Group::Screens => "screens",
            g => g.mode().label(),
        }
    }
}

/// The screens an action works on, as bits in the order of the header's tabs (Queue,
/// Declined, Log, Stats, To do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct On(pub u8);

impl On {
    pub const QUEUE: On = On(1);
    pub const DECLINED: On = On(2);
    pub const LOG: On = On(4);
    pub const STATS: On = On(8);
    pub const TODO: On = On(16);
    pub const LISTS: On = On(2 | 4 | 16);
    pub const ALL: On = On(31);

    const fn and(self, other: On) -> On {
        On(self.0 | other.0)
    }

    /// Whether the screen at this tab position is one of them.
    pub fn has(self, tab: usize) -> bool {
        self.0 & (1 << tab) != 0
    }
}

/// One row of the table: everything the keymap, the help, the footer and the screens'
/// "works on …" need to know about an action.
pub struct Spec {
    pub action: Action,
    pub name: &'static str,
    pub group: Group,
    pub on: On,
    /// The help's line.
    pub help: &'static str,
    /// The footer's word ("" when the footer never shows it).
    pub footer: &'static str,
    pub keys: &'static [Key],
}

const fn row(
    action: Action,
    name: &'static str,
    group: Group,
    on: On,
    help: &'static str,
    footer: &'static str,
    keys: &'static [Key],
) -> Spec {
    Spec { action, name, group, on, help, footer, keys }
}

use Group::*;
use KeyCode::*;
const fn k(code: KeyCode) -> Key {
    Key::plain(code)
}
const fn c(ch: char) -> Key {
    Key::ch(ch)
}

/// Every action, in help order. Checklist toggles are one row ([`TOGGLE`]) spelled out per item.
#[rustfmt::skip]
const TABLE: &[Spec] = &[
    row(Action::Up, "up", Review, On::ALL, "move up (queue / item / scroll)", "", &[c('k'), k(Up)]),
    row(Action::Down, "down", Review, On::ALL, "move down", "", &[c('j'), k(Down)]),
    row(Action::PageUp, "page_up", Review, On::ALL, "move up a page", "", &[k(PageUp)]),
    row(Action::PageDown, "page_down", Review, On::ALL, "move down a page", "", &[k(PageDown)]),
    row(Action::First, "first", Review, On::ALL, "go to the first request", "", &[c('g'), k(Home)]),
    row(Action::Last, "last", Review, On::ALL, "go to the last request", "", &[c('G'), k(End)]),
    row(Action::NextPane, "next_pane", Review, On::QUEUE, "focus the next pane", "pane", &[k(Tab)]),
    row(Action::Toggle(0), "toggle_", Review, On::QUEUE, "toggle checklist item ", "check", &[]),
    row(Action::ToggleFocused, "toggle_focused", Review, On::QUEUE, "toggle the focused checklist item", "", &[k(Enter)]),
    row(Action::Mark, "mark", Review, On::QUEUE.and(On::TODO), "mark / unmark (decide all marked at once)", "mark", &[c(' ')]),
    row(Action::MarkRange, "mark_range", Review, On::QUEUE, "mark a range: move, then V again", "", &[c('V')]),
    row(Action::Groups, "groups", Review, On::QUEUE, "group view: by hint, template, rec, month", "groups", &[c('v')]),
    row(Action::Preview, "preview", Review, On::QUEUE, "show/hide messages in queue rows", "", &[c('M')]),
    row(Action::MarkAll, "mark_all", Review, On::QUEUE.and(On::TODO), "mark all the filter matches (esc: none)", "", &[c('*')]),
    row(Action::Accept, "accept", Review, On::QUEUE.and(On::DECLINED), "accept (Declined: reconsider)", "accept", &[c('a')]),
    row(Action::Decline, "decline", Review, On::QUEUE, "decline (reason required)", "decline", &[c('d')]),
    row(Action::Defer, "defer", Review, On::QUEUE, "decide later (optional reason)", "later", &[c('l')]),
    row(Action::Undo, "undo", Review, On::ALL, "undo the session's last decision", "undo", &[c('u')]),
    row(Action::EditNotes, "edit_notes", Review, On::QUEUE.and(On::DECLINED).and(On::LOG), "edit the profile notes here", "notes", &[c('e')]),
    row(Action::EditNotesExternal, "edit_notes_external", Review, On::QUEUE, "edit the notes in $EDITOR", "", &[c('E')]),
    row(Action::EditProfile, "edit_profile", Review, On::QUEUE, "edit headline, company, location", "", &[c('i')]),
    row(Action::OpenProfile, "open_profile", Review, On::QUEUE.and(On::LISTS), "open the profile in the browser", "open", &[c('o')]),
    row(Action::Search, "search", Review, On::QUEUE.and(On::DECLINED).and(On::LOG), "search (Log, Declined: filter)", "search", &[c('/')]),
    row(Action::Sort, "sort", Review, On::QUEUE, "sort: oldest, newest, recommended", "sort", &[c('s')]),
    row(Action::RepeatEarlier, "repeat_earlier", Screens, On::QUEUE, "repeat old verdict", "", &[c('r')]),
    row(Action::Reopen, "reopen", Screens, On::DECLINED, "Declined: to pending", "to pending", &[c('p')]),
    row(Action::MarkDone, "mark_done", Screens, On::TODO, "To do: mark done", "done", &[c('m')]),
    row(Action::AcceptsOnly, "accepts_only", Screens, On::TODO, "To do: hide/show the ignores", "ignores", &[c('I')]),
    row(Action::Walk, "walk", Screens, On::TODO, "To do: walk: done, next profile", "walk", &[c('w')]),
    row(Action::ScreenQueue, "screen_queue", Screens, On::ALL, "screen: review queue", "", &[c('Q')]),
    row(Action::ScreenDeclined, "screen_declined", Screens, On::ALL, "screen: declined people", "", &[c('D')]),
    row(Action::ScreenLog, "screen_log", Screens, On::ALL, "screen: decision log", "", &[c('L')]),
    row(Action::ScreenStats, "screen_stats", Screens, On::ALL, "screen: statistics", "", &[c('S')]),
    row(Action::ScreenTodo, "screen_todo", Screens, On::ALL, "screen: to do on LinkedIn", "", &[c('T')]),
    row(Action::NextScreen, "next_screen", Screens, On::ALL, "next screen", "next screen", &[c(']')]),
    row(Action::PrevScreen, "prev_screen", Screens, On::ALL, "previous screen", "", &[c('[')]),
    row(Action::Help, "help", Review, On::ALL, "show or hide this help", "help", &[c('?')]),
    row(Action::Quit, "quit", Review, On::ALL, "quit", "quit", &[c('q')]),
    row(Action::ForceQuit, "force_quit", Everywhere, On::ALL, "quit from anywhere", "quit", &[Key::ctrl('c')]),
    row(Action::Suspend, "suspend", Everywhere, On::ALL, "suspend to the shell (fg: back)", "", &[Key::ctrl('z')]),
    row(Action::Confirm, "confirm", Prompt, On::ALL, "record / keep the search", "record", &[k(Enter)]),
    row(Action::Cancel, "cancel", Prompt, On::ALL, "cancel (search: clear it)", "cancel", &[k(Esc)]),
    row(Action::Complete, "complete", Prompt, On::ALL, "reason: complete from earlier reasons", "complete", &[k(Tab)]),
    row(Action::OlderReason, "older_reason", Prompt, On::ALL, "reason: walk earlier reasons, most used first", "", &[k(Up)]),
    row(Action::NewerReason, "newer_reason", Prompt, On::ALL, "reason: walk back", "", &[k(Down)]),
    row(Action::Save, "save", Editor, On::ALL, "save the notes", "save", &[Key::ctrl('s')]),
    row(Action::Discard, "discard", Editor, On::ALL, "close without saving", "discard", &[k(Esc)]),
];

/// Checklist items with a toggle key of their own (the built-in checklist has 11).
pub const TOGGLES: u8 = 11;

/// The keys of checklist item `n`: 1–9, then 0 and - for items 10 and 11.
fn toggle_keys(n: u8) -> &'static [Key] {
    static DIGITS: [Key; 11] = [c('1'), c('2'), c('3'), c('4'), c('5'), c('6'), c('7'), c('8'), c('9'), c('0'), c('-')];
    match n {
        1..=TOGGLES => std::slice::from_ref(&DIGITS[n as usize - 1]),
        _ => &[],
    }
}

fn spec(action: Action) -> &'static Spec {
    let action = if let Action::Toggle(_) = action { Action::Toggle(0) } else { action };
    TABLE.iter().find(|s| s.action == action).expect("every action is in the table")
}

impl Action {
    /// Every action, in help order.
    pub fn all() -> Vec<Action> {
        TABLE
            .iter()
            .flat_map(|s| match s.action {
                Action::Toggle(_) => (1..=TOGGLES).map(Action::Toggle).collect(),
                a => vec![a],
            })
            .collect()
    }

    pub fn name(self) -> String {
        match self {
            Action::Toggle(n) => format!("toggle_{n}"),
            a => spec(a).name.to_string(),
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        if let Some(n) = name.strip_prefix("toggle_").and_then(|n| n.parse::<u8>().ok()) {
            return (1..=TOGGLES).contains(&n).then_some(Action::Toggle(n));
        }
        TABLE.iter().find(|s| s.name == name && s.action != Action::Toggle(0)).map(|s| s.action)
    }

    pub fn group(self) -> Group {
        spec(self).group
    }

    pub fn mode(self) -> KeyMode {
        self.group().mode()
    }

    /// The screens it works on.
    pub fn on(self) -> On {
        spec(self).on
    }

    pub fn description(self) -> String {
        match self {
            Action::Toggle(n) => format!("{}{n}", spec(self).help),
            a => spec(a).help.to_string(),
        }
    }

    /// The footer's word for it.
    pub fn footer(self) -> &'static str {
        spec(self).footer
    }

    /// The key that starts a decision.
    pub fn for_verdict(v: crate::model::Verdict) -> Action {
        match v {
            crate::model::Verdict::Accept => Action::Accept,
            crate::model::Verdict::Decline => Action::Decline,
            crate::model::Verdict::Defer => Action::Defer,
        }
    }

    /// The keys it has unless the config says otherwise.
    pub fn default_keys(self) -> &'static [Key] {
        match self {
            Action::Toggle(n) => toggle_keys(n),
            a => spec(a).keys,
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl From<Action> for String {
    fn from(a: Action) -> String {
        a.name()
    }
}

impl TryFrom<String> for Action {
    type Error = String;
    fn try_from(s: String) -> Result<Action, String> {
        Action::from_name(&s).ok_or_else(|| format!("unknown action {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let all = Action::all();
        let mut names: Vec<String> = all.iter().map(|a| a.name()).collect();
        for a in &all {
            assert_eq!(Action::from_name(&a.name()), Some(*a), "{a:?}");
            let json = serde_json::to_string(a).unwrap();
            assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), *a);
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
        assert_eq!(Action::from_name("toggle_0"), None);
        assert_eq!(Action::from_name("toggle_11"), Some(Action::Toggle(11)));
        assert_eq!(Action::from_name("toggle_12"), None);
        assert_eq!(Action::from_name("acept"), None);
    }
}
