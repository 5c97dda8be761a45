//! The desktop shell: registers commands and state; the work itself lives in osslite-core.

mod commands;
mod error;

use tauri::Runtime;

/// Everything the app registers, shared by `run()` and by tests on `tauri::test::mock_builder()`.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![commands::app_info])
}

pub fn run() {
    if let Err(err) = builder(tauri::Builder::default()).run(tauri::generate_context!()) {
        eprintln!("OSS Lite could not start: {err}");
        std::process::exit(1);
    }
}
