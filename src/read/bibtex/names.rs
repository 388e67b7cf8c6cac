//! BibTeX name lists: `Last, First and von Last, Jr, First and others`.
//!
//! Follows BibTeX's rules (the *Tame the BeaST* reading of them): names are
//! separated by `and` at brace level 0 in any letter case; a name has up to
//! two commas; the "von" part is the run of words starting in lower case;
//! a name wholly in braces is a literal (an organisation). `others` marks
//! a list cut short. biblatex's `family=…, given=…` form is read too.

use std::borrow::Cow;

use crate::model::{Person, PersonalName};
use crate::tex::{self, Dialect};

/// The people of a name list, and whether it ended in `and others`.
pub fn parse_names(raw: &str) -> (Vec<Person>, bool) {
    let mut truncated = false;
    let raw = without_comments(raw);
    let raw = crate::tex::text_mode(&raw);
    let names = split_at_and(&raw);
    // Room for every name at once: a person is large to move.
    let mut people = Vec::with_capacity(names.len());
    for name in names.into_iter().map(str::trim) {
        match name {
            "" => {}
            _ if name.eq_ignore_ascii_case("others") => truncated = true,
            // A name of no letters (`A and ,`) names nobody.
            _ => match parse_name(name) {
                Person::Literal(literal) if literal.is_empty() => {}
                person => people.push(person),
            },
        }
    }
    (people, truncated)
}

