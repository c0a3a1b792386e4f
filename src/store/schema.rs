//! The schema, as an ordered list of migrations on `PRAGMA user_version`.
//!
//! Never edit a migration that has shipped: append a new one.

/// `PRAGMA application_id` of a vetted database ("VETD").
pub const APPLICATION_ID: i32 = 0x5645_5444;

/// Migration N (1-based) brings the schema from version N-1 to N.
pub const MIGRATIONS: &[&str] = &[
    // 1: people, requests, notes, checklist answers, decisions, import runs.
    r#"
    CREATE TABLE person (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,                 -- normalised profile URL, URN, or name:<name>
        name TEXT NOT NULL,
        profile_url TEXT,
        headline TEXT,
        company TEXT,
        location TEXT,
        mutual_connections INTEGER,
        shared_groups TEXT,
        introduced_by TEXT,
        connected_on TEXT                  -- set when Connections.csv lists them
    ) STRICT;
    CREATE UNIQUE INDEX person_key ON person(key);

    CREATE TABLE import_run (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        started_at TEXT NOT NULL,
        report TEXT NOT NULL DEFAULT '{}'
    ) STRICT;

    CREATE TABLE request (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES person(id),
        source TEXT NOT NULL,
        sent_at TEXT NOT NULL DEFAULT '',  -- UTC RFC 3339; '' when unknown
        sent_at_raw TEXT,                  -- as the source wrote it
        message TEXT NOT NULL DEFAULT '',
        hints TEXT NOT NULL DEFAULT '',    -- comma-separated hint keys
        -- (OR rather than IN: an IN list costs a temporary table on every insert)
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR status = 'accepted'
            OR status = 'declined' OR status = 'deferred' OR status = 'connected' OR status = 'withdrawn'),
        earlier_decline INTEGER REFERENCES decision(id),  -- set when a declined person asks again
        import_run INTEGER REFERENCES import_run(id),
        added_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX request_person ON request(person_id, sent_at_raw);
    CREATE INDEX request_queue ON request(status, sent_at, id);

    CREATE TABLE note (
        person_id INTEGER PRIMARY KEY REFERENCES person(id),
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE answer (
        request_id INTEGER NOT NULL REFERENCES request(id),
        item TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value = 0 OR value = 1),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (request_id, item)
    ) STRICT, WITHOUT ROWID;

    -- Append-only: a change of mind or an undo is a new row that supersedes the old one.
    CREATE TABLE decision (
        id INTEGER PRIMARY KEY,
        request_id INTEGER NOT NULL REFERENCES request(id),
        status TEXT NOT NULL
            CHECK (status = 'pending' OR status = 'accepted' OR status = 'declined' OR status = 'deferred'),
        reason TEXT NOT NULL DEFAULT '',
        answers TEXT NOT NULL DEFAULT '{}', -- the checklist as it was, JSON
        supersedes INTEGER REFERENCES decision(id),
        undo INTEGER NOT NULL DEFAULT 0,
        decided_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX decision_request ON decision(request_id, id);
    CREATE TRIGGER decision_append_only BEFORE UPDATE ON decision
    BEGIN
        SELECT RAISE(ABORT, 'decisions are append-only');
    END;
    "#,
    // 2: the review session's search index (caught up incrementally above a watermark, so
    // imports pay nothing), its state, and each request's rank in the recommendation order.
    r#"
    CREATE VIRTUAL TABLE request_fts USING fts5(
        name, headline, message, notes,
        content = '', contentless_delete = 1, tokenize = 'trigram'
    );
    CREATE TABLE review_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;
    CREATE TABLE review_rank (
        request_id INTEGER PRIMARY KEY REFERENCES request(id),
        rank INTEGER NOT NULL CHECK (rank IN (0, 1, 2))
    ) STRICT;
    CREATE INDEX review_rank_rank ON review_rank(rank, request_id);
    "#,
    // 3: deferrals with a date they come back, and decisions carried out on LinkedIn.
    r#"
    ALTER TABLE decision ADD COLUMN defer_until TEXT;   -- NULL: back at the next session
    ALTER TABLE request ADD COLUMN defer_until TEXT;
    ALTER TABLE request ADD COLUMN done_on_linkedin TEXT; -- when the decision was carried out there
    CREATE INDEX request_linkedin_todo ON request(id)
        WHERE source = 'linkedin' AND done_on_linkedin IS NULL AND (status = 'accepted' OR status = 'declined');
    "#,
    // 4: tombstones of forgotten people (`vetted forget`): no name, no key, only the date and
    // what was removed, so the log's counts stay explainable.
    r#"
    CREATE TABLE forgotten (
        id INTEGER PRIMARY KEY,
        forgotten_on TEXT NOT NULL,        -- YYYY-MM-DD (UTC)
        requests INTEGER NOT NULL,
        decisions INTEGER NOT NULL,
        statuses TEXT NOT NULL DEFAULT '{}', -- JSON: their requests' statuses when forgotten, counted
        scrubbed INTEGER NOT NULL DEFAULT 0    -- 1 once no deleted byte remains in the file or WAL
    ) STRICT;
    "#,
    // 5: a trigram index of decision reasons and their status (rowid = decision id; a
    // decision row never changes), caught up by watermark like the request index, so that text
    // filters of the log never scan a million reasons.
    r#"
    CREATE VIRTUAL TABLE reason_fts USING fts5(
        reason, status, content = '', contentless_delete = 1, tokenize = 'trigram'
    );
    "#,
    // 6: the user's connections as Connections.csv lists them, kept so that an invitation
    // imported later (or a lone Invitations.csv) is matched against them; the name as compared
    // (`model::name_key`) of each person without a profile URL, whom only the name can match.
    // `connections::derive_from_people` fills both from what the store already knows.
    r#"
    CREATE TABLE connection (
        id INTEGER PRIMARY KEY,
        url TEXT,                          -- normalised profile URL; NULL when the row has none
        name_key TEXT NOT NULL,
        name TEXT NOT NULL,
        connected_on TEXT NOT NULL DEFAULT ''  -- YYYY-MM-DD; '' when unknown
    ) STRICT;
    CREATE UNIQUE INDEX connection_url ON connection(url) WHERE url IS NOT NULL;
    CREATE UNIQUE INDEX connection_unnamed ON connection(name_key, connected_on) WHERE url IS NULL;
    CREATE INDEX connection_name ON connection(name_key);
    ALTER TABLE person ADD COLUMN name_key TEXT NOT NULL DEFAULT '';  -- '' for people with a URL
    CREATE INDEX person_name_key ON person(name_key) WHERE name_key != '';
    "#,
    // 7: batches: decisions made together (many requests, one reason) share a batch id, so the
    // log can show them together and one undo takes them all back.
    r#"
    ALTER TABLE decision ADD COLUMN batch INTEGER;   -- NULL: decided on its own
    CREATE INDEX decision_batch ON decision(batch) WHERE batch IS NOT NULL;
    "#,
    // 8: the To do list in groups (accepts, then ignores), each a range of its own; the pending
    // requests with each hint, in queue order, so that a filter by a rare hint is a short walk.
    // (`store/query_sql.rs` writes the hint term exactly as these indexes do.)
    r#"
    CREATE INDEX request_hint_no_message ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || hints || ',', ',no_message,') > 0;
    CREATE INDEX request_hint_template_leftover ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || hints || ',', ',template_leftover,') > 0;
    CREATE INDEX request_hint_sales_phrasing ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || hints || ',', ',sales_phrasing,') > 0;
    CREATE INDEX request_hint_duplicate_message ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || hints || ',', ',duplicate_message,') > 0;
    CREATE INDEX request_hint_hidden_characters ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || hints || ',', ',hidden_characters,') > 0;
    DROP INDEX request_linkedin_todo;
    CREATE INDEX request_linkedin_todo ON request(status, id)
        WHERE source = 'linkedin' AND done_on_linkedin IS NULL AND (status = 'accepted' OR status = 'declined');
    "#,
    // 9: `replaced`: the older invitation of someone who sent a newer one (one person, one
    // queue entry), told apart from `withdrawn` (gone from LinkedIn). A CHECK cannot be
    // altered: the table is built again (foreign keys off for this step: see `migrate`), the
    // replaced ones (withdrawn, with a newer request of the same person that is not) moved to
    // the new status. And `not_listed`: a declined request older than everything a newer
    // whole export holds (LinkedIn no longer lists it: probably ignored there).
    r#"
    CREATE TABLE request_new (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES person(id),
        source TEXT NOT NULL,
        sent_at TEXT NOT NULL DEFAULT '',
        sent_at_raw TEXT,
        message TEXT NOT NULL DEFAULT '',
        hints TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR status = 'accepted'
            OR status = 'declined' OR status = 'deferred' OR status = 'connected' OR status = 'withdrawn'
            OR status = 'replaced'),
        earlier_decline INTEGER REFERENCES decision(id),
        import_run INTEGER REFERENCES import_run(id),
        added_at TEXT NOT NULL,
        defer_until TEXT,
        done_on_linkedin TEXT,
        not_listed TEXT                    -- YYYY-MM-DD: the newest invitation of the export that lacked it
    ) STRICT;
    INSERT INTO request_new (id, person_id, source, sent_at, sent_at_raw, message, hints, status,
            earlier_decline, import_run, added_at, defer_until, done_on_linkedin)
        SELECT id, person_id, source, sent_at, sent_at_raw, message, hints, status,
            earlier_decline, import_run, added_at, defer_until, done_on_linkedin FROM request;
    DROP TABLE request;
    ALTER TABLE request_new RENAME TO request;
    CREATE INDEX request_person ON request(person_id, sent_at_raw);
    CREATE INDEX request_queue ON request(status, sent_at, id);
    CREATE INDEX request_linkedin_todo ON request(status, id)
        WHERE source = 'linkedin' AND done_on_linkedin IS NULL AND (status = 'accepted' OR status = 'declined');
    CREATE INDEX request_hint_no_message ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || hints || ',', ',no_message,') > 0;
    CREATE INDEX request_hint_template_leftover ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || hints || ',', ',template_leftover,') > 0;
    CREATE INDEX request_hint_sales_phrasing ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || hints || ',', ',sales_phrasing,') > 0;
    CREATE INDEX request_hint_duplicate_message ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || hints || ',', ',duplicate_message,') > 0;
    CREATE INDEX request_hint_hidden_characters ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || hints || ',', ',hidden_characters,') > 0;
    UPDATE request SET status = 'replaced' WHERE status = 'withdrawn' AND EXISTS (
        SELECT 1 FROM request n WHERE n.person_id = request.person_id AND n.id != request.id
          AND n.status != 'withdrawn' AND n.sent_at > request.sent_at);
    "#,
    // 10: a batch's decisions and undos counted from the index alone (`vetted log` counts each
    // batch it lists: a batch of 200,000 took 45 ms through the table, 14 ms this way).
    r#"
    CREATE INDEX decision_batch_undo ON decision(batch, undo) WHERE batch IS NOT NULL;
    DROP INDEX decision_batch;
    "#,
    // 11: evidence (issue 22): each request's findings as suggestions with their why, the
    // campaign key of its note (counted across every import), the user's own outgoing
    // invitations (kept to tell "you invited them too"), the phrase lists' fingerprint the
    // findings were made with, and the evidence a decision was made on. `no_note` is not
    // stored: it is the empty message itself (`store/findings.rs` reads it back).
    r#"
    CREATE TABLE finding (
        request_id INTEGER NOT NULL REFERENCES request(id),
        seq INTEGER NOT NULL,              -- its place among the request's findings, red flags first
        detector TEXT NOT NULL,            -- evidence::Detector::name
        item TEXT,                         -- the checklist item; NULL for a recruiter
        answer INTEGER NOT NULL CHECK (answer = 0 OR answer = 1),
        why TEXT NOT NULL,
        words TEXT NOT NULL DEFAULT '[]',  -- JSON array: the note's own words behind it
        fact TEXT,
        PRIMARY KEY (request_id, seq)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX finding_detector ON finding(detector, request_id);
    CREATE TABLE campaign_key (
        request_id INTEGER PRIMARY KEY REFERENCES request(id),
        key TEXT NOT NULL                  -- evidence::campaign_key of the note
    ) STRICT;
    CREATE INDEX campaign_key_key ON campaign_key(key);
    CREATE TABLE outgoing_invitation (
        id INTEGER PRIMARY KEY,
        url TEXT,                          -- normalised profile URL of the invitee; NULL when none
        name_key TEXT NOT NULL,
        sent_on TEXT NOT NULL DEFAULT ''   -- YYYY-MM-DD; '' when unknown
    ) STRICT;
    CREATE UNIQUE INDEX outgoing_invitation_row ON outgoing_invitation(coalesce(url, ''), name_key, sent_on);
    CREATE INDEX outgoing_invitation_url ON outgoing_invitation(url) WHERE url IS NOT NULL;
    CREATE INDEX outgoing_invitation_name ON outgoing_invitation(name_key);
    CREATE TABLE evidence_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;
    ALTER TABLE decision ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]'; -- JSON: the findings it was made on
    "#,
    // 12: the deferred requests by the day they come back: the check for due deferrals before
    // the app's first frame reads only those due (42,820 deferred took 295-369 ms through
    // every deferred request and its last decision).
    r#"
    CREATE INDEX request_deferred ON request(defer_until) WHERE status = 'deferred';
    "#,
    // 13: the detectors of each request's findings, comma-separated (written with them), and
    // the pending requests with each, in queue order (as the hints of migration 8), so that an
    // `ev:` term is a short walk and a count from the index alone (through `finding`, a count
    // of `ev:sales` on 1M requests took 640 ms). `store/query_sql.rs` writes the term exactly so.
    r#"
    ALTER TABLE request ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
    CREATE INDEX request_ev_sales ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || evidence || ',', ',sales,') > 0;
    CREATE INDEX request_ev_scam ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || evidence || ',', ',scam,') > 0;
    CREATE INDEX request_ev_collector ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || evidence || ',', ',collector,') > 0;
    CREATE INDEX request_ev_stock ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || evidence || ',', ',stock,') > 0;
    CREATE INDEX request_ev_recruiter ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || evidence || ',', ',recruiter,') > 0;
    CREATE INDEX request_ev_template ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || evidence || ',', ',template,') > 0;
    CREATE INDEX request_ev_campaign ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || evidence || ',', ',campaign,') > 0;
    CREATE INDEX request_ev_personal ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || evidence || ',', ',personal,') > 0;
    CREATE INDEX request_ev_introduced ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || evidence || ',', ',introduced,') > 0;
    CREATE INDEX request_ev_invited_them ON request(status, sent_at, id)
        WHERE status = 'pending' AND instr(',' || evidence || ',', ',invited_them,') > 0;
    UPDATE request SET evidence = (SELECT group_concat(f.detector, ',') FROM finding f WHERE f.request_id = request.id)
        WHERE id IN (SELECT request_id FROM finding);
    "#,
    // 14: sync through a folder (docs/sync.md): this store as a device (one row, only when
    // `vetted sync init|join` made it one), its events not yet written to the folder, how far
    // it applied each other device, the stamp of every decision row and of what is kept
    // latest-wins (notes, answers, To do marks, profile info), the local batch of another
    // device's batch, and the forget marks applied. The stamp tables refer to their rows, so a
    // forget removes them with the person.
    r#"
    CREATE TABLE sync_device (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        device TEXT NOT NULL,
        instance BLOB NOT NULL,
        dir TEXT NOT NULL,
        key_file TEXT NOT NULL,
        counter INTEGER NOT NULL DEFAULT 0,   -- the last event's number
        last_wall INTEGER,                    -- the last stamp made or observed
        last_counter INTEGER,
        written INTEGER NOT NULL DEFAULT 0    -- the last segment written
    ) STRICT;
    CREATE TABLE sync_unsent (
        counter INTEGER PRIMARY KEY,
        event TEXT NOT NULL                   -- the event as JSON
    ) STRICT;
    CREATE TABLE sync_position (
        device TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        instance BLOB NOT NULL,
        applied_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE sync_decision (
        decision_id INTEGER PRIMARY KEY REFERENCES decision(id),
        wall INTEGER NOT NULL,
        counter INTEGER NOT NULL,
        device TEXT NOT NULL,                 -- the stamp's device: the one that decided
        event INTEGER NOT NULL                -- the event's number on that device
    ) STRICT;
    CREATE UNIQUE INDEX sync_decision_event ON sync_decision(device, event);
    CREATE TABLE sync_person_stamp (
        person_id INTEGER NOT NULL REFERENCES person(id),
        kind TEXT NOT NULL,                   -- note, profile, connected
        wall INTEGER NOT NULL,
        counter INTEGER NOT NULL,
        device TEXT NOT NULL,
        PRIMARY KEY (person_id, kind)
    ) STRICT;
    CREATE TABLE sync_request_stamp (
        request_id INTEGER NOT NULL REFERENCES request(id),
        kind TEXT NOT NULL,                   -- answers, todo, status
        wall INTEGER NOT NULL,
        counter INTEGER NOT NULL,
        device TEXT NOT NULL,
        PRIMARY KEY (request_id, kind)
    ) STRICT;
    CREATE TABLE sync_note_version (
        person_id INTEGER NOT NULL REFERENCES person(id),
        wall INTEGER NOT NULL,
        counter INTEGER NOT NULL,
        device TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (person_id, wall, counter, device)
    ) STRICT;
    CREATE TABLE sync_batch (
        device TEXT NOT NULL,
        event INTEGER NOT NULL,
        batch INTEGER NOT NULL,
        PRIMARY KEY (device, event)
    ) STRICT;
    CREATE TABLE sync_mark (mark TEXT PRIMARY KEY) STRICT;
    "#,
    // 15: the `ev:` indexes test `evidence <> ''` first: the 96 % of requests without findings
    // cost one comparison per index when inserted, so they are kept through a bulk import
    // rather than built at its end (ten builds cost about 3 s of a 1M import).
    r#"
    DROP INDEX request_ev_sales;
    CREATE INDEX request_ev_sales ON request(status, sent_at, id)
        WHERE evidence <> '' AND status = 'pending' AND instr(',' || evidence || ',', ',sales,') > 0;
    DROP INDEX request_ev_scam;
    CREATE INDEX request_ev_scam ON request(status, sent_at, id)
        WHERE evidence <> '' AND status = 'pending' AND instr(',' || evidence || ',', ',scam,') > 0;
    DROP INDEX request_ev_collector;
    CREATE INDEX request_ev_collector ON request(status, sent_at, id)
        WHERE evidence <> '' AND status = 'pending' AND instr(',' || evidence || ',', ',collector,') > 0;
    DROP INDEX request_ev_stock;
    CREATE INDEX request_ev_stock ON request(status, sent_at, id)
        WHERE evidence <> '' AND status = 'pending' AND instr(',' || evidence || ',', ',stock,') > 0;
    DROP INDEX request_ev_recruiter;
    CREATE INDEX request_ev_recruiter ON request(status, sent_at, id)
        WHERE evidence <> '' AND status = 'pending' AND instr(',' || evidence || ',', ',recruiter,') > 0;
    DROP INDEX request_ev_template;
    CREATE INDEX request_ev_template ON request(status, sent_at, id)
        WHERE evidence <> '' AND status = 'pending' AND instr(',' || evidence || ',', ',template,') > 0;
    DROP INDEX request_ev_campaign;
    CREATE INDEX request_ev_campaign ON request(status, sent_at, id)
        WHERE evidence <> '' AND status = 'pending' AND instr(',' || evidence || ',', ',campaign,') > 0;
    DROP INDEX request_ev_personal;
    CREATE INDEX request_ev_personal ON request(status, sent_at, id)
        WHERE evidence <> '' AND status = 'pending' AND instr(',' || evidence || ',', ',personal,') > 0;
    DROP INDEX request_ev_introduced;
    CREATE INDEX request_ev_introduced ON request(status, sent_at, id)
        WHERE evidence <> '' AND status = 'pending' AND instr(',' || evidence || ',', ',introduced,') > 0;
    DROP INDEX request_ev_invited_them;
    CREATE INDEX request_ev_invited_them ON request(status, sent_at, id)
        WHERE evidence <> '' AND status = 'pending' AND instr(',' || evidence || ',', ',invited_them,') > 0;
    "#, // 16: the texts a note's text was written over, to tell an edit over another device's
    // text from one beside it (JSON list of stamps).
    "ALTER TABLE sync_note_version ADD COLUMN replaces TEXT NOT NULL DEFAULT '[]';",
    // 17: the requests with a note: with no rank row for the silent ones, "undecided" is a
    // request with a note (or a row), found here rather than by reading every request. One
    // comparison per insert for the 96 % without a note, so a bulk import keeps it.
    "CREATE INDEX request_noted ON request(status, sent_at, id) WHERE message <> '';",
    // 18: findings by detector are found through `request.evidence` (13) since its `ev:`
    // indexes: this one was written for every finding and read by nothing.
    "DROP INDEX finding_detector;",
];

/// Migrations that rebuild a table others refer to: they run with foreign keys off (a
/// pragma that cannot change inside a transaction); the rows keep their ids.
pub const REBUILDS: &[i32] = &[9];

/// The person key index, as a bulk import that outgrows its map of people makes it again.
pub const PERSON_KEY_INDEX: &str = "CREATE UNIQUE INDEX IF NOT EXISTS person_key ON person(key)";

/// Indexes a bulk import into an empty store drops and builds again once all rows are in.
pub const BULK_DEFERRED_INDEXES: &[&str] = &[
    "person_key",
    "person_name_key",
    "request_queue",
    "request_hint_no_message",
    "request_hint_template_leftover",
    "request_hint_sales_phrasing",
    "request_hint_duplicate_message",
    "request_hint_hidden_characters",
    "review_rank_rank",
];

/// The triggers and views vetted's schema makes (type, name): any other is foreign.
pub const OWN_TRIGGERS_AND_VIEWS: &[(&str, &str)] = &[("trigger", "decision_append_only")];

/// The schema version this build writes.
pub fn latest_version() -> i32 {
    MIGRATIONS.len() as i32
}
