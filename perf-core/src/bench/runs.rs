//! Saved runs: `target/perfkit-bench/new/` (the latest benchmark run) and
//! `target/perfkit-bench/baselines/<name>/` (criterion's `--save-baseline <name>`, `base` by default).

use std::io;
use std::path::{Path, PathBuf};

use super::report::GroupReport;

/// `target/perfkit-bench`: `$CARGO_TARGET_DIR`, else the `target` directory holding this
/// executable (`target/<profile>/deps/<bench>` or `target/<profile>/examples/<example>`), else
/// `./target`.
pub fn bench_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            let exe = std::env::current_exe().ok()?;
            let dir = exe.parent()?;
            let name = dir.file_name()?;
            if name == "deps" || name == "examples" {
                Some(dir.parent()?.parent()?.to_path_buf())
            } else {
                None
            }
        });
    target
        .unwrap_or_else(|| PathBuf::from("target"))
        .join("perfkit-bench")
}

/// The directory of a saved run: an existing directory path as given, `new` for the latest
/// run, else the baseline of that name.
pub fn run_dir(name_or_path: &str) -> PathBuf {
    let p = Path::new(name_or_path);
    if p.is_dir() {
        p.to_path_buf()
    } else if name_or_path == "new" {
        bench_dir().join("new")
    } else {
        bench_dir().join("baselines").join(name_or_path)
    }
}

/// Every group report in `dir`, sorted by group name.
///
/// # Errors
///
/// When `dir` cannot be read or a `.json` file in it is not a report.
pub fn load_run(dir: &Path) -> io::Result<Vec<GroupReport>> {
    let mut reports = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            let r = GroupReport::load(&path)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            reports.push(r);
        }
    }
    reports.sort_by(|a, b| a.group.cmp(&b.group));
    Ok(reports)
}
