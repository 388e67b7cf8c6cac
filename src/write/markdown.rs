//! The Markdown writer: a CV section a researcher pastes as it is.
//!
//! By default `## Publications`, then one `### YEAR` group per year, newest
//! first, and a numbered item per work counting on across the groups:
//! authors (the owner in bold), title, where it appeared, date, and links
//! to the DOI, arXiv and URL. Options choose the grouping, order,
//! numbering, which works, the heading and how many authors show; the
//! owner always stays visible. Every character of the data renders as
//! written: CommonMark specials are escaped, TeX becomes Unicode or
//! emphasis, and no raw LaTeX or HTML is left.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::str::FromStr;

use crate::key::citation_keys;
use crate::model::{Inline, Library, Person, Style, Text, Variable, Work, WorkType};
use crate::tex::math;
use crate::write::Options as WriteOptions;

/// How the CV section is laid out and which works it shows.
#[derive(Debug, Clone)]
pub struct Options {
    /// The owner's names (variants allowed); empty means the profile's name.
    pub highlight: Vec<String>,
    pub group_by: GroupBy,
    pub order: Order,
    pub numbering: Numbering,
    pub since: Option<i32>,
    pub until: Option<i32>,
    /// Keep only these kinds of work; empty keeps all.
    pub types: Vec<Kind>,
    /// Keep only the works with these citation keys; empty keeps all.
    pub selected: Vec<String>,
    pub heading: String,
    /// Show at most this many authors before "et al.".
    pub max_authors: Option<usize>,
}

impl Options {
    /// The options that leave works out, as they are given on the command
    /// line (`--since 2025`), to say why a section is empty.
    pub fn filters(&self) -> Vec<String> {
        let mut filters = Vec::new();
        if let Some(since) = self.since {
            filters.push(format!("--since {since}"));
        }
        if let Some(until) = self.until {
            filters.push(format!("--until {until}"));
        }
        if !self.types.is_empty() {
            let names: Vec<&str> = self.types.iter().map(|kind| kind.name()).collect();
            filters.push(format!("--type {}", names.join(",")));
        }
        if !self.selected.is_empty() {
            filters.push(format!("--selected {}", self.selected.join(",")));
        }
        filters
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            highlight: Vec::new(),
            group_by: GroupBy::Year,
            order: Order::Newest,
            numbering: Numbering::Forward,
            since: None,
            until: None,
            types: Vec::new(),
            selected: Vec::new(),
            heading: "Publications".to_owned(),
            max_authors: None,
        }
    }
}

/// Defines an option enum with its command-line names, in one table.
macro_rules! named {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// Its name on the command line.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!("`{text}` is not one of {}", $name::NAMES.join(", "))),
                }
            }
        }
    };
}

named!(
    /// How items are grouped under `###` headings.
    GroupBy { Year = "year", Type = "type", None = "none" }
);
named!(
    /// Date order of the items.
    Order { Newest = "newest", Oldest = "oldest" }
);
named!(
    /// `forward` numbers 1, 2, …; `reverse` counts down so the newest item
    /// has the highest number; both count on across groups.
    Numbering { Forward = "forward", Reverse = "reverse", None = "none" }
);
named!(
    /// Kinds of work for `--type` and for grouping by type.
    Kind {
        Article = "article",
        Conference = "conference",
        Chapter = "chapter",
        Book = "book",
        Thesis = "thesis",
        Report = "report",
        Preprint = "preprint",
        Other = "other",
    }
);

impl Kind {
    /// The kind a work is listed as, and the heading of its group.
    fn of(work: &Work) -> Kind {
        match work.kind {
            WorkType::JournalArticle
            | WorkType::MagazineArticle
            | WorkType::NewspaperArticle
            | WorkType::Review => Kind::Article,
            WorkType::ConferencePaper | WorkType::Speech => Kind::Conference,
            WorkType::Chapter | WorkType::ReferenceEntry => Kind::Chapter,
            WorkType::Book | WorkType::Proceedings | WorkType::Pamphlet => Kind::Book,
            WorkType::Thesis => Kind::Thesis,
            WorkType::Report | WorkType::Standard => Kind::Report,
            WorkType::Preprint | WorkType::Manuscript => Kind::Preprint,
            _ => Kind::Other,
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Kind::Article => "Journal Articles",
            Kind::Conference => "Conference Papers",
            Kind::Chapter => "Book Chapters",
            Kind::Book => "Books",
            Kind::Thesis => "Theses",
            Kind::Report => "Reports",
            Kind::Preprint => "Preprints",
            Kind::Other => "Other Publications",
        }
    }
}

