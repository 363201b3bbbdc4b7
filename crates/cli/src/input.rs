//! Reading a file from outside with its format's size limit: no more than
//! the limit is ever read, so a huge file (or an endless pipe) is refused
//! at once instead of filling memory.

use std::io::Read;

/// The text of `path` (`-`: stdin), refused when over `max` bytes; the
/// message says what `what` may hold.
pub fn read_at_most(path: &str, max: usize, what: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin()
            .take(max as u64 + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(max as u64 + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| format!("cannot read {path}: {e}"))?;
    if bytes.len() > max {
        return Err(format!(
            "{path} is more than the {max} bytes a {what} may have"
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("{path} is not UTF-8 text"))
}
