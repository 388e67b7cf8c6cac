//! The config file (`pubconv.toml`, or `--config FILE`): defaults for the
//! command's options, keyed by their long names.
//!
//! A config file does not get a parser of its own: its keys become options
//! put before the user's own on the command line, so the argument parser
//! checks them as it checks the user's, and the user's, coming later, win.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The file read when no `--config` is given, from the working directory.
pub const DEFAULT_FILE: &str = "pubconv.toml";

/// The options a config file may set: its keys, and whether `check` takes
/// them too (it takes only those about reading and reporting).
pub const KEYS: &[(&str, bool)] = &[
    ("to", false),
    ("from", true),
    ("as-of", true),
    ("no-merge", true),
    ("key-pattern", false),
    ("ascii", false),
    ("strict", true),
    ("quiet", true),
    ("message-format", true),
    ("highlight", false),
    ("group-by", false),
    ("order", false),
    ("numbering", false),
    ("since", false),
    ("until", false),
    ("type", false),
    ("selected", false),
    ("heading", false),
    ("max-authors", false),
];

/// The command line with the config file's defaults put right after the
/// subcommand, before the user's own options. The file is the one named by
/// `--config`, else `pubconv.toml` in the working directory when there is
/// one; without either the command line comes back as it was.
pub fn with_config(arguments: Vec<OsString>) -> Result<Vec<OsString>, String> {
    let named = arguments
        .iter()
        .position(|a| a == "--config")
        .and_then(|i| arguments.get(i + 1))
        .map(PathBuf::from);
    let path = match named {
        Some(path) => path,
        None if Path::new(DEFAULT_FILE).is_file() => PathBuf::from(DEFAULT_FILE),
        None => return Ok(arguments),
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    apply(&text, &path, arguments)
}

/// [`with_config`] for a config file's text, read from `path`.
pub fn apply(
    text: &str,
    path: &Path,
    mut arguments: Vec<OsString>,
) -> Result<Vec<OsString>, String> {
    let table: toml::Table = text
        .parse()
        .map_err(|error| format!("{}: {error}", path.display()))?;
    let unknown: Vec<&str> = table
        .keys()
        .map(String::as_str)
        .filter(|key| !KEYS.iter().any(|(name, _)| name == key))
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = KEYS.iter().map(|(name, _)| *name).collect();
        return Err(format!(
            "{}: unknown key(s) {}; the keys are {}",
            path.display(),
            unknown.join(", "),
            known.join(", ")
        ));
    }
    let Some(command_at) = arguments
        .iter()
        .position(|a| a == "convert" || a == "check")
    else {
        return Ok(arguments);
    };
    let checking = arguments[command_at] == "check";
    let mut defaults: Vec<OsString> = Vec::new();
    for (key, value) in &table {
        let for_check = KEYS
            .iter()
            .any(|(name, for_check)| name == key && *for_check);
        if checking && !for_check {
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
    arguments.splice(command_at + 1..command_at + 1, defaults);
    Ok(arguments)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    fn applied(config: &str, line: &str) -> Result<String, String> {
        let arguments = apply(config, Path::new("pubconv.toml"), words(line))?;
        let words: Vec<String> = arguments
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        Ok(words.join(" "))
    }

    // The keys come in name order; the command line's order does not
    // matter to the parser, only that the user's options come last.
    #[test]
    fn defaults_go_before_the_users_options() {
        let config = "to = \"markdown\"\nhighlight = [\"S. Lim\", \"Lim, S\"]\nascii = true\nstrict = false\nmax-authors = 3\n";
        assert_eq!(
            applied(config, "pubconv convert cv.bib --to bibtex").unwrap(),
            "pubconv convert --ascii --highlight S. Lim --highlight Lim, S --max-authors 3 --to markdown cv.bib --to bibtex"
        );
    }

    #[test]
    fn check_takes_only_the_reading_and_reporting_keys() {
        let config = "to = \"markdown\"\nquiet = true\nfrom = \"bibtex\"\n";
        assert_eq!(
            applied(config, "pubconv check cv.bib").unwrap(),
            "pubconv check --from bibtex --quiet cv.bib"
        );
    }

    #[test]
    fn other_commands_are_left_alone() {
        assert_eq!(
            applied("to = \"markdown\"", "pubconv man").unwrap(),
            "pubconv man"
        );
    }

    #[test]
    fn mistakes_name_the_file_and_the_key() {
        let unknown = applied("colour = \"red\"", "pubconv convert").unwrap_err();
        assert!(unknown.starts_with("pubconv.toml: unknown key(s) colour; the keys are to, from"));
        let table = applied("to = { a = 1 }", "pubconv convert").unwrap_err();
        assert_eq!(
            table,
            "pubconv.toml: `to` takes a string or a number, not a table"
        );
        let broken = applied("to = ", "pubconv convert").unwrap_err();
        assert!(broken.starts_with("pubconv.toml: "), "{broken}");
    }
}
