//! Cross-crate tests live in tests/; this library holds what several of them share.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the repository")
        .to_path_buf()
}

/// The `racah` binary next to the calling test's binary (`target/<profile>/racah`), built
/// first (or found up to date) with the cargo that runs the tests, in the same target
/// directory and profile.
///
/// # Panics
/// If the build fails or the binary is missing afterwards.
pub fn racah_binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("test binary path");
        // target/<profile>/deps/<test> → target/<profile>
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("target dir")
            .to_path_buf();
        let target_dir = profile_dir.parent().expect("target dir");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build
            .current_dir(repo())
            .args([
                "build",
                "--quiet",
                "-p",
                "racah",
                "--bin",
                "racah",
                "--target-dir",
            ])
            .arg(target_dir);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        let status = build.status().expect("running cargo build");
        assert!(status.success(), "cargo build --bin racah failed");
        let bin = profile_dir.join("racah");
        assert!(bin.exists(), "{} missing after the build", bin.display());
        bin
    })
}
