//! Strangers' text with escapes, bidi controls and invisible characters never reaches the
//! buffer or the terminal raw.

use super::*;

const HOSTILE_NAME: &str = "Eve\u{1b}]0;pwned\u{7}\u{1b}[2J Mallory\u{202E}gnp.exe";

const HOSTILE_MESSAGE: &str =
    "Hi\u{9b}31mred\u{1b}[31m \u{200B}zero\u{FEFF}width \u{7}bell\r\n\u{1b}P+q\u{1b}\\ \u{2066}iso\u{2069}";

fn hostile_store() -> Store {
    let mut store = Store::in_memory().unwrap();
    store
        .add_request(&NewRequest {
            name: HOSTILE_NAME.into(),
            headline: Some("CEO\u{1b}[8m hidden".into()),
            company: Some("Acme\u{85}Corp".into()),
            profile_url: Some("https://www.linkedin.com/in/eve\u{1b}[5m".into()),
            notes: Some("note\u{1b}]52;c;ZXZpbA==\u{7} clipboard".into()),
            hints: vec!["hidden_characters".into(), "weird\u{1b}[1mhint".into()],
            ..req("x", 3, HOSTILE_MESSAGE)
        })
        .unwrap();
    store
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || crate::text::has_hidden_characters(&c.to_string())
}

#[test]
fn hostile_text_never_reaches_the_buffer_raw() {
    let mut store = hostile_store();
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    for keys in [&[][..], &["d"], &["e"], &["?"]] {
        press(&mut app, keys);
        for (w, h) in [(80, 24), (120, 40)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
            for cell in terminal.backend().buffer().content() {
                assert!(!cell.symbol().chars().any(is_unsafe), "{:?} after {keys:?}", cell.symbol());
            }
        }
        press(&mut app, &["esc"]);
    }
    let s = screen(&app, 120, 40);
    assert!(s.contains("Eve␛]0;pwned␇␛[2J Mallory⟨U+202E⟩gnp.exe"), "made visible: {s}");
    // Every field goes through text.rs (the buffer scrub is only a last line of defence).
    for shown in [
        "Hi⟨U+009B⟩31mred␛[31m ⟨U+200B⟩zero⟨U+FEFF⟩width",
        "␇bell",
        "⟨U+2066⟩iso⟨U+2069⟩",
        "CEO␛[8m hidden",
        "Acme⟨U+0085⟩Corp",
        "eve␛[5m",
        "note␛]52;c;ZXZpbA==␇ clipboard",
        "weird␛[1mhint",
    ] {
        assert!(s.contains(shown), "{shown:?} not shown as stand-ins:\n{s}");
    }
}

#[test]
fn hostile_text_never_reaches_the_terminal_bytes() {
    let mut store = hostile_store();
    let checklist = Checklist::builtin();
    let mut app = App::new(&mut store, &checklist, Keymap::default(), Theme::default(), now()).unwrap();
    let mut frames = Vec::new();
    for keys in [&[][..], &["e"], &["esc", "d"], &["esc", "/"], &["esc", "M"]] {
        press(&mut app, keys);
        let mut bytes = Vec::<u8>::new();
        let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)) };
        let mut terminal = Terminal::with_options(CrosstermBackend::new(&mut bytes), options).unwrap();
        terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
        drop(terminal);
        frames.push(bytes);
    }
    for bytes in frames {
        let out = String::from_utf8(bytes).expect("utf-8");
        for payload in
            ["\u{1b}]0;", "\u{1b}[2J", "\u{1b}]52", "\u{1b}P", "\u{1b}[8m", "\u{1b}[5m", "\u{7}", "\u{9b}", "\u{85}"]
        {
            assert!(!out.contains(payload), "{payload:?} reached the terminal");
        }
        for c in ['\u{202E}', '\u{2066}', '\u{2069}', '\u{200B}', '\u{FEFF}', '\r'] {
            assert!(!out.contains(c), "{c:?} reached the terminal");
        }
        // Every ESC the app writes starts a CSI sequence of ratatui's own: cursor moves and
        // SGR styles, parameters then a final letter.
        let mut rest = out.as_str();
        while let Some(at) = rest.find('\u{1b}') {
            let seq = &rest[at + 1..];
            assert!(seq.starts_with('['), "non-CSI escape: {:?}", &seq[..seq.len().min(12)]);
            let end = seq[1..].find(|c: char| !(c.is_ascii_digit() || c == ';' || c == '?')).unwrap() + 1;
            let final_byte = seq.as_bytes()[end] as char;
            assert!("mHJKhlABCDG".contains(final_byte), "unexpected CSI {:?}", &seq[..=end]);
            assert!(!(final_byte == 'J' && seq[1..end].contains('2')), "screen clear");
            rest = &seq[end + 1..];
        }
        assert!(out.contains("pwned"), "the text is shown, made harmless");
    }
}

