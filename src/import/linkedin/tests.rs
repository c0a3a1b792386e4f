//! LinkedIn's parser on plain data: a loader that keeps what it is given in lists, no store.

use super::{connections_file, folder, invitations_file};
use crate::import::loader::{FileRole, Loader, Outgoing, Progress, Restored, Work};
use crate::import::{ImportError, Result};
use crate::model::NewRequest;
use crate::store::StoreError;
use std::path::Path;
use std::sync::Mutex;

/// Keeps every record as it arrives.
#[derive(Default)]
struct Kept {
    files: Vec<(String, FileRole)>,
    requests: Vec<NewRequest>,
    connections: Vec<(Option<String>, String, String)>,
    outgoing: Vec<Option<Outgoing>>,
    blank_connections: u32,
    problems: Vec<(String, String)>,
    notes: Vec<String>,
}

impl Loader for Kept {
    fn file(&mut self, name: String, role: FileRole) -> Result<()> {
        self.files.push((name, role));
        Ok(())
    }
    fn request(&mut self, req: &NewRequest) -> Result<()> {
        self.requests.push(req.clone());
        Ok(())
    }
    fn connection(&mut self, url: Option<&str>, name: &str, connected_on: &str) -> Result<()> {
        self.connections.push((url.map(str::to_string), name.into(), connected_on.into()));
        Ok(())
    }
    fn restore(&mut self, _: Restored) -> std::result::Result<(), StoreError> {
        unreachable!("LinkedIn's export holds no backup rows")
    }
    fn outgoing(&mut self, invitee: Option<Outgoing>) -> Result<()> {
        self.outgoing.push(invitee);
        Ok(())
    }
    fn blank_connection(&mut self) {
        self.blank_connections += 1;
    }
    fn problem(&mut self, at: String, reason: String) {
        self.problems.push((at, reason));
    }
    fn note(&mut self, note: String) {
        self.notes.push(note);
    }
}

fn file(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn invitations(text: &str) -> Result<Kept> {
    let dir = tempfile::tempdir().unwrap();
    let mut kept = Kept::default();
    invitations_file(&mut kept, &file(dir.path(), "Invitations.csv", text), None)?;
    Ok(kept)
}

const ROW: &str = "Greta Holm,Pat Tester,\"3/14/21, 9:05 AM\",\"Hi Pat, we met at the meetup\",INCOMING";

#[test]
fn the_three_header_variants_give_the_same_request() {
    let plain = invitations(&format!("From,To,Sent At,Message,Direction\n{ROW}\n")).unwrap();
    let urn = invitations(&format!(
        "From,To,Sent At,Message,Direction,inviterProfileUrn,inviteeProfileUrn\n{ROW},urn:li:member:1234567,urn:li:member:7\n"
    ))
    .unwrap();
    let url = invitations(&format!(
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n{ROW},https://www.linkedin.com/in/greta-holm/,https://www.linkedin.com/in/pat\n"
    ))
    .unwrap();
    for kept in [&plain, &urn, &url] {
        assert_eq!(kept.requests.len(), 1, "{:?}", kept.problems);
        let req = &kept.requests[0];
        assert_eq!(req.name, "Greta Holm");
        assert_eq!(req.message, "Hi Pat, we met at the meetup");
        assert_eq!(req.sent_at_raw.as_deref(), Some("3/14/21, 9:05 AM"));
        assert!(req.sent_at.as_deref().is_some_and(|at| at.starts_with("2021-03-14")), "{:?}", req.sent_at);
        assert_eq!(req.source, "linkedin");
        assert_eq!(kept.files.len(), 1);
        assert_eq!(kept.files[0].1, FileRole::Invitations);
    }
    assert_eq!((plain.requests[0].urn.as_deref(), plain.requests[0].profile_url.as_deref()), (None, None));
    assert_eq!(urn.requests[0].urn.as_deref(), Some("urn:li:member:1234567"));
    assert_eq!(url.requests[0].profile_url.as_deref(), Some("https://www.linkedin.com/in/greta-holm"));
}

#[test]
fn what_a_spreadsheet_writes_for_an_empty_cell_is_empty() {
    let kept = invitations(
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n\
         Farid Karimi,Pat Tester,\"2/1/21, 11:59 PM\",NA,INCOMING,#N/A,NULL\n\
         Ines Curie,Pat Tester,\"2/2/21, 8:00 AM\", n/a ,INCOMING,N/A,x\n",
    )
    .unwrap();
    assert_eq!(kept.requests.len(), 2, "{:?}", kept.problems);
    for req in &kept.requests {
        assert_eq!((req.message.as_str(), req.profile_url.as_deref()), ("", None), "{}", req.name);
    }
}

#[test]
fn outgoing_rows_are_skipped_not_stored_and_a_bad_direction_is_a_problem() {
    let kept = invitations(&format!(
        "From,To,Sent At,Message,Direction\n{ROW}\n\
         Pat Tester,Luis Ortega,\"3/10/21, 2:00 PM\",,OUTGOING\n\
         Pat Tester,Ivo Petrov,\"3/11/21, 2:00 PM\",,outgoing\n\
         Nora Vik,Pat Tester,\"3/12/21, 2:00 PM\",,SIDEWAYS\n"
    ))
    .unwrap();
    assert_eq!(kept.requests.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["Greta Holm"]);
    let invitee = |name: &str, day: &str| Some(Outgoing { url: None, name: name.into(), day: day.into() });
    assert_eq!(kept.outgoing, [invitee("Luis Ortega", "2021-03-10"), invitee("Ivo Petrov", "2021-03-11")]);
    assert_eq!(kept.problems.len(), 1);
    assert!(kept.problems[0].0.ends_with("Invitations.csv:5"), "{:?}", kept.problems);
    assert!(kept.problems[0].1.contains("neither INCOMING nor OUTGOING"), "{:?}", kept.problems);
}

#[test]
fn namesakes_stay_two_requests_for_the_loader_to_tell_apart() {
    let kept = invitations(
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n\
         Ana Silva,Pat Tester,\"5/1/24, 9:00 AM\",Hi,INCOMING,https://www.linkedin.com/in/ana-silva-1,x\n\
         Ana Silva,Pat Tester,\"5/2/24, 9:00 AM\",Hello,INCOMING,https://www.linkedin.com/in/ana-silva-2,x\n\
         Ana Silva,Pat Tester,\"5/3/24, 9:00 AM\",Hey,INCOMING,,x\n",
    )
    .unwrap();
    assert_eq!(kept.requests.len(), 3);
    let keys: std::collections::HashSet<String> = kept.requests.iter().map(NewRequest::person_key).collect();
    assert_eq!(keys.len(), 3, "each namesake keeps a key of its own: {keys:?}");
}

#[test]
fn a_file_none_of_whose_rows_reads_is_refused() {
    let err = invitations("From,To,Sent At,Message,Direction\nNora Vik,Pat Tester,someday,,INCOMING\n").err().unwrap();
    assert!(matches!(&err, ImportError::Refused { reason, .. } if reason.contains("none of its 1 rows")), "{err}");
}

#[test]
fn connections_with_the_notes_preamble_and_blank_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(
        dir.path(),
        "Connections.csv",
        "Notes:\n\"When exporting your connection data…\"\n\n\
         First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
         Greta,Holm,https://www.linkedin.com/in/greta-holm,,Nordic Data,Analyst,20 Mar 2021\n\
         ,,,,,,02 Jan 2020\n\
         Ana,Silva,,,,,NA\n",
    );
    let mut kept = Kept::default();
    connections_file(&mut kept, &path, None).unwrap();
    assert_eq!(kept.files[0].1, FileRole::Connections);
    assert_eq!(
        kept.connections,
        [
            (Some("https://www.linkedin.com/in/greta-holm".into()), "Greta Holm".into(), "2021-03-20".into()),
            (None, "Ana Silva".into(), String::new()),
        ]
    );
    assert_eq!(kept.blank_connections, 1);
}

