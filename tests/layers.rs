//! The layer map in `docs/ARCHITECTURE.md` is the source of truth, and this test holds the code
//! to it: every module of `src/` is on the map, no module imports from a floor above its own,
//! and no two modules (top-level, or files of one folder) import each other round a cycle.
//!
//! What counts as an import: a `crate::NAME` (or, in `main.rs`, `vetted::NAME`) path anywhere
//! in code, `use crate::{a, b::c}` groups included, and `super::NAME` inside a folder. Comments
//! are not code; test code (`#[cfg(test)] mod tests`, `src/**/tests/`) may use any floor.

use std::collections::{BTreeMap, BTreeSet};
#[path = "common/sources.rs"]
mod sources;

use sources::{root, rust_files};
use std::path::Path;

/// Import cycles the code still has, each as the pair of modules, until the move that removes
/// them lands. Keep it empty.
const KNOWN_CYCLES: &[(&str, &str)] = &[];

/// The layers, bottom first, as the fenced block under "Layers" in `docs/ARCHITECTURE.md`
/// lists them: one line a floor (a line ending in `,` goes on), names before two spaces.
fn layers() -> Vec<Vec<String>> {
    let doc = std::fs::read_to_string(root().join("docs/ARCHITECTURE.md")).unwrap();
    let after = &doc[doc.find("Layers").expect("ARCHITECTURE.md names its Layers")..];
    let block = after.split("```").nth(1).expect("a fenced block lists the layers");
    let mut floors: Vec<Vec<String>> = Vec::new();
    let mut going_on = false;
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        // A line with no names goes on with the words of the one before.
        let names = line.split("  ").next().unwrap().trim();
        if names.is_empty() {
            continue;
        }
        let list: Vec<String> = names.split(',').map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect();
        if going_on {
            floors.last_mut().unwrap().extend(list);
        } else {
            floors.push(list);
        }
        going_on = names.ends_with(',');
    }
    floors
}

/// A file's path under `src/`, as its components (`["store", "log.rs"]`).
fn parts(path: &Path) -> Vec<String> {
    let rel = path.strip_prefix(root().join("src")).unwrap();
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect()
}

/// The top-level module a file belongs to (`store`, `main`, `lib`).
fn top(parts: &[String]) -> String {
    parts[0].trim_end_matches(".rs").to_string()
}

/// The code of a file: comments out, and the `#[cfg(test)] mod tests` at its end.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        // A trailing comment (a `//` after code that is not in a string such as `https://`).
        let cut = line.find(" // ").unwrap_or(line.len());
        out.push_str(&line[..cut]);
        out.push('\n');
    }
    out
}

fn ident(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// The names right after `prefix` (`crate::`): `crate::a::b` gives `a`, `crate::{a, b::c}`
/// gives `a` and `b`.
fn names_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group[..end].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.insert(ident(group[start..i].trim()).to_string());
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            names.insert(ident(group[start..end].trim()).to_string());
        } else {
            names.insert(ident(rest).to_string());
        }
    }
    names.retain(|n| !n.is_empty() && n != "self");
    names
}

struct Source {
    parts: Vec<String>,
    code: String,
    test_only: bool,
}

fn sources() -> Vec<Source> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let parts = parts(&path);
            let test_only = parts.iter().any(|p| p == "tests");
            Source { code: code(&std::fs::read_to_string(&path).unwrap()), parts, test_only }
        })
        .collect()
}

/// The top-level modules each top-level module imports.
fn module_imports(sources: &[Source]) -> BTreeMap<String, BTreeSet<(String, String)>> {
    let mut edges: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for s in sources.iter().filter(|s| !s.test_only) {
        let from = top(&s.parts);
        let mut to = names_after(&s.code, "crate::");
        if from == "main" {
            to.extend(names_after(&s.code, "vetted::"));
        }
        let file = s.parts.join("/");
        for name in to.into_iter().filter(|n| *n != from) {
            edges.entry(from.clone()).or_default().insert((name, file.clone()));
        }
    }
    edges
}

/// Every cycle through `start` in `graph`, as the path round it.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<Vec<String>> {
    fn walk(graph: &BTreeMap<String, BTreeSet<String>>, path: &mut Vec<String>, found: &mut BTreeSet<Vec<String>>) {
        let last = path.last().unwrap().clone();
        for next in graph.get(&last).into_iter().flatten() {
            if *next == path[0] {
                // One rotation per cycle: the one starting at its smallest name.
                if path.iter().all(|p| *p >= path[0]) {
                    found.insert(path.clone());
                }
            } else if !path.contains(next) && *next > path[0] {
                path.push(next.clone());
                walk(graph, path, found);
                path.pop();
            }
        }
    }
    let mut found = BTreeSet::new();
    for start in graph.keys() {
        walk(graph, &mut vec![start.clone()], &mut found);
    }
    found
}

