//! What one page's templates may spend, and the checks that keep them to it.
//!
//! Tera renders on the native stack and has no limits of its own: a macro that calls
//! itself overflows the stack, `range(end=1000000000)` asks for gigabytes, and a string
//! doubled in a loop grows until memory runs out. dcrsite adds small calls to each
//! template's syntax tree when it loads it (at the start of every loop body, macro and
//! template, and as a last filter of every `{{ }}` and `{% set %}`), and those calls
//! count what the render does against the budgets below. Tera's `range`, `get_env` and
//! its filters that can grow a value are replaced by versions that check first, and math
//! goes through a function that reports overflow instead of panicking.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use tera::ast::{
    Expr, ExprVal, FunctionCall, LogicExpr, LogicOperator, MathExpr, MathOperator, Node, WS,
};
use tera::{Tera, Value};

mod math;

use super::source::Tag;
use crate::diagnostics::{Diagnostic, LineIndex};

/// At most this many numbers from one `range(…)`.
pub const MAX_RANGE: u64 = 100_000;
/// At most this many loop iterations in one page's render.
pub const MAX_ITERATIONS: u64 = 1_000_000;
/// At most this many macro calls and includes in one page's render.
pub const MAX_CALLS: u64 = 100_000;
/// Macro calls and includes nest at most this deep.
pub const MAX_DEPTH: usize = 64;
/// A page, all the text its templates produce (in macros and filter sections too), and
/// any one value a template makes (`set`, a filter's result) are at most this many bytes.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// A value a template makes nests at most this deep (`[[[…]]]`).
pub const MAX_VALUE_DEPTH: usize = 128;
/// `{% if/for/macro/block/filter %}` tags, and brackets within a tag, nest at most this deep.
pub const MAX_NESTING: usize = 64;
/// The only environment variables `get_env` may read start with this.
pub const ENV_PREFIX: &str = "DCRSITE_";

/// Names of the functions and filters dcrsite adds; templates may not use them.
pub(super) const RESERVED_PREFIX: &str = "__dcrsite";
const ENTER: &str = "__dcrsite_enter";
const LEAVE: &str = "__dcrsite_leave";
const STEP: &str = "__dcrsite_step";
const OUT: &str = "__dcrsite_out";
const SET: &str = "__dcrsite_set";
const MATH: &str = "__dcrsite_math";

/// A render starts with at least this much stack, on a stack of [`STACK_SIZE`] of its
/// own if the thread has less left (the `dcrsite` binary gives rayon's threads, where
/// pages render, [`STACK_SIZE`], so they need no stack of their own)…
pub(super) const STACK_RED_ZONE: usize = 8 * 1024 * 1024;
pub const STACK_SIZE: usize = 16 * 1024 * 1024;
/// …and stops with an error when a macro call or include finds less than this left,
/// whatever [`MAX_DEPTH`] allows (deep tags between two calls use stack too).
const STACK_GUARD: usize = 1024 * 1024;

const HELP_LIMITS: &str = "see \"Template limits\" in the README";

/// A place in a template that counts against the budgets.
pub(super) struct Site {
    what: What,
    file: String,
    position: Option<(usize, usize)>,
    /// Bytes of literal text that one pass through the site writes (over-estimated:
    /// every branch of an `if` counts).
    text: u64,
}

enum What {
    Template(String),
    Macro(String),
    Loop,
    Set(String),
    Output,
}

impl Site {
    /// How the site appears in a chain of calls.
    fn label(&self) -> &str {
        match &self.what {
            What::Template(n) | What::Macro(n) => n,
            _ => "",
        }
    }

    fn describe(&self) -> String {
        match &self.what {
            What::Template(n) => format!("including `{n}`"),
            What::Macro(n) => format!("macro `{n}`"),
            What::Loop => "this loop".into(),
            What::Set(n) => format!("`{n}`"),
            What::Output => "this tag".into(),
        }
    }

    fn error(&self, message: String, help: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file.clone(), message)
            .at_position(self.position)
            .with_help(help)
    }
}

/// Adds the counting calls to templates, remembering each place for its messages.
#[derive(Default)]
pub(super) struct Instrument {
    sites: Vec<Site>,
}

