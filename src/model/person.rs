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
