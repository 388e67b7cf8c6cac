//! The config file (`pubconv.toml`, or `--config FILE`): defaults for the
//! command's options, keyed by their long names.
//!
//! A config file does not get a parser of its own: its keys become options
//! put before the user's own on the command line, so the argument parser
//! checks them as it checks the user's, and the user's, coming later, win.
//! Only the commands that take options from it read it: help, version,
//! completions and the man page work whatever state it is in.

use std::ffi::OsString;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The file read when no `--config` is given, from the working directory.
pub const DEFAULT_FILE: &str = "pubconv.toml";

/// A command and the long options it takes (without the `--`).
pub struct Command<'a> {
    pub name: &'a str,
    pub options: Vec<String>,
}

/// The command line with the config file's options in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arguments {
    pub words: Vec<OsString>,
    /// Where the config file's options are among the words.
    from_config: Range<usize>,
}

impl Arguments {
    /// The command line as the user typed it, with no config file.
    pub fn typed(words: Vec<OsString>) -> Self {
        Arguments {
            words,
            from_config: 0..0,
        }
    }

    /// Whether the user typed the option `--long` (or `--long=…`), as
    /// opposed to the config file setting it.
    pub fn typed_option(&self, long: &str) -> bool {
        let flag = format!("--{long}");
        let with_value = format!("--{long}=");
        self.words
            .iter()
            .enumerate()
            .filter(|(index, _)| !self.from_config.contains(index))
            .any(|(_, word)| {
                word.to_str()
                    .is_some_and(|word| word == flag || word.starts_with(&with_value))
            })
    }
}

