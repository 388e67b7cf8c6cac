//! Per-work pages laid out as a static-site theme reads them (`--per-file
//! DIR --site …`): which file each work goes to under the site's root, and
//! the keys of its YAML front matter.
//!
//! Sites, in [`Site::NAMES`]:
//! * `plain`: one Markdown file per work named by its key, with generic
//!   front matter and the CV item as body ([`markdown::per_file`]).
//! * `hugo-blox`: Hugo Blox's current bundles,
//!   `content/publications/<slug>/index.md` with `hugoblox.ids`, typed
//!   `links` and CSL `publication_types`, and a `cite.bib` beside it.
//! * `hugo-blox-legacy`: the schema of the older `academic import`
//!   converter, `content/publication/<slug>/index.md` with numeric
//!   `publication_types`, `doi`, `url_pdf` and named `links`, and a
//!   `cite.bib`.
//! * `academicpages`: Jekyll's `_publications/<date>-<slug>.md` with
//!   `collection`, `permalink`, `venue`, `paperurl` and `citation`.
//!
//! Slugs come from citation keys, so a page keeps its path from run to
//! run; they are lowercase ASCII and unique within a run. This module also
//! owns the YAML spelling every front matter shares ([`yaml_string`]).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::str::FromStr;

use crate::key::citation_keys;
use crate::model::{Date, Library, Work};
use crate::vocab::csl;
use crate::write::bibtex;
use crate::write::cv::{self, Kind, Owner, Piece};
use crate::write::markdown;
use crate::write::Options as WriteOptions;

/// Where and how per-work pages are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Site {
    #[default]
    Plain,
    HugoBlox,
    HugoBloxLegacy,
    Academicpages,
}

/// Each site by its name on the command line.
const SITES: &[(Site, &str)] = &[
    (Site::Plain, "plain"),
    (Site::HugoBlox, "hugo-blox"),
    (Site::HugoBloxLegacy, "hugo-blox-legacy"),
    (Site::Academicpages, "academicpages"),
];

impl Site {
    pub const NAMES: &'static [&'static str] =
        &["plain", "hugo-blox", "hugo-blox-legacy", "academicpages"];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        SITES
            .iter()
            .find(|(site, _)| *site == self)
            .map_or("plain", |(_, name)| name)
    }
}

impl FromStr for Site {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        SITES
            .iter()
            .find(|(_, name)| *name == text)
            .map(|(site, _)| *site)
            .ok_or_else(|| format!("`{text}` is not one of {}", Site::NAMES.join(", ")))
    }
}

/// The files of the chosen works, as paths relative to the site's root
/// (always inside it: no `..`, no leading `/`) and their text.
pub fn pages(library: &Library, options: &WriteOptions, site: Site) -> Vec<(String, String)> {
    if site == Site::Plain {
        return markdown::per_file(library, options);
    }
    let owner = cv::owner(library, &options.markdown);
    let keys = citation_keys(&library.works, &options.key_pattern);
    let mut slugs = Slugs::default();
    let mut files = Vec::new();
    let chosen = cv::chosen(library, options);
    // With a citation style, the citations are the style's, rendered as
    // one list, as the CV section renders them; a page holds one work, so
    // a number from the style would count nothing there.
    let mut styled = options.style.as_deref().map(|style| {
        let works: Vec<&Work> = chosen.iter().map(|&index| &library.works[index]).collect();
        let labels = crate::style::Labels::ButNumbers;
        crate::style::render(&works, &|person| owner.is(person), style, labels).into_iter()
    });
    for index in chosen {
        let (work, key) = (&library.works[index], &keys[index]);
        let slug = slugs.take(&slug(key).to_ascii_lowercase());
        let page = Page {
            library,
            work,
            key,
            owner: &owner,
            options,
            styled: styled.as_mut().and_then(Iterator::next),
        };
        // A Hugo Blox bundle: the page and the `cite.bib` its theme shows.
        let bundle = match site {
            Site::HugoBlox => Some(("content/publications", page.hugo_blox())),
            Site::HugoBloxLegacy => Some(("content/publication", page.hugo_blox_legacy())),
            Site::Plain | Site::Academicpages => None,
        };
        match bundle {
            Some((folder, front)) => {
                files.push((format!("{folder}/{slug}/index.md"), document(&front, "")));
                files.push((format!("{folder}/{slug}/cite.bib"), page.bib()));
            }
            // Plain pages were written above: the rest are academicpages'.
            None => {
                let name = match work.date {
                    Some(date) => format!("{}-{slug}", full_date(date.start)),
                    None => slug,
                };
                let front = page.academicpages(&name);
                let body = work
                    .abstract_text
                    .as_ref()
                    .map(|text| markdown::escape(&markdown::plain(text)))
                    .unwrap_or_default();
                files.push((format!("_publications/{name}.md"), document(&front, &body)));
            }
        }
    }
    files
}

