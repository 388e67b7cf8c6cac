//! Citation keys: the input's own where it has one (made safe for BibTeX),
//! otherwise generated from a pattern, by default Google Scholar's style
//! (first author's family name, year, first significant title word:
//! `kim2022sufficient`), unique within the output.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::str::FromStr;

use crate::model::Work;

/// Title words a key skips, as Google Scholar does.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "on", "of", "in", "for", "to", "and", "or", "with", "at", "by", "from",
    "via", "is", "are", "do", "does", "what", "how", "why", "when", "towards", "toward", "into",
    "using", "its", "it", "as", "be", "can", "we", "our", "your",
];

/// What a key pattern is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    /// `{auth}`, `{Auth}`: the first author's (or editor's) family name.
    Author {
        capitalized: bool,
    },
    /// `{year}`.
    Year,
    /// `{title}`, `{Title}`: the first significant title word.
    Title {
        capitalized: bool,
    },
    /// `{shorttitle}`: the first three significant title words, each
    /// capitalized.
    ShortTitle,
}

/// A pattern for generated keys, such as `{auth}{year}{title}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPattern {
    parts: Vec<Part>,
}

/// The placeholders a pattern may use, for help and error messages.
pub const PLACEHOLDERS: &str = "{auth}, {Auth}, {year}, {title}, {Title}, {shorttitle}";

impl Default for KeyPattern {
    fn default() -> Self {
        "{auth}{year}{title}"
            .parse()
            .unwrap_or(KeyPattern { parts: Vec::new() })
    }
}

impl FromStr for KeyPattern {
    type Err = String;

    fn from_str(pattern: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Literal(safe(&rest[..open]).into_owned()));
            }
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| format!("`{pattern}`: a `{{` is not closed"))?;
            let part = match &rest[open + 1..open + close] {
                "auth" => Part::Author { capitalized: false },
                "Auth" => Part::Author { capitalized: true },
                "year" => Part::Year,
                "title" => Part::Title { capitalized: false },
                "Title" => Part::Title { capitalized: true },
                "shorttitle" => Part::ShortTitle,
                other => {
                    return Err(format!(
                        "`{{{other}}}` is not a key placeholder; use {PLACEHOLDERS}"
                    ))
                }
            };
            parts.push(part);
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(safe(rest).into_owned()));
        }
        Ok(KeyPattern { parts })
    }
}

impl fmt::Display for KeyPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in &self.parts {
            match part {
                Part::Literal(text) => f.write_str(text)?,
                Part::Author { capitalized: false } => f.write_str("{auth}")?,
                Part::Author { capitalized: true } => f.write_str("{Auth}")?,
                Part::Year => f.write_str("{year}")?,
                Part::Title { capitalized: false } => f.write_str("{title}")?,
                Part::Title { capitalized: true } => f.write_str("{Title}")?,
                Part::ShortTitle => f.write_str("{shorttitle}")?,
            }
        }
        Ok(())
    }
}

/// One key per work, in the same order, all distinct. A repeated key gets
/// the suffixes a, b, c, … in order of appearance.
pub fn citation_keys(works: &[Work], pattern: &KeyPattern) -> Vec<String> {
    let mut count: HashMap<String, usize> = HashMap::new();
    for key in works.iter().filter_map(own_key) {
        *count.entry(key.to_lowercase()).or_default() += 1;
    }
    let own = |folded: &str| count.get(folded).copied().unwrap_or(0);
    let mut keys = KeyAssigner::new(pattern, Box::new(own));
    works.iter().map(|work| keys.next(work)).collect()
}

/// Gives works their keys one at a time, as [`citation_keys`] does for a
/// whole list, for writers that never hold the list.
pub struct KeyAssigner<'a> {
    pattern: &'a KeyPattern,
    /// How many works have this own key (folded to lower case, as BibTeX
    /// and biber compare keys).
    own: Box<dyn Fn(&str) -> usize + 'a>,
    /// The keys given so far that another work could ask for again: own
    /// keys that are repeated, and keys made up or suffixed. (A key only
    /// one work has can come back only as that work's own.) By the hash
    /// of the key folded to lower case ([`key_hash`]): a list without
    /// keys of its own has one here a work, and a hash is a sixth of the
    /// memory of a string.
    used: foldhash::HashSet<u64>,
    /// For each base key (by its [`key_hash`]), the first suffix not yet
    /// tried: the ones before are taken for good, so that many works of
    /// one base (one author's 10,000 works of a year) take a look each,
    /// not a look per earlier work.
    next_suffix: foldhash::HashMap<u64, usize>,
}

/// The hash of `key` folded to lower case, as BibTeX and biber compare
/// keys: what keys are counted and remembered by, in 64 bits alone (two
/// keys of one hash would count as one: one chance in 2^64). With a fixed
/// seed, so that a file reads and gets its keys the same each time.
pub(crate) fn key_hash(key: &str) -> u64 {
    let mut hasher = foldhash::quality::FixedState::with_seed(KEY_SEED).build_hasher();
    // Most keys are short ASCII: folded on the stack.
    let mut folded = [0u8; 64];
    match key.len() <= folded.len() && key.is_ascii() {
        true => {
            let folded = &mut folded[..key.len()];
            folded.copy_from_slice(key.as_bytes());
            folded.make_ascii_lowercase();
            hasher.write(folded);
        }
        false => hasher.write(key.to_lowercase().as_bytes()),
    }
    hasher.finish()
}

