//! The curl options the course uses, read from a command's words the way
//! curl reads them: combined short flags (`-sS`), attached values (`-XPUT`),
//! repeated `-d` joined with `&`, and `-d` turning a GET into a POST.
//! `--request=PUT` is accepted too, although curl itself is stricter.

use std::fmt;

/// One curl invocation, ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub url: Url,
    /// `Name: value` lines as given with -H.
    pub headers: Vec<String>,
    pub body: Option<String>,
    pub include: bool,
    pub silent: bool,
    pub show_error: bool,
    pub verbose: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub host: String,
    pub port: u16,
    /// Path and query as sent on the request line, e.g. `/key/name?consistency=strong`.
    pub target: String,
}

impl Url {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }
}

#[derive(Clone, Copy)]
enum Opt {
    Request,
    Header,
    Data {
        raw: bool,
    },
    Url,
    Include,
    Silent,
    ShowError,
    Verbose,
    /// -L: nothing here redirects.
    Location,
}

impl Opt {
    fn takes_value(self) -> bool {
        matches!(
            self,
            Opt::Request | Opt::Header | Opt::Data { .. } | Opt::Url
        )
    }
}

const SUPPORTED: &str = "-X, -H, -d, --data-raw, --data-binary, -i, -s, -S, -v, -L";

fn short(c: char) -> Option<Opt> {
    Some(match c {
        'X' => Opt::Request,
        'H' => Opt::Header,
        'd' => Opt::Data { raw: false },
        'i' => Opt::Include,
        's' => Opt::Silent,
        'S' => Opt::ShowError,
        'v' => Opt::Verbose,
        'L' => Opt::Location,
        _ => return None,
    })
}

fn long(name: &str) -> Option<Opt> {
    Some(match name {
        "request" => Opt::Request,
        "header" => Opt::Header,
        "data" | "data-ascii" | "data-binary" => Opt::Data { raw: false },
        "data-raw" => Opt::Data { raw: true },
        "url" => Opt::Url,
        "include" => Opt::Include,
        "silent" => Opt::Silent,
        "show-error" => Opt::ShowError,
        "verbose" => Opt::Verbose,
        "location" => Opt::Location,
        _ => return None,
    })
}

/// Why curl's arguments cannot be run; its Display is the one line curl
/// prints (with curl's own exit code where curl has one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CurlError {
    Unsupported(String),
    NeedsValue(String),
    TakesNoValue(String),
    DataFromFile(String),
    TwoUrls,
    NoUrl,
    Https,
    Protocol(String),
    BadPort,
    NoHost,
}

impl fmt::Display for CurlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CurlError::Unsupported(option) => write!(
                f,
                "curl: option {}: not supported in this console (it knows {SUPPORTED})",
                option.as_str()
            ),
            CurlError::NeedsValue(option) => {
                write!(f, "curl: option {}: requires parameter", option.as_str())
            }
            CurlError::TakesNoValue(option) => {
                write!(f, "curl: option {}: takes no value", option.as_str())
            }
            CurlError::DataFromFile(value) => write!(
                f,
                "curl: -d {}: reading data from a file is not available here; give the data itself",
                value.as_str()
            ),
            CurlError::TwoUrls => f.write_str("curl: one URL per command in this console"),
            CurlError::NoUrl => f.write_str("curl: no URL specified!"),
            CurlError::Https => f.write_str(
                "curl: (35) TLS connect error: the playground's nodes speak plain http://",
            ),
            CurlError::Protocol(scheme) => {
                write!(
                    f,
                    "curl: (1) Protocol \"{}\" not supported",
                    scheme.as_str()
                )
            }
            CurlError::BadPort => f.write_str(
                "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535",
            ),
            CurlError::NoHost => f.write_str("curl: (3) URL rejected: No host part in the URL"),
        }
    }
}

impl std::error::Error for CurlError {}

/// Reads curl's arguments (the words after `curl`).
pub fn parse(args: &[String]) -> Result<Request, CurlError> {
    let mut b = Builder::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if let Some(rest) = arg.strip_prefix("--") {
            let (name, attached) = match rest.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (rest, None),
            };
            let opt = long(name).ok_or_else(|| CurlError::Unsupported(format!("--{name}")))?;
            let value = match (opt.takes_value(), attached) {
                (true, Some(v)) => Some(v),
                (true, None) => Some(
                    args.next()
                        .map(String::as_str)
                        .ok_or_else(|| CurlError::NeedsValue(format!("--{name}")))?,
                ),
                (false, Some(_)) => return Err(CurlError::TakesNoValue(format!("--{name}"))),
                (false, None) => None,
            };
            b.set(opt, value)?;
        } else if let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) {
            for (at, c) in flags.char_indices() {
                let opt = short(c).ok_or_else(|| CurlError::Unsupported(format!("-{c}")))?;
                if !opt.takes_value() {
                    b.set(opt, None)?;
                    continue;
                }
                let attached = &flags[at + c.len_utf8()..];
                let value = if attached.is_empty() {
                    args.next()
                        .map(String::as_str)
                        .ok_or_else(|| CurlError::NeedsValue(format!("-{c}")))?
                } else {
                    attached
                };
                b.set(opt, Some(value))?;
                break;
            }
        } else {
            b.set(Opt::Url, Some(arg))?;
        }
    }
    b.finish()
}

#[derive(Default)]
struct Builder {
    method: Option<String>,
    url: Option<String>,
    headers: Vec<String>,
    data: Vec<String>,
    include: bool,
    silent: bool,
    show_error: bool,
    verbose: bool,
}

