//! People: authors and editors, with their name split into parts so that
//! each format can write the parts it knows (`von Last, Jr, First` for
//! BibTeX, `family`/`given`/`non-dropping-particle` for CSL-JSON).

/// One author or editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Person {
    /// A person's name in parts.
    Personal(PersonalName),
    /// A name never split into parts: an organisation or a collective
    /// ("World Health Organization", "The ATLAS Collaboration").
    Literal(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonalName {
    pub given: Option<String>,
    pub family: String,
    /// Lower-case words between given and family name: "van", "de la".
    pub particle: Option<String>,
    /// The particle is left out when the name is sorted or cited by family
    /// name alone (CSL's "dropping" particle); otherwise it stays with the
    /// family name.
    pub dropping_particle: bool,
    /// "Jr.", "III".
    pub suffix: Option<String>,
}

/// Words that end a name as a generational suffix rather than a family name.
const SUFFIXES: &[&str] = &["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "V"];

impl Person {
    /// Splits a display name written given-name first ("Sang-Eun Lee",
    /// "Ludwig van Beethoven", "Martin Luther King Jr.").
    pub fn from_display_name(name: &str) -> Person {
        let mut words: Vec<&str> = name.split_whitespace().collect();
        let suffix = match words.as_slice() {
            [_, .., last] if SUFFIXES.contains(last) => words.pop().map(str::to_owned),
            _ => None,
        };
        let Some(family) = words.pop() else {
            return Person::Literal(name.trim().to_owned());
        };
        // The particle is the run of lower-case words right before the family
        // name; the first word is always a given name, whatever its case.
        let particle_start = (1..=words.len())
            .rev()
            .take_while(|&i| i > 1 && starts_lowercase(words[i - 1]))
            .last()
            .map_or(words.len(), |i| i - 1);
        let join = |part: &[&str]| (!part.is_empty()).then(|| part.join(" "));
        Person::Personal(PersonalName {
            given: join(&words[..particle_start]),
            particle: join(&words[particle_start..]),
            family: family.to_owned(),
            suffix,
            dropping_particle: false,
        })
    }

    /// The name as a reader would write it: "Ludwig van Beethoven".
    pub fn display_name(&self) -> String {
        match self {
            Person::Literal(name) => name.clone(),
            Person::Personal(name) => [
                name.given.as_deref(),
                name.particle.as_deref(),
                Some(name.family.as_str()),
                name.suffix.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
        }
    }

    /// The family name, or the whole literal name: what citation keys and
    /// sorting start from.
    pub fn family_name(&self) -> &str {
        match self {
            Person::Literal(name) => name,
            Person::Personal(name) => &name.family,
        }
    }
}

/// Whether `person` is the owner of a CV, named by any of `spellings`
/// (each as [`Person::matches`] reads it): the one test every output that
/// sets the owner apart (Markdown's bold, BibLaTeX's annotations) shares.
pub fn is_owner(person: &Person, spellings: &[String]) -> bool {
    spellings.iter().any(|spelling| person.matches(spelling))
}

impl Person {
    /// True when `name` (written "First Last" or "Last, First") names this
    /// person, whatever the accents, case, hyphens and particles, and with
    /// initials standing for given names: "S. Lim" and "Kovacs-Muller, Zoe"
    /// match "Sungjun Lim" and "Zoë Kovács-Müller".
    pub fn matches(&self, name: &str) -> bool {
        let other = match name.split_once(',') {
            Some((family, given)) => Person::Personal(PersonalName {
                given: Some(given.trim().to_owned()).filter(|given| !given.is_empty()),
                family: family.trim().to_owned(),
                ..PersonalName::default()
            }),
            None => Person::from_display_name(name),
        };
        match (self, &other) {
            (Person::Personal(mine), Person::Personal(theirs)) => {
                // "van Beethoven" or "Beethoven": the particle may be written
                // with the family name or not at all.
                let forms = |name: &PersonalName| {
                    let with_particle = format!(
                        "{}{}",
                        name.particle.as_deref().unwrap_or_default(),
                        name.family
                    );
                    [fold(&name.family), fold(&with_particle)]
                };
                let families_match = forms(mine).iter().any(|form| forms(theirs).contains(form));
                families_match && given_names_match(mine.given.as_deref(), theirs.given.as_deref())
            }
            _ => fold(&self.display_name()) == fold(&other.display_name()),
        }
    }
}

/// ASCII lower-case letters and digits only: how names and titles are
/// compared across spellings.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Given names match in full, or by their initials when either side gives
/// only initials ("S.", "S.-E.", or run together in capitals as Google
/// Scholar writes them: "JT" for "Jeffrey T.").
fn given_names_match(mine: Option<&str>, theirs: Option<&str>) -> bool {
    let (Some(mine), Some(theirs)) = (mine, theirs) else {
        return true;
    };
    // "JT" may be initials or a name in capitals ("LI", "BO"): either
    // reading that matches will do.
    let as_initials = |given: &str| -> Option<String> {
        let capitals = given.split_whitespace().any(is_run_of_initials);
        capitals.then(|| {
            given
                .split_whitespace()
                .map(|word| match is_run_of_initials(word) {
                    true => word.chars().map(|c| format!("{c} ")).collect(),
                    false => format!("{word} "),
                })
                .collect()
        })
    };
    let readings = |given: &str| {
        let mut readings = vec![given.to_owned()];
        readings.extend(as_initials(given));
        readings
    };
    readings(mine).iter().any(|mine| {
        readings(theirs)
            .iter()
            .any(|theirs| given_names_match_as_written(mine, theirs))
    })
}

/// Two to four capitals with nothing between them: "JT", "WEJ".
fn is_run_of_initials(word: &str) -> bool {
    (2..=4).contains(&word.chars().count()) && word.chars().all(char::is_uppercase)
}

fn given_names_match_as_written(mine: &str, theirs: &str) -> bool {
    let words = |given: &str| -> Vec<String> {
        given
            .split(|c: char| c.is_whitespace() || c == '-' || c == '.')
            .map(fold)
            .filter(|word| !word.is_empty())
            .collect()
    };
    let (mine, theirs) = (words(mine), words(theirs));
    let initials_only = |words: &[String]| words.iter().all(|word| word.len() == 1);
    if initials_only(&mine) || initials_only(&theirs) {
        let initials = |words: &[String]| {
            words
                .iter()
                .filter_map(|w| w.chars().next())
                .collect::<String>()
        };
        initials(&mine) == initials(&theirs)
    } else {
        mine.concat() == theirs.concat()
    }
}

fn starts_lowercase(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(name: &str) -> (Option<String>, Option<String>, String, Option<String>) {
        match Person::from_display_name(name) {
            Person::Personal(p) => (p.given, p.particle, p.family, p.suffix),
            Person::Literal(l) => panic!("{name} became the literal {l}"),
        }
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    #[test]
    fn display_names_split_into_parts() {
        assert_eq!(
            parts("Sang-Eun Lee"),
            (some("Sang-Eun"), None, "Lee".into(), None)
        );
        assert_eq!(
            parts("Jean de la Fontaine"),
            (some("Jean"), some("de la"), "Fontaine".into(), None)
        );
        assert_eq!(
            parts("Martin Luther King Jr."),
            (some("Martin Luther"), None, "King".into(), some("Jr."))
        );
        assert_eq!(
            parts("Zoë Kovács-Müller"),
            (some("Zoë"), None, "Kovács-Müller".into(), None)
        );
        assert_eq!(parts("Plato"), (None, None, "Plato".into(), None));
        assert_eq!(
            parts("bell hooks"),
            (some("bell"), None, "hooks".into(), None)
        );
    }

    #[test]
    fn names_match_across_spellings() {
        let lim = Person::from_display_name("Sungjun Lim");
        for name in [
            "Sungjun Lim",
            "S. Lim",
            "Lim, Sungjun",
            "Lim, S.",
            "SUNGJUN LIM",
        ] {
            assert!(lim.matches(name), "{name}");
        }
        for name in ["Sungjun Kim", "T. Lim", "Taero Lim"] {
            assert!(!lim.matches(name), "{name}");
        }
        let zoe = Person::from_display_name("Zoë Kovács-Müller");
        assert!(zoe.matches("Zoe Kovacs-Muller") && zoe.matches("Kovacs Muller, Z."));
        let sang = Person::from_display_name("Sang-Eun Lee");
        assert!(
            sang.matches("S.-E. Lee") && sang.matches("Sang Eun Lee") && !sang.matches("S. Lee")
        );
        let ludwig = Person::from_display_name("Ludwig van Beethoven");
        assert!(ludwig.matches("L. Beethoven") && ludwig.matches("van Beethoven, Ludwig"));
        // Scholar's initials, run together in capitals.
        let leek = Person::from_display_name("JT Leek");
        assert!(leek.matches("Jeffrey T. Leek") && leek.matches("J. T. Leek"));
        assert!(leek.matches("Leek, Jeffrey Tobias") && !leek.matches("Jeffrey Leek"));
        assert!(!Person::from_display_name("JT Leek").matches("Jane Leek"));
        let wei = Person::from_display_name("WEI LIU");
        assert!(wei.matches("Wei Liu") && wei.matches("W. E. I. Liu"));
    }

    #[test]
    fn display_name_round_trips() {
        for name in [
            "Ludwig van Beethoven",
            "Martin Luther King Jr.",
            "Plato",
            "Sungjun Lim",
        ] {
            assert_eq!(Person::from_display_name(name).display_name(), name);
        }
    }
}
