//! Hashes of what the build cache must be keyed on besides the inputs a site has: the rule
//! data compiled into the binary (every file under `data/`, whatever its name: new rule files
//! are keyed without a list to update) and kwiki's own code (`src/`, the default templates,
//! the locked dependencies). A cached extraction made by another kwiki is never reused.
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = tree_hash(root, &["data"]);
    let code = tree_hash(
        root,
        &["src", "templates", "Cargo.toml", "Cargo.lock", "build.rs"],
    );
    println!("cargo:rustc-env=KWIKI_DATA_HASH={data:032x}");
    println!("cargo:rustc-env=KWIKI_CODE_HASH={code:032x}");
    for p in [
        "data",
        "src",
        "templates",
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
    ] {
        println!("cargo:rerun-if-changed={p}");
    }
}

/// One hash of the paths and bytes of every file under `parts` (files or directories), in
/// sorted path order; missing parts are skipped.
fn tree_hash(root: &Path, parts: &[&str]) -> u128 {
    let mut files = Vec::new();
    for p in parts {
        collect(&root.join(p), &mut files);
    }
    files.sort();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for f in files {
        let rel = f
            .strip_prefix(root)
            .unwrap_or(&f)
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(&f).unwrap_or_default();
        h.update(rel.as_bytes());
        h.update(&[0]);
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    h.digest128()
}

fn collect(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    if meta.is_file() {
        out.push(path.to_path_buf());
    } else if meta.is_dir()
        && let Ok(entries) = std::fs::read_dir(path)
    {
        for e in entries.flatten() {
            collect(&e.path(), out);
        }
    }
}
