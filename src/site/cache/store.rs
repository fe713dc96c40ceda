//! The build cache's file: a header naming the format and the dcrsite version that
//! wrote it, the payload (bincode, then a blob of bytes written as they are, then the
//! blob's length), and a CRC-32 of the payload at the end (hundreds of
//! megabytes for a big site: a CRC is checked several times faster than a SHA-256, and
//! the cache guards against accidents, not tampering). A file that
//! is truncated, corrupted or written by another version is refused as a whole, never
//! read in part: its entries may mean something else.

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use bincode::Options;
use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The file inside the cache folder (beside `check`'s `external-links.json`).
pub(crate) const FILE: &str = "build.bin";
const MAGIC: &[u8] = b"dcrsite build cache\n";
/// Bumped whenever what the payload holds changes meaning.
const FORMAT: u32 = 6;

/// This build of dcrsite: a cache written by any other is not trusted.
fn version() -> String {
    format!("{} format {FORMAT}", env!("CARGO_PKG_VERSION"))
}

/// The payload of the file at `path`: `Ok(None)` when there is none, `Err(why)` when it
/// cannot be trusted.
pub(crate) fn read<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, String> {
    Ok(read_with_blob(path)?.map(|(value, _)| value))
}

/// The payload of the file at `path` and the blob of bytes written after it
/// ([`write_with_blob`]), a slice of the buffer the file was read into: `Ok(None)` when
/// there is none, `Err(why)` when it cannot be trusted.
///
/// The file is read whole, its checksum checked, then decoded from memory: decoding
/// while reading made bincode stage every string in a zeroed buffer of its own first,
/// a quarter of an unchanged cached build. The decoder never takes more than the file
/// holds.
pub(crate) fn read_with_blob<T: DeserializeOwned>(
    path: &Path,
) -> Result<Option<(T, Bytes)>, String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => Bytes::from(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let header = check_header(&mut &bytes[..])? as usize;
    // The checksummed part: the payload, the blob, the blob's length.
    let end = bytes.len().checked_sub(4).filter(|&end| end >= header + 8);
    let end = end.ok_or("it is truncated")?;
    let sum = crc32fast::hash(&bytes[header..end]).to_le_bytes();
    if bytes[end..] != sum {
        return Err("it is truncated or corrupted (its checksum does not match)".into());
    }
    let blob_len = u64::from_le_bytes(bytes[end - 8..end].try_into().unwrap_or_default());
    let blob_start = usize::try_from(blob_len)
        .ok()
        .and_then(|len| (end - 8).checked_sub(len))
        .filter(|&start| start >= header)
        .ok_or("it is corrupted (its parts do not add up)")?;
    let payload = &bytes[header..blob_start];
    let value = options(payload.len() as u64)
        .deserialize(payload)
        .map_err(|_| "it is truncated or corrupted (it does not decode)".to_string())?;
    let blob = bytes.slice(blob_start..end - 8);
    Ok(Some((value, blob)))
}

/// The encoding: bincode's fixed-size integers, with at most `limit` bytes decoded (a
/// corrupted length cannot make it allocate more than the file holds).
fn options(limit: u64) -> impl bincode::Options {
    bincode::options().with_fixint_encoding().with_limit(limit)
}

/// Reads the header; returns its length. Refuses another file or another version's.
fn check_header(reader: &mut impl Read) -> Result<u64, String> {
    let mut magic = vec![0; MAGIC.len()];
    let mut len = [0; 4];
    reader
        .read_exact(&mut magic)
        .ok()
        .filter(|()| magic == MAGIC)
        .ok_or("it is not a dcrsite build cache")?;
    reader.read_exact(&mut len).map_err(|_| "it is truncated")?;
    let len = u32::from_le_bytes(len) as usize;
    let ours = version();
    let mut written_by = vec![0; len.min(256)];
    reader
        .read_exact(&mut written_by)
        .map_err(|_| "it is truncated")?;
    let written_by = String::from_utf8_lossy(&written_by);
    if len != written_by.len() || written_by != ours {
        return Err(format!(
            "it was written by dcrsite {written_by}, this is {ours}"
        ));
    }
    Ok((MAGIC.len() + 4 + len) as u64)
}

/// Most files a cache split in shards has: about 150 pages each at 10,000 pages.
pub(crate) const MAX_SHARDS: usize = 64;
/// Fewest pages a shard holds before there are more of them: a small site's cache is a
/// few files, not [`MAX_SHARDS`] (each is a file to open, write and rename per build).
const PAGES_PER_SHARD: usize = 32;

/// How many shards a cache of `pages` pages is split in (1 to [`MAX_SHARDS`]).
pub(crate) fn shard_count(pages: usize) -> usize {
    pages.div_ceil(PAGES_PER_SHARD).clamp(1, MAX_SHARDS)
}

/// Which of `count` shards the entry named `name` belongs in: the same in every run (a
/// cache split in shards rewrites only those whose entries changed).
pub(crate) fn shard_of(name: &str, count: usize) -> usize {
    (xxhash_rust::xxh3::xxh3_64(name.as_bytes()) % count.max(1) as u64) as usize
}

/// Writes `value` to `path` through a temporary file renamed into place, so a build
/// killed while writing leaves the previous cache or none, never half of one.
pub(crate) fn write<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    write_with_blob(path, value, &[])
}

