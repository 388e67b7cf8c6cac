//! Round trips over generated works: model → BibTeX → model and
//! model → CSL-JSON → model give the same work, within what each format
//! can hold. What a format cannot hold is listed in one place,
//! [`as_the_format_holds_it`].

use proptest::prelude::*;
use pubconv::model::{
    Casing, Date, Library, Month, Person, PersonalName, Text, Variable, Work, WorkType,
};
use pubconv::read::{InputFormat, ReadOptions, Source};
use pubconv::write::{Options, OutputFormat};

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z][a-z]{2,8}",
        "[a-z]{2,8}",
        Just("Müller".to_owned()),
        Just("Þórr".to_owned()),
        Just("R&D".to_owned()),
        Just("50%".to_owned()),
        Just("DNA".to_owned()),
        Just("x_1".to_owned()),
    ]
}

fn text() -> impl Strategy<Value = Text> {
    prop::collection::vec(word(), 1..8).prop_map(|words| Text::plain(words.join(" ")))
}

fn person() -> impl Strategy<Value = Person> {
    let name = prop_oneof![
        "[A-Z][a-z]{2,8}",
        Just("José".to_owned()),
        Just("Kovács-Müller".to_owned())
    ];
    (
        name.clone(),
        name,
        prop::option::of(Just("van der".to_owned())),
    )
        .prop_map(|(given, family, particle)| {
            Person::Personal(PersonalName {
                given: Some(given),
                family,
                particle,
                ..PersonalName::default()
            })
        })
}

fn date() -> impl Strategy<Value = Date> {
    (1900i32..2030, prop::option::of(1u8..=12), 1u8..=28).prop_map(|(year, month, day)| match month
    {
        Some(month) => Date::from_ymd(year, Month::new(month).unwrap(), day).unwrap(),
        None => Date::year(year),
    })
}

/// More of what a work holds, added to [`core_work`]'s.
fn work() -> impl Strategy<Value = Work> {
    (
        core_work(),
        prop::option::of("[1-9][0-9]{0,2}–[1-9][0-9]{2,3}"),
        prop::option::of("[1-9]"),
        prop::option::of(Just("Berlin".to_owned())),
        prop::option::of(Just("https://example.org/a?b=1&c=%20".to_owned())),
        prop::option::of(Just("978-3-16-148410-0".to_owned())),
        prop::collection::vec(person(), 0..2),
        prop::option::of(text()),
        prop::option::of(date()),
    )
        .prop_map(
            |(mut work, pages, issue, place, url, isbn, editors, note, accessed)| {
                work.venue.pages = pages;
                work.venue.issue = issue.filter(|_| work.kind == WorkType::JournalArticle);
                work.venue.place = place;
                work.ids.url = url;
                work.ids.isbn = isbn;
                work.editors = editors;
                if let Some(note) = note {
                    work.fields.insert(Variable::Note, note);
                }
                if let Some(accessed) = accessed {
                    work.dates
                        .insert(pubconv::model::DateVariable::Accessed, accessed.into());
                }
                work
            },
        )
}

fn core_work() -> impl Strategy<Value = Work> {
    let kind = prop::sample::select(vec![
        WorkType::JournalArticle,
        WorkType::ConferencePaper,
        WorkType::Book,
        WorkType::Chapter,
        WorkType::Report,
    ]);
    (
        kind,
        text(),
        prop::collection::vec(person(), 1..4),
        any::<bool>(),
        date(),
        prop::option::of(text()),
        prop::option::of("[1-9][0-9]{0,2}"),
        prop::option::of("10\\.[0-9]{4}/[a-z0-9._]{1,10}"),
        prop::option::of(text()),
    )
        .prop_map(
            |(kind, title, authors, truncated, date, container, volume, doi, abstract_text)| {
                let mut work = Work {
                    kind,
                    title: Some(title),
                    authors,
                    authors_truncated: truncated,
                    date: Some(date.into()),
                    abstract_text,
                    ..Work::default()
                };
                work.venue.container_title =
                    container.filter(|_| kind != WorkType::Book && kind != WorkType::Report);
                work.venue.volume = volume;
                work.venue.publisher = matches!(kind, WorkType::Book | WorkType::Report)
                    .then(|| "Pub & Sons".to_owned());
                work.ids.doi = doi;
                work
            },
        )
}

/// What survives a trip through `format`, and so what the trip is
/// compared on:
/// - every format gives the work a key, which the generated work lacks;
/// - BibTeX marks case protection, so titles come back `Casing::Marked`,
///   with braces around the acronyms protected on the way out: titles are
///   compared as text;
/// - classic BibTeX's `@techreport` says "technical report" by itself, so
///   a report comes back with that genre;
/// - CSL-JSON has no case protection to add, so its titles come back as
///   they went.
fn as_the_format_holds_it(mut work: Work, format: OutputFormat) -> Work {
    work.key = None;
    if matches!(format, OutputFormat::Bibtex | OutputFormat::Biblatex) {
        let flatten = |text: &mut Option<Text>| {
            if let Some(text) = text {
                *text = Text::plain(pubconv::tex::plain_text(&text.inlines));
                text.casing = Casing::AsWritten;
            }
        };
        flatten(&mut work.title);
        flatten(&mut work.venue.container_title);
        flatten(&mut work.abstract_text);
        if let Some(note) = work.fields.get_mut(&Variable::Note) {
            *note = Text::plain(pubconv::tex::plain_text(&note.inlines));
        }
    }
    if format == OutputFormat::Bibtex && work.kind == WorkType::Report {
        work.fields
            .entry(Variable::Genre)
            .or_insert_with(|| Text::plain("technical report"));
    }
    work
}

fn trip(work: &Work, format: OutputFormat, reader: InputFormat) -> Work {
    let library = Library {
        works: vec![work.clone()],
        ..Library::default()
    };
    let text = format.write(&library, &Options::default());
    let reading = reader.read(
        Source {
            name: "trip",
            text: &text,
        },
        &ReadOptions::default(),
    );
    assert!(
        reading.diagnostics.is_empty(),
        "{:?}\n{text}",
        reading.diagnostics
    );
    assert_eq!(reading.library.works.len(), 1, "{text}");
    reading.library.works[0].clone()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn model_to_csl_json_and_back(work in work()) {
        let back = trip(&work, OutputFormat::CslJson, InputFormat::CslJson);
        prop_assert_eq!(as_the_format_holds_it(back, OutputFormat::CslJson), as_the_format_holds_it(work, OutputFormat::CslJson));
    }

    #[test]
    fn model_to_bibtex_and_back(work in work()) {
        for format in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
            let back = trip(&work, format, InputFormat::Bibtex);
            prop_assert_eq!(as_the_format_holds_it(back, format), as_the_format_holds_it(work.clone(), format));
        }
    }
}
