//! Labels inside substitutes ("pp." of `(pp. 101–108)`, "ed." of `(5th
//! ed.)`), which hayagriva never prints.
//!
//! In a `cs:substitute`, hayagriva suppresses each variable as soon as
//! anything asks for it, so that the rest of the item does not print it
//! again. A `cs:label` asks for its variable before it prints, and then
//! finds it suppressed: neither the label nor its number print. So apa
//! read `Example A. (n.d.).` for a book without an author where CSL reads
//! `Example A (pp. 101–108). (n.d.).`.
//!
//! Inside substitutes, and in copies of the macros they call, each label
//! becomes the label's term in both forms, singular and plural, between
//! marks: whether the item has the variable, and whether its number takes
//! the plural, are things the style cannot test there, so the item's own
//! number picks a form, or none, once rendered ([`pick`]).

use std::collections::BTreeSet;

use hayagriva::citationberg::taxonomy::{NumberOrPageVariable, NumberVariable, PageVariable};
use hayagriva::citationberg::{
    Group, IndependentStyle, Label, LabelPluralize, LayoutRenderingElement, NamesChild, Text,
    TextTarget,
};
use hayagriva::types::{MaybeTyped, Numeric};
use hayagriva::Entry;

use crate::write::cv::Piece;

/// Opens a label printed in both forms.
const BOTH: char = '\u{E003}';
/// Ends it.
const END: char = '\u{E004}';
/// Between the two forms, the first of the marks that name the variable
/// ([`NUMBERED`]).
const BETWEEN: u32 = 0xE010;

/// The variables a label may stand by, in the order their marks count.
const NUMBERED: &[NumberOrPageVariable] = &[
    NumberOrPageVariable::Page(PageVariable::Page),
    NumberOrPageVariable::Number(NumberVariable::Edition),
    NumberOrPageVariable::Number(NumberVariable::Volume),
    NumberOrPageVariable::Number(NumberVariable::Issue),
    NumberOrPageVariable::Number(NumberVariable::NumberOfVolumes),
    NumberOrPageVariable::Number(NumberVariable::NumberOfPages),
    NumberOrPageVariable::Number(NumberVariable::ChapterNumber),
    NumberOrPageVariable::Number(NumberVariable::Number),
];

/// The suffix of the copy of a macro called from a substitute.
const IN_SUBSTITUTE: &str = " (in substitute)";

/// Rewrites the labels inside the style's substitutes.
pub(super) fn in_substitutes(style: &mut IndependentStyle) {
    let mut reached = BTreeSet::new();
    each_substitute(style, &mut |list| macros_called(list, &mut reached));
    // The macros those macros call, until no new one is found.
    loop {
        let before = reached.len();
        for csl_macro in &style.macros {
            if reached.contains(&csl_macro.name) {
                let mut more = BTreeSet::new();
                macros_called(&csl_macro.children, &mut more);
                reached.extend(more);
            }
        }
        if reached.len() == before {
            break;
        }
    }
    let copies: Vec<_> = style
        .macros
        .iter()
        .filter(|csl_macro| reached.contains(&csl_macro.name))
        .map(|csl_macro| {
            let mut copy = csl_macro.clone();
            copy.name.push_str(IN_SUBSTITUTE);
            for_substitute(&mut copy.children);
            copy
        })
        .collect();
    each_substitute_mut(style, &mut |list| for_substitute(list));
    style.macros.extend(copies);
}

/// Calls `visit` on the children of each substitute of the style.
fn each_substitute<'a>(
    style: &'a IndependentStyle,
    visit: &mut impl FnMut(&'a Vec<LayoutRenderingElement>),
) {
    let mut lists = vec![&style.citation.layout.elements];
    if let Some(bibliography) = &style.bibliography {
        lists.push(&bibliography.layout.elements);
    }
    lists.extend(style.macros.iter().map(|csl_macro| &csl_macro.children));
    for list in lists {
        substitutes_in(list, visit);
    }
}