#[test]
fn hostile_text_in_the_queue_rows_preview_is_shown_as_stand_ins() {
    let mut store = hostile_store();
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["M"]);
    let s = screen(&app, 160, 30);
    // The row (the queue pane's line with the age), not the person pane's message.
    let row =
        s.lines().find(|l| l.contains("Eve␛]0;") && l.contains("Hi⟨U+009B⟩31mred")).unwrap_or_else(|| panic!("{s}"));
    assert!(row.contains("Hi⟨U+009B⟩31mred␛[31m ⟨U+200B⟩zero"), "{row}");
}

#[test]
fn hostile_text_in_the_log_screens_is_shown_as_stand_ins() {
    let mut store = hostile_store();
    decide_at(&mut store, 1, "declined", "spam\u{1b}[2J\u{202E}", r#"{"selling":true}"#, "2026-11-20T10:00:00Z");
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    for screen_key in ["D", "L", "S", "T"] {
        press(&mut app, &[screen_key]);
        for (w, h) in [(80, 24), (120, 40)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
            for cell in terminal.backend().buffer().content() {
                assert!(!cell.symbol().chars().any(is_unsafe), "{:?} on {screen_key}", cell.symbol());
            }
        }
        let s = screen(&app, 120, 40);
        if screen_key == "S" {
            assert!(s.contains("spam␛[2J⟨U+202E⟩"), "top reasons in the spelling used most, as stand-ins: {s}");
            continue;
        }
        assert!(s.contains("Eve␛]0;pwned␇␛[2J Mallory⟨U+202E⟩gnp.exe"), "{screen_key}: {s}");
        if screen_key != "T" {
            assert!(s.contains("spam␛[2J⟨U+202E⟩"), "{screen_key}: {s}");
        }
    }
}

#[test]
fn hostile_words_in_a_finding_never_reach_the_buffer_raw() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let words = "call\u{1b}]0;pwned\u{7} now\u{202E}";
    let hostile = super::suggestions::finding("sales", Some("selling"), true, &format!("sales: ‘{words}’"), &[words]);
    let recruiter = super::suggestions::finding("recruiter", None, true, "recruiter: \u{1b}[2J", &[]);
    store.set_findings(2, &[hostile, recruiter], &checklist).unwrap();
    let mut app = app(&mut store, &checklist);
    // Confirmed, overridden, open again: item 9 is the focused one, its suggestion shown.
    press(&mut app, &["j", "tab", "tab", "9", "9", "9"]);
    for keys in [&[][..], &["d"]] {
        press(&mut app, keys);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
        for cell in terminal.backend().buffer().content() {
            assert!(!cell.symbol().chars().any(|c| c.is_control() || c == '\u{202E}'), "{:?}", cell.symbol());
        }
    }
    press(&mut app, &["esc"]);
    let s = screen(&app, 160, 40);
    assert!(s.contains("call␛]0;pwned␇ now⟨U+202E⟩"), "{s}");
    // The why under the focused item, on its own line (the recommendation quotes it too).
    let lines: Vec<&str> = s.lines().collect();
    let at = lines.iter().position(|l| l.contains("≈ suggested: yes")).unwrap_or_else(|| panic!("{s}"));
    assert!(lines[at + 1].contains("sales: ‘call␛]0;pwned␇ now⟨U+202E⟩’"), "{s}");
    press(&mut app, &["d"]);
    assert!(s.contains("recruiter: ␛[2J"), "{s}");
    assert_eq!(editor_lines(&app), ["sales pitch: ‘call␛]0;pwned␇ now⟨U+202E⟩’"], "the prefill too");
}
