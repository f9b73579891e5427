//! The canonical formatter of the rule language.
//!
//! [`format_source`] parses a file and prints it back in the one canonical layout; a file with
//! syntax errors is never formatted (its diagnostics are returned instead). [`format_file`]
//! prints an already parsed tree. The output parses to the same tree as the input (spans aside),
//! keeps every comment with its text unchanged, and formatting it again changes nothing.
//!
//! ```
//! use rulec_syntax::SourceFile;
//! let source = SourceFile::new("rules/states/MA.rules", "jurisdiction MA\nset weekend:day{Saturday,Sunday}\n");
//! let formatted = rulec_fmt::format_source(&source).unwrap();
//! assert_eq!(formatted, "jurisdiction MA\n\nset weekend: day {Saturday, Sunday}\n");
//! ```
//!
//! # The canonical layout
//!
//! **Text.** LF line endings, no trailing spaces, exactly one newline at the end of the file (an
//! empty file stays empty). Indentation is 2 spaces per block level; the width limit is
//! 100 columns (counted in characters, comments not counted).
//!
//! **File.** Comments that open the file come first, then the header (`jurisdiction MA` /
//! `policy acme`), then the items in the order written. Exactly one blank line separates the
//! header and each item from whatever follows it (the next item, or a comment). Between a
//! comment and what follows it (another comment, the header or an item), one blank line is kept
//! if the source had at least one blank line there, none otherwise.
//!
//! **Sets.** `set name: kind {a, b, c}` stays on one line when the set has at most 3 elements,
//! no comment anywhere inside it, and the one-line form fits in 100 columns. Otherwise:
//! `set name: kind {`, one element per line indented 2 spaces and followed by a comma (the last
//! one too), `}`. A set with no elements is `{}`.
//!
//! **Rules.** `rule id {`, then one clause per line indented 2 spaces, in the order written
//! (never reordered), then `}`. A rule with no clause and no comment is `rule id {}`. Clauses:
//! `title "…"`, `cites "a", "b"`, `binds collector, creditor` / `binds every role`,
//! `effective from D until D` (or only `from D` / `until D`), `locality x`, `applies when E`,
//! `blocks when E` / `warns when E`, `unless E`, `message "…"`. Strings are re-escaped: `"` as
//! `\"`, `\` as `\\`, a line break as `\n`, a tab as `\t`; every other character is printed
//! as is.
//!
//! **Policy items.** `use a, b`; `extend p.* to creditor, servicer`;
//! `mute pattern {` then `reason "…"`, `approved by "…"`, `until D`, one per line indented 2
//! spaces in the order written, `}` (a mute with nothing inside is `mute pattern {}`).
//!
//! **Literals.** Dates `YYYY-MM-DD` and times `HH:MM`, zero-padded; numbers in decimal without
//! leading zeros; names exactly as written; nouns and units keep their singular or plural form.
//!
//! **Conditions.** Tokens are separated by single spaces; `and`/`or` lists and `not` are printed
//! as in the tree and parentheses exactly where the source had them (none added, none removed).
//! Set literals are `{a, b}`; a trailing comma in a set literal is dropped.
//!
//! **Wrapping.** Only the condition of `applies when`, `blocks when`, `warns when` and `unless`
//! wraps; every other line stays whole however long it is. Let the clause's *flat line* be the
//! clause on one line at its indent. If it fits in 100 columns, it is printed as is. Otherwise:
//!
//! 1. If the condition is an `or` list (operands joined by `or` outside any parentheses), the
//!    line breaks before **every** such `or`; otherwise, if it is an `and` list, before every
//!    such `and`. Each continuation line is indented 4 spaces more than the clause and starts
//!    with the operator (`      and …`). If the condition is a single operand (an atom, a
//!    `not`, a parenthesized group), there is nothing to break at this step.
//! 2. Each resulting line that is still longer than 100 columns is broken further, depending
//!    on its operand (`not` in front of the operand changes nothing). Every operand has an
//!    *operand indent*: clause indent + 4 for the operands of step 1 (and for a condition
//!    that is a single operand).
//!    - An `and`/`or` list (an `and` list as an operand of a top-level `or`, or a history
//!      filter, see below) breaks before each of its operators, at the operand indent + 4; its
//!      own operands have that deeper indent as their operand indent, and are broken by the
//!      same rules.
//!    - A history test (`count of …`, `any call …`): its noun and filter (`calls where …`)
//!      stay on the first line; the window (`in the last …`, `today`, `this calendar …`,
//!      `since the last …`) goes on its own line at the operand indent. The scope (`about this
//!      loan`, `to this contact`, `for this borrower`), followed for `count` by its comparison
//!      (`>= 7`), stays at the end of the window's line if that line then fits in 100
//!      columns; otherwise it goes on its own line at the operand indent. Without a scope,
//!      `count`'s comparison always ends the window's line.
//!    - An `any case …` test: its filter stays on the first line, and `about this loan` goes on
//!      its own line at the operand indent.
//!    - A line holding a filter (`… where F`: a history's or a case test's, or that of a
//!      `since the last … where F` window) that is still too long breaks F as an operand
//!      whose indent is the operand indent: if F is an `and`/`or` list, before each of its
//!      operators at the operand indent + 4, so that the filter's operators stand 4 columns
//!      to the right of the window line that closes it. When a `since the last` window breaks
//!      this way, the scope and comparison go on a line of their own at the operand indent.
//!    - Anything else (a parenthesized group, a comparison, a time test) is never broken, even
//!      when it is longer than 100 columns.
//!
//! ```text
//!   blocks when channel is voice
//!       and count of calls where direction is outbound and status in {attempted, connected}
//!       in the last 7 calendar days about this loan >= 7
//!   applies when count of interactions where channel in ma_telephone_channels
//!           and direction is outbound
//!           and status in {attempted, connected, delivered}
//!           and theme in collection_themes
//!       in the last 7 days about this loan >= 2
//!   blocks when any case where caseType is attorneyRepresentation
//!           and status in {initiated, processing}
//!       about this loan
//! ```
//!
//! The layout depends only on the tree, so formatting is idempotent.
//!
//! **Comments.** Every comment is kept, its text unchanged; only its indentation changes.
//! - A comment on its own line is printed on its own line, at the indent of the item, clause,
//!   set element or mute clause that follows it in the same block; when nothing follows it in
//!   its block, it goes before the block's closing `}` at the block's inner indent (2 spaces),
//!   or at the end of the file at column 0.
//! - A trailing comment (code before it on the same line) stays at the end of the line of the
//!   item, clause, element, `{` line or `}` line that ends last before it, after one space.
//!   (When that line already has a trailing comment, which happens only when a comma stands
//!   alone on a line, the second comment is printed on its own line after it; so is a trailing
//!   comment that another comment stands between it and that line, so that comments never
//!   change order.)
//! - A comment inside a clause, a `use`/`extend` declaration or the header (between two of its
//!   tokens: for instance inside a condition written over several lines) is hoisted onto its
//!   own line just before that clause or declaration, at its indent.
//! - A comment between `rule`/`set`/`mute` and its `{` is moved onto its own line at the start
//!   of the block's body; a trailing comment after that `{` then follows it there too.
//! - `##` doc comments stay directly above their rule (nothing is ever inserted between them
//!   and the rule).
//! - A set that contains a comment is always printed one element per line.
//!
//! **Blank lines.** Inside a block (rule, set, mute), one blank line is kept between two
//! consecutive clauses/elements/comments where the source had one or more blank lines between
//! them, none otherwise; never after `{` nor before `}`. A comment hoisted out of a clause
//! counts as standing where the clause starts.

