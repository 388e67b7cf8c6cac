//! arXiv's subject classes (`data/arxiv-categories.tsv`, from arXiv's own
//! taxonomy) and the short codes profile pages show for them (`LG` for
//! `cs.LG`).

use std::collections::HashMap;
use std::sync::OnceLock;

const TAXONOMY: &str = include_str!("../data/arxiv-categories.tsv");

/// What a category code as written names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Exactly one arXiv category: `cs.LG`.
    Unique(&'static str),
    /// A suffix that several archives use (`CV`: cs.CV, math.CV).
    Ambiguous(Vec<&'static str>),
    Unknown,
}

/// Looks up a full category (`cs.LG`, `hep-th`) or a suffix (`LG`).
pub fn lookup(code: &str) -> Lookup {
    match by_code().get(code) {
        Some(full) if full.len() == 1 => Lookup::Unique(full[0]),
        Some(full) => Lookup::Ambiguous(full.clone()),
        None => Lookup::Unknown,
    }
}

/// The English name of a full category: `cs.LG` → "Machine Learning".
pub fn name(category: &str) -> Option<&'static str> {
    categories().find_map(|(code, name)| (code == category).then_some(name))
}

fn categories() -> impl Iterator<Item = (&'static str, &'static str)> {
    TAXONOMY
        .lines()
        .skip(1)
        .filter_map(|line| line.trim_end_matches('\r').split_once('\t'))
}

/// Every full category and every suffix, each with the categories it names.
fn by_code() -> &'static HashMap<&'static str, Vec<&'static str>> {
    static INDEX: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: HashMap<&str, Vec<&str>> = HashMap::new();
        for (full, _) in categories() {
            index.entry(full).or_default().push(full);
            if let Some((_, suffix)) = full.split_once('.') {
                index.entry(suffix).or_default().push(full);
            }
        }
        index
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_resolve_to_their_archive() {
        assert_eq!(lookup("LG"), Lookup::Unique("cs.LG"));
        assert_eq!(lookup("ML"), Lookup::Unique("stat.ML"));
        assert_eq!(lookup("IV"), Lookup::Unique("eess.IV"));
        assert_eq!(lookup("cs.CL"), Lookup::Unique("cs.CL"));
        assert_eq!(lookup("quant-ph"), Lookup::Unique("quant-ph"));
        assert_eq!(lookup("soc-ph"), Lookup::Unique("physics.soc-ph"));
        assert_eq!(name("cs.LG"), Some("Machine Learning"));
    }

    #[test]
    fn shared_suffixes_are_ambiguous() {
        let Lookup::Ambiguous(names) = lookup("CV") else {
            panic!("CV should be ambiguous");
        };
        assert!(names.contains(&"cs.CV") && names.contains(&"math.CV"));
        assert_eq!(lookup("XX"), Lookup::Unknown);
    }
}
