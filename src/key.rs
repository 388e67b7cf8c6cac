//! Citation keys: the input's own where it has one, otherwise generated in
//! Google Scholar's style (first author's family name, year, first
//! significant title word: `kim2022sufficient`), unique within the output.

use std::collections::HashSet;

use crate::model::Work;

/// Title words a key skips, as Google Scholar does.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "on", "of", "in", "for", "to", "and", "or", "with", "at", "by", "from",
    "via", "is", "are", "do", "does", "what", "how", "why", "when", "towards", "toward", "into",
    "using", "its", "it", "as", "be", "can", "we", "our", "your",
];

/// One key per work, in the same order, all distinct. A repeated key gets
/// the suffixes a, b, c, … in order of appearance.
pub fn citation_keys(works: &[Work]) -> Vec<String> {
    let own: HashSet<&str> = works
        .iter()
        .filter_map(|work| work.key.as_deref())
        .collect();
    let mut used: HashSet<String> = HashSet::new();
    works
        .iter()
        .map(|work| {
            let base = match &work.key {
                Some(key) => key.clone(),
                None => generated_key(work),
            };
            let key = (0..)
                .map(|n| {
                    if n == 0 {
                        base.clone()
                    } else {
                        format!("{base}{}", suffix(n))
                    }
                })
                .find(|candidate| {
                    let own_key = work.key.as_ref() == Some(candidate);
                    !used.contains(candidate) && (own_key || !own.contains(candidate.as_str()))
                })
                .unwrap_or(base);
            used.insert(key.clone());
            key
        })
        .collect()
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

fn generated_key(work: &Work) -> String {
    let author = work.authors.first().or(work.editors.first()).map_or_else(
        || "anon".to_owned(),
        |person| ascii_word(person.family_name()),
    );
    let year = work
        .date
        .map(|date| date.start.year.to_string())
        .unwrap_or_default();
    let title = work
        .title
        .as_ref()
        .map(|title| title.raw_string())
        .unwrap_or_default();
    let word = deunicode::deunicode(&title)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_lowercase)
        .find(|word| !word.is_empty() && !STOP_WORDS.contains(&word.as_str()))
        .unwrap_or_default();
    let author = if author.is_empty() {
        "anon".to_owned()
    } else {
        author
    };
    format!("{author}{year}{word}")
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

    #[test]
    fn keys_in_google_scholar_style() {
        let works = [
            work("Taero Kim", 2022, "Sufficient Invariant Learning"),
            work("Zoë Kovács-Müller", 2021, "On the Eigen-Value of Things"),
            work("Ludwig van Beethoven", 1808, "A Symphony"),
        ];
        assert_eq!(
            citation_keys(&works),
            [
                "kim2022sufficient",
                "kovacsmuller2021eigen",
                "beethoven1808symphony"
            ]
        );
    }

    #[test]
    fn repeated_keys_get_letter_suffixes() {
        let same = work("Sungjun Lim", 2019, "Blind Deconvolution");
        let works = [same.clone(), same.clone(), same];
        assert_eq!(
            citation_keys(&works),
            ["lim2019blind", "lim2019blinda", "lim2019blindb"]
        );
        assert_eq!(suffix(27), "aa");
    }

    #[test]
    fn an_input_key_is_never_taken_by_a_generated_one() {
        let mut owner = work("Someone Else", 2000, "Other");
        owner.key = Some("lim2019blind".into());
        let works = [work("Sungjun Lim", 2019, "Blind"), owner];
        assert_eq!(citation_keys(&works), ["lim2019blinda", "lim2019blind"]);
    }

    #[test]
    fn works_without_author_year_or_title_still_get_keys() {
        let keys = citation_keys(&[Work::default(), Work::default()]);
        assert_eq!(keys, ["anon", "anona"]);
    }
}
