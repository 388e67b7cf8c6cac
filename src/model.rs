//! The intermediate model every reader produces and every writer consumes.
//!
//! A [`Library`] holds an optional researcher [`Profile`] and a list of
//! [`Work`]s. Readers know nothing of writers and writers know nothing of
//! readers: anything one format can say that another cannot still has a place
//! here (the `extra` map on a work), so nothing is lost on the way through.

mod date;
pub mod person;
mod text;
mod work;

pub use date::{Date, DateValue, Month, RangeEnd};
pub use person::{Person, PersonalName};
pub use text::{squeeze_white_space, trim_inlines, Casing, Inline, Style, Text};
pub use work::{
    arxiv_without_version, bare_doi, page_range, Category, DateVariable, Identifiers, Role,
    Variable, Venue, Work, WorkType,
};

/// Everything read from one or more inputs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Library {
    pub profile: Option<Profile>,
    pub works: Vec<Work>,
    /// `@preamble` contents of BibTeX inputs (TeX), for BibTeX output.
    pub preambles: Vec<String>,
    /// `@string` definitions of BibTeX inputs: name and TeX value, in file
    /// order, so BibTeX output can define and use them again.
    pub strings: Vec<(String, String)>,
}

impl Library {
    /// The owner's spellings: the names given (`--highlight`), else the
    /// profile's name; empty when neither says whose list this is.
    pub fn owner_spellings(&self, given: &[String]) -> Vec<String> {
        match given.is_empty() {
            false => given.to_vec(),
            true => self.profile.iter().map(|p| p.name.clone()).collect(),
        }
    }
}

/// The researcher a profile dump is about.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub name: String,
    /// The researcher's primary arXiv field, when the profile gives one.
    pub primary_field: Option<Category>,
    pub metrics: Metrics,
}

/// Profile metrics as the profile page showed them; any may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metrics {
    pub h_index: Option<u64>,
    pub papers: Option<u64>,
    pub citations: Option<u64>,
    /// Scholar Feed's "Novelty" percentage.
    pub novelty_percent: Option<u64>,
    /// Scholar Feed's "AI Score".
    pub ai_score: Option<u64>,
}
