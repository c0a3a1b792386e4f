//! `vetted demo`: a throwaway store seeded with fictional people, never the user's store.

use crate::error::{Error, Result};
use crate::import::{self, Options};
use crate::model::{Answers, NewRequest, Verdict};
use crate::store::Store;

/// A fictional LinkedIn export folder and a vetted-format file of profile notes.
const FILES: &[(&str, &str)] = &[
    ("export/Invitations.csv", include_str!("../assets/demo/Invitations.csv")),
    ("export/Connections.csv", include_str!("../assets/demo/Connections.csv")),
    ("profiles.toml", include_str!("../assets/demo/profiles.toml")),
];

/// Creates the demo store in a private temporary folder (removed when the `TempDir` drops):
/// an earlier decline, then the sample export and profile notes, as a user would import them.
pub fn open() -> Result<(tempfile::TempDir, Store)> {
    let dir = tempfile::Builder::new()
        .prefix("vetted-demo-")
        .tempdir()
        .map_err(|e| Error::io("cannot create a folder for the demo store", e))?;
    for (name, contents) in FILES {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a file in a folder"))
            .and_then(|()| std::fs::write(&path, contents))
            .map_err(|e| Error::io(format!("{}: cannot write the demo data", path.display()), e))?;
    }
    let mut store = Store::open(&dir.path().join("demo.db"), false)?;
    // Victor asked in the spring and was declined; his new request shows as "asked again".
    let (earlier, _) = store.add_request(&NewRequest {
        name: "Victor Dubois".into(),
        profile_url: Some("https://www.linkedin.com/in/victor-dubois".into()),
        headline: Some("Sales Director, CloudCo".into()),
        message: "Hi Sam, our platform can cut your cloud bill in half. 15 minutes this week?".into(),
        sent_at_raw: Some("3/2/26, 10:00 AM".into()),
        sent_at: import::dates::linkedin_sent_at("3/2/26, 10:00 AM"),
        source: "linkedin".into(),
        hints: vec![import::hints::SALES_PHRASING.into()],
        ..NewRequest::default()
    })?;
    let answers: Answers = [("selling".to_string(), true), ("personalized_why".to_string(), false)].into();
    store.decide(earlier, Verdict::Decline, "selling cloud software; no personal connection", &answers)?;
    import::import(&mut store, &dir.path().join("export"), Options::default())?;
    import::import(&mut store, &dir.path().join("profiles.toml"), Options::default())?;
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
}
