//! How deep YAML nests, found in one linear pass before the parser runs.
//!
//! libyaml (under serde_yaml) checks every token against every open flow collection, so
//! 100,000 levels of `[` take minutes. This scanner follows libyaml's tokenizer only as
//! far as nesting needs: flow collections (`[`, `{`), block collections (indentation,
//! `- ` entries, `key:`), and what hides brackets from it (quoted scalars, plain scalars
//! over several lines, block scalars `|` and `>`, comments). A bracket that libyaml would
//! read as structure is always counted; a few that it reads as text may be counted too,
//! which matters only past the limit.
//!
//! The count follows libyaml's scanner, whose work is what grows with the square. Its
//! parser can nest deeper than the scanner (it swallows the `]` after an empty `? ` key
//! in a flow sequence), but that costs linear time and serde_yaml's own recursion limit
//! refuses it.

/// Nesting levels YAML may use: each open `[` or `{`, each indented (or `- `) block
/// collection, and a `key: value` pair written inside a flow sequence.
pub const MAX_DEPTH: usize = 64;

/// The byte offset of the first token that nests deeper than `limit`, if any.
pub(super) fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let mut s = Scanner {
        s: text.as_bytes(),
        i: 0,
        col: 0,
        line: 0,
        block: Vec::new(),
        flow: Vec::new(),
        depth: 0,
        limit,
    };
    s.run().err()
}

/// An open block collection: the column of its entries, and whether it is a sequence.
/// `levels` is 2 for a mapping whose value is a sequence at the mapping's own column
/// (`key:` then `- item` lines), which libyaml does not indent.
struct Block {
    col: usize,
    seq: bool,
    levels: usize,
}

/// An open flow collection; `pair` when a flow sequence entry is a `key: value` pair
/// (a one-entry mapping).
struct Flow {
    seq: bool,
    pair: bool,
}

struct Scanner<'a> {
    s: &'a [u8],
    i: usize,
    /// Column of `i` in characters, and line (counting every YAML line break).
    col: usize,
    line: usize,
    block: Vec<Block>,
    flow: Vec<Flow>,
    /// Levels open: block levels plus flow collections plus pairs.
    depth: usize,
    limit: usize,
}

/// Too deep, at this byte offset.
type Deep = usize;

