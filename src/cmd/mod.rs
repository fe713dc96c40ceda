//! One `run` per command: turn the parsed arguments into a library call, print what it
//! returns and choose the exit code.

use std::io::IsTerminal;

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod serve;

/// Whether text printed to this stream may be coloured: a terminal, and `NO_COLOR` unset.
fn colors(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Diagnostics go to stderr.
fn stderr_colors() -> bool {
    colors(&std::io::stderr())
}
