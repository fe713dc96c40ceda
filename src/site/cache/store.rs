//! The build cache's file: a header naming the format and the dcrsite version that
//! wrote it, the length of its checked part, the checked part (the payload in bincode,
//! then a blob of bytes written as they are, then the blob's length), a CRC-32 of the
//! checked part, and last a part read only in pieces ([`Rest`]), each checked by its
//! reader against a digest the payload holds (a segment's pages' HTML, plain text and
//! links: most of a big site's cache, which a build that renders few pages again never needs). A CRC is
//! checked several times faster than a SHA-256, and the cache guards against accidents,
//! not tampering. A file whose checked part is truncated, corrupted or written by
//! another version is refused as a whole, never read in part: its entries may mean
//! something else.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use bincode::Options;
use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The file inside the cache folder (beside `check`'s `external-links.json`).
pub(crate) const FILE: &str = "build.bin";
const MAGIC: &[u8] = b"dcrsite build cache\n";
/// Bumped whenever what the payload holds changes meaning (10: each page's parse
/// kept, segments assigned by runs in the navigation, `segments::assign`; 11: the
/// pages' search parts kept as places in the index, `search_index`; 12: the link memo's
/// parses each encoded on its own, `check::memo`; 13: the search index's digest is the
/// output record's, `search_index`).
const FORMAT: u32 = 13;

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
pub(crate) fn read_with_blob<T: DeserializeOwned>(
    path: &Path,
) -> Result<Option<(T, Bytes)>, String> {
    Ok(read_with_rest(path)?.map(|(value, blob, _)| (value, blob)))
}

/// The next `len` bytes of `file`, read into a buffer that is not zeroed first: the
/// kernel's copy is the buffer's first touch (zeroing a segment's megabytes, then
/// overwriting them, faulted every page in twice over).
fn read_exactly(file: &mut File, len: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(len);
    read_appending(file, len as u64, &mut bytes)?;
    Ok(bytes)
}

/// Appends the next `len` bytes of `file` to `out`, into its spare room (not zeroed
/// first: see [`read_exactly`]); `Err` when the file ends before them.
pub(crate) fn read_appending(file: &mut File, len: u64, out: &mut Vec<u8>) -> std::io::Result<()> {
    let got = file.take(len).read_to_end(out)?;
    if (got as u64) < len {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}

/// [`read_with_blob`], and the part of the file after the checked part, to be read in
/// pieces ([`write_with_rest`]).
///
/// The checked part is read whole, its checksum checked, then decoded from memory:
/// decoding while reading made bincode stage every string in a zeroed buffer of its own
/// first, a quarter of an unchanged cached build. The decoder never takes more than the
/// file holds.
pub(crate) fn read_with_rest<T: DeserializeOwned>(
    path: &Path,
) -> Result<Option<(T, Bytes, Rest)>, String> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let size = file
        .metadata()
        .map_err(|e| format!("cannot read it: {e}"))?
        .len();
    let header = check_header(&mut file)?;
    let mut len = [0; 8];
    file.read_exact(&mut len).map_err(|_| "it is truncated")?;
    // The checked part, then its checksum.
    let len = u64::from_le_bytes(len);
    let start = header + 8;
    let available = size.saturating_sub(start);
    let end = len.checked_add(4).filter(|&end| end <= available);
    let end = end.ok_or("it is truncated (it ends before its checksum)")?;
    let bytes = read_exactly(
        &mut file,
        usize::try_from(end).map_err(|_| "it is too big")?,
    )
    .map_err(|e| format!("cannot read it: {e}"))?;
    let bytes = Bytes::from(bytes);
    let (value, blob) = decode_checked(&bytes)?;
    let rest = Rest {
        file,
        start: start + end,
    };
    Ok(Some((value, blob, rest)))
}

/// The payload and the blob of a checked part followed by its checksum.
fn decode_checked<T: DeserializeOwned>(bytes: &Bytes) -> Result<(T, Bytes), String> {
    let end = bytes.len().checked_sub(4).filter(|&end| end >= 8);
    let end = end.ok_or("it is truncated")?;
    let sum = crc32fast::hash(&bytes[..end]).to_le_bytes();
    if bytes[end..] != sum {
        return Err("it is truncated or corrupted (its checksum does not match)".into());
    }
    let blob_len = u64::from_le_bytes(bytes[end - 8..end].try_into().unwrap_or_default());
    let blob_start = usize::try_from(blob_len)
        .ok()
        .and_then(|len| (end - 8).checked_sub(len))
        .ok_or("it is corrupted (its parts do not add up)")?;
    let payload = &bytes[..blob_start];
    let value = options(payload.len() as u64)
        .deserialize(payload)
        .map_err(|_| "it is truncated or corrupted (it does not decode)".to_string())?;
    Ok((value, bytes.slice(blob_start..end - 8)))
}

/// The part of a cache file after its checked part: read in pieces, each checked by the
/// reader (the payload holds their digests).
#[derive(Debug)]
pub(crate) struct Rest {
    file: File,
    start: u64,
}

impl Rest {
    /// The `len` bytes at `at` in the part; `Err` when the file does not hold them.
    pub(crate) fn read(&self, at: u64, len: u64) -> std::io::Result<Vec<u8>> {
        let truncated = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "truncated");
        let offset = self.start.checked_add(at).ok_or_else(truncated)?;
        let mut bytes = vec![0; usize::try_from(len).map_err(|_| truncated())?];
        read_exact_at(&self.file, &mut bytes, offset)?;
        Ok(bytes)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// `value` in the cache's encoding, for a part its reader checks ([`Rest`]).
pub(crate) fn encode<T: Serialize>(value: &T) -> std::io::Result<Vec<u8>> {
    options(u64::MAX)
        .serialize(value)
        .map_err(std::io::Error::other)
}

/// A value [`encode`] wrote; `None` when `bytes` are not one.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    options(bytes.len() as u64).deserialize(bytes).ok()
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
    write_with_rest::<T, &[u8]>(path, value, blob, &[])
}

/// [`write_with_blob`], then the bytes of `rest` one after another, outside the checked
/// part ([`read_with_rest`]): their reader checks them.
pub(crate) fn write_with_rest<T: Serialize, R: AsRef<[u8]>>(
    path: &Path,
    value: &T,
    blob: &[Bytes],
    rest: &[R],
) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = temp_path(path);
    let result = write_to(&temp, value, blob, rest).and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn write_to<T: Serialize, R: AsRef<[u8]>>(
    temp: &Path,
    value: &T,
    blob: &[Bytes],
    rest: &[R],
) -> std::io::Result<()> {
    let mut inner = BufWriter::with_capacity(1 << 20, File::create(temp)?);
    let ours = version();
    inner.write_all(MAGIC)?;
    inner.write_all(&(ours.len() as u32).to_le_bytes())?;
    inner.write_all(ours.as_bytes())?;
    // The checked part's length, written once known.
    let len_at = (MAGIC.len() + 4 + ours.len()) as u64;
    inner.write_all(&[0; 8])?;
    let mut out = HashingWriter {
        inner,
        hash: crc32fast::Hasher::new(),
        len: 0,
    };
    options(u64::MAX)
        .serialize_into(&mut out, value)
        .map_err(std::io::Error::other)?;
    let blob_len: u64 = blob.iter().map(|part| part.len() as u64).sum();
    for part in blob {
        out.write_all(part)?;
    }
    out.write_all(&blob_len.to_le_bytes())?;
    let (sum, checked_len) = (out.hash.finalize(), out.len);
    let mut inner = out.inner;
    inner.write_all(&sum.to_le_bytes())?;
    for part in rest {
        inner.write_all(part.as_ref())?;
    }
    inner.seek(SeekFrom::Start(len_at))?;
    inner.write_all(&checked_len.to_le_bytes())?;
    // Not synced to disk: a killed build still leaves the whole file (the kernel has
    // it), and a file cut short by a power loss fails the checksum or a digest and is
    // ignored with a warning. Syncing hundreds of megabytes made a one-page change wait
    // on the disk.
    inner.flush()
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}

/// Hashes and counts the checked part as it is written.
struct HashingWriter<W: Write> {
    inner: W,
    hash: crc32fast::Hasher,
    len: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.len += n as u64;
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
