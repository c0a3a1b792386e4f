//! `vetted demo`: a throwaway store seeded with fictional people, never the user's store.

use crate::checklist::Checklist;
use crate::error::{Error, Result};
use crate::import::{self, Options};
use crate::store::Store;

/// Half a year of earlier decisions (a vetted backup), a fictional LinkedIn export folder and
/// a vetted-format file of profile notes.
const FILES: &[(&str, &str)] = &[
    ("history.json", include_str!("../assets/demo/history.json")),
    ("export/Invitations.csv", include_str!("../assets/demo/Invitations.csv")),
    ("export/Connections.csv", include_str!("../assets/demo/Connections.csv")),
    ("profiles.toml", include_str!("../assets/demo/profiles.toml")),
];

/// Creates the demo store in a private temporary folder (removed when the `TempDir` drops):
/// earlier decisions, then the sample export and profile notes, as a user would import them.
pub fn open() -> Result<(tempfile::TempDir, Store)> {
    open_with(&Checklist::builtin())
}

/// As [`open()`], the earlier checklist answers ranked by `checklist`.
pub fn open_with(checklist: &Checklist) -> Result<(tempfile::TempDir, Store)> {
    let dir = tempfile::Builder::new()
        .prefix("vetted-demo-")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .tempdir()
        .map_err(|e| Error::io("cannot create a folder for the demo store", e))?;
    for (name, contents) in FILES {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a file in a folder"))
            .and_then(|()| std::fs::write(&path, contents))
            .map_err(|e| Error::io(format!("{}: cannot write the demo data", path.display()), e))?;
    }
    let mut store = Store::open(&dir.path().join("demo.db"))?;
    // Earlier sessions first: among them Victor, declined in March, who asks again now.
    for file in ["history.json", "export", "profiles.toml"] {
        import::import_with(&mut store, &dir.path().join(file), Options::default(), checklist)?;
    }
    Ok((dir, store))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    #[test]
    fn the_demo_store_has_a_varied_queue() {
        let (_dir, store) = open().unwrap();
        let pending = store.count(Status::Pending).unwrap();
        assert!((25..=40).contains(&pending), "{pending} pending");
        assert_eq!(store.count(Status::Connected).unwrap(), 1, "Jonas is already a connection");
        let page = store.requests_page(&Default::default(), None, 100).unwrap();
        assert!(page.iter().any(|r| r.asked_again && r.name == "Victor Dubois"));
        assert!(page.iter().any(|r| r.hints.iter().any(|h| h == "duplicate_message")));
        assert!(page.iter().any(|r| r.hints.iter().any(|h| h == "hidden_characters")));
        let priya = page.iter().find(|r| r.name == "Priya Natarajan").unwrap();
        assert_eq!(priya.headline.as_deref(), Some("Head of Observability at Fernwood"));
        assert!(store.note(priya.person_id).unwrap().unwrap().contains("EuroRust"));
    }

    #[test]
    fn the_demo_store_has_months_of_history_and_a_linkedin_to_do_list() {
        let (_dir, store) = open().unwrap();
        let stats = store.stats("2026-11-25".parse().unwrap(), &jiff::tz::TimeZone::UTC).unwrap();
        assert!(stats.by_month.len() >= 5, "{:?}", stats.by_month);
        assert!(stats.decisions.get("accepted").is_some_and(|n| *n >= 5), "{:?}", stats.decisions);
        assert!(store.linkedin_todo_page(None, 100).unwrap().len() >= 3, "decisions still to carry out on LinkedIn");
        let lina = store.person_history(10, 10).unwrap();
        assert_eq!(lina.len(), 2, "a reconsidered decline: a chain of two");
    }
}
