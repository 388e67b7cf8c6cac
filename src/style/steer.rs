//! A style rewritten so that hayagriva renders it as CSL says, where
//! hayagriva's reading of an element departs from CSL 1.0.2 and an
//! equivalent element it reads right exists.
//!
//! Each rewrite keeps what the style means under CSL; it only changes
//! which elements hayagriva sees.

use hayagriva::citationberg::{
    taxonomy::{StandardVariable, Variable},
    Choose, ChooseBranch, ChooseMatch, DatePartName, Group, IndependentStyle,
    LayoutRenderingElement, Names, NamesChild, SortKey, Text, TextTarget,
};

use crate::write::cv::Piece;

/// The style as hayagriva should read it.
pub(super) fn steer(style: &mut IndependentStyle) {
    super::labels::in_substitutes(style);
    each_list(style, &mut |list, in_group| {
        year_less_dates_marked(list);
        if in_group {
            nested_groups_behind_choices(list);
        }
        for element in list.iter_mut() {
            if let LayoutRenderingElement::Names(names) = element {
                substitutes_inherit_names(names);
            }
        }
    });
}

/// The variable that carries `archive-place` for hayagriva, which reads
/// no archive place: `abstract`, which pubconv's entries leave empty
/// otherwise.
const ARCHIVE_PLACE_CARRIER: StandardVariable = StandardVariable::Abstract;

/// Rewrites the style's `archive-place` (in text and in conditions) as
/// [`ARCHIVE_PLACE_CARRIER`], where the style does not call that variable
/// itself; says whether the item's archive place is to be passed in it.
pub(super) fn archive_place_carried(style: &mut IndependentStyle) -> bool {
    let place = Variable::Standard(StandardVariable::ArchivePlace);
    let carrier = Variable::Standard(ARCHIVE_PLACE_CARRIER);
    if calls(style, carrier) || !calls(style, place) {
        return false;
    }
    each_variable(style, &mut |variable| {
        if *variable == place {
            *variable = carrier;
        }
    });
    true
}

/// Whether the style prints, tests or sorts by `variable`.
fn calls(style: &mut IndependentStyle, variable: Variable) -> bool {
    let mut found = false;
    each_variable(style, &mut |called| found |= *called == variable);
    found
}

/// Calls `visit` on each variable the style prints as text, tests in a
/// condition, or sorts by.
fn each_variable(style: &mut IndependentStyle, visit: &mut impl FnMut(&mut Variable)) {
    let sorts = [&mut style.citation.sort]
        .into_iter()
        .chain(style.bibliography.as_mut().map(|b| &mut b.sort));
    for sort in sorts.flatten() {
        for key in &mut sort.keys {
            if let SortKey::Variable { variable, .. } = key {
                visit(variable);
            }
        }
    }
    each_list(style, &mut |list, _| {
        for element in list.iter_mut() {
            match element {
                LayoutRenderingElement::Text(Text {
                    target: TextTarget::Variable { var, .. },
                    ..
                }) => visit(var),
                LayoutRenderingElement::Choose(choose) => {
                    let branches = std::iter::once(&mut choose.if_).chain(&mut choose.else_if);
                    for branch in branches {
                        let tested = [&mut branch.variable, &mut branch.is_numeric];
                        tested.into_iter().flatten().flatten().for_each(&mut *visit);
                    }
                }
                _ => {}
            }
        }
    });
}

/// Calls `rewrite` on every list of rendering elements of the style, with
/// whether the list is a group's children, inner lists first.
fn each_list(
    style: &mut IndependentStyle,
    rewrite: &mut impl FnMut(&mut Vec<LayoutRenderingElement>, bool),
) {
    walk(&mut style.citation.layout.elements, false, rewrite);
    if let Some(bibliography) = &mut style.bibliography {
        walk(&mut bibliography.layout.elements, false, rewrite);
    }
    for csl_macro in &mut style.macros {
        walk(&mut csl_macro.children, false, rewrite);
    }
}

fn walk(
    list: &mut Vec<LayoutRenderingElement>,
    in_group: bool,
    rewrite: &mut impl FnMut(&mut Vec<LayoutRenderingElement>, bool),
) {
    for element in list.iter_mut() {
        match element {
            LayoutRenderingElement::Group(group) => walk(&mut group.children, true, rewrite),
            LayoutRenderingElement::Choose(choose) => {
                for branch in std::iter::once(&mut choose.if_).chain(&mut choose.else_if) {
                    walk(&mut branch.children, false, rewrite);
                }
                if let Some(otherwise) = &mut choose.otherwise {
                    walk(&mut otherwise.children, false, rewrite);
                }
            }
            LayoutRenderingElement::Names(names) => {
                for child in &mut names.children {
                    if let NamesChild::Substitute(substitute) = child {
                        walk(&mut substitute.children, false, rewrite);
                    }
                }
            }
            _ => {}
        }
    }
    rewrite(list, in_group);
}

