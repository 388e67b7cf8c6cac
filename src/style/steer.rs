//! A style rewritten so that hayagriva renders it as CSL says, where
//! hayagriva's reading of an element departs from CSL 1.0.2 and an
//! equivalent element it reads right exists.
//!
//! Each rewrite keeps what the style means under CSL; it only changes
//! which elements hayagriva sees.

use hayagriva::citationberg::{
    Choose, ChooseBranch, ChooseMatch, IndependentStyle, LayoutRenderingElement, Names, NamesChild,
};

/// The style as hayagriva should read it.
pub(super) fn steer(style: &mut IndependentStyle) {
    super::labels::in_substitutes(style);
    each_list(style, &mut |list, in_group| {
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
