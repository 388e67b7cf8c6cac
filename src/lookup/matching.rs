//! When a service's candidate is the work looked up.
//!
//! Asked by an identifier the work has, a candidate with that identifier
//! is the work. Found by a search, a candidate is the work only when
//!
//! - its title, folded (case, accents, punctuation), is the work's;
//! - at least one author's family name is among the work's;
//! - its year is within one of the work's;
//! - it is not the published version of a work that is a preprint: that
//!   version is taken only through the DOI arXiv gives (`arxiv:doi`), a
//!   search's likeness of titles is not enough to say a preprint
//!   appeared somewhere.
//!
//! Of several candidates that pass, one of the work's kind (published, or
//! a preprint) wins, then the earliest: a reprint or a re-deposit (a 2025
//! copy of a 2017 paper under another publisher) loses to the original.

use crate::model::person::fold;
use crate::model::{arxiv_without_version, bare_doi, Person, Work, WorkType};

use super::services::{Asked, Query};

/// What a reply's candidates come to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// The candidate at `index` is the work; `passed_over` later records
    /// of it lost to it.
    Match { index: usize, passed_over: usize },
    /// None is, and why, in words for the report.
    None(String),
}

/// Picks the candidate that is `work`, by the rules in the module comment.
pub fn choose(work: &Work, candidates: &[Work], query: &Query) -> Choice {
    if candidates.is_empty() {
        return Choice::None("no candidates".into());
    }
    let verdicts: Vec<Result<(), Mismatch>> = candidates
        .iter()
        .map(|candidate| judge(work, candidate, &query.asked))
        .collect();
    let passing: Vec<usize> = (0..candidates.len())
        .filter(|&index| verdicts[index].is_ok())
        .collect();
    let year = |index: usize| {
        candidates[index]
            .date
            .map_or(i32::MAX, |date| date.start.year)
    };
    // A record of the same kind first (a published version for a work
    // that appeared, a preprint for a preprint), then the earliest.
    let other_kind = |index: usize| is_preprint(&candidates[index]) != is_preprint(work);
    match passing
        .iter()
        .copied()
        .min_by_key(|&index| (other_kind(index), year(index), index))
    {
        Some(index) => Choice::Match {
            index,
            passed_over: passing.len() - 1,
        },
        None => {
            let mut reasons: Vec<&'static str> = verdicts
                .iter()
                .filter_map(|verdict| verdict.as_ref().err().map(|mismatch| mismatch.words()))
                .collect();
            reasons.sort_unstable();
            reasons.dedup();
            let count = candidates.len();
            Choice::None(format!(
                "{count} candidate{}, {}",
                if count == 1 { "" } else { "s" },
                reasons.join("; ")
            ))
        }
    }
}

/// Why a candidate is not the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mismatch {
    Identifier,
    Title,
    Authors,
    Year,
    PublishedVersion,
}

impl Mismatch {
    fn words(self) -> &'static str {
        match self {
            Mismatch::Identifier => "identifiers differ",
            Mismatch::Title => "titles differ",
            Mismatch::Authors => "no author in common",
            Mismatch::Year => "years more than one apart",
            Mismatch::PublishedVersion => {
                "a published version, taken only through the DOI arXiv gives"
            }
        }
    }
}

fn judge(work: &Work, candidate: &Work, asked: &Asked) -> Result<(), Mismatch> {
    let same_doi = matches!(
        (doi(work), doi(candidate)),
        (Some(mine), Some(theirs)) if mine == theirs
    );
    let same_arxiv = matches!(
        (arxiv(work), arxiv(candidate)),
        (Some(mine), Some(theirs)) if mine == theirs
    );
    if same_doi || same_arxiv {
        return Ok(());
    }
    if *asked == Asked::Identifier {
        return Err(Mismatch::Identifier);
    }
    let title = |work: &Work| work.title.as_ref().map(|title| fold(&title.raw_string()));
    if title(work).is_none_or(|title| title.is_empty()) || title(work) != title(candidate) {
        return Err(Mismatch::Title);
    }
    if !work.authors.is_empty() && !shares_a_family_name(&work.authors, &candidate.authors) {
        return Err(Mismatch::Authors);
    }
    if let (Some(mine), Some(theirs)) = (work.date, candidate.date) {
        if (mine.start.year - theirs.start.year).abs() > 1 {
            return Err(Mismatch::Year);
        }
    }
    if is_preprint(work) && !is_preprint(candidate) {
        return Err(Mismatch::PublishedVersion);
    }
    Ok(())
}

fn shares_a_family_name(mine: &[Person], theirs: &[Person]) -> bool {
    let families = |people: &[Person]| -> Vec<String> {
        people
            .iter()
            .map(|person| fold(person.family_name()))
            .filter(|family| !family.is_empty())
            .collect()
    };
    let theirs = families(theirs);
    families(mine).iter().any(|family| theirs.contains(family))
}

