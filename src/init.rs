//! `kwiki init DIR`: a new site to start from, with the default theme (templates and static
//! files) copied out to edit.
use crate::error::{Error, Result};
use crate::render::theme::{DEFAULT_STATIC, DEFAULT_TEMPLATES};
use std::path::{Path, PathBuf};

/// The files of a new site: path relative to its root, and content.
pub fn files() -> Vec<(String, &'static str)> {
    let mut out = vec![
        ("site.yaml".to_string(), include_str!("../site.yaml")),
        (
            "seeds/example.md".to_string(),
            include_str!("../data/init/example.md"),
        ),
    ];
    // the default theme copied out to edit: its static files and its templates
    out.extend(
        DEFAULT_STATIC
            .iter()
            .map(|(name, text)| (format!("static/{name}"), *text)),
    );
    out.extend(
        DEFAULT_TEMPLATES
            .iter()
            .map(|(name, text)| (format!("templates/{name}"), *text)),
    );
    out
}

/// Write a new site into `dir` (created if missing). Refuses, writing nothing, when any of
/// its files already exists. Returns the files created.
pub fn scaffold(dir: &Path) -> Result<Vec<PathBuf>> {
    let files = files();
    let existing: Vec<String> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Error::input(
            dir,
            format!(
                "not starting a site here: these files already exist and would be overwritten: {}",
                existing.join(", ")
            ),
        ));
    }
    let mut created = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        // create_new: never replace a file that appeared since the check above
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| Error::io(&path, e))?;
        created.push(path);
    }
    Ok(created)
}