use rulec_syntax::ast::*;
use rulec_syntax::{parse, Diagnostic, Severity, SourceFile, Span};

/// The width limit, in columns (characters).
pub const MAX_WIDTH: usize = 100;
/// Spaces per block level.
const INDENT: usize = 2;
/// Extra indentation of a wrapped condition's continuation lines.
const CONTINUATION: usize = 4;

/// Formats a file. Returns `Err(diagnostics)` when the file has syntax errors (never formats a
/// broken file).
///
/// ```
/// use rulec_syntax::SourceFile;
/// let source = SourceFile::new(
///     "rules/states/MA.rules",
///     "jurisdiction MA\nrule ma.sunday{title  \"No calls on Sunday\" # why\nblocks when channel is voice and local day is Sunday}",
/// );
/// assert_eq!(
///     rulec_fmt::format_source(&source).unwrap(),
///     "jurisdiction MA\n\nrule ma.sunday {\n  title \"No calls on Sunday\" # why\n  blocks when channel is voice and local day is Sunday\n}\n",
/// );
///
/// let broken = SourceFile::new("rules/states/MA.rules", "jurisdiction MA\nrule ma.x { blocks whn channel is voice }\n");
/// assert!(rulec_fmt::format_source(&broken).is_err());
/// ```
pub fn format_source(source: &SourceFile) -> Result<String, Vec<Diagnostic>> {
    let parsed = parse(source);
    if parsed
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        return Err(parsed.diagnostics);
    }
    Ok(format_file(&parsed.file, &source.text))
}

/// Formats an already parsed tree. `text` must be the text the tree was parsed from: the
/// comments' positions relative to the code (own line or trailing, blank lines around them)
/// are read from it. The tree should come from a parse without errors: whatever did not parse
/// is not in the tree and so not in the output ([`format_source`] checks this).
///
/// ```
/// use rulec_syntax::{parse, SourceFile};
/// let source = SourceFile::new("acme.policy", "policy acme\n# the federal floor\nuse   federal\nextend federal.reg_f.*   to creditor");
/// let parsed = parse(&source);
/// assert!(parsed.diagnostics.is_empty());
/// assert_eq!(
///     rulec_fmt::format_file(&parsed.file, &source.text),
///     "policy acme\n\n# the federal floor\nuse federal\n\nextend federal.reg_f.* to creditor\n",
/// );
/// ```
pub fn format_file(file: &File, text: &str) -> String {
    let mut f = Formatter::new(file, text);
    let nodes = f.build(file);
    f.assign_comments();
    let mut out = Out::default();
    f.emit_sequence(&mut out, 0, &nodes, 0);
    out.finish()
}

