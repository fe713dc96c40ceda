//! Before the output is written: each file's digest, and whether the previous output
//! already holds it as the record of the last build says (one `stat`, or none for a page
//! the build took from that folder; no reading). When it holds every file and nothing
//! else, the build writes nothing at all: the folder is already the new site, so no
//! staging folder is made and nothing is swapped (a kill at any moment leaves it whole,
//! as the swap does).

use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use super::record::{digest, Digest, OutputRecord, Written};
use super::{Body, Output, OutputFile};

/// One output file (in the order of `Output::files`).
pub(super) struct Planned {
    pub(super) digest: Digest,
    /// The previous output's file at the same path, when it holds exactly these bytes.
    pub(super) same: Option<Written>,
}

/// Each file's digest and whether `previous` (the output about to be replaced) holds it,
/// per `record`. A file copied from the sources is read to know its digest.
pub(super) fn plan(
    output: &Output,
    previous: &Path,
    record: Option<&OutputRecord>,
) -> std::io::Result<Vec<Planned>> {
    let files: Vec<_> = output.files.iter().collect();
    files
        .par_iter()
        .map(|&(path, file)| {
            let digest = match &file.body {
                Body::Bytes(bytes) => digest(bytes),
                Body::Kept(kept) => kept.written.digest,
                Body::Copy(from) => digest_of_file(from)?,
            };
            let same = record
                .and_then(|r| r.files.get(path))
                .filter(|w| w.digest == digest && unchanged(file, w, &previous.join(path)))
                .copied();
            Ok(Planned { digest, same })
        })
        .collect()
}

/// Whether the file at `at` is still `written`: a page the build took from the output
/// folder was found there as written when the build started (`record::kept`), and is
/// not looked at again (10,000 pages were 10,000 more `stat`s).
fn unchanged(file: &OutputFile, written: &Written, at: &Path) -> bool {
    match &file.body {
        Body::Kept(kept) if kept.path == at && kept.written == *written => true,
        _ => written.still_at(at),
    }
}

/// Whether the output folder `dir` already is the site: it holds every file unchanged
/// (`planned`), the record lists no other, and its manifest is `manifest`. The caller
/// has checked that it holds nothing dcrsite did not write.
pub(super) fn already_written(
    planned: &[Planned],
    record: Option<&OutputRecord>,
    dir: &Path,
    manifest: &str,
) -> bool {
    let Some(record) = record else {
        return false;
    };
    record.files.len() == planned.len()
        && planned.iter().all(|p| p.same.is_some())
        && std::fs::read(dir.join(super::write::MANIFEST)).is_ok_and(|m| m == manifest.as_bytes())
}

/// The digest of the file at `path`, read in pieces.
fn digest_of_file(path: &Path) -> std::io::Result<Digest> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0; 256 * 1024];
    loop {
        match file.read(&mut buf)? {
            0 => return Ok(hasher.digest128().to_le_bytes()),
            n => hasher.update(&buf[..n]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copied_file_has_the_digest_of_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let big: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.path().join("a.bin"), &big).unwrap();
        assert_eq!(
            digest_of_file(&dir.path().join("a.bin")).unwrap(),
            digest(&big)
        );
    }
}
