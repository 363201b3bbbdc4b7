//! Reading a file from outside with its format's size limit: no more than
//! the limit is ever read, so a huge file (or an endless pipe) is refused
//! at once instead of filling memory.

use crate::errors::InputError;
use std::io::Read;

/// The text of `path` (`-`: stdin), refused when over `max` bytes; the
/// message says what `what` may hold.
pub fn read_at_most(path: &str, max: usize, what: &'static str) -> Result<String, InputError> {
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin()
            .take(max as u64 + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(max as u64 + 1).read_to_end(&mut bytes))
    };
    let path = || path.to_string();
    read.map_err(|source| InputError::Read {
        path: path(),
        source,
    })?;
    if bytes.len() > max {
        return Err(InputError::TooLarge {
            path: path(),
            max,
            what,
        });
    }
    String::from_utf8(bytes).map_err(|_| InputError::NotUtf8 { path: path() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_refused_when_missing_too_large_or_not_text() {
        let dir = std::env::temp_dir().join(format!("quorum-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (text, binary) = (dir.join("text"), dir.join("binary"));
        std::fs::write(&text, "abcd").unwrap();
        std::fs::write(&binary, [0xff]).unwrap();
        let (text, binary) = (text.to_str().unwrap(), binary.to_str().unwrap());
        let read = |path, max| read_at_most(path, max, "history");

        assert_eq!(read(text, 4).unwrap(), "abcd");
        let large = read(text, 3).unwrap_err();
        assert!(
            matches!(&large, InputError::TooLarge { path, max: 3, what: "history" } if path == text),
            "{large:?}"
        );
        assert_eq!(
            large.to_string(),
            format!("{text} is more than the 3 bytes a history may have")
        );
        let binary_err = read(binary, 4).unwrap_err();
        assert!(
            matches!(&binary_err, InputError::NotUtf8 { path } if path == binary),
            "{binary_err:?}"
        );
        let missing = read("/nonexistent/history.jsonl", 4).unwrap_err();
        assert!(matches!(missing, InputError::Read { .. }), "{missing:?}");

        std::fs::remove_dir_all(&dir).unwrap();
    }
}