// ---------------------------------------------------------------- the layout tree

type UnitId = usize;
type BlockId = usize;

/// One piece of source code that prints as one line (or one wrapped clause): comments are
/// attached to units.
struct Unit {
    /// The unit's source text, without surrounding whitespace or comments.
    span: Span,
    kind: UnitKind,
    /// A comment at the end of the unit's (last) line.
    trailing: Option<usize>,
    /// Comments printed on their own lines just before the unit.
    before: Vec<Placed>,
    /// An opener that had a comment inside it: its comments all go into the body.
    opener_has_inside: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    Leaf,
    /// `rule id {`, `set name: kind {`, `mute pattern {`.
    Opener(BlockId),
    Closer,
}

/// A braced body (or the whole file, block 0).
struct Block {
    /// Between `{` and `}` (the whole text for the file).
    interior: Span,
    /// The first unit of every node of the block, in order.
    units: Vec<UnitId>,
    /// Comments after the block's last node.
    end: Vec<Placed>,
}

/// A comment placed on a line of its own, with the source range that stands for it when
/// deciding about blank lines.
#[derive(Clone, Copy)]
struct Placed {
    comment: usize,
    start: usize,
    end: usize,
}

enum Node {
    /// Lines with their full indentation.
    Leaf { unit: UnitId, lines: Vec<String> },
    Block {
        open: UnitId,
        open_line: String,
        block: BlockId,
        children: Vec<Node>,
        close: UnitId,
    },
}

impl Node {
    fn first_unit(&self) -> UnitId {
        match self {
            Node::Leaf { unit, .. } => *unit,
            Node::Block { open, .. } => *open,
        }
    }
    fn last_unit(&self) -> UnitId {
        match self {
            Node::Leaf { unit, .. } => *unit,
            Node::Block { close, .. } => *close,
        }
    }
}

#[derive(Default)]
struct Out {
    lines: Vec<String>,
}

impl Out {
    fn push(&mut self, line: String) {
        self.lines.push(line.trim_end().to_string());
    }
    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }
    fn finish(self) -> String {
        let mut text = self.lines.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        text
    }
}

struct Formatter<'a> {
    text: &'a str,
    comments: &'a [Comment],
    /// Comment indexes sorted by start, and by end.
    by_start: Vec<usize>,
    by_end: Vec<usize>,
    units: Vec<Unit>,
    blocks: Vec<Block>,
}

impl<'a> Formatter<'a> {
    fn new(file: &'a File, text: &'a str) -> Self {
        let mut by_start: Vec<usize> = (0..file.comments.len()).collect();
        by_start.sort_by_key(|&c| file.comments[c].span.start);
        let mut by_end = by_start.clone();
        by_end.sort_by_key(|&c| file.comments[c].span.end);
        Formatter {
            text,
            comments: &file.comments,
            by_start,
            by_end,
            units: Vec::new(),
            blocks: vec![Block {
                interior: Span::new(0, text.len()),
                units: Vec::new(),
                end: Vec::new(),
            }],
        }
    }

    // ------------------------------------------------------------ source positions

    /// The comment that ends exactly at `pos`, if any.
    fn comment_ending_at(&self, pos: usize) -> Option<&Comment> {
        let i = self
            .by_end
            .binary_search_by_key(&pos, |&c| self.comments[c].span.end)
            .ok()?;
        Some(&self.comments[self.by_end[i]])
    }

    /// The comment that starts exactly at `pos`, if any.
    fn comment_starting_at(&self, pos: usize) -> Option<&Comment> {
        let i = self
            .by_start
            .binary_search_by_key(&pos, |&c| self.comments[c].span.start)
            .ok()?;
        Some(&self.comments[self.by_start[i]])
    }

    /// Moves `pos` forward over whitespace and comments.
    fn skip_forward(&self, mut pos: usize) -> usize {
        loop {
            let rest = self.text.get(pos..).unwrap_or("");
            pos += rest.len() - rest.trim_start().len();
            match self.comment_starting_at(pos) {
                Some(c) => pos = c.span.end,
                None => return pos.min(self.text.len()),
            }
        }
    }

    /// Moves `pos` back over whitespace and comments.
    fn skip_back(&self, mut pos: usize) -> usize {
        loop {
            let before = self.text.get(..pos).unwrap_or("");
            pos = before.trim_end().len();
            match self.comment_ending_at(pos) {
                Some(c) => pos = c.span.start,
                None => return pos,
            }
        }
    }

    /// A node's span without the whitespace and comments the parser may have included.
    fn tight(&self, span: Span) -> Span {
        let start = self.skip_forward(span.start).min(span.end);
        let end = self.skip_back(span.end).max(start);
        Span::new(start, end)
    }

