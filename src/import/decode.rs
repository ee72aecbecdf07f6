//! Which text encoding a CSV file is in, and a reader that hands the CSV parser UTF-8 while
//! reading the file a block at a time (never the whole file at once).

use encoding_rs::{CoderResult, Decoder, Encoding, UTF_8, WINDOWS_1252};
use std::cell::Cell;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::rc::Rc;

const BLOCK: usize = 64 * 1024;

/// A byte-order mark decides (UTF-8, UTF-16); otherwise a file that is valid UTF-8 throughout
/// is UTF-8, and anything else is Windows-1252 (what Excel on Windows saves as "CSV").
pub fn detect(path: &Path) -> io::Result<&'static Encoding> {
    let mut file = File::open(path)?;
    let mut block = vec![0u8; BLOCK];
    let mut pending: Vec<u8> = Vec::new();
    let mut first = true;
    loop {
        let n = file.read(&mut block)?;
        let read = block.get(..n).unwrap_or_default();
        if read.is_empty() {
            break;
        }
        if first {
            first = false;
            if let Some((enc, _)) = Encoding::for_bom(read) {
                return Ok(enc);
            }
        }
        pending.extend_from_slice(read);
        match std::str::from_utf8(&pending) {
            Ok(_) => pending.clear(),
            // A character cut by the block boundary: keep its first bytes for the next block.
            Err(e) if e.error_len().is_none() => {
                pending.drain(..e.valid_up_to());
            }
            Err(_) => return Ok(WINDOWS_1252),
        }
    }
    Ok(if pending.is_empty() {
        UTF_8
    } else {
        WINDOWS_1252
    })
}

/// Counts the bytes read from the file, for the progress bar.
pub struct Counted<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Counted<R> {
    pub fn new(inner: R) -> (Counted<R>, Rc<Cell<u64>>) {
        let count = Rc::new(Cell::new(0));
        (
            Counted {
                inner,
                count: count.clone(),
            },
            count,
        )
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// The five bytes Windows-1252 leaves undefined decode to C1 control characters, which a
/// terminal may act on: they become `?` instead.
fn blank_undefined_1252(bytes: &mut [u8]) {
    for b in bytes {
        if matches!(*b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D) {
            *b = b'?';
        }
    }
}

/// Bytes in some encoding in, UTF-8 out (a byte-order mark is dropped).
pub struct Utf8Reader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    input_start: usize,
    input_end: usize,
    output: Vec<u8>,
    output_start: usize,
    output_end: usize,
    input_done: bool,
    finished: bool,
}

impl<R: Read> Utf8Reader<R> {
    pub fn new(inner: R, encoding: &'static Encoding) -> Utf8Reader<R> {
        Utf8Reader {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            input: vec![0; BLOCK],
            input_start: 0,
            input_end: 0,
            // Room for the worst case of one input block (Windows-1252 doubles, at most).
            output: vec![0; BLOCK * 3 + 16],
            output_start: 0,
            output_end: 0,
            input_done: false,
            finished: false,
        }
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.output_start < self.output_end {
                let n = buf.len().min(self.output_end - self.output_start);
                let ready = self.output.get(self.output_start..self.output_start + n);
                let (Some(to), Some(from)) = (buf.get_mut(..n), ready) else {
                    return Err(io::Error::other("decoder buffer out of step"));
                };
                to.copy_from_slice(from);
                self.output_start += n;
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            if self.input_start == self.input_end && !self.input_done {
                let n = self.inner.read(&mut self.input)?;
                self.input_start = 0;
                self.input_end = n;
                self.input_done = n == 0;
                if self.decoder.encoding() == WINDOWS_1252 {
                    blank_undefined_1252(self.input.get_mut(..n).unwrap_or_default());
                }
            }
            let input = self
                .input
                .get(self.input_start..self.input_end)
                .unwrap_or_default();
            let (result, read, written, _) =
                self.decoder
                    .decode_to_utf8(input, &mut self.output, self.input_done);
            self.input_start += read;
            self.output_start = 0;
            self.output_end = written;
            if self.input_done && result == CoderResult::InputEmpty {
                self.finished = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], enc: &'static Encoding) -> String {
        let mut out = String::new();
        Utf8Reader::new(bytes, enc)
            .read_to_string(&mut out)
            .expect("decodes");
        out
    }

    #[test]
    fn undefined_windows_1252_bytes_never_become_controls() {
        let text = decode(b"Ren\xe9 \x81\x8d\x8f\x90\x9d \x80", WINDOWS_1252);
        assert_eq!(text, "René ????? €");
        assert!(!text.chars().any(char::is_control));
    }

    #[test]
    fn decodes_windows_1252_and_drops_a_bom() {
        assert_eq!(decode(b"Ren\xe9 M\xfcller", WINDOWS_1252), "René Müller");
        assert_eq!(decode(b"\xEF\xBB\xBFname\n", UTF_8), "name\n");
        assert_eq!(
            decode(b"\xFF\xFEa\x00\xe9\x00", encoding_rs::UTF_16LE),
            "aé"
        );
    }

    #[test]
    fn detects_by_bom_then_by_validity() {
        let dir = tempfile::tempdir().expect("dir");
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).expect("write");
            p
        };
        // A two-byte character across the block boundary is still UTF-8.
        let mut long = vec![b'a'; BLOCK - 1];
        long.extend_from_slice("é".as_bytes());
        assert_eq!(detect(&write("long", &long)).ok(), Some(UTF_8));
        assert_eq!(detect(&write("w", b"Ren\xe9")).ok(), Some(WINDOWS_1252));
        assert_eq!(detect(&write("bom", b"\xEF\xBB\xBFx")).ok(), Some(UTF_8));
    }
}