impl Instrument {
    /// Adds the counting calls to `template` (read from `file`, `text`, scanned as `tags`).
    pub(super) fn template(
        &mut self,
        template: &mut tera::Template,
        file: &str,
        text: &str,
        tags: &[Tag],
    ) -> Result<(), Diagnostic> {
        let index = LineIndex::new(text);
        let positions = |keep: &dyn Fn(&Tag) -> bool| -> Vec<(usize, usize)> {
            tags.iter()
                .filter(|t| keep(t))
                .map(|t| index.position(t.offset))
                .collect()
        };
        let mut walk = Walk {
            sites: &mut self.sites,
            file,
            fors: positions(&|t| t.keyword() == "for").into_iter(),
            sets: positions(&|t| matches!(t.keyword(), "set" | "set_global")).into_iter(),
            outputs: positions(&|t| !t.statement && t.inner != "super()").into_iter(),
            macros: tags
                .iter()
                .filter(|t| t.keyword() == "macro")
                .map(|t| {
                    let name = t.rest().split('(').next().unwrap_or("").trim();
                    (name.to_string(), index.position(t.offset))
                })
                .collect(),
            problem: None,
        };
        let text_bytes = direct_text(&template.ast);
        walk.nodes(&mut template.ast);
        if let Some(problem) = walk.problem {
            return Err(problem);
        }
        let id = self.site(
            What::Template(template.name.clone()),
            file,
            Some((1, 1)),
            text_bytes,
        );
        template.ast.insert(0, hook(ENTER, Some(id)));
        template.ast.push(hook(LEAVE, None));
        // Tera keeps copies of macros and blocks next to the tree: take them anew.
        template.macros = template
            .ast
            .iter()
            .filter_map(|n| match n {
                Node::MacroDefinition(_, m, _) => Some((m.name.clone(), m.clone())),
                _ => None,
            })
            .collect();
        template.blocks.clear();
        collect_blocks(&template.ast, &mut template.blocks);
        Ok(())
    }

    fn site(
        &mut self,
        what: What,
        file: &str,
        position: Option<(usize, usize)>,
        text: u64,
    ) -> usize {
        self.sites.push(Site {
            what,
            file: file.to_string(),
            position,
            text,
        });
        self.sites.len() - 1
    }

    /// Registers the counting calls, the checked `range`, `get_env`, math and filters.
    pub(super) fn register(self, tera: &mut Tera) {
        register(tera, Sites(self.sites.into()));
    }
}

/// The sites of one set of templates.
#[derive(Clone)]
struct Sites(Arc<[Site]>);

struct Walk<'a> {
    sites: &'a mut Vec<Site>,
    file: &'a str,
    fors: std::vec::IntoIter<(usize, usize)>,
    sets: std::vec::IntoIter<(usize, usize)>,
    outputs: std::vec::IntoIter<(usize, usize)>,
    macros: HashMap<String, (usize, usize)>,
    problem: Option<Diagnostic>,
}

