//! Every user command of the review session, named once. The keymap binds names to keys, the
//! help and the footer list them, and `update()` is the one place that carries them out.

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
    Accept,
    Decline,
    Defer,
    Undo,
    EditNotes,
    EditNotesExternal,
    OpenProfile,
    Search,
    Sort,
    /// Asked again: the earlier verdict about the person, through the reason prompt.
    RepeatEarlier,
    /// Declined: back to pending, with a reason.
    Reopen,
    /// To do: carried out on LinkedIn.
    MarkDone,
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
    Cancel,
    Save,
    Discard,
}

const SIMPLE: &[(Action, &str, KeyMode, &str)] = &[
    (Action::Up, "up", KeyMode::Normal, "move up (queue / item / scroll)"),
    (Action::Down, "down", KeyMode::Normal, "move down"),
    (Action::PageUp, "page_up", KeyMode::Normal, "move up a page"),
    (Action::PageDown, "page_down", KeyMode::Normal, "move down a page"),
    (Action::First, "first", KeyMode::Normal, "go to the first request"),
    (Action::Last, "last", KeyMode::Normal, "go to the last request"),
    (Action::NextPane, "next_pane", KeyMode::Normal, "focus the next pane"),
    (Action::ToggleFocused, "toggle_focused", KeyMode::Normal, "toggle the focused checklist item"),
    (Action::Accept, "accept", KeyMode::Normal, "accept (Declined: reconsider)"),
    (Action::Decline, "decline", KeyMode::Normal, "decline (reason required)"),
    (Action::Defer, "defer", KeyMode::Normal, "decide later (optional reason)"),
    (Action::Undo, "undo", KeyMode::Normal, "undo the session's last decision"),
    (Action::EditNotes, "edit_notes", KeyMode::Normal, "edit the profile notes here"),
    (Action::EditNotesExternal, "edit_notes_external", KeyMode::Normal, "edit the notes in $EDITOR"),
    (Action::OpenProfile, "open_profile", KeyMode::Normal, "open the profile in the browser"),
    (Action::Search, "search", KeyMode::Normal, "search (Log, Declined: filter)"),
    (Action::Sort, "sort", KeyMode::Normal, "sort: oldest, newest, recommended"),
    (Action::RepeatEarlier, "repeat_earlier", KeyMode::Normal, "repeat old verdict"),
    (Action::Reopen, "reopen", KeyMode::Normal, "Declined: to pending"),
    (Action::MarkDone, "mark_done", KeyMode::Normal, "To do: mark done"),
    (Action::ScreenQueue, "screen_queue", KeyMode::Normal, "screen: review queue"),
    (Action::ScreenDeclined, "screen_declined", KeyMode::Normal, "screen: declined people"),
    (Action::ScreenLog, "screen_log", KeyMode::Normal, "screen: decision log"),
    (Action::ScreenStats, "screen_stats", KeyMode::Normal, "screen: statistics"),
    (Action::ScreenTodo, "screen_todo", KeyMode::Normal, "screen: to do on LinkedIn"),
    (Action::NextScreen, "next_screen", KeyMode::Normal, "next screen"),
    (Action::PrevScreen, "prev_screen", KeyMode::Normal, "previous screen"),
    (Action::Help, "help", KeyMode::Normal, "show or hide this help"),
    (Action::Quit, "quit", KeyMode::Normal, "quit"),
    (Action::ForceQuit, "force_quit", KeyMode::Global, "quit from anywhere"),
    (Action::Suspend, "suspend", KeyMode::Global, "suspend to the shell (fg: back)"),
    (Action::Confirm, "confirm", KeyMode::Prompt, "record / keep the search"),
    (Action::Cancel, "cancel", KeyMode::Prompt, "cancel (search: clear it)"),
    (Action::Save, "save", KeyMode::Editor, "save the notes"),
];

/// The editor's cancel shares its name with the prompt's: one name cannot live in two modes,
/// so the editor's is `discard`.
const DISCARD: (&str, &str) = ("discard", "close without saving");

/// Checklist items with a toggle key of their own (the built-in checklist has 11).
pub const TOGGLES: u8 = 11;

impl Action {
    /// Every action, in help order.
    pub fn all() -> Vec<Action> {
        let mut all: Vec<Action> = SIMPLE[..7].iter().map(|s| s.0).collect();
        all.extend((1..=TOGGLES).map(Action::Toggle));
        all.extend(SIMPLE[7..].iter().map(|s| s.0));
        all.push(Action::Discard);
        all
    }

    pub fn name(self) -> String {
        match self {
            Action::Toggle(n) => format!("toggle_{n}"),
            Action::Discard => DISCARD.0.to_string(),
            a => SIMPLE.iter().find(|s| s.0 == a).map(|s| s.1.to_string()).expect("every action is listed"),
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        if let Some(n) = name.strip_prefix("toggle_").and_then(|n| n.parse::<u8>().ok()) {
            return (1..=TOGGLES).contains(&n).then_some(Action::Toggle(n));
        }
        if name == DISCARD.0 {
            return Some(Action::Discard);
        }
        SIMPLE.iter().find(|s| s.1 == name).map(|s| s.0)
    }

    pub fn mode(self) -> KeyMode {
        match self {
            Action::Toggle(_) => KeyMode::Normal,
            Action::Discard => KeyMode::Editor,
            a => SIMPLE.iter().find(|s| s.0 == a).map(|s| s.2).expect("every action is listed"),
        }
    }

    /// Actions of the log screens (the help lists them apart).
    pub fn is_screen_action(self) -> bool {
        matches!(
            self,
            Action::RepeatEarlier
                | Action::Reopen
                | Action::MarkDone
                | Action::ScreenQueue
                | Action::ScreenDeclined
                | Action::ScreenLog
                | Action::ScreenStats
                | Action::ScreenTodo
                | Action::NextScreen
                | Action::PrevScreen
        )
    }

    pub fn description(self) -> String {
        match self {
            Action::Toggle(n) => format!("toggle checklist item {n}"),
            Action::Discard => DISCARD.1.to_string(),
            a => SIMPLE.iter().find(|s| s.0 == a).map(|s| s.3.to_string()).expect("every action is listed"),
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
