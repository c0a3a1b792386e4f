//! Sync through a folder the user already syncs (Syncthing, Dropbox, iCloud Drive, Nextcloud,
//! git): the foundation, pure and not yet wired to the store, the CLI or the app. See
//! docs/sync.md for the model, the file format and what the integration still has to do.
//!
//! - [`hlc`]: hybrid logical clock stamps, a total order all devices agree on.
//! - [`event`]: the changes that travel, with ids (device + counter) and stamps.
//! - [`crypt`]: the sync key (XChaCha20-Poly1305), its 0600 file, forget marks.
//! - [`segment`]: one segment file as bytes: plain header, sealed events, checksum.
//! - [`folder`]: `DIR/vetted-sync/<device>/<seq:08>.seg` on disk: scan and write.
//! - [`plan`]: what to apply next, what is wrong, the positions after.
//! - [`merge`]: the merge rule on plain data (a replica that converges).
//!
//! Layer: uses `model`, `partial` and plain crates only; nothing here knows the store.

pub mod crypt;
pub mod event;
#[cfg(test)]
mod flow_tests;
pub mod folder;
pub mod hlc;
pub mod merge;
pub mod plan;
pub mod segment;
#[cfg(test)]
mod testdata;

pub use crypt::SyncKey;
pub use event::{Change, Event, EventId, Journal, RequestKey};
pub use hlc::{Clock, Hlc};
pub use merge::{Replica, State};
pub use plan::{Plan, Position, Positions, Problem, plan};