impl Walk<'_> {
    fn site(&mut self, what: What, position: Option<(usize, usize)>, text: u64) -> usize {
        self.sites.push(Site {
            what,
            file: self.file.to_string(),
            position,
            text,
        });
        self.sites.len() - 1
    }

    fn nodes(&mut self, nodes: &mut [Node]) {
        for node in nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &mut Node) {
        match node {
            Node::VariableBlock(_, expr) => {
                let position = self.outputs.next();
                self.expr(expr, false);
                let counted = match &expr.val {
                    ExprVal::MacroCall(_) => false, // counted inside the macro
                    ExprVal::Ident(name) => name != "__tera_context",
                    _ => true,
                };
                if counted {
                    let id = self.site(What::Output, position, 0);
                    // Before a final `safe`, which Tera looks for in last place.
                    let at = expr.filters.len() - usize::from(expr.is_marked_safe());
                    expr.filters.insert(at, filter(OUT, id));
                }
            }
            Node::Set(_, set) => {
                let position = self.sets.next();
                self.expr(&mut set.value, false);
                let id = self.site(What::Set(set.key.clone()), position, 0);
                set.value.filters.push(filter(SET, id));
            }
            Node::Forloop(_, f, _) => {
                let position = self.fors.next();
                self.expr(&mut f.container, false);
                let text = direct_text(&f.body);
                self.nodes(&mut f.body);
                if let Some(empty) = &mut f.empty_body {
                    self.nodes(empty);
                }
                let id = self.site(What::Loop, position, text);
                f.body.insert(0, hook(STEP, Some(id)));
            }
            Node::MacroDefinition(_, m, _) => {
                let position = self.macros.get(&m.name).copied();
                for default in m.args.values_mut().flatten() {
                    self.expr(default, false);
                }
                let text = direct_text(&m.body);
                self.nodes(&mut m.body);
                let id = self.site(What::Macro(m.name.clone()), position, text);
                m.body.insert(0, hook(ENTER, Some(id)));
                m.body.push(hook(LEAVE, None));
            }
            Node::If(i, _) => {
                for (_, condition, body) in &mut i.conditions {
                    self.expr(condition, true);
                    self.nodes(body);
                }
                if let Some((_, body)) = &mut i.otherwise {
                    self.nodes(body);
                }
            }
            Node::Block(_, b, _) => self.nodes(&mut b.body),
            Node::FilterSection(_, f, _) => {
                for arg in f.filter.args.values_mut() {
                    self.expr(arg, false);
                }
                self.nodes(&mut f.body);
            }
            _ => {}
        }
    }

    /// `as_bool`: the expression is a condition (Tera evaluates math there differently).
    fn expr(&mut self, e: &mut Expr, as_bool: bool) {
        for f in &mut e.filters {
            self.call_args(f);
        }
        match &mut e.val {
            ExprVal::Float(x) if !x.is_finite() => self.too_large_number(),
            ExprVal::Math(_) => {
                let ExprVal::Math(MathExpr { lhs, rhs, operator }) =
                    std::mem::replace(&mut e.val, ExprVal::Bool(false))
                else {
                    unreachable!()
                };
                let (mut lhs, mut rhs) = (*lhs, *rhs);
                self.expr(&mut lhs, false);
                self.expr(&mut rhs, false);
                let call = math_call(operator, lhs, rhs);
                e.val = if as_bool {
                    // Tera takes a number in a condition as "is not zero".
                    ExprVal::Logic(LogicExpr {
                        lhs: Box::new(Expr::new(call)),
                        rhs: Box::new(Expr::new(ExprVal::Int(0))),
                        operator: LogicOperator::NotEq,
                    })
                } else {
                    call
                };
            }
            ExprVal::Logic(l) => {
                let conditions = matches!(l.operator, LogicOperator::And | LogicOperator::Or);
                self.expr(&mut l.lhs, conditions);
                self.expr(&mut l.rhs, conditions);
            }
            ExprVal::Test(t) => {
                for arg in &mut t.args {
                    self.expr(arg, false);
                }
            }
            ExprVal::MacroCall(m) => {
                for arg in m.args.values_mut() {
                    self.expr(arg, false);
                }
            }
            ExprVal::FunctionCall(f) => self.call_args(f),
            ExprVal::Array(items) => {
                for item in items {
                    self.expr(item, false);
                }
            }
            ExprVal::StringConcat(c) => {
                for v in &mut c.values {
                    match v {
                        ExprVal::Float(x) if !x.is_finite() => self.too_large_number(),
                        ExprVal::FunctionCall(f) => self.call_args(f),
                        _ => {}
                    }
                }
            }
            ExprVal::In(i) => {
                self.expr(&mut i.lhs, false);
                self.expr(&mut i.rhs, false);
            }
            _ => {}
        }
    }

    fn call_args(&mut self, f: &mut FunctionCall) {
        for arg in f.args.values_mut() {
            self.expr(arg, false);
        }
    }

    fn too_large_number(&mut self) {
        self.problem.get_or_insert_with(|| {
            Diagnostic::error(self.file, "a number in this template is too large")
                .with_help("numbers must be below about 1.8e308")
        });
    }
}

/// The name under which the function or filter of site `id` is registered: one per
/// site, so that a call needs no arguments (Tera builds a map for them at every call).
fn site_name(prefix: &str, id: Option<usize>) -> String {
    match id {
        Some(id) => format!("{prefix}_{id}"),
        None => prefix.to_string(),
    }
}

/// `{{ name_id() }}`, which writes nothing.
fn hook(prefix: &str, id: Option<usize>) -> Node {
    Node::VariableBlock(
        WS::default(),
        Expr::new(ExprVal::FunctionCall(FunctionCall {
            name: site_name(prefix, id),
            args: HashMap::new(),
        })),
    )
}

fn filter(prefix: &str, id: usize) -> FunctionCall {
    FunctionCall {
        name: site_name(prefix, Some(id)),
        args: HashMap::new(),
    }
}