/// Writes the CV section.
pub fn write(library: &Library, options: &WriteOptions) -> String {
    let markdown = &options.markdown;
    let owners = owners(library, markdown);
    let works: Vec<&Work> = chosen(library, options)
        .into_iter()
        .map(|index| &library.works[index])
        .collect();
    let mut out = format!("## {}\n", escape(&markdown.heading));
    let total = works.len();
    let mut current: Option<String> = None;
    let mut list_open = false;
    for (index, work) in works.iter().enumerate() {
        let group = group_heading(work, markdown.group_by);
        if group != current {
            if let Some(heading) = &group {
                let _ = write!(out, "\n### {heading}\n");
            }
            current = group;
            list_open = false;
        }
        if !list_open {
            out.push('\n');
            list_open = true;
        }
        let number = match markdown.numbering {
            Numbering::Forward => Some(index + 1),
            Numbering::Reverse => Some(total - index),
            Numbering::None => None,
        };
        let item = item(work, &owners, markdown.max_authors);
        let _ = match (markdown.numbering, number) {
            // CommonMark renumbers an ordered list upwards from its start,
            // so a count-down is written as labels.
            (Numbering::Forward, Some(number)) => writeln!(out, "{number}. {item}"),
            (_, Some(number)) => writeln!(out, "- \\[{number}\\] {item}"),
            (_, None) => writeln!(out, "- {item}"),
        };
    }
    out
}

/// One Markdown file per work, named by a slug of its key, with YAML front
/// matter and the item as body: for static-site CVs (Jekyll, Hugo).
pub fn per_file(library: &Library, options: &WriteOptions) -> Vec<(String, String)> {
    let owners = owners(library, &options.markdown);
    let keys = citation_keys(&library.works, &options.key_pattern);
    let mut names: HashSet<String> = HashSet::new();
    let mut files = Vec::new();
    for index in chosen(library, options) {
        let (work, key) = (&library.works[index], &keys[index]);
        let slug = slug(key);
        let name = (0..)
            .map(|n| {
                if n == 0 {
                    format!("{slug}.md")
                } else {
                    format!("{slug}-{n}.md")
                }
            })
            .find(|name| names.insert(name.to_lowercase()))
            .unwrap_or_default();
        files.push((
            name,
            front_matter(work, key, &owners, options.markdown.max_authors),
        ));
    }
    files
}

/// The works the options keep, as indices into the library, in the order
/// they are listed.
/// The works the options choose, as indices into the library, in the
/// order they are written.
pub fn chosen(library: &Library, options: &WriteOptions) -> Vec<usize> {
    let markdown = &options.markdown;
    let keys = citation_keys(&library.works, &options.key_pattern);
    let mut works: Vec<(usize, &Work)> = library
        .works
        .iter()
        .enumerate()
        .filter(|(index, work)| {
            let key = &keys[*index];
            let year = work.date.map(|date| date.start.year);
            let in_years = markdown
                .since
                .is_none_or(|since| year.is_some_and(|y| y >= since))
                && markdown
                    .until
                    .is_none_or(|until| year.is_some_and(|y| y <= until));
            let of_type = markdown.types.is_empty() || markdown.types.contains(&Kind::of(work));
            let selected =
                markdown.selected.is_empty() || markdown.selected.iter().any(|s| s == key);
            in_years && of_type && selected
        })
        .collect();
    // Undated works come last either way; the sort is stable, so works of
    // one date keep their input order.
    match markdown.order {
        Order::Newest => works.sort_by_key(|(_, work)| std::cmp::Reverse(work.date)),
        Order::Oldest => works.sort_by_key(|(_, work)| (work.date.is_none(), work.date)),
    }
    if markdown.group_by == GroupBy::Type {
        let rank = |work: &Work| {
            Kind::NAMES
                .iter()
                .position(|name| name.parse::<Kind>().ok() == Some(Kind::of(work)))
        };
        works.sort_by_key(|(_, work)| rank(work));
    }
    works.into_iter().map(|(index, _)| index).collect()
}

