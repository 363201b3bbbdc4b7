//! A node's promises on disk: term, vote, snapshot and log, as JSON lines
//! in one file, fsynced before the node says anything that depends on them.
//!
//! Normal steps append (a vote line, an entries line) and `fdatasync`. A new
//! snapshot, or a log that lost entries it had, rewrites the file whole:
//! written aside, fsynced, renamed over, and the directory fsynced, so a
//! crash leaves either the old file or the new one. A crash in the middle of
//! an append leaves a torn last line, which was never synced and so never
//! acted on: reading drops it.

use quorum_sim::msg::{Entry, NodeId, Snapshot};
use quorum_sim::node::Node;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

const FILE: &str = "node.jsonl";
const TEMP: &str = "node.jsonl.tmp";

#[derive(Serialize, Deserialize)]
enum Record<'a> {
    /// First line of a rewritten file: everything up to its last index.
    Snapshot(Cow<'a, Snapshot>),
    Vote {
        term: u64,
        voted_for: Option<NodeId>,
    },
    /// Entries from their first index on; any held from there are replaced.
    Entries(Cow<'a, [Entry]>),
}

/// What a node keeps across a restart.
#[derive(Debug, Default, PartialEq)]
pub struct Durable {
    pub term: u64,
    pub voted_for: Option<NodeId>,
    pub snapshot: Snapshot,
    pub log: Vec<Entry>,
}

/// What the file holds, in a few numbers: a node whose numbers match has
/// nothing new to save. The log needs only its last (index, term): logs
/// that agree on an entry agree on everything before it (Raft's log
/// matching), so entries can only have changed if that entry did.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Mark {
    term: u64,
    voted_for: Option<NodeId>,
    snapshot_index: u64,
    last_index: u64,
    last_term: u64,
}

impl Durable {
    fn mark(&self) -> Mark {
        Mark {
            term: self.term,
            voted_for: self.voted_for,
            snapshot_index: self.snapshot.last_index,
            last_index: self.snapshot.last_index + self.log.len() as u64,
            last_term: self.log.last().map_or(self.snapshot.last_term, |e| e.term),
        }
    }
}

impl Mark {
    fn of(node: &Node) -> Mark {
        Mark {
            term: node.term(),
            voted_for: node.voted_for(),
            snapshot_index: node.snapshot_index(),
            last_index: node.last_index(),
            last_term: node.last_term(),
        }
    }
}

pub struct Disk {
    dir: PathBuf,
    file: File,
    saved: Mark,
}

impl Disk {
    /// Opens `dir` (creating it), reading back what an earlier run saved.
    pub fn open(dir: &Path) -> io::Result<(Disk, Durable)> {
        fs::create_dir_all(dir)?;
        let durable = match fs::read_to_string(dir.join(FILE)) {
            Ok(text) => replay(&text)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Durable::default(),
            Err(e) => return Err(e),
        };
        // Starts a clean file: no torn tail for the next append to follow.
        let file = rewrite(dir, &durable)?;
        let disk = Disk {
            dir: dir.to_path_buf(),
            file,
            saved: durable.mark(),
        };
        Ok((disk, durable))
    }

    /// Makes the node's durable state safe on disk; returns once synced.
    pub fn save(&mut self, node: &Node) -> io::Result<()> {
        let mark = Mark::of(node);
        let was = self.saved;
        if mark == was {
            return Ok(());
        }
        let lost_entries = mark.snapshot_index != was.snapshot_index
            || node.term_at(was.last_index) != Some(was.last_term);
        if lost_entries {
            let durable = Durable {
                term: mark.term,
                voted_for: mark.voted_for,
                snapshot: node.snapshot().clone(),
                log: node.log().to_vec(),
            };
            self.file = rewrite(&self.dir, &durable)?;
        } else {
            let mut lines = String::new();
            if (mark.term, mark.voted_for) != (was.term, was.voted_for) {
                push_line(&mut lines, &vote(mark.term, mark.voted_for));
            }
            if mark.last_index > was.last_index {
                let from = (was.last_index - mark.snapshot_index) as usize;
                push_line(
                    &mut lines,
                    &Record::Entries(Cow::Borrowed(&node.log()[from..])),
                );
            }
            self.file.write_all(lines.as_bytes())?;
            self.file.sync_data()?;
        }
        self.saved = mark;
        Ok(())
    }
}

/// Replaces the file whole; returns it opened for appending.
fn rewrite(dir: &Path, d: &Durable) -> io::Result<File> {
    let mut lines = String::new();
    push_line(&mut lines, &Record::Snapshot(Cow::Borrowed(&d.snapshot)));
    push_line(&mut lines, &vote(d.term, d.voted_for));
    push_line(&mut lines, &Record::Entries(Cow::Borrowed(&d.log)));
    let temp = dir.join(TEMP);
    let mut file = File::create(&temp)?;
    file.write_all(lines.as_bytes())?;
    file.sync_all()?;
    fs::rename(&temp, dir.join(FILE))?;
    File::open(dir)?.sync_all()?;
    OpenOptions::new().append(true).open(dir.join(FILE))
}

fn vote(term: u64, voted_for: Option<NodeId>) -> Record<'static> {
    Record::Vote { term, voted_for }
}

fn push_line(lines: &mut String, record: &Record) {
    lines.push_str(&serde_json::to_string(record).expect("records serialize"));
    lines.push('\n');
}

fn replay(text: &str) -> io::Result<Durable> {
    let mut d = Durable::default();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        let record = match serde_json::from_str::<Record>(line) {
            Ok(record) if line.ends_with('\n') => record,
            _ if i + 1 == lines.len() => break,
            Ok(_) | Err(_) => return Err(corrupt(format!("line {} is not a record", i + 1))),
        };
        match record {
            Record::Snapshot(s) => {
                d.snapshot = s.into_owned();
                d.log.clear();
            }
            Record::Vote { term, voted_for } => (d.term, d.voted_for) = (term, voted_for),
            Record::Entries(entries) => {
                for entry in entries.iter() {
                    let Some(pos) = entry.index.checked_sub(d.snapshot.last_index + 1) else {
                        continue;
                    };
                    if pos as usize > d.log.len() {
                        return Err(corrupt(format!(
                            "line {}: a gap before entry {}",
                            i + 1,
                            entry.index
                        )));
                    }
                    d.log.truncate(pos as usize);
                    d.log.push(entry.clone());
                }
            }
        }
    }
    Ok(d)
}

fn corrupt(why: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("{FILE}: {why}"))
}

#[cfg(test)]
mod tests;