fn math_call(operator: MathOperator, lhs: Expr, rhs: Expr) -> ExprVal {
    let source = |e: &Expr| match &e.val {
        ExprVal::Ident(name) if e.filters.is_empty() => name.clone(),
        _ => String::new(),
    };
    let mut args = HashMap::new();
    args.insert(
        "op".to_string(),
        Expr::new(ExprVal::String(operator.to_string())),
    );
    args.insert("ls".to_string(), Expr::new(ExprVal::String(source(&lhs))));
    args.insert("rs".to_string(), Expr::new(ExprVal::String(source(&rhs))));
    args.insert("l".to_string(), lhs);
    args.insert("r".to_string(), rhs);
    ExprVal::FunctionCall(FunctionCall {
        name: MATH.to_string(),
        args,
    })
}

/// Bytes of literal text in `nodes` written on one pass, not counting loops and macros
/// (they count their own).
fn direct_text(nodes: &[Node]) -> u64 {
    nodes
        .iter()
        .map(|node| match node {
            Node::Text(s) | Node::Raw(_, s, _) => s.len() as u64,
            Node::If(i, _) => {
                i.conditions
                    .iter()
                    .map(|(_, _, body)| direct_text(body))
                    .sum::<u64>()
                    + i.otherwise.as_ref().map_or(0, |(_, b)| direct_text(b))
            }
            Node::Block(_, b, _) => direct_text(&b.body),
            Node::FilterSection(_, f, _) => direct_text(&f.body),
            _ => 0,
        })
        .sum()
}

/// The blocks of a template, as Tera finds them: top-level ones and those inside them.
fn collect_blocks(nodes: &[Node], blocks: &mut HashMap<String, tera::ast::Block>) {
    for node in nodes {
        if let Node::Block(_, b, _) = node {
            blocks.insert(b.name.clone(), b.clone());
            collect_blocks(&b.body, blocks);
        }
    }
}

/// What went wrong in a render, told by a check to the code that called Tera.
pub(super) enum Failure {
    /// At a known place.
    At(Diagnostic),
    /// In the template being rendered, where `needle` first appears in it.
    Near {
        needle: String,
        message: String,
        help: String,
    },
}

/// The counts of the render running on this thread.
#[derive(Default)]
struct Run {
    iterations: u64,
    calls: u64,
    bytes: u64,
    /// Sites of the templates and macros being rendered, outermost first.
    chain: Vec<usize>,
    failure: Option<Failure>,
}

thread_local! {
    static RUN: RefCell<Run> = RefCell::new(Run::default());
}

/// Starts counting for a render on this thread.
pub(super) fn begin() {
    RUN.with(|r| *r.borrow_mut() = Run::default());
}

/// Ends the render on this thread: what a check reported, if anything.
pub(super) fn end() -> Option<Failure> {
    RUN.with(|r| std::mem::take(&mut *r.borrow_mut()).failure)
}

/// Records the first failure of the render and returns the error that stops Tera.
fn fail(failure: Failure) -> tera::Error {
    let message = match &failure {
        Failure::At(d) => d.message.clone(),
        Failure::Near { message, .. } => message.clone(),
    };
    RUN.with(|r| {
        r.borrow_mut().failure.get_or_insert(failure);
    });
    tera::Error::msg(message)
}

