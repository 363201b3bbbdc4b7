//! Shell-like splitting of what a learner pastes into commands and words,
//! as a POSIX shell would for the course's commands: quotes, backslash
//! escapes and continuations, comments, and several commands at once.
//!
//! Commands are separated by newlines, `;` and `&&`. After `&&` the next
//! command runs only if the previous one succeeded (exit code 0), as in a
//! shell; note that curl succeeds on an HTTP 404 or 503 and fails only when
//! it gets no answer at all. Nothing runs when any part of the paste is
//! malformed (a shell would run the lines before the error): a half-run
//! script would confuse more than it teaches.
//!
//! What would need a real shell (pipes, redirections, background jobs,
//! `$VAR` and `$(...)` expansion) is refused with a line saying so, not
//! silently misread.

/// Longest input accepted, in bytes: enough for any exercise, small enough
/// that a stray paste cannot stall the page.
pub const MAX_INPUT: usize = 64 * 1024;
/// Most commands in one paste.
pub const MAX_COMMANDS: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub words: Vec<String>,
    /// The command as typed (continuations included), to echo it.
    pub text: String,
    /// Joined to the previous command by `&&`.
    pub only_if_ok: bool,
}

/// What the console's shell does not read; its Display is one line for
/// the learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShellError {
    TooLong(usize),
    TooManyCommands,
    Background,
    Pipe,
    Redirection,
    Unterminated(char),
    Expansion,
}

impl std::fmt::Display for ShellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShellError::TooLong(bytes) => write!(
                f,
                "input too long: {} bytes (the console takes up to {MAX_INPUT})",
                *bytes
            ),
            ShellError::TooManyCommands => write!(
                f,
                "too many commands: the console runs up to {MAX_COMMANDS} at once"
            ),
            ShellError::Background => f.write_str("background jobs (&) are not supported here"),
            ShellError::Pipe => {
                f.write_str("pipes (|) are not supported here; answers are already pretty-printed")
            }
            ShellError::Redirection => f.write_str("redirections (< >) are not supported here"),
            ShellError::Unterminated(quote) => write!(f, "unterminated {} quote", *quote),
            ShellError::Expansion => f.write_str(
                "shell expansion ($NAME, $(...), `...`) is not supported here; type the value",
            ),
        }
    }
}

impl std::error::Error for ShellError {}

/// Splits `input` into commands.
pub fn split(input: &str) -> Result<Vec<Command>, ShellError> {
    if input.len() > MAX_INPUT {
        return Err(ShellError::TooLong(input.len()));
    }
    let mut s = Splitter {
        input,
        chars: input.char_indices().peekable(),
        commands: Vec::new(),
        words: Vec::new(),
        word: None,
        start: 0,
        only_if_ok: false,
    };
    s.run()?;
    Ok(s.commands)
}

/// Quotes `word` so that [`split`] reads it back as exactly one word.
pub fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

struct Splitter<'a> {
    input: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    commands: Vec<Command>,
    words: Vec<String>,
    /// The word being built; `Some("")` after `''`, which is a word.
    word: Option<String>,
    /// Byte offset where the current command's text begins.
    start: usize,
    only_if_ok: bool,
}

