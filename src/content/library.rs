//! Finds sequences: the built-ins compiled into the binary, and the rep's own files in the
//! config dir, which win over a built-in of the same name.

use super::located::Located;
use super::sequence::{Origin, Sequence};
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The sequences a rep can enroll prospects in.
#[derive(Debug, Clone, Default)]
pub struct Library {
    user_dir: Option<PathBuf>,
    /// Cool-off for sequences that do not set their own (from config.toml).
    cool_off_days: Option<u32>,
}

impl Library {
    /// `config_dir` holds the rep's `sequences/` and `templates/`.
    pub fn new(config_dir: Option<&Path>) -> Self {
        Library {
            user_dir: config_dir.map(Path::to_path_buf),
            cool_off_days: None,
        }
    }

    /// Uses `days` as the cool-off of every sequence that does not set its own.
    pub fn with_cool_off(mut self, days: Option<u32>) -> Self {
        self.cool_off_days = days;
        self
    }

    /// Every sequence name with where it comes from, sorted by name.
    pub fn names(&self) -> Vec<(String, Origin)> {
        let mut names = BTreeMap::new();
        if let Some(dir) = BUILTIN.get_dir("sequences") {
            for f in dir.files() {
                if let Some(stem) = toml_stem(f.path()) {
                    names.insert(stem, Origin::Builtin);
                }
            }
        }
        if let Some(dir) = self.user_sequences_dir() {
            if let Ok(entries) = std::fs::read_dir(&dir) {
                for e in entries.flatten() {
                    if let Some(stem) = toml_stem(&e.path()) {
                        names.insert(stem, Origin::User(e.path().display().to_string()));
                    }
                }
            }
        }
        names.into_iter().collect()
    }

    /// What is wrong with the rep's own files, one line each (`file:line:column: message`):
    /// every sequence in `sequences/` loads (with its templates), and every template in
    /// `templates/` parses. Built-ins are checked by the tests, not here.
    pub fn problems(&self) -> Vec<String> {
        let mut found = Vec::new();
        for (name, origin) in self.names() {
            if let Origin::User(_) = origin {
                if let Err(e) = self.load(&name) {
                    found.push(e.to_string());
                }
            }
        }
        if let Some(dir) = &self.user_dir {
            let mut files = Vec::new();
            collect_templates(&dir.join("templates"), &mut files);
            files.sort();
            for path in files {
                let shown = path.display().to_string();
                let problem = match std::fs::read_to_string(&path) {
                    Ok(text) => super::Template::parse(&shown, &text)
                        .err()
                        .map(|e| e.to_string()),
                    Err(e) => Some(format!("{shown}: {e}")),
                };
                if let Some(p) = problem.filter(|p| !found.contains(p)) {
                    found.push(p);
                }
            }
        }
        found
    }

    /// The rep's config dir, if any.
    pub fn user_dir(&self) -> Option<&Path> {
        self.user_dir.as_deref()
    }

    fn user_sequences_dir(&self) -> Option<PathBuf> {
        self.user_dir.as_ref().map(|d| d.join("sequences"))
    }

    /// Loads and checks one sequence by name.
    pub fn load(&self, name: &str) -> Result<Sequence, LoadError> {
        if let Some(dir) = self.user_sequences_dir() {
            let path = dir.join(format!("{name}.toml"));
            if path.is_file() {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| LoadError::Io(format!("{}: {e}", path.display())))?;
                return self.load_file(&path, &text);
            }
        }
        let builtin_path = format!("sequences/{name}.toml");
        match BUILTIN
            .get_file(&builtin_path)
            .and_then(|f| f.contents_utf8())
        {
            Some(text) => Sequence::parse(
                name,
                &format!("templates/{builtin_path}"),
                text,
                Origin::Builtin,
                self.cool_off_days,
                &|p| self.read_template(p),
            )
            .map_err(LoadError::Invalid),
            None => Err(LoadError::NotFound(name.to_string(), self.name_list())),
        }
    }

    /// Loads a sequence from a file anywhere (for lint), templates found as usual.
    pub fn load_file(&self, path: &Path, text: &str) -> Result<Sequence, LoadError> {
        let name = toml_stem(path).unwrap_or_else(|| "sequence".to_string());
        let shown = path.display().to_string();
        Sequence::parse(
            &name,
            &shown,
            text,
            Origin::User(shown.clone()),
            self.cool_off_days,
            &|p| self.read_template(p),
        )
        .map_err(LoadError::Invalid)
    }

    fn name_list(&self) -> String {
        self.names()
            .into_iter()
            .map(|(n, _)| n)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A template's text and the path to show in errors: the rep's file first.
    fn read_template(&self, rel: &str) -> Result<(String, String), String> {
        if !stays_inside(rel) {
            return Err(format!(
                "template '{rel}' is outside templates/: give a path inside it, like \"cold/opener.md\""
            ));
        }
        if let Some(dir) = &self.user_dir {
            let root = dir.join("templates");
            let p = root.join(rel);
            // A link may point anywhere: only a file that really lies in templates/ is read.
            if let (Ok(real), Ok(root)) = (p.canonicalize(), root.canonicalize()) {
                if !real.starts_with(&root) {
                    return Err(format!(
                        "template '{rel}' links to {}, outside templates/: copy the file in instead",
                        real.display()
                    ));
                }
                if let Ok(text) = std::fs::read_to_string(&p) {
                    return Ok((text, p.display().to_string()));
                }
            }
        }
        BUILTIN
            .get_file(rel)
            .and_then(|f| f.contents_utf8())
            .map(|t| (t.to_string(), format!("templates/{rel}")))
            .ok_or_else(|| format!("template '{rel}' not found"))
    }
}

/// Whether a template path names a file under `templates/`: relative, with no `..`, no root
/// and no drive.
pub fn stays_inside(rel: &str) -> bool {
    use std::path::Component;
    !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Every `.md` file under `dir`, at any depth.
fn collect_templates(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            collect_templates(&path, out);
        } else if path.extension().and_then(|x| x.to_str()) == Some("md") {
            out.push(path);
        }
    }
}

/// The text of a built-in sequence file.
pub fn builtin_sequence_text(name: &str) -> Option<&'static str> {
    BUILTIN
        .get_file(format!("sequences/{name}.toml"))
        .and_then(|f| f.contents_utf8())
}

fn toml_stem(p: &Path) -> Option<String> {
    if p.extension().and_then(|e| e.to_str()) != Some("toml") {
        return None;
    }
    p.file_stem().and_then(|s| s.to_str()).map(str::to_string)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("no sequence named '{0}' (known: {1})")]
    NotFound(String, String),
    #[error("{0}")]
    Invalid(Located),
    #[error("{0}")]
    Io(String),
}
