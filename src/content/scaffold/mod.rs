//! `touchbase sequences new`: writes a sequence and its templates into the config dir, as a
//! copy of an existing one or from a small starting point.

use super::sequence::Sequence;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// The starting point for a sequence written from scratch: (relative path, text).
const STARTER: &[(&str, &str)] = &[
    ("01-opener.md", include_str!("starter/01-opener.md")),
    ("02-connect.md", include_str!("starter/02-connect.md")),
    ("03-call.md", include_str!("starter/03-call.md")),
    ("04-breakup.md", include_str!("starter/04-breakup.md")),
];
const STARTER_TOML: &str = include_str!("starter/sequence.toml");

/// Creates `<config>/sequences/NAME.toml` and `<config>/templates/NAME/…`. Refuses to
/// overwrite anything. Returns the files written.
pub fn create(config_dir: &Path, name: &str, from: Option<&Sequence>) -> Result<Vec<PathBuf>> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        bail!("'{name}' is not a sequence name: use letters, digits, - and _");
    }
    let toml_path = config_dir.join("sequences").join(format!("{name}.toml"));
    if toml_path.exists() {
        bail!(
            "{} exists already; edit it with `touchbase sequences edit {name}`",
            toml_path.display()
        );
    }
    let template_dir = config_dir.join("templates").join(name);
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let toml = match from {
        Some(seq) => {
            let text = source_toml(seq)?;
            let mut text = text;
            for (rel, src) in &seq.sources {
                let file = Path::new(rel)
                    .file_name()
                    .and_then(|f| f.to_str())
                    .unwrap_or(rel)
                    .to_string();
                files.push((template_dir.join(&file), src.clone()));
                text = text.replace(&format!("\"{rel}\""), &format!("\"{name}/{file}\""));
            }
            text
        }
        None => {
            for (file, text) in STARTER {
                files.push((template_dir.join(file), (*text).to_string()));
            }
            STARTER_TOML.replace("starter/", &format!("{name}/"))
        }
    };
    files.push((toml_path, toml));
    for (path, _) in &files {
        if path.exists() {
            bail!("{} exists already; not overwriting it", path.display());
        }
    }
    for (path, text) in &files {
        if let Some(dir) = path.parent() {
            crate::paths::create_private_dir_all(dir)
                .with_context(|| format!("creating {}", dir.display()))?;
        }
        crate::paths::write_private_file(path, text)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// The TOML text a sequence was loaded from.
fn source_toml(seq: &Sequence) -> Result<String> {
    match &seq.origin {
        super::Origin::User(path) => {
            std::fs::read_to_string(path).with_context(|| format!("reading {path}"))
        }
        _ => super::library::builtin_sequence_text(&seq.name)
            .map(str::to_string)
            .with_context(|| format!("{} has no sequence file to copy", seq.name)),
    }
}