    /// The span from `start` to just after the `{` that follows `after` (only trivia between).
    fn opener_span(&self, start: usize, after: usize) -> Span {
        let brace = self.skip_forward(after);
        let brace = if self.text.get(brace..).is_some_and(|t| t.starts_with('{')) {
            brace
        } else {
            // Not reachable for a tree parsed from `text`; fall back on a plain search.
            self.text
                .get(after..)
                .and_then(|t| t.find('{'))
                .map_or(after, |i| after + i)
        };
        Span::new(start, (brace + 1).min(self.text.len()))
    }

    /// The `}` that ends an item whose (tight) span is `span`.
    fn closer_span(&self, span: Span) -> Span {
        Span::new(span.end.saturating_sub(1).max(span.start), span.end)
    }

    /// Whether a comment lies strictly inside `span`.
    fn has_comment_inside(&self, span: Span) -> bool {
        self.comments
            .iter()
            .any(|c| c.span.start > span.start && c.span.start < span.end)
    }

    /// Whether the source has a blank line between positions `a` and `b`.
    fn blank_between(&self, a: usize, b: usize) -> bool {
        if b <= a {
            return false;
        }
        let Some(segment) = self.text.get(a..b) else {
            return false;
        };
        let pieces: Vec<&str> = segment.split('\n').collect();
        pieces.len() > 2
            && pieces[1..pieces.len() - 1]
                .iter()
                .any(|l| l.trim().is_empty())
    }

    // ------------------------------------------------------------ building

    fn unit(&mut self, span: Span, kind: UnitKind) -> UnitId {
        self.units.push(Unit {
            span,
            kind,
            trailing: None,
            before: Vec::new(),
            opener_has_inside: false,
        });
        self.units.len() - 1
    }

    fn new_block(&mut self, interior: Span) -> BlockId {
        self.blocks.push(Block {
            interior,
            units: Vec::new(),
            end: Vec::new(),
        });
        self.blocks.len() - 1
    }

    fn leaf(&mut self, span: Span, lines: Vec<String>) -> Node {
        let unit = self.unit(span, UnitKind::Leaf);
        Node::Leaf { unit, lines }
    }

    /// A braced item: opener, children built by `body`, closer.
    fn block_node(
        &mut self,
        item_span: Span,
        open_after: usize,
        open_line: String,
        body: impl FnOnce(&mut Self) -> Vec<Node>,
    ) -> Node {
        let open_span = self.opener_span(item_span.start, open_after);
        let close_span = self.closer_span(item_span);
        let block = self.new_block(Span::new(open_span.end, close_span.start));
        let open = self.unit(open_span, UnitKind::Opener(block));
        let children = body(self);
        self.blocks[block].units = children.iter().map(Node::first_unit).collect();
        let close = self.unit(close_span, UnitKind::Closer);
        Node::Block {
            open,
            open_line,
            block,
            children,
            close,
        }
    }

    fn build(&mut self, file: &File) -> Vec<Node> {
        let mut nodes = Vec::new();
        if let Some(header) = &file.header {
            let (keyword, name) = match header {
                Header::Jurisdiction(name) => ("jurisdiction", name),
                Header::Policy(name) => ("policy", name),
            };
            let name_span = self.tight(name.span);
            let keyword_end = self.skip_back(name_span.start);
            let keyword_start = keyword_end.saturating_sub(keyword.len());
            let start = if self.text.get(keyword_start..keyword_end) == Some(keyword) {
                keyword_start
            } else {
                name_span.start
            };
            nodes.push(self.leaf(
                Span::new(start, name_span.end),
                vec![format!("{keyword} {}", name.name)],
            ));
        }
        for item in &file.items {
            let node = self.item(item);
            nodes.push(node);
        }
        self.blocks[0].units = nodes.iter().map(Node::first_unit).collect();
        nodes
    }

