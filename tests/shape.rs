//! The code's shape (issue 21), held by a test: no production file of `src/` over
//! `MAX_FILE_LINES` lines, no function outside test code over `MAX_FN_LINES` lines.
//!
//! What counts: a production file is every `src/**/*.rs` that is not test code, counted whole
//! (its `#[cfg(test)] mod tests { … }` too: moving the tests to their own file is the way to
//! shrink it). Test code is an item under `#[cfg(test)]` (a `mod tests { … }`, a helper) and
//! the files such a `mod NAME;` declares (`NAME.rs`, `NAME/`, or its `#[path]`). A function is
//! counted from the line of its `fn` to the line of its closing brace; comments and string
//! literals are read as such, so a `{` in a string or a `'{'` does not count.

use std::collections::BTreeSet;
#[path = "common/sources.rs"]
mod sources;

use sources::{root, rust_files};
use std::path::PathBuf;

const MAX_FILE_LINES: usize = 500;
const MAX_FN_LINES: usize = 80;

/// Production files still over the limit, with why. Keep it empty: each entry goes when its
/// split lands (the test fails once a listed file is short enough, so the entry is dropped).
const LONG_FILES: &[(&str, &str)] = &[];

/// Functions still over the limit, as (file, function), with why. Keep it empty.
const LONG_FUNCTIONS: &[(&str, &str, &str)] = &[];

