//! The per-article side of wirewatch's rule matcher in native code.
//!
//! ``wirewatch.rules.match.RuleSet`` compiles the rules in Python, exactly as for its pure-Python
//! engine, and hands the compiled tables to :class:`Engine` once: keyword patterns with their key
//! ids, the interned terms, every rule's conditions and the anchor postings. Per article the
//! engine reads the decoded article dict, normalises headline + body, scans them once (a keyword
//! trie walked from each word start; Aho-Corasick for the few keywords that do not start with a
//! word character), reads statements, actors and entities into key sets, picks the
//! candidate rules from the postings and evaluates them. It returns the alert dicts of the rules
//! that fire, built here (ids, fields and created_at as Python's engine makes them).
//!
//! Whatever needs Python's own string semantics is asked of Python and cached here: lower-casing
//! of non-ASCII text, ``str.isalnum`` of non-ASCII characters at a hit's edges, the keys of a
//! name or speaker that is not ASCII (``normalize_name`` uses ``re``; ASCII names follow its
//! rules here, tested against it), label/source/language keys, the alert fields when a ``now``
//! is given. When an
//! article is unusual in a way the fast path does not model (a lone surrogate, text whose length
//! lower-casing changes, an offset beyond 64 bits) ``match_article`` returns None and Python
//! matches that article itself, so results never differ.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyInt, PyList, PyString, PyTuple};

/// Rust-side allocations (an article's vectors, strings and sets: ~180 per article) through
/// mimalloc: glibc's malloc spent ~50k instructions per article on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TEXT: usize = 0;
const SAID: usize = 1;
const ACTOR: usize = 2;
const SPEAKER: usize = 3;
const LABEL: usize = 4;
const SOURCE: usize = 5;
const LANGUAGE: usize = 6;
const N_INDEX: usize = 7;

/// Bounded caches start over rather than grow forever (as ``MatchScope.MAX_CACHED``).
const MAX_CACHED: usize = 65_536;
const SEPARATOR: &str = "\n\u{0}\n";
/// ASCII word characters (``str.isalnum`` or ``_``).
const WORD_BYTE: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    t
};
/// An ASCII byte as normalised: lower case, whitespace (``str.isspace``) as a space.
const ASCII_NORM: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = match c {
            b' ' | b'\n' | b'\t' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1f => b' ',
            _ => c.to_ascii_lowercase(),
        };
        b += 1;
    }
    t
};
/// ``ASCII_NORM[c]`` without a table (branch-free: the loop over a text vectorises).
#[inline(always)]
const fn norm_ascii_byte(c: u8) -> u8 {
    let lower = c | (((c.wrapping_sub(b'A') < 26) as u8) << 5);
    let space = (c.wrapping_sub(b'\t') < 5) | (c.wrapping_sub(0x1c) < 4);
    if space {
        b' '
    } else {
        lower
    }
}
// (checked against the table when compiling)
const _: () = {
    let mut b = 0;
    while b < 128 {
        assert!(norm_ascii_byte(b as u8) == ASCII_NORM[b]);
        b += 1;
    }
};

/// The patterns that start with a word character, as a trie over their bytes: ``hits`` walks
/// it from each word start of the text, which finds every occurrence that starts at a word
/// start (what an Aho-Corasick scan with a left boundary check finds) while looking at only a
/// few bytes of most words.
///
/// Laid out as a double array: the child of state ``s`` by byte ``c`` is cell ``base(s) + c``
/// when that cell's ``check`` is ``s``. A step reads one 8-byte cell (no search among a node's
/// edges, no separate label and target arrays): at 100k rules the trie is megabytes, and each
/// step of the old layout cost up to three cache misses.
struct Trie {
    /// per cell: (base | HAS_PATTERN when a pattern ends at this state, check = parent state;
    /// EMPTY when the cell is free). Padded so that ``base + 255`` is always in bounds.
    cells: Vec<Cell>,
    /// the pattern ending at each state (read only where HAS_PATTERN is set)
    pattern: Vec<u32>,
}

#[derive(Clone, Copy)]
#[repr(C)]
struct Cell {
    base: u32,
    check: u32,
}

const NO_PATTERN: u32 = u32::MAX;
const EMPTY: u32 = u32::MAX;
const HAS_PATTERN: u32 = 1 << 31;
const BASE_MASK: u32 = HAS_PATTERN - 1;
/// The root state (cell 0 is never a child: a child's cell is ``base + c`` with ``base >= 1``).
const ROOT: u32 = 0;

impl Trie {
    /// The trie of ``(bytes, pattern)`` (sorted here; every ``bytes`` distinct and not empty).
    fn new(patterns: &mut [(&[u8], u32)]) -> Self {
        patterns.sort_unstable();
        let mut cells: Vec<Cell> = vec![Cell { base: 0, check: EMPTY }; 512];
        let mut pattern: Vec<u32> = vec![NO_PATTERN; 512];
        cells[ROOT as usize].check = ROOT; // taken (the root has no parent)
        // where placement starts its search
        let mut next_check = 1usize;
        // Breadth first: at depth d, the patterns longer than d grouped by their first d bytes
        // (contiguous as sorted) each hang from one state; ``level`` holds (state, range).
        let mut level: Vec<(u32, usize, usize)> = vec![(ROOT, 0, patterns.len())];
        let mut depth = 0;
        let mut labels: Vec<(u8, usize, usize)> = Vec::new();
        while !level.is_empty() {
            let mut next = Vec::new();
            for &(state, lo, hi) in &level {
                let mut i = lo;
                // a pattern of exactly ``depth`` bytes sorts first in its group: it ends here
                while i < hi && patterns[i].0.len() == depth {
                    if pattern[state as usize] == NO_PATTERN {
                        pattern[state as usize] = patterns[i].1;
                        cells[state as usize].base |= HAS_PATTERN;
                    }
                    i += 1;
                }
                labels.clear();
                while i < hi {
                    let b = patterns[i].0[depth];
                    let mut j = i + 1;
                    while j < hi && patterns[j].0[depth] == b {
                        j += 1;
                    }
                    labels.push((b, i, j));
                    i = j;
                }
                if labels.is_empty() {
                    continue; // a leaf: base 0 (its look-ups land on cells it never owns)
                }
                // the first base >= 1 at which every child's cell is free, searched from
                // ``next_check`` (as darts does: that start moves on once the cells before it
                // are nearly all taken, so the search stays short as the array fills)
                let c0 = labels[0].0 as usize;
                let mut p = next_check.max(c0 + 1);
                let (start, mut taken) = (p, 0usize);
                let base = loop {
                    if p + 256 > cells.len() {
                        let n = (cells.len() * 3 / 2).max(p + 512);
                        cells.resize(n, Cell { base: 0, check: EMPTY });
                        pattern.resize(n, NO_PATTERN);
                    }
                    if cells[p].check != EMPTY {
                        taken += 1;
                    } else {
                        let b = p - c0;
                        if labels.iter().all(|&(c, _, _)| cells[b + c as usize].check == EMPTY) {
                            break b;
                        }
                    }
                    p += 1;
                };
                if taken * 20 >= (p - start + 1) * 19 {
                    next_check = p;
                }
                cells[state as usize].base |= base as u32;
                for &(c, lo, hi) in &labels {
                    let child = base + c as usize;
                    cells[child].check = state;
                    next.push((child as u32, lo, hi));
                }
            }
            level = next;
            depth += 1;
        }
        // every base + 255 in bounds, and nothing beyond that
        let top = cells.iter().rposition(|c| c.check != EMPTY).unwrap_or(0);
        let max_base = cells.iter().map(|c| (c.base & BASE_MASK) as usize).max().unwrap_or(0);
        let len = (top + 1).max(max_base + 256);
        cells.truncate(len);
        cells.shrink_to_fit();
        pattern.truncate(len);
        pattern.shrink_to_fit();
        Trie { cells, pattern }
    }

    /// Calls ``f(pattern, end)`` for every pattern that ``text[start..end]`` is.
    #[inline]
    fn walk(&self, text: &[u8], start: usize, mut f: impl FnMut(u32, usize)) {
        let cells = self.cells.as_slice();
        let mut state = ROOT;
        let mut base = cells[ROOT as usize].base & BASE_MASK;
        for (i, &b) in text.iter().enumerate().skip(start) {
            let t = base + b as u32;
            let cell = cells[t as usize];
            if cell.check != state {
                return;
            }
            if cell.base & HAS_PATTERN != 0 {
                f(self.pattern[t as usize], i + 1);
            }
            state = t;
            base = cell.base & BASE_MASK;
        }
    }

    fn memory_usage(&self) -> usize {
        self.cells.len() * (std::mem::size_of::<Cell>() + 4)
    }
}

#[cfg(target_arch = "x86_64")]
/// (word bytes, bytes >= 0x80) of 16 bytes as bit masks (bit j: ``chunk[j]``); word bytes as
/// ``WORD_BYTE``. SSE2 (every x86-64 has it).
#[inline(always)]
fn word_mask16(chunk: &[u8; 16]) -> (u16, u16) {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of x86-64; an unaligned 16-byte load of a 16-byte array.
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr() as *const __m128i);
        let high = _mm_movemask_epi8(v) as u16;
        // unsigned x < k as a signed compare of x ^ 0x80 with k - 128
        let flip = _mm_set1_epi8(-128);
        let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
        let l = _mm_xor_si128(_mm_sub_epi8(lower, _mm_set1_epi8(b'a' as i8)), flip);
        let letter = _mm_cmplt_epi8(l, _mm_set1_epi8((26 - 128) as i8));
        let d = _mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8)), flip);
        let digit = _mm_cmplt_epi8(d, _mm_set1_epi8((10 - 128) as i8));
        let under = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'_' as i8));
        let word = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), under)) as u16;
        (word, high)
    }
}
// (checked against the table when compiling: ``word_mask16`` of every ASCII byte)
const _: () = {
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let w = ((c | 0x20).wrapping_sub(b'a') < 26) | (c.wrapping_sub(b'0') < 10) | (c == b'_');
        assert!(w == WORD_BYTE[b]);
        b += 1;
    }
};

