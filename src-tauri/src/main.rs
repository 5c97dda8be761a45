// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    paint_without_compositing_when_there_is_no_gpu();
    osslite_app::run();
}

/// WebKitGTK composites pages with OpenGL. Without a GPU (a VM, a remote desktop, Xvfb) Mesa does
/// that on the CPU, and a frame of the object list took about 100 ms instead of 16
/// (tests/bench/app-browse.sh). So without a DRM render node the page is painted directly. A value
/// the user set wins: WEBKIT_DISABLE_COMPOSITING_MODE=0 keeps compositing.
#[cfg(target_os = "linux")]
fn paint_without_compositing_when_there_is_no_gpu() {
    const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    let has_render_node = std::fs::read_dir("/dev/dri")
        .map(|entries| entries.flatten().any(|entry| entry.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false);
    if !has_render_node && std::env::var_os(SWITCH).is_none() {
        // Still one thread here: nothing else reads the environment yet.
        std::env::set_var(SWITCH, "1");
    }
}
