//! The results files of `tuna run`: the results JSON (`--out`) and
//! `cv_results.csv` beside it.
//!
//! An earlier run's files are removed before a run starts, so a run that fails
//! or is stopped never leaves them looking current; each file is written to a
//! temporary file and renamed into place, so a reader (or a crash) never sees
//! half of one.

use std::path::{Path, PathBuf};

use tuna::SearchResults;

/// Where one run's results go.
pub struct ResultsFiles {
    /// The results JSON.
    pub json: PathBuf,
    /// `cv_results.csv`, beside it.
    pub csv: PathBuf,
}

impl ResultsFiles {
    /// The files for `--out json`.
    pub fn at(json: &Path) -> ResultsFiles {
        ResultsFiles { json: json.to_path_buf(), csv: json.with_file_name("cv_results.csv") }
    }

    /// Removes an earlier run's files, if any.
    pub fn remove_earlier(&self) -> Result<(), String> {
        for path in [&self.json, &self.csv] {
            if let Err(e) = std::fs::remove_file(path)
                && e.kind() != std::io::ErrorKind::NotFound
            {
                return Err(format!(
                    "cannot remove the earlier results {}: {e} (remove the file by hand, or choose another --out)",
                    path.display()
                ));
            }
        }
        Ok(())
    }

    /// Writes both files (`cancelled`: the search stopped before every fit ran).
    pub fn write(&self, results: &SearchResults, cancelled: bool) -> Result<(), String> {
        if let Some(dir) = self.json.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create the folder {} for --out: {e}", dir.display()))?;
        }
        for (path, text) in [(&self.json, results.to_results_file(cancelled)), (&self.csv, results.to_csv())] {
            write_atomically(path, &text)
                .map_err(|e| format!("cannot write {}: {e} (choose another --out)", path.display()))?;
        }
        Ok(())
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it into place.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}
