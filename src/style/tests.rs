//! Entries built from the model and rendered by bundled styles, with the
//! owner's names in bold.

use super::*;
use crate::model::{Date, DateValue, Month, PersonalName, Venue};
use crate::write::cv::plain;

fn style(name: &str) -> CitationStyle {
    CitationStyle::load(&Choice::Bundled(name.into()), None).unwrap()
}

fn article(authors: &[Person]) -> Work {
    Work {
        kind: WorkType::JournalArticle,
        title: Some(Text::plain("Sparse coding of shapes")),
        authors: authors.to_vec(),
        date: Some(DateValue {
            start: Date::from_ymd(2021, Month::new(3).unwrap(), 5).unwrap(),
            end: None,
            circa: false,
        }),
        venue: Venue {
            container_title: Some(Text::plain("Journal of Shapes")),
            volume: Some("12".into()),
            issue: Some("3".into()),
            pages: Some("10–20".into()),
            ..Venue::default()
        },
        ..Work::default()
    }
}

fn named(name: &str) -> Person {
    Person::from_display_name(name)
}

/// The texts in bold, in order.
fn strong(pieces: &[Piece]) -> Vec<String> {
    let mut found = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Styled(Style::Strong, inner) => found.push(plain(inner)),
            Piece::Styled(_, inner) | Piece::Link { text: inner, .. } => {
                found.extend(strong(inner))
            }
            _ => {}
        }
    }
    found
}