impl Builder {
    fn set(&mut self, opt: Opt, value: Option<&str>) -> Result<(), CurlError> {
        let value = value.unwrap_or_default();
        match opt {
            Opt::Request => self.method = Some(value.to_string()),
            Opt::Header => self.headers.push(value.to_string()),
            Opt::Data { raw: false } if value.starts_with('@') => {
                return Err(CurlError::DataFromFile(value.to_string()))
            }
            Opt::Data { .. } => self.data.push(value.to_string()),
            Opt::Url if self.url.is_some() => return Err(CurlError::TwoUrls),
            Opt::Url => self.url = Some(value.to_string()),
            Opt::Include => self.include = true,
            Opt::Silent => self.silent = true,
            Opt::ShowError => self.show_error = true,
            Opt::Verbose => self.verbose = true,
            Opt::Location => {}
        }
        Ok(())
    }

    fn finish(self) -> Result<Request, CurlError> {
        let url = parse_url(self.url.as_deref().ok_or(CurlError::NoUrl)?)?;
        let body = (!self.data.is_empty()).then(|| self.data.join("&"));
        let method = self
            .method
            .unwrap_or_else(|| if body.is_some() { "POST" } else { "GET" }.to_string());
        Ok(Request {
            method,
            url,
            headers: self.headers,
            body,
            include: self.include,
            silent: self.silent,
            show_error: self.show_error,
            verbose: self.verbose,
        })
    }
}

/// `[http://]host[:port][/path][?query][#fragment]`, as curl reads it.
fn parse_url(text: &str) -> Result<Url, CurlError> {
    let rest = match text.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
        Some((scheme, _)) if scheme.eq_ignore_ascii_case("https") => return Err(CurlError::Https),
        Some((scheme, _)) => return Err(CurlError::Protocol(scheme.to_string())),
        None => text,
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, target) = rest.split_at(split);
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => {
            let port = port.parse::<u16>().map_err(|_| CurlError::BadPort)?;
            (host, port)
        }
        _ => (authority, 80),
    };
    if host.is_empty() {
        return Err(CurlError::NoHost);
    }
    let target = match target.strip_prefix('?') {
        Some(query) => format!("/?{query}"),
        None if target.is_empty() => "/".to_string(),
        None => target.to_string(),
    };
    Ok(Url {
        host: host.to_string(),
        port,
        target,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curl(args: &[&str]) -> Result<Request, CurlError> {
        parse(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn the_course_put_reads_as_curl_reads_it() {
        let words = &crate::shell::split(&crate::examples::verbatim()[0].command).unwrap()[0].words;
        let r = parse(&words[1..]).unwrap();
        assert_eq!(r.method, "PUT");
        assert_eq!(r.url.host, "localhost");
        assert_eq!(r.url.port, 4001);
        assert_eq!(r.url.path(), "/key/name");
        assert_eq!(r.headers, ["Content-Type: application/json"]);
        assert_eq!(r.body.as_deref(), Some("\"Alice\""));
    }

    #[test]
    fn flag_forms() {
        let r = curl(&["-sSiv", "-XDELETE", "127.0.0.1:4002/key/a"]).unwrap();
        assert!(r.silent && r.show_error && r.include && r.verbose);
        assert_eq!((r.method.as_str(), r.url.port), ("DELETE", 4002));
        let r = curl(&[
            "--request=PUT",
            "--data-raw",
            "@x",
            "-d1",
            "--url",
            "localhost",
        ])
        .unwrap();
        assert_eq!(r.method, "PUT");
        assert_eq!(r.body.as_deref(), Some("@x&1"));
        assert_eq!((r.url.port, r.url.target.as_str()), (80, "/"));
        assert_eq!(curl(&["-d", "x", "localhost"]).unwrap().method, "POST");
        let r = curl(&["-sH", "A: b", "localhost:4002?x=1#f"]).unwrap();
        assert_eq!(
            (r.headers[0].as_str(), r.url.target.as_str()),
            ("A: b", "/?x=1")
        );
        assert_eq!(r.url.query(), "x=1");
    }

    #[test]
    fn errors_name_the_problem() {
        use CurlError::*;
        let s = |t: &str| t.to_string();
        for (args, error, says) in [
            (
                &["-f", "localhost"][..],
                Unsupported(s("-f")),
                "option -f: not supported",
            ),
            (
                &["-sf", "localhost"],
                Unsupported(s("-f")),
                "option -f: not supported",
            ),
            (
                &["--fail", "localhost"],
                Unsupported(s("--fail")),
                "option --fail: not supported",
            ),
            (
                &["localhost", "-X"],
                NeedsValue(s("-X")),
                "option -X: requires parameter",
            ),
            (
                &["--data"],
                NeedsValue(s("--data")),
                "option --data: requires parameter",
            ),
            (
                &["--silent=1", "localhost"],
                TakesNoValue(s("--silent")),
                "takes no value",
            ),
            (&["-s"], NoUrl, "no URL specified"),
            (&["a", "b"], TwoUrls, "one URL"),
            (
                &["-d", "@body.json", "a"],
                DataFromFile(s("@body.json")),
                "from a file",
            ),
            (
                &["ftp://a"],
                Protocol(s("ftp")),
                "Protocol \"ftp\" not supported",
            ),
            (&["https://localhost:4001"], Https, "plain http"),
            (&["localhost:99999"], BadPort, "Port number"),
            (&["http://:4001/"], NoHost, "No host"),
        ] {
            let e = curl(args).unwrap_err();
            assert_eq!(e, error, "{args:?}");
            let line = e.to_string();
            assert!(line.contains(says), "{args:?}: {line}");
            assert!(!line.contains('\n'), "one line: {line}");
        }
    }
}