    fn item(&mut self, item: &Item) -> Node {
        let span = self.tight(item.span());
        match item {
            Item::Set(set) => {
                let head = format!("set {}: {} {{", set.name.name, set.kind.name);
                let one_line = format!("{head}{}}}", join(set.elements.iter().map(value)));
                if set.elements.len() <= 3
                    && !self.has_comment_inside(span)
                    && width(&one_line) <= MAX_WIDTH
                {
                    return self.leaf(span, vec![one_line]);
                }
                let kind_end = self.tight(set.kind.span).end;
                self.block_node(span, kind_end, head, |f| {
                    set.elements
                        .iter()
                        .map(|e| {
                            let s = f.tight(e.span());
                            f.leaf(s, vec![format!("{}{},", pad(INDENT), value(e))])
                        })
                        .collect()
                })
            }
            Item::Rule(rule) => {
                let head = format!("rule {} {{", rule.id.name);
                if rule.clauses.is_empty() && !self.has_comment_inside(span) {
                    return self.leaf(span, vec![format!("{head}}}")]);
                }
                let id_end = self.tight(rule.id.span).end;
                self.block_node(span, id_end, head, |f| {
                    rule.clauses
                        .iter()
                        .map(|c| {
                            let s = f.tight(c.span);
                            f.leaf(s, clause_lines(&c.kind, INDENT))
                        })
                        .collect()
                })
            }
            Item::Mute(mute) => {
                let head = format!("mute {} {{", pattern(&mute.target));
                if mute.clauses.is_empty() && !self.has_comment_inside(span) {
                    return self.leaf(span, vec![format!("{head}}}")]);
                }
                let target_end = self.tight(mute.target.span).end;
                self.block_node(span, target_end, head, |f| {
                    mute.clauses
                        .iter()
                        .map(|c| {
                            let s = f.tight(c.span());
                            let line = match c {
                                MuteClause::Reason(s, _) => format!("reason {}", quote(&s.value)),
                                MuteClause::ApprovedBy(s, _) => {
                                    format!("approved by {}", quote(&s.value))
                                }
                                MuteClause::Until(d, _) => format!("until {}", date(d)),
                            };
                            f.leaf(s, vec![format!("{}{line}", pad(INDENT))])
                        })
                        .collect()
                })
            }
            Item::Use(decl) => {
                let line = format!("use {}", join_names(&decl.selections));
                self.leaf(span, vec![line])
            }
            Item::Extend(decl) => {
                let line = format!(
                    "extend {} to {}",
                    pattern(&decl.target),
                    join_names(&decl.roles)
                );
                self.leaf(span, vec![line])
            }
        }
    }

    // ------------------------------------------------------------ comments

    fn assign_comments(&mut self) {
        // Units in source order (they never overlap).
        let mut order: Vec<UnitId> = (0..self.units.len()).collect();
        order.sort_by_key(|&u| self.units[u].span.start);
        for (index, comment) in self.comments.iter().enumerate() {
            let at = comment.span.start;
            // Inside a unit: hoisted (or, for an opener, moved into the body).
            if let Some(&u) = order
                .iter()
                .find(|&&u| self.units[u].span.start < at && at < self.units[u].span.end)
            {
                match self.units[u].kind {
                    UnitKind::Opener(block) => {
                        self.units[u].opener_has_inside = true;
                        let end = self.units[u].span.end;
                        self.place(
                            block,
                            at,
                            Placed {
                                comment: index,
                                start: end,
                                end,
                            },
                        );
                    }
                    UnitKind::Leaf | UnitKind::Closer => {
                        let start = self.units[u].span.start;
                        self.units[u].before.push(Placed {
                            comment: index,
                            start,
                            end: start,
                        });
                    }
                }
                continue;
            }
            let before = self.text.get(..at).unwrap_or("");
            let own_line = before.rsplit('\n').next().unwrap_or("").trim().is_empty();
            if !own_line {
                let previous = order
                    .iter()
                    .rev()
                    .find(|&&u| self.units[u].span.end <= at)
                    .copied();
                // Not past a comment that stands between the unit and this one (a comment on
                // its own line between an element and its comma): that would swap them.
                let passes_a_comment = index > 0 && previous.is_some_and(|u| self.comments[index - 1].span.start >= self.units[u].span.end);
                if let Some(u) = previous.filter(|_| !passes_a_comment) {
                    if self.units[u].trailing.is_none() && !self.units[u].opener_has_inside {
                        self.units[u].trailing = Some(index);
                        continue;
                    }
                }
            }
            let block = (1..self.blocks.len())
                .find(|&b| self.blocks[b].interior.start <= at && at < self.blocks[b].interior.end)
                .unwrap_or(0);
            self.place(
                block,
                at,
                Placed {
                    comment: index,
                    start: at,
                    end: comment.span.end,
                },
            );
        }
    }

    /// Places an own-line comment at `at` before the first node of `block` that starts after it.
    fn place(&mut self, block: BlockId, at: usize, placed: Placed) {
        let next = self.blocks[block]
            .units
            .iter()
            .copied()
            .find(|&u| self.units[u].span.start > at);
        match next {
            Some(u) => self.units[u].before.push(placed),
            None => self.blocks[block].end.push(placed),
        }
    }

    // ------------------------------------------------------------ printing

    fn comment_line(&self, indent: usize, comment: usize) -> String {
        format!("{}#{}", pad(indent), self.comments[comment].text)
    }

    fn with_trailing(&self, line: String, unit: UnitId) -> String {
        match self.units[unit].trailing {
            Some(c) => format!("{line} #{}", self.comments[c].text),
            None => line,
        }
    }

    /// The end of a unit including its trailing comment.
    fn unit_end(&self, unit: UnitId) -> usize {
        let own = self.units[unit].span.end;
        self.units[unit]
            .trailing
            .map_or(own, |c| own.max(self.comments[c].span.end))
    }

