//! GFM alerts: `> [!NOTE]` … become
//! `<div class="markdown-alert markdown-alert-note" role="note"><p class="markdown-alert-title">Note</p>…</div>`.

use pulldown_cmark::BlockQuoteKind;

fn names(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// The HTML opening an alert, title included.
pub(super) fn open(kind: BlockQuoteKind) -> String {
    let (class, title) = names(kind);
    format!(
        "<div class=\"markdown-alert markdown-alert-{class}\" role=\"note\">\n\
         <p class=\"markdown-alert-title\">{title}</p>\n"
    )
}

/// The HTML closing an alert.
pub(super) const CLOSE: &str = "</div>\n";

#[cfg(test)]
mod tests {
    use super::super::tests::render_plain;

    #[test]
    fn renders_each_alert_kind() {
        for (marker, class, title) in [
            ("NOTE", "note", "Note"),
            ("TIP", "tip", "Tip"),
            ("IMPORTANT", "important", "Important"),
            ("WARNING", "warning", "Warning"),
            ("CAUTION", "caution", "Caution"),
        ] {
            let md = format!("> [!{marker}]\n> Mind the **gap**.\n");
            let out = render_plain(&md);
            assert_eq!(
                out.html,
                format!(
                    "<div class=\"markdown-alert markdown-alert-{class}\" role=\"note\">\n\
                     <p class=\"markdown-alert-title\">{title}</p>\n\
                     <p>Mind the <strong>gap</strong>.</p>\n</div>\n"
                )
            );
        }
    }

    #[test]
    fn plain_blockquote_stays_blockquote() {
        let out = render_plain("> just a quote\n");
        assert_eq!(
            out.html,
            "<blockquote>\n<p>just a quote</p>\n</blockquote>\n"
        );
    }
}