fn group_heading(work: &Work, group_by: GroupBy) -> Option<String> {
    match group_by {
        GroupBy::Year => Some(
            work.date
                .map_or_else(|| "Undated".to_owned(), |date| date.start.year.to_string()),
        ),
        GroupBy::Type => Some(Kind::of(work).heading().to_owned()),
        GroupBy::None => None,
    }
}

/// Who the CV belongs to: the names to set in bold, and the owner's name
/// as the library spells it, for items whose shown authors leave them out.
struct Owner {
    spellings: Vec<String>,
    /// Found among the library's authors; `None` when the owner wrote none
    /// of its works, and then no item claims them.
    name: Option<String>,
}

impl Owner {
    fn is(&self, person: &Person) -> bool {
        self.spellings
            .iter()
            .any(|spelling| person.matches(spelling))
    }
}

/// The owner: the `--highlight` names, else the profile's.
fn owners(library: &Library, options: &Options) -> Owner {
    let spellings = match options.highlight.is_empty() {
        false => options.highlight.clone(),
        true => library
            .profile
            .iter()
            .map(|profile| profile.name.clone())
            .collect(),
    };
    let name = library
        .works
        .iter()
        .flat_map(|work| &work.authors)
        .find(|person| spellings.iter().any(|spelling| person.matches(spelling)))
        .map(Person::display_name)
        .or_else(|| {
            let profile = library
                .profile
                .as_ref()
                .filter(|_| options.highlight.is_empty());
            profile.map(|profile| profile.name.clone())
        });
    Owner { spellings, name }
}

/// One item: `Authors. Title. *Venue*, Date. [DOI](…) · [arXiv](…)`.
fn item(work: &Work, owners: &Owner, max_authors: Option<usize>) -> String {
    let mut parts = Vec::new();
    let authors = authors(work, owners, max_authors);
    if !authors.is_empty() {
        parts.push(authors);
    }
    if let Some(title) = &work.title {
        parts.push(rich(title));
    }
    let date = work.date.map(|date| date.to_string());
    match (venue(work), date) {
        (Some(venue), Some(date)) => parts.push(format!("{venue}, {date}")),
        (Some(venue), None) => parts.push(venue),
        (None, Some(date)) => parts.push(date),
        (None, None) => {}
    }
    let mut line = String::new();
    for part in parts {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&part);
        if !part.ends_with(['.', '?', '!']) {
            line.push('.');
        }
    }
    let links = links(work);
    if !links.is_empty() {
        line.push(' ');
        line.push_str(&links.join(" · "));
    }
    escape_list_marker(&line)
}

/// `**Sungjun Lim**, Heedong Kim, et al.`; when the owner is among the
/// authors not shown (the source cut the list, or `max_authors` did), the
/// item still names them: `…, et al. (incl. **Sungjun Lim**)`.
fn authors(work: &Work, owners: &Owner, max_authors: Option<usize>) -> String {
    let is_owner = |person: &Person| owners.is(person);
    let shown = max_authors.unwrap_or(usize::MAX).min(work.authors.len());
    let cut = shown < work.authors.len() || work.authors_truncated;
    let mut names: Vec<String> = work.authors[..shown]
        .iter()
        .map(|person| {
            let name = escape(&person.display_name());
            if is_owner(person) {
                format!("**{name}**")
            } else {
                name
            }
        })
        .collect();
    if cut {
        names.push("et al.".to_owned());
    }
    let mut line = names.join(", ");
    let owner_shown = work.authors[..shown].iter().any(is_owner);
    if cut && !owner_shown {
        // Hidden by `max_authors`, or (the list cut short at the source) one
        // of the authors no one listed: the owner's works are theirs.
        let hidden = work.authors[shown..].iter().find(|person| is_owner(person));
        let owner = hidden
            .map(Person::display_name)
            .or_else(|| owners.name.clone().filter(|_| work.authors_truncated));
        if let Some(owner) = owner {
            let _ = write!(line, " (incl. **{}**)", escape(&owner));
        }
    }
    line
}