    fn emit_sequence(&self, out: &mut Out, block: BlockId, nodes: &[Node], indent: usize) {
        let top = block == 0;
        // The end of what was printed last in this block, and whether it was a node.
        let mut previous: Option<(usize, bool)> = None;
        let separate = |out: &mut Out, previous: Option<(usize, bool)>, start: usize| {
            if let Some((end, was_node)) = previous {
                if (top && was_node) || self.blank_between(end, start) {
                    out.blank();
                }
            }
        };
        for node in nodes {
            let first = node.first_unit();
            for placed in &self.units[first].before {
                separate(out, previous, placed.start);
                out.push(self.comment_line(indent, placed.comment));
                previous = Some((placed.end, false));
            }
            separate(out, previous, self.units[first].span.start);
            self.emit_node(out, node, indent);
            previous = Some((self.unit_end(node.last_unit()), true));
        }
        for placed in &self.blocks[block].end {
            separate(out, previous, placed.start);
            out.push(self.comment_line(indent, placed.comment));
            previous = Some((placed.end, false));
        }
    }

    fn emit_node(&self, out: &mut Out, node: &Node, indent: usize) {
        match node {
            Node::Leaf { unit, lines } => {
                let last = lines.len().saturating_sub(1);
                // Leaf lines carry their full indentation.
                for (i, line) in lines.iter().enumerate() {
                    let line = line.clone();
                    out.push(if i == last {
                        self.with_trailing(line, *unit)
                    } else {
                        line
                    });
                }
            }
            Node::Block {
                open,
                open_line,
                block,
                children,
                close,
            } => {
                out.push(self.with_trailing(format!("{}{open_line}", pad(indent)), *open));
                self.emit_sequence(out, *block, children, indent + INDENT);
                out.push(self.with_trailing(format!("{}}}", pad(indent)), *close));
            }
        }
    }
}

// ---------------------------------------------------------------- clauses

/// A clause's lines, with their full indentation (`indent` is the clause's).
fn clause_lines(clause: &ClauseKind, indent: usize) -> Vec<String> {
    let lead = pad(indent);
    let line = match clause {
        ClauseKind::Title(s) => format!("title {}", quote(&s.value)),
        ClauseKind::Cites(cites) => {
            format!("cites {}", join(cites.iter().map(|s| quote(&s.value))))
        }
        ClauseKind::Binds(Binds::EveryRole) => "binds every role".to_string(),
        ClauseKind::Binds(Binds::Roles(roles)) => format!("binds {}", join_names(roles)),
        ClauseKind::Effective { from, until } => {
            let mut line = "effective".to_string();
            if let Some(d) = from {
                line.push_str(&format!(" from {}", date(d)));
            }
            if let Some(d) = until {
                line.push_str(&format!(" until {}", date(d)));
            }
            line
        }
        ClauseKind::Locality(name) => format!("locality {}", name.name),
        ClauseKind::Applies(e) => {
            return condition_lines(&format!("{lead}applies when "), e, indent)
        }
        ClauseKind::Verdict {
            severity,
            condition,
        } => {
            let keyword = match severity {
                SeverityKw::Blocks => "blocks",
                SeverityKw::Warns => "warns",
            };
            return condition_lines(&format!("{lead}{keyword} when "), condition, indent);
        }
        ClauseKind::Unless(e) => return condition_lines(&format!("{lead}unless "), e, indent),
        ClauseKind::Message(s) => format!("message {}", quote(&s.value)),
    };
    vec![format!("{lead}{line}")]
}

/// A condition clause: `prefix` (with the clause's indentation and keywords) and the condition,
/// wrapped as the crate documentation says.
fn condition_lines(prefix: &str, e: &Expr, indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let continuation = indent + CONTINUATION;
    let flat = format!("{prefix}{}", expr(e));
    if width(&flat) <= MAX_WIDTH {
        lines.push(flat);
    } else if let Some((op, parts)) = as_list(e) {
        list_lines(&mut lines, prefix, op, parts, continuation);
    } else {
        operand_lines(&mut lines, prefix, e, continuation);
    }
    lines
}

/// The operator and operands of an `and`/`or` list.
fn as_list(e: &Expr) -> Option<(&'static str, &[Expr])> {
    match &e.kind {
        ExprKind::And(parts) => Some(("and", parts)),
        ExprKind::Or(parts) => Some(("or", parts)),
        _ => None,
    }
}

/// A broken `and`/`or` list: the first operand after `lead`, each other one on its own line at
/// `indent`, after its operator. Each operand's own continuation lines are at `indent` too.
fn list_lines(lines: &mut Vec<String>, lead: &str, op: &str, parts: &[Expr], indent: usize) {
    for (i, part) in parts.iter().enumerate() {
        let lead = if i == 0 {
            lead.to_string()
        } else {
            format!("{}{op} ", pad(indent))
        };
        operand_lines(lines, &lead, part, indent);
    }
}

