//! `pymdownx.blocks` (`/// name | argument`, options, a body, `///`): the block types a
//! project enabled and the reading of their syntax.

use super::out::Out;
use super::{Ctx, Line};

/// What a generic block makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Admonition,
    Details,
    Tab,
    Html,
    Definition,
}

/// A block name (`/// note`) and what it makes, with its default class and title.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockType {
    pub name: String,
    pub kind: BlockKind,
    pub class: Option<String>,
    pub title: Option<String>,
}

/// The `pymdownx.blocks.*` extensions a project enabled.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GenericBlocks {
    pub types: Vec<BlockType>,
    /// `pymdownx.blocks.tab`'s `alternate_style`.
    pub tab_alternate: bool,
}

pub(super) fn try_block(
    _lines: &[Line],
    _i: usize,
    _cx: &mut Ctx<'_>,
    _out: &mut Out,
) -> Option<usize> {
    None
}