/// The slugs given so far in a run, so that no two works share one.
#[derive(Default)]
pub(crate) struct Slugs(HashSet<String>);

impl Slugs {
    /// The slug, or the first of `slug-1`, `slug-2`, … not yet given.
    pub(crate) fn take(&mut self, slug: &str) -> String {
        (0..)
            .map(|n| match n {
                0 => slug.to_owned(),
                n => format!("{slug}-{n}"),
            })
            .find(|name| self.0.insert(name.to_lowercase()))
            .unwrap_or_default()
    }
}

/// A slug from a key: ASCII letters, digits, `-` and `_`.
pub(crate) fn slug(key: &str) -> String {
    let slug: String = deunicode::deunicode(key)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() {
        "work".to_owned()
    } else {
        slug
    }
}

/// `2024-06-01`: a date to the day, month and day `01` where unknown, as
/// file names and site generators want one.
fn full_date(date: Date) -> String {
    let month = date.month.map_or(1, |month| month.number());
    let day = date.day.unwrap_or(1);
    format!("{:04}-{month:02}-{day:02}", date.year)
}

/// One work's page, with what every site's layout needs.
struct Page<'a> {
    library: &'a Library,
    work: &'a Work,
    key: &'a str,
    owner: &'a Owner,
    options: &'a WriteOptions,
    /// The work in the citation style, when one is given.
    styled: Option<Vec<Piece>>,
}

