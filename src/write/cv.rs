//! What every CV output (Markdown, LaTeX, HTML) shares: which works a CV
//! section shows, in which order, grouped and numbered how, who the owner
//! is, and each item as [`Piece`]s, before an output spells it.
//!
//! [`section`] does the choosing, grouping and numbering once; an item is
//! built once, by the default layout ([`item_pieces`]) or by a citation
//! style, as pieces: text, styled text (emphasis, the owner's name in bold,
//! …), links and math. Each CV writer only spells the section's headings,
//! its lists and the pieces in its markup ([`Spelling`]).

use std::str::FromStr;

use crate::key::citation_keys;
use crate::model::person::is_owner;
use crate::model::{DateValue, Inline, Library, Person, Style, Text, Variable, Work, WorkType};
use crate::style::Labels;
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
    /// How items are grouped under headings.
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
    /// The kind a work is listed as, and the heading of its group: its
    /// type's CV group ([`WorkType::cv_group`], the one table of them).
    pub fn of(work: &Work) -> Kind {
        work.kind.cv_group().parse().unwrap_or(Kind::Other)
    }

    pub fn heading(self) -> &'static str {
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

/// A piece of a CV item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text as it reads: the writer escapes it.
    Text(String),
    /// Text in a style: emphasis for titles of journals, strong for the
    /// owner's name, small capitals, super- and subscripts.
    Styled(Style, Vec<Piece>),
    /// A link: its text, and where it goes.
    Link { url: String, text: Vec<Piece> },
    /// TeX math, without its `$` delimiters.
    Math(String),
}

impl Piece {
    pub fn text(text: impl Into<String>) -> Piece {
        Piece::Text(text.into())
    }
}

/// The model's rich text as pieces: case protection means nothing once a
/// text is set, and a TeX command pubconv does not know reads as written.
pub fn pieces(text: &Text) -> Vec<Piece> {
    from_inlines(&text.inlines)
}

fn from_inlines(inlines: &[Inline]) -> Vec<Piece> {
    let mut pieces = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match inline {
            Inline::Plain(text) | Inline::Tex(text) => push_text(&mut pieces, text),
            Inline::Protected(inner) => {
                for piece in from_inlines(inner) {
                    match piece {
                        Piece::Text(text) => push_text(&mut pieces, &text),
                        other => pieces.push(other),
                    }
                }
            }
            Inline::Styled(style, inner) => pieces.push(Piece::Styled(*style, from_inlines(inner))),
            Inline::Math(tex) => pieces.push(Piece::Math(tex.clone())),
        }
    }
    pieces
}

/// Adds text, joined to text right before it.
fn push_text(pieces: &mut Vec<Piece>, text: &str) {
    match pieces.last_mut() {
        Some(Piece::Text(last)) => last.push_str(text),
        _ => pieces.push(Piece::Text(text.to_owned())),
    }
}

/// The pieces as plain text: what a reader sees, without markup (math as
/// its TeX).
pub fn plain(pieces: &[Piece]) -> String {
    let mut out = String::new();
    plain_into(pieces, &mut out);
    out
}

fn plain_into(pieces: &[Piece], out: &mut String) {
    for piece in pieces {
        match piece {
            Piece::Text(text) | Piece::Math(text) => out.push_str(text),
            Piece::Styled(_, inner) | Piece::Link { text: inner, .. } => plain_into(inner, out),
        }
    }
}

/// A CV section as every output lays it out: its heading, then groups of
/// numbered items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub numbering: Numbering,
    pub groups: Vec<Group>,
}

/// Items under one heading (a year, a kind of work), or under none when
/// the section is not grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub heading: Option<String>,
    pub items: Vec<Item>,
}

/// One work as a CV lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Its number, counting on across groups; `None` when unnumbered.
    pub number: Option<usize>,
    /// Its citation key.
    pub key: String,
    /// Its pieces as the output spells them.
    pub text: String,
}

/// How a CV output spells an item's pieces.
pub type SpellItem = fn(&[Piece], &WriteOptions) -> String;