/// The command line with the config file's defaults put right after the
/// command, before the user's own options. The file is the one named by
/// `--config`, else `pubconv.toml` in the working directory when there is
/// one; it is read only for the `commands` that take options from it, and
/// not when help or the version is asked for.
pub fn with_config(words: Vec<OsString>, commands: &[Command<'_>]) -> Result<Arguments, String> {
    let asks_for_help = words
        .iter()
        .any(|word| ["-h", "--help", "-V", "--version"].contains(&word.to_str().unwrap_or("")));
    let command_at = words
        .iter()
        .skip(1)
        .position(|word| commands.iter().any(|command| word == command.name))
        .map(|index| index + 1);
    let Some(command_at) = command_at.filter(|_| !asks_for_help) else {
        return Ok(Arguments::typed(words));
    };
    let named = words
        .iter()
        .position(|word| word == "--config")
        .and_then(|index| words.get(index + 1))
        .map(PathBuf::from);
    let path = match named {
        Some(path) => path,
        None if Path::new(DEFAULT_FILE).is_file() => PathBuf::from(DEFAULT_FILE),
        None => return Ok(Arguments::typed(words)),
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|error| format!("cannot read the config file {}: {error}", path.display()))?;
    let command = commands
        .iter()
        .find(|command| words[command_at] == command.name)
        .expect("the command was found among them");
    apply(&text, &path, words, command_at, command, commands)
}

/// [`with_config`] for a config file's text, read from `path`.
fn apply(
    text: &str,
    path: &Path,
    mut words: Vec<OsString>,
    command_at: usize,
    command: &Command<'_>,
    commands: &[Command<'_>],
) -> Result<Arguments, String> {
    let table: toml::Table = text
        .parse()
        .map_err(|error| format!("{}: {error}", path.display()))?;
    let known = |key: &str| {
        key != "config"
            && commands
                .iter()
                .any(|command| command.options.iter().any(|option| option == key))
    };
    let unknown: Vec<&str> = table
        .keys()
        .map(String::as_str)
        .filter(|key| !known(key))
        .collect();
    if !unknown.is_empty() {
        let mut keys: Vec<&str> = commands
            .iter()
            .flat_map(|command| command.options.iter().map(String::as_str))
            .filter(|key| *key != "config")
            .collect();
        keys.sort_unstable();
        keys.dedup();
        return Err(format!(
            "{}: unknown key(s) {}; the keys are the long options: {}",
            path.display(),
            unknown.join(", "),
            keys.join(", ")
        ));
    }
    let mut defaults: Vec<OsString> = Vec::new();
    for (key, value) in &table {
        // A key for another command (`to` when checking) is not this one's.
        if !command.options.iter().any(|option| option == key) {
            continue;
        }
        let flag = format!("--{key}");
        let scalar = |value: &toml::Value| match value {
            toml::Value::String(text) => Ok(text.clone()),
            toml::Value::Integer(number) => Ok(number.to_string()),
            other => Err(format!(
                "{}: `{key}` takes a string or a number, not a {}",
                path.display(),
                other.type_str()
            )),
        };
        match value {
            toml::Value::Boolean(true) => defaults.push(flag.into()),
            toml::Value::Boolean(false) => {}
            toml::Value::Array(items) => {
                for item in items {
                    defaults.push(flag.clone().into());
                    defaults.push(scalar(item)?.into());
                }
            }
            value => {
                defaults.push(flag.into());
                defaults.push(scalar(value)?.into());
            }
        }
    }
    let from_config = command_at + 1..command_at + 1 + defaults.len();
    words.splice(command_at + 1..command_at + 1, defaults);
    Ok(Arguments { words, from_config })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commands() -> Vec<Command<'static>> {
        let options = |names: &[&str]| names.iter().map(|name| name.to_string()).collect();
        vec![
            Command {
                name: "convert",
                options: options(&[
                    "to",
                    "from",
                    "highlight",
                    "ascii",
                    "strict",
                    "max-authors",
                    "quiet",
                    "output",
                    "config",
                ]),
            },
            Command {
                name: "check",
                options: options(&["from", "quiet", "config"]),
            },
        ]
    }

    fn words(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    fn applied(config: &str, line: &str) -> Result<Arguments, String> {
        let commands = commands();
        let words = words(line);
        let command_at = words
            .iter()
            .position(|word| word == "convert" || word == "check")
            .unwrap();
        let command = commands
            .iter()
            .find(|command| words[command_at] == command.name)
            .unwrap();
        apply(
            config,
            Path::new("pubconv.toml"),
            words,
            command_at,
            command,
            &commands,
        )
    }

    fn line(arguments: &Arguments) -> String {
        let words: Vec<String> = arguments
            .words
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        words.join(" ")
    }

    // The keys come in name order; the command line's order does not
    // matter to the parser, only that the user's options come last.
    #[test]
    fn defaults_go_before_the_users_options() {
        let config = "to = \"markdown\"\nhighlight = [\"S. Lim\", \"Lim, S\"]\nascii = true\nstrict = false\nmax-authors = 3\noutput = \"cv.md\"\n";
        let arguments = applied(config, "pubconv convert cv.bib --to bibtex").unwrap();
        assert_eq!(
            line(&arguments),
            "pubconv convert --ascii --highlight S. Lim --highlight Lim, S --max-authors 3 --output cv.md --to markdown cv.bib --to bibtex"
        );
        assert!(arguments.typed_option("to"));
        assert!(!arguments.typed_option("highlight") && !arguments.typed_option("ascii"));
    }

    #[test]
    fn options_typed_with_an_equals_sign_count_as_typed() {
        let arguments = applied("", "pubconv convert --highlight=Lim cv.bib").unwrap();
        assert!(arguments.typed_option("highlight"));
        assert!(!arguments.typed_option("high"));
    }

    #[test]
    fn check_takes_only_its_own_keys() {
        let config = "to = \"markdown\"\nquiet = true\nfrom = \"bibtex\"\n";
        assert_eq!(
            line(&applied(config, "pubconv check cv.bib").unwrap()),
            "pubconv check --from bibtex --quiet cv.bib"
        );
    }

    #[test]
    fn help_and_other_commands_do_not_read_the_file() {
        let commands = commands();
        let missing = "--config /nonexistent/pubconv.toml";
        for typed in [
            format!("pubconv man {missing}"),
            format!("pubconv convert --help {missing}"),
            format!("pubconv --version {missing}"),
            format!("pubconv completions bash {missing}"),
        ] {
            let arguments = with_config(words(&typed), &commands).unwrap();
            assert_eq!(line(&arguments), typed);
        }
        let error = with_config(words(&format!("pubconv convert {missing}")), &commands);
        assert!(error
            .unwrap_err()
            .starts_with("cannot read the config file"));
    }

    #[test]
    fn mistakes_name_the_file_and_the_key() {
        let unknown = applied("colour = \"red\"", "pubconv convert").unwrap_err();
        assert!(
            unknown.starts_with(
                "pubconv.toml: unknown key(s) colour; the keys are the long options: ascii, from"
            ),
            "{unknown}"
        );
        let config_in_config = applied("config = \"x.toml\"", "pubconv convert").unwrap_err();
        assert!(config_in_config.contains("unknown key(s) config"));
        let table = applied("to = { a = 1 }", "pubconv convert").unwrap_err();
        assert_eq!(
            table,
            "pubconv.toml: `to` takes a string or a number, not a table"
        );
        let broken = applied("to = ", "pubconv convert").unwrap_err();
        assert!(broken.starts_with("pubconv.toml: "), "{broken}");
    }
}