/// A work that is a preprint and says nowhere else it appeared.
fn is_preprint(work: &Work) -> bool {
    work.venue.container_title.is_none()
        && (work.kind == WorkType::Preprint || work.ids.arxiv.is_some())
}

fn doi(work: &Work) -> Option<String> {
    work.ids
        .doi
        .as_deref()
        .map(|doi| bare_doi(doi).to_ascii_lowercase())
}

/// The arXiv id without its version.
fn arxiv(work: &Work) -> Option<&str> {
    work.ids.arxiv.as_deref().map(arxiv_without_version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lookup::services::query;
    use crate::lookup::Service;
    use crate::model::{Date, Text};

    fn work(title: &str, year: i32, authors: &[&str]) -> Work {
        Work {
            title: Some(Text::plain(title)),
            date: Some(Date::year(year).into()),
            authors: authors
                .iter()
                .map(|name| Person::from_display_name(name))
                .collect(),
            kind: WorkType::JournalArticle,
            ..Work::default()
        }
    }

    #[test]
    fn a_search_hit_must_match_title_an_author_and_the_year() {
        let mine = work("Attention Is All You Need", 2017, &["Ashish Vaswani"]);
        let search = query(Service::Crossref, &mine).unwrap();
        let other_title = work("Attention Is Not All You Need", 2017, &["A. Vaswani"]);
        let other_people = work("Attention is all you need!", 2017, &["Jane Doe"]);
        let too_late = work("Attention Is All You Need", 2021, &["A. Vaswani"]);
        let original = work(
            "ATTENTION IS ALL YOU NEED",
            2018,
            &["Noam Shazeer", "A. Vaswani"],
        );
        let reprint = work("Attention Is All You Need", 2017, &["Ashish Vaswani"]);
        let mut reprint = reprint;
        reprint.date = Some(Date::year(2018).into());
        let candidates = [other_title, other_people, too_late, reprint, original];
        assert_eq!(
            choose(&mine, &candidates[..3], &search),
            Choice::None(
                "3 candidates, no author in common; titles differ; years more than one apart"
                    .into()
            )
        );
        assert_eq!(
            choose(&mine, &candidates, &search),
            Choice::Match {
                index: 3,
                passed_over: 1
            }
        );
    }

    #[test]
    fn the_original_beats_a_later_copy() {
        let mut mine = work("Attention Is All You Need", 2017, &["Ashish Vaswani"]);
        mine.date = None;
        let search = query(Service::Crossref, &mine).unwrap();
        let copy = work("Attention Is All You Need", 2025, &["Ashish Vaswani"]);
        let original = work("Attention Is All You Need", 2017, &["Ashish Vaswani"]);
        assert_eq!(
            choose(&mine, &[copy, original], &search),
            Choice::Match {
                index: 1,
                passed_over: 1
            }
        );
    }

    #[test]
    fn a_preprint_is_not_matched_to_a_published_version_by_title() {
        let mut preprint = work("Flat Posterior Does Matter", 2024, &["Sungjun Lim"]);
        preprint.kind = WorkType::Preprint;
        let search = query(Service::Dblp, &preprint).unwrap();
        let mut published = work("Flat Posterior Does Matter", 2025, &["Sungjun Lim"]);
        published.venue.container_title = Some(Text::plain("NeurIPS"));
        assert!(matches!(
            choose(&preprint, std::slice::from_ref(&published), &search),
            Choice::None(reason) if reason.contains("published version")
        ));
        // The same DOI says it is the same work, whatever the titles.
        preprint.ids.doi = Some("10.5555/X".into());
        published.ids.doi = Some("https://doi.org/10.5555/x".into());
        published.title = Some(Text::plain("Another Title"));
        assert!(matches!(
            choose(&preprint, &[published], &search),
            Choice::Match { index: 0, .. }
        ));
    }

    #[test]
    fn asked_by_identifier_only_that_identifier_matches() {
        let mut mine = work("A", 2020, &["B C"]);
        mine.ids.arxiv = Some("2210.13533".into());
        let by_id = query(Service::Arxiv, &mine).unwrap();
        let mut same = work("Completely other", 2010, &["X Y"]);
        same.ids.arxiv = Some("2210.13533v3".into());
        let other = work("A", 2020, &["B C"]);
        assert_eq!(
            choose(&mine, &[other.clone(), same], &by_id),
            Choice::Match {
                index: 1,
                passed_over: 0
            }
        );
        assert_eq!(
            choose(&mine, &[other], &by_id),
            Choice::None("1 candidate, identifiers differ".into())
        );
    }
}