impl Page<'_> {
    fn title(&self) -> Option<Yaml> {
        self.work
            .title
            .as_ref()
            .map(|title| Yaml::string(markdown::plain(title)))
    }

    fn abstract_text(&self) -> Option<Yaml> {
        let text = self.work.abstract_text.as_ref()?;
        Some(Yaml::string(markdown::plain(text)))
    }

    /// The authors; Hugo Blox names the site's owner `admin`, the user
    /// profile its theme fills in.
    fn hugo_authors(&self) -> Option<Yaml> {
        let names = self.work.authors.iter().map(|person| {
            Yaml::string(match self.owner.is(person) {
                true => "admin".to_owned(),
                false => person.display_name(),
            })
        });
        Some(Yaml::List(names.collect()))
    }

    fn hugo_date(&self) -> Option<Yaml> {
        let date = self.work.date?;
        Some(Yaml::string(format!("{}T00:00:00Z", full_date(date.start))))
    }

    /// Where it appeared, as Markdown (`In *Proceedings*`).
    fn publication_markdown(&self) -> Option<Yaml> {
        let venue = cv::venue_pieces(self.work)?;
        Some(Yaml::string(markdown::spell(&venue)))
    }

    /// The current Hugo Blox schema.
    fn hugo_blox(&self) -> Vec<(&'static str, Option<Yaml>)> {
        let ids = &self.work.ids;
        let id_entries: Vec<(&'static str, Option<Yaml>)> = vec![
            ("doi", ids.doi.clone().map(Yaml::string)),
            ("arxiv", ids.arxiv.clone().map(Yaml::string)),
        ];
        let has_ids = id_entries.iter().any(|(_, value)| value.is_some());
        let mut links = Vec::new();
        if let Some(id) = &ids.arxiv {
            links.push(Yaml::map([
                ("type", Some(Yaml::string("preprint"))),
                ("provider", Some(Yaml::string("arxiv"))),
                ("id", Some(Yaml::string(id.clone()))),
            ]));
        }
        if let Some(url) = self.own_url() {
            links.push(match is_pdf(url) {
                true => Yaml::map([
                    ("type", Some(Yaml::string("pdf"))),
                    ("url", Some(Yaml::string(url))),
                ]),
                false => Yaml::map([
                    ("type", Some(Yaml::string("custom"))),
                    ("label", Some(Yaml::string("URL"))),
                    ("url", Some(Yaml::string(url))),
                ]),
            });
        }
        vec![
            ("title", self.title()),
            ("authors", self.hugo_authors()),
            ("date", self.hugo_date()),
            (
                "publication_types",
                Some(Yaml::List(vec![Yaml::string(csl::type_name(
                    self.work.kind,
                ))])),
            ),
            ("publication", self.publication_markdown()),
            ("abstract", self.abstract_text()),
            ("featured", Some(Yaml::Plain("false"))),
            (
                "hugoblox",
                has_ids.then(|| Yaml::map([("ids", Some(Yaml::map(id_entries)))])),
            ),
            ("links", (!links.is_empty()).then_some(Yaml::List(links))),
        ]
    }

    /// The schema the `academic import` converter writes.
    fn hugo_blox_legacy(&self) -> Vec<(&'static str, Option<Yaml>)> {
        let ids = &self.work.ids;
        let url = self.own_url();
        let pdf = url.filter(|url| is_pdf(url));
        let other = url.filter(|url| !is_pdf(url)).map(|url| {
            Yaml::List(vec![Yaml::map([
                ("name", Some(Yaml::string("URL"))),
                ("url", Some(Yaml::string(url))),
            ])])
        });
        vec![
            ("title", self.title()),
            ("authors", self.hugo_authors()),
            ("date", self.hugo_date()),
            (
                "publication_types",
                Some(Yaml::List(vec![Yaml::string(legacy_type(self.work))])),
            ),
            ("publication", self.publication_markdown()),
            ("abstract", self.abstract_text()),
            ("featured", Some(Yaml::Plain("false"))),
            ("doi", ids.doi.clone().map(Yaml::string)),
            (
                "url_preprint",
                ids.arxiv
                    .as_ref()
                    .map(|id| Yaml::string(format!("https://arxiv.org/abs/{id}"))),
            ),
            ("url_pdf", pdf.map(Yaml::string)),
            ("links", other),
        ]
    }

    /// academicpages' schema; `name` is the file's, without `.md`.
    fn academicpages(&self, name: &str) -> Vec<(&'static str, Option<Yaml>)> {
        let item = match &self.styled {
            Some(pieces) => pieces.clone(),
            None => cv::item_pieces(self.work, self.owner, &self.options.markdown),
        };
        let venue = cv::venue_pieces(self.work).map(|venue| html_text(&cv::plain(&venue)));
        vec![
            ("title", self.title()),
            ("collection", Some(Yaml::string("publications"))),
            (
                "category",
                Some(Yaml::string(academicpages_category(self.work))),
            ),
            (
                "permalink",
                Some(Yaml::string(format!("/publication/{name}"))),
            ),
            (
                "date",
                self.work
                    .date
                    .map(|date| Yaml::string(full_date(date.start))),
            ),
            ("venue", venue.map(Yaml::string)),
            ("paperurl", self.paper_url().map(Yaml::string)),
            ("citation", Some(Yaml::string(citation(&item)))),
        ]
    }

    /// The work's own URL, unless it only points at its DOI or arXiv page.
    fn own_url(&self) -> Option<&str> {
        let ids = &self.work.ids;
        let url = ids.url.as_deref()?;
        let is_doi_or_arxiv = url.contains("doi.org/") && ids.doi.is_some()
            || url.contains("arxiv.org/abs/") && ids.arxiv.is_some();
        (!is_doi_or_arxiv).then_some(url)
    }

    /// Where the paper is read: its URL, else its DOI or arXiv page.
    fn paper_url(&self) -> Option<String> {
        let ids = &self.work.ids;
        ids.url
            .clone()
            .or_else(|| ids.doi.as_ref().map(|doi| format!("https://doi.org/{doi}")))
            .or_else(|| {
                ids.arxiv
                    .as_ref()
                    .map(|id| format!("https://arxiv.org/abs/{id}"))
            })
    }

    /// The work as BibLaTeX under its key, for visitors to copy: without
    /// the owner's annotations, which only the owner's CV uses.
    fn bib(&self) -> String {
        let mut work = self.work.clone();
        work.key = Some(self.key.to_owned());
        let one = Library {
            profile: None,
            works: vec![work],
            preambles: self.library.preambles.clone(),
            strings: self.library.strings.clone(),
        };
        let mut options = self.options.clone();
        options.markdown.highlight.clear();
        bibtex::write(&one, bibtex::Dialect::Biblatex, &options, &mut Vec::new())
    }
}

/// The `citation` academicpages shows under a publication: the item's
/// pieces, built by whichever layout the run uses, as plain text escaped
/// for the HTML the theme pastes it into.
pub fn citation(item: &[Piece]) -> String {
    html_text(&cv::plain(item))
}

/// Text for a theme that puts it into HTML as it is.
fn html_text(text: &str) -> String {
    crate::write::html::escape(text)
}

fn is_pdf(url: &str) -> bool {
    url.to_ascii_lowercase().ends_with(".pdf")
}

/// The numeric publication types of the older Hugo Academic themes.
const LEGACY_TYPES: &[(Kind, &str)] = &[
    (Kind::Other, "0"),
    (Kind::Conference, "1"),
    (Kind::Article, "2"),
    (Kind::Preprint, "3"),
    (Kind::Report, "4"),
    (Kind::Book, "5"),
    (Kind::Chapter, "6"),
    (Kind::Thesis, "7"),
];

fn legacy_type(work: &Work) -> &'static str {
    let kind = Kind::of(work);
    LEGACY_TYPES
        .iter()
        .find(|(listed, _)| *listed == kind)
        .map_or("0", |(_, code)| code)
}

