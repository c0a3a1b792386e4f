//! A note edited on two devices: both texts kept, the later shown, the other offered beside it
//! (in the store and in the app) until the user writes the note again; an edit made after
//! seeing the other device's text is an edit over it, not a conflict.

use super::{Dev, World, pair, settle};
use vetted::store::Store;

fn person_of(dev: &Dev, name: &str) -> i64 {
    let store = Store::open(&dev.db()).unwrap();
    let id: i64 = dev.id_of(name).parse().unwrap();
    store.request(id).unwrap().person_id
}

fn write_note(dev: &Dev, person: i64, text: &str) {
    Store::open(&dev.db()).unwrap().save_note(person, text).unwrap();
}

fn shown_and_others(dev: &Dev, person: i64) -> (Option<String>, Vec<(String, String)>) {
    let store = Store::open(&dev.db()).unwrap();
    let others = store.other_notes(person).unwrap().into_iter().map(|o| (o.device, o.text)).collect();
    (store.note(person).unwrap(), others)
}

#[test]
fn a_note_written_on_two_devices_shows_the_later_and_offers_the_other_until_written_again() {
    let w = World::new();
    let (laptop, desktop) = pair(&w);
    settle(&[&laptop, &desktop]);
    let (on_laptop, on_desktop) = (person_of(&laptop, "Kenji Sato"), person_of(&desktop, "Kenji Sato"));

    // One device writes, the other sees it and writes over it: no conflict.
    write_note(&laptop, on_laptop, "met at a fictional meetup");
    settle(&[&laptop, &desktop]);
    write_note(&desktop, on_desktop, "met at a fictional meetup; asked about Rust");
    settle(&[&laptop, &desktop]);
    for (dev, p) in [(&laptop, on_laptop), (&desktop, on_desktop)] {
        assert_eq!(
            shown_and_others(dev, p),
            (Some("met at a fictional meetup; asked about Rust".into()), vec![]),
            "an edit over the other's text is no conflict"
        );
    }

    // Both write before either has seen the other's text.
    let (from_laptop, from_desktop) =
        ("laptop: knows Jonas from a fictional team", "desktop: wants a fictional reference");
    write_note(&laptop, on_laptop, from_laptop);
    write_note(&desktop, on_desktop, from_desktop);
    settle(&[&laptop, &desktop]);
    let (shown, others) = shown_and_others(&laptop, on_laptop);
    let (other_device, other) =
        if shown.as_deref() == Some(from_desktop) { ("laptop", from_laptop) } else { ("desktop", from_desktop) };
    assert!(shown.as_deref() == Some(from_desktop) || shown.as_deref() == Some(from_laptop), "{shown:?}");
    assert_eq!(others, vec![(other_device.to_string(), other.to_string())], "the other text offered beside it");
    assert_eq!(shown_and_others(&desktop, on_desktop), (shown, others), "the same on both devices");

    // The app shows both texts.
    let mut pty = laptop.app();
    pty.wait_for("pending");
    pty.send("/Kenji Sato\r");
    pty.wait_for(&format!("Also written on {other_device}"));
    pty.wait_for(from_laptop);
    pty.wait_for(from_desktop);
    pty.send("q");
    assert!(pty.wait_exit().success(), "{}", pty.text());

    // Writing the note again settles it everywhere.
    write_note(&laptop, on_laptop, "knows Jonas; wants a reference");
    settle(&[&laptop, &desktop]);
    for (dev, p) in [(&laptop, on_laptop), (&desktop, on_desktop)] {
        assert_eq!(shown_and_others(dev, p), (Some("knows Jonas; wants a reference".into()), vec![]));
    }
}