/// One operand of a wrapped condition after `lead`, broken further if it does not fit;
/// `indent` is the indentation of the operand's continuation lines.
fn operand_lines(lines: &mut Vec<String>, lead: &str, e: &Expr, indent: usize) {
    let flat = format!("{lead}{}", expr(e));
    if width(&flat) <= MAX_WIDTH {
        lines.push(flat);
        return;
    }
    if let Some((op, parts)) = as_list(e) {
        list_lines(lines, lead, op, parts, indent + CONTINUATION);
        return;
    }
    // A history test, possibly under `not`.
    let mut lead = lead.to_string();
    let mut inner = e;
    while let ExprKind::Not(negated) = &inner.kind {
        lead.push_str("not ");
        inner = negated;
    }
    let (history, tail) = match &inner.kind {
        ExprKind::Count { history, op, limit } => {
            lead.push_str("count of ");
            (history, format!("{} {}", op.as_str(), limit.value))
        }
        ExprKind::Any(history) => {
            lead.push_str("any ");
            (history, String::new())
        }
        ExprKind::AnyCase {
            plural,
            filter,
            per_loan,
        } => {
            lead.push_str("any ");
            let noun = if *plural { "cases" } else { "case" };
            noun_filter_lines(lines, &lead, noun, filter.as_deref(), indent);
            if *per_loan {
                lines.push(format!("{}about this loan", pad(indent)));
            }
            return;
        }
        _ => {
            lines.push(flat);
            return;
        }
    };
    // The noun and its filter (the filter broken like an operand if it does not fit).
    noun_filter_lines(
        lines,
        &lead,
        history.noun.as_str(),
        history.filter.as_deref(),
        indent,
    );
    // The window on a line of its own.
    let before_window = lines.len();
    match &history.window {
        Window::SinceLast { noun, filter } => {
            let lead = format!("{}since the last ", pad(indent));
            noun_filter_lines(lines, &lead, noun.as_str(), filter.as_deref(), indent);
        }
        other => lines.push(format!("{}{}", pad(indent), window(other))),
    }
    // The scope and the comparison: on the window's line if it is one line and they fit.
    let scope = scopes(&history.scopes);
    let rest = [scope.as_deref().unwrap_or(""), tail.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if rest.is_empty() {
        return;
    }
    if lines.len() == before_window + 1 {
        if let Some(window_line) = lines.last_mut() {
            let joined = format!("{window_line} {rest}");
            if width(&joined) <= MAX_WIDTH || scope.is_none() {
                *window_line = joined;
                return;
            }
        }
    }
    lines.push(format!("{}{rest}", pad(indent)));
}

/// `noun` or `noun where filter` after `lead`; a filter that does not fit is broken like an
/// operand whose continuation lines are at `indent` (so a list in it goes 4 deeper).
fn noun_filter_lines(
    lines: &mut Vec<String>,
    lead: &str,
    noun: &str,
    filter: Option<&Expr>,
    indent: usize,
) {
    match filter {
        None => lines.push(format!("{lead}{noun}")),
        Some(f) => operand_lines(lines, &format!("{lead}{noun} where "), f, indent),
    }
}

// ---------------------------------------------------------------- conditions

fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Or(parts) => parts.iter().map(expr).collect::<Vec<_>>().join(" or "),
        ExprKind::And(parts) => parts.iter().map(expr).collect::<Vec<_>>().join(" and "),
        ExprKind::Not(inner) => format!("not {}", expr(inner)),
        ExprKind::Paren(inner) => format!("({})", expr(inner)),
        ExprKind::LocalTime { zone: z, op, window } => {
            format!("{} is {} {}", clock("time", z.as_ref()), window_op(*op), time_window(window))
        }
        ExprKind::LocalDay { zone: z, test: t } => format!("{} {}", clock("day", z.as_ref()), test(t)),
        ExprKind::FederalHoliday { zone: z, negated } => {
            format!(
                "{} is {}a federal holiday",
                clock("date", z.as_ref()),
                if *negated { "not " } else { "" }
            )
        }
        ExprKind::LocalDate { zone: z, op, start, end } => {
            format!(
                "{} is {} {} to {}",
                clock("date", z.as_ref()),
                window_op(*op),
                date(start),
                date(end)
            )
        }
        ExprKind::Consent {
            name,
            value,
            recorded,
            held,
        } => {
            let mut s = format!(
                "consent {} is {}{}",
                name.name,
                if *recorded { "recorded " } else { "" },
                value.name
            );
            if let Some(held) = held {
                s.push_str(&format!(" for {}", elapsed(held)));
            }
            s
        }
        ExprKind::ElapsedSince { field, elapsed: e } => {
            format!("{} is {} ago", field.name, elapsed(e))
        }
        ExprKind::AgeAt {
            field,
            at,
            op,
            value,
        } => format!("{} at {} {} {}", field.name, at.name, op.as_str(), value.value),
        ExprKind::Replies { within: None } => "replies to inbound".to_string(),
        ExprKind::Replies {
            within: Some((amount, unit)),
        } => format!("replies to inbound within {} {}", amount.value, unit.as_str()),
        ExprKind::Count {
            history: h,
            op,
            limit,
        } => {
            format!("count of {} {} {}", history(h), op.as_str(), limit.value)
        }
        ExprKind::Any(h) => format!("any {}", history(h)),
        ExprKind::AnyCase {
            plural,
            filter,
            per_loan,
        } => {
            let mut s = format!("any {}", if *plural { "cases" } else { "case" });
            if let Some(f) = filter {
                s.push_str(&format!(" where {}", expr(f)));
            }
            if *per_loan {
                s.push_str(" about this loan");
            }
            s
        }
        ExprKind::DoNotInteract => "do not interact is active".to_string(),
        ExprKind::Compare { field, test: None } => field.name.clone(),
        ExprKind::Compare {
            field,
            test: Some(t),
        } => format!("{} {}", field.name, test(t)),
    }
}