impl Scanner<'_> {
    fn at(&self, j: usize) -> Option<u8> {
        self.s.get(j).copied()
    }

    fn cur(&self) -> Option<u8> {
        self.at(self.i)
    }

    /// The length of the line break at `j` (`\n`, `\r\n`, `\r`, NEL, LS, PS), or 0.
    fn break_len(&self, j: usize) -> usize {
        match self.s.get(j..).unwrap_or(&[]) {
            [b'\r', b'\n', ..] => 2,
            [b'\r' | b'\n', ..] => 1,
            [0xC2, 0x85, ..] => 2,
            [0xE2, 0x80, 0xA8 | 0xA9, ..] => 3,
            _ => 0,
        }
    }

    fn is_break(&self) -> bool {
        self.break_len(self.i) > 0
    }

    fn blank_at(&self, j: usize) -> bool {
        matches!(self.at(j), Some(b' ' | b'\t'))
    }

    /// Blank, line break or end of text at `j`.
    fn blankz_at(&self, j: usize) -> bool {
        j >= self.s.len() || self.blank_at(j) || self.break_len(j) > 0
    }

    fn eof(&self) -> bool {
        self.i >= self.s.len()
    }

    /// Steps over one character or line break.
    fn bump(&mut self) {
        let n = self.break_len(self.i);
        if n > 0 {
            self.i += n;
            self.line += 1;
            self.col = 0;
            return;
        }
        self.i += 1;
        while self.at(self.i).is_some_and(|b| b & 0xC0 == 0x80) {
            self.i += 1;
        }
        self.col += 1;
    }

    fn skip_blanks(&mut self) {
        while self.blank_at(self.i) {
            self.bump();
        }
    }

    /// To the line break (not over it).
    fn skip_to_break(&mut self) {
        while !self.eof() && !self.is_break() {
            self.bump();
        }
    }

    fn deeper(&mut self, by: usize, at: usize) -> Result<(), Deep> {
        self.depth += by;
        if self.depth > self.limit {
            Err(at)
        } else {
            Ok(())
        }
    }

    /// The column block content must pass to belong to the innermost block collection
    /// (libyaml's `indent + 1`; 0 at the top).
    fn content_column(&self) -> usize {
        self.block.last().map_or(0, |b| b.col + 1)
    }

    /// libyaml's `unroll_indent`: collections indented deeper than `col` are closed.
    fn unroll(&mut self, col: usize) {
        while self.block.last().is_some_and(|b| b.col > col) {
            let b = self.block.pop().expect("checked");
            self.depth -= b.levels;
        }
    }

    /// libyaml's `roll_indent`: a sequence entry or mapping key at `col`.
    fn roll(&mut self, col: usize, seq: bool, at: usize) -> Result<(), Deep> {
        match self.block.last_mut() {
            Some(top) if top.col >= col => {
                if seq && !top.seq && top.levels == 1 {
                    top.levels = 2;
                    return self.deeper(1, at);
                }
                if !seq && top.levels == 2 {
                    top.levels = 1;
                    self.depth -= 1;
                }
                Ok(())
            }
            _ => {
                self.block.push(Block {
                    col,
                    seq,
                    levels: 1,
                });
                self.deeper(1, at)
            }
        }
    }

    /// `---` or `...` at the start of a line.
    fn document_marker(&self) -> bool {
        self.col == 0
            && matches!(self.s.get(self.i..self.i + 3), Some(b"---" | b"..."))
            && self.blankz_at(self.i + 3)
    }

    /// Block context: tokens until the end of the text. Flow collections, scalars and
    /// block scalars are handed to their own scanners, which may cross lines.
    fn run(&mut self) -> Result<(), Deep> {
        // Where a simple key (`key:`) could have started: (column, line).
        let mut key: Option<(usize, usize)> = None;
        loop {
            // Blanks, line breaks and comments between tokens.
            loop {
                self.skip_bom();
                self.skip_blanks();
                if self.cur() == Some(b'#') {
                    self.skip_to_break();
                }
                if self.is_break() {
                    self.bump();
                    key = None;
                    continue;
                }
                break;
            }
            let Some(c) = self.cur() else {
                return Ok(());
            };
            let (col, at) = (self.col, self.i);
            if col == 0 && c == b'%' {
                self.skip_to_break();
                continue;
            }
            if self.document_marker() {
                self.unroll(0);
                if let Some(b) = self.block.pop() {
                    self.depth -= b.levels;
                }
                self.i += 3;
                self.col = 3;
                key = None;
                continue;
            }
            self.unroll(col);
            if matches!(c, b'-' | b'?' | b':') && self.blankz_at(self.i + 1) {
                match c {
                    b'-' => self.roll(col, true, at)?,
                    b'?' => self.roll(col, false, at)?,
                    _ => match key.take() {
                        Some((key_col, line)) if line == self.line => {
                            self.roll(key_col, false, at)?
                        }
                        _ => self.roll(col, false, at)?,
                    },
                }
                key = None;
                self.bump();
                continue;
            }
            // A simple key is the first token on its line or after an indicator.
            if key.is_none_or(|(_, line)| line != self.line) {
                key = Some((col, self.line));
            }
            match c {
                b'!' | b'&' | b'*' => self.properties(c),
                b'[' | b'{' => self.flow_collection()?,
                b'\'' | b'"' => self.quoted(c),
                b'|' | b'>' => {
                    self.block_scalar();
                    key = None;
                }
                _ => self.plain(),
            }
        }
    }

    /// From an opening `[` or `{` to the bracket that closes the outermost one.
    fn flow_collection(&mut self) -> Result<(), Deep> {
        loop {
            loop {
                self.skip_bom();
                if !(self.blank_at(self.i) || self.is_break()) {
                    break;
                }
                self.bump();
            }
            let Some(c) = self.cur() else {
                return Ok(());
            };
            let at = self.i;
            match c {
                b'#' => self.skip_to_break(),
                b'[' | b'{' => {
                    self.flow.push(Flow {
                        seq: c == b'[',
                        pair: false,
                    });
                    self.bump();
                    self.deeper(1, at)?;
                }
                b']' | b'}' => {
                    self.bump();
                    if let Some(f) = self.flow.pop() {
                        self.depth -= 1 + usize::from(f.pair);
                    }
                    if self.flow.is_empty() {
                        return Ok(());
                    }
                }
                b',' => {
                    self.bump();
                    if let Some(f) = self.flow.last_mut().filter(|f| f.pair) {
                        f.pair = false;
                        self.depth -= 1;
                    }
                }
                // In a flow collection `?` and `:` are always indicators (libyaml).
                b':' | b'?' => {
                    self.bump();
                    if let Some(f) = self.flow.last_mut().filter(|f| f.seq && !f.pair) {
                        f.pair = true;
                        self.deeper(1, at)?;
                    }
                }
                b'\'' | b'"' => self.quoted(c),
                b'!' | b'&' | b'*' => self.properties(c),
                _ => self.plain(),
            }
        }
    }

    /// libyaml skips a byte order mark at the start of any line (the column still counts
    /// it).
    fn skip_bom(&mut self) {
        if self.col == 0 && self.s.get(self.i..self.i + 3) == Some(&[0xEF, 0xBB, 0xBF][..]) {
            self.bump();
        }
    }

    /// A tag (`!name`, `!<verbatim>`), anchor (`&name`) or alias (`*name`), with
    /// libyaml's characters for each: a tag may hold quotes, and a verbatim one brackets.
    fn properties(&mut self, c: u8) {
        let name = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        let uri = |b: u8| name(b) || b";/?:@&=+$.%!~*'()".contains(&b);
        self.bump();
        if c != b'!' {
            while self.cur().is_some_and(name) {
                self.bump();
            }
        } else if self.cur() == Some(b'<') {
            self.bump();
            while self.cur().is_some_and(|b| uri(b) || b",[]".contains(&b)) {
                self.bump();
            }
            if self.cur() == Some(b'>') {
                self.bump();
            }
        } else {
            while self.cur().is_some_and(uri) {
                self.bump();
            }
        }
    }

    /// A quoted scalar, over as many lines as it takes.
    fn quoted(&mut self, quote: u8) {
        self.bump();
        while let Some(c) = self.cur() {
            if quote == b'\'' && c == b'\'' {
                self.bump();
                if self.cur() != Some(b'\'') {
                    return;
                }
            } else if quote == b'"' && c == b'\\' {
                self.bump();
            } else if c == quote {
                self.bump();
                return;
            }
            self.bump();
        }
    }

    /// A plain scalar (libyaml's `scan_plain`): it may continue on the next lines, where
    /// quotes and brackets are text. It ends before `: `, before a comment, at a flow
    /// indicator inside a flow collection, and in block context at a line indented no
    /// deeper than its collection.
    fn plain(&mut self) {
        let flow = !self.flow.is_empty();
        let min_col = self.content_column();
        loop {
            if self.document_marker() || self.cur() == Some(b'#') {
                return;
            }
            while let Some(c) = self.cur() {
                if self.blankz_at(self.i) {
                    break;
                }
                let next = self.at(self.i + 1);
                if c == b':'
                    && (self.blankz_at(self.i + 1)
                        || flow && matches!(next, Some(b',' | b'?' | b'[' | b']' | b'{' | b'}')))
                {
                    return;
                }
                if flow && matches!(c, b',' | b'[' | b']' | b'{' | b'}') {
                    return;
                }
                self.bump();
            }
            if self.eof() {
                return;
            }
            while self.blank_at(self.i) || self.is_break() {
                self.bump();
            }
            if self.eof() || (!flow && self.col < min_col) {
                return;
            }
        }
    }

    /// A block scalar (`|` or `>`): its header, then every line indented at least as far
    /// as its content (libyaml's `scan_block_scalar`).
    fn block_scalar(&mut self) {
        self.bump();
        let mut increment = 0;
        while let Some(c @ (b'+' | b'-' | b'0'..=b'9')) = self.cur() {
            if c.is_ascii_digit() {
                increment = usize::from(c - b'0');
            }
            self.bump();
        }
        self.skip_to_break();
        if self.eof() {
            return;
        }
        self.bump();
        let parent = self.block.last().map(|b| b.col);
        let mut indent = match (increment, parent) {
            (0, _) => 0,
            (n, Some(p)) => p + n,
            (n, None) => n,
        };
        if indent == 0 {
            // Auto-detected: the deepest of the leading empty lines and the first
            // content line, and past the parent collection.
            let mut widest = 0;
            loop {
                while self.cur() == Some(b' ') {
                    self.bump();
                }
                widest = widest.max(self.col);
                if !self.is_break() {
                    break;
                }
                self.bump();
            }
            indent = widest.max(self.content_column()).max(1);
        }
        loop {
            while self.col < indent && self.cur() == Some(b' ') {
                self.bump();
            }
            if self.eof() {
                return;
            }
            if self.is_break() {
                self.bump();
                continue;
            }
            if self.col < indent {
                return;
            }
            self.skip_to_break();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The deepest the scanner saw, found by lowering the limit until it complains.
    fn depth(text: &str) -> usize {
        (0..=200)
            .find(|&limit| too_deep(text, limit).is_none())
            .expect("less than 200 levels")
    }

    #[test]
    fn counts_flow_and_block_levels() {
        for (yaml, want) in [
            ("", 0),
            ("a", 0),
            ("a: b", 1),
            ("a: [b]", 2),
            ("a: [[b], {c: d}]", 3),
            ("- - - x", 3),
            ("a:\n  b:\n    c: d\n", 3),
            ("a:\n- b\n- c\nd: e\n", 2),
            ("a:\n- b: [c]\n", 4),
            ("[a: [b]]", 3),
            ("{a: [b]}", 2),
            ("- a: 1\n  b: 2\n- c\n", 2),
            ("--- [a]\n--- [[b]]\n", 2),
            ("key: !ENV [A, b]\nother: !!python/name:x.y\n", 2),
            ("a: &x [b]\nc: *x\n", 2),
            ("&x: [a]", 2),
            ("[?x: [a]]", 3),
        ] {
            assert_eq!(depth(yaml), want, "{yaml:?}");
        }
    }

    #[test]
    fn brackets_that_are_text_are_not_counted() {
        for yaml in [
            "a: 'it''s [[[['\nb: \"\\\" [[[[\"\n",
            "a: x[[[[\n",
            "a: text\n  [[[[ more text\n",
            "a: |\n  [[[[\n  {{{{\nb: c\n",
            "a: >-\n\n   [[[[\n\n   [[[[\nb: c\n",
            "# [[[[\na: b # [[[[\n",
            "a: [b, 'c[[[[', \"d[[[[\", e#[[[[]\n",
            "a: [b # [[[[\n  ]\n",
        ] {
            let levels = depth(yaml);
            let parsed = serde_yaml::from_str::<serde_yaml::Value>(yaml);
            assert!(levels <= 6, "{yaml:?}: {levels} ({parsed:?})");
        }
    }

    /// Structure that hides behind text in a naive count: a quote in a block scalar or
    /// in a plain scalar's second line is text, so the brackets after it are structure.
    #[test]
    fn text_that_looks_like_a_quote_hides_nothing() {
        let deep = "[".repeat(100) + &"]".repeat(100);
        for prefix in [
            "a: |\n  '\nb: ",
            "a: |\n  \"\nb: ",
            "a: foo\n  ['\nb: ",
            "a: [x\n 'y, ",
            "a: it's\nb: ",
            "a: ['x\n # ', ",
            "- |2\n   '\n- ",
            "a: \"x\n # \", b: ",
            "a:\n\u{feff}",
            "a: [!<x]> ",
            "a: !t'x ",
            "a: [? x, ",
        ] {
            let yaml = format!("{prefix}{deep}\n");
            assert!(
                too_deep(&yaml, MAX_DEPTH).is_some(),
                "{prefix:?} hid the nesting"
            );
        }
    }

    #[test]
    fn refuses_at_the_token_that_goes_too_deep() {
        let text = format!("title: {}", "[".repeat(100_000));
        assert_eq!(too_deep(&text, 64), Some("title: ".len() + 63));
        let text = format!("a:\n  {}x", "- ".repeat(100_000));
        assert_eq!(too_deep(&text, 64), Some(5 + 2 * 63));
        assert_eq!(too_deep(&"{a: ".repeat(64), 64), None);
        assert!(too_deep(&"{a: ".repeat(65), 64).is_some());
    }

    /// Random YAML built from a tree, in flow and block styles, with scalars full of
    /// brackets and quotes: the scanner never counts fewer levels than the parser builds.
    #[test]
    fn never_fewer_levels_than_the_parser_builds() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut rand = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let (mut parsed, mut deep) = (0, 0);
        for _ in 0..3000 {
            let mut text = String::from("root: ");
            gen_block(&mut rand, &mut text, 2, 1);
            let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
                continue;
            };
            let built = value_depth(&value);
            assert!(
                depth(&text) >= built,
                "{built} levels, counted fewer:\n{text}"
            );
            parsed += 1;
            deep += usize::from(built >= 5);
        }
        assert!(parsed > 1500 && deep > 200, "{parsed} parsed, {deep} deep");
    }

    fn value_depth(v: &serde_yaml::Value) -> usize {
        use serde_yaml::Value;
        match v {
            Value::Sequence(s) => 1 + s.iter().map(value_depth).max().unwrap_or(0),
            Value::Mapping(m) => {
                1 + m
                    .iter()
                    .map(|(k, v)| value_depth(k).max(value_depth(v)))
                    .max()
                    .unwrap_or(0)
            }
            Value::Tagged(t) => value_depth(&t.value),
            _ => 0,
        }
    }

    /// Scalars that read as one string in any position.
    const SCALARS: &[&str] = &[
        "x",
        "'it''s [ { # x'",
        "\"q \\\" [ { ' #\"",
        "a[b{c",
        "don't",
        "a#b",
        "'['",
        "\"]\"",
    ];

    /// Appends a block node whose lines are indented by `indent` (the caller wrote what
    /// precedes it on its first line); returns its levels.
    fn gen_block(
        rand: &mut impl FnMut(usize) -> usize,
        out: &mut String,
        indent: usize,
        depth: usize,
    ) -> usize {
        let pad = " ".repeat(indent);
        match if depth > 5 { rand(4) } else { rand(6) } {
            0 => {
                out.push_str(SCALARS[rand(SCALARS.len())]);
                out.push('\n');
                0
            }
            1 => {
                // A block scalar whose text looks like structure.
                out.push_str(["|\n", ">\n", "|-\n", "|+\n"][rand(4)]);
                for line in ["'", "[[[", "\"", "- a: [", "# x", ""] {
                    if rand(2) == 0 {
                        out.push_str(&format!("{pad}{line}\n"));
                    }
                }
                out.push_str(&format!("{pad}end\n"));
                0
            }
            2 => {
                let (text, levels) = flow_node(rand, depth);
                out.push_str(&text);
                out.push('\n');
                levels
            }
            3 => {
                // A plain scalar over two lines, the second one looking like a quote.
                out.push_str(&format!("text\n{pad}['{}\n", ["", " x", "\""][rand(3)]));
                0
            }
            4 => {
                out.push('\n');
                gen_seq(rand, out, indent, depth)
            }
            _ => {
                out.push('\n');
                let mut most = 0;
                for k in 0..1 + rand(3) {
                    out.push_str(&format!("{pad}k{k}:"));
                    let levels = if rand(3) == 0 {
                        // `key:` then `- item` lines at the key's own column.
                        out.push('\n');
                        gen_seq(rand, out, indent, depth + 1)
                    } else {
                        out.push(' ');
                        gen_block(rand, out, indent + 2, depth + 1)
                    };
                    most = most.max(levels);
                }
                1 + most
            }
        }
    }

    /// `- item` lines at `indent`.
    fn gen_seq(
        rand: &mut impl FnMut(usize) -> usize,
        out: &mut String,
        indent: usize,
        depth: usize,
    ) -> usize {
        let mut most = 0;
        for _ in 0..1 + rand(3) {
            out.push_str(&format!("{}- ", " ".repeat(indent)));
            most = most.max(gen_block(rand, out, indent + 2, depth + 1));
        }
        1 + most
    }

    fn flow_node(rand: &mut impl FnMut(usize) -> usize, depth: usize) -> (String, usize) {
        let sep = |rand: &mut dyn FnMut(usize) -> usize| -> &'static str {
            [", ", ",\n  ", " # ['\n  , ", ",\n"][rand(4)]
        };
        match if depth > 6 { 0 } else { rand(4) } {
            0 => (SCALARS[rand(SCALARS.len())].to_string(), 0),
            1 => {
                let mut items = Vec::new();
                let mut most = 0;
                for _ in 0..rand(3) {
                    let (t, l) = flow_node(rand, depth + 1);
                    most = most.max(l);
                    items.push(t);
                }
                let mut s = String::from("[");
                for (n, t) in items.iter().enumerate() {
                    if n > 0 {
                        s.push_str(sep(&mut *rand));
                    }
                    s.push_str(t);
                }
                s.push(']');
                (s, 1 + most)
            }
            2 => {
                let mut s = String::from("{");
                let mut most = 0;
                for k in 0..rand(3) {
                    if k > 0 {
                        s.push_str(sep(&mut *rand));
                    }
                    let (t, l) = flow_node(rand, depth + 1);
                    most = most.max(l);
                    s.push_str(&format!("k{k}: {t}"));
                }
                s.push('}');
                (s, 1 + most)
            }
            _ => {
                // A one-pair mapping inside a flow sequence.
                let (t, l) = flow_node(rand, depth + 1);
                (format!("[k: {t}]"), 2 + l)
            }
        }
    }
}