impl Section {
    /// The first number of a group's list, when the numbering counts up.
    pub fn forward_start(&self, group: &Group) -> Option<usize> {
        match self.numbering {
            Numbering::Forward => group.items.first().and_then(|item| item.number),
            _ => None,
        }
    }
}

/// The CV section the options ask for: the works chosen, ordered, grouped
/// and numbered, each item built by [`item_pieces`] or the citation style
/// and spelt by `spell`.
pub fn section(library: &Library, options: &WriteOptions, spell: SpellItem) -> Section {
    let cv = &options.markdown;
    let keys = citation_keys(&library.works, &options.key_pattern);
    if let Some(style) = options.style.as_deref() {
        // A citation style formats the whole list at once (its numbers and
        // year suffixes depend on the others), in the CV's order.
        let owner = owner(library, cv);
        let chosen = chosen(library, options);
        let works: Vec<&Work> = chosen.iter().map(|&index| &library.works[index]).collect();
        let labels = match cv.numbering {
            Numbering::None => Labels::All,
            Numbering::Forward | Numbering::Reverse => Labels::ButNumbers,
        };
        let mut styled =
            crate::style::render(&works, &|person| owner.is(person), style, labels).into_iter();
        let items = chosen.into_iter().map(|index| {
            let work = &library.works[index];
            let pieces = styled
                .next()
                .unwrap_or_else(|| item_pieces(work, &owner, cv));
            let text = spell(&pieces, options);
            (group_heading(work, cv.group_by), keys[index].clone(), text)
        });
        return grouped(items.collect(), cv);
    }
    let profile = library.profile.as_ref().filter(|_| cv.highlight.is_empty());
    let drafter = Drafter::new(options, spell, library.owner_spellings(&cv.highlight));
    let mut collector = Collector::new(&drafter, profile.map(|profile| profile.name.clone()));
    for (work, key) in library.works.iter().zip(&keys) {
        collector.add(work, key);
    }
    collector.section()
}

/// Items under their headings, numbered, in the order given.
fn grouped(items: Vec<(Option<String>, String, String)>, cv: &Options) -> Section {
    let total = items.len();
    let mut groups: Vec<Group> = Vec::new();
    for (position, (heading, key, text)) in items.into_iter().enumerate() {
        if groups.last().is_none_or(|group| group.heading != heading) {
            groups.push(Group {
                heading,
                items: Vec::new(),
            });
        }
        let number = match cv.numbering {
            Numbering::Forward => Some(position + 1),
            Numbering::Reverse => Some(total - position),
            Numbering::None => None,
        };
        if let Some(group) = groups.last_mut() {
            group.items.push(Item { number, key, text });
        }
    }
    Section {
        heading: cv.heading.clone(),
        numbering: cv.numbering,
        groups,
    }
}

/// What a CV section keeps of each work, made where the work is read
/// (side by side, for works read as a stream): whether the options choose
/// it and, if so, its item spelt, with its date, kind and heading.
pub struct Drafter<'o> {
    options: &'o WriteOptions,
    spell: SpellItem,
    /// The owner as the `--highlight` names (or the profile's) spell them;
    /// their name as the works give it is the [`Collector`]'s to learn.
    owner: Owner,
}

/// A work as a [`Drafter`] made it ready for a [`Collector`].
pub struct Draft {
    /// The owner's name as this work gives it, if it names them.
    owner_name: Option<String>,
    /// `None` when the options do not choose the work.
    record: Option<Record>,
}

/// A chosen work, as the section needs it.
struct Record {
    date: Option<DateValue>,
    kind: Kind,
    heading: Option<String>,
    key: String,
    text: ItemText,
}

/// An item's text, or the work while its text waits for the owner's name.
enum ItemText {
    Spelt(String),
    /// A work whose item names the owner by the name the other works give
    /// them ([`asks_owner_name`]).
    Waiting(Box<Work>),
}