/// The categories of academicpages' `publication_category` setting its
/// publications page groups by; the kinds not named are manuscripts.
const ACADEMICPAGES_CATEGORIES: &[(Kind, &str)] = &[
    (Kind::Conference, "conferences"),
    (Kind::Book, "books"),
    (Kind::Chapter, "books"),
];

fn academicpages_category(work: &Work) -> &'static str {
    let kind = Kind::of(work);
    ACADEMICPAGES_CATEGORIES
        .iter()
        .find(|(listed, _)| *listed == kind)
        .map_or("manuscripts", |(_, category)| category)
}

/// A YAML value, as front matter holds them.
enum Yaml {
    /// A string, always double-quoted.
    String(String),
    /// A scalar written as it is (`false`).
    Plain(&'static str),
    List(Vec<Yaml>),
    /// Keys in order; a key without a value is left out.
    Map(Vec<(&'static str, Option<Yaml>)>),
}

impl Yaml {
    fn string(text: impl Into<String>) -> Yaml {
        Yaml::String(text.into())
    }

    fn map(entries: impl IntoIterator<Item = (&'static str, Option<Yaml>)>) -> Yaml {
        Yaml::Map(entries.into_iter().collect())
    }
}

/// Front matter, then the body.
fn document(front: &[(&'static str, Option<Yaml>)], body: &str) -> String {
    let mut out = String::from("---\n");
    map_into(front, 0, &mut out);
    out.push_str("---\n");
    if !body.is_empty() {
        out.push('\n');
        out.push_str(body);
        out.push('\n');
    }
    out
}

/// A block mapping at `indent` spaces.
fn map_into(entries: &[(&'static str, Option<Yaml>)], indent: usize, out: &mut String) {
    for (key, value) in entries {
        let Some(value) = value else { continue };
        let _ = write!(out, "{:indent$}{key}:", "");
        match value {
            Yaml::String(text) => {
                let _ = writeln!(out, " {}", yaml_string(text));
            }
            Yaml::Plain(text) => {
                let _ = writeln!(out, " {text}");
            }
            Yaml::List(items) if items.is_empty() => out.push_str(" []\n"),
            Yaml::List(items) => {
                out.push('\n');
                list_into(items, indent + 2, out);
            }
            Yaml::Map(entries) => {
                out.push('\n');
                map_into(entries, indent + 2, out);
            }
        }
    }
}

/// A block sequence at `indent` spaces; a mapping item starts on the
/// dash's line.
fn list_into(items: &[Yaml], indent: usize, out: &mut String) {
    for item in items {
        match item {
            Yaml::String(text) => {
                let _ = writeln!(out, "{:indent$}- {}", "", yaml_string(text));
            }
            Yaml::Plain(text) => {
                let _ = writeln!(out, "{:indent$}- {text}", "");
            }
            Yaml::List(inner) => {
                let _ = writeln!(out, "{:indent$}-", "");
                list_into(inner, indent + 2, out);
            }
            Yaml::Map(entries) => {
                let mut block = String::new();
                map_into(entries, indent + 2, &mut block);
                let dashed = format!("{:indent$}- ", "");
                out.push_str(&dashed);
                out.push_str(&block[dashed.len().min(block.len())..]);
            }
        }
    }
}

/// A double-quoted YAML scalar.
pub fn yaml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_round_trip() {
        for name in Site::NAMES {
            assert_eq!(name.parse::<Site>().unwrap().name(), *name);
        }
        assert!("hugo".parse::<Site>().is_err());
    }

    #[test]
    fn slugs_and_yaml_strings() {
        assert_eq!(slug("knuth:ct:a"), "knuth-ct-a");
        assert_eq!(slug("Müller/2020"), "Muller-2020");
        assert_eq!(yaml_string("a \"b\" \\ c\n"), r#""a \"b\" \\ c\n""#);
        let mut slugs = Slugs::default();
        assert_eq!(slugs.take("a"), "a");
        assert_eq!(slugs.take("A"), "A-1");
    }

    #[test]
    fn nested_yaml_blocks() {
        let front = [
            (
                "links",
                Some(Yaml::List(vec![Yaml::map([
                    ("type", Some(Yaml::string("pdf"))),
                    ("url", Some(Yaml::string("x.pdf"))),
                ])])),
            ),
            (
                "hugoblox",
                Some(Yaml::map([(
                    "ids",
                    Some(Yaml::map([("doi", Some(Yaml::string("10.1/x")))])),
                )])),
            ),
            ("gone", None),
        ];
        assert_eq!(
            document(&front, ""),
            "---\nlinks:\n  - type: \"pdf\"\n    url: \"x.pdf\"\nhugoblox:\n  ids:\n    doi: \"10.1/x\"\n---\n"
        );
    }
}