/// CSL suppresses a group when the variables it calls are all empty; a
/// group inside it that calls none (`[Online]`) does not keep it, as it
/// calls no variable. hayagriva keeps the outer group whenever an inner
/// group prints, but only looks at groups that are its direct children:
/// behind a choice that always takes it, the inner group prints as before
/// and the outer one is judged by its variables. An inner group with a
/// variable that prints keeps the outer one through that variable.
fn nested_groups_behind_choices(list: &mut [LayoutRenderingElement]) {
    for element in list {
        if matches!(element, LayoutRenderingElement::Group(_)) {
            let group = std::mem::replace(element, LayoutRenderingElement::Choose(always(vec![])));
            if let LayoutRenderingElement::Choose(choose) = element {
                choose.if_.children.push(group);
            }
        }
    }
}

/// A choice that always takes `children`: a branch with no tests, all of
/// which hold.
fn always(children: Vec<LayoutRenderingElement>) -> Choose {
    Choose {
        if_: ChooseBranch {
            disambiguate: None,
            is_numeric: None,
            is_uncertain_date: None,
            locator: None,
            position: None,
            type_: None,
            variable: None,
            match_: ChooseMatch::All,
            children,
        },
        else_if: Vec::new(),
        otherwise: None,
    }
}

/// CSL lets a bare `cs:names` in a `cs:substitute` inherit the `cs:name`,
/// `cs:et-al` and `cs:label` of the names it stands in for, so an editor
/// in the author's place reads "Doe, Jane, ed.". hayagriva does so only
/// for the substitute's direct children; one inside a choice ("editor,
/// unless a standard") took the style's defaults ("J. Doe"). Each bare
/// `cs:names` under the substitute, through choices and groups, is given
/// what it inherits.
fn substitutes_inherit_names(names: &mut Names) {
    let original = names.clone();
    for child in &mut names.children {
        if let NamesChild::Substitute(substitute) = child {
            inherit_names(&mut substitute.children, &original);
        }
    }
}

fn inherit_names(list: &mut [LayoutRenderingElement], original: &Names) {
    for element in list {
        match element {
            LayoutRenderingElement::Names(names) => *names = original.from_names_substitute(names),
            LayoutRenderingElement::Group(group) => inherit_names(&mut group.children, original),
            LayoutRenderingElement::Choose(choose) => {
                for branch in std::iter::once(&mut choose.if_).chain(&mut choose.else_if) {
                    inherit_names(&mut branch.children, original);
                }
                if let Some(otherwise) = &mut choose.otherwise {
                    inherit_names(&mut otherwise.children, original);
                }
            }
            _ => {}
        }
    }
}

/// Opens a date that prints no year, so that the walk can tell whether it
/// printed anything ([`drop_empty_dates`]).
const DATE_START: char = '\u{E005}';
/// Closes it.
const DATE_END: char = '\u{E006}';

/// A date that prints only its month or day, between marks. hayagriva
/// counts such a date as printing whenever the item has the date, so a
/// year-only date left the delimiter before it: `(2023,)` in apa,
/// `12 : 104123` in chicago-author-date.
fn year_less_dates_marked(list: &mut [LayoutRenderingElement]) {
    for element in list {
        let LayoutRenderingElement::Date(date) = element else {
            continue;
        };
        let year_less = !date.is_localized()
            && !date
                .date_part
                .iter()
                .any(|part| part.name == DatePartName::Year);
        if !year_less {
            continue;
        }
        let mark = |c: char| {
            LayoutRenderingElement::Text(Text::with_target(TextTarget::Value {
                val: c.to_string(),
            }))
        };
        let date = std::mem::replace(element, mark(DATE_START));
        *element = LayoutRenderingElement::Group(Group {
            children: vec![mark(DATE_START), date, mark(DATE_END)],
            font_style: None,
            font_variant: None,
            font_weight: None,
            text_decoration: None,
            vertical_align: None,
            prefix: None,
            suffix: None,
            delimiter: None,
            display: None,
        });
    }
}

/// Drops the marks of year-less dates, and with a date that printed
/// nothing the brackets around it and the delimiter before it, where
/// punctuation or the end follows (`(2023, ` + `)` reads `(2023)`).
pub(super) fn drop_empty_dates(pieces: &mut [Piece]) {
    for piece in pieces {
        match piece {
            Piece::Text(text) if text.contains([DATE_START, DATE_END]) => {
                *text = without_empty_dates(text)
            }
            Piece::Styled(_, inner) | Piece::Link { text: inner, .. } => drop_empty_dates(inner),
            _ => {}
        }
    }
}

fn without_empty_dates(text: &str) -> String {
    let empty: String = [DATE_START, DATE_END].iter().collect();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&empty) {
        out.push_str(&rest[..at]);
        rest = &rest[at + empty.len()..];
        // The affixes of a group that holds only the date enclose nothing.
        for (open, close) in [('(', ')'), ('[', ']')] {
            if out.ends_with(open) && rest.starts_with(close) {
                out.pop();
                rest = &rest[1..];
            }
        }
        let closes = rest
            .chars()
            .find(|&c| c != DATE_START && c != DATE_END)
            .is_none_or(|c| ".,;:)]".contains(c));
        if closes {
            for delimiter in [", ", "; ", ": ", " "] {
                if out.ends_with(delimiter) {
                    out.truncate(out.len() - delimiter.len());
                    break;
                }
            }
        }
    }
    out.push_str(rest);
    out.retain(|c| c != DATE_START && c != DATE_END);
    out
}