/// The plain text with runs of white space as one space.
fn words(pieces: &[Piece]) -> String {
    plain(pieces)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn render_one(work: &Work, owner: &Person, style: &CitationStyle) -> Vec<Piece> {
    let is_owner = |person: &Person| person == owner;
    render(&[work], &is_owner, style, Labels::All).remove(0)
}

#[test]
fn apa_item_reads_as_apa_with_the_owner_in_bold() {
    let lim = named("Sungjun Lim");
    let work = article(&[named("Zoë Kovács-Müller"), lim.clone()]);
    let item = render_one(&work, &lim, &style("apa"));
    assert_eq!(
        plain(&item),
        "Kovács-Müller, Z., & Lim, S. (2021). Sparse coding of shapes. Journal of Shapes, 12(3), 10–20."
    );
    // The style writes initials; the name is still found by its place.
    assert_eq!(strong(&item), ["Lim, S."]);
    assert!(item
        .iter()
        .any(|piece| matches!(piece, Piece::Styled(Style::Emphasis, _))));
}

#[test]
fn particles_accents_and_literal_names() {
    let ludwig = named("Ludwig van Beethoven");
    let zoe = named("Zoë Kovács-Müller");
    let who = Person::Literal("The ATLAS Collaboration".into());
    let work = article(&[ludwig.clone(), zoe.clone(), who.clone()]);
    for owner in [&ludwig, &zoe, &who] {
        for name in ["apa", "ieee", "chicago-author-date"] {
            let item = render_one(&work, owner, &style(name));
            let bold = strong(&item);
            assert_eq!(bold.len(), 1, "{name}: {bold:?} in {}", plain(&item));
            let family = owner.family_name();
            assert!(bold[0].contains(family), "{name}: {bold:?} lacks {family}");
        }
    }
}

#[test]
fn several_items_keep_their_order_when_the_style_sorts() {
    let a = article(&[named("Zed Young")]);
    let mut b = article(&[named("Amy Adams")]);
    b.title = Some(Text::plain("Another title"));
    let nobody = |_: &Person| false;
    let items = render(&[&a, &b], &nobody, &style("apa"), Labels::All);
    assert!(plain(&items[0]).starts_with("Young, Z."));
    assert!(plain(&items[1]).starts_with("Adams, A."));
}

#[test]
fn missing_date_and_venue_still_render() {
    let owner = named("Jane Doe");
    let work = Work {
        kind: WorkType::Misc,
        title: Some(Text::plain("Notes on things")),
        authors: vec![owner.clone()],
        ..Work::default()
    };
    for name in ["apa", "ieee", "chicago-author-date"] {
        let item = render_one(&work, &owner, &style(name));
        let text = plain(&item);
        assert!(
            text.to_lowercase().contains("notes on things"),
            "{name}: {text}"
        );
        assert_eq!(strong(&item).len(), 1, "{name}: {item:?}");
    }
}

#[test]
fn links_stay_links() {
    let mut work = article(&[named("Jane Doe")]);
    work.ids.doi = Some("10.1000/xyz".into());
    let item = render_one(&work, &named("John Roe"), &style("apa"));
    assert!(
        item.iter()
            .any(|piece| matches!(piece, Piece::Link { url, .. } if url.contains("10.1000/xyz"))),
        "{item:?}"
    );
    assert!(strong(&item).is_empty());
}

#[test]
fn conference_papers_and_chapters_name_their_container() {
    let mut paper = article(&[named("Jane Doe")]);
    paper.kind = WorkType::ConferencePaper;
    paper.venue.container_title = Some(Text::plain("Proceedings of the Shape Conference"));
    let mut chapter = paper.clone();
    chapter.kind = WorkType::Chapter;
    chapter.editors = vec![named("Ed Itor")];
    for work in [&paper, &chapter] {
        let text = plain(&render_one(work, &named("John Roe"), &style("ieee")));
        assert!(
            text.contains("Proceedings of the Shape Conference"),
            "{text}"
        );
    }
}

#[test]
fn every_work_type_renders() {
    let owner = named("Jane Doe");
    for (kind, ..) in TYPES {
        let mut work = article(std::slice::from_ref(&owner));
        work.kind = *kind;
        let item = render_one(&work, &owner, &style("apa"));
        let text = plain(&item).to_lowercase();
        assert!(text.contains("sparse coding"), "{kind:?}: {item:?}");
    }
}

#[test]
fn unknown_styles_and_locales_say_what_exists() {
    let error = CitationStyle::load(&Choice::Bundled("apaa".into()), None).unwrap_err();
    assert!(
        error.0.contains("unknown style `apaa`") && error.0.contains("ieee"),
        "{error}"
    );
    let error = CitationStyle::load(&Choice::Bundled("apa".into()), Some("xx-YY")).unwrap_err();
    assert!(
        error.0.contains("unknown locale `xx-YY`") && error.0.contains("de-DE"),
        "{error}"
    );
    let error = CitationStyle::load(&Choice::File("/nonexistent/s.csl".into()), None).unwrap_err();
    assert!(
        error.0.starts_with("/nonexistent/s.csl: cannot read"),
        "{error}"
    );
    assert!(CitationStyle::load(&Choice::Bundled("vancouver".into()), Some("de-DE")).is_ok());
}

#[test]
fn a_value_ending_in_csl_is_a_file() {
    assert_eq!(Choice::parse("apa"), Choice::Bundled("apa".into()));
    assert_eq!(Choice::parse("my.CSL"), Choice::File("my.CSL".into()));
}

#[test]
fn initials_given_names_match() {
    let given = PersonalName {
        given: Some("S.".into()),
        family: "Lim".into(),
        ..PersonalName::default()
    };
    let owner = named("Sungjun Lim");
    let work = article(&[Person::Personal(given), named("Jane Doe")]);
    let is_owner = |person: &Person| owner.matches(&person.display_name());
    let item = render(&[&work], &is_owner, &style("ieee"), Labels::All).remove(0);
    assert_eq!(strong(&item), ["S. Lim"], "{}", plain(&item));
}

#[test]
fn a_numbered_style_labels_items_in_the_order_given() {
    let a = article(&[named("Zed Young")]);
    let b = article(&[named("Amy Adams")]);
    let nobody = |_: &Person| false;
    let items = render(&[&a, &b], &nobody, &style("ieee"), Labels::All);
    assert!(plain(&items[0]).starts_with("[1] Z. Young,"), "{items:?}");
    assert!(plain(&items[1]).starts_with("[2] A. Adams,"), "{items:?}");
}

/// A list that numbers its items itself shows no number of the style's
/// besides, whatever the names; a label that is no number still leads.
#[test]
fn a_numbered_list_leaves_out_the_styles_numbers_only() {
    let nobody = |_: &Person| false;
    let works = [
        article(&[named("Zoë Kovács-Müller")]),
        article(&[named("Ana Lee"), named("Jane Doe")]),
        undated("Ōno Hiroshi", "Book"),
    ];
    let works: Vec<&Work> = works.iter().collect();
    let numbered = render(&works, &nobody, &style("ieee"), Labels::ButNumbers);
    let labelled = render(&works, &nobody, &style("ieee"), Labels::All);
    for (item, labelled) in numbered.iter().zip(&labelled) {
        let (item, labelled) = (plain(item), plain(labelled));
        assert!(item.starts_with(|c: char| c.is_alphabetic()), "{item}");
        assert!(labelled.ends_with(&item), "{labelled} / {item}");
        assert!(labelled.starts_with('['), "{labelled}");
    }
    // An author-date style has no label: both read alike.
    let apa = |labels| render(&works, &nobody, &style("apa"), labels);
    let plain_all =
        |items: Vec<Vec<Piece>>| items.iter().map(|item| plain(item)).collect::<Vec<_>>();
    assert_eq!(
        plain_all(apa(Labels::All)),
        plain_all(apa(Labels::ButNumbers))
    );
}

#[test]
fn same_authors_and_year_take_suffixes_down_the_list_and_keep_full_names() {
    let authors = [named("Sungjun Lim"), named("Seojin Park"), named("Ana Lee")];
    let mut later = article(&authors);
    later.title = Some(Text::plain("Zebra stripes"));
    let earlier = article(&authors);
    let nobody = |_: &Person| false;
    // Given in CV order, rendered in the style's: by title here.
    let items = render(&[&later, &earlier], &nobody, &style("apa"), Labels::All);
    let (later, earlier) = (plain(&items[0]), plain(&items[1]));
    assert!(
        earlier.starts_with("Lim, S., Park, S., & Lee, A. (2021a). Sparse coding"),
        "{earlier}"
    );
    assert!(
        later.starts_with("Lim, S., Park, S., & Lee, A. (2021b). Zebra stripes"),
        "{later}"
    );
}

#[test]
fn title_case_leaves_mixed_case_words_and_the_last_word_alone() {
    let mut work = article(&[named("Mary O'Neil")]);
    work.title = Some(Text::plain(
        "CycleGAN and BERT for EU migration: ACSM's resource for testing a",
    ));
    let item = plain(&render_one(
        &work,
        &named("Nobody Here"),
        &style("chicago-author-date"),
    ));
    assert!(
        item.contains("“CycleGAN and BERT for EU Migration: ACSM’s Resource for Testing a.”"),
        "{item}"
    );
    assert!(item.starts_with("O’Neil, Mary."), "{item}");
}

#[test]
fn punctuation_after_question_marks_and_inside_quotes() {
    let mut work = article(&[named("Jane Doe")]);
    work.title = Some(Text::plain("Is attention all you need?"));
    let apa = plain(&render_one(&work, &named("Nobody Here"), &style("apa")));
    assert!(apa.contains("all you need? Journal of Shapes"), "{apa}");
    work.title = Some(Text::plain("Sparse coding of shapes"));
    let ieee = plain(&render_one(&work, &named("Nobody Here"), &style("ieee")));
    assert!(
        ieee.contains("“Sparse coding of shapes,” Journal"),
        "{ieee}"
    );
    // British English quotes singly and keeps the comma outside.
    let british = CitationStyle::load(&Choice::Bundled("ieee".into()), Some("en-GB")).unwrap();
    let ieee = plain(&render_one(&work, &named("Nobody Here"), &british));
    assert!(
        ieee.contains("‘Sparse coding of shapes’, Journal"),
        "{ieee}"
    );
}

#[test]
fn an_arxiv_number_keeps_its_small_a() {
    let mut work = article(&[named("Jane Doe")]);
    work.kind = WorkType::Preprint;
    work.venue = Venue::default();
    work.ids.arxiv = Some("2106.15928".into());
    let item = plain(&render_one(&work, &named("Nobody Here"), &style("apa")));
    assert!(item.contains("(arXiv:2106.15928)"), "{item}");
    assert!(!item.contains('\u{2060}'), "{item:?}");
}

#[test]
fn a_title_ending_in_a_period_or_ellipsis_keeps_one() {
    let mut work = article(&[named("Jane Doe")]);
    let nobody = named("Nobody Here");
    work.title = Some(Text::plain("Dreams during REM sleep."));
    let ieee = plain(&render_one(&work, &nobody, &style("ieee")));
    assert!(
        ieee.contains("“Dreams during REM sleep.” Journal"),
        "{ieee}"
    );
    work.title = Some(Text::plain("And so on..."));
    let ieee = plain(&render_one(&work, &nobody, &style("ieee")));
    assert!(ieee.contains("“And so on...,” Journal"), "{ieee}");
}

#[test]
fn years_before_the_common_era_read_as_written() {
    let mut work = article(&[named("Gaius Julius Caesar")]);
    work.date = Some(DateValue {
        start: Date::year(-44),
        end: None,
        circa: false,
    });
    let item = plain(&render_one(
        &work,
        &named("Nobody Here"),
        &style("chicago-author-date"),
    ));
    assert!(item.contains("44 BC"), "{item}");
}

fn undated(author: &str, title: &str) -> Work {
    Work {
        kind: WorkType::Book,
        title: Some(Text::plain(title)),
        authors: vec![named(author)],
        ..Work::default()
    }
}

#[test]
fn undated_works_cited_alike_take_suffixes_in_list_order() {
    let nobody = |_: &Person| false;
    let later = undated("Jane Smith", "Book C");
    let earlier = undated("Jane Smith", "Book B");
    let alone = undated("Ana Roe", "Book A");
    let items = render(
        &[&later, &alone, &earlier],
        &nobody,
        &style("apa"),
        Labels::All,
    );
    assert_eq!(plain(&items[0]), "Smith, J. (n.d.-b). Book C.");
    assert_eq!(plain(&items[1]), "Roe, A. (n.d.). Book A.");
    assert_eq!(plain(&items[2]), "Smith, J. (n.d.-a). Book B.");
    // The term is the locale's, and the suffix goes where the style
    // puts it.
    let zoe = undated("Zoë Kovács-Müller", "Über Wörter");
    let zoe_again = undated("Zoë Kovács-Müller", "Ähnliche Wörter");
    let german = CitationStyle::load(
        &Choice::Bundled("chicago-author-date".into()),
        Some("de-DE"),
    )
    .unwrap();
    let items = render(&[&zoe, &zoe_again], &nobody, &german, Labels::All);
    assert!(
        plain(&items[0]).contains("o.\u{a0}J.-b"),
        "{}",
        plain(&items[0])
    );
    assert!(
        plain(&items[1]).contains("o.\u{a0}J.-a"),
        "{}",
        plain(&items[1])
    );
}

#[test]
fn numbered_styles_and_undated_works_by_others_take_no_suffix() {
    let nobody = |_: &Person| false;
    let a = undated("Jane Smith", "Book C");
    let b = undated("Jane Smith", "Book B");
    for item in render(&[&a, &b], &nobody, &style("ieee"), Labels::All) {
        assert!(!plain(&item).contains("n.d.-"), "{}", plain(&item));
    }
    let c = undated("Ana Smith", "Book A");
    let items = render(&[&a, &c], &nobody, &style("apa"), Labels::All);
    assert_eq!(plain(&items[0]), "Smith, J. (n.d.). Book C.");
    assert_eq!(plain(&items[1]), "Smith, A. (n.d.). Book A.");
}

#[test]
fn a_group_of_terms_does_not_keep_a_group_whose_variables_are_empty() {
    let mut work = article(&[named("Zoë Kovács-Müller")]);
    work.kind = WorkType::Book;
    work.venue = Venue::default();
    work.ids.url = Some("https://example.org/book".into());
    let nobody = named("Nobody Here");
    let ieee = plain(&render_one(&work, &nobody, &style("ieee")));
    assert!(
        ieee.ends_with("2021. Available: https://example.org/book"),
        "{ieee}"
    );
    // With an access date the group prints, and the terms with it.
    work.dates.insert(
        DateVariable::Accessed,
        DateValue {
            start: Date::from_ymd(2024, Month::new(5).unwrap(), 7).unwrap(),
            end: None,
            circa: false,
        },
    );
    let ieee = words(&render_one(&work, &nobody, &style("ieee")));
    assert!(
        ieee.contains("Accessed: May 07, 2024. [Online]. Available: https://example.org/book"),
        "{ieee}"
    );
    let german = CitationStyle::load(&Choice::Bundled("ieee".into()), Some("de-DE")).unwrap();
    let ieee = words(&render_one(&work, &nobody, &german));
    assert!(ieee.contains("[Online]. Verfügbar unter"), "{ieee}");
}

#[test]
fn editors_in_the_authors_place_read_as_the_authors_would() {
    let mut book = undated("Nobody Here", "Collected Papers");
    book.authors.clear();
    book.editors = vec![named("Jane Doe")];
    let chicago = style("chicago-author-date");
    let text = plain(&render_one(&book, &named("Nobody Here"), &chicago));
    assert_eq!(text, "Doe, Jane, ed. n.d. Collected Papers.");
    book.editors = vec![named("Zoë Kovács-Müller"), named("Jörg Müller")];
    let text = plain(&render_one(&book, &named("Nobody Here"), &chicago));
    assert_eq!(
        text,
        "Kovács-Müller, Zoë, and Jörg Müller, eds. n.d. Collected Papers."
    );
}

#[test]
fn an_article_without_its_journal_keeps_its_type() {
    let mut work = article(&[named("Zoë Kovács-Müller")]);
    work.venue = Venue::default();
    let nobody = named("Nobody Here");
    let chicago = plain(&render_one(&work, &nobody, &style("chicago-author-date")));
    assert_eq!(
        chicago,
        "Kovács-Müller, Zoë. 2021. Sparse Coding of Shapes. March 5."
    );
    // A paper without its proceedings is dated to the day, as an
    // unpublished one.
    work.kind = WorkType::ConferencePaper;
    let apa = plain(&render_one(&work, &nobody, &style("apa")));
    assert_eq!(
        apa,
        "Kovács-Müller, Z. (2021, March 5). Sparse coding of shapes."
    );
}

#[test]
fn initials_run_together_are_initials_each() {
    let tolkien = Person::Personal(PersonalName {
        given: Some("J.R.R.".into()),
        family: "Tolkien".into(),
        ..PersonalName::default()
    });
    let nunez = Person::Personal(PersonalName {
        given: Some("É.Ö".into()),
        family: "Ñúñez".into(),
        ..PersonalName::default()
    });
    let work = article(&[tolkien, nunez]);
    let nobody = named("Nobody Here");
    let ieee = plain(&render_one(&work, &nobody, &style("ieee")));
    assert!(
        ieee.starts_with("[1] J. R. R. Tolkien and É. Ö. Ñúñez,"),
        "{ieee}"
    );
    let chicago = plain(&render_one(&work, &nobody, &style("chicago-author-date")));
    assert!(
        chicago.starts_with("Tolkien, J. R. R., and É. Ö. Ñúñez."),
        "{chicago}"
    );
}

#[test]
fn abbreviated_given_names_keep_their_letters_where_styles_initialize() {
    let person = |given: &str, family: &str| {
        Person::Personal(PersonalName {
            given: Some(given.into()),
            family: family.into(),
            ..PersonalName::default()
        })
    };
    let work = article(&[person("Ph. Jean", "Doe"), person("Jean-Chr.", "Roe")]);
    let nobody = named("Nobody Here");
    let apa = plain(&render_one(&work, &nobody, &style("apa")));
    assert!(
        apa.starts_with("Doe, Ph. J., & Roe, J.-Chr. (2021"),
        "{apa}"
    );
    let ieee = plain(&render_one(&work, &nobody, &style("ieee")));
    assert!(
        ieee.starts_with("[1] Ph. J. Doe and J.-Chr. Roe,"),
        "{ieee}"
    );

    let work = article(&[person("Św. Ánh", "Łukasiewicz"), person("ÉLo.", "Núñez")]);
    let apa = plain(&render_one(&work, &nobody, &style("apa")));
    assert!(
        apa.starts_with("Łukasiewicz, Św. Á., & Núñez, ÉLo. (2021"),
        "{apa}"
    );
    let chicago = plain(&render_one(&work, &nobody, &style("chicago-author-date")));
    assert!(
        chicago.starts_with("Łukasiewicz, Św. Ánh, and ÉLo. Núñez."),
        "{chicago}"
    );
}

#[test]
fn variation_selectors_of_their_own_stay() {
    let text = "I \u{2764}\u{FE0F} maps \u{FE0E}";
    assert_eq!(shown_letters(text), text);
    let hidden = format!("P{}. \u{2764}\u{FE0F}", hidden_letters("hé"));
    assert_eq!(shown_letters(&hidden), "Phé. \u{2764}\u{FE0F}");
}

#[test]
fn apostrophes_in_names_are_typographic_and_join_their_particle() {
    let hooft = Person::Personal(PersonalName {
        given: Some("Gerard".into()),
        family: "'t Hooft".into(),
        ..PersonalName::default()
    });
    let orsted = Person::Personal(PersonalName {
        given: Some("Ève".into()),
        particle: Some("d'".into()),
        family: "Ørsted".into(),
        ..PersonalName::default()
    });
    let work = article(&[hooft, orsted]);
    let nobody = named("Nobody Here");
    let apa = plain(&render_one(&work, &nobody, &style("apa")));
    assert!(
        apa.starts_with("’t Hooft, G., & d’Ørsted, È. (2021"),
        "{apa}"
    );
    let ieee = plain(&render_one(&work, &nobody, &style("ieee")));
    assert!(
        ieee.starts_with("[1] G. ’t Hooft and È. d’Ørsted,"),
        "{ieee}"
    );
}

#[test]
fn capitalised_family_names_keep_their_first_word() {
    let family = |given: &str, family: &str| {
        Person::Personal(PersonalName {
            given: Some(given.into()),
            family: family.into(),
            ..PersonalName::default()
        })
    };
    let work = article(&[
        family("Jean", "La Fontaine"),
        family("José", "Da Silva"),
        Person::Literal("Van Leer Foundation".into()),
    ]);
    let nobody = named("Nobody Here");
    let chicago = plain(&render_one(&work, &nobody, &style("chicago-author-date")));
    assert!(
        chicago.starts_with("La Fontaine, Jean, José Da Silva, and Van Leer Foundation. 2021."),
        "{chicago}"
    );
    // A lowercase first word is a particle, as CSL processors read it.
    let work = article(&[family("Vincent", "van Gogh")]);
    let chicago = plain(&render_one(&work, &nobody, &style("chicago-author-date")));
    assert!(chicago.starts_with("Gogh, Vincent van. 2021."), "{chicago}");
}

#[test]
fn quotes_in_titles_take_the_locales_marks_by_depth() {
    let mut work = article(&[named("Jane Doe")]);
    work.title = Some(Text::plain("Life's 'little' surprises"));
    let nobody = named("Nobody Here");
    let apa = plain(&render_one(&work, &nobody, &style("apa")));
    assert!(
        apa.contains("(2021). Life’s “little” surprises. Journal"),
        "{apa}"
    );
    // Inside the style's quotes, the inner marks; title case looks
    // through them.
    work.title = Some(Text::plain("A \"quick start\" guide"));
    let chicago = plain(&render_one(&work, &nobody, &style("chicago-author-date")));
    assert!(chicago.contains("“A ‘Quick Start’ Guide.”"), "{chicago}");
    let german = CitationStyle::load(
        &Choice::Bundled("chicago-author-date".into()),
        Some("de-DE"),
    )
    .unwrap();
    let chicago = plain(&render_one(&work, &nobody, &german));
    assert!(chicago.contains("„A ‚quick start‘ guide“"), "{chicago}");
    // A lone apostrophe is no quote, and typographic.
    work.title = Some(Text::plain("The dogs' 'day"));
    let apa = plain(&render_one(&work, &nobody, &style("apa")));
    assert!(apa.contains("The dogs’ ’day."), "{apa}");
}

#[test]
fn lone_apostrophes_in_titles_are_typographic_wherever_they_stand() {
    let mut work = article(&[named("Jane Doe")]);
    work.title = Some(Text::plain("Workshop on automation (ETFA '09)"));
    let nobody = named("Nobody Here");
    let apa = plain(&render_one(&work, &nobody, &style("apa")));
    assert!(apa.contains("Workshop on automation (ETFA ’09)."), "{apa}");
    work.title = Some(Text::plain("Rôle de l ' Été à Øresund"));
    let ieee = plain(&render_one(&work, &nobody, &style("ieee")));
    assert!(ieee.contains("“Rôle de l ’ Été à Øresund,”"), "{ieee}");
}

#[test]
fn labels_print_where_a_title_stands_in_for_the_authors() {
    let mut book = undated("Nobody Here", "Über Wörter");
    book.authors.clear();
    book.venue.pages = Some("101–108".into());
    let nobody = named("Nobody Here");
    let apa = plain(&render_one(&book, &nobody, &style("apa")));
    assert_eq!(apa, "Über Wörter (pp. 101–108). (n.d.).");
    book.venue.pages = Some("7".into());
    let apa = plain(&render_one(&book, &nobody, &style("apa")));
    assert_eq!(apa, "Über Wörter (p. 7). (n.d.).");
    book.venue.pages = None;
    book.fields.insert(Variable::Edition, Text::plain("5"));
    let apa = plain(&render_one(&book, &nobody, &style("apa")));
    assert_eq!(apa, "Über Wörter (5th ed.). (n.d.).");
    let german = CitationStyle::load(&Choice::Bundled("apa".into()), Some("de-DE")).unwrap();
    book.venue.pages = Some("101–108".into());
    let apa = plain(&render_one(&book, &nobody, &german));
    assert!(
        apa.starts_with("Über Wörter (5. Aufl., S. 101–108)."),
        "{apa}"
    );
}

#[test]
fn archive_places_print_where_the_style_asks_for_them() {
    let mut book = undated("Martin Hansen", "Alfabetiseringsproblemer");
    book.venue.publisher = Some("Gyldendal".into());
    book.fields
        .insert(Variable::ArchivePlace, Text::plain("København"));
    let nobody = named("Nobody Here");
    let apa = plain(&render_one(&book, &nobody, &style("apa")));
    assert_eq!(
        apa,
        "Hansen, M. (n.d.). Alfabetiseringsproblemer. Gyldendal. København."
    );
    book.authors = vec![named("Zoë Ångström")];
    book.fields
        .insert(Variable::ArchivePlace, Text::plain("Malmö"));
    let chicago = plain(&render_one(&book, &nobody, &style("chicago-author-date")));
    assert!(chicago.ends_with("Gyldendal. Malmö."), "{chicago}");
}

#[test]
fn a_style_that_prints_abstracts_does_not_carry_archive_places() {
    let csl = |variables: &str| {
        let texts: String = variables
            .split(' ')
            .map(|variable| format!(r#"<text variable="{variable}"/>"#))
            .collect();
        let xml = format!(
            r#"<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
            <info><id>x</id><title>x</title><updated>2020-01-01T00:00:00+00:00</updated></info>
            <citation><layout>{texts}</layout></citation></style>"#
        );
        IndependentStyle::from_xml(&xml).unwrap()
    };
    let mut both = csl("abstract archive-place");
    assert!(!steer::archive_place_carried(&mut both));
    let mut place = csl("title archive-place");
    assert!(steer::archive_place_carried(&mut place));
    let mut neither = csl("title publisher-place");
    assert!(!steer::archive_place_carried(&mut neither));
}

#[test]
fn titles_in_other_languages_keep_their_case() {
    let mut work = article(&[named("François Lefèvre")]);
    work.title = Some(Text::plain(
        "Étude des réseaux: l'apprentissage sans étiquettes",
    ));
    let nobody = named("Nobody Here");
    let chicago = style("chicago-author-date");
    for language in ["fr", "fr-CA", "french language"] {
        work.fields
            .insert(Variable::Language, Text::plain(language));
        let text = plain(&render_one(&work, &nobody, &chicago));
        assert!(
            text.contains("“Étude des réseaux: l’apprentissage sans étiquettes.”"),
            "{language}: {text}"
        );
    }
    work.title = Some(Text::plain("Sparse coding of shapes"));
    for language in ["en-GB", "en--with comments"] {
        work.fields
            .insert(Variable::Language, Text::plain(language));
        let text = plain(&render_one(&work, &nobody, &chicago));
        assert!(
            text.contains("“Sparse Coding of Shapes.”"),
            "{language}: {text}"
        );
    }
}

#[test]
fn a_date_that_prints_nothing_leaves_no_delimiter() {
    let mut work = article(&[named("Zoë Kovács-Müller")]);
    work.kind = WorkType::NewspaperArticle;
    work.date = Some(DateValue {
        start: Date::year(2009),
        end: None,
        circa: false,
    });
    let nobody = named("Nobody Here");
    let apa = plain(&render_one(&work, &nobody, &style("apa")));
    assert!(apa.starts_with("Kovács-Müller, Z. (2009). Sparse"), "{apa}");
    work.date = article(&[]).date;
    let apa = plain(&render_one(&work, &nobody, &style("apa")));
    assert!(
        apa.starts_with("Kovács-Müller, Z. (2021, March 5). Sparse"),
        "{apa}"
    );
    // A volume without an issue, where chicago-author-date would print the
    // month.
    let mut work = article(&[named("Zoë Kovács-Müller")]);
    work.venue.issue = None;
    work.date = Some(DateValue {
        start: Date::year(2009),
        end: None,
        circa: false,
    });
    let chicago = plain(&render_one(&work, &nobody, &style("chicago-author-date")));
    assert!(
        chicago.contains("Journal of Shapes 12: 10–20."),
        "{chicago}"
    );
}

#[test]
fn title_case_leaves_stop_words_and_capitals_as_written() {
    let mut work = article(&[named("Jane Doe")]);
    work.title = Some(Text::plain(
        "Translation, and comprehension about things: a study For Bayesian models",
    ));
    let nobody = named("Nobody Here");
    let chicago = style("chicago-author-date");
    let text = plain(&render_one(&work, &nobody, &chicago));
    assert!(
        text.contains(
            "“Translation, and Comprehension about Things: A Study For Bayesian Models.”"
        ),
        "{text}"
    );
    work.title = Some(Text::plain("Ética, and the café: the año of Ñandú"));
    let text = plain(&render_one(&work, &nobody, &chicago));
    assert!(
        text.contains("“Ética, and the Café: The Año of Ñandú.”"),
        "{text}"
    );
    // Where the style changes no case, the title reads as written.
    let apa = plain(&render_one(&work, &nobody, &style("apa")));
    assert!(
        apa.contains("(2021). Ética, and the café: the año of Ñandú."),
        "{apa}"
    );
}

#[test]
fn letters_of_formulas_keep_their_case() {
    let mut work = article(&[named("Zoë Kovács-Müller")]);
    work.title = Some(Text {
        inlines: vec![
            Inline::Plain("Sums for ".into()),
            Inline::Math("\\alpha".into()),
            Inline::Plain("-stable and ".into()),
            Inline::Math("\\beta".into()),
            Inline::Plain(" processes".into()),
        ],
        ..Text::default()
    });
    let nobody = named("Nobody Here");
    let chicago = plain(&render_one(&work, &nobody, &style("chicago-author-date")));
    assert!(
        chicago.contains("“Sums for α-Stable and β Processes.”"),
        "{chicago}"
    );
}

#[test]
fn urls_print_as_written() {
    let mut work = article(&[named("Jane Doe")]);
    work.kind = WorkType::Webpage;
    work.venue = Venue::default();
    let nobody = named("Nobody Here");
    for url in ["http://example.com", "https://müller.example/Straße?q=ü"] {
        work.ids.url = Some(url.into());
        let item = render_one(&work, &nobody, &style("apa"));
        assert!(plain(&item).ends_with(url), "{}", plain(&item));
        // The link still leads where the parsed URL does.
        assert!(
            item.iter().any(|piece| matches!(piece, Piece::Link { .. })),
            "{item:?}"
        );
    }
}
