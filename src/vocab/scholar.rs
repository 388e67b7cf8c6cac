//! Google Scholar's vocabulary: how the name of a venue tells a conference
//! from a journal. Scholar files every row under one venue string and
//! guesses `@article` for most of them, so both the profile paste reader
//! and the repairs of its BibTeX export decide the kind of a work from the
//! venue's name alone, with these tables.

/// Words of a venue's name that make it a conference's.
const CONFERENCE_WORDS: &[&str] = &["proceedings", "conference", "workshop", "symposium"];

/// Conference proceedings whose names hold none of those words.
const CONFERENCE_SERIES: &[&str] = &[
    "advances in neural information processing systems",
    "findings of the association for computational linguistics",
];

/// Journals named "Proceedings …", which no conference word else makes a
/// conference's: the name the venue starts with, and whether it must be
/// the whole name (`Proceedings of the IEEE`, not `Proceedings of the IEEE
/// International Conference …`, which the word conference tells apart,
/// nor `Proceedings of the IEEE/CVF …`).
const PROCEEDINGS_JOURNALS: &[(&str, bool)] = &[
    ("proceedings of the national academy of sciences", false),
    ("proceedings of the royal society", false),
    ("proceedings of the ieee", true),
    ("proceedings of the vldb endowment", false),
    ("proceedings of the acm on", false),
    ("proceedings of the american mathematical society", false),
    ("proceedings of the london mathematical society", false),
];

/// Whether a venue's name (without volume, issue and pages) is a
/// conference's: a conference word, a known series, or a year in the name
/// (`Computer Vision–ECCV 2004`; journals do not name their years).
pub fn is_conference(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    let conference_word = CONFERENCE_WORDS[1..]
        .iter()
        .any(|word| lower.contains(word));
    let series = CONFERENCE_SERIES
        .iter()
        .any(|series| lower.starts_with(series));
    let proceedings = lower.contains(CONFERENCE_WORDS[0])
        && !PROCEEDINGS_JOURNALS.iter().any(|&(journal, whole)| {
            lower.strip_prefix(journal).is_some_and(|rest| {
                rest.is_empty() || (!whole && rest.starts_with(|c: char| !c.is_alphanumeric()))
            })
        });
    conference_word || series || proceedings || names_a_year(&lower)
}

/// A word of four digits from 1900 to 2099, alone or glued to a dash or
/// an apostrophe (`ECCV 2004`, `MICCAI–2015`).
fn names_a_year(name: &str) -> bool {
    name.split(|c: char| !c.is_ascii_digit())
        .any(|digits| digits.len() == 4 && (digits.starts_with("19") || digits.starts_with("20")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conferences_told_from_journals() {
        for (name, conference) in [
            (
                "Proceedings of the IEEE conference on computer vision",
                true,
            ),
            ("International Workshop on X", true),
            ("ACM SYMPOSIUM ON THEORY OF COMPUTING", true),
            ("Proceedings of ACL", true),
            ("Computer Vision-ECCV 2004", true),
            ("Medical Image Computing–MICCAI 2015", true),
            ("Advances in neural information processing systems", true),
            ("Proceedings of the IEEE/CVF", true),
            ("Nature", false),
            ("Proceedings of the National Academy of Sciences", false),
            (
                "Proceedings of the National Academy of Sciences of the United States of",
                false,
            ),
            ("Proceedings of the IEEE", false),
            ("Proceedings of the Royal Society A", false),
            ("Journal of Machine Learning Research", false),
            ("Physical Review B", false),
            ("Revista Española de Cardiología", false),
        ] {
            assert_eq!(is_conference(name), conference, "{name}");
        }
    }
}