impl<'o> Drafter<'o> {
    /// For an owner spelt as `spellings` say (the `--highlight` names, or
    /// the profile's).
    pub fn new(options: &'o WriteOptions, spell: SpellItem, spellings: Vec<String>) -> Self {
        Drafter {
            options,
            spell,
            owner: Owner {
                spellings,
                name: None,
            },
        }
    }

    /// The work cited by `key`, drafted; `None` when its key is needed
    /// and not known yet (the options choose works by key).
    pub fn draft(&self, work: &Work, key: Option<&str>) -> Option<Draft> {
        let cv = &self.options.markdown;
        let key = match key {
            Some(key) => key,
            None if cv.selected.is_empty() => "",
            None => return None,
        };
        let owner_name = work
            .authors
            .iter()
            .find(|person| self.owner.is(person))
            .map(Person::display_name);
        let record = is_chosen(work, key, cv).then(|| Record {
            date: work.date,
            kind: Kind::of(work),
            heading: group_heading(work, cv.group_by),
            key: key.to_owned(),
            text: match asks_owner_name(work, &self.owner) {
                true => ItemText::Waiting(Box::new(work.clone())),
                false => ItemText::Spelt(self.spell(work, &self.owner)),
            },
        });
        Some(Draft { owner_name, record })
    }

    fn spell(&self, work: &Work, owner: &Owner) -> String {
        (self.spell)(
            &item_pieces(work, owner, &self.options.markdown),
            self.options,
        )
    }
}

/// A CV section built one work at a time, in input order: it keeps what
/// each chosen item shows, not the works, so that memory follows the
/// output's size.
pub struct Collector<'d, 'o> {
    drafter: &'d Drafter<'o>,
    /// The owner, with their name once a work gives it.
    owner: Owner,
    /// The profile's name, the owner's when none of the works names them.
    fallback: Option<String>,
    records: Vec<Record>,
    read: usize,
}

impl<'d, 'o> Collector<'d, 'o> {
    /// `fallback` is the owner's name if none of the works gives it.
    pub fn new(drafter: &'d Drafter<'o>, fallback: Option<String>) -> Self {
        Collector {
            drafter,
            owner: Owner {
                spellings: drafter.owner.spellings.clone(),
                name: None,
            },
            fallback,
            records: Vec::new(),
            read: 0,
        }
    }

    /// Adds the next work, cited by `key`.
    pub fn add(&mut self, work: &Work, key: &str) {
        if let Some(draft) = self.drafter.draft(work, Some(key)) {
            self.add_draft(draft);
        }
    }

    /// Adds the next work, as drafted.
    pub fn add_draft(&mut self, draft: Draft) {
        self.read += 1;
        if self.owner.name.is_none() {
            self.owner.name = draft.owner_name;
        }
        let Some(mut record) = draft.record else {
            return;
        };
        // The first work to name the owner settles their name: a work
        // waiting for it is spelt as soon as it is known.
        if let (ItemText::Waiting(work), Some(_)) = (&record.text, &self.owner.name) {
            record.text = ItemText::Spelt(self.drafter.spell(work, &self.owner));
        }
        self.records.push(record);
    }

    /// How many works were added, and how many of them the section shows.
    pub fn counts(&self) -> (usize, usize) {
        (self.read, self.records.len())
    }

    /// The section of the works added.
    pub fn section(mut self) -> Section {
        let cv = &self.drafter.options.markdown;
        if self.owner.name.is_none() {
            self.owner.name = self.fallback.take();
        }
        sort_in_cv_order(
            &mut self.records,
            |record| record.date,
            |record| record.kind,
            cv,
        );
        let (drafter, owner) = (self.drafter, &self.owner);
        let items = self.records.into_iter().map(|record| {
            let text = match record.text {
                ItemText::Spelt(text) => text,
                ItemText::Waiting(work) => drafter.spell(&work, owner),
            };
            (record.heading, record.key, text)
        });
        grouped(items.collect(), cv)
    }
}

