//! Collecting the words of rendered Markdown: whitespace collapsed to single spaces, trimmed.

/// Accumulates text with runs of whitespace collapsed to one space and no leading or
/// trailing whitespace.
#[derive(Debug, Default)]
pub(super) struct Words {
    out: String,
    pending_space: bool,
}

impl Words {
    pub(super) fn with_capacity(capacity: usize) -> Words {
        Words {
            out: String::with_capacity(capacity),
            pending_space: false,
        }
    }

    /// Appends `text`, collapsing its whitespace.
    pub(super) fn push(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.pending_space = true;
            } else {
                if self.pending_space && !self.out.is_empty() {
                    self.out.push(' ');
                }
                self.pending_space = false;
                self.out.push(c);
            }
        }
    }

    /// Separates what comes next from what came before (block boundaries, line breaks).
    pub(super) fn space(&mut self) {
        self.pending_space = true;
    }

    pub(super) fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_and_trims() {
        let mut w = Words::default();
        w.space();
        w.push("  Hello \n\t ");
        w.push("wide");
        w.space();
        w.push("world ");
        w.space();
        assert_eq!(w.finish(), "Hello wide world");
    }
}
