//! pymdownx.tasklist's markup: a list item opening with `[ ]` or `[x]` gets the class
//! `task-list-item` and its list `task-list`, and the box is pymdownx's `<input>`
//! (`disabled` unless `clickable_checkbox`; wrapped in a `<label>` for styling with
//! `custom_checkbox`).

use pulldown_cmark::{CowStr, Event, Tag};
use serde_yaml::Value;

use super::run::Events;

/// The extension's options.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tasklist {
    pub custom_checkbox: bool,
    pub clickable_checkbox: bool,
}

impl Tasklist {
    pub fn read(options: &Value) -> Tasklist {
        let on = |k: &str| options.get(k).and_then(Value::as_bool).unwrap_or(false);
        Tasklist {
            custom_checkbox: on("custom_checkbox"),
            clickable_checkbox: on("clickable_checkbox"),
        }
    }

    /// The box as pymdownx writes it, with the space that follows it.
    fn checkbox(&self, done: bool) -> String {
        let input = format!(
            r#"<input type="checkbox"{}{}/>"#,
            if self.clickable_checkbox {
                ""
            } else {
                " disabled"
            },
            if done { " checked" } else { "" }
        );
        if self.custom_checkbox {
            format!(
                r#"<label class="task-list-control">{input}<span class="task-list-indicator"></span></label> "#
            )
        } else {
            format!("{input} ")
        }
    }
}

/// The list's opening tag with the `task-list` class.
fn list_open(start: Option<u64>) -> String {
    match start {
        None => r#"<ul class="task-list">"#.to_string(),
        Some(1) => r#"<ol class="task-list">"#.to_string(),
        Some(n) => format!(r#"<ol start="{n}" class="task-list">"#),
    }
}

/// Rewrites the task items of `events`: their box, their `<li>` and their list's tag.
pub(crate) fn tasklist<'a>(mut events: Events<'a>, t: &Tasklist) -> Events<'a> {
    // The index of each open list's and item's start event.
    let mut lists: Vec<usize> = Vec::new();
    let mut items: Vec<usize> = Vec::new();
    for i in 0..events.len() {
        match &events[i].0 {
            Event::Start(Tag::List(_)) => lists.push(i),
            Event::Start(Tag::Item) => items.push(i),
            Event::End(pulldown_cmark::TagEnd::List(_)) => {
                lists.pop();
            }
            Event::End(pulldown_cmark::TagEnd::Item) => {
                items.pop();
            }
            Event::TaskListMarker(done) => {
                let html = t.checkbox(*done);
                events[i].0 = Event::InlineHtml(CowStr::from(html));
                if let Some(&item) = items.last() {
                    if matches!(events[item].0, Event::Start(Tag::Item)) {
                        let li = r#"<li class="task-list-item">"#;
                        events[item].0 = Event::Html(CowStr::Borrowed(li));
                    }
                }
                if let Some(&list) = lists.last() {
                    if let Event::Start(Tag::List(start)) = events[list].0 {
                        events[list].0 = Event::Html(CowStr::from(list_open(start)));
                    }
                }
            }
            _ => {}
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Options, Parser};

    fn render(src: &str, t: &Tasklist) -> String {
        let events: Events = Parser::new_ext(src, Options::ENABLE_TASKLISTS)
            .into_offset_iter()
            .map(|(e, r)| (e, r.start))
            .collect();
        let mut out = String::new();
        html::push_html(&mut out, tasklist(events, t).into_iter().map(|(e, _)| e));
        out.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("> <", "><")
    }

    /// Inputs of our own; the expected HTML is pymdownx.tasklist 13.1.2's (white space
    /// between tags dropped, the rest collapsed).
    #[test]
    fn task_items_are_marked_as_pymdownx_marks_them() {
        let plain = Tasklist::default();
        let custom = Tasklist {
            custom_checkbox: true,
            clickable_checkbox: true,
        };
        let cases = [
            (
                "- [x] done\n- [ ] todo\n",
                plain,
                r#"<ul class="task-list"><li class="task-list-item"><input type="checkbox" disabled checked/> done</li><li class="task-list-item"><input type="checkbox" disabled/> todo</li></ul>"#,
            ),
            (
                "1. [ ] a\n2. b\n",
                custom,
                r#"<ol class="task-list"><li class="task-list-item"><label class="task-list-control"><input type="checkbox"/><span class="task-list-indicator"></span></label> a</li><li>b</li></ol>"#,
            ),
            ("- a\n- b\n", plain, "<ul><li>a</li><li>b</li></ul>"),
        ];
        for (src, t, want) in cases {
            assert_eq!(render(src, &t), want, "{src}");
        }
    }
}