fn substitutes_in<'a>(
    list: &'a [LayoutRenderingElement],
    visit: &mut impl FnMut(&'a Vec<LayoutRenderingElement>),
) {
    for element in list {
        match element {
            LayoutRenderingElement::Names(names) => {
                for child in &names.children {
                    if let NamesChild::Substitute(substitute) = child {
                        visit(&substitute.children);
                    }
                }
            }
            LayoutRenderingElement::Group(group) => substitutes_in(&group.children, visit),
            LayoutRenderingElement::Choose(choose) => {
                for branch in choose.branches() {
                    substitutes_in(&branch.children, visit);
                }
                if let Some(otherwise) = &choose.otherwise {
                    substitutes_in(&otherwise.children, visit);
                }
            }
            _ => {}
        }
    }
}

/// [`each_substitute`], for rewriting.
fn each_substitute_mut(
    style: &mut IndependentStyle,
    visit: &mut impl FnMut(&mut Vec<LayoutRenderingElement>),
) {
    let mut lists = vec![&mut style.citation.layout.elements];
    if let Some(bibliography) = &mut style.bibliography {
        lists.push(&mut bibliography.layout.elements);
    }
    lists.extend(
        style
            .macros
            .iter_mut()
            .map(|csl_macro| &mut csl_macro.children),
    );
    for list in lists {
        substitutes_in_mut(list, visit);
    }
}

fn substitutes_in_mut(
    list: &mut [LayoutRenderingElement],
    visit: &mut impl FnMut(&mut Vec<LayoutRenderingElement>),
) {
    for element in list {
        match element {
            LayoutRenderingElement::Names(names) => {
                for child in &mut names.children {
                    if let NamesChild::Substitute(substitute) = child {
                        visit(&mut substitute.children);
                    }
                }
            }
            LayoutRenderingElement::Group(group) => substitutes_in_mut(&mut group.children, visit),
            LayoutRenderingElement::Choose(choose) => {
                for branch in std::iter::once(&mut choose.if_).chain(&mut choose.else_if) {
                    substitutes_in_mut(&mut branch.children, visit);
                }
                if let Some(otherwise) = &mut choose.otherwise {
                    substitutes_in_mut(&mut otherwise.children, visit);
                }
            }
            _ => {}
        }
    }
}

/// The names of the macros a list calls, as [`check`](super::check)
/// finds them.
fn macros_called(list: &[LayoutRenderingElement], names: &mut BTreeSet<String>) {
    let mut called = Vec::new();
    super::check::calls_in(list, &mut called);
    names.extend(called.into_iter().map(str::to_owned));
}

/// A list as it should read inside a substitute: labels as terms, and
/// macros called by their copies.
fn for_substitute(list: &mut [LayoutRenderingElement]) {
    for element in list {
        match element {
            LayoutRenderingElement::Label(label) => *element = as_terms(label),
            LayoutRenderingElement::Text(Text {
                target: TextTarget::Macro { name },
                ..
            }) if !name.ends_with(IN_SUBSTITUTE) => name.push_str(IN_SUBSTITUTE),
            LayoutRenderingElement::Group(group) => for_substitute(&mut group.children),
            LayoutRenderingElement::Choose(choose) => {
                for branch in std::iter::once(&mut choose.if_).chain(&mut choose.else_if) {
                    for_substitute(&mut branch.children);
                }
                if let Some(otherwise) = &mut choose.otherwise {
                    for_substitute(&mut otherwise.children);
                }
            }
            _ => {}
        }
    }
}