/// Any number: the seed of [`key_hash`].
const KEY_SEED: u64 = 0x7075_6263_6f6e_7600;

impl<'a> KeyAssigner<'a> {
    /// `own` says how many of the works have a given own key, folded to
    /// lower case.
    pub fn new(pattern: &'a KeyPattern, own: Box<dyn Fn(&str) -> usize + 'a>) -> Self {
        KeyAssigner {
            pattern,
            own,
            used: foldhash::HashSet::default(),
            next_suffix: foldhash::HashMap::default(),
        }
    }

    /// The next work's key.
    pub fn next(&mut self, work: &Work) -> String {
        let mine = own_key(work);
        let base = mine
            .clone()
            .unwrap_or_else(|| generated_key(work, self.pattern));
        let available = |candidate: &String| {
            let folded = candidate.to_lowercase();
            let own_key = mine.as_ref() == Some(candidate);
            !self.used.contains(&key_hash(&folded)) && (own_key || (self.own)(&folded) == 0)
        };
        // The base itself may be free for this work alone (its own key);
        // a suffixed key is never a work's own, so one taken stays taken.
        let key = match available(&base) {
            true => base,
            false => {
                let base_hash = key_hash(&base);
                let first = self.next_suffix.get(&base_hash).copied();
                let (n, key) = (first.unwrap_or(1)..)
                    .map(|n| (n, format!("{base}{}", suffix(n))))
                    .find(|(_, candidate)| available(candidate))
                    .unwrap_or((0, base.clone()));
                self.next_suffix.insert(base_hash, n + 1);
                key
            }
        };
        let folded = key.to_lowercase();
        if mine.as_ref() != Some(&key) || (self.own)(&folded) > 1 {
            self.used.insert(key_hash(&folded));
        }
        key
    }
}

/// The work's own key, with what would break BibTeX or biber replaced.
pub fn own_key(work: &Work) -> Option<String> {
    let key = safe(work.key.as_deref()?);
    (!key.is_empty()).then(|| key.into_owned())
}

/// A key with no space, comma, brace, quote, `#`, `%`, `~` or backslash:
/// each run of them becomes one `_`.
pub fn safe(key: &str) -> Cow<'_, str> {
    // Most keys are letters, digits and a few marks: one look at the
    // bytes settles it.
    let plain = |byte: u8| byte.is_ascii_alphanumeric() || b"-_:./+".contains(&byte);
    if key.bytes().all(plain) {
        return Cow::Borrowed(key);
    }
    let breaks = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ',' | '{' | '}' | '(' | ')' | '"' | '\'' | '#' | '%' | '~' | '\\' | '='
            )
    };
    let key = key.trim();
    if !key.contains(breaks) {
        return Cow::Borrowed(key);
    }
    let mut out = String::with_capacity(key.len());
    let mut replaced = false;
    for c in key.chars() {
        if breaks(c) {
            if !replaced {
                out.push('_');
            }
            replaced = true;
        } else {
            out.push(c);
            replaced = false;
        }
    }
    Cow::Owned(out)
}

/// a, b, …, z, aa, ab, …
fn suffix(mut n: usize) -> String {
    let mut letters = Vec::new();
    while n > 0 {
        n -= 1;
        letters.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

fn generated_key(work: &Work, pattern: &KeyPattern) -> String {
    let words = title_words(work);
    let capitalize = |word: &str| {
        let mut chars = word.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_ascii_uppercase().to_string() + chars.as_str()
        })
    };
    let mut key = String::new();
    for part in &pattern.parts {
        match part {
            Part::Literal(text) => key.push_str(text),
            Part::Author { capitalized } => {
                let author = work.authors.first().or(work.editors.first());
                let family = author
                    .map(|person| ascii_word(person.family_name()))
                    .filter(|f| !f.is_empty());
                let family = family.unwrap_or_else(|| "anon".to_owned());
                key.push_str(&if *capitalized {
                    capitalize(&family)
                } else {
                    family
                });
            }
            Part::Year => {
                if let Some(date) = work.date {
                    key.push_str(&date.start.year.to_string());
                }
            }
            Part::Title { capitalized } => {
                let word = words.first().cloned().unwrap_or_default();
                key.push_str(&if *capitalized {
                    capitalize(&word)
                } else {
                    word
                });
            }
            Part::ShortTitle => {
                for word in words.iter().take(3) {
                    key.push_str(&capitalize(word));
                }
            }
        }
    }
    if key.is_empty() {
        "anon".to_owned()
    } else {
        key
    }
}

