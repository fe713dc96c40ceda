//! The build cache's file: a header naming the format and the dcrsite version that
//! wrote it, the payload (bincode), and a SHA-256 of the payload at the end. A file that
//! is truncated, corrupted or written by another version is refused as a whole, never
//! read in part: its entries may mean something else.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The file inside the cache folder (beside `check`'s `external-links.json`).
pub(crate) const FILE: &str = "build.bin";
const MAGIC: &[u8] = b"dcrsite build cache\n";
/// Bumped whenever what the payload holds changes meaning.
const FORMAT: u32 = 1;

/// This build of dcrsite: a cache written by any other is not trusted.
fn version() -> String {
    format!("{} format {FORMAT}", env!("CARGO_PKG_VERSION"))
}

/// The payload of the file at `path`: `Ok(None)` when there is none, `Err(why)` when it
/// cannot be trusted.
pub(crate) fn read<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let payload = payload(&bytes)?;
    bincode::deserialize(payload)
        .map(Some)
        .map_err(|e| format!("it does not decode ({e})"))
}

/// The checked payload of a cache file's bytes.
fn payload(bytes: &[u8]) -> Result<&[u8], String> {
    let rest = bytes
        .strip_prefix(MAGIC)
        .ok_or("it is not a dcrsite build cache")?;
    let ours = version();
    let (written_by, rest) = split_string(rest).ok_or("it is truncated")?;
    if written_by != ours {
        return Err(format!(
            "it was written by dcrsite {written_by}, this is {ours}"
        ));
    }
    if rest.len() < 32 {
        return Err("it is truncated".into());
    }
    let (payload, sum) = rest.split_at(rest.len() - 32);
    if Sha256::digest(payload).as_slice() != sum {
        return Err("it is truncated or corrupted (its checksum does not match)".into());
    }
    Ok(payload)
}

/// A length-prefixed string at the start of `bytes`, and what follows it.
fn split_string(bytes: &[u8]) -> Option<(&str, &[u8])> {
    let len = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let text = bytes.get(4..4 + len)?;
    Some((std::str::from_utf8(text).ok()?, &bytes[4 + len..]))
}

/// Writes `value` to `path` through a temporary file renamed into place, so a build
/// killed while writing leaves the previous cache or none, never half of one.
pub(crate) fn write<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = temp_path(path);
    let result = write_to(&temp, value).and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn write_to<T: Serialize>(temp: &Path, value: &T) -> std::io::Result<()> {
    let mut out = HashingWriter {
        inner: BufWriter::with_capacity(1 << 20, std::fs::File::create(temp)?),
        hash: Sha256::new(),
    };
    let ours = version();
    out.inner.write_all(MAGIC)?;
    out.inner.write_all(&(ours.len() as u32).to_le_bytes())?;
    out.inner.write_all(ours.as_bytes())?;
    bincode::serialize_into(&mut out, value).map_err(std::io::Error::other)?;
    let sum = out.hash.finalize();
    out.inner.write_all(&sum)?;
    out.inner
        .into_inner()
        .map_err(|e| e.into_error())?
        .sync_all()
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}

/// Hashes the payload as it is written.
struct HashingWriter<W: Write> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::{read, write, FILE};

    fn written(value: &Vec<String>) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache").join(FILE);
        write(&path, value).unwrap();
        (dir, path)
    }

    #[test]
    fn a_written_cache_reads_back() {
        let value = vec!["a".to_string(), "b".repeat(1000)];
        let (_dir, path) = written(&value);
        assert_eq!(read::<Vec<String>>(&path), Ok(Some(value)));
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left");
    }

    #[test]
    fn no_file_is_no_cache() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read::<Vec<String>>(&dir.path().join(FILE)), Ok(None));
    }

    #[test]
    fn truncated_corrupted_and_foreign_files_are_refused() {
        let (_dir, path) = written(&vec!["page".repeat(100)]);
        let good = std::fs::read(&path).unwrap();
        let mut flipped = good.clone();
        let middle = flipped.len() - 100;
        flipped[middle] ^= 1;
        let foreign =
            String::from_utf8_lossy(&good).replacen(env!("CARGO_PKG_VERSION"), "0.0.0-other", 1);
        let cases: [(&str, Vec<u8>, &str); 5] = [
            ("truncated", good[..good.len() - 7].to_vec(), "truncated"),
            ("cut in the header", good[..22].to_vec(), "truncated"),
            ("corrupted", flipped, "corrupted"),
            (
                "foreign",
                foreign.into_bytes(),
                "written by dcrsite 0.0.0-other",
            ),
            (
                "not ours",
                b"{\"version\": 2}".to_vec(),
                "not a dcrsite build cache",
            ),
        ];
        for (name, bytes, why) in cases {
            std::fs::write(&path, bytes).unwrap();
            let err = read::<Vec<String>>(&path).expect_err(name);
            assert!(err.contains(why), "{name}: {err}");
        }
    }
}