/// Where the work appeared, in words: the journal with volume, issue and
/// pages; "In *Proceedings*"; "PhD thesis, School"; "arXiv preprint
/// arXiv:ID (cs.LG)"; else the publisher.
fn venue(work: &Work) -> Option<String> {
    let plain = |variable: Variable| work.fields.get(&variable).map(rich);
    let publisher = work.venue.publisher.as_deref().map(escape);
    let container = work
        .venue
        .container_title
        .as_ref()
        .map(|text| format!("*{}*", rich(text)));
    match Kind::of(work) {
        Kind::Article => {
            let mut venue = container?;
            if let Some(volume) = &work.venue.volume {
                let _ = write!(venue, " {}", escape(volume));
                if let Some(issue) = &work.venue.issue {
                    let _ = write!(venue, "({})", escape(issue));
                }
            }
            if let Some(pages) = &work.venue.pages {
                let _ = write!(venue, ", {}", escape(pages));
            }
            Some(venue)
        }
        Kind::Conference | Kind::Chapter => container
            .map(|container| format!("In {container}"))
            .or(publisher),
        Kind::Thesis | Kind::Report => {
            let default = if work.kind == WorkType::Thesis {
                "Thesis"
            } else {
                "Report"
            };
            let genre = plain(Variable::Genre).unwrap_or_else(|| default.to_owned());
            let genre = capitalize(&genre);
            Some(publisher.map_or(genre.clone(), |publisher| format!("{genre}, {publisher}")))
        }
        Kind::Preprint if work.is_on_arxiv() => {
            let mut venue = "arXiv preprint".to_owned();
            if let Some(id) = &work.ids.arxiv {
                let _ = write!(venue, " arXiv:{}", escape(id));
            }
            if let Some(category) = work.categories.first() {
                let _ = write!(venue, " ({})", escape(category.best()));
            }
            Some(format!("*{venue}*"))
        }
        _ => container.or(publisher.map(|publisher| format!("*{publisher}*"))),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `[DOI](…) · [arXiv](…) · [URL](…)`, for what the work has.
fn links(work: &Work) -> Vec<String> {
    let mut links = Vec::new();
    if let Some(doi) = &work.ids.doi {
        links.push(link(
            &format!("doi:{doi}"),
            &format!("https://doi.org/{doi}"),
        ));
    }
    if let Some(id) = &work.ids.arxiv {
        links.push(link(
            &format!("arXiv:{id}"),
            &format!("https://arxiv.org/abs/{id}"),
        ));
    }
    if let Some(url) = &work.ids.url {
        let is_doi_or_arxiv = url.contains("doi.org/") && work.ids.doi.is_some()
            || url.contains("arxiv.org/abs/") && work.ids.arxiv.is_some();
        if !is_doi_or_arxiv {
            links.push(link("URL", url));
        }
    }
    links
}

/// A link whose destination may hold parentheses or spaces: CommonMark's
/// `<…>` form, with `<`, `>` and spaces encoded.
fn link(text: &str, url: &str) -> String {
    let destination = url
        .replace(' ', "%20")
        .replace('<', "%3C")
        .replace('>', "%3E");
    format!("[{}](<{destination}>)", escape(text))
}

/// A YAML document for a static-site generator, then the item.
fn front_matter(work: &Work, key: &str, owners: &Owner, max_authors: Option<usize>) -> String {
    let mut out = String::from("---\n");
    let mut field = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            let _ = writeln!(out, "{name}: {}", yaml_string(&value));
        }
    };
    field("title", work.title.as_ref().map(plain));
    field("date", work.date.map(|date| date.start.iso()));
    field("venue", venue(work).map(|venue| strip_markup(&venue)));
    field("doi", work.ids.doi.clone());
    field("arxiv", work.ids.arxiv.clone());
    field("url", work.ids.url.clone());
    field("citation_key", Some(key.to_owned()));
    field("abstract", work.abstract_text.as_ref().map(plain));
    if !work.authors.is_empty() {
        out.push_str("authors:\n");
        for person in &work.authors {
            let _ = writeln!(out, "  - {}", yaml_string(&person.display_name()));
        }
    }
    out.push_str("---\n\n");
    out.push_str(&item(work, owners, max_authors));
    out.push('\n');
    out
}

/// Rich text as plain Unicode, for front matter.
fn plain(text: &Text) -> String {
    let mut out = String::new();
    plain_into(&text.inlines, &mut out);
    out
}

fn plain_into(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Plain(text) | Inline::Tex(text) => out.push_str(text),
            Inline::Protected(inner) | Inline::Styled(_, inner) => plain_into(inner, out),
            Inline::Math(tex) => {
                out.push_str(&math::to_unicode(tex).unwrap_or_else(|| format!("${tex}$")))
            }
        }
    }
}