/// Records what the parser says of its progress.
#[derive(Default)]
struct Told(Mutex<Vec<String>>);

impl Progress for Told {
    fn begin(&self, work: Work<'_>, total: u64) {
        let Work::Reading(file) = work else { panic!("a parser only reads: {work:?}") };
        let name = Path::new(file).file_name().unwrap().to_string_lossy().into_owned();
        self.0.lock().unwrap().push(format!("begin {name} {total}"));
    }
    fn at(&self, _: u64) {}
    fn end(&self) {
        self.0.lock().unwrap().push("end".into());
    }
}

#[test]
fn an_export_folder_reads_connections_first_and_tells_its_progress() {
    let dir = tempfile::tempdir().unwrap();
    let inv = format!("From,To,Sent At,Message,Direction\n{ROW}\n");
    let con = "First Name,Last Name,Email Address,Company,Position,Connected On\nGreta,Holm,,,,20 Mar 2021\n";
    file(dir.path(), "Invitations.csv", &inv);
    file(dir.path(), "Connections.csv", con);
    let (mut kept, told) = (Kept::default(), Told::default());
    folder(&mut kept, dir.path(), Some(&told)).unwrap();
    let roles: Vec<FileRole> = kept.files.iter().map(|f| f.1).collect();
    assert_eq!(roles, [FileRole::Connections, FileRole::Invitations]);
    assert_eq!((kept.connections.len(), kept.requests.len()), (1, 1));
    assert_eq!(
        *told.0.lock().unwrap(),
        [
            format!("begin Connections.csv {}", con.len()),
            "end".into(),
            format!("begin Invitations.csv {}", inv.len()),
            "end".into()
        ]
    );
}

#[test]
fn a_zip_tells_how_big_its_invitations_are_before_any_entry_is_read() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.zip");
    let inv = format!("From,To,Sent At,Message,Direction\n{ROW}\n{ROW}\n");
    let con = "First Name,Last Name,Email Address,Company,Position,Connected On\nGreta,Holm,,,,20 Mar 2021\n";
    let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (name, text) in
        [("export/Connections.csv", con), ("export/Invitations.csv", inv.as_str()), ("export/Profile.csv", "x\n")]
    {
        w.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap();
    let archive = super::open_zip(&path).unwrap();
    assert_eq!(archive.invitation_bytes(), inv.len() as u64, "the invitations file, unzipped");
    let mut kept = Kept::default();
    super::zip(&mut kept, &path, archive, None).unwrap();
    assert_eq!((kept.connections.len(), kept.requests.len()), (1, 2));
}
