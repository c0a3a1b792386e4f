//! What the terminal sends, as the shell takes it: keys become actions through the keymap
//! (in a prompt, unbound keys edit the text), a click or the wheel goes to the tab or the
//! screen under it, and a bracketed paste is text for the open prompt, never keys.

use super::action::{Action, KeyMode};
use super::app::{App, Mode, Overlay, update};
use super::key::Key;
use super::prompt::PromptKind;
use super::screens::{Answer, Level, Pointer};
use ratatui::crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

impl App<'_> {
    /// Handles one key event: the keymap turns it into an action for [`update`]; in a
    /// prompt, unbound keys edit the text.
    pub fn on_key(&mut self, ev: KeyEvent) {
        let Some(key) = Key::from_event(&ev) else { return };
        let mode = self.mode();
        let action = self.ctx.keymap.action(mode.key_mode(), key);
        if let Overlay::Prompt(p) = &mut self.overlay
            && p.armed
            && !matches!(action, Some(Action::Discard | Action::ForceQuit | Action::Save))
        {
            // Asked "leave without saving?": only that key again says yes; any other keeps editing.
            p.armed = false;
            self.notice = None;
        }
        match (mode, action) {
            (Mode::Help, _) => match (self.ctx.keymap.action(KeyMode::Global, key), action) {
                (Some(a), _) => update(self, a),
                (None, Some(a)) if help_scroll(a).is_some() => {
                    if let (Overlay::Help(line), Some(by)) = (&self.overlay, help_scroll(a)) {
                        line.set(line.get().saturating_add_signed(by));
                    }
                }
                _ => self.overlay = Overlay::None,
            },
            (_, Some(action)) => update(self, action),
            // The prompt's cancel key also drops what a screen keeps (the queue's search).
            (Mode::Normal, None) if self.ctx.keymap.action(KeyMode::Prompt, key) == Some(Action::Cancel) => {
                self.on_screen(Action::Cancel)
            }
            (Mode::Normal, None) => {}
            (Mode::Prompt(kind), None) => {
                let Overlay::Prompt(p) = &mut self.overlay else { return };
                if p.edit(key, ev) && kind.inline() {
                    self.answer(Answer::Changed);
                }
                if let PromptKind::Reason(_) | PromptKind::Reconsider(_) = kind {
                    self.notice = None;
                }
            }
        }
    }

    /// A click or the wheel: a click on a tab shows its screen; the rest is the screen's.
    pub fn on_mouse(&mut self, ev: MouseEvent) {
        if self.mode() != Mode::Normal {
            return;
        }
        let at = Position::new(ev.column, ev.row);
        let pointer = match ev.kind {
            MouseEventKind::ScrollUp => Pointer::Wheel(-1),
            MouseEventKind::ScrollDown => Pointer::Wheel(1),
            MouseEventKind::Down(MouseButton::Left) => Pointer::Click,
            _ => return,
        };
        let hits = self.hits.borrow().clone();
        let tab = hits.tabs.iter().find(|(x0, x1, _)| at.y == 0 && (*x0..*x1).contains(&at.x));
        if let (Pointer::Click, Some(&(_, _, screen))) = (pointer, tab) {
            return self.show(screen);
        }
        let (view, ctx) = self.parts();
        let outcome = view.point(at, pointer, &hits, ctx);
        self.apply(outcome);
    }

    /// A bracketed paste: text for the prompt or the notes editor that is open, never keys;
    /// the search or filter runs once, not once a character.
    pub fn on_paste(&mut self, pasted: &str) {
        let Overlay::Prompt(p) = &mut self.overlay else {
            let text = "paste ignored: pasted text only goes into a prompt or the notes editor, never in as keys";
            return self.say(Level::Info, text);
        };
        let cut = p.paste(pasted);
        let kind = p.kind;
        if kind.inline() {
            self.answer(Answer::Changed);
        }
        match cut {
            Some(warning) => self.say(Level::Warning, warning),
            None if matches!(kind, PromptKind::Reason(_) | PromptKind::Reconsider(_)) => self.notice = None,
            None => {}
        }
    }
}

/// How far a moving key scrolls the help (any other key closes it).
fn help_scroll(action: Action) -> Option<i16> {
    match action {
        Action::Up => Some(-1),
        Action::Down => Some(1),
        Action::PageUp => Some(-10),
        Action::PageDown => Some(10),
        Action::First => Some(i16::MIN),
        Action::Last => Some(i16::MAX),
        _ => None,
    }
}