/// Markdown back to its text: escapes and emphasis marks removed.
fn strip_markup(markdown: &str) -> String {
    let mut out = String::new();
    let mut chars = markdown.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '*' => {}
            c => out.push(c),
        }
    }
    out
}

/// A double-quoted YAML scalar.
fn yaml_string(text: &str) -> String {
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

/// A file name from a key: letters, digits, `-` and `_`.
fn slug(key: &str) -> String {
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

/// Text that opens a list item must not itself read as a list marker
/// (`2. …`, `- …`, `+ …`), or it would nest a list.
fn escape_list_marker(line: &str) -> String {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = &line[digits..];
    let followed_by_space = |rest: &str| rest.is_empty() || rest.starts_with(' ');
    if digits > 0 && marker.starts_with(['.', ')']) && followed_by_space(&marker[1..]) {
        format!("{}\\{}", &line[..digits], marker)
    } else if digits == 0 && line.starts_with(['-', '+']) && followed_by_space(&line[1..]) {
        format!("\\{line}")
    } else {
        line.to_owned()
    }
}

/// Rich text as CommonMark: emphasis as `*…*`, math as Unicode or, when it
/// has no Unicode form, as a code span with its TeX.
fn rich(text: &Text) -> String {
    let mut out = String::new();
    render(&text.inlines, &mut out);
    out
}

fn render(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Plain(text) | Inline::Tex(text) => out.push_str(&escape(text)),
            Inline::Protected(inner) => render(inner, out),
            Inline::Styled(Style::Emphasis, inner) => delimit(out, "*", inner),
            Inline::Styled(Style::Strong, inner) => delimit(out, "**", inner),
            // CommonMark has no small capitals, superscript or subscript
            // without raw HTML; the text stays, plain.
            Inline::Styled(_, inner) => render(inner, out),
            Inline::Math(tex) => match math::to_unicode(tex) {
                Some(unicode) => out.push_str(&escape(&unicode)),
                None => code_span(out, &format!("${tex}$")),
            },
        }
    }
}

/// Emphasis delimiters must touch the text, so surrounding spaces go outside.
fn delimit(out: &mut String, delimiter: &str, inner: &[Inline]) {
    let mut text = String::new();
    render(inner, &mut text);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        out.push_str(&text);
        return;
    }
    let leading = &text[..text.len() - text.trim_start().len()];
    let trailing = &text[text.trim_end().len()..];
    let _ = write!(out, "{leading}{delimiter}{trimmed}{delimiter}{trailing}");
}

/// A code span long enough not to be closed by backticks inside it.
fn code_span(out: &mut String, code: &str) {
    let longest_run = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    let _ = write!(out, "{fence}{pad}{code}{pad}{fence}");
}

/// Escapes every ASCII character CommonMark (or GitHub's extensions) could
/// read as markup, so the text renders exactly as written.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]{}<>#&~|$!".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_escaped() {
        assert_eq!(
            escape("a*b_c [x](y) <t> #1 & $5"),
            r"a\*b\_c \[x\](y) \<t\> \#1 \& \$5"
        );
    }

    #[test]
    fn item_text_never_opens_a_nested_list() {
        assert_eq!(escape_list_marker("2. Title"), r"2\. Title");
        assert_eq!(escape_list_marker("- x"), r"\- x");
        assert_eq!(escape_list_marker("2.5 GHz"), "2.5 GHz");
        assert_eq!(escape_list_marker("-x"), "-x");
    }

    #[test]
    fn code_spans_survive_backticks() {
        let mut out = String::new();
        code_span(&mut out, "a`b");
        assert_eq!(out, "``a`b``");
    }

    #[test]
    fn slugs_and_yaml_strings() {
        assert_eq!(slug("knuth:ct:a"), "knuth-ct-a");
        assert_eq!(slug("Müller/2020"), "Muller-2020");
        assert_eq!(yaml_string("a \"b\" \\ c\n"), r#""a \"b\" \\ c\n""#);
    }

    #[test]
    fn links_take_any_url() {
        assert_eq!(
            link("doi:10.1/(x)", "https://doi.org/10.1/(x) y"),
            r"[doi:10.1/(x)](<https://doi.org/10.1/(x)%20y>)"
        );
    }
}