/// The works the options choose, as indices into the library, in the
/// order they are written.
pub fn chosen(library: &Library, options: &WriteOptions) -> Vec<usize> {
    let cv = &options.markdown;
    let keys = citation_keys(&library.works, &options.key_pattern);
    let mut works: Vec<(usize, &Work)> = library
        .works
        .iter()
        .enumerate()
        .filter(|(index, work)| is_chosen(work, &keys[*index], cv))
        .collect();
    sort_in_cv_order(
        &mut works,
        |(_, work)| work.date,
        |(_, work)| Kind::of(work),
        cv,
    );
    works.into_iter().map(|(index, _)| index).collect()
}

/// Whether the options choose this work, cited by `key`.
fn is_chosen(work: &Work, key: &str, cv: &Options) -> bool {
    let year = work.date.map(|date| date.start.year);
    let in_years = cv
        .since
        .is_none_or(|since| year.is_some_and(|y| y >= since))
        && cv
            .until
            .is_none_or(|until| year.is_some_and(|y| y <= until));
    let of_type = cv.types.is_empty() || cv.types.contains(&Kind::of(work));
    let selected = cv.selected.is_empty() || cv.selected.iter().any(|s| s == key);
    in_years && of_type && selected
}

/// Puts works (or what stands for them) in the order the section lists
/// them: by date, undated works last either way, works of one date in
/// input order (the sort is stable); then by kind when grouped by kind.
fn sort_in_cv_order<T>(
    items: &mut [T],
    date: impl Fn(&T) -> Option<DateValue>,
    kind: impl Fn(&T) -> Kind,
    cv: &Options,
) {
    match cv.order {
        Order::Newest => items.sort_by_key(|item| std::cmp::Reverse(date(item))),
        Order::Oldest => items.sort_by_key(|item| (date(item).is_none(), date(item))),
    }
    if cv.group_by == GroupBy::Type {
        let rank = |kind: Kind| {
            Kind::NAMES
                .iter()
                .position(|name| name.parse::<Kind>().ok() == Some(kind))
        };
        items.sort_by_key(|item| rank(kind(item)));
    }
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
pub struct Owner {
    spellings: Vec<String>,
    /// Found among the library's authors; `None` when the owner wrote none
    /// of its works, and then no item claims them.
    name: Option<String>,
}

impl Owner {
    pub fn is(&self, person: &Person) -> bool {
        is_owner(person, &self.spellings)
    }
}

/// The owner: the `--highlight` names, else the profile's.
pub fn owner(library: &Library, options: &Options) -> Owner {
    let spellings = library.owner_spellings(&options.highlight);
    let name = library
        .works
        .iter()
        .flat_map(|work| &work.authors)
        .find(|person| is_owner(person, &spellings))
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

/// One item in the default layout: `Authors. Title. Venue, Date.` and the
/// links to the DOI, arXiv and URL, separated by ` · `. A citation style
/// would build the same pieces its own way.
pub fn item_pieces(work: &Work, owner: &Owner, options: &Options) -> Vec<Piece> {
    let mut parts = Vec::new();
    let authors = authors(work, owner, options.max_authors);
    if !authors.is_empty() {
        parts.push(authors);
    }
    if let Some(title) = &work.title {
        parts.push(pieces(title));
    }
    let date = work.date.map(|date| Piece::Text(date.to_string()));
    match (venue_pieces(work), date) {
        (Some(mut venue), Some(Piece::Text(date))) => {
            venue.push(Piece::Text(format!(", {date}")));
            parts.push(venue);
        }
        (Some(venue), _) => parts.push(venue),
        (None, Some(date)) => parts.push(vec![date]),
        (None, None) => {}
    }
    let mut line = Vec::new();
    for (index, part) in parts.into_iter().enumerate() {
        if index > 0 {
            push_text(&mut line, " ");
        }
        let ended = ends_sentence(&part);
        append(&mut line, part);
        if !ended {
            push_text(&mut line, ".");
        }
    }
    for (index, link) in links(work).into_iter().enumerate() {
        push_text(&mut line, if index == 0 { " " } else { " · " });
        line.push(link);
    }
    line
}

/// Whether the pieces end a sentence already (`?`, `!`, `.`), so that no
/// full stop follows. Text in emphasis or bold counts as closed by its
/// markup, as it reads in every output.
fn ends_sentence(pieces: &[Piece]) -> bool {
    match pieces.last() {
        Some(Piece::Text(text)) => text.ends_with(['.', '?', '!']),
        Some(Piece::Styled(Style::Emphasis | Style::Strong, _)) => false,
        Some(Piece::Styled(_, inner)) => ends_sentence(inner),
        _ => false,
    }
}

/// Adds pieces, joining text to text right before it.
fn append(line: &mut Vec<Piece>, pieces: Vec<Piece>) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => push_text(line, &text),
            other => line.push(other),
        }
    }
}