fn near(needle: &str, message: String, help: impl Into<String>) -> tera::Error {
    fail(Failure::Near {
        needle: needle.to_string(),
        message,
        help: help.into(),
    })
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

const LIMIT_MIB: u64 = MAX_BYTES / (1024 * 1024);

/// What a site adds to the render's counts.
#[derive(Clone, Copy)]
enum Step {
    Iteration,
    Call,
    Text,
}

/// Adds one `step` and `bytes` of text to the render's counts.
fn count(site: &Site, step: Step, bytes: u64) -> tera::Result<()> {
    let (iterations, calls, total_bytes) = RUN.with(|r| {
        let mut r = r.borrow_mut();
        match step {
            Step::Iteration => r.iterations += 1,
            Step::Call => r.calls += 1,
            Step::Text => {}
        }
        r.bytes = r.bytes.saturating_add(bytes);
        (r.iterations, r.calls, r.bytes)
    });
    let over = |limit: u64, what: &str| {
        fail(Failure::At(site.error(
            format!(
                "{} runs past the budget of {limit} {what} for one page",
                site.describe()
            ),
            format!(
                "loop over less, or make sure every macro that calls itself stops; {HELP_LIMITS}"
            ),
        )))
    };
    if iterations > MAX_ITERATIONS {
        return Err(over(MAX_ITERATIONS, "loop iterations"));
    }
    if calls > MAX_CALLS {
        return Err(over(MAX_CALLS, "macro calls and includes"));
    }
    if total_bytes > MAX_BYTES {
        return Err(fail(Failure::At(site.error(
            format!(
                "{} takes this page's templates past {LIMIT_MIB} MiB of text",
                site.describe()
            ),
            format!("a page's templates may produce at most {LIMIT_MIB} MiB; {HELP_LIMITS}"),
        ))));
    }
    Ok(())
}

fn enter(sites: &Sites, id: usize) -> tera::Result<Value> {
    let site = &sites.0[id];
    let (depth, chain) = RUN.with(|r| {
        let mut r = r.borrow_mut();
        r.chain.push(id);
        let depth = r.chain.len() - 1;
        let chain = if depth > MAX_DEPTH {
            let labels: Vec<&str> = r.chain.iter().map(|&i| sites.0[i].label()).collect();
            let (head, tail) = (&labels[..4], &labels[labels.len() - 4..]);
            format!("{} → … → {}", head.join(" → "), tail.join(" → "))
        } else {
            String::new()
        };
        (depth, chain)
    });
    let deep = |why: String| {
        let message = match &site.what {
            What::Macro(n) => format!("macro `{n}` calls nest more than {why}"),
            _ => format!(
                "{} nests macro calls and includes more than {why}",
                site.describe()
            ),
        };
        Err(fail(Failure::At(site.error(
            message,
            format!(
                "a macro that calls itself needs an `{{% if %}}` that stops it; macro calls \
                 and includes may nest {MAX_DEPTH} deep; {HELP_LIMITS}"
            ),
        ))))
    };
    if depth > MAX_DEPTH {
        return deep(format!("{MAX_DEPTH} deep: {chain}"));
    }
    if stacker::remaining_stack().is_some_and(|left| left < STACK_GUARD) {
        return deep(format!("the stack allows ({depth} deep)"));
    }
    count(site, Step::Call, site.text)?;
    Ok(Value::String(String::new()))
}

fn leave(_: &HashMap<String, Value>) -> tera::Result<Value> {
    RUN.with(|r| r.borrow_mut().chain.pop());
    Ok(Value::String(String::new()))
}

fn step(site: &Site) -> tera::Result<Value> {
    count(site, Step::Iteration, site.text)?;
    Ok(Value::String(String::new()))
}

/// Approximate memory of a value (bytes of text plus a few words per item) and how deep
/// it nests; without recursion, so a deep value cannot overflow the stack here.
fn measure(value: &Value) -> (u64, usize) {
    const ITEM: u64 = 32;
    let mut bytes = 0u64;
    let mut deepest = 0usize;
    let mut todo = vec![(value, 1usize)];
    while let Some((v, depth)) = todo.pop() {
        deepest = deepest.max(depth);
        bytes += ITEM;
        match v {
            Value::String(s) => bytes += s.len() as u64,
            Value::Array(items) => todo.extend(items.iter().map(|i| (i, depth + 1))),
            Value::Object(map) => {
                for (k, item) in map {
                    bytes += k.len() as u64;
                    todo.push((item, depth + 1));
                }
            }
            _ => {}
        }
    }
    (bytes, deepest)
}

fn output(site: &Site, value: &Value) -> tera::Result<Value> {
    let bytes = match value {
        Value::String(s) => s.len() as u64,
        other => measure(other).0,
    };
    count(site, Step::Text, bytes)?;
    Ok(value.clone())
}

/// The problem with a value a template makes, if it is over the limits.
fn oversized(value: &Value) -> Option<String> {
    let (bytes, depth) = match value {
        Value::String(s) => (s.len() as u64, 1),
        other => measure(other),
    };
    if bytes > MAX_BYTES {
        Some(format!(
            "would hold {}; a template value may hold at most {LIMIT_MIB} MiB",
            mib(bytes)
        ))
    } else if depth > MAX_VALUE_DEPTH {
        Some(format!(
            "would be nested {depth} deep; a template value may be nested at most \
             {MAX_VALUE_DEPTH} deep"
        ))
    } else {
        None
    }
}

fn set(site: &Site, value: &Value) -> tera::Result<Value> {
    if let Some(problem) = oversized(value) {
        return Err(fail(Failure::At(site.error(
            format!("{} {problem}", site.describe()),
            format!("a value that grows in a loop needs a bound; {HELP_LIMITS}"),
        ))));
    }
    Ok(value.clone())
}

fn usize_arg(args: &HashMap<String, Value>, name: &str) -> tera::Result<Option<u64>> {
    match args.get(name) {
        None => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            near(
                "range",
                format!("`range` needs a whole number of 0 or more for `{name}`, not {v}"),
                "e.g. range(end=10), range(start=1, end=10, step_by=2)",
            )
        }),
    }
}

