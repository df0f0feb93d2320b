//! Reading config paths from the local disk (the CLI and native tests).

use std::path::{Path, PathBuf};

use super::services::DataSource;

/// Reads files relative to a base folder (the config's folder).
pub struct Files {
    /// Folder that relative paths start from.
    pub base: PathBuf,
}

impl Files {
    /// A source for paths written in the config at `config`.
    pub fn beside(config: &Path) -> Files {
        Files { base: config.parent().map(Path::to_path_buf).unwrap_or_default() }
    }

    fn resolve(&self, path: &str) -> PathBuf {
        let p = Path::new(path);
        if p.is_absolute() { p.to_path_buf() } else { self.base.join(p) }
    }
}

impl DataSource for Files {
    async fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        if path.starts_with("http://") || path.starts_with("https://") {
            return Err("the CLI reads local files; download it and give its path".into());
        }
        let full = self.resolve(path);
        std::fs::read(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))
    }

    fn describe(&self, path: &str) -> String {
        self.resolve(path).display().to_string()
    }
}
