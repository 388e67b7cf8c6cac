//! What makes a style unusable, found as it loads rather than as it
//! renders: no bibliography (each CV item is set as a bibliography
//! entry), a macro called but not defined (hayagriva sets nothing in its
//! place, so items come out empty), and macros that call themselves,
//! directly or through others (hayagriva follows the calls until its
//! stack overflows, which ends the process). The CSL schema refuses all
//! three; a style from the CSL repository has none of them. Before the
//! style is read at all, elements nested thousands deep, which overflow
//! the stack as they are read.

use std::collections::HashMap;

use hayagriva::citationberg::{
    IndependentStyle, LayoutRenderingElement, NamesChild, Sort, SortKey, Text, TextTarget,
};

/// The first problem of the style, said so that its author can fix it.
pub(super) fn problem(style: &IndependentStyle) -> Option<String> {
    if style.bibliography.is_none() {
        return Some(
            "the style has no <bibliography>, and each CV item is set as a bibliography \
             entry: give a style that has one (most do)"
                .to_owned(),
        );
    }
    let calls: HashMap<&str, Vec<&str>> = style
        .macros
        .iter()
        .map(|csl_macro| {
            let mut called = Vec::new();
            calls_in(&csl_macro.children, &mut called);
            (csl_macro.name.as_str(), called)
        })
        .collect();
    let mut called = Vec::new();
    calls_in(&style.citation.layout.elements, &mut called);
    sort_calls(style.citation.sort.as_ref(), &mut called);
    if let Some(bibliography) = &style.bibliography {
        calls_in(&bibliography.layout.elements, &mut called);
        sort_calls(bibliography.sort.as_ref(), &mut called);
    }
    called.extend(calls.values().flatten());
    if let Some(missing) = called.iter().find(|name| !calls.contains_key(*name)) {
        return Some(format!(
            "the style calls the macro `{missing}`, which it does not define: \
             define it, or correct the name"
        ));
    }
    let order = style.macros.iter().map(|csl_macro| csl_macro.name.as_str());
    let cycle = first_cycle(order, &calls)?;
    Some(format!(
        "the macro `{}` calls itself ({}), which no CSL processor can set: \
         break the loop",
        cycle[0],
        cycle.join(" → ")
    ))
}

/// Elements nested deeper than this are refused before the style is read:
/// hayagriva reads and sets each level by a call within the last, and a
/// stack overflows some thousands of levels down. A CSL style from the
/// repository nests a dozen or so.
const DEEPEST: usize = 100;

/// What is wrong with the style's XML before it is read as a style: its
/// elements nested too deep. XML that does not parse is left to the
/// style reader, which says where.
pub(super) fn nesting_problem(xml: &str) -> Option<String> {
    let document = roxmltree::Document::parse(xml).ok()?;
    let mut stack = vec![(document.root(), 0)];
    while let Some((node, depth)) = stack.pop() {
        if depth > DEEPEST {
            let line = document.text_pos_at(node.range().start).row;
            return Some(format!(
                "line {line}: elements nested more than {DEEPEST} deep, where a CSL style \
                 needs a dozen or so: is this file a style?"
            ));
        }
        stack.extend(node.children().map(|child| (child, depth + 1)));
    }
    None
}

/// The macros a list of elements calls, in the order written, those
/// inside groups, branches and a names' substitute included.
pub(super) fn calls_in<'a>(list: &'a [LayoutRenderingElement], called: &mut Vec<&'a str>) {
    for element in list {
        match element {
            LayoutRenderingElement::Text(Text {
                target: TextTarget::Macro { name },
                ..
            }) => called.push(name),
            LayoutRenderingElement::Names(names) => {
                for child in &names.children {
                    if let NamesChild::Substitute(substitute) = child {
                        calls_in(&substitute.children, called);
                    }
                }
            }
            LayoutRenderingElement::Group(group) => calls_in(&group.children, called),
            LayoutRenderingElement::Choose(choose) => {
                for branch in choose.branches() {
                    calls_in(&branch.children, called);
                }
                if let Some(otherwise) = &choose.otherwise {
                    calls_in(&otherwise.children, called);
                }
            }
            _ => {}
        }
    }
}

fn sort_calls<'a>(sort: Option<&'a Sort>, called: &mut Vec<&'a str>) {
    for key in sort.iter().flat_map(|sort| &sort.keys) {
        if let SortKey::MacroName { name, .. } = key {
            called.push(name);
        }
    }
}