impl Splitter<'_> {
    fn run(&mut self) -> Result<(), ShellError> {
        while let Some((at, c)) = self.chars.next() {
            match c {
                ' ' | '\t' | '\r' => self.end_word(),
                '\n' | ';' => self.end_command(at, at + 1, false)?,
                '&' if self.chars.next_if(|&(_, c)| c == '&').is_some() => {
                    self.end_command(at, at + 2, true)?
                }
                '&' => return Err(ShellError::Background),
                '|' => return Err(ShellError::Pipe),
                '<' | '>' => return Err(ShellError::Redirection),
                '#' if self.word.is_none() => {
                    while self.chars.next_if(|&(_, c)| c != '\n').is_some() {}
                }
                '\\' => match self.chars.next() {
                    Some((_, '\n')) | None => {}
                    Some((_, '\r')) if self.chars.next_if(|&(_, c)| c == '\n').is_some() => {}
                    Some((_, c)) => self.push(c),
                },
                '\'' => self.single_quoted()?,
                '"' => self.double_quoted()?,
                '$' | '`' => self.dollar_or_backtick(c)?,
                c => self.push(c),
            }
        }
        self.end_command(self.input.len(), self.input.len(), false)
    }

    fn push(&mut self, c: char) {
        self.word.get_or_insert_with(String::new).push(c);
    }

    fn end_word(&mut self) {
        if let Some(word) = self.word.take() {
            self.words.push(word);
        }
    }

    /// Ends the command at byte `end`; the next one starts at `next`.
    fn end_command(&mut self, end: usize, next: usize, and: bool) -> Result<(), ShellError> {
        self.end_word();
        if !self.words.is_empty() {
            if self.commands.len() == MAX_COMMANDS {
                return Err(ShellError::TooManyCommands);
            }
            self.commands.push(Command {
                words: std::mem::take(&mut self.words),
                text: self.input[self.start..end].trim().to_string(),
                only_if_ok: self.only_if_ok,
            });
            self.only_if_ok = false;
        }
        // `a && # note ⏎ b` still joins a and b.
        self.only_if_ok |= and;
        self.start = next;
        Ok(())
    }

    fn single_quoted(&mut self) -> Result<(), ShellError> {
        let word = self.word.get_or_insert_with(String::new);
        for (_, c) in self.chars.by_ref() {
            if c == '\'' {
                return Ok(());
            }
            word.push(c);
        }
        Err(ShellError::Unterminated('\''))
    }

    fn double_quoted(&mut self) -> Result<(), ShellError> {
        self.word.get_or_insert_with(String::new);
        while let Some((_, c)) = self.chars.next() {
            match c {
                '"' => return Ok(()),
                // Inside double quotes a backslash escapes only these.
                '\\' => match self.chars.next_if(|&(_, c)| "$`\"\\\n".contains(c)) {
                    Some((_, '\n')) => {}
                    Some((_, c)) => self.push(c),
                    None => self.push('\\'),
                },
                '$' | '`' => self.dollar_or_backtick(c)?,
                c => self.push(c),
            }
        }
        Err(ShellError::Unterminated('"'))
    }

    /// `$` is literal unless a shell would expand what follows.
    fn dollar_or_backtick(&mut self, c: char) -> Result<(), ShellError> {
        let expands = c == '`'
            || self
                .chars
                .peek()
                .is_some_and(|&(_, n)| n.is_ascii_alphanumeric() || "_{(?#@*!$-".contains(n));
        if expands {
            return Err(ShellError::Expansion);
        }
        self.push(c);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(input: &str) -> Vec<Vec<String>> {
        split(input).unwrap().into_iter().map(|c| c.words).collect()
    }

    #[test]
    fn the_course_step_2_block_is_two_commands() {
        let block = "# Write to leader\ncurl -X PUT http://localhost:4001/key/name \\\n  -H \"Content-Type: application/json\" \\\n  -d '\"Alice\"'\n\n# Immediately read from follower (eventual consistency)\ncurl http://localhost:4002/key/name\n";
        let commands = split(block).unwrap();
        assert_eq!(
            commands[0].words,
            [
                "curl",
                "-X",
                "PUT",
                "http://localhost:4001/key/name",
                "-H",
                "Content-Type: application/json",
                "-d",
                "\"Alice\""
            ]
        );
        assert!(commands[0].text.starts_with("curl -X PUT"));
        assert!(commands[0].text.ends_with("-d '\"Alice\"'"));
        assert_eq!(
            commands[1].words,
            ["curl", "http://localhost:4002/key/name"]
        );
        assert_eq!(commands.len(), 2);
    }

    #[test]
    fn quotes_escapes_and_separators() {
        assert_eq!(
            words(r#"a "b\"c\\d\e" 'x\y'z"#),
            [["a", r#"b"c\d\e"#, r"x\yz"]]
        );
        assert_eq!(words("a ''\"\" b"), [vec!["a", "", "b"]]);
        assert_eq!(words("a\\ b c#d # e"), [["a b", "c#d"]]);
        assert_eq!(words("a; b && c\r\nd"), [["a"], ["b"], ["c"], ["d"]]);
        assert_eq!(words("a \\\r\n b"), [["a", "b"]]);
        assert_eq!(
            words("echo $ \"5$\" '$HOME'"),
            [["echo", "$", "5$", "$HOME"]]
        );
        let joined = split("a && b; c && # note\n d").unwrap();
        let ifs: Vec<bool> = joined.iter().map(|c| c.only_if_ok).collect();
        assert_eq!(ifs, [false, true, false, true]);
    }

    #[test]
    fn what_needs_a_real_shell_is_refused_by_name() {
        use ShellError::*;
        for (input, error, says) in [
            ("curl x | jq", Pipe, "pipes"),
            ("curl x > out", Redirection, "redirections"),
            ("curl x &", Background, "background"),
            ("curl $URL", Expansion, "expansion"),
            ("curl \"$(cat f)\"", Expansion, "expansion"),
            ("curl `x`", Expansion, "expansion"),
            ("curl 'x", Unterminated('\''), "unterminated '"),
            ("curl \"x", Unterminated('"'), "unterminated \""),
        ] {
            let e = split(input).unwrap_err();
            assert_eq!(e, error, "{input}");
            assert!(e.to_string().contains(says), "{input}: {e}");
        }
    }

    #[test]
    fn bounds_are_stated() {
        let long = "a".repeat(MAX_INPUT + 1);
        assert_eq!(split(&long), Err(ShellError::TooLong(MAX_INPUT + 1)));
        let many = "a;".repeat(MAX_COMMANDS + 1);
        assert_eq!(split(&many), Err(ShellError::TooManyCommands));
        assert!(ShellError::TooManyCommands
            .to_string()
            .starts_with("too many commands"));
        assert_eq!(
            split(&"a;".repeat(MAX_COMMANDS)).unwrap().len(),
            MAX_COMMANDS
        );
    }

    #[test]
    fn quote_leaves_plain_words_alone() {
        assert_eq!(
            quote("http://localhost:4001/key/name"),
            "http://localhost:4001/key/name"
        );
        assert_eq!(quote(""), "''");
        assert_eq!(quote("it's"), r"'it'\''s'");
    }
}