const ASCII_OTHER: u8 = 0;
const ASCII_WORD: u8 = 1;
const NOT_ASCII: u8 = 2;
/// Each byte's class for the word-start scan (``WORD_BYTE`` over all bytes).
const BYTE_CLASS: [u8; 256] = {
    let mut t = [NOT_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = if WORD_BYTE[b] { ASCII_WORD } else { ASCII_OTHER };
        b += 1;
    }
    t
};

struct Pattern {
    exact: Option<u32>,
    prefix: Option<u32>,
    word_left: bool,
    word_right: bool,
}

const GROUP_NONE: u8 = 0;
const GROUP_SPEAKER: u8 = 1;
const GROUP_ACTOR: u8 = 2;

/// What an alert takes from its rule.
struct RuleOut {
    id: Py<PyString>,
    id_bytes: Box<[u8]>,
    description: PyObject,
    /// str sink names, or dicts (copied per alert)
    sinks: Box<[PyObject]>,
    group_by: u8,
}

struct Term {
    label: Py<PyString>,
    keys: Box<[u32]>,
}

/// any/all/none term ids in one allocation (100k rules: memory counts).
struct TermTest {
    ids: Box<[u32]>,
    n_any: u32,
    n_all: u32,
}

impl TermTest {
    fn any(&self) -> &[u32] {
        &self.ids[..self.n_any as usize]
    }
    fn all(&self) -> &[u32] {
        &self.ids[self.n_any as usize..(self.n_any + self.n_all) as usize]
    }
    fn none(&self) -> &[u32] {
        &self.ids[(self.n_any + self.n_all) as usize..]
    }
}

enum Cond {
    KeySet { index: usize, test: TermTest },
    Text(TermTest),
    Near { first: u32, second: u32, a: u32, b: u32, within: i64 },
    Actor { test: TermTest, quoted: Option<bool> },
    Quoted(bool),
    Statement { speaker: Option<TermTest>, said: Option<TermTest>, speaker_keys: Box<[u32]> },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Bail {
    /// The article needs Python's own matcher (see the module docs).
    Python,
}

type Res<T> = Result<T, BailOr>;

enum BailOr {
    Bail(Bail),
    Err(PyErr),
}

impl From<PyErr> for BailOr {
    fn from(e: PyErr) -> Self {
        BailOr::Err(e)
    }
}

fn bail<T>() -> Res<T> {
    Err(BailOr::Bail(Bail::Python))
}

struct Hit {
    start: u32,
    end: u32,
    key: u32,
    start_byte: u32,
}

struct Stmt {
    sid: Py<PyString>,
    speaker_keys: Vec<u32>,
    label: Option<String>,
    terms: Vec<u32>,
}

/// Character offsets over a UTF-8 string (byte offsets when it is ASCII).
struct CharIdx<'a> {
    s: &'a str,
    /// Byte offset of every character, plus the length; empty when the string is ASCII.
    bytes: Vec<u32>,
}

impl<'a> CharIdx<'a> {
    fn new(s: &'a str) -> Self {
        let bytes = if s.is_ascii() {
            Vec::new()
        } else {
            let mut v: Vec<u32> = s.char_indices().map(|(b, _)| b as u32).collect();
            v.push(s.len() as u32);
            v
        };
        CharIdx { s, bytes }
    }
    fn len(&self) -> usize {
        if self.bytes.is_empty() {
            self.s.len()
        } else {
            self.bytes.len() - 1
        }
    }
    /// ``s[a:b]`` in characters, ``a <= b <= len``.
    fn slice(&self, a: usize, b: usize) -> &'a str {
        if self.bytes.is_empty() {
            &self.s[a..b]
        } else {
            &self.s[self.bytes[a] as usize..self.bytes[b] as usize]
        }
    }
}

/// A speaker's keys (sorted), whether it is known, its label.
type Speaker = (Vec<u32>, bool, Option<String>);

#[pyclass(module = "wirewatch_match")]
struct Engine {
    /// ``finish`` was called
    ready: bool,
    scanning: bool,
    /// Patterns that start with a word character (see ``hits``).
    trie: Option<std::sync::Arc<Trie>>,
    /// The other patterns, scanned over the text as it is.
    ac_other: Option<AhoCorasick>,
    other_patterns: Vec<usize>,
    patterns: Vec<Pattern>,
    other_spaces: HashSet<char>,

    terms: Vec<Term>,
    rules: Vec<Box<[Cond]>>,
    postings: Vec<HashMap<u32, Box<[u32]>>>,
    always: Vec<u32>,
    said_keys: Vec<bool>,
    rule_ids: HashMap<String, u32>,
    // Python callables for what must follow Python's own semantics.
    name_ids: PyObject,
    speaker_fn: PyObject,
    label_fn: PyObject,
    source_fn: PyObject,
    language_fn: PyObject,
    isalnum_fn: PyObject,
    fields_fn: PyObject,
    rule_out: Vec<RuleOut>,
    /// ``normalize_name`` word runs some rule names ("n:" keys without the prefix) -> key id;
    /// None: names are always asked of Python (``name_ids`` / ``speaker``).
    name_map: Option<HashMap<Box<str>, u32>>,
    name_buf: String,
    // caches
    name_cache: HashMap<String, Vec<u32>>,
    speaker_cache: HashMap<Box<[u8]>, Speaker>,
    key_buf: Vec<u8>,
    label_cache: HashMap<String, Option<u32>>,
    source_cache: HashMap<String, Option<u32>>,
    language_cache: HashMap<String, Option<u32>>,
    alnum_cache: HashMap<char, bool>,
    lower_cache: HashMap<char, String>,
    /// per-article scratch: (index << 32 | key) of every key present. A small set stays in
    /// cache; per-index arrays over all keys (100k rules: megabytes) cost a miss per look-up.
    present: HashSet<u64>,
    /// per-article scratch of ``hits`` (kept for its capacity)
    found_buf: Vec<(u32, u32, u32)>,
    wide_buf: Vec<(u32, u32)>,
    #[pyo3(get)]
    native_articles: u64,
    #[pyo3(get)]
    python_articles: u64,
}

fn term_test(t: &Bound<'_, PyAny>) -> PyResult<TermTest> {
    let (any, all, none): (Vec<u32>, Vec<u32>, Vec<u32>) = t.extract()?;
    let (n_any, n_all) = (any.len() as u32, all.len() as u32);
    let ids: Vec<u32> = any.into_iter().chain(all).chain(none).collect();
    Ok(TermTest { ids: ids.into_boxed_slice(), n_any, n_all })
}

fn opt_term_test(t: &Bound<'_, PyAny>) -> PyResult<Option<TermTest>> {
    if t.is_none() {
        Ok(None)
    } else {
        Ok(Some(term_test(t)?))
    }
}

/// ``value if isinstance(value, str) else ""``; Err(bail) for a str that is not valid UTF-8.
fn as_str<'a, 'py>(v: Option<&'a Bound<'py, PyAny>>) -> Res<&'a str> {
    match v {
        Some(v) => match v.downcast::<PyString>() {
            Ok(s) => match s.to_str() {
                Ok(s) => Ok(s),
                Err(_) => bail(),
            },
            Err(_) => Ok(""),
        },
        None => Ok(""),
    }
}

/// ``d.get(key)`` with ``key`` an interned str (its hash cached): no str built per look-up.
macro_rules! get {
    ($py:expr, $d:expr, $k:literal) => {
        $d.get_item(pyo3::intern!($py, $k))
    };
}

/// Longest word run of a name that is a key (``match.MAX_NAME_WORDS``).
const MAX_NAME_WORDS: usize = 8;

/// ``str.isspace`` (and ``re``'s ``\s``) of an ASCII byte.
fn is_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\t' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1f)
}

/// ``wirewatch.actors.normalize_name`` of ASCII text into ``out`` (words joined by one space):
/// lower case; ``'s`` before a word boundary cut; characters other than word characters,
/// whitespace and ``-`` cut; stripped; a leading ``the`` + whitespace cut; runs of whitespace
/// and ``-`` as one space; stripped.
fn normalize_name_ascii(text: &[u8], out: &mut String) {
    out.clear();
    let n = text.len();
    // lower-cased, 's\b and [^\w\s-] cut (one pass: 's is matched on the lower-cased text
    // before anything is cut, as the first re.sub sees it)
    let mut kept: Vec<u8> = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        let c = text[i].to_ascii_lowercase();
        if c == b'\''
            && i + 1 < n
            && text[i + 1].eq_ignore_ascii_case(&b's')
            && (i + 2 == n || !WORD_BYTE[text[i + 2] as usize])
        {
            i += 2;
            continue;
        }
        if WORD_BYTE[c as usize] || is_space_byte(c) || c == b'-' {
            kept.push(c);
        }
        i += 1;
    }
    // .strip()
    let a = kept.iter().position(|&c| !is_space_byte(c)).unwrap_or(kept.len());
    let b = kept.iter().rposition(|&c| !is_space_byte(c)).map_or(a, |k| k + 1);
    let mut t = &kept[a..b];
    // ^(the)\s+
    if t.len() > 3 && t.starts_with(b"the") && is_space_byte(t[3]) {
        let mut k = 4;
        while k < t.len() && is_space_byte(t[k]) {
            k += 1;
        }
        t = &t[k..];
    }
    // [\s-]+ -> " ", then .strip()
    let mut gap = false;
    for &c in t {
        if is_space_byte(c) || c == b'-' {
            gap = true;
        } else {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c as char);
        }
    }
}

/// ``normalize_name`` of an ASCII ``text`` as the native engine computes it; None for other
/// text (which the engine leaves to Python). For tests.
#[pyfunction]
fn normalize_name(text: &str) -> Option<String> {
    if !text.is_ascii() {
        return None;
    }
    let mut out = String::new();
    normalize_name_ascii(text.as_bytes(), &mut out);
    Some(out)
}