/// A label as its term in both forms between marks, for the item to
/// pick one, or neither where it lacks the variable. No condition on the
/// variable will do: once the substitute has printed the variable,
/// hayagriva takes it for empty.
fn as_terms(label: &Label) -> LayoutRenderingElement {
    let Some(place) = NUMBERED.iter().position(|&v| v == label.variable) else {
        return LayoutRenderingElement::Label(label.clone());
    };
    let term = |plural: bool| {
        let mut text = Text::with_target(TextTarget::Term {
            term: label.variable.into(),
            form: label.label.form,
            plural: match label.label.plural {
                LabelPluralize::Contextual => plural,
                LabelPluralize::Always => true,
                LabelPluralize::Never => false,
            },
        });
        text.text_case = label.label.text_case;
        text.strip_periods = label.label.strip_periods;
        text.affixes = label.label.affixes.clone();
        LayoutRenderingElement::Text(text)
    };
    let mark = |c: char| {
        LayoutRenderingElement::Text(Text::with_target(TextTarget::Value { val: c.to_string() }))
    };
    let between = char::from_u32(BETWEEN + place as u32).unwrap_or(END);
    let formatting = label.label.formatting;
    LayoutRenderingElement::Group(Group {
        children: vec![
            mark(BOTH),
            term(false),
            mark(between),
            term(true),
            mark(END),
        ],
        font_style: formatting.font_style,
        font_variant: formatting.font_variant,
        font_weight: formatting.font_weight,
        text_decoration: formatting.text_decoration,
        vertical_align: formatting.vertical_align,
        prefix: None,
        suffix: None,
        delimiter: None,
        display: None,
    })
}

/// Keeps, of each label printed in both forms, the one the entry's number
/// takes.
pub(super) fn pick(pieces: &mut [Piece], entry: &Entry) {
    for piece in pieces {
        match piece {
            Piece::Text(text) if text.contains(BOTH) => *text = picked(text, entry),
            Piece::Styled(_, inner) | Piece::Link { text: inner, .. } => pick(inner, entry),
            _ => {}
        }
    }
}

fn picked(text: &str, entry: &Entry) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(BOTH) {
        out.push_str(&rest[..start]);
        let after = &rest[start + BOTH.len_utf8()..];
        let Some(end) = after.find(END) else {
            out.push_str(after);
            return out;
        };
        let both = &after[..end];
        let between = both.char_indices().find_map(|(at, c)| {
            let place = (c as u32).checked_sub(BETWEEN)? as usize;
            Some((at, c.len_utf8(), *NUMBERED.get(place)?))
        });
        match between {
            Some((at, width, variable)) => match number_of(entry, variable) {
                Some(true) => out.push_str(&both[at + width..]),
                Some(false) => out.push_str(&both[..at]),
                None => {}
            },
            None => out.push_str(both),
        }
        rest = &after[end + END.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// Whether the entry's value of a variable takes the plural of its term,
/// as hayagriva decides for a label outside substitutes; `None` where the
/// entry lacks the variable.
fn number_of(entry: &Entry, variable: NumberOrPageVariable) -> Option<bool> {
    let typed = |value: Option<&MaybeTyped<Numeric>>| {
        value.map(|value| matches!(value, MaybeTyped::Typed(n) if n.is_plural(false)))
    };
    match variable {
        NumberOrPageVariable::Page(_) => entry
            .page_range()
            .map(|pages| matches!(pages, MaybeTyped::Typed(pages) if pages.is_plural())),
        NumberOrPageVariable::Number(number) => match number {
            NumberVariable::Edition => typed(entry.edition()),
            NumberVariable::Volume => typed(
                entry
                    .volume()
                    .or_else(|| entry.parents().iter().find_map(Entry::volume)),
            ),
            NumberVariable::Issue => typed(entry.issue()),
            NumberVariable::ChapterNumber => typed(entry.chapter()),
            NumberVariable::NumberOfVolumes => entry.volume_total().map(|n| n.is_plural(true)),
            NumberVariable::NumberOfPages => entry.page_total().map(|n| n.is_plural(true)),
            NumberVariable::Number => entry
                .keyed_serial_number("serial")
                .map(|serial| serial.parse::<Numeric>().is_ok_and(|n| n.is_plural(false))),
            _ => None,
        },
    }
}
