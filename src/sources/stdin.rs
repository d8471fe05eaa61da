//! Standard input (`credsweep scan -`): read whole, up to the size limit, with the binary check, and scanned as
//! generic text under the name `<stdin>` (no format is known, so no parser runs).
use std::path::Path;

use super::Worker;
use crate::{
    read::Outcome,
    reason::io_reason,
    scanner::{FileKind, Input},
};

/// The path standard input is reported under.
pub const STDIN_PATH: &str = "<stdin>";

impl Worker {
    /// Scan standard input, then send the counters.
    pub fn stdin(&mut self) {
        self.feed.counters.files_seen += 1;
        let input = Input::of_kind(Path::new(STDIN_PATH), FileKind::Generic);
        match self.reader.read_stdin() {
            Ok(Outcome::Text(hay, _)) => self.feed.scan(&input, hay),
            // Standard input is read whole (up to the size limit); a large variant never comes back from it.
            Ok(Outcome::Large(mut lf)) => self.stream(&mut lf, &input),
            Ok(Outcome::Skipped(why)) => self.feed.skip(why),
            Err(e) => self.feed.error(Some(input.origin.path), io_reason(&e)),
        }
        self.feed.flush();
    }
}
