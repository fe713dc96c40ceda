//! `***text***` and `___text___` as Python-Markdown nests them: `<strong><em>`, where
//! CommonMark (pulldown-cmark) writes `<em><strong>`. Only a triple run that opens and
//! closes both elements at once is turned; `***a** b*` stays emphasis around strong, as
//! in Python-Markdown. (With pymdownx.betterem the delimiters are paired by
//! `inline`'s own engine instead.)

use pulldown_cmark::{Event, Tag, TagEnd};

/// `events` (with their offsets into `src`) with each such pair turned inside out.
pub(super) fn nest<'a>(mut events: Vec<(Event<'a>, usize)>, src: &str) -> Vec<(Event<'a>, usize)> {
    if !src.contains("***") && !src.contains("___") {
        return events;
    }
    for i in 0..events.len().saturating_sub(1) {
        let (Event::Start(Tag::Emphasis), at) = &events[i] else {
            continue;
        };
        let triple = src
            .get(*at..*at + 3)
            .is_some_and(|s| s == "***" || s == "___");
        if !triple || events[i + 1].0 != Event::Start(Tag::Strong) {
            continue;
        }
        let Some(end) = matching_end(&events, i + 1) else {
            continue;
        };
        if events.get(end + 1).map(|e| &e.0) == Some(&Event::End(TagEnd::Emphasis)) {
            events[i].0 = Event::Start(Tag::Strong);
            events[i + 1].0 = Event::Start(Tag::Emphasis);
            events[end].0 = Event::End(TagEnd::Emphasis);
            events[end + 1].0 = Event::End(TagEnd::Strong);
        }
    }
    events
}

/// The index of the end of the element starting at `start`.
fn matching_end(events: &[(Event<'_>, usize)], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        let events = pulldown_cmark::Parser::new(md)
            .into_offset_iter()
            .map(|(e, r)| (e, r.start))
            .collect();
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, nest(events, md).into_iter().map(|(e, _)| e));
        out
    }

    /// Inputs and the HTML markdown 3.11.3 makes of them.
    #[test]
    fn triple_runs_nest_as_python_markdown_nests_them() {
        let cases = [
            (
                "***a*** ___b___ *__c__* _**d**_ **_e_** ***g** h*",
                "<p><strong><em>a</em></strong> <strong><em>b</em></strong> <em><strong>c</strong></em> <em><strong>d</strong></em> <strong><em>e</em></strong> <em><strong>g</strong> h</em></p>\n",
            ),
            (
                "***[l](x)***",
                "<p><strong><em><a href=\"x\">l</a></em></strong></p>\n",
            ),
        ];
        for (md, want) in cases {
            assert_eq!(html(md), want, "{md}");
        }
    }
}
