//! Write: put the rendered pages on disk without ever leaving a half-written site. Every
//! changed file is first written beside its target as a temp file; only when all of them
//! are written are they renamed into place. Unchanged files are left alone and stale ones
//! removed, so a rebuild touches only what changed (deleting a whole tree is slow).
use crate::error::{Error, Result};
use crate::render::Page;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// A file kwiki leaves in every site it writes, so it never cleans a directory it did not make.
pub const MARKER: &str = ".kwiki-site";
const TMP_SUFFIX: &str = ".kwiki-tmp";

#[derive(Debug, Default, Clone, PartialEq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Static files under `dir` as pages (copied as they are).
pub fn static_pages(dir: &Path) -> Result<Vec<Page>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::input(dir, e.to_string()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let content = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        out.push(Page {
            path: rel.to_string_lossy().replace('\\', "/"),
            content,
        });
    }
    Ok(out)
}

/// Whether a page path stays inside the output directory.
pub fn safe_relative(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty()
        && !path.contains('\0')
        && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Write `pages` into `out`.
pub fn write_site(out: &Path, pages: Vec<Page>) -> Result<WriteStats> {
    let mut stager = Stager::new(out)?;
    stager.stage(pages)?;
    stager.commit()
}

/// A site being written in parts: each part's changed files are staged as temp files beside
/// their targets (so the pages' bytes need not all be held at once), and nothing is renamed
/// into place before `commit`. Dropped without `commit` (a later part failed to render), it
/// removes its temp files and leaves the old site as it was.
pub struct Stager {
    out: PathBuf,
    moves: Vec<(PathBuf, PathBuf)>,
    keep: HashSet<PathBuf>,
    unchanged: usize,
}

impl Stager {
    /// Check that `out` may be written (absent, empty, or made by kwiki) and create it.
    pub fn new(out: &Path) -> Result<Stager> {
        if out.exists() && !out.is_dir() {
            return Err(Error::input(
                out,
                "the output path is a file, not a directory: move it away or set output_dir in site.yaml",
            ));
        }
        if out.is_dir()
            && !out.join(MARKER).exists()
            && std::fs::read_dir(out)
                .map_err(|e| Error::io(out, e))?
                .next()
                .is_some()
        {
            return Err(Error::input(
                out,
                "the output directory is not empty and was not made by kwiki: empty it or choose another output_dir",
            ));
        }
        std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
        Ok(Stager {
            out: out.to_path_buf(),
            moves: Vec::new(),
            keep: HashSet::new(),
            unchanged: 0,
        })
    }

    /// Stage the changed files among `pages` (in parallel); unchanged ones are only noted.
    pub fn stage(&mut self, pages: Vec<Page>) -> Result<()> {
        for p in &pages {
            if !safe_relative(&p.path) {
                return Err(Error::Other(format!(
                    "refusing to write {:?}: it would land outside {}",
                    p.path,
                    self.out.display()
                )));
            }
            if !self.keep.insert(self.out.join(&p.path)) {
                return Err(Error::Other(format!(
                    "two pages would be written to {:?}: rename one of them",
                    p.path
                )));
            }
        }
        let out = &self.out;
        let staged: Vec<Result<Option<(PathBuf, PathBuf)>>> = pages
            .into_par_iter()
            .map(|p| {
                let target = out.join(&p.path);
                if let Ok(meta) = std::fs::metadata(&target)
                    && meta.is_file()
                    && meta.len() == p.content.len() as u64
                    && std::fs::read(&target).is_ok_and(|old| old == p.content)
                {
                    return Ok(None);
                }
                if let Some(dir) = target.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                }
                let tmp = tmp_path(&target);
                std::fs::write(&tmp, &p.content).map_err(|e| Error::io(&tmp, e))?;
                Ok(Some((tmp, target)))
            })
            .collect();
        let mut failure = None;
        for s in staged {
            match s {
                Ok(Some(m)) => self.moves.push(m),
                Ok(None) => self.unchanged += 1,
                Err(e) => failure = failure.or(Some(e)),
            }
        }
        match failure {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Rename every staged file into place and remove what this build did not write.
    pub fn commit(mut self) -> Result<WriteStats> {
        self.stage(vec![
            Page {
                path: MARKER.into(),
                content: b"made by kwiki: files here are replaced on every build\n".to_vec(),
            },
            Page {
                path: ".nojekyll".into(),
                content: Vec::new(),
            },
        ])?;
        let moves = std::mem::take(&mut self.moves);
        // renames are quick and all-or-nearly-nothing
        for (tmp, target) in &moves {
            if target.is_dir() {
                std::fs::remove_dir_all(target).map_err(|e| Error::io(target, e))?;
            }
            std::fs::rename(tmp, target).map_err(|e| Error::io(target, e))?;
        }
        // remove what this build did not write
        let mut removed = 0;
        let mut dirs = Vec::new();
        for entry in walkdir::WalkDir::new(&self.out)
            .min_depth(1)
            .contents_first(true)
        {
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            if entry.file_type().is_dir() {
                dirs.push(path.to_path_buf());
            } else if !self.keep.contains(path) {
                std::fs::remove_file(path).map_err(|e| Error::io(path, e))?;
                removed += 1;
            }
        }
        for d in dirs {
            let _ = std::fs::remove_dir(&d); // only succeeds when empty
        }
        Ok(WriteStats {
            written: moves.len(),
            unchanged: self.unchanged,
            removed,
        })
    }
}

impl Drop for Stager {
    fn drop(&mut self) {
        for (tmp, _) in &self.moves {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

fn tmp_path(target: &Path) -> PathBuf {
    let mut name = target
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(TMP_SUFFIX);
    target.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_inside() {
        assert!(safe_relative("artist/rose/index.html"));
        assert!(!safe_relative("../etc/passwd"));
        assert!(!safe_relative("/etc/passwd"));
        assert!(!safe_relative("a/../../b"));
        assert!(!safe_relative(""));
    }

    #[test]
    fn rewrites_only_changes_and_removes_stale() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let page = |p: &str, c: &str| Page {
            path: p.into(),
            content: c.as_bytes().to_vec(),
        };
        let s = write_site(
            &out,
            vec![page("a/index.html", "A"), page("b/index.html", "B")],
        )
        .unwrap();
        assert_eq!(s.written, 4);
        let s = write_site(&out, vec![page("a/index.html", "A2")]).unwrap();
        assert_eq!((s.written, s.removed), (1, 1));
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A2"
        );
        assert!(!out.join("b").exists());
    }

    #[test]
    fn a_failed_build_leaves_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let page = |p: &str, c: &str| Page {
            path: p.into(),
            content: c.as_bytes().to_vec(),
        };
        write_site(&out, vec![page("a/index.html", "old")]).unwrap();
        let mut stager = Stager::new(&out).unwrap();
        stager
            .stage(vec![page("a/index.html", "new"), page("b/index.html", "B")])
            .unwrap();
        drop(stager); // a later part failed: never committed
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "old"
        );
        assert!(!out.join("b/index.html").exists());
        let left: Vec<_> = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().to_string_lossy().ends_with(TMP_SUFFIX))
            .collect();
        assert!(left.is_empty(), "temp files left: {left:?}");
    }

    #[test]
    fn staged_parts_commit_together() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let page = |p: &str, c: &str| Page {
            path: p.into(),
            content: c.as_bytes().to_vec(),
        };
        write_site(
            &out,
            vec![page("a/index.html", "A"), page("old/index.html", "O")],
        )
        .unwrap();
        let mut stager = Stager::new(&out).unwrap();
        stager.stage(vec![page("a/index.html", "A")]).unwrap();
        stager.stage(vec![page("b/index.html", "B")]).unwrap();
        assert!(stager.stage(vec![page("b/index.html", "again")]).is_err());
        let s = stager.commit().unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (1, 3, 1));
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "B"
        );
        assert!(!out.join("old").exists());
    }

    #[test]
    fn refuses_a_foreign_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("precious.txt"), "x").unwrap();
        let e = write_site(dir.path(), vec![]).unwrap_err();
        assert!(e.to_string().contains("not made by kwiki"), "{e}");
        assert!(dir.path().join("precious.txt").exists());
    }
}