/// The title's significant words, folded to ASCII lower case.
fn title_words(work: &Work) -> Vec<String> {
    let title = work
        .title
        .as_ref()
        .map(|title| title.raw_string())
        .unwrap_or_default();
    deunicode::deunicode(&title)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_lowercase)
        .filter(|word| !word.is_empty() && !STOP_WORDS.contains(&word.as_str()))
        .collect()
}

/// Folds to ASCII lower-case letters and digits: `Kovács-Müller` → `kovacsmuller`.
fn ascii_word(text: &str) -> String {
    deunicode::deunicode(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Person, Text};

    fn work(author: &str, year: i32, title: &str) -> Work {
        Work {
            authors: vec![Person::from_display_name(author)],
            date: Some(Date::year(year).into()),
            title: Some(Text::plain(title)),
            ..Work::default()
        }
    }

    fn keys(works: &[Work]) -> Vec<String> {
        citation_keys(works, &KeyPattern::default())
    }

    #[test]
    fn keys_in_google_scholar_style() {
        let works = [
            work("Taero Kim", 2022, "Sufficient Invariant Learning"),
            work("Zoë Kovács-Müller", 2021, "On the Eigen-Value of Things"),
            work("Ludwig van Beethoven", 1808, "A Symphony"),
        ];
        assert_eq!(
            keys(&works),
            [
                "kim2022sufficient",
                "kovacsmuller2021eigen",
                "beethoven1808symphony"
            ]
        );
    }

    #[test]
    fn other_patterns() {
        let works = [work(
            "Zoë Kovács-Müller",
            2021,
            "On the Eigen-Value of Things",
        )];
        let pattern = |p: &str| citation_keys(&works, &p.parse().unwrap())[0].clone();
        assert_eq!(pattern("{Auth}:{year}"), "Kovacsmuller:2021");
        assert_eq!(
            pattern("{Auth}{year}{shorttitle}"),
            "Kovacsmuller2021EigenValueThings"
        );
        assert_eq!(pattern("{title}-{auth}"), "eigen-kovacsmuller");
        assert!("{nonsense}"
            .parse::<KeyPattern>()
            .unwrap_err()
            .contains("{auth}"));
        assert!("{auth".parse::<KeyPattern>().is_err());
        assert_eq!(KeyPattern::default().to_string(), "{auth}{year}{title}");
    }

    #[test]
    fn repeated_keys_get_letter_suffixes() {
        let same = work("Sungjun Lim", 2019, "Blind Deconvolution");
        let works = [same.clone(), same.clone(), same];
        assert_eq!(
            keys(&works),
            ["lim2019blind", "lim2019blinda", "lim2019blindb"]
        );
        assert_eq!(suffix(27), "aa");
    }

    #[test]
    fn many_works_of_one_base_get_the_suffixes_in_order() {
        let same = work("Sungjun Lim", 2019, "Blind Deconvolution");
        let mut taken = work("Someone Else", 2000, "Other");
        taken.key = Some("lim2019blindc".into());
        let mut works = vec![same.clone(); 800];
        works.insert(5, taken);
        let keys = keys(&works);
        let expected: Vec<String> = std::iter::once("lim2019blind".to_owned())
            .chain(
                (1..)
                    .filter(|&n| n != 3)
                    .map(|n| format!("lim2019blind{}", suffix(n))),
            )
            .take(800)
            .collect();
        let mut generated = keys.clone();
        generated.remove(5);
        assert_eq!(generated, expected);
        assert_eq!(keys[5], "lim2019blindc");
    }

    #[test]
    fn an_input_key_is_never_taken_by_a_generated_one() {
        let mut owner = work("Someone Else", 2000, "Other");
        owner.key = Some("lim2019blind".into());
        let works = [work("Sungjun Lim", 2019, "Blind"), owner];
        assert_eq!(keys(&works), ["lim2019blinda", "lim2019blind"]);
    }

    #[test]
    fn input_keys_lose_what_breaks_bibtex() {
        let mut odd = work("A B", 2000, "T");
        odd.key = Some("Smith, {2020} #1 ~x\\y".into());
        let mut empty = work("A B", 2000, "T");
        empty.key = Some("  ".into());
        assert_eq!(keys(&[odd, empty]), ["Smith_2020_1_x_y", "b2000t"]);
        for (key, made) in [
            ("RFC0001", "RFC0001"),
            ("doe-2020:a/b.c+d_e", "doe-2020:a/b.c+d_e"),
            (" doe2020 ", "doe2020"),
            ("doe 2020", "doe_2020"),
            ("müller2020", "müller2020"),
            ("a\u{a0}b", "a_b"),
        ] {
            assert_eq!(safe(key), made, "{key:?}");
        }
    }

    #[test]
    fn keys_differing_in_case_only_are_the_same_key() {
        let mut upper = work("A B", 2000, "T");
        upper.key = Some("ITEM-1".into());
        let mut lower = upper.clone();
        lower.key = Some("item-1".into());
        assert_eq!(keys(&[upper, lower]), ["ITEM-1", "item-1a"]);
    }

    #[test]
    fn works_without_author_year_or_title_still_get_keys() {
        assert_eq!(keys(&[Work::default(), Work::default()]), ["anon", "anona"]);
    }
}