/// The text without TeX comments (`%` to the end of the line).
pub fn without_comments(raw: &str) -> std::borrow::Cow<'_, str> {
    if !raw.contains('%') {
        return std::borrow::Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut lines = raw.split('\n').peekable();
    while let Some(line) = lines.next() {
        let comment = line
            .char_indices()
            .find(|&(at, c)| c == '%' && !line[..at].ends_with('\\'))
            .map(|(at, _)| at);
        match comment {
            Some(at) => out.push_str(&line[..at]),
            None => {
                out.push_str(line);
                if lines.peek().is_some() {
                    out.push('\n');
                }
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The items of a BibLaTeX list field (`publisher`, `location`): split at
/// `and` on brace level 0.
pub fn split_list(raw: &str) -> Vec<&str> {
    split_at_and(raw)
        .into_iter()
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect()
}

/// One name in any of BibTeX's three forms, or the extended form.
/// Commands CV owners wrap their own name in (`\underline{Ada Lovelace}`,
/// `\textbf{Turing, Alan}`): formatting, not part of the name.
const NAME_MARKUP: &[&str] = &[
    "\\underline",
    "\\uline",
    "\\textbf",
    "\\mkbibbold",
    "\\emph",
    "\\textit",
];

/// Whether the text holds one of the commands a marked name starts with:
/// a quick look before names are read for marks.
pub fn may_mark_a_name(text: &str) -> bool {
    // Every command has a backslash, first or after `{`: one scan for
    // them, rather than one scan of the text for each command.
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'\\', bytes).any(|at| {
        let command = &bytes[at..];
        NAME_MARKUP
            .iter()
            .any(|markup| command.starts_with(markup.as_bytes()))
            || at.checked_sub(1).is_some_and(|open| {
                let declaration = &bytes[open..];
                DECLARATIONS
                    .iter()
                    .any(|form| declaration.starts_with(form.as_bytes()))
            })
    })
}

/// The old declaration forms of [`NAME_MARKUP`]: `{\\bf Ada Lovelace}`.
const DECLARATIONS: &[&str] = &["{\\bf ", "{\\em ", "{\\it "];

/// The name inside a formatting command that wraps all of it, if one does.
pub fn unmarked(name: &str) -> Option<&str> {
    let name = name.trim();
    // Every command and declaration starts so: most names are ruled out
    // without a look for each.
    if !name.starts_with(['\\', '{']) {
        return None;
    }
    let inner = NAME_MARKUP
        .iter()
        .find_map(|command| name.strip_prefix(command)?.trim_start().strip_prefix('{'));
    // `{\bf Ada Lovelace}`, the old declaration form.
    let inner = inner.or_else(|| DECLARATIONS.iter().find_map(|open| name.strip_prefix(open)))?;
    let inner = inner.strip_suffix('}')?;
    // The closing brace must be the opening one's: `\textbf{A} and {B}`
    // is not one group.
    let mut depth = 0i32;
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    (depth == 0).then_some(inner.trim())
}

/// The people of a list who are set apart by formatting, as CV owners
/// mark themselves.
pub fn marked(raw: &str) -> Vec<Person> {
    split_at_and(&without_comments(raw))
        .into_iter()
        .filter_map(|name| unmarked(name).map(parse_name))
        .collect()
}

fn parse_name(name: &str) -> Person {
    let name = unmarked(name).unwrap_or(name);
    if let Some(person) = simple_name(name) {
        return person;
    }
    match parse_any_name(name) {
        // A lone family name holding a comma (`[{a,b}]`) can only be
        // written back as one group, which reads as a literal name: it is
        // one already, or it would change from one conversion to the next.
        Person::Personal(personal) if is_lone_family_with_comma(&personal) => {
            Person::Literal(personal.family)
        }
        person => person,
    }
}

fn is_lone_family_with_comma(name: &PersonalName) -> bool {
    name.given.is_none()
        && name.particle.is_none()
        && name.suffix.is_none()
        && name.family.contains(',')
}

/// The shapes most names have, `Last, First` and `First Last` in plain
/// text with no von part, read without the general rules (which give the
/// same; a test holds them to it).
fn simple_name(name: &str) -> Option<Person> {
    if !tex::is_plain(name) {
        return None;
    }
    // Plain text is printable ASCII: the marks looked for are bytes, and
    // the only blank is a space.
    let bytes = name.as_bytes();
    if bytes.contains(&b'=') {
        return None;
    }
    let (given, family) = match bytes.iter().position(|&byte| byte == b',') {
        Some(comma) if !bytes[comma + 1..].contains(&b',') => {
            (name[comma + 1..].trim_ascii(), name[..comma].trim_ascii())
        }
        Some(_) => return None,
        None => {
            let name = name.trim();
            let (given, family) = name.rsplit_once(' ').unwrap_or(("", name));
            let starts_lowercase = |word: &str| {
                word.bytes()
                    .find(u8::is_ascii_alphabetic)
                    .is_some_and(|byte| byte.is_ascii_lowercase())
            };
            if given.split(' ').any(starts_lowercase) {
                return None;
            }
            (given, family)
        }
    };
    if family.is_empty() || family.as_bytes().contains(&b' ') {
        return None;
    }
    Some(Person::Personal(PersonalName {
        given: (!given.is_empty()).then(|| given.to_owned()),
        family: family.to_owned(),
        particle: None,
        suffix: None,
        dropping_particle: false,
    }))
}

/// One name in any of BibTeX's three forms, or the extended form.
fn parse_any_name(name: &str) -> Person {
    if is_single_group(name) {
        return Person::Literal(plain(&name[1..name.len() - 1]));
    }
    let parts: Vec<&str> = split_top_level(name, |rest| rest.starts_with(',').then_some(1))
        .into_iter()
        .map(str::trim)
        .collect();
    if parts.iter().all(|part| part.contains('=')) {
        if let Some(person) = extended_name(&parts) {
            return person;
        }
    }
    let (von_last, suffix, first): (&str, &str, Cow<str>) = match parts.as_slice() {
        [whole] => return first_von_last(whole),
        [von_last, first] => (von_last, "", Cow::Borrowed(first)),
        [von_last, suffix, first @ ..] => (von_last, suffix, Cow::Owned(first.join(", "))),
        [] => return Person::Literal(String::new()),
    };
    let words = words(von_last);
    // In `von Last`, the von part is the leading lower-case words, but the
    // last word always belongs to Last.
    let von_end = words[..words.len().saturating_sub(1)]
        .iter()
        .rposition(|word| starts_lowercase(word))
        .map_or(0, |i| i + 1);
    personal(
        &first,
        &joined(von_last, &words[..von_end]),
        &joined(von_last, &words[von_end..]),
        suffix,
    )
}

/// `First von Last`: First is the words before the first lower-case word,
/// von runs to the last lower-case word, Last is the rest (at least the
/// last word).
fn first_von_last(name: &str) -> Person {
    let words = words(name);
    if words.is_empty() {
        return Person::Literal(String::new());
    }
    let before = &words[..words.len() - 1];
    let (first, von, last) = match before.iter().position(|word| starts_lowercase(word)) {
        Some(start) => {
            let von_end = before
                .iter()
                .rposition(|word| starts_lowercase(word))
                .unwrap_or(start)
                + 1;
            (&words[..start], &words[start..von_end], &words[von_end..])
        }
        None => (before, &words[..0], &words[before.len()..]),
    };
    personal(
        &joined(name, first),
        &joined(name, von),
        &joined(name, last),
        "",
    )
}

/// Words of `text` (slices of it) joined by single spaces: borrowed from
/// `text` when one space is what stands between them there.
fn joined<'t>(text: &'t str, words: &[&'t str]) -> Cow<'t, str> {
    let offset = |word: &str| word.as_ptr() as usize - text.as_ptr() as usize;
    let spaced = words.windows(2).all(|pair| {
        let end = offset(pair[0]) + pair[0].len();
        offset(pair[1]) == end + 1 && text.as_bytes()[end] == b' '
    });
    match (words.first(), words.last()) {
        (Some(first), Some(last)) if spaced => {
            Cow::Borrowed(&text[offset(first)..offset(last) + last.len()])
        }
        _ => Cow::Owned(words.join(" ")),
    }
}

fn personal(first: &str, von: &str, last: &str, suffix: &str) -> Person {
    let part = |text: &str| {
        let text = plain(text);
        (!text.is_empty()).then_some(text)
    };
    match part(last) {
        Some(family) => Person::Personal(PersonalName {
            given: part(first),
            family,
            particle: part(von),
            suffix: part(suffix),
            dropping_particle: false,
        }),
        None => Person::Literal(plain(first)),
    }
}

/// biblatex's `family=Harman, given=Hans, prefix=van, suffix=Jr`.
fn extended_name(parts: &[&str]) -> Option<Person> {
    let mut name = PersonalName::default();
    for part in parts {
        let (key, value) = part.split_once('=')?;
        let value = plain(value.trim().trim_matches(|c| c == '{' || c == '}'));
        match key.trim().to_ascii_lowercase().as_str() {
            "family" => name.family = value,
            "given" => name.given = Some(value),
            "prefix" => name.particle = Some(value),
            "suffix" => name.suffix = Some(value),
            _ => {}
        }
    }
    (!name.family.is_empty()).then_some(Person::Personal(name))
}

/// A name part's TeX as plain text: accents resolved, braces dropped,
/// ties as spaces.
fn plain(tex: &str) -> String {
    if tex::is_plain(tex) {
        return tex.trim().to_owned();
    }
    // A tie between parts of a name (`D.~E.`) is a space there; a
    // no-break space written as a character stays one.
    let untied: String = match tex.contains('~') {
        true => {
            let mut previous = ' ';
            tex.chars()
                .map(|c| {
                    let tie = c == '~' && previous != '\\';
                    previous = c;
                    if tie {
                        ' '
                    } else {
                        c
                    }
                })
                .collect()
        }
        false => tex.to_owned(),
    };
    let parsed = tex::parse(&untied, Dialect::Bibtex);
    // A lone symbol in a name is written as math (`\ensuremath{\dagger}`).
    tex::unicode_text(&parsed.inlines).trim().to_owned()
}

/// Words at brace level 0, split at white space and ties.
fn words(text: &str) -> Vec<&str> {
    split_top_level(text, |rest| {
        let c = rest.chars().next()?;
        (c.is_ascii_whitespace() || c == '~').then_some(c.len_utf8())
    })
    .into_iter()
    .filter(|word| !word.is_empty())
    .collect()
}

/// The commands that make a letter, whose case BibTeX takes from them.
const FOREIGN_LETTERS: &[&str] = &[
    "i", "j", "oe", "OE", "ae", "AE", "aa", "AA", "o", "O", "l", "L", "ss",
];

/// BibTeX's case test for a word: its first letter at brace level 0, or,
/// for a `{\command …}` special character, the letter after the command.
fn starts_lowercase(word: &str) -> bool {
    let mut depth = 0usize;
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 && chars.peek() == Some(&'\\') {
                    chars.next();
                    let mut command = String::new();
                    while let Some(c) = chars.next_if(|c| c.is_ascii_alphabetic()) {
                        command.push(c);
                    }
                    // A letter made by a command (`{\AA}ke`) has the
                    // command's case; after an accent, the next letter
                    // decides.
                    if FOREIGN_LETTERS.contains(&command.as_str()) {
                        return command.starts_with(|c: char| c.is_ascii_lowercase());
                    }
                    return chars
                        .find(|c| c.is_alphabetic())
                        .is_some_and(char::is_lowercase);
                }
            }
            '}' => depth = depth.saturating_sub(1),
            '\\' if depth == 0 => while chars.next_if(|c| c.is_ascii_alphabetic()).is_some() {},
            c if depth == 0 && c.is_alphabetic() => return c.is_lowercase(),
            _ => {}
        }
    }
    false
}

fn is_single_group(name: &str) -> bool {
    if !name.starts_with('{') || !name.ends_with('}') {
        return false;
    }
    let mut depth = 0usize;
    for (index, byte) in name.bytes().enumerate() {
        match byte {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && index + 1 < name.len() {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// The items of a name list: split at ` and ` outside braces.
fn split_at_and(text: &str) -> Vec<&str> {
    // Without braces every ` and ` splits, and only a blank before an `a`
    // needs a look; a brace hands the list to the general split. (A name
    // list is short: a plain loop over its bytes finds them sooner than a
    // vectorised search is set up, and a search for characters decodes
    // each one.)
    let bytes = text.as_bytes();
    // Room for a list of a few names: growing is what costs.
    let mut parts = Vec::with_capacity(4);
    let mut start = 0;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if matches!(byte, b'{' | b'}') {
            return split_top_level(text, is_and_separator);
        }
        let blank_then_a =
            byte.is_ascii_whitespace() && matches!(bytes.get(at + 1), Some(b'a' | b'A'));
        if blank_then_a && is_and_separator(&text[at..]).is_some() {
            parts.push(&text[start..at]);
            start = at + 5;
            at = start;
            continue;
        }
        at += 1;
    }
    parts.push(&text[start..]);
    parts
}

/// ` and ` between words, in any case.
fn is_and_separator(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let space = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_whitespace());
    (space(bytes.first())
        && bytes
            .get(1..4)
            .is_some_and(|word| word.eq_ignore_ascii_case(b"and"))
        && space(bytes.get(4)))
    .then_some(5)
}

/// Splits where `separator` matches at brace level 0; it returns the
/// separator's length in bytes.
fn split_top_level(text: &str, separator: impl Fn(&str) -> Option<usize>) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut index = 0;
    while index < text.len() {
        let byte = text.as_bytes()[index];
        match byte {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            _ if depth == 0 && text.is_char_boundary(index) => {
                if let Some(length) = separator(&text[index..]) {
                    parts.push(&text[start..index]);
                    index += length;
                    start = index;
                    continue;
                }
            }
            _ => {}
        }
        index += 1;
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {

    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// The one scan finds a command just where looking for each finds
        /// it, in texts made of commands' pieces and other text.
        #[test]
        fn a_mark_is_found_where_any_command_is(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![
                        "\\", "{", "\\under", "line", "\\uline", "\\textbf", "\\textb",
                        "\\mkbibbold", "\\emph", "\\textit", "{\\bf ", "{\\bf", "\\bf ",
                        "{\\em ", "{\\it ", "{\\\"o}", " and ", "é", "Ada",
                    ]).prop_map(|piece: &str| piece.to_owned()),
                    "[a-z{}\\\\ ]{0,6}",
                ],
                0..12,
            ),
        ) {
            let text: String = pieces.concat();
            let looked_for_each = NAME_MARKUP
                .iter()
                .chain(DECLARATIONS)
                .any(|command| text.contains(command));
            proptest::prop_assert_eq!(may_mark_a_name(&text), looked_for_each, "{:?}", text);
        }
    }
    use super::*;

    #[test]
    fn lists_without_braces_split_as_the_general_rule_splits_them() {
        for list in [
            "A and B",
            "A AND B and  C",
            "x and  and y",
            "and A and",
            " and ",
            "Anders Andersen and Ana",
            "A\tand\nB",
            "Ñand and é",
            "",
        ] {
            assert_eq!(
                split_at_and(list),
                split_top_level(list, is_and_separator),
                "{list:?}"
            );
        }
    }

    #[test]
    fn simple_names_read_as_the_general_rules_read_them() {
        for name in [
            "Crocker, S.D.",
            "Patil, B.",
            "Saint-Andre, P.",
            "O'Neil, Cathy",
            "Jane Doe",
            "Jane Q. Doe",
            "Doe",
            "Doe, ",
            " Doe ,  Jane",
            "Jane de Doe",
            "Jane Doe, Jr, X",
            "van Dyke, Dick",
            "1st Person",
            "Doe, Jane, Jr",
        ] {
            if let Some(simple) = simple_name(name) {
                assert_eq!(simple, parse_any_name(name), "{name:?}");
            }
        }
        assert!(simple_name("Crocker, S.D.").is_some());
        assert!(simple_name("Jane Q. Doe").is_some());
        assert!(simple_name("van Dyke, Dick").is_none());
    }

    proptest::proptest! {
        #[test]
        fn simple_names_agree_on_any_text(name in "[A-Za-z0-9.' ,=-]{0,24}") {
            if let Some(simple) = simple_name(&name) {
                proptest::prop_assert_eq!(simple, parse_any_name(&name));
            }
        }

        #[test]
        fn lists_split_alike_on_any_text(list in "([aAnNdD \t\n{}x]|é){0,30}") {
            proptest::prop_assert_eq!(split_at_and(&list), split_top_level(&list, is_and_separator));
        }
    }

    fn parts(raw: &str) -> Vec<(String, String, String, String)> {
        let (people, _) = parse_names(raw);
        people
            .into_iter()
            .map(|person| match person {
                Person::Personal(p) => (
                    p.given.unwrap_or_default(),
                    p.particle.unwrap_or_default(),
                    p.family,
                    p.suffix.unwrap_or_default(),
                ),
                Person::Literal(literal) => (
                    String::new(),
                    String::new(),
                    format!("literal:{literal}"),
                    String::new(),
                ),
            })
            .collect()
    }

    fn one(given: &str, von: &str, family: &str, suffix: &str) -> (String, String, String, String) {
        (given.into(), von.into(), family.into(), suffix.into())
    }

    #[test]
    fn the_three_bibtex_forms() {
        assert_eq!(
            parts("Ludwig van Beethoven"),
            [one("Ludwig", "van", "Beethoven", "")]
        );
        assert_eq!(
            parts("van Beethoven, Ludwig"),
            [one("Ludwig", "van", "Beethoven", "")]
        );
        assert_eq!(
            parts("King, Jr., Martin Luther"),
            [one("Martin Luther", "", "King", "Jr.")]
        );
        assert_eq!(
            parts("Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin"),
            [one(
                "Charles Louis Xavier Joseph",
                "de la",
                "Vallée Poussin",
                ""
            )]
        );
        assert_eq!(
            parts("{van der Waals}, J. D."),
            [one("J. D.", "", "van der Waals", "")]
        );
        assert_eq!(parts("Plato"), [one("", "", "Plato", "")]);
    }

    #[test]
    fn separators_literals_and_others() {
        let (people, truncated) =
            parse_names("Li, Wei AND Wang, Fang and {World Health Organization} and others");
        assert!(truncated);
        assert_eq!(people.len(), 3);
        assert_eq!(people[1].family_name(), "Wang");
        assert_eq!(
            people[2],
            Person::Literal("World Health Organization".into())
        );
        assert_eq!(parse_names("{Barnes and Noble, Inc.}").0.len(), 1);
        assert_eq!(parts("Anderson, Sandy"), [one("Sandy", "", "Anderson", "")]);
        // A comma in a lone word's braces: the same literal as `{[a,b]}`.
        assert_eq!(parse_names("[{a,b}]").0, parse_names("{[a,b]}").0);
        assert_eq!(parse_names("[{a,b}]").0, [Person::Literal("[a,b]".into())]);
    }

    #[test]
    fn accents_and_ties_in_names() {
        // pubconv writes a lone symbol as math; it reads back as itself.
        assert_eq!(
            parts(r"\ensuremath{\dagger}, Jo $\alpha$"),
            [one("Jo α", "", "†", "")]
        );
        assert_eq!(
            parts(r#"{\"O}zt{\"u}rk, Ay{\c{s}}e"#),
            [one("Ayşe", "", "Öztürk", "")]
        );
        assert_eq!(parts(r"Smith, J.~R."), [one("J. R.", "", "Smith", "")]);
        assert_eq!(
            parts(r"Jos{\'e} Mar{\'\i}a {\'A}lvarez"),
            [one("José María", "", "Álvarez", "")]
        );
        // `{\"u}ber` starts lower-case, so it is a von word.
        assert_eq!(
            parts(r#"Hans {\"u}ber Meier"#),
            [one("Hans", "über", "Meier", "")]
        );
    }

    #[test]
    fn the_extended_biblatex_form() {
        assert_eq!(
            parts("given=Hans, family=Harman, prefix=van, useprefix=true"),
            [one("Hans", "van", "Harman", "")]
        );
    }
}