/// Tera's `range` (`start` default 0, `end`, `step_by` default 1), refusing to make more
/// than [`MAX_RANGE`] numbers or to step by 0 (which Tera follows forever).
fn range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let start = usize_arg(args, "start")?.unwrap_or(0);
    let step = usize_arg(args, "step_by")?.unwrap_or(1);
    let Some(end) = usize_arg(args, "end")? else {
        return Err(near(
            "range",
            "`range` needs an `end`".into(),
            "e.g. range(end=10)",
        ));
    };
    if step == 0 {
        return Err(near(
            "range",
            "`range` needs a `step_by` of 1 or more".into(),
            "e.g. range(end=10, step_by=2)",
        ));
    }
    if start > end {
        return Err(near(
            "range",
            format!("`range` has a `start` ({start}) greater than its `end` ({end})"),
            "swap them, or reverse the list with `| reverse`",
        ));
    }
    let count = (end - start).div_ceil(step);
    if count > MAX_RANGE {
        return Err(near(
            "range",
            format!(
                "`range` would make {count} numbers ({start} to {end}); a template may make \
                 at most {MAX_RANGE} at once"
            ),
            format!("loop over the data itself, or over a smaller range; {HELP_LIMITS}"),
        ));
    }
    Ok(Value::Array(
        (0..count).map(|k| Value::from(start + k * step)).collect(),
    ))
}

/// Tera's `get_env`, for variables whose names start with [`ENV_PREFIX`] only.
fn get_env(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let Some(name) = args.get("name").and_then(Value::as_str) else {
        return Err(near(
            "get_env",
            "`get_env` needs a `name`".into(),
            format!("e.g. get_env(name=\"{ENV_PREFIX}VERSION\")"),
        ));
    };
    if !name.starts_with(ENV_PREFIX) {
        return Err(near(
            "get_env",
            format!(
                "`get_env` cannot read `{name}`: templates may read only environment \
                 variables whose names start with `{ENV_PREFIX}`"
            ),
            format!(
                "set the value as `{ENV_PREFIX}{name}` in the environment, or put it under \
                 `extra:` in site.yaml"
            ),
        ));
    }
    match (std::env::var(name), args.get("default")) {
        (Ok(value), _) => Ok(Value::String(value)),
        (Err(_), Some(default)) => Ok(default.clone()),
        (Err(_), None) => Err(near(
            "get_env",
            format!("`get_env`: the environment variable `{name}` is not set"),
            format!("set it, or give a fallback: get_env(name=\"{name}\", default=\"\")"),
        )),
    }
}

/// Tera's own filters, which dcrsite's versions call.
fn tera_builtins() -> &'static Tera {
    static BUILTINS: OnceLock<Tera> = OnceLock::new();
    BUILTINS.get_or_init(Tera::default)
}

/// Tera's filters (those there are without its default features).
const FILTERS: &[&str] = &[
    "upper",
    "lower",
    "trim",
    "trim_start",
    "trim_end",
    "trim_start_matches",
    "trim_end_matches",
    "truncate",
    "wordcount",
    "replace",
    "capitalize",
    "title",
    "linebreaksbr",
    "indent",
    "striptags",
    "spaceless",
    "urlencode",
    "urlencode_strict",
    "escape",
    "escape_xml",
    "slugify",
    "addslashes",
    "split",
    "int",
    "float",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "slice",
    "group_by",
    "filter",
    "map",
    "concat",
    "abs",
    "pluralize",
    "round",
    "filesizeformat",
    "length",
    "reverse",
    "date",
    "json_encode",
    "as_str",
    "get",
];

/// A Tera filter whose result is checked against the value limits; the filters that can
/// multiply a value's size are refused before they run when the result would be too big.
struct Bounded {
    name: &'static str,
}