/// Writes `value`, then the bytes of `blob` one after another (`read_with_blob` reads
/// them back as one buffer), as [`write`] does.
pub(crate) fn write_with_blob<T: Serialize>(
    path: &Path,
    value: &T,
    blob: &[Bytes],
) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = temp_path(path);
    let result = write_to(&temp, value, blob).and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn write_to<T: Serialize>(temp: &Path, value: &T, blob: &[Bytes]) -> std::io::Result<()> {
    let mut out = HashingWriter {
        inner: BufWriter::with_capacity(1 << 20, std::fs::File::create(temp)?),
        hash: crc32fast::Hasher::new(),
    };
    let ours = version();
    out.inner.write_all(MAGIC)?;
    out.inner.write_all(&(ours.len() as u32).to_le_bytes())?;
    out.inner.write_all(ours.as_bytes())?;
    options(u64::MAX)
        .serialize_into(&mut out, value)
        .map_err(std::io::Error::other)?;
    let mut blob_len = 0u64;
    for part in blob {
        out.write_all(part)?;
        blob_len += part.len() as u64;
    }
    out.write_all(&blob_len.to_le_bytes())?;
    let sum = out.hash.finalize();
    out.inner.write_all(&sum.to_le_bytes())?;
    // Not synced to disk: a killed build still leaves the whole file (the kernel has
    // it), and a file cut short by a power loss fails the checksum and is ignored with
    // a warning. Syncing hundreds of megabytes made a one-page change wait on the disk.
    out.inner.flush()
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}

/// Hashes the payload as it is written.
struct HashingWriter<W: Write> {
    inner: W,
    hash: crc32fast::Hasher,
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
    use super::{read, read_with_blob, write, write_with_blob, FILE};
    use bytes::Bytes;

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
    fn a_blob_reads_back_after_the_value_and_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let parts = [
            Bytes::from_static(b"<p>one</p>"),
            Bytes::from_static(b"two"),
        ];
        write_with_blob(&path, &vec!["a".to_string()], &parts).unwrap();
        let (value, blob) = read_with_blob::<Vec<String>>(&path).unwrap().unwrap();
        assert_eq!(value, vec!["a".to_string()]);
        assert_eq!(&blob[..], b"<p>one</p>two");
        let good = std::fs::read(&path).unwrap();
        let mut flipped = good.clone();
        let in_blob = good.len() - 6;
        flipped[in_blob] ^= 1;
        for bytes in [flipped, good[..good.len() - 5].to_vec()] {
            std::fs::write(&path, bytes).unwrap();
            let err = read_with_blob::<Vec<String>>(&path).err().unwrap();
            assert!(err.contains("checksum"), "{err}");
        }
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