fn strong(text: String) -> Piece {
    Piece::Styled(Style::Strong, vec![Piece::Text(text)])
}

/// `**Sungjun Lim**, Heedong Kim, et al.`; when the owner is among the
/// authors not shown (the source cut the list, or `max_authors` did), the
/// item still names them: `…, et al. (incl. **Sungjun Lim**)`.
fn authors(work: &Work, owner: &Owner, max_authors: Option<usize>) -> Vec<Piece> {
    let is_owner = |person: &Person| owner.is(person);
    let shown = max_authors.unwrap_or(usize::MAX).min(work.authors.len());
    let cut = shown < work.authors.len() || work.authors_truncated;
    let mut line = Vec::new();
    for (index, person) in work.authors[..shown].iter().enumerate() {
        if index > 0 {
            push_text(&mut line, ", ");
        }
        let name = person.display_name();
        match is_owner(person) {
            true => line.push(strong(name)),
            false => push_text(&mut line, &name),
        }
    }
    if cut {
        push_text(&mut line, if shown > 0 { ", et al." } else { "et al." });
    }
    let owner_shown = work.authors[..shown].iter().any(is_owner);
    if cut && !owner_shown {
        // Hidden by `max_authors`, or (the list cut short at the source) one
        // of the authors no one listed: the owner's works are theirs.
        let hidden = work.authors[shown..].iter().find(|person| is_owner(person));
        let name = hidden
            .map(Person::display_name)
            .or_else(|| owner.name.clone().filter(|_| work.authors_truncated));
        if let Some(name) = name {
            push_text(&mut line, " (incl. ");
            line.push(strong(name));
            push_text(&mut line, ")");
        }
    }
    line
}

/// Whether the work's item names the owner by the name the other works
/// give them (see [`authors`]): its list, cut short at the source, does
/// not reach the owner.
fn asks_owner_name(work: &Work, owner: &Owner) -> bool {
    work.authors_truncated && !work.authors.iter().any(|person| owner.is(person))
}

/// Where the work appeared, in words: the journal with volume, issue and
/// pages; "In *Proceedings*"; "PhD thesis, School"; "arXiv preprint
/// arXiv:ID (cs.LG)"; else the publisher.
pub fn venue_pieces(work: &Work) -> Option<Vec<Piece>> {
    let emphasis = |pieces: Vec<Piece>| vec![Piece::Styled(Style::Emphasis, pieces)];
    let publisher = work.venue.publisher.clone();
    let container = work
        .venue
        .container_title
        .as_ref()
        .map(|text| emphasis(pieces(text)));
    match Kind::of(work) {
        Kind::Article => {
            let mut venue = container?;
            if let Some(volume) = &work.venue.volume {
                push_text(&mut venue, &format!(" {volume}"));
                if let Some(issue) = &work.venue.issue {
                    push_text(&mut venue, &format!("({issue})"));
                }
            }
            if let Some(pages) = &work.venue.pages {
                push_text(&mut venue, &format!(", {pages}"));
            }
            Some(venue)
        }
        Kind::Conference | Kind::Chapter => container
            .map(|container| {
                let mut venue = vec![Piece::text("In ")];
                venue.extend(container);
                venue
            })
            .or(publisher.map(|publisher| vec![Piece::Text(publisher)])),
        Kind::Thesis | Kind::Report => {
            let default = if work.kind == WorkType::Thesis {
                "Thesis"
            } else {
                "Report"
            };
            let mut venue = work
                .fields
                .get(&Variable::Genre)
                .map(pieces)
                .unwrap_or_else(|| vec![Piece::text(default)]);
            capitalize(&mut venue);
            if let Some(publisher) = publisher {
                push_text(&mut venue, &format!(", {publisher}"));
            }
            Some(venue)
        }
        Kind::Preprint if work.is_on_arxiv() => {
            let mut venue = "arXiv preprint".to_owned();
            if let Some(id) = &work.ids.arxiv {
                venue.push_str(&format!(" arXiv:{id}"));
            }
            if let Some(category) = work.categories.first() {
                venue.push_str(&format!(" ({})", category.best()));
            }
            Some(emphasis(vec![Piece::Text(venue)]))
        }
        _ => container.or(publisher.map(|publisher| emphasis(vec![Piece::Text(publisher)]))),
    }
}