/// `src` with every comment, string and character literal blanked to spaces (line ends kept),
/// byte for byte, so offsets and line numbers stay those of the file.
fn blank(src: &str) -> Vec<u8> {
    let s = src.as_bytes();
    let mut out = s.to_vec();
    let wipe = |out: &mut Vec<u8>, from: usize, to: usize| {
        for b in &mut out[from..to.min(s.len())] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < s.len() {
        let after_ident = i > 0 && ident(s[i - 1]);
        if s[i..].starts_with(b"//") {
            let end = s[i..].iter().position(|&b| b == b'\n').map_or(s.len(), |p| i + p);
            wipe(&mut out, i, end);
            i = end;
        } else if s[i..].starts_with(b"/*") {
            let (mut depth, mut j) = (0, i);
            while j < s.len() {
                if s[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if s[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            wipe(&mut out, i, j);
            i = j;
        } else if !after_ident && raw_string_start(&s[i..]).is_some() {
            let (open, hashes) = raw_string_start(&s[i..]).unwrap();
            let mut close = vec![b'"'];
            close.extend(std::iter::repeat_n(b'#', hashes));
            let body = i + open;
            let end =
                s[body..].windows(close.len()).position(|w| w == close).map_or(s.len(), |p| body + p + close.len());
            wipe(&mut out, i, end);
            i = end;
        } else if s[i] == b'"' || (!after_ident && s[i..].starts_with(b"b\"")) {
            let mut j = i + if s[i] == b'b' { 2 } else { 1 };
            while j < s.len() && s[j] != b'"' {
                j += if s[j] == b'\\' { 2 } else { 1 };
            }
            wipe(&mut out, i, j + 1);
            i = j + 1;
        } else if s[i] == b'\'' {
            // A character literal ('x', '\n', '\u{7b}', '█'), or else a lifetime ('a).
            let end = if s.get(i + 1) == Some(&b'\\') {
                s.get(i + 3..).and_then(|rest| rest.iter().position(|&b| b == b'\'')).map(|p| i + 3 + p + 1)
            } else {
                let width = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                (s.get(i + 1 + width) == Some(&b'\'')).then_some(i + 2 + width)
            };
            match end {
                Some(end) => {
                    wipe(&mut out, i, end);
                    i = end;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    out
}

/// `r"`, `r#"`, `br##"` …: the length of the opening and the number of `#`.
fn raw_string_start(s: &[u8]) -> Option<(usize, usize)> {
    let rest = s.strip_prefix(b"b").unwrap_or(s).strip_prefix(b"r")?;
    let hashes = rest.iter().take_while(|&&b| b == b'#').count();
    (rest.get(hashes) == Some(&b'"')).then_some((s.len() - rest.len() + hashes + 1, hashes))
}

/// The offset of the `}` closing the `{` at `open`.
fn closing(code: &[u8], open: usize) -> usize {
    let mut depth = 0;
    for (i, &b) in code.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// From `from`, the first `{` or `;` outside parentheses and brackets: an item's body, or its end.
fn body_or_end(code: &[u8], from: usize) -> Option<(usize, u8)> {
    let mut depth = 0i32;
    for (i, &b) in code.iter().enumerate().skip(from) {
        match b {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b'{' | b';' if depth == 0 => return Some((i, b)),
            _ => {}
        }
    }
    None
}

fn line_of(code: &[u8], at: usize) -> usize {
    code[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

fn skip_space(code: &[u8], mut i: usize) -> usize {
    while i < code.len() && code[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn word_at(code: &[u8], i: usize) -> &str {
    let end = code[i..].iter().position(|&b| !(b.is_ascii_alphanumeric() || b == b'_')).map_or(code.len(), |p| i + p);
    std::str::from_utf8(&code[i..end]).unwrap()
}

/// What a file's `#[cfg(test)]` items cover: the byte ranges of those with a body, and the
/// files of `mod NAME;` ones (as `#[path]` names them, or `NAME`).
struct TestItems {
    ranges: Vec<(usize, usize)>,
    modules: Vec<String>,
}

fn test_items(src: &str, code: &[u8]) -> TestItems {
    let mut found = TestItems { ranges: Vec::new(), modules: Vec::new() };
    let text = std::str::from_utf8(code).unwrap();
    for (at, _) in text.match_indices("#[cfg(test)]") {
        // Further attributes, then the item.
        let mut i = skip_space(code, at + "#[cfg(test)]".len());
        let mut path = None;
        while code[i..].starts_with(b"#[") {
            let end = i + code[i..].iter().position(|&b| b == b']').unwrap();
            let attribute = &src[i..=end];
            if let Some(rest) = attribute.strip_prefix("#[path") {
                path = rest.split('"').nth(1).map(str::to_string);
            }
            i = skip_space(code, end + 1);
        }
        let Some((stop, kind)) = body_or_end(code, i) else { continue };
        if kind == b'{' {
            found.ranges.push((at, closing(code, stop)));
        } else if word_at(code, i) == "mod" || text[i..].starts_with("pub mod") {
            let name_at = skip_space(code, i + text[i..].find("mod").unwrap() + 3);
            found.modules.push(path.unwrap_or_else(|| word_at(code, name_at).to_string()));
        }
    }
    found
}

/// Every function with a body outside `skip`: its name, first line and length in lines.
fn functions(code: &[u8], skip: &[(usize, usize)]) -> Vec<(String, usize, usize)> {
    let text = std::str::from_utf8(code).unwrap();
    let mut out = Vec::new();
    for (at, _) in text.match_indices("fn") {
        let boundary_before = at == 0 || !(code[at - 1].is_ascii_alphanumeric() || code[at - 1] == b'_');
        let name_at = skip_space(code, at + 2);
        if !boundary_before || name_at == at + 2 || skip.iter().any(|&(a, b)| (a..=b).contains(&at)) {
            continue; // `fn(u8)`, a word holding "fn", or test code
        }
        let name = word_at(code, name_at);
        if name.is_empty() {
            continue;
        }
        if let Some((open, b'{')) = body_or_end(code, name_at) {
            let first = line_of(code, at);
            out.push((name.to_string(), first, line_of(code, closing(code, open)) - first + 1));
        }
    }
    out
}

struct Measured {
    /// (file under `src/`, lines) of every production file.
    files: Vec<(String, usize)>,
    /// (file, function, first line, lines) of every function outside test code.
    functions: Vec<(String, String, usize, usize)>,
}

fn measure() -> Measured {
    let src_dir = root().join("src");
    let mut paths = Vec::new();
    rust_files(&src_dir, &mut paths);
    paths.sort();
    // Test modules declared by `#[cfg(test)] mod NAME;`: their files and folders.
    let mut test_paths: BTreeSet<PathBuf> = BTreeSet::new();
    let mut parsed = Vec::new();
    for path in &paths {
        let src = std::fs::read_to_string(path).unwrap();
        let code = blank(&src);
        let items = test_items(&src, &code);
        let dir = path.parent().unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy();
        let child_dir =
            if ["mod", "lib", "main"].contains(&stem.as_ref()) { dir.to_path_buf() } else { dir.join(&*stem) };
        for module in &items.modules {
            if module.ends_with(".rs") {
                test_paths.insert(dir.join(module));
            } else {
                test_paths.insert(child_dir.join(format!("{module}.rs")));
                test_paths.insert(child_dir.join(module));
            }
        }
        parsed.push((path.clone(), src, code, items.ranges));
    }
    let mut measured = Measured { files: Vec::new(), functions: Vec::new() };
    for (path, src, code, test_ranges) in parsed {
        if test_paths.iter().any(|t| path.starts_with(t)) {
            continue;
        }
        let file = path.strip_prefix(&src_dir).unwrap().to_string_lossy().into_owned();
        measured.files.push((file.clone(), src.lines().count()));
        for (name, first, lines) in functions(&code, &test_ranges) {
            measured.functions.push((file.clone(), name, first, lines));
        }
    }
    measured
}

#[test]
fn no_production_file_over_the_limit() {
    let measured = measure();
    let long: Vec<String> = measured
        .files
        .iter()
        .filter(|(file, lines)| *lines > MAX_FILE_LINES && !LONG_FILES.iter().any(|(f, _)| f == file))
        .map(|(file, lines)| format!("src/{file}: {lines} lines"))
        .collect();
    assert!(long.is_empty(), "production files over {MAX_FILE_LINES} lines (split them):\n{}", long.join("\n"));
    for (file, why) in LONG_FILES {
        let lines = measured.files.iter().find(|(f, _)| f == file).map_or(0, |(_, l)| *l);
        assert!(lines > MAX_FILE_LINES, "src/{file} ({why}) is {lines} lines now: take it off LONG_FILES");
    }
}

#[test]
fn no_function_outside_tests_over_the_limit() {
    let measured = measure();
    let listed = |file: &str, name: &str| LONG_FUNCTIONS.iter().any(|(f, n, _)| *f == file && *n == name);
    let long: Vec<String> = measured
        .functions
        .iter()
        .filter(|(file, name, _, lines)| *lines > MAX_FN_LINES && !listed(file, name))
        .map(|(file, name, first, lines)| format!("src/{file}:{first} {name}: {lines} lines"))
        .collect();
    assert!(long.is_empty(), "functions over {MAX_FN_LINES} lines (split them):\n{}", long.join("\n"));
    for (file, name, why) in LONG_FUNCTIONS {
        let still = measured.functions.iter().any(|(f, n, _, l)| f == file && n == name && *l > MAX_FN_LINES);
        assert!(still, "src/{file}::{name} ({why}) is short now: take it off LONG_FUNCTIONS");
    }
}

#[test]
fn the_shape_reader_reads_what_it_should() {
    let sample = r##"//! fn in_a_comment() { {
fn short(x: &str) -> char {
    let _ = "a } in a string";
    let _ = r#"and " } in a raw one"#;
    let _ = b"bytes }";
    /* a { nested /* } */ comment */
    let _: fn(u8) -> u8 = |b| b;
    let _ = ['\'','{', '\\'];
    if x.is_empty() { '}' } else { '\u{7b}' }
}
struct S<'a>(&'a str);
impl<'a> S<'a> {
    pub(crate) fn method<F: Fn(u8) -> u8>(&self, f: F) -> u8
    where
        F: Copy,
    {
        f(b'}')
    }
}
trait T { fn declared(&self); }
#[cfg(test)]
#[path = "sample_tests.rs"]
mod tests;
#[cfg(test)]
mod inline {
    fn a_test_helper() {}
}
"##;
    let code = blank(sample);
    assert_eq!(code.len(), sample.len());
    let items = test_items(sample, &code);
    assert_eq!(items.modules, ["sample_tests.rs"]);
    assert_eq!(items.ranges.len(), 1);
    let found: Vec<(String, usize, usize)> = functions(&code, &items.ranges);
    assert_eq!(found, [("short".to_string(), 2, 9), ("method".to_string(), 13, 6)]);
    assert!(!measure().functions.is_empty(), "the reader finds the crate's functions");
}