#[test]
fn every_module_is_on_the_layer_map_and_imports_only_from_its_floor_or_below() {
    let floors = layers();
    let floor_of: BTreeMap<&str, usize> =
        floors.iter().enumerate().flat_map(|(i, f)| f.iter().map(move |m| (m.as_str(), i))).collect();
    let sources = sources();
    let modules: BTreeSet<String> = sources.iter().map(|s| top(&s.parts)).filter(|m| m != "lib").collect();
    let unmapped: Vec<&String> = modules.iter().filter(|m| !floor_of.contains_key(m.as_str())).collect();
    assert!(unmapped.is_empty(), "src/ modules missing from docs/ARCHITECTURE.md's layer list: {unmapped:?}");
    let gone: Vec<&str> = floor_of.keys().copied().filter(|m| !modules.contains(*m)).collect();
    assert!(gone.is_empty(), "docs/ARCHITECTURE.md lists layers for modules src/ no longer has: {gone:?}");

    let mut upward = Vec::new();
    for (from, tos) in module_imports(&sources) {
        for (to, file) in tos {
            let Some(&to_floor) = floor_of.get(to.as_str()) else { continue }; // an item of lib.rs
            if to_floor > floor_of[from.as_str()] {
                upward.push(format!(
                    "{file} imports {to} (floor {}), above its own ({})",
                    to_floor + 1,
                    floor_of[from.as_str()] + 1
                ));
            }
        }
    }
    assert!(upward.is_empty(), "upward imports:\n{}", upward.join("\n"));
}

#[test]
fn no_import_cycle_between_modules() {
    let sources = sources();
    let graph: BTreeMap<String, BTreeSet<String>> = module_imports(&sources)
        .into_iter()
        .map(|(from, tos)| (from, tos.into_iter().map(|(to, _)| to).collect()))
        .collect();
    let known = |c: &Vec<String>| c.len() == 2 && KNOWN_CYCLES.iter().any(|(a, b)| c[0] == *a && c[1] == *b);
    let found: Vec<String> = cycles(&graph).into_iter().filter(|c| !known(c)).map(|c| c.join(" → ")).collect();
    assert!(found.is_empty(), "import cycles between modules:\n{}", found.join("\n"));
    for (a, b) in KNOWN_CYCLES {
        let still = graph.get(*a).is_some_and(|t| t.contains(*b)) && graph.get(*b).is_some_and(|t| t.contains(*a));
        assert!(still, "the {a} ↔ {b} cycle is gone: take it off KNOWN_CYCLES");
    }
}

/// Inside a folder, the files import each other in one direction only (the folder's `mod.rs`,
/// its front door, is left out: its children use its shared types).
#[test]
fn no_import_cycle_between_the_files_of_a_folder() {
    let sources = sources();
    let mut folders: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for s in sources.iter().filter(|s| !s.test_only && s.parts.len() >= 2) {
        let folder = s.parts[..s.parts.len() - 1].join("/");
        let file = s.parts.last().unwrap().trim_end_matches(".rs").to_string();
        if file == "mod" {
            continue;
        }
        // `super::x` from a file is its sibling `x` (a file or a subfolder).
        let siblings: BTreeSet<String> = names_after(&s.code, "super::");
        let mut crate_path = names_after(&s.code, &format!("crate::{}::", s.parts[..s.parts.len() - 1].join("::")));
        crate_path.extend(siblings);
        crate_path.retain(|n| *n != file);
        folders.entry(folder).or_default().insert(file, crate_path);
    }
    let mut found = Vec::new();
    for (folder, graph) in folders {
        for c in cycles(&graph) {
            found.push(format!("src/{folder}: {}", c.join(" → ")));
        }
    }
    assert!(found.is_empty(), "import cycles between the files of a folder:\n{}", found.join("\n"));
}

#[test]
fn the_layer_reader_reads_what_it_should() {
    assert_eq!(
        names_after("use crate::{a, b::{c, d}, self};\nlet x = crate::e::f(); my_crate::g", "crate::"),
        ["a", "b", "e"].map(String::from).into_iter().collect()
    );
    assert_eq!(
        code("use a; // crate::x\n/// crate::y\nfn f() {}\n#[cfg(test)]\nmod tests { crate::z }"),
        "use a;\nfn f() {}\n"
    );
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")].into_iter().fold(BTreeMap::new(), |mut g, (f, t)| {
            g.entry(f.to_string()).or_default().insert(t.to_string());
            g
        });
    assert_eq!(cycles(&graph).into_iter().collect::<Vec<_>>(), [["a", "b", "c"].map(String::from).to_vec()]);
    assert!(layers().len() >= 4, "the map has floors");
}