/// The first chain of calls that comes back to where it started (`a`,
/// `b`, `a`), walking from each macro in turn: one depth-first walk over
/// all of them, each macro followed once, so that a style of thousands of
/// macros is checked in a time growing with their number.
fn first_cycle<'a>(
    order: impl Iterator<Item = &'a str>,
    calls: &HashMap<&'a str, Vec<&'a str>>,
) -> Option<Vec<&'a str>> {
    // A macro on the current path (`true`), or followed to the end.
    let mut state: HashMap<&str, bool> = HashMap::new();
    for start in order {
        if state.contains_key(start) {
            continue;
        }
        state.insert(start, true);
        let mut path = vec![start];
        // For each macro on the path, the index of its next call to follow.
        let mut next = vec![0];
        while let (Some(&current), Some(index)) = (path.last(), next.last_mut()) {
            let callees = calls.get(current).map_or(&[][..], Vec::as_slice);
            let Some(&callee) = callees.get(*index) else {
                state.insert(current, false);
                path.pop();
                next.pop();
                continue;
            };
            *index += 1;
            match state.get(callee) {
                Some(true) => {
                    let from = path.iter().position(|&name| name == callee).unwrap_or(0);
                    let mut cycle = path.split_off(from);
                    cycle.push(callee);
                    return Some(cycle);
                }
                Some(false) => {}
                None => {
                    state.insert(callee, true);
                    path.push(callee);
                    next.push(0);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use hayagriva::citationberg::IndependentStyle;

    use super::problem;

    fn style(macros: &str, bibliography: &str) -> IndependentStyle {
        let xml = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Té</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  {macros}
  <citation><layout><text variable="title"/></layout></citation>
  {bibliography}
</style>"#
        );
        IndependentStyle::from_xml(&xml).unwrap()
    }

    const BIBLIOGRAPHY: &str = r#"<bibliography><layout><text macro="a"/><text variable="title"/></layout></bibliography>"#;

    #[test]
    fn a_style_that_cannot_be_set_is_told_why() {
        let cases = [
            (
                r#"<macro name="a"><text variable="title"/></macro>"#,
                BIBLIOGRAPHY,
                None,
            ),
            (
                r#"<macro name="a"><text variable="title"/></macro>"#,
                "",
                Some("the style has no <bibliography>"),
            ),
            (
                r#"<macro name="a"><group><text macro="ñandú"/></group></macro>"#,
                BIBLIOGRAPHY,
                Some("calls the macro `ñandú`, which it does not define"),
            ),
            (
                "",
                BIBLIOGRAPHY,
                Some("calls the macro `a`, which it does not define"),
            ),
            (
                r#"<macro name="a"><text macro="a"/></macro>"#,
                BIBLIOGRAPHY,
                Some("the macro `a` calls itself (a → a)"),
            ),
            (
                r#"<macro name="a"><text macro="b"/></macro>
                   <macro name="b"><choose><if variable="DOI"><text variable="DOI"/></if>
                     <else><names variable="author"><substitute><text macro="c"/></substitute></names></else></choose></macro>
                   <macro name="c"><text macro="a"/></macro>"#,
                BIBLIOGRAPHY,
                Some("the macro `a` calls itself (a → b → c → a)"),
            ),
            // Two calls of one macro, and a chain without a loop.
            (
                r#"<macro name="a"><text macro="b"/><text macro="c"/></macro>
                   <macro name="b"><text macro="c"/></macro>
                   <macro name="c"><text variable="title"/></macro>"#,
                BIBLIOGRAPHY,
                None,
            ),
        ];
        // Thousands of macros in a chain, the last calling the first.
        let chain: String = (0..20_000)
            .map(|n| format!(r#"<macro name="m{n}"><text macro="m{}"/></macro>"#, n + 1))
            .collect::<String>()
            + r#"<macro name="m20000"><text macro="a"/></macro><macro name="a"><text macro="m0"/></macro>"#;
        let found = problem(&style(&chain, BIBLIOGRAPHY)).unwrap_or_default();
        assert!(
            found.starts_with("the macro `m0` calls itself (m0 → m1 → "),
            "{found:.80}"
        );
        assert!(found.contains("m20000 → a → m0)"), "{found:.80}");
        for (macros, bibliography, expected) in cases {
            let found = problem(&style(macros, bibliography));
            match expected {
                None => assert_eq!(found, None, "{macros}"),
                Some(expected) => {
                    let found = found.unwrap_or_default();
                    assert!(found.contains(expected), "{macros}: {found}");
                }
            }
        }
    }

    #[test]
    fn elements_nested_deeper_than_any_style_are_refused() {
        let nested = |depth: usize| {
            format!(
                "<style>\n<bibliography><layout>{}<text variable=\"title\"/>{}</layout></bibliography></style>",
                "<group>".repeat(depth),
                "</group>".repeat(depth)
            )
        };
        assert_eq!(super::nesting_problem(&nested(90)), None);
        let problem = super::nesting_problem(&nested(200_000)).unwrap();
        assert!(
            problem.starts_with("line 2: elements nested more than 100 deep"),
            "{problem}"
        );
        assert_eq!(super::nesting_problem("<style><unclosed>"), None);
    }

    /// Every bundled style offered loads; the one without a bibliography
    /// is not offered, and is refused by name.
    #[test]
    fn the_bundled_styles_offered_have_none() {
        let load = |name: &str| {
            let style = crate::style::Choice::Bundled(name.to_owned());
            crate::style::CitationStyle::load(&style, None)
        };
        let offered = crate::style::bundled_names();
        assert!(
            offered.len() > 50 && offered.contains(&"apa"),
            "{offered:?}"
        );
        for name in &offered {
            assert!(load(name).is_ok(), "{name}");
        }
        assert!(!offered.contains(&"alphanumeric"));
        let refused = load("alphanumeric").err().unwrap().to_string();
        assert!(refused.contains("no <bibliography>"), "{refused}");
    }
}
