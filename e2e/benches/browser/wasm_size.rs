//! The size of the built app's wasm, as stored and as a server sends it gzipped.

use std::path::Path;

use anyhow::{Context, bail};

/// The built app's `.wasm`, raw and gzipped (level 9, as a server would send it).
pub(crate) struct WasmSize {
    pub(crate) name: String,
    pub(crate) raw: usize,
    pub(crate) gzipped: usize,
}

impl WasmSize {
    pub(crate) fn of(app_dir: &Path) -> anyhow::Result<Self> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(app_dir).with_context(|| format!("reading {}", app_dir.display()))? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "wasm") {
                found.push(path);
            }
        }
        let [path] = found.as_slice() else {
            bail!("expected one .wasm in {}, found {}", app_dir.display(), found.len());
        };
        let bytes = std::fs::read(path)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, &bytes)?;
        let gzipped = gz.finish()?.len();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(Self { name, raw: bytes.len(), gzipped })
    }
}