/// Capitalizes the first letter of the first text.
fn capitalize(pieces: &mut [Piece]) {
    match pieces.first_mut() {
        Some(Piece::Text(text)) => {
            let mut chars = text.chars();
            if let Some(first) = chars.next() {
                *text = first.to_uppercase().chain(chars).collect();
            }
        }
        Some(Piece::Styled(_, inner) | Piece::Link { text: inner, .. }) => capitalize(inner),
        _ => {}
    }
}

/// Links to the DOI, arXiv and URL, for what the work has.
fn links(work: &Work) -> Vec<Piece> {
    let link = |text: String, url: String| Piece::Link {
        url,
        text: vec![Piece::Text(text)],
    };
    let mut links = Vec::new();
    if let Some(doi) = &work.ids.doi {
        links.push(link(format!("doi:{doi}"), format!("https://doi.org/{doi}")));
    }
    if let Some(id) = &work.ids.arxiv {
        links.push(link(
            format!("arXiv:{id}"),
            format!("https://arxiv.org/abs/{id}"),
        ));
    }
    if let Some(url) = &work.ids.url {
        let is_doi_or_arxiv = url.contains("doi.org/") && work.ids.doi.is_some()
            || url.contains("arxiv.org/abs/") && work.ids.arxiv.is_some();
        if !is_doi_or_arxiv {
            links.push(link("URL".to_owned(), url.clone()));
        }
    }
    links
}

/// How one output spells pieces: its escaping, its styles, links and math.
pub trait Spelling {
    /// Text as it reads, escaped for the output.
    fn text(&self, text: &str, out: &mut String);
    /// Text in a style; the inner pieces are spelled with [`spell_into`].
    fn styled(&self, style: Style, inner: &[Piece], out: &mut String);
    fn link(&self, url: &str, text: &[Piece], out: &mut String);
    /// TeX math, without delimiters.
    fn math(&self, tex: &str, out: &mut String);
}

/// The pieces in an output's markup.
pub fn spell(spelling: &impl Spelling, pieces: &[Piece]) -> String {
    let mut out = String::new();
    spell_into(spelling, pieces, &mut out);
    out
}

pub fn spell_into(spelling: &impl Spelling, pieces: &[Piece], out: &mut String) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => spelling.text(text, out),
            Piece::Styled(style, inner) => spelling.styled(*style, inner, out),
            Piece::Link { url, text } => spelling.link(url, text, out),
            Piece::Math(tex) => spelling.math(tex, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tex::{self, Dialect};

    #[test]
    fn rich_text_becomes_pieces() {
        let parsed = tex::parse(r"A {CNN} for \emph{$p$-adic} data", Dialect::Bibtex);
        let text = Text {
            inlines: parsed.inlines,
            casing: crate::model::Casing::AsWritten,
        };
        let pieces = pieces(&text);
        assert_eq!(
            pieces,
            [
                Piece::text("A CNN for "),
                Piece::Styled(
                    Style::Emphasis,
                    vec![Piece::Math("p".into()), Piece::text("-adic")]
                ),
                Piece::text(" data"),
            ]
        );
        assert_eq!(plain(&pieces), "A CNN for p-adic data");
    }
}