fn is_quote(c: char) -> bool {
    matches!(c, '\u{2019}' | '\u{2018}' | '\u{2bc}')
}

fn is_ascii_space(c: char) -> bool {
    matches!(c, ' ' | '\n' | '\t' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\x1f')
}

impl Engine {
    fn is_space(&self, c: char) -> bool {
        if c.is_ascii() {
            is_ascii_space(c)
        } else {
            self.other_spaces.contains(&c)
        }
    }

    fn is_word(&mut self, py: Python<'_>, c: char) -> PyResult<bool> {
        if c.is_ascii() {
            return Ok(c.is_ascii_alphanumeric() || c == '_');
        }
        if let Some(&v) = self.alnum_cache.get(&c) {
            return Ok(v);
        }
        let mut buf = [0u8; 4];
        let v: bool = self.isalnum_fn.call1(py, (&*c.encode_utf8(&mut buf),))?.extract(py)?;
        if self.alnum_cache.len() >= MAX_CACHED {
            self.alnum_cache.clear();
        }
        self.alnum_cache.insert(c, v);
        Ok(v)
    }

    /// Python's ``s.lower()`` and whether it changed the length in characters. ASCII in Rust;
    /// other characters as Python lower-cases each one (cached). Only capital sigma depends on
    /// its context (final sigma): text with one is lower-cased by Python as a whole.
    fn lower(&mut self, py: Python<'_>, s: &Bound<'_, PyAny>, text: &str) -> PyResult<(String, bool)> {
        if text.is_ascii() {
            return Ok((text.to_ascii_lowercase(), false));
        }
        if text.contains('\u{3a3}') {
            let out: String = s.call_method0("lower")?.extract()?;
            let changed = out.chars().count() != text.chars().count();
            return Ok((out, changed));
        }
        let mut out = String::with_capacity(text.len());
        let mut changed = false;
        for ch in text.chars() {
            if ch.is_ascii() {
                out.push(ch.to_ascii_lowercase());
                continue;
            }
            if !self.lower_cache.contains_key(&ch) {
                let mut buf = [0u8; 4];
                let low: String =
                    PyString::new(py, ch.encode_utf8(&mut buf)).call_method0("lower")?.extract()?;
                if self.lower_cache.len() >= MAX_CACHED {
                    self.lower_cache.clear();
                }
                self.lower_cache.insert(ch, low);
            }
            let low = &self.lower_cache[&ch];
            changed |= low.chars().count() != 1;
            out.push_str(low);
        }
        Ok((out, changed))
    }

    /// Whole-word hits of the keyword patterns in normalised ``norm``, char offsets.
    fn hits(&mut self, py: Python<'_>, norm: &str) -> PyResult<Vec<Hit>> {
        let mut out = Vec::new();
        if !self.scanning {
            return Ok(out);
        }
        let bytes = norm.as_bytes();
        // Patterns starting with a word character can only start where a word does: the trie
        // is walked from each word start of the text (the left boundary check is implied).
        if let Some(trie) = self.trie.clone() {
            // (pattern, start byte, end byte) of each hit, by start, before the right boundary
            // checks
            let mut found = std::mem::take(&mut self.found_buf);
            found.clear();
            // ``wide_chars(norm)``, built on the way (non-ASCII characters are rare)
            let mut wide = std::mem::take(&mut self.wide_buf);
            wide.clear();
            let mut extra = 0u32;
            let mut prev_word = false;
            let mut i = 0;
            let n = bytes.len();
            while i < n {
                // 16 ASCII bytes at a time: a mask of their word bytes (branch-free, vectorised)
                // gives the word starts, and the trie is walked from those only
                #[cfg(target_arch = "x86_64")]
                if i + 16 <= n {
                    let chunk: &[u8; 16] = bytes[i..i + 16].try_into().unwrap();
                    let (word, high) = word_mask16(chunk);
                    if high == 0 {
                        let mut starts = word & !((word << 1) | u16::from(prev_word));
                        while starts != 0 {
                            let at = i + starts.trailing_zeros() as usize;
                            trie.walk(bytes, at, |p, end| found.push((p, at as u32, end as u32)));
                            starts &= starts - 1;
                        }
                        prev_word = word & 0x8000 != 0;
                        i += 16;
                        continue;
                    }
                }
                let b = bytes[i];
                match BYTE_CLASS[b as usize] {
                    ASCII_WORD => {
                        if !prev_word {
                            trie.walk(bytes, i, |p, end| found.push((p, i as u32, end as u32)));
                            prev_word = true;
                        }
                        i += 1;
                        while i < n && BYTE_CLASS[bytes[i] as usize] == ASCII_WORD {
                            i += 1;
                        }
                    }
                    ASCII_OTHER => {
                        prev_word = false;
                        i += 1;
                    }
                    _ => {
                        let ch = norm[i..].chars().next().unwrap();
                        let word = self.is_word(py, ch)?;
                        if word && !prev_word {
                            trie.walk(bytes, i, |p, end| found.push((p, i as u32, end as u32)));
                        }
                        prev_word = word;
                        let len = ch.len_utf8();
                        i += len;
                        extra += len as u32 - 1;
                        wide.push((i as u32, extra));
                    }
                }
            }
            for &(p, sb, eb) in &found {
                let (s, e) = if wide.is_empty() {
                    (sb, eb)
                } else {
                    (char_index(&wide, sb as usize), char_index(&wide, eb as usize))
                };
                self.push_hit(py, p as usize, sb as usize, eb as usize, s, e, norm, &mut out)?;
            }
            self.wide_buf = wide;
            self.found_buf = found;
        }
        if let Some(ac) = self.ac_other.clone() {
            let mut char_of_byte: Option<Vec<(u32, u32)>> = None;
            for m in ac.find_overlapping_iter(norm) {
                let p = self.other_patterns[m.pattern().as_usize()];
                let (sb, eb) = (m.start(), m.end());
                if self.patterns[p].word_left && sb > 0 {
                    let before = norm[..sb].chars().next_back().unwrap();
                    if self.is_word(py, before)? {
                        continue;
                    }
                }
                let (s, e) = if norm.is_ascii() {
                    (sb as u32, eb as u32)
                } else {
                    let wide = char_of_byte.get_or_insert_with(|| wide_chars(norm));
                    (char_index(wide, sb), char_index(wide, eb))
                };
                self.push_hit(py, p, sb, eb, s, e, norm, &mut out)?;
            }
        }
        Ok(out)
    }

    /// Records a hit of pattern ``p`` at bytes ``sb..eb`` (chars ``s..e``) whose left boundary
    /// holds.
    #[allow(clippy::too_many_arguments)]
    fn push_hit(
        &mut self,
        py: Python<'_>,
        p: usize,
        sb: usize,
        eb: usize,
        s: u32,
        e: u32,
        norm: &str,
        out: &mut Vec<Hit>,
    ) -> PyResult<()> {
        let (exact, prefix, wr) = {
            let p = &self.patterns[p];
            (p.exact, p.prefix, p.word_right)
        };
        if let Some(k) = prefix {
            out.push(Hit { start: s, end: e, key: k, start_byte: sb as u32 });
        }
        if let Some(k) = exact {
            let bytes = norm.as_bytes();
            let mut ok = true;
            if wr && eb < bytes.len() {
                let after =
                    if bytes[eb] < 0x80 { bytes[eb] as char } else { norm[eb..].chars().next().unwrap() };
                ok = !self.is_word(py, after)?;
            }
            if ok {
                out.push(Hit { start: s, end: e, key: k, start_byte: sb as u32 });
            }
        }
        Ok(())
    }

    /// ``KeywordScanner.scan``: the keys in one text (``normalize_text``, then hits).
    fn scan(&mut self, py: Python<'_>, obj: Option<&Bound<'_, PyAny>>) -> Res<Vec<u32>> {
        let text = as_str(obj)?;
        if text.is_empty() || !self.scanning {
            return Ok(Vec::new());
        }
        let (lowered, _) = self.lower(py, obj.unwrap(), text)?;
        let lowered = lowered.as_str();
        let mut norm = String::with_capacity(lowered.len());
        let mut pending_space = false;
        for ch in lowered.chars() {
            let c = if is_quote(ch) { '\'' } else { ch };
            if self.is_space(c) {
                pending_space = !norm.is_empty();
                continue;
            }
            if pending_space {
                norm.push(' ');
                pending_space = false;
            }
            norm.push(c);
        }
        let mut keys: Vec<u32> = self.hits(py, &norm)?.into_iter().map(|h| h.key).collect();
        keys.sort_unstable();
        keys.dedup();
        Ok(keys)
    }

    /// ``MatchScope.name_keys``: a name's keys that some rule names (cached per name).
    fn mark_name(&mut self, py: Python<'_>, name: &str, index: usize, list: &mut Vec<u32>) -> PyResult<()> {
        if name.is_empty() {
            return Ok(());
        }
        let tag = (index as u64) << 32;
        // (one hash look-up when cached, as most names are)
        if let Some(ids) = self.name_cache.get(name) {
            for &k in ids {
                if self.present.insert(tag | k as u64) {
                    list.push(k);
                }
            }
            return Ok(());
        }
        let ids = self.name_ids_of(py, name)?;
        for &k in &ids {
            if self.present.insert(tag | k as u64) {
                list.push(k);
            }
        }
        if self.name_cache.len() >= MAX_CACHED {
            self.name_cache.clear();
        }
        self.name_cache.insert(name.to_owned(), ids);
        Ok(())
    }

    fn name_keys(&mut self, py: Python<'_>, name: &str) -> PyResult<Vec<u32>> {
        if name.is_empty() {
            return Ok(Vec::new());
        }
        if let Some(ids) = self.name_cache.get(name) {
            return Ok(ids.clone());
        }
        let ids = self.name_ids_of(py, name)?;
        if self.name_cache.len() >= MAX_CACHED {
            self.name_cache.clear();
        }
        self.name_cache.insert(name.to_owned(), ids.clone());
        Ok(ids)
    }

    fn speaker(&mut self, py: Python<'_>, key: [&str; 4]) -> PyResult<Speaker> {
        // each part behind its length: no two keys give one string
        self.key_buf.clear();
        for part in key {
            self.key_buf.extend_from_slice(&(part.len() as u64).to_le_bytes());
            self.key_buf.extend_from_slice(part.as_bytes());
        }
        if let Some(v) = self.speaker_cache.get(self.key_buf.as_slice()) {
            return Ok(v.clone());
        }
        let owned: Box<[u8]> = self.key_buf.as_slice().into();
        let (mut keys, known, label): (Vec<u32>, bool, Option<String>) = match self.speaker_native(key) {
            Some(v) => v,
            None => self.speaker_fn.call1(py, (key[0], key[1], key[2], key[3]))?.extract(py)?,
        };
        keys.sort_unstable();
        if self.speaker_cache.len() >= MAX_CACHED {
            self.speaker_cache.clear();
        }
        self.speaker_cache.insert(owned, (keys.clone(), known, label.clone()));
        Ok((keys, known, label))
    }

    /// A name's key ids (``name_ids``): natively for an ASCII name, else asked of Python.
    fn name_ids_of(&mut self, py: Python<'_>, name: &str) -> PyResult<Vec<u32>> {
        let mut ids = Vec::new();
        if self.native_name_ids(name, &mut ids).is_some() {
            return Ok(ids);
        }
        self.name_ids.call1(py, (name,))?.extract(py)
    }

    /// ``MatchScope.name_keys`` of an ASCII ``name`` as key ids (appended to ``out`` when not
    /// there yet): every run of up to ``MAX_NAME_WORDS`` words of ``normalize_name(name)`` that
    /// some rule names. Some(whether the name has any word: ``bool(_name_keys(name))``); None
    /// (nothing appended) when the name is not ASCII or names are not known here.
    fn native_name_ids(&mut self, name: &str, out: &mut Vec<u32>) -> Option<bool> {
        let map = self.name_map.as_ref()?;
        if !name.is_ascii() {
            return None;
        }
        let buf = &mut self.name_buf;
        normalize_name_ascii(name.as_bytes(), buf);
        if buf.is_empty() {
            return Some(false);
        }
        let mut words: [(u32, u32); 64] = [(0, 0); 64];
        let mut n = 0;
        let mut at = 0usize;
        for w in buf.split(' ') {
            if n == words.len() {
                return None; // a very long name: Python's
            }
            words[n] = (at as u32, (at + w.len()) as u32);
            n += 1;
            at += w.len() + 1;
        }
        for i in 0..n {
            for j in i + 1..=(i + MAX_NAME_WORDS).min(n) {
                let run = &buf[words[i].0 as usize..words[j - 1].1 as usize];
                if let Some(&k) = map.get(run) {
                    if !out.contains(&k) {
                        out.push(k);
                    }
                }
            }
        }
        Some(true)
    }

    /// ``MatchScope.speaker`` natively when every name it reads is ASCII (else None): the
    /// restricted keys of ``_speaker_key_set(aid, actor_name, name, text)``, whether it has any
    /// key at all, and ``aid or name or text or None``.
    fn speaker_native(&mut self, key: [&str; 4]) -> Option<Speaker> {
        self.name_map.as_ref()?;
        let [aid, name, text, actor_name] = key;
        let mut keys = Vec::new();
        let mut known = false;
        if !aid.is_empty() {
            known = true;
            if let Some(&k) = self.rule_ids.get(aid) {
                keys.push(k);
            }
            if !actor_name.is_empty() {
                self.native_name_ids(actor_name, &mut keys)?;
            }
        }
        if !name.is_empty() {
            known |= self.native_name_ids(name, &mut keys)?;
        } else if aid.is_empty() && !text.is_empty() {
            known |= self.native_name_ids(text, &mut keys)?;
        }
        keys.sort_unstable();
        keys.dedup();
        let label = [aid, name, text].into_iter().find(|s| !s.is_empty()).map(str::to_owned);
        Some((keys, known, label))
    }

    fn keyed(
        py: Python<'_>,
        cache: &mut HashMap<String, Option<u32>>,
        f: &PyObject,
        value: &str,
    ) -> PyResult<Option<u32>> {
        if let Some(&v) = cache.get(value) {
            return Ok(v);
        }
        let v: Option<u32> = f.call1(py, (value,))?.extract(py)?;
        if cache.len() >= MAX_CACHED {
            cache.clear();
        }
        cache.insert(value.to_owned(), v);
        Ok(v)
    }

    fn mark(&mut self, index: usize, key: u32, list: &mut Vec<u32>) {
        if self.present.insert((index as u64) << 32 | key as u64) {
            list.push(key);
        }
    }

    fn present(&self, index: usize, keys: &[u32]) -> bool {
        let tag = (index as u64) << 32;
        keys.iter().any(|&k| self.present.contains(&(tag | k as u64)))
    }

    /// ``TermTest.test``: term ids of the present any/all terms, or None.
    fn test(&self, t: &TermTest, has: impl Fn(&[u32]) -> bool, out: &mut Vec<u32>) -> bool {
        let mark = out.len();
        let mut any_hit = false;
        for &term in t.any() {
            if has(&self.terms[term as usize].keys) {
                out.push(term);
                any_hit = true;
            }
        }
        if t.n_any > 0 && !any_hit {
            out.truncate(mark);
            return false;
        }
        for &term in t.all() {
            if !has(&self.terms[term as usize].keys) {
                out.truncate(mark);
                return false;
            }
            out.push(term);
        }
        for &term in t.none() {
            if has(&self.terms[term as usize].keys) {
                out.truncate(mark);
                return false;
            }
        }
        true
    }
}

fn contains_any(set: &[u32], keys: &[u32]) -> bool {
    keys.iter().any(|k| set.contains(k))
}

/// One article's view: what the conditions look at.
struct View {
    norm: String,
    sep: u32,
    hits: Vec<Hit>,
    stmts: Vec<Stmt>,
    has_speaker: bool,
    /// The keys present in each index (as marked in the stamps).
    keys: Vec<Vec<u32>>,
}

struct Found {
    keywords: Vec<u32>,
    actors: Vec<u32>,
    statements: Vec<usize>,
    speaker: Option<usize>,
}

#[pymethods]
impl Engine {
    /// An engine without rules: ``add_rules`` (in chunks) and then ``finish`` fill it.
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        other_spaces: &str,
        name_ids: PyObject,
        speaker: PyObject,
        label: PyObject,
        source: PyObject,
        language: PyObject,
        isalnum: PyObject,
        fields: PyObject,
    ) -> Self {
        Engine {
            ready: false,
            scanning: false,
            trie: None,
            ac_other: None,
            other_patterns: Vec::new(),
            patterns: Vec::new(),
            other_spaces: other_spaces.chars().collect(),
            terms: Vec::new(),
            rules: Vec::new(),
            postings: (0..N_INDEX).map(|_| HashMap::default()).collect(),
            always: Vec::new(),
            said_keys: Vec::new(),
            rule_ids: HashMap::default(),
            name_ids,
            speaker_fn: speaker,
            label_fn: label,
            source_fn: source,
            language_fn: language,
            isalnum_fn: isalnum,
            fields_fn: fields,
            rule_out: Vec::new(),
            name_cache: HashMap::default(),
            name_map: None,
            name_buf: String::new(),
            speaker_cache: HashMap::default(),
            key_buf: Vec::new(),
            label_cache: HashMap::default(),
            source_cache: HashMap::default(),
            language_cache: HashMap::default(),
            alnum_cache: HashMap::default(),
            lower_cache: HashMap::default(),
            present: HashSet::default(),
            found_buf: Vec::new(),
            wide_buf: Vec::new(),
            native_articles: 0,
            python_articles: 0,
        }
    }

    /// The tables every rule refers to, once all rules are added: ``n_keys`` keys, keyword
    /// patterns, terms, anchor postings per index, unanchored rules, said keys, rule actor ids.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (n_keys, patterns, terms, postings, always, said_keys, rule_ids, name_map=None))]
    fn finish(
        &mut self,
        py: Python<'_>,
        n_keys: usize,
        patterns: &Bound<'_, PyList>,
        terms: &Bound<'_, PyList>,
        postings: &Bound<'_, PyList>,
        always: Vec<u32>,
        said_keys: Vec<u32>,
        rule_ids: HashMap<String, u32>,
        name_map: Option<HashMap<String, u32>>,
    ) -> PyResult<()> {
        let mut stems: Vec<String> = Vec::with_capacity(patterns.len());
        let mut pats = Vec::with_capacity(patterns.len());
        for p in patterns.iter() {
            let (stem, exact, prefix, wl, wr): (String, Option<u32>, Option<u32>, bool, bool) =
                p.extract()?;
            stems.push(stem);
            pats.push(Pattern { exact, prefix, word_left: wl, word_right: wr });
        }
        let mut word: Vec<(&[u8], u32)> = Vec::new();
        let (mut other, mut other_patterns): (Vec<&[u8]>, Vec<usize>) = (Vec::new(), Vec::new());
        for (n, (stem, p)) in stems.iter().zip(&pats).enumerate() {
            if p.word_left {
                word.push((stem.as_bytes(), n as u32));
            } else {
                other.push(stem.as_bytes());
                other_patterns.push(n);
            }
        }
        // Building the tables of 100k rules takes a while: other threads (the alerter's event
        // loop while a reload compiles in an executor) run meanwhile.
        let (trie, ac_other) = py.allow_threads(|| {
            let trie = (!word.is_empty()).then(|| std::sync::Arc::new(Trie::new(&mut word)));
            let ac = if other.is_empty() {
                Ok(None)
            } else {
                AhoCorasickBuilder::new().match_kind(MatchKind::Standard).build(&other).map(Some)
            };
            (trie, ac)
        });
        let ac_other = ac_other.map_err(|e| PyValueError::new_err(e.to_string()))?;
        let mut tv = Vec::with_capacity(terms.len());
        for t in terms.iter() {
            let (label, keys): (Bound<'_, PyString>, Vec<u32>) = t.extract()?;
            tv.push(Term { label: label.unbind(), keys: keys.into_boxed_slice() });
        }
        let mut pv: Vec<HashMap<u32, Box<[u32]>>> = (0..N_INDEX).map(|_| HashMap::default()).collect();
        for (i, p) in postings.iter().enumerate() {
            if i >= N_INDEX {
                break;
            }
            let p: HashMap<u32, Vec<u32>> = p.extract()?;
            pv[i] = p.into_iter().map(|(k, v)| (k, v.into_boxed_slice())).collect();
        }
        let mut said = vec![false; n_keys];
        for k in said_keys {
            said[k as usize] = true;
        }
        self.scanning = !pats.is_empty();
        self.trie = trie;
        self.ac_other = ac_other;
        self.other_patterns = other_patterns;
        self.patterns = pats;
        self.terms = tv;
        self.postings = pv;
        self.always = always;
        self.said_keys = said;
        self.rule_ids = rule_ids;
        self.name_map = name_map.map(|m| m.into_iter().map(|(k, v)| (k.into_boxed_str(), v)).collect());
        let _ = n_keys; // (keys are looked up in ``present``, not in tables of n_keys)
        self.ready = true;
        Ok(())
    }

    /// Appends rules (the constructor's ``rules`` continued): the Python side sends them in
    /// chunks, so their encoded form never exists for all rules at once.
    fn add_rules(&mut self, rules: &Bound<'_, PyList>, rule_out: &Bound<'_, PyList>) -> PyResult<()> {
        if rules.len() != rule_out.len() {
            return Err(PyValueError::new_err("add_rules: rules and rule_out differ in length"));
        }
        self.rules.extend(parse_rules(rules)?);
        self.rule_out.extend(parse_outs(rule_out)?);
        Ok(())
    }

    /// Bytes held by the keyword automata (diagnostics).
    fn automaton_bytes(&self) -> usize {
        self.trie.as_ref().map_or(0, |t| t.memory_usage())
            + self.ac_other.as_ref().map_or(0, |a| a.memory_usage())
    }

    /// Forget what was cached about names, speakers and keys (the bench starts engines equal).
    fn clear_caches(&mut self) {
        self.name_cache.clear();
        self.speaker_cache.clear();
        self.label_cache.clear();
        self.source_cache.clear();
        self.language_cache.clear();
        self.alnum_cache.clear();
        self.lower_cache.clear();
    }

    /// The alerts (dicts, as ``RuleSet.match`` returns them) of the rules the article fires, in
    /// rule order; None when Python must match this article.
    #[pyo3(signature = (article, now=None))]
    fn match_article<'py>(
        &mut self,
        py: Python<'py>,
        article: &Bound<'py, PyDict>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Option<Bound<'py, PyList>>> {
        if !self.ready {
            return Err(pyo3::exceptions::PyRuntimeError::new_err("Engine.finish was not called"));
        }
        let none = py.None().into_bound(py);
        let now = now.unwrap_or(&none);
        self.present.clear();
        match self.run(py, article, now) {
            Ok(v) => {
                self.native_articles += 1;
                Ok(Some(v))
            }
            Err(BailOr::Bail(_)) => {
                self.python_articles += 1;
                Ok(None)
            }
            Err(BailOr::Err(e)) => Err(e),
        }
    }
}

/// Headline + separator + body as they are normalised: the text, and where the original
/// offsets (in characters) shift against the normalised ones.
struct Norm {
    out: Vec<u8>,
    /// (normalised char offset p, d): from p on (to the next entry), original = p + d. Only
    /// collapsed spaces shift offsets, so a few entries describe a whole article.
    shifts: Vec<(u32, u32)>,
    /// characters dropped so far (original - normalised)
    dropped: u32,
    nout: u32,
    last_space: bool,
}

impl Norm {
    fn push(&mut self) {
        if self.shifts.last().map_or(0, |s| s.1) != self.dropped {
            self.shifts.push((self.nout, self.dropped));
        }
        self.nout += 1;
    }

    /// Original offset of the character at normalised offset ``p``.
    fn original(shifts: &[(u32, u32)], p: u32) -> u32 {
        let k = shifts.partition_point(|s| s.0 <= p);
        if k == 0 {
            p
        } else {
            p + shifts[k - 1].1
        }
    }
}

/// (byte offset just after each multi-byte character of ``s``, bytes beyond one per character
/// so far): the character offset of byte ``b`` is ``b`` minus the extra bytes before it.
fn wide_chars(s: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut extra = 0u32;
    for (b, ch) in s.char_indices() {
        let n = ch.len_utf8() as u32;
        if n > 1 {
            extra += n - 1;
            out.push((b as u32 + n, extra));
        }
    }
    out
}

fn char_index(wide: &[(u32, u32)], b: usize) -> u32 {
    let k = wide.partition_point(|w| w.0 as usize <= b);
    b as u32 - if k == 0 { 0 } else { wide[k - 1].1 }
}

impl Engine {
    /// Appends ``NormalizedText`` of one part: lower-case, apostrophes unified, whitespace to
    /// one space. Err(bail) when lower-casing changes the part's length (offsets do not map).
    fn normalize_part(
        &mut self,
        py: Python<'_>,
        obj: &Bound<'_, PyAny>,
        part: &str,
        st: &mut Norm,
    ) -> Res<()> {
        if part.is_ascii() {
            Self::normalize_ascii(part.as_bytes(), st);
            return Ok(());
        }
        // Capital sigma lower-cases by context (final sigma): Python lower-cases that part.
        let python_lowered: Option<String> = if part.contains('\u{3a3}') {
            let low: String = obj.call_method0("lower")?.extract()?;
            if low.chars().count() != part.chars().count() {
                return bail();
            }
            Some(low)
        } else {
            None
        };
        let text = python_lowered.as_deref().unwrap_or(part);
        let mut buf = [0u8; 4];
        let mut rest = text;
        loop {
            // runs of ASCII as in an ASCII part (ASCII lower-cases the same by Python's rules)
            let run = rest.bytes().position(|b| b >= 0x80).unwrap_or(rest.len());
            Self::normalize_ascii(&rest.as_bytes()[..run], st);
            rest = &rest[run..];
            let Some(ch) = rest.chars().next() else { break };
            rest = &rest[ch.len_utf8()..];
            let low = if ch.is_ascii() {
                ch.to_ascii_lowercase()
            } else if python_lowered.is_some() {
                ch
            } else {
                self.lower_char(py, ch)?.map_or_else(bail, Ok)?
            };
            let c = if is_quote(low) { '\'' } else { low };
            let space = self.is_space(c);
            if space && st.last_space {
                st.dropped += 1;
                continue;
            }
            let c = if space { ' ' } else { c };
            st.out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            st.push();
            st.last_space = space;
        }
        Ok(())
    }

    /// ``normalize_part`` of ASCII text.
    fn normalize_ascii(part: &[u8], st: &mut Norm) {
        if part.is_empty() {
            return;
        }
        // Every byte mapped (lower case, whitespace as a space), then each run of spaces after
        // the first space of a run is cut out: such runs are rare, found by a vectorised
        // search, and the text between them is moved down in one piece.
        let base = st.out.len();
        st.out.resize(base + part.len(), 0);
        for (o, &b) in st.out[base..].iter_mut().zip(part) {
            *o = norm_ascii_byte(b);
        }
        let buf = &mut st.out[base..];
        let n = buf.len();
        let (mut dropped, mut nout) = (st.dropped, st.nout);
        // (r: read position, w: write position)
        let (mut r, mut w) = (0, 0);
        // a run of spaces to drop starts at the part's start after a space, else at the second
        // space of two
        let mut next_drop = if st.last_space && buf[0] == b' ' {
            Some(0)
        } else {
            if st.shifts.last().map_or(0, |s| s.1) != dropped {
                st.shifts.push((nout, dropped));
            }
            memchr::memmem::find(buf, b"  ").map(|k| k + 1)
        };
        while let Some(d) = next_drop {
            buf.copy_within(r..d, w);
            w += d - r;
            nout += (d - r) as u32;
            let mut e = d;
            while e < n && buf[e] == b' ' {
                e += 1;
            }
            dropped += (e - d) as u32;
            r = e;
            if e == n {
                break;
            }
            // the next character is kept, and shifted
            st.shifts.push((nout, dropped));
            next_drop = memchr::memmem::find(&buf[e..], b"  ").map(|k| e + k + 1);
        }
        buf.copy_within(r..n, w);
        w += n - r;
        nout += (n - r) as u32;
        if w > 0 {
            st.last_space = buf[w - 1] == b' ';
        }
        st.out.truncate(base + w);
        (st.dropped, st.nout) = (dropped, nout);
    }

    /// Python's ``ch.lower()`` when it is one character (cached), else None.
    fn lower_char(&mut self, py: Python<'_>, ch: char) -> PyResult<Option<char>> {
        if !self.lower_cache.contains_key(&ch) {
            let mut buf = [0u8; 4];
            let low: String = PyString::new(py, ch.encode_utf8(&mut buf)).call_method0("lower")?.extract()?;
            if self.lower_cache.len() >= MAX_CACHED {
                self.lower_cache.clear();
            }
            self.lower_cache.insert(ch, low);
        }
        let low = &self.lower_cache[&ch];
        let mut it = low.chars();
        Ok(match (it.next(), it.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        })
    }
}

/// ``[d.get(key) for key in keys]`` over many dicts of one kind (an article's entities, ...).
/// The first dict's own key objects replace the interned keys: ``json.loads`` shares one key
/// object between all dicts of an article, so later look-ups find their key by identity instead
/// of comparing characters. Any str with the same characters finds the same entry, so the
/// result is ``dict.get``'s whichever key object is used.
struct Fields<'py, const N: usize> {
    keys: [Bound<'py, PyString>; N],
    /// where each key sat in the first dict (``PyDict_Next``'s position: the entry index)
    pos: [pyo3::ffi::Py_ssize_t; N],
    primed: bool,
}

impl<'py, const N: usize> Fields<'py, N> {
    fn new(keys: [Bound<'py, PyString>; N]) -> Self {
        Fields { keys, pos: [-1; N], primed: false }
    }

    fn get(&mut self, d: &Bound<'py, PyDict>) -> PyResult<[Option<Bound<'py, PyAny>>; N]> {
        let py = d.py();
        let mut k: *mut pyo3::ffi::PyObject = std::ptr::null_mut();
        let mut v: *mut pyo3::ffi::PyObject = std::ptr::null_mut();
        if !self.primed {
            self.primed = true;
            let mut pos: pyo3::ffi::Py_ssize_t = 0;
            loop {
                let at = pos;
                // SAFETY: the GIL is held; borrowed key and value are only looked at here
                if unsafe { pyo3::ffi::PyDict_Next(d.as_ptr(), &mut pos, &mut k, &mut v) } == 0 {
                    break;
                }
                let key = unsafe { Bound::from_borrowed_ptr(py, k) };
                let Ok(key) = key.downcast_exact::<PyString>() else { continue };
                let Ok(text) = key.to_str() else { continue };
                for (slot, p) in self.keys.iter_mut().zip(self.pos.iter_mut()) {
                    if slot.to_str().is_ok_and(|s| s == text) {
                        *slot = key.clone();
                        *p = at;
                        break;
                    }
                }
            }
        }
        // Dicts of one kind in an article come from one producer: their keys sit in the same
        // order and (``json.loads`` shares key objects) are the same objects. So each field is
        // first read at its key's position in the first dict, taken when the key there is that
        // very object (then its value is ``d[key]``); otherwise, as for any other dict, looked
        // up by hash (a look-up cost ~130 instructions, the positioned read a third of that).
        let mut out: [Option<Bound<'py, PyAny>>; N] = std::array::from_fn(|_| None);
        for ((slot, key), &at) in out.iter_mut().zip(&self.keys).zip(&self.pos) {
            let mut pos = at;
            // SAFETY: the GIL is held and no Python code runs here; any position is valid input
            // (out of range: 0 is returned); a value kept becomes a new strong reference.
            if pos >= 0
                && unsafe { pyo3::ffi::PyDict_Next(d.as_ptr(), &mut pos, &mut k, &mut v) } != 0
                && k == key.as_ptr()
            {
                *slot = Some(unsafe { Bound::from_borrowed_ptr(py, v) });
            } else {
                *slot = d.get_item(key)?;
            }
        }
        Ok(out)
    }
}

/// Rules as the Python side encodes them (``RuleSet._build_native``): conditions as tuples.
fn parse_rules(rules: &Bound<'_, PyList>) -> PyResult<Vec<Box<[Cond]>>> {
    let mut rv = Vec::with_capacity(rules.len());
    for r in rules.iter() {
        let r = r.downcast::<PyList>()?;
        let mut conds = Vec::with_capacity(r.len());
        for c in r.iter() {
            let c = c.downcast::<PyTuple>()?;
            let kind: String = c.get_item(0)?.extract()?;
            conds.push(match kind.as_str() {
                "keyset" => {
                    Cond::KeySet { index: c.get_item(1)?.extract()?, test: term_test(&c.get_item(2)?)? }
                }
                "text" => Cond::Text(term_test(&c.get_item(1)?)?),
                "near" => Cond::Near {
                    first: c.get_item(1)?.extract()?,
                    second: c.get_item(2)?.extract()?,
                    a: c.get_item(3)?.extract()?,
                    b: c.get_item(4)?.extract()?,
                    within: c.get_item(5)?.extract()?,
                },
                "actor" => {
                    Cond::Actor { test: term_test(&c.get_item(1)?)?, quoted: c.get_item(2)?.extract()? }
                }
                "quoted" => Cond::Quoted(c.get_item(1)?.extract()?),
                "statement" => {
                    let mut speaker_keys: Vec<u32> = c.get_item(3)?.extract()?;
                    speaker_keys.sort_unstable();
                    Cond::Statement {
                        speaker: opt_term_test(&c.get_item(1)?)?,
                        said: opt_term_test(&c.get_item(2)?)?,
                        speaker_keys: speaker_keys.into_boxed_slice(),
                    }
                }
                other => return Err(PyValueError::new_err(format!("unknown condition {other}"))),
            });
        }
        rv.push(conds.into_boxed_slice());
    }
    Ok(rv)
}

/// What alerts take from each rule: (id, description, sinks, group_by).
fn parse_outs(rule_out: &Bound<'_, PyList>) -> PyResult<Vec<RuleOut>> {
    let mut outs = Vec::with_capacity(rule_out.len());
    for r in rule_out.iter() {
        let (id, description, sinks, group_by): (
            Bound<'_, PyString>,
            PyObject,
            Vec<PyObject>,
            Option<String>,
        ) = r.extract()?;
        outs.push(RuleOut {
            id_bytes: id.to_str()?.as_bytes().into(),
            id: id.unbind(),
            description,
            sinks: sinks.into_boxed_slice(),
            group_by: match group_by.as_deref() {
                Some("speaker") => GROUP_SPEAKER,
                Some("actor") => GROUP_ACTOR,
                _ => GROUP_NONE,
            },
        });
    }
    Ok(outs)
}

/// ``_iso_utc(None)`` for ``ms`` milliseconds since the epoch: ``YYYY-MM-DDTHH:MM:SS.mmmZ``
/// (``datetime.isoformat(timespec="milliseconds")`` with "+00:00" as "Z").
fn iso_utc_ms(ms: i64) -> String {
    let (secs, milli) = (ms.div_euclid(1000), ms.rem_euclid(1000));
    let (days, sod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // civil date of a day number (H. Hinnant's days_from_civil, inverted)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        year,
        month,
        day,
        sod / 3600,
        sod % 3600 / 60,
        sod % 60,
        milli
    )
}

/// For tests: ``iso_utc_ms`` as the engine formats ``created_at``.
#[pyfunction]
#[pyo3(name = "iso_utc_ms")]
fn py_iso_utc_ms(ms: i64) -> String {
    iso_utc_ms(ms)
}

/// ``RuleSet._build_native.fields(article, None)`` without calling Python: (created_at now,
/// article id, its id suffix, version, uri, headline, source, language). None (Python's, then)
/// when ``now`` is given or the article's id is not exactly a str.
fn native_fields<'py>(
    py: Python<'py>,
    article: &Bound<'py, PyDict>,
    now: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyTuple>>> {
    if !now.is_none() {
        return Ok(None);
    }
    let id = match get!(py, article, "id")? {
        None => PyString::new(py, ""),
        Some(v) => match v.downcast_exact::<PyString>() {
            Ok(s) => s.clone(),
            Err(_) => return Ok(None),
        },
    };
    let Ok(id_text) = id.to_str() else { return Ok(None) };
    let mut suffix = Vec::with_capacity(id_text.len() + 1);
    suffix.push(b':');
    suffix.extend_from_slice(id_text.as_bytes());
    let Ok(since) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) else {
        return Ok(None);
    };
    let created = iso_utc_ms(since.as_millis() as i64);
    let or_none = |v: Option<Bound<'py, PyAny>>| v.unwrap_or_else(|| py.None().into_bound(py));
    let headline = match get!(py, article, "headline")? {
        Some(h) if h.is_instance_of::<PyString>() => h,
        _ => PyString::new(py, "").into_any(),
    };
    let items: [Bound<'py, PyAny>; 8] = [
        PyString::new(py, &created).into_any(),
        id.into_any(),
        PyBytes::new(py, &suffix).into_any(),
        or_none(get!(py, article, "version")?),
        or_none(get!(py, article, "uri")?),
        headline,
        or_none(get!(py, article, "source")?),
        or_none(get!(py, article, "language")?),
    ];
    Ok(Some(PyTuple::new(py, items)?))
}

fn int_of(v: Option<&Bound<'_, PyAny>>) -> Res<Option<i64>> {
    match v {
        Some(v) if v.is_instance_of::<PyInt>() => match v.extract::<i64>() {
            Ok(i) => Ok(Some(i)),
            Err(_) => bail(),
        },
        _ => Ok(None),
    }
}

impl Engine {
    fn view<'py>(&mut self, py: Python<'py>, article: &Bound<'py, PyDict>) -> Res<View> {
        let mut keys: Vec<Vec<u32>> = (0..N_INDEX).map(|_| Vec::new()).collect();
        let mut actor_fields = Fields::new([
            intern!(py, "id").clone(),
            intern!(py, "statements").clone(),
            intern!(py, "name").clone(),
        ]);
        let mut stmt_fields = Fields::new([
            intern!(py, "id").clone(),
            intern!(py, "speaker").clone(),
            intern!(py, "content").clone(),
        ]);
        let mut speaker_fields = Fields::new([
            intern!(py, "actor_id").clone(),
            intern!(py, "name").clone(),
            intern!(py, "text").clone(),
        ]);
        let mut content_fields = Fields::new([
            intern!(py, "text").clone(),
            intern!(py, "start").clone(),
            intern!(py, "end").clone(),
        ]);
        let mut entity_fields = Fields::new([
            intern!(py, "text").clone(),
            intern!(py, "actor_id").clone(),
            intern!(py, "label").clone(),
        ]);
        let h_obj = get!(py, article, "headline")?;
        let b_obj = get!(py, article, "body")?;
        let headline = as_str(h_obj.as_ref())?;
        let body = as_str(b_obj.as_ref())?;
        let scanning = self.scanning;

        // -- headline + body: normalise (offsets kept) and scan once
        let mut norm = String::new();
        let mut shifts: Vec<(u32, u32)> = Vec::new();
        let mut sep = 0u32;
        let mut hits = Vec::new();
        if scanning {
            let mut st = Norm {
                out: Vec::with_capacity(headline.len() + body.len() + 3),
                shifts: Vec::new(),
                dropped: 0,
                nout: 0,
                last_space: false,
            };
            let h_any = h_obj.as_ref().map_or(article.as_any(), |o| o);
            let b_any = b_obj.as_ref().map_or(article.as_any(), |o| o);
            self.normalize_part(py, h_any, headline, &mut st)?;
            sep = st.nout;
            self.normalize_part(py, h_any, SEPARATOR, &mut st)?;
            self.normalize_part(py, b_any, body, &mut st)?;
            // only whole characters were pushed
            norm = String::from_utf8(st.out).unwrap();
            shifts = st.shifts;
            hits = self.hits(py, &norm)?;
            let tag = (TEXT as u64) << 32;
            for h in &hits {
                if self.present.insert(tag | h.key as u64) {
                    keys[TEXT].push(h.key);
                }
            }
        }
        // (start, end, key) in body offsets of the hits a said test can ask about
        let at = headline.chars().count() as i64 + 3;
        let mut spans: Vec<(i64, i64, u32)> = hits
            .iter()
            .filter(|h| self.said_keys[h.key as usize])
            .filter_map(|h| {
                let start = Norm::original(&shifts, h.start) as i64 - at;
                let end = Norm::original(&shifts, h.end - 1) as i64 + 1 - at;
                (start >= 0).then_some((start, end, h.key))
            })
            .collect();
        spans.sort_unstable();

        // -- actors by id: the last with a non-empty str id wins, in first-seen order
        let actors_obj = get!(py, article, "actors")?;
        // (id, statements, name) of each actor
        type Actor<'py> = (String, Option<Bound<'py, PyAny>>, Option<Bound<'py, PyAny>>);
        let mut actors: Vec<Actor<'py>> = Vec::new();
        if let Some(list) = actors_obj.as_ref().and_then(|o| o.downcast::<PyList>().ok()) {
            let mut at_id: HashMap<String, usize> = HashMap::default();
            for a in list.iter() {
                let Ok(d) = a.downcast_into::<PyDict>() else { continue };
                let [id, sids, name] = actor_fields.get(&d)?;
                let id = as_str(id.as_ref())?;
                if id.is_empty() {
                    continue;
                }
                match at_id.get(id) {
                    Some(&i) => (actors[i].1, actors[i].2) = (sids, name),
                    None => {
                        at_id.insert(id.to_owned(), actors.len());
                        actors.push((id.to_owned(), sids, name));
                    }
                }
            }
        }
        let actor_name = |aid: &str| actors.iter().find(|a| a.0 == aid).and_then(|a| a.2.clone());

        // statement id -> (keys of the actors that list it, the first such actor's id)
        let mut spoken_by: HashMap<String, (Vec<u32>, String)> = HashMap::default();
        for (aid, sids, name) in &actors {
            let Some(sids) = sids.as_ref().and_then(|o| o.downcast::<PyList>().ok()) else {
                continue;
            };
            if sids.is_empty() {
                continue;
            }
            let mut akeys: Vec<u32> = self.rule_ids.get(aid.as_str()).copied().into_iter().collect();
            akeys.extend(self.name_keys(py, as_str(name.as_ref())?)?);
            for sid in sids.iter() {
                if !sid.is_instance_of::<PyString>() {
                    continue;
                }
                let sid = as_str(Some(&sid))?;
                match spoken_by.get_mut(sid) {
                    Some(got) => got.0.extend_from_slice(&akeys),
                    None => {
                        spoken_by.insert(sid.to_owned(), (akeys.clone(), aid.clone()));
                    }
                }
            }
        }

        // -- statements
        let body_idx = CharIdx::new(body);
        let span_starts: Vec<i64> = spans.iter().map(|s| s.0).collect();
        let mut speaker_texts: Vec<Bound<'py, PyAny>> = Vec::new();
        let mut stmts: Vec<Stmt> = Vec::new();
        let mut has_speaker = false;
        let stmts_obj = get!(py, article, "statements")?;
        if let Some(list) = stmts_obj.as_ref().and_then(|o| o.downcast::<PyList>().ok()) {
            for stmt in list.iter() {
                let Ok(stmt) = stmt.downcast_into::<PyDict>() else { continue };
                let n = stmts.len();
                let [sid_obj, speaker, content] = stmt_fields.get(&stmt)?;
                let sid: Bound<'py, PyString> = match sid_obj.as_ref().map(|o| o.downcast::<PyString>()) {
                    Some(Ok(s)) if !as_str(sid_obj.as_ref())?.is_empty() => s.clone(),
                    _ => PyString::new(py, &format!("#{n}")),
                };
                let (mut skeys, mut known, mut label) = (Vec::new(), false, None);
                if let Some(sp) = speaker.as_ref().and_then(|o| o.downcast::<PyDict>().ok()) {
                    let [aid_o, name_o, text_o] = speaker_fields.get(sp)?;
                    let aid = as_str(aid_o.as_ref())?;
                    let actor_name_o = if aid.is_empty() { None } else { actor_name(aid) };
                    let key = [
                        aid,
                        as_str(name_o.as_ref())?,
                        as_str(text_o.as_ref())?,
                        as_str(actor_name_o.as_ref())?,
                    ];
                    (skeys, known, label) = self.speaker(py, key)?;
                    if let Some(t) = text_o {
                        if t.is_instance_of::<PyString>() {
                            speaker_texts.push(t);
                        }
                    }
                }
                let sid_str = sid.to_str().or_else(|_| bail())?;
                if let Some((listed_keys, listed_by)) = spoken_by.get(sid_str) {
                    skeys.extend_from_slice(listed_keys);
                    skeys.sort_unstable();
                    skeys.dedup();
                    known = true;
                    if label.is_none() {
                        label = Some(listed_by.clone());
                    }
                }
                has_speaker = has_speaker || known;
                let terms = match content.as_ref().and_then(|o| o.downcast::<PyDict>().ok()) {
                    Some(c) => {
                        let [text_o, start_o, end_o] = content_fields.get(c)?;
                        let text = as_str(text_o.as_ref())?;
                        let (start, end) = (int_of(start_o.as_ref())?, int_of(end_o.as_ref())?);
                        let mapped = match (start, end) {
                            (Some(s), Some(e)) if 0 <= s && s <= e => {
                                let blen = body_idx.len() as i64;
                                let tlen =
                                    if text.is_ascii() { text.len() } else { text.chars().count() } as i64;
                                let exact = tlen == e - s
                                    && e <= blen
                                    && body_idx.slice(s as usize, e as usize) == text;
                                let beyond =
                                    e > blen && body_idx.slice(s.min(blen) as usize, blen as usize) == text;
                                (exact || beyond).then_some((s, e))
                            }
                            _ => None,
                        };
                        match mapped {
                            Some((s, e)) => {
                                let i = span_starts.partition_point(|&x| x < s);
                                let mut t: Vec<u32> = spans[i..]
                                    .iter()
                                    .take_while(|sp| sp.0 < e)
                                    .filter(|sp| sp.1 <= e)
                                    .map(|sp| sp.2)
                                    .collect();
                                t.sort_unstable();
                                t.dedup();
                                t
                            }
                            None => self.scan(py, text_o.as_ref())?,
                        }
                    }
                    None => self.scan(py, content.as_ref())?,
                };
                stmts.push(Stmt { sid: sid.unbind(), speaker_keys: skeys, label, terms });
            }
        }
        for s in &stmts {
            for &k in &s.speaker_keys {
                self.mark(SPEAKER, k, &mut keys[SPEAKER]);
            }
            for &k in &s.terms {
                self.mark(SAID, k, &mut keys[SAID]);
            }
        }

        // -- mentions: actors, entities, speakers
        let mut actor_keys = std::mem::take(&mut keys[ACTOR]);
        for (aid, _, name) in &actors {
            if let Some(&k) = self.rule_ids.get(aid.as_str()) {
                self.mark(ACTOR, k, &mut actor_keys);
            }
            self.mark_name(py, as_str(name.as_ref())?, ACTOR, &mut actor_keys)?;
        }
        let entities = get!(py, article, "entities")?;
        let mut label_keys = std::mem::take(&mut keys[LABEL]);
        if let Some(list) = entities.as_ref().and_then(|o| o.downcast::<PyList>().ok()) {
            for e in list.iter() {
                let Ok(e) = e.downcast_into::<PyDict>() else { continue };
                let [text, aid, label] = entity_fields.get(&e)?;
                self.mark_name(py, as_str(text.as_ref())?, ACTOR, &mut actor_keys)?;
                if let Some(&k) = self.rule_ids.get(as_str(aid.as_ref())?) {
                    self.mark(ACTOR, k, &mut actor_keys);
                }
                let label = as_str(label.as_ref())?;
                if !label.is_empty() {
                    if let Some(k) = Self::keyed(py, &mut self.label_cache, &self.label_fn, label)? {
                        self.mark(LABEL, k, &mut label_keys);
                    }
                }
            }
        }
        for t in &speaker_texts {
            self.mark_name(py, as_str(Some(t))?, ACTOR, &mut actor_keys)?;
        }
        for s in &stmts {
            for &k in &s.speaker_keys {
                self.mark(ACTOR, k, &mut actor_keys);
            }
        }
        keys[ACTOR] = actor_keys;
        keys[LABEL] = label_keys;
        let source = get!(py, article, "source")?;
        let language = get!(py, article, "language")?;
        for (index, v) in [(SOURCE, source), (LANGUAGE, language)] {
            let v = as_str(v.as_ref())?;
            if v.is_empty() {
                continue;
            }
            let found = if index == SOURCE {
                Self::keyed(py, &mut self.source_cache, &self.source_fn, v)?
            } else {
                Self::keyed(py, &mut self.language_cache, &self.language_fn, v)?
            };
            if let Some(k) = found {
                let mut list = std::mem::take(&mut keys[index]);
                self.mark(index, k, &mut list);
                keys[index] = list;
            }
        }
        Ok(View { norm, sep, hits, stmts, has_speaker, keys })
    }

    fn run<'py>(
        &mut self,
        py: Python<'py>,
        article: &Bound<'py, PyDict>,
        now: &Bound<'py, PyAny>,
    ) -> Res<Bound<'py, PyList>> {
        let view = self.view(py, article)?;
        // candidates
        let mut cands: Vec<u32> = self.always.clone();
        for index in 0..N_INDEX {
            let postings = &self.postings[index];
            if postings.is_empty() {
                continue;
            }
            for key in view.keys[index].iter() {
                if let Some(rules) = postings.get(key) {
                    cands.extend_from_slice(rules);
                }
            }
        }
        cands.sort_unstable();
        cands.dedup();
        let out = PyList::empty(py);
        let mut found = Found { keywords: vec![], actors: vec![], statements: vec![], speaker: None };
        // (created_at, article_id, id suffix, version, uri, headline, source, language): asked
        // of Python once, when the first rule fires
        let mut fields: Option<Bound<'py, PyTuple>> = None;
        let mut first_speaker: Option<PyObject> = None;
        let mut template: Option<Bound<'py, PyDict>> = None;
        for &pos in &cands {
            found.keywords.clear();
            found.actors.clear();
            found.statements.clear();
            found.speaker = None;
            if !self.evaluate(pos as usize, &view, &mut found) {
                continue;
            }
            if fields.is_none() {
                fields = Some(match native_fields(py, article, now)? {
                    Some(t) => t,
                    None => self
                        .fields_fn
                        .bind(py)
                        .call1((article, now))?
                        .downcast_into::<PyTuple>()
                        .map_err(PyErr::from)?,
                });
            }
            let f = fields.as_ref().unwrap();
            let kw = self.labels(py, &found.keywords)?;
            let ac = self.labels(py, &found.actors)?;
            let mut sids: Vec<&Py<PyString>> = Vec::with_capacity(found.statements.len());
            let mut seen: Vec<&str> = Vec::new();
            for &n in &found.statements {
                let sid = &view.stmts[n].sid;
                let s = sid.bind(py).to_str()?;
                if !seen.contains(&s) {
                    seen.push(s);
                    sids.push(sid);
                }
            }
            let st = PyList::new(py, sids.iter().map(|s| s.bind(py)))?;
            let rule = &self.rule_out[pos as usize];
            let suffix = f.get_item(2)?;
            let suffix = suffix.downcast::<PyBytes>().map_err(PyErr::from)?.as_bytes();
            // (the sha1 crate uses the CPU's SHA instructions where there are some)
            let mut h = <sha1::Sha1 as sha1::Digest>::new();
            sha1::Digest::update(&mut h, &rule.id_bytes);
            sha1::Digest::update(&mut h, suffix);
            let digest = sha1::Digest::finalize(h);
            let mut hex = [0u8; 16];
            const HEX: &[u8; 16] = b"0123456789abcdef";
            for i in 0..8 {
                hex[2 * i] = HEX[(digest[i] >> 4) as usize];
                hex[2 * i + 1] = HEX[(digest[i] & 15) as usize];
            }
            if template.is_none() {
                // the article's fields once, in the alert's key order; each alert is a copy
                let t = PyDict::new(py);
                let none = py.None();
                t.set_item(intern!(py, "id"), &none)?;
                t.set_item(intern!(py, "rule_id"), &none)?;
                t.set_item(intern!(py, "rule_description"), &none)?;
                t.set_item(intern!(py, "article_id"), f.get_item(1)?)?;
                t.set_item(intern!(py, "article_version"), f.get_item(3)?)?;
                t.set_item(intern!(py, "uri"), f.get_item(4)?)?;
                t.set_item(intern!(py, "headline"), f.get_item(5)?)?;
                t.set_item(intern!(py, "source"), f.get_item(6)?)?;
                t.set_item(intern!(py, "language"), f.get_item(7)?)?;
                t.set_item(intern!(py, "matched"), &none)?;
                t.set_item(intern!(py, "sinks"), &none)?;
                t.set_item(intern!(py, "created_at"), f.get_item(0)?)?;
                template = Some(t);
            }
            let alert = template.as_ref().unwrap().copy()?;
            alert.set_item(intern!(py, "id"), PyString::new(py, std::str::from_utf8(&hex).unwrap()))?;
            alert.set_item(intern!(py, "rule_id"), rule.id.bind(py))?;
            alert.set_item(intern!(py, "rule_description"), rule.description.bind(py))?;
            let matched = PyDict::new(py);
            matched.set_item(intern!(py, "keywords"), &kw)?;
            matched.set_item(intern!(py, "actors"), &ac)?;
            matched.set_item(intern!(py, "statements"), st)?;
            alert.set_item(intern!(py, "matched"), matched)?;
            let sinks = PyList::empty(py);
            for sink in &rule.sinks {
                let sink = sink.bind(py);
                match sink.downcast::<PyDict>() {
                    Ok(d) => sinks.append(d.copy()?)?,
                    Err(_) => sinks.append(sink)?,
                }
            }
            alert.set_item(intern!(py, "sinks"), sinks)?;
            match rule.group_by {
                GROUP_SPEAKER => {
                    let group: PyObject = match found.speaker {
                        Some(n) => {
                            PyString::new(py, view.stmts[n].label.as_deref().unwrap()).into_any().unbind()
                        }
                        None => first_speaker
                            .get_or_insert_with(|| match view.stmts.iter().find_map(|s| s.label.as_deref()) {
                                Some(l) => PyString::new(py, l).into_any().unbind(),
                                None => py.None(),
                            })
                            .clone_ref(py),
                    };
                    alert.set_item(intern!(py, "group"), group)?;
                }
                GROUP_ACTOR => {
                    let group = if ac.is_empty() { py.None().into_bound(py) } else { ac.get_item(0)? };
                    alert.set_item(intern!(py, "group"), group)?;
                }
                _ => {}
            }
            out.append(alert)?;
        }
        Ok(out)
    }

    fn labels<'py>(&self, py: Python<'py>, ids: &[u32]) -> PyResult<Bound<'py, PyList>> {
        let mut uniq: Vec<u32> = Vec::with_capacity(ids.len());
        for &t in ids {
            if !uniq.contains(&t) {
                uniq.push(t);
            }
        }
        PyList::new(py, uniq.iter().map(|&t| self.terms[t as usize].label.bind(py)))
    }

    fn evaluate(&self, pos: usize, view: &View, found: &mut Found) -> bool {
        for cond in &self.rules[pos] {
            let ok = match cond {
                Cond::KeySet { index, test } => {
                    let mut scratch = Vec::new();
                    self.test(test, |k| self.present(*index, k), &mut scratch)
                }
                Cond::Text(test) => self.test(test, |k| self.present(TEXT, k), &mut found.keywords),
                Cond::Near { first, second, a, b, within } => {
                    self.near(view, *a, *b, *within) && {
                        found.keywords.push(*first);
                        found.keywords.push(*second);
                        true
                    }
                }
                Cond::Actor { test, quoted } => {
                    let index = if *quoted == Some(true) { SPEAKER } else { ACTOR };
                    let mark = found.actors.len();
                    if !self.test(test, |k| self.present(index, k), &mut found.actors) {
                        false
                    } else if *quoted == Some(false)
                        && found.actors[mark..]
                            .iter()
                            .any(|&t| self.present(SPEAKER, &self.terms[t as usize].keys))
                    {
                        false
                    } else {
                        true
                    }
                }
                Cond::Quoted(q) => view.has_speaker == *q,
                Cond::Statement { speaker, said, speaker_keys } => {
                    let mut ok = false;
                    for (n, stmt) in view.stmts.iter().enumerate() {
                        if speaker.is_some()
                            && !stmt.speaker_keys.iter().any(|k| speaker_keys.binary_search(k).is_ok())
                        {
                            continue;
                        }
                        let mark_a = found.actors.len();
                        if let Some(sp) = speaker {
                            if !self.test(sp, |k| contains_any(&stmt.speaker_keys, k), &mut found.actors) {
                                continue;
                            }
                        }
                        if let Some(sd) = said {
                            if !self.test(sd, |k| contains_any(&stmt.terms, k), &mut found.keywords) {
                                found.actors.truncate(mark_a);
                                continue;
                            }
                        }
                        ok = true;
                        found.statements.push(n);
                        if stmt.label.is_some() && found.speaker.is_none() {
                            found.speaker = Some(n);
                        }
                    }
                    ok
                }
            };
            if !ok {
                return false;
            }
        }
        true
    }

    fn near(&self, view: &View, a: u32, b: u32, within: i64) -> bool {
        if !self.present(TEXT, &[a]) || !self.present(TEXT, &[b]) {
            return false;
        }
        let bytes = view.norm.as_bytes();
        let positions = |key: u32| -> Vec<(i64, bool)> {
            view.hits
                .iter()
                .filter(|h| h.key == key)
                .map(|h| {
                    let words = bytes[..h.start_byte as usize].iter().filter(|&&c| c == b' ').count();
                    (words as i64, h.start > view.sep)
                })
                .collect()
        };
        let (pa, pb) = (positions(a), positions(b));
        for &(wa, sa) in &pa {
            for &(wb, sb) in &pb {
                if sa == sb && (wa - wb).abs() <= within && (a != b || wa != wb) {
                    return true;
                }
            }
        }
        false
    }
}

#[pymodule]
fn wirewatch_match(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add_function(wrap_pyfunction!(normalize_name, m)?)?;
    m.add_function(wrap_pyfunction!(py_iso_utc_ms, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
