//! Where a data file's bytes lie, as the readers take them: in memory (the
//! CLI's file, a fetched URL, a bundled demo), or a picked browser `Blob`
//! that the page's reader worker reads a slice at a time, so that it never
//! holds a big file whole besides the columns it makes of it.

use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::{Buf, Bytes};
use parquet::errors::ParquetError;
use parquet::file::reader::{ChunkReader, Length};

/// A data file's bytes where they lie, read from the first byte once per
/// pass (a CSV's rows, its text columns, the lines of its problems) or, for
/// Parquet, range by range.
pub trait FileSource {
    /// The file's size in bytes.
    fn size(&self) -> usize;
    /// The bytes, from the first.
    fn open(&self) -> Box<dyn Read + '_>;
    /// The file as the Parquet reader takes it: in memory, unless its
    /// ranges can be read where they lie.
    fn chunks(&self) -> std::io::Result<Chunks> {
        let mut all = Vec::with_capacity(self.size());
        self.open().read_to_end(&mut all)?;
        Ok(Chunks::Memory(all.into()))
    }
}

impl FileSource for &[u8] {
    fn size(&self) -> usize {
        self.len()
    }
    fn open(&self) -> Box<dyn Read + '_> {
        Box::new(*self)
    }
}

impl FileSource for Bytes {
    fn size(&self) -> usize {
        self.len()
    }
    fn open(&self) -> Box<dyn Read + '_> {
        Box::new(&self[..])
    }
    fn chunks(&self) -> std::io::Result<Chunks> {
        Ok(Chunks::Memory(self.clone()))
    }
}

/// The first `n` bytes of `source` (fewer if it is shorter).
pub fn head_of(source: &dyn FileSource, n: usize) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n.min(source.size()));
    source.open().take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// A file whose byte ranges are read where they lie (a picked browser file).
/// `Send + Sync` because the parquet crate asks it of its readers.
pub trait ByteRanges: Send + Sync {
    /// The file's size in bytes.
    fn size(&self) -> u64;
    /// `length` bytes from `start` (fewer at the end of the file).
    fn range(&self, start: u64, length: usize) -> std::io::Result<Bytes>;
}

/// A file in memory read a range at a time, as a picked browser file is
/// (what the tests read the ranged path with).
impl ByteRanges for Bytes {
    fn size(&self) -> u64 {
        self.len() as u64
    }
    fn range(&self, start: u64, length: usize) -> std::io::Result<Bytes> {
        let start = (start as usize).min(self.len());
        Ok(self.slice(start..(start + length).min(self.len())))
    }
}

/// A Parquet file's bytes for the parquet crate: all in memory, or read
/// 8 MB at a time from where they lie, so that the reader holds
/// the columns it decodes and one window, not the whole file.
#[derive(Clone)]
pub enum Chunks {
    /// The whole file in memory.
    Memory(Bytes),
    /// Ranges read as the reader asks for them.
    Ranges(Arc<ReadAhead>),
}

impl Chunks {
    /// The file `ranges` reads, a window at a time.
    pub fn ranges(ranges: impl ByteRanges + 'static) -> Chunks {
        Chunks::Ranges(Arc::new(ReadAhead { ranges: Box::new(ranges), window: Mutex::new((0, Bytes::new())) }))
    }
}

/// Bytes read from a [`ByteRanges`] file at a time: the parquet crate asks
/// for each page's header, then its bytes, page after page (a column chunk
/// of pyarrow's 1 MB pages is a few hundred asks), and each read of a
/// browser's file costs milliseconds however small it is.
const WINDOW: usize = 8 << 20;

/// A [`ByteRanges`] file read a window at a time, asks inside the window
/// answered from it.
pub struct ReadAhead {
    ranges: Box<dyn ByteRanges>,
    /// The window's first byte in the file, and its bytes.
    window: Mutex<(u64, Bytes)>,
}

impl ReadAhead {
    fn size(&self) -> u64 {
        self.ranges.size()
    }

    fn range(&self, start: u64, length: usize) -> std::io::Result<Bytes> {
        let mut window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        let (at, bytes) = &*window;
        let end = start + length as u64;
        if start >= *at && end <= at + bytes.len() as u64 {
            return Ok(bytes.slice((start - at) as usize..(end - at) as usize));
        }
        if length >= WINDOW {
            return self.ranges.range(start, length);
        }
        let fresh = self.ranges.range(start, WINDOW.min(self.size().saturating_sub(start) as usize))?;
        *window = (start, fresh);
        Ok(window.1.slice(..length.min(window.1.len())))
    }
}

impl Length for Chunks {
    fn len(&self) -> u64 {
        match self {
            Chunks::Memory(bytes) => bytes.len() as u64,
            Chunks::Ranges(ranges) => ranges.size(),
        }
    }
}

/// Bytes a reader from an offset reads at a time: the parquet crate reads
/// a page's header so (a few hundred bytes), then asks for the page itself.
const READ_AHEAD: usize = 64 << 10;

impl ChunkReader for Chunks {
    type T = Box<dyn Read + Send>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        Ok(match self {
            Chunks::Memory(bytes) => Box::new(bytes.get_read(start)?),
            Chunks::Ranges(ranges) => {
                Box::new(RangesRead { ranges: Arc::clone(ranges), at: start, slice: Bytes::new() })
            }
        })
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        match self {
            Chunks::Memory(bytes) => bytes.get_bytes(start, length),
            Chunks::Ranges(ranges) => match ranges.range(start, length) {
                Ok(bytes) if bytes.len() == length => Ok(bytes),
                Ok(bytes) => Err(ParquetError::EOF(format!(
                    "the file ends {} bytes into a {length}-byte range at byte {start}",
                    bytes.len()
                ))),
                Err(e) => Err(ParquetError::External(Box::new(e))),
            },
        }
    }
}

/// A read from an offset of a [`ByteRanges`] file, [`READ_AHEAD`] bytes at a time.
struct RangesRead {
    ranges: Arc<ReadAhead>,
    at: u64,
    slice: Bytes,
}

impl Read for RangesRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.slice.is_empty() {
            let length = READ_AHEAD.min(self.ranges.size().saturating_sub(self.at) as usize);
            if length == 0 {
                return Ok(0);
            }
            self.slice = self.ranges.range(self.at, length)?;
            self.at += self.slice.len() as u64;
        }
        let n = buf.len().min(self.slice.len());
        self.slice.copy_to_slice(&mut buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_what_memory_holds() {
        // Past one window, so that asks cross its end and go back before its start.
        let size = WINDOW + 200_000;
        let bytes: Bytes = (0..size as u32).map(|i| (i % 251) as u8).collect::<Vec<_>>().into();
        let (memory, ranges) = (Chunks::Memory(bytes.clone()), Chunks::ranges(bytes.clone()));
        assert_eq!(memory.len(), ranges.len());
        let w = WINDOW as u64;
        let asks = [(0, 10), (70_000, 100_000), (w - 5, 10), (5, 20), (w + 199_990, 10), (100, WINDOW), (w, 200_000)];
        for (start, length) in asks {
            assert_eq!(memory.get_bytes(start, length).unwrap(), ranges.get_bytes(start, length).unwrap());
            let (mut a, mut b) = (Vec::new(), Vec::new());
            memory.get_read(start).unwrap().read_to_end(&mut a).unwrap();
            ranges.get_read(start).unwrap().read_to_end(&mut b).unwrap();
            assert_eq!(a, b);
        }
        assert!(ranges.get_bytes(size as u64 - 10, 11).is_err(), "past the end");
    }
}