fn history(h: &History) -> String {
    let head = match &h.filter {
        Some(f) => format!("{} where {}", h.noun.as_str(), expr(f)),
        None => h.noun.as_str().to_string(),
    };
    let mut s = format!("{head} {}", window(&h.window));
    if let Some(scope) = scopes(&h.scopes) {
        s.push(' ');
        s.push_str(&scope);
    }
    s
}

fn window(w: &Window) -> String {
    match w {
        Window::Rolling { amount, unit } => {
            format!("in the last {} {}", amount.value, unit.as_str())
        }
        Window::CalendarDays(n) => format!("in the last {} calendar days", n.value),
        Window::Today => "today".to_string(),
        Window::CalendarWeek { starting } => {
            format!("this calendar week starting {}", starting.name)
        }
        Window::CalendarMonth => "this calendar month".to_string(),
        Window::SinceLast { noun, filter: None } => format!("since the last {}", noun.as_str()),
        Window::SinceLast {
            noun,
            filter: Some(f),
        } => format!("since the last {} where {}", noun.as_str(), expr(f)),
    }
}

/// The scopes as written, in their order; `None` when none is.
fn scopes(scopes: &[HistoryScope]) -> Option<String> {
    let words = scopes.iter().map(|s| match s {
        HistoryScope::Borrower => "for this borrower",
        HistoryScope::Contact => "to this contact",
        HistoryScope::Person => "to this person",
        HistoryScope::Loan => "about this loan",
    });
    (!scopes.is_empty()).then(|| words.collect::<Vec<_>>().join(" "))
}

/// `local time` / `time in America/New_York` (likewise `day`, `date`).
fn clock(what: &str, zone: Option<&Ident>) -> String {
    match zone {
        Some(zone) => format!("{what} in {}", zone.name),
        None => format!("local {what}"),
    }
}

fn time_window(w: &TimeWindow) -> String {
    if w.exclusive {
        format!("after {} and before {}", time(&w.start), time(&w.end))
    } else if w.from_keyword {
        format!("from {} to {}", time(&w.start), time(&w.end))
    } else {
        format!("{} to {}", time(&w.start), time(&w.end))
    }
}

fn elapsed(e: &Elapsed) -> String {
    format!(
        "{} {} {}",
        if e.at_least { "at least" } else { "less than" },
        e.amount.value,
        e.unit.as_str()
    )
}

fn window_op(op: WindowOp) -> &'static str {
    match op {
        WindowOp::Within => "within",
        WindowOp::Outside => "outside",
    }
}

fn test(t: &Test) -> String {
    let not = |negated: bool| if negated { "not " } else { "" };
    match t {
        Test::Is { negated, value: v } => format!("is {}{}", not(*negated), value(v)),
        Test::In {
            negated,
            set: SetExpr::Named(name),
        } => format!("{}in {}", not(*negated), name.name),
        Test::In {
            negated,
            set: SetExpr::Literal { elements, .. },
        } => {
            format!(
                "{}in {{{}}}",
                not(*negated),
                join(elements.iter().map(value))
            )
        }
        Test::Number { op, value } => format!("{} {}", op.as_str(), value.value),
    }
}

// ---------------------------------------------------------------- literals

fn value(v: &Value) -> String {
    match v {
        Value::Name(name) => name.name.clone(),
        Value::Bool(b, _) => b.to_string(),
        Value::Int(i) => i.value.to_string(),
        Value::Str(s) => quote(&s.value),
    }
}

/// A string literal: `"` and `\` escaped, line breaks and tabs as `\n` and `\t`.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn date(d: &DateLit) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

fn time(t: &TimeLit) -> String {
    match t.second {
        Some(second) => format!("{:02}:{:02}:{second:02}", t.hour, t.minute),
        None => format!("{:02}:{:02}", t.hour, t.minute),
    }
}

fn pattern(p: &RulePattern) -> String {
    if p.wildcard {
        format!("{}.*", p.text)
    } else {
        p.text.clone()
    }
}

fn join(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join(", ")
}

fn join_names(names: &[Ident]) -> String {
    join(names.iter().map(|n| n.name.clone()))
}

fn pad(n: usize) -> String {
    " ".repeat(n)
}

fn width(line: &str) -> usize {
    line.chars().count()
}