impl tera::Filter for Bounded {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let estimate = estimate(self.name, value, args);
        if estimate > MAX_BYTES {
            return Err(near(
                self.name,
                format!(
                    "`{}` would make a value of {}; a template value may hold at most \
                     {LIMIT_MIB} MiB",
                    self.name,
                    mib(estimate)
                ),
                HELP_LIMITS,
            ));
        }
        let out = tera_builtins().get_filter(self.name)?.filter(value, args)?;
        if let Some(problem) = oversized(&out) {
            return Err(near(
                self.name,
                format!("the result of `{}` {problem}", self.name),
                HELP_LIMITS,
            ));
        }
        Ok(out)
    }
}

/// The size of a filter's result, for the filters that can make it much larger than
/// their input (0 for the others, which are checked after they run).
fn estimate(name: &str, value: &Value, args: &HashMap<String, Value>) -> u64 {
    let s = value.as_str().unwrap_or("");
    let arg = |k: &str| args.get(k).and_then(Value::as_str);
    let len = |x: &str| x.len() as u64;
    let occurrences = |pattern: &str| {
        if pattern.is_empty() {
            s.chars().count() as u64 + 1
        } else {
            s.matches(pattern).count() as u64
        }
    };
    match name {
        "replace" => match (arg("from"), arg("to")) {
            (Some(from), Some(to)) => len(s) + occurrences(from) * len(to),
            _ => 0,
        },
        "indent" => {
            let prefix = arg("prefix").map_or(4, len);
            len(s) + (s.matches('\n').count() as u64 + 1) * prefix
        }
        "split" => arg("pat").map_or(0, |p| len(s) + (occurrences(p) + 1) * 32),
        "join" => {
            let items = value.as_array().map_or(&[][..], Vec::as_slice);
            let sep = arg("sep").map_or(0, len);
            items.len() as u64 * sep + items.iter().map(|i| measure(i).0).sum::<u64>()
        }
        _ => 0,
    }
}

fn register(tera: &mut Tera, sites: Sites) {
    tera.register_function(LEAVE, leave);
    for (id, site) in sites.0.iter().enumerate() {
        let s = sites.clone();
        match site.what {
            What::Template(_) | What::Macro(_) => tera.register_function(
                &site_name(ENTER, Some(id)),
                move |_: &HashMap<String, Value>| enter(&s, id),
            ),
            What::Loop => tera.register_function(
                &site_name(STEP, Some(id)),
                move |_: &HashMap<String, Value>| step(&s.0[id]),
            ),
            What::Output => tera.register_filter(
                &site_name(OUT, Some(id)),
                move |v: &Value, _: &HashMap<String, Value>| output(&s.0[id], v),
            ),
            What::Set(_) => tera.register_filter(
                &site_name(SET, Some(id)),
                move |v: &Value, _: &HashMap<String, Value>| set(&s.0[id], v),
            ),
        }
    }
    tera.register_function(MATH, math::math);
    tera.register_function("range", range);
    tera.register_function("get_env", get_env);
    for &name in FILTERS {
        if tera_builtins().get_filter(name).is_ok() {
            tera.register_filter(name, Bounded { name });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_counts_text_and_items_without_recursion() {
        let mut deep = Value::from(1);
        for _ in 0..100_000 {
            deep = Value::Array(vec![deep]);
        }
        let (bytes, depth) = measure(&deep);
        assert_eq!(depth, 100_001);
        assert_eq!(bytes, 100_001 * 32);
        // Dropping it would recurse 100,000 deep: take it apart from the outside.
        while let Value::Array(mut items) = deep {
            deep = items.pop().unwrap();
        }
        assert_eq!(measure(&Value::from("abc")), (35, 1));
    }

    #[test]
    fn range_matches_tera_within_the_limit() {
        let args = |pairs: &[(&str, u64)]| -> HashMap<String, Value> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Value::from(*v)))
                .collect()
        };
        for pairs in [
            &[("end", 5)][..],
            &[("start", 2), ("end", 9), ("step_by", 3)],
            &[("start", 4), ("end", 4)],
            &[("end", 100_000)],
        ] {
            let a = args(pairs);
            assert_eq!(
                range(&a).unwrap(),
                tera_builtins()
                    .get_function("range")
                    .unwrap()
                    .call(&a)
                    .unwrap()
            );
        }
        assert!(range(&args(&[("end", 100_001)])).is_err());
        assert!(range(&args(&[("start", 0), ("end", 1_000_000), ("step_by", 10)])).is_ok());
        end();
    }
}
