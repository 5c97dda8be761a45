//! Tauri's build step, plus what the About dialog shows about this build (src-tauri/build/about.rs).

#[path = "build/about.rs"]
mod about;

fn main() {
    about::emit();
    tauri_build::try_build(tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"))
        .expect("failed to run tauri-build");
}
